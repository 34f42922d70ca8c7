"""What the parts of the project store need from each other, said explicitly.

``Project`` is assembled from four parts: the store itself (documents,
beads, transactions), the corrections (``edit_commands.Corrections``), the
edit history (``history.History``) and the management of whole pairs
(``manage.PairManagement``). The last three run inside the store's
transactions; ``StoreCore`` is the small interface they may use, so each
part can be read, and type-checked, without reading the others.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import NamedTuple, Protocol

from align.formats.beads import format_bead
from align.project.bead_edits import BeadRow, Change
from align.project.file import ConflictError


class PairRow(NamedTuple):
    """A pair as stored: its two documents, the model that aligned it, and its revision (raised by every write)."""

    src_doc: int
    tgt_doc: int
    model: str
    revision: int


def stale(row: BeadRow) -> ConflictError:
    """The refusal of an edit made from an old read, naming the bead as the user sees it."""
    return ConflictError(f"bead {row.position + 1} ({format_bead(row.bead())}) was changed elsewhere "
                         "since you read it; reload")


class StoreCore(Protocol):
    """The store operations that corrections and history build on; ``store.Project`` provides them."""

    def _tx(self, write: bool = False) -> AbstractContextManager[sqlite3.Connection]: ...

    def _pair(self, db: sqlite3.Connection, pair_id: int) -> PairRow: ...

    def _beads(self, db: sqlite3.Connection, pair_id: int) -> list[BeadRow]: ...

    def _bump(self, db: sqlite3.Connection, pair_id: int) -> int: ...

    def _replace(self, db: sqlite3.Connection, pair_id: int, start: int, stop: int,
                 new: Sequence[BeadRow], revision: int) -> list[BeadRow]: ...

    def _segment_run(self, db: sqlite3.Connection, doc_id: int, start: int, count: int) -> dict: ...

    def _swap_segments(self, db: sqlite3.Connection, gone: dict, back: dict) -> None: ...

    def _record(self, db: sqlite3.Connection, pair_id: int, op: str, args: dict, rows: Sequence[BeadRow],
                change: Change, segments: tuple[dict, dict] | None = None) -> list[BeadRow]: ...

    def _edit(self, pair_id: int, bead_id: int, version: int | None, op: str, make, **args) -> list[BeadRow]: ...
