"""What the parts of the project store need from each other, said explicitly.

``Project`` is assembled from five parts: the store itself (documents,
beads, transactions), the corrections (``edit_commands.Corrections``), the
edit history (``history.History``), the management of whole pairs
(``manage.PairManagement``) and the version sets (``version_sets.VersionSets``).
The last four run inside the store's transactions; ``StoreCore`` is the small
interface they may use, so each part can be read, and type-checked, without
reading the others.

A pair's beads and a version set's rows are kept the same way: an ordered
list under an owner whose revision every write raises, each row remembering
the revision that wrote it, and a table of edits that undo and redo put back.
A ``Track`` says where one of them lives; the store's writing and the history
are written once, on a track.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from align.project.bead_edits import BeadRow, Change, SetRow
from align.project.file import ConflictError
from align.types import Document


@dataclass(frozen=True)
class PairStatus:
    """How many beads of a pair (or rows of a version set) are in each review status."""

    beads: int
    automatic: int
    confirmed: int
    rejected: int

    @property
    def share_confirmed(self) -> float:
        return self.confirmed / self.beads if self.beads else 0.0


class PairRow(NamedTuple):
    """A pair as stored: its two documents, the model that aligned it, and its revision (raised by every write)."""

    src_doc: int
    tgt_doc: int
    model: str
    revision: int


@dataclass(frozen=True)
class Track:
    """Where an ordered, versioned list of rows lives, and how one row is written and read back.

    A row is stored with how many sentences each of its cells holds, not which: every sentence lies in one
    row, in order, so a cell's sentences follow from the counts of the rows before it (``starts``).
    """

    what: str  # the owner, in messages: "pair", "version set"
    noun: str  # one of its rows, in messages and edit arguments: "bead", "row"
    owner: str  # the table holding the owner and its revision
    table: str  # the rows
    key: str  # the column of the rows and the edits naming the owner
    edits: str  # the history
    items: str  # what an edit record calls the rows it holds
    columns: tuple[str, ...]  # a row's own columns, after id, position and version
    values: Callable[[Any], tuple]  # a row's values for ``columns``
    row: Callable[..., Any]  # (starts, id, position, version, *values) -> a row, its cells from ``starts`` on
    # (each cell's first sentence; None: all from 0)
    to_json: Callable[[Any], dict]  # a row as an edit record keeps it
    from_json: Callable[[dict], Any]
    size: Callable[[int], str]  # SQL: how many sentences of cell ``v`` a row holds
    starts: Callable[[sqlite3.Connection, int, int], list[int]]  # (db, owner, position): each cell's first sentence


def _bead_values(row: BeadRow) -> tuple:
    return (len(row.src), len(row.tgt), float(row.score), row.status, row.note,
            None if row.similarity is None else float(row.similarity))


def _bead_row(starts, id_, position, version, n_src, n_tgt, score, status, note, similarity) -> BeadRow:
    src, tgt = starts or (0, 0)
    return BeadRow(id_, position, tuple(range(src, src + n_src)), tuple(range(tgt, tgt + n_tgt)), score, status,
                   note, version, similarity)


def _bead_size(v: int) -> str:
    return ("n_src", "n_tgt")[v]


def _bead_starts(db: sqlite3.Connection, pair_id: int, position: int) -> list[int]:
    return [int(n) for n in db.execute("SELECT total(n_src), total(n_tgt) FROM beads WHERE pair_id = ? "
                                       "AND position < ?", (pair_id, position)).fetchone()]


def _bead_json(row: BeadRow) -> dict:
    return {"id": row.id, "src": list(row.src), "tgt": list(row.tgt), "score": row.score,
            "status": row.status, "note": row.note, "similarity": row.similarity}


def _bead_from_json(d: dict) -> BeadRow:
    # "similarity" is missing from edits recorded before schema 2: not known.
    return BeadRow(d["id"], 0, tuple(d["src"]), tuple(d["tgt"]), d["score"], d["status"], d["note"],
                   similarity=d.get("similarity"))


def _set_values(row: SetRow) -> tuple:
    return (json.dumps([len(cell) for cell in row.cells]), float(row.score), row.status, row.note, row.conflict)


def _set_row(starts, id_, position, version, sizes, score, status, note, conflict) -> SetRow:
    sizes = json.loads(sizes)
    cells = tuple(tuple(range(start, start + n)) for start, n in zip(starts or [0] * len(sizes), sizes))
    return SetRow(id_, position, cells, score, status, note, version, conflict)


def _set_size(v: int) -> str:
    return f"json_extract(sizes, '$[{int(v)}]')"


def _set_starts(db: sqlite3.Connection, set_id: int, position: int) -> list[int]:
    versions = db.execute("SELECT count(*) FROM set_documents WHERE set_id = ?", (set_id,)).fetchone()[0]
    sums = dict(db.execute("SELECT j.key, total(j.value) FROM set_rows r, json_each(r.sizes) j "
                           "WHERE r.set_id = ? AND r.position < ? GROUP BY j.key", (set_id, position)))
    return [int(sums.get(v, 0)) for v in range(versions)]


def _set_json(row: SetRow) -> dict:
    return {"id": row.id, "cells": [list(cell) for cell in row.cells], "score": row.score, "status": row.status,
            "note": row.note, "conflict": row.conflict}


def _set_from_json(d: dict) -> SetRow:
    return SetRow(d["id"], 0, tuple(tuple(cell) for cell in d["cells"]), d["score"], d["status"], d["note"],
                  conflict=d["conflict"])


PAIRS = Track(what="pair", noun="bead", owner="pairs", table="beads", key="pair_id", edits="edits",
              items="beads", columns=("n_src", "n_tgt", "score", "status", "note", "similarity"),
              values=_bead_values, row=_bead_row, to_json=_bead_json, from_json=_bead_from_json,
              size=_bead_size, starts=_bead_starts)
SETS = Track(what="version set", noun="row", owner="version_sets", table="set_rows", key="set_id",
             edits="set_edits", items="rows", columns=("sizes", "score", "status", "note", "conflict"),
             values=_set_values, row=_set_row, to_json=_set_json, from_json=_set_from_json,
             size=_set_size, starts=_set_starts)


def stale(row: BeadRow | SetRow) -> ConflictError:
    """The refusal of an edit made from an old read, naming the bead or row as the user sees it."""
    sentences = " · ".join(_numbers(cell) for cell in row.cells)
    return ConflictError(f"{row.noun} {row.position + 1} (sentences {sentences}) was changed elsewhere "
                         "since you read it; reload")


def _numbers(cell) -> str:
    """A cell's sentences as the user counts them: ``3``, ``3-4``, or ``-`` for none."""
    if not cell:
        return "-"
    return f"{cell[0] + 1}" if len(cell) == 1 else f"{cell[0] + 1}-{cell[-1] + 1}"


