"""The corrections a reviewer makes, as methods of the project store.

Each one runs a pure function of ``align.project.bead_edits`` on the stored beads inside
one transaction of ``store.Project`` and records it for undo; this module
only says which function, with which arguments. Segment edits also rewrite
the sentences themselves: correcting a text, splitting a sentence in two,
joining two sentences. The text corrections are written on a ``core.Track``, so
a version set's sentences are corrected by the same code (``version_sets``).
"""
from __future__ import annotations

from collections.abc import Sequence

from align.lang import joiner
from align.project import bead_edits
from align.project.bead_edits import BeadRow, Change, EditError
from align.project.core import PAIRS, StoreCore, Track, stale
from align.project.file import ConflictError, ProjectError


class Corrections(StoreCore):
    """The corrections of ``store.Project``, built on the store operations of ``StoreCore``."""

    def merge_next(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "merge_next", bead_edits.merge, direction="next")

    def merge_prev(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "merge_prev", bead_edits.merge, direction="prev")

    def split(self, pair_id: int, bead_id: int, src_at: int, tgt_at: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "split", bead_edits.split, src_at=src_at, tgt_at=tgt_at)

    def pop(self, pair_id: int, bead_id: int, side: str, to: str = "next", version: int | None = None) -> list[BeadRow]:
        """Move this bead's edge sentence on ``side`` into the ``to`` neighbour."""
        return self._edit(pair_id, bead_id, version, "pop", bead_edits.move, side=side, to=to)

    def shift(self, pair_id: int, bead_id: int, side: str, from_: str = "next",
              version: int | None = None) -> list[BeadRow]:
        """Pull the nearest sentence on ``side`` of the ``from_`` neighbour into this bead."""
        return self._edit(pair_id, bead_id, version, "shift", bead_edits.pull, side=side, from_=from_)

    def insert_empty(self, pair_id: int, bead_id: int, side: str, which: str = "last",
                     version: int | None = None) -> list[BeadRow]:
        """Give this bead's ``which`` sentence on ``side`` a bead of its own with an empty counterpart."""
        return self._edit(pair_id, bead_id, version, "insert_empty", bead_edits.detach, side=side, which=which)

    def confirm(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "confirm", bead_edits.set_status, status="confirmed")

    def reject(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "reject", bead_edits.set_status, status="rejected")

    def unconfirm(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "unconfirm", bead_edits.set_status, status="automatic")

    def decide(self, pair_id: int, bead_id: int, status: str, note: str,
               version: int | None = None) -> list[BeadRow]:
        """A review decision (``confirmed`` to accept, ``rejected``) with its note, as one undoable edit."""
        return self._edit(pair_id, bead_id, version, "decide", bead_edits.decide, status=status, note=note)

    def decide_numbers(self, pair_id: int, numbers: Sequence[int], status: str, note: str | None = None,
                       revision: int | None = None) -> list[BeadRow]:
        """A decision on beads by their numbers as listed (1-based), all in one transaction or none.

        The numbers are read against the beads as they are inside the
        transaction, so a merge made meanwhile cannot shift a decision onto a
        bead nobody saw; ``note`` None keeps each bead's current note.
        """
        return self._decide_in(PAIRS, pair_id, "decide", numbers, status, note, revision)

    def set_status_of(self, pair_id: int, bead_ids: list[int], status: str = "confirmed",
                      revision: int | None = None) -> list[BeadRow]:
        """Give many beads one status in one undoable edit (bulk-accepting the clean ones, say).

        ``revision`` is the pair's as the reviewer saw it; a change since then is a conflict.
        """
        with self._tx(write=True) as db:
            if revision is not None and self._pair(db, pair_id).revision != revision:
                raise ConflictError("the pair was changed in another tab; reload before a bulk decision")
            rows = self._beads(db, pair_id)
            change = bead_edits.set_status_of(rows, bead_ids, status)
            if change.start == change.stop:
                return []
            return self._record(db, pair_id, "set_status_of", {"status": status, "beads": len(bead_ids)},
                                rows, change)

    def confirm_up_to(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        """Confirm every automatic bead from the top down to this one."""
        return self._edit(pair_id, bead_id, version, "confirm_up_to", bead_edits.confirm_up_to)

    def set_note(self, pair_id: int, bead_id: int, note: str, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "set_note", bead_edits.set_note, note=note)

    def edit_segment_text(self, pair_id: int, side: str, index: int, text: str,
                          version: int | None = None) -> list[BeadRow]:
        """Correct the text of one segment; a line break in ``text`` splits it into several sentences.

        ``version`` is that of the bead holding the segment. A plain correction
        keeps the bead's status; a split makes the bead automatic again.
        """
        return self._edit_text_in(PAIRS, pair_id, side, index, text, version)

    def _edit_text_in(self, track: Track, owner: int, side: str | int, index: int, text: str,
                      version: int | None) -> list:
        """``edit_segment_text`` on a pair's side or a set's version (``side`` its index)."""
        parts = [p.strip() for p in text.split("\n") if p.strip()]
        if not parts:
            raise EditError("a segment cannot be empty; merge or remove it instead")
        with self._tx(write=True) as db:
            doc_id, rows, at = self._locate(db, track, owner, side, index, version)
            before = self._segment_run(db, doc_id, index, 1)
            old_text, start, end, line, lang = before["rows"][0]
            if parts == [old_text]:  # the same text (trailing spaces aside): no edit, no undo step to spend
                return rows
            if len(parts) == 1:  # the row keeps its status; what was measured on the old text no longer holds
                change = Change(at, at + 1, (rows[at].retexted(),))
            else:
                change = bead_edits.resegment(rows, side, index, removed=1, added=len(parts), at=at)
            after = {"doc": doc_id, "start": index, "rows": _split_offsets(parts, old_text, start, end, line, lang)}
            return self._record_in(db, track, owner, "edit_segment_text", {"side": side, "index": index, "text": text},
                                   rows, change, (before, after))

    def add_sentence(self, pair_id: int, bead_id: int, side: str, text: str,
                     version: int | None = None) -> list[BeadRow]:
        """Type the missing sentence into the empty side of a bead (the translation an omission lacks)."""
        return self._add_sentence_in(PAIRS, pair_id, bead_id, side, text, version)

    def _add_sentence_in(self, track: Track, owner: int, row_id: int, side: str | int, text: str,
                         version: int | None) -> list:
        """``add_sentence`` on a pair's bead or a set's row (``side`` a version's index)."""
        text = " ".join(text.split())
        if not text:
            raise EditError("type the missing sentence first")
        with self._tx(write=True) as db:
            doc_id = self._document_of(db, track, owner, side)
            rows, at = self._row_at(db, track, owner, row_id, version)
            change, index = bead_edits.fill_side(rows, at, side)
            previous = self._segment_run(db, doc_id, index - 1, 1)["rows"] if index else []
            _, _, end, line, lang = previous[0] if previous else ("", 0, 0, 1, self._document_lang(db, doc_id))
            before = self._segment_run(db, doc_id, index, 0)
            after = {"doc": doc_id, "start": index, "rows": [[text, end, end, line, lang]]}
            return self._record_in(db, track, owner, "add_sentence",
                                   {track.noun: row_id, "number": at + 1, "side": side, "text": text},
                                   rows, change, (before, after))

    def _document_lang(self, db, doc_id: int) -> str:
        row = db.execute("SELECT lang, count(*) AS n FROM segments WHERE doc_id = ? GROUP BY lang ORDER BY n DESC "
                         "LIMIT 1", (doc_id,)).fetchone()
        return row[0] if row else "und"

    def join_segments(self, pair_id: int, side: str, index: int, version: int | None = None) -> list[BeadRow]:
        """Join segment ``index`` with the next one on ``side``; beads holding them become one."""
        with self._tx(write=True) as db:
            doc_id, rows, at = self._locate(db, PAIRS, pair_id, side, index, version)
            before = self._segment_run(db, doc_id, index, 2)
            if len(before["rows"]) < 2:
                raise EditError(f"{side} segment {index} is the last one; there is nothing to join it with")
            (text_a, start, _, line, lang), (text_b, _, end, _, _) = before["rows"]
            glue = joiner(lang)
            after = {"doc": doc_id, "start": index, "rows": [[text_a + glue + text_b, start, end, line, lang]]}
            change = bead_edits.resegment(rows, side, index, removed=2, added=1, at=at)
            return self._record(db, pair_id, "join_segments", {"side": side, "index": index},
                                rows, change, (before, after))

    def _document_of(self, db, track: Track, owner: int, side: str | int) -> int:
        """The document whose sentences ``side`` holds: a pair's source or target, a set's version ``side``."""
        if track is PAIRS:
            if side not in bead_edits.SIDES:
                raise EditError(f"side must be 'src' or 'tgt', not {side!r}")
            src_doc, tgt_doc, _, _ = self._pair(db, owner)
            return src_doc if side == "src" else tgt_doc
        self._revision_of(db, track, owner)
        found = None if isinstance(side, bool) or not isinstance(side, int) else db.execute(
            "SELECT doc_id FROM set_documents WHERE set_id = ? AND slot = ?", (owner, side)).fetchone()
        if found is None:
            raise EditError(f"{track.what} {owner} has no version {side!r}")
        return found[0]

    def _locate(self, db, track: Track, owner: int, side: str | int, index: int,
                version: int | None) -> tuple[int, Sequence, int]:
        """The segment's document, the rows and the position of the row holding the segment."""
        doc_id = self._document_of(db, track, owner, side)
        if db.execute("SELECT 1 FROM segments WHERE doc_id = ? AND idx = ?", (doc_id, index)).fetchone() is None:
            raise EditError(f"no {side} segment {index}")
        rows = self._read_lazily(db, track, owner)
        at = rows.holding(bead_edits.SIDES.index(side) if track is PAIRS else side, index)
        if at is None:
            raise ProjectError(f"{side} segment {index} is in no {track.noun}; align the pair first")
        if version is not None and rows[at].version != version:
            raise stale(rows[at])
        return doc_id, rows, at


def _split_offsets(parts: list[str], old_text: str, start: int, end: int, line: int, lang: str) -> list[list]:
    """Segment rows for ``parts``; offsets into the document are kept where a part is found in the old text."""
    rows, cursor = [], 0
    for part in parts:
        found = old_text.find(part, cursor)
        if found >= 0:
            cursor = found + len(part)
            rows.append([part, start + found, start + cursor, line, lang])
        else:  # corrected text: it no longer stands in the document, so it spans the old segment
            rows.append([part, start, end, line, lang])
    return rows
