"""The history of a pair: every edit listed, undone and redone.

Mixed into ``store.Project``. Each edit row keeps the beads (and segment
runs) it replaced and the ones it wrote, so undo puts the first back and redo
the second, after checking that the beads in place are still the ones the
edit left: a stale tab gets a conflict, never a silent mix.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from align.project.bead_edits import BeadRow
from align.project.core import StoreCore
from align.project.file import ConflictError


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    op: str
    args: dict
    created: str
    undone: bool


def _row_from_json(d: dict) -> BeadRow:
    # "similarity" is missing from edits recorded before schema 2: not known.
    return BeadRow(d["id"], 0, tuple(d["src"]), tuple(d["tgt"]), d["score"], d["status"], d["note"],
                   similarity=d.get("similarity"))


class History(StoreCore):
    """The edit history of ``store.Project``, built on the store operations of ``StoreCore``."""

    def history(self, pair_id: int) -> list[HistoryEntry]:
        """Every edit of the pair, oldest first; undone ones are flagged (they are the redo stack)."""
        with self._tx() as db:
            return [HistoryEntry(r[0], r[1], json.loads(r[2]), r[3], bool(r[4])) for r in db.execute(
                "SELECT id, op, args, created, undone FROM edits WHERE pair_id = ? ORDER BY id", (pair_id,))]

    def undo(self, pair_id: int, revision: int | None = None) -> bool:
        """Take back the latest edit; False when there is nothing to undo."""
        return self._step(pair_id, revision, undo=True)

    def redo(self, pair_id: int, revision: int | None = None) -> bool:
        """Apply again the latest undone edit; False when there is nothing to redo."""
        return self._step(pair_id, revision, undo=False)

    def _step(self, pair_id: int, revision: int | None, undo: bool) -> bool:
        with self._tx(write=True) as db:
            current = self._pair(db, pair_id).revision
            if revision is not None and revision != current:
                raise ConflictError("the project was changed in another tab; reload before undoing")
            sql = ("SELECT id, before, after FROM edits WHERE pair_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1"
                   if undo else
                   "SELECT id, before, after FROM edits WHERE pair_id = ? AND undone = 1 ORDER BY id LIMIT 1")
            found = db.execute(sql, (pair_id,)).fetchone()
            if found is None:
                return False
            edit_id, before, after = found[0], json.loads(found[1]), json.loads(found[2])
            gone, back = (after, before) if undo else (before, after)
            start, stop = gone["start"], gone["start"] + len(gone["beads"])
            present = [r.id for r in self._beads(db, pair_id)[start:stop]]
            if present != [b["id"] for b in gone["beads"]]:
                raise ConflictError("the beads no longer match the history; reload")
            new_revision = self._bump(db, pair_id)
            if gone["segments"]:
                self._swap_segments(db, gone["segments"], back["segments"])
            self._replace(db, pair_id, start, stop, [_row_from_json(b) for b in back["beads"]], new_revision)
            db.execute("UPDATE edits SET undone = ? WHERE id = ?", (1 if undo else 0, edit_id))
            return True
