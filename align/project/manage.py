"""Managing the pairs of a project after import: rename, delete and restore, swap direction, set a language.

Mixed into ``store.Project`` like the corrections and the history, on the
operations of ``StoreCore``. Deleting only hides a pair (``restore_pair``
brings it back with its beads and history); swapping turns the pair around
with its beads and its history, so undo still works afterwards.
"""
from __future__ import annotations

import json

from align.project.core import StoreCore
from align.project.file import ProjectError

SIDES = ("src", "tgt")


class PairManagement(StoreCore):
    """What a user does to a pair as a whole, each one transaction."""

    def rename_pair(self, pair_id: int, src_name: str | None = None, tgt_name: str | None = None) -> None:
        """Give the pair's documents new names (what lists and exports call them)."""
        with self._tx(write=True) as db:
            pair = self._pair(db, pair_id)
            for doc_id, name in ((pair.src_doc, src_name), (pair.tgt_doc, tgt_name)):
                current = db.execute("SELECT name FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
                if name is not None and name.strip() != current:
                    if not name.strip():
                        raise ProjectError("a document name cannot be empty")
                    if "/" in name or "\\" in name:  # lists show an imported path's last part: a name is one part
                        raise ProjectError(f"a document name is a file name, without '/' or '\\': {name.strip()!r}")
                    db.execute("UPDATE documents SET name = ?, version = version + 1 WHERE id = ?",
                               (name.strip(), doc_id))
            self._bump(db, pair_id)

    def delete_pair(self, pair_id: int) -> None:
        """Hide the pair from lists and exports; ``restore_pair`` brings it back as it was."""
        self._set_deleted(pair_id, True)

    def restore_pair(self, pair_id: int) -> None:
        self._set_deleted(pair_id, False)

    def _set_deleted(self, pair_id: int, deleted: bool) -> None:
        with self._tx(write=True) as db:
            self._pair(db, pair_id)
            db.execute("UPDATE pairs SET deleted = ? WHERE id = ?", (int(deleted), pair_id))

    def deleted_pairs(self) -> list[tuple[int, str, str]]:
        """``(pair_id, source name, target name)`` of the pairs deleted and not restored."""
        with self._tx() as db:
            return [tuple(r) for r in db.execute(
                "SELECT p.id, s.name, t.name FROM pairs p JOIN documents s ON s.id = p.src_doc "
                "JOIN documents t ON t.id = p.tgt_doc WHERE p.deleted = 1 ORDER BY p.id")]

    def swap_pair(self, pair_id: int) -> None:
        """Make the target the source and back, beads and edit history included (swap again to undo)."""
        with self._tx(write=True) as db:
            self._pair(db, pair_id)
            db.execute("UPDATE pairs SET src_doc = tgt_doc, tgt_doc = src_doc WHERE id = ?", (pair_id,))
            db.execute("UPDATE beads SET n_src = n_tgt, n_tgt = n_src WHERE pair_id = ?", (pair_id,))
            for edit_id, before, after in db.execute(
                    "SELECT id, before, after FROM edits WHERE pair_id = ?", (pair_id,)).fetchall():
                db.execute("UPDATE edits SET before = ?, after = ? WHERE id = ?",
                           (_swapped(before), _swapped(after), edit_id))
            self._bump(db, pair_id)

    def set_language(self, pair_id: int, side: str, lang: str) -> None:
        """Tag every sentence of one document of the pair with ``lang`` (re-align afterwards if it matters)."""
        if side not in SIDES:
            raise ProjectError(f"side must be src or tgt, not {side!r}")
        if not lang.strip() or len(lang) > 35 or not lang.replace("-", "").replace("_", "").isalnum():
            raise ProjectError(f"{lang!r} is not a language tag (e.g. en, ja, pt-BR)")
        with self._tx(write=True) as db:
            pair = self._pair(db, pair_id)
            doc_id = pair.src_doc if side == "src" else pair.tgt_doc
            db.execute("UPDATE segments SET lang = ? WHERE doc_id = ?", (lang.strip(), doc_id))
            db.execute("UPDATE documents SET version = version + 1 WHERE id = ?", (doc_id,))
            self._bump(db, pair_id)


def _swapped(state: str) -> str:
    """An edit's recorded beads with their two sides exchanged."""
    data = json.loads(state)
    data["beads"] = [{**bead, "src": bead["tgt"], "tgt": bead["src"]} for bead in data["beads"]]
    return json.dumps(data)
