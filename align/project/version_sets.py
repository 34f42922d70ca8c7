"""Version sets: three or more versions of one text, kept as one object with rows across all of them.

Mixed into ``store.Project`` like the corrections and the history. A set is its
documents in order and its rows (``bead_edits.SetRow``): each row holds the
sentences of every version that translate each other, as ``align multi``
builds them. A correction changes a row, so it reaches every version at once;
the view of any two versions (en↔ja, ja↔ru…) is derived from the rows and
never stored. Each correction is one transaction, checked against the
revision the row was read at, and undoable (``History.undo_set``).
"""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from align.lang import UNDETERMINED, version_labels
from align.pairing.probability import reviewed
from align.project import bead_edits
from align.project.bead_edits import STATUSES, EditError, SetRow
from align.project.core import SETS, PairStatus, StoreCore
from align.project.file import ProjectError
from align.types import Alignment, Document

if TYPE_CHECKING:  # pairing.multi is heavy to import (numba); only for annotations
    from align.pairing.multi import MultiAlignment


class VersionSet(NamedTuple):
    """A version set as lists show it: its id, name, and the language and document name of each version."""

    id: int
    name: str
    languages: tuple[str, ...]
    documents: tuple[str, ...]

    @property
    def labels(self) -> list[str]:
        """Column names, one per version: its language, ``_2``… for a repeated one (as ``align multi``)."""
        return version_labels(self.languages)

    def version(self, which: str | int) -> int:
        """The index of a version named by its label (``ru``, ``en_2``) or its 0-based number."""
        if isinstance(which, int) or which.isdigit():
            index = int(which)
            if 0 <= index < len(self.languages):
                return index
        elif which in self.labels:
            return self.labels.index(which)
        raise ProjectError(f"version set {self.id} has no version {which!r}; "
                           f"it has {', '.join(self.labels)} (or 0 to {len(self.languages) - 1})")

    def view(self, versions: str | None = None) -> tuple[int, int]:
        """The two versions of a pair view, from ``A,B`` (labels or 0-based numbers); the first two when None."""
        if versions is None:
            return 0, 1
        names = [name.strip() for name in versions.split(",")]
        if len(names) != 2:
            raise ProjectError(f"--versions takes two versions, e.g. {','.join(self.labels[:2])}")
        a, b = (self.version(name) for name in names)
        if a == b:
            raise ProjectError("--versions takes two different versions")
        return a, b


