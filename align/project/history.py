"""The history of a pair or a version set: every edit listed, undone and redone.

Mixed into ``store.Project``. Each edit row keeps the beads or rows (and
segment runs) it replaced and the ones it wrote, so undo puts the first back
and redo the second, after checking that the rows in place are still the ones
the edit left: a stale tab gets a conflict, never a silent mix. The same code
serves both, on their ``core.Track``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from align.project.core import PAIRS, SETS, StoreCore, Track
from align.project.file import ConflictError


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    op: str
    args: dict
    created: str
    undone: bool


class History(StoreCore):
    """The edit history of ``store.Project``, built on the store operations of ``StoreCore``."""

    def history(self, pair_id: int) -> list[HistoryEntry]:
        """Every edit of the pair, oldest first; undone ones are flagged (they are the redo stack)."""
        return self._history_of(PAIRS, pair_id)

    def undo(self, pair_id: int, revision: int | None = None) -> bool:
        """Take back the latest edit; False when there is nothing to undo. The pair's first alignment is
        where its history starts: undoing it would leave nothing to look at or correct."""
        return self._step(PAIRS, pair_id, revision, undo=True)

    def redo(self, pair_id: int, revision: int | None = None) -> bool:
        """Apply again the latest undone edit; False when there is nothing to redo."""
        return self._step(PAIRS, pair_id, revision, undo=False)

    def set_history(self, set_id: int) -> list[HistoryEntry]:
        """Every edit of the version set's rows, oldest first; undone ones are flagged."""
        return self._history_of(SETS, set_id)

    def undo_set(self, set_id: int, revision: int | None = None) -> bool:
        """Take back the latest edit of the version set; False when there is nothing to undo."""
        return self._step(SETS, set_id, revision, undo=True)

    def redo_set(self, set_id: int, revision: int | None = None) -> bool:
        """Apply again the latest undone edit of the version set; False when there is nothing to redo."""
        return self._step(SETS, set_id, revision, undo=False)

    def _history_of(self, track: Track, owner: int) -> list[HistoryEntry]:
        with self._tx() as db:
            self._revision_of(db, track, owner)
            return [HistoryEntry(r[0], r[1], json.loads(r[2]), r[3], bool(r[4])) for r in db.execute(
                f"SELECT id, op, args, created, undone FROM {track.edits} WHERE {track.key} = ? ORDER BY id",
                (owner,))]

    def _step(self, track: Track, owner: int, revision: int | None, undo: bool) -> bool:
        with self._tx(write=True) as db:
            current = self._revision_of(db, track, owner)
            if revision is not None and revision != current:
                raise ConflictError("the project was changed in another tab; reload before undoing")
            where = f"FROM {track.edits} WHERE {track.key} = ?"
            sql = (f"SELECT id, before, after {where} AND undone = 0 ORDER BY id DESC LIMIT 1" if undo else
                   f"SELECT id, before, after {where} AND undone = 1 ORDER BY id LIMIT 1")
            found = db.execute(sql, (owner,)).fetchone()
            if found is None:
                return False
            edit_id, before, after = found[0], json.loads(found[1]), json.loads(found[2])
            if undo and not before[track.items] and edit_id == db.execute(f"SELECT MIN(id) {where}",
                                                                            (owner,)).fetchone()[0]:
                return False  # the first alignment: there was nothing before it
            gone, back = (after, before) if undo else (before, after)
            start, stop = gone["start"], gone["start"] + len(gone[track.items])
            present = [r.id for r in self._read_lazily(db, track, owner)[start:stop]]
            if present != [item["id"] for item in gone[track.items]]:
                raise ConflictError(f"the {track.items} no longer match the history; reload")
            new_revision = self._bump_in(db, track, owner)
            if gone.get("segments"):
                self._swap_segments(db, gone["segments"], back["segments"])
            self._replace_in(db, track, owner, start, stop, [track.from_json(item) for item in back[track.items]],
                             new_revision)
            db.execute(f"UPDATE {track.edits} SET undone = ? WHERE id = ?", (1 if undo else 0, edit_id))
            return True