class StoreCore(Protocol):
    """The store operations that corrections, history and version sets build on; ``store.Project`` provides them."""

    name: str

    def _tx(self, write: bool = False) -> AbstractContextManager[sqlite3.Connection]: ...

    def _insert_document(self, db: sqlite3.Connection, doc: Document) -> int: ...

    def _document(self, db: sqlite3.Connection, doc_id: int) -> Document: ...

    # -- any track: a pair's beads or a version set's rows ---------------------------------

    def _revision_of(self, db: sqlite3.Connection, track: Track, owner: int) -> int: ...

    def _read(self, db: sqlite3.Connection, track: Track, owner: int) -> list: ...

    def _read_lazily(self, db: sqlite3.Connection, track: Track, owner: int) -> Any: ...

    def _bump_in(self, db: sqlite3.Connection, track: Track, owner: int) -> int: ...

    def _replace_in(self, db: sqlite3.Connection, track: Track, owner: int, start: int, stop: int,
                    new: Sequence, revision: int) -> list: ...

    def _record_in(self, db: sqlite3.Connection, track: Track, owner: int, op: str, args: dict, rows: Sequence,
                   change: Change, segments: tuple[dict, dict] | None = None) -> list: ...

    def _edit_in(self, track: Track, owner: int, row_id: int, version: int | None, op: str, make,
                 **args) -> list: ...

    def _decide_in(self, track: Track, owner: int, op: str, numbers: Sequence[int], status: str, note: str | None,
                   revision: int | None) -> list: ...

    def _status_of(self, track: Track, owner: int) -> PairStatus: ...

    def _patches_since(self, track: Track, owner: int, since: int, until: int) -> list | None: ...

    def _edit_text_in(self, track: Track, owner: int, side: str | int, index: int, text: str,
                      version: int | None) -> list: ...

    def _add_sentence_in(self, track: Track, owner: int, row_id: int, side: str | int, text: str,
                         version: int | None) -> list: ...

    # -- pairs: the same on the pairs' track, and the segments of their documents ----------

    def _pair(self, db: sqlite3.Connection, pair_id: int) -> PairRow: ...

    def _beads(self, db: sqlite3.Connection, pair_id: int) -> list[BeadRow]: ...

    def _bump(self, db: sqlite3.Connection, pair_id: int) -> int: ...

    def _segment_run(self, db: sqlite3.Connection, doc_id: int, start: int, count: int) -> dict: ...

    def _swap_segments(self, db: sqlite3.Connection, gone: dict, back: dict) -> None: ...

    def _record(self, db: sqlite3.Connection, pair_id: int, op: str, args: dict, rows: Sequence[BeadRow],
                change: Change, segments: tuple[dict, dict] | None = None) -> list[BeadRow]: ...

    def _edit(self, pair_id: int, bead_id: int, version: int | None, op: str, make, **args) -> list[BeadRow]: ...