class VersionSets(StoreCore):
    """Storing, reading and correcting version sets, each write one transaction."""

    # -- storing ----------------------------------------------------------------------------

    def add_version_set(self, multi: MultiAlignment, name: str | None = None) -> int:
        """Store aligned versions (``align_versions``' result) as one set, in one transaction; returns its id.

        Every sentence of every version must lie in exactly one row, in order.
        ``name`` defaults to the documents' names.
        """
        docs, rows = list(multi.docs), list(multi.rows)
        if len(docs) < 2:
            raise ProjectError(f"a version set needs at least two versions, not {len(docs)}")
        if any(len(row.cells) != len(docs) for row in rows):
            raise ProjectError(f"every row needs one cell per version ({len(docs)})")
        for v, doc in enumerate(docs):
            if [i for row in rows for i in row.cells[v]] != list(range(len(doc))):
                raise ProjectError(f"the rows do not cover the {len(doc)} sentences of {doc.name} once, in order")
        name = name or " / ".join(Path(doc.name).name for doc in docs)
        with self._tx(write=True) as db:
            set_id = db.execute("INSERT INTO version_sets (name, model) VALUES (?, ?)",
                                (name, multi.model or "")).lastrowid
            for slot, doc in enumerate(docs):
                db.execute("INSERT INTO set_documents (set_id, slot, doc_id) VALUES (?, ?, ?)",
                           (set_id, slot, self._insert_document(db, doc)))
            stored = [SetRow(None, k, tuple(map(tuple, row.cells)), float(row.score),
                             conflict=row.note if row.conflict else "") for k, row in enumerate(rows)]
            self._record_in(db, SETS, set_id, "align", {"model": multi.model or ""}, [],
                            bead_edits.Change(0, 0, tuple(stored)))
        return set_id

    # -- reading ----------------------------------------------------------------------------

    def version_sets(self) -> list[VersionSet]:
        """Every version set of the project, oldest first."""
        with self._tx() as db:
            sets = db.execute("SELECT id, name FROM version_sets WHERE deleted = 0 ORDER BY id").fetchall()
            return [self._version_set(db, set_id, name) for set_id, name in sets]

    def version_set(self, set_id: int) -> VersionSet:
        with self._tx() as db:
            return self._version_set(db, set_id, self._set_name(db, set_id))

    def _set_name(self, db: sqlite3.Connection, set_id: int) -> str:
        row = db.execute("SELECT name FROM version_sets WHERE id = ?", (set_id,)).fetchone()
        if row is None:
            raise ProjectError(f"no version set {set_id} in project {self.name!r}")
        return row[0]

    def _version_set(self, db: sqlite3.Connection, set_id: int, name: str) -> VersionSet:
        docs = db.execute("SELECT d.id, d.name FROM set_documents s JOIN documents d ON d.id = s.doc_id "
                          "WHERE s.set_id = ? ORDER BY s.slot", (set_id,)).fetchall()
        # A document's language is that of most of its characters, the first met on a tie (Document.lang).
        langs = [(db.execute("SELECT lang FROM segments WHERE doc_id = ? GROUP BY lang "
                             "ORDER BY sum(length(text)) DESC, min(idx) LIMIT 1", (doc_id,)).fetchone()
                  or (UNDETERMINED,))[0] for doc_id, _ in docs]
        return VersionSet(set_id, name, tuple(langs), tuple(doc_name for _, doc_name in docs))

    def _set_documents(self, db: sqlite3.Connection, set_id: int) -> list[Document]:
        self._set_name(db, set_id)
        return [self._document(db, doc_id) for (doc_id,) in db.execute(
            "SELECT doc_id FROM set_documents WHERE set_id = ? ORDER BY slot", (set_id,))]

    def version_documents(self, set_id: int) -> list[Document]:
        """The set's documents, one per version, in the order of the rows' cells."""
        with self._tx() as db:
            return self._set_documents(db, set_id)

    def rows(self, set_id: int) -> list[SetRow]:
        """The set's rows in order, each with its cells, score, status, note and version."""
        with self._tx() as db:
            self._set_name(db, set_id)
            return self._read(db, SETS, set_id)

    def rows_at(self, set_id: int) -> tuple[int, list[SetRow]]:
        """The set's revision and its rows at that revision, read in one transaction."""
        with self._tx() as db:
            self._set_name(db, set_id)
            return self._revision_of(db, SETS, set_id), self._read(db, SETS, set_id)

    def set_patches(self, set_id: int, since: int, until: int) -> list | None:
        """What took the set's rows from revision ``since`` to ``until``, as ``Project.patches`` for a pair."""
        return self._patches_since(SETS, set_id, since, until)

    def set_document_versions(self, set_id: int) -> list[tuple[int, int]]:
        """``(document id, version)`` of each version of the set, in order (as ``document_versions`` for a pair)."""
        with self._tx() as db:
            self._set_name(db, set_id)
            return [tuple(r) for r in db.execute(
                "SELECT d.id, d.version FROM set_documents s JOIN documents d ON d.id = s.doc_id "
                "WHERE s.set_id = ? ORDER BY s.slot", (set_id,))]

    def set_revision(self, set_id: int) -> int:
        with self._tx() as db:
            return self._revision_of(db, SETS, set_id)

    def version_set_status(self, set_id: int) -> PairStatus:
        """How many rows are automatic, confirmed and rejected (a ``PairStatus``; ``beads`` counts rows)."""
        return self._status_of(SETS, set_id)

    def pair_view(self, set_id: int, a: int, b: int, confirmed_only: bool = False,
                  min_score: float | None = None) -> Alignment:
        """Versions ``a`` and ``b`` of the set as a pair, derived from the rows: one bead per row with text
        in either (see ``pair_view_rows`` for the row behind each bead).

        Any two versions, not only the first against another: ja↔ru as well as en↔ja.
        """
        with self._tx() as db:
            docs = self._set_documents(db, set_id)
            rows = self._view_rows(db, set_id, a, b, len(docs))
            model = self._set_model(db, set_id)
        beads = [row.bead(a, b) for row in rows if _kept(row, confirmed_only, min_score)]
        return Alignment(docs[a], docs[b], beads, model)

    def pair_view_rows(self, set_id: int, a: int, b: int) -> list[SetRow]:
        """The row behind each bead of ``pair_view(set_id, a, b)``, in the same order.

        A correction made in that view is made on these rows (pass ``seen_from=(a, b)``
        to ``merge_row``/``move_sentence`` so that "next" means the next bead of the view).
        """
        with self._tx() as db:
            return self._view_rows(db, set_id, a, b, len(self._set_documents(db, set_id)))

    def _view_rows(self, db: sqlite3.Connection, set_id: int, a: int, b: int, versions: int) -> list[SetRow]:
        for v in (a, b):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < versions:
                raise ProjectError(f"version set {set_id} has versions 0 to {versions - 1}, not {v!r}")
        if a == b:
            raise ProjectError("a pair view needs two different versions")
        return seen_rows(self._read(db, SETS, set_id), a, b)

    def _set_model(self, db: sqlite3.Connection, set_id: int) -> str:
        return db.execute("SELECT model FROM version_sets WHERE id = ?", (set_id,)).fetchone()[0]

    def multi_alignment(self, set_id: int, confirmed_only: bool = False,
                        min_score: float | None = None) -> MultiAlignment:
        """The set as ``align multi`` would hold it (for export and tables): documents and rows.

        Optionally the confirmed rows only, and only those whose probability is
        at least ``min_score`` (a person's decision counts, as for beads).
        """
        from align.pairing.multi import MultiAlignment, Row  # heavy (numba); only when needed

        with self._tx() as db:
            docs = self._set_documents(db, set_id)
            rows = self._read(db, SETS, set_id)
            model = self._set_model(db, set_id)
        return MultiAlignment(docs, [Row(row.cells, row.score, bool(row.conflict), row.conflict, row.status, row.note,
                                         row.position + 1)
                                     for row in rows if _kept(row, confirmed_only, min_score)], model=model)

    # -- managing ---------------------------------------------------------------------------

    # -- corrections: each one transaction on one row, refused if the row changed since ``version`` --

    def merge_row(self, set_id: int, row_id: int, direction: str = "next", version: int | None = None,
                  seen_from: Sequence[int] | None = None) -> list[SetRow]:
        """Merge the row with the next (or ``prev``) row, in every version at once.

        ``seen_from=(a, b)``: the merge as seen in ``pair_view(set_id, a, b)``: the
        neighbour is the next row with text in ``a`` or ``b``, and the rows between
        (empty there) join too.
        """
        return self._edit_in(SETS, set_id, row_id, version, "merge_row", bead_edits.merge, direction=direction,
                             **_seen(seen_from))

    def split_row(self, set_id: int, row_id: int, cuts: Sequence[int], version: int | None = None) -> list[SetRow]:
        """Split the row in two: the first ``cuts[v]`` sentences of each version ``v``, then the rest."""
        return self._edit_in(SETS, set_id, row_id, version, "split_row", bead_edits.split_at,
                             cuts=[int(at) for at in cuts])

    def move_sentence(self, set_id: int, row_id: int, which: int, to: str = "next", version: int | None = None,
                      seen_from: Sequence[int] | None = None) -> list[SetRow]:
        """Move version ``which``'s edge sentence of the row (its last for ``next``, first for ``prev``) into the
        neighbouring row; a row left empty disappears. ``seen_from`` as for ``merge_row``."""
        return self._edit_in(SETS, set_id, row_id, version, "move_sentence", bead_edits.move, side=which, to=to,
                             **_seen(seen_from))

    def detach_sentence(self, set_id: int, row_id: int, which: int, edge: str = "last",
                        version: int | None = None) -> list[SetRow]:
        """Give version ``which``'s ``first`` or ``last`` sentence of the row a row of its own, empty elsewhere."""
        return self._edit_in(SETS, set_id, row_id, version, "detach_sentence", bead_edits.detach, side=which,
                             which=edge)

    def decide_row(self, set_id: int, row_id: int, status: str, note: str | None = None,
                   version: int | None = None) -> list[SetRow]:
        """A review decision on the row (``confirmed``, ``rejected`` or back to ``automatic``), with its note
        (None keeps the note), as one undoable edit."""
        if note is None:
            return self._edit_in(SETS, set_id, row_id, version, "decide_row", bead_edits.set_status, status=status)
        return self._edit_in(SETS, set_id, row_id, version, "decide_row", bead_edits.decide, status=status,
                             note=note)

    def edit_version_text(self, set_id: int, which: int, index: int, text: str,
                          version: int | None = None) -> list[SetRow]:
        """Correct the text of sentence ``index`` of version ``which``; a line break splits it into several
        sentences (the row holding it becomes automatic again). ``version`` is that of the row holding it."""
        return self._edit_text_in(SETS, set_id, which, index, text, version)

    def add_version_sentence(self, set_id: int, row_id: int, which: int, text: str,
                             version: int | None = None) -> list[SetRow]:
        """Type the missing sentence of version ``which`` into the row, where that version has none (an
        omission's translation)."""
        return self._add_sentence_in(SETS, set_id, row_id, which, text, version)

    def set_row_note(self, set_id: int, row_id: int, note: str, version: int | None = None) -> list[SetRow]:
        return self._edit_in(SETS, set_id, row_id, version, "set_row_note", bead_edits.set_note, note=note)

    def decide_rows(self, set_id: int, numbers: Sequence[int], status: str, note: str | None = None,
                    revision: int | None = None) -> list[SetRow]:
        """A decision on rows by their numbers as listed (1-based), all in one transaction or none.

        The numbers are read against the rows as they are inside the transaction;
        ``revision`` (the set's, as the reviewer saw it) refuses the decision if
        anything changed since. ``note`` None keeps each row's note.
        """
        if status not in STATUSES:
            raise EditError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        return self._decide_in(SETS, set_id, "decide_rows", numbers, status, note, revision)


def seen_rows(rows: Sequence[SetRow], a: int, b: int) -> list[SetRow]:
    """The rows a pair view of versions ``a`` and ``b`` shows: those with text in either."""
    return [row for row in rows if row.cells[a] or row.cells[b]]


def _seen(seen_from: Sequence[int] | None) -> dict:
    """The ``seen`` argument of a correction, left out (and out of the history) when not given."""
    return {} if seen_from is None else {"seen": [int(v) for v in seen_from]}


def _kept(row: SetRow, confirmed_only: bool, min_score: float | None) -> bool:
    return (not confirmed_only or row.status == "confirmed") and (
        min_score is None or reviewed(row.score, row.status) >= min_score)
