"""Corrections a reviewer makes to a bead list or to the rows of a version set, as pure functions.

Every correction looks at the rows around one position and returns a
``Change``: replace the rows ``start:stop`` by ``new``; the rows after it
follow (``apply``: they move by as many rows and sentences as the change
added or removed), so a change never lists them. The project store applies
it in one transaction and keeps it for undo; nothing here touches the
database, so each correction is tested on plain lists.

A bead (``BeadRow``) is a row of two cells, source and target; a row of a
version set (``SetRow``) has one cell per version. Merging, splitting and
moving a sentence are written once, on ``cells``, so a correction means the
same thing in a pair and in a set; a side is ``"src"``/``"tgt"`` for a bead
and a version's index for a set row.

A bead that is still recognisably itself (the first half of a split, the
bead a sentence left) keeps its id, so a view can keep its selection;
beads that are new have ``id=None``. A bead whose sentences change (merged,
split, a sentence moved in or out, its text corrected) no longer has a known
``similarity``: it becomes None until the pair is aligned again.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar, Sequence, TypeVar

from align.errors import AlignError
from align.types import Bead

STATUSES = ("automatic", "confirmed", "rejected")
SIDES = ("src", "tgt")


class EditError(AlignError):
    """A correction that makes no sense where it was asked (e.g. merging the last bead)."""


@dataclass(frozen=True)
class BeadRow:
    """A bead as the project stores it, with its review state.

    ``version`` is the project revision at which the bead was last written;
    an edit made from a stale view carries an older number and is refused.
    ``score`` is the probability that the bead is exactly right; ``similarity``
    the centred cosine of its two sides, None where it is not known.
    """

    noun: ClassVar[str] = "bead"

    id: int | None
    position: int
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0
    status: str = "automatic"
    note: str = ""
    version: int = 0
    similarity: float | None = None

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def cells(self) -> tuple[tuple[int, ...], ...]:
        return (self.src, self.tgt)

    def resentenced(self, cells: Sequence[Sequence[int]]) -> "BeadRow":
        """The same bead holding other sentences: automatic again, its similarity no longer known."""
        return replace(self, src=tuple(cells[0]), tgt=tuple(cells[1]), status="automatic", similarity=None)

    def fresh(self, position: int, cells: Sequence[Sequence[int]], score: float) -> "BeadRow":
        """A new bead (no id yet) holding ``cells``."""
        return BeadRow(None, position, tuple(cells[0]), tuple(cells[1]), score)

    def bead(self) -> Bead:
        return Bead(self.src, self.tgt, self.score, self.similarity, self.status, self.note, self.position + 1)

    def side(self, side: str) -> tuple[int, ...]:
        return self.src if side == "src" else self.tgt

    def with_side(self, side: str, ids: Sequence[int]) -> "BeadRow":
        return replace(self, **{side: tuple(ids)})

    def with_cell(self, v: int, ids: Sequence[int]) -> "BeadRow":
        """The same bead with cell ``v`` (0 source, 1 target) holding ``ids``: renumbered, not re-sentenced."""
        return self.with_side(SIDES[v], ids)

    def retexted(self) -> "BeadRow":
        """The bead after a sentence's text was corrected: the similarity of the old text no longer holds."""
        return replace(self, similarity=None)

    @staticmethod
    def _cell_fields(cells: tuple[tuple[int, ...], ...]) -> dict:
        return {"src": cells[0], "tgt": cells[1]}


@dataclass(frozen=True)
class SetRow:
    """A row of a version set as the project stores it: the sentences of every version that translate
    each other, with its review state.

    ``cells[v]`` holds version ``v``'s 0-based sentence indices, empty where that
    version has nothing here. ``score`` is the aligner's confidence in the row;
    ``conflict`` says how the pairwise alignments disagreed with it ("" when they
    agreed, and once a person changed its sentences). ``version`` is the set's
    revision that last wrote the row, as for beads.
    """

    noun: ClassVar[str] = "row"

    id: int | None
    position: int
    cells: tuple[tuple[int, ...], ...]
    score: float = 0.0
    status: str = "automatic"
    note: str = ""
    version: int = 0
    conflict: str = ""

    @property
    def kind(self) -> str:
        return "-".join(str(len(cell)) for cell in self.cells)

    def versions(self) -> list[int]:
        """The versions with text in this row."""
        return [v for v, cell in enumerate(self.cells) if cell]

    def bead(self, a: int, b: int) -> Bead:
        """The row seen from versions ``a`` and ``b`` alone."""
        return Bead(self.cells[a], self.cells[b], self.score)

    def resentenced(self, cells: Sequence[Sequence[int]]) -> "SetRow":
        """The same row holding other sentences: automatic again, the aligner's remark no longer holds."""
        return replace(self, cells=tuple(tuple(cell) for cell in cells), status="automatic", conflict="")

    def fresh(self, position: int, cells: Sequence[Sequence[int]], score: float) -> "SetRow":
        """A new row (no id yet) holding ``cells``."""
        return SetRow(None, position, tuple(tuple(cell) for cell in cells), score)

    def with_cell(self, v: int, ids: Sequence[int]) -> "SetRow":
        """The same row with version ``v``'s cell holding ``ids``: renumbered, not re-sentenced."""
        return replace(self, cells=_with_cell(self.cells, v, ids))

    def retexted(self) -> "SetRow":
        """The row after a sentence's text was corrected: nothing it keeps depends on the text."""
        return self

    @staticmethod
    def _cell_fields(cells: tuple[tuple[int, ...], ...]) -> dict:
        return {"cells": cells}


Row = TypeVar("Row", BeadRow, SetRow)


@dataclass(frozen=True)
class Change:
    """Replace ``rows[start:stop]`` by ``new``; the rows after it follow (``apply``)."""

    start: int
    stop: int
    new: tuple


def by_hand(row: Row) -> Row:
    """A bead (or row) a person made by merging, splitting or moving sentences: it is their decision, so it
    is confirmed, as a link changed by hand is in InterText (an empty counterpart is not: see ``detach``). Left
    automatic, it carried a probability the aligner never gave it, and re-alignment replaced the correction
    wherever that number was under ``HIGH``."""
    return replace(row, status="confirmed")


def apply(rows: Sequence[Row], change: Change) -> list[Row]:
    """The rows after ``change``: ``rows[start:stop]`` replaced by ``new``, and every later row moved by as many
    rows, and its sentences in each cell by as many sentences, as the change added or removed there.

    Each cell's sentences run through the rows in order, so a change need not list the rows after it that
    only move: splitting a sentence changes one row, not every later one (the store keeps each row's
    count of sentences per cell, not their numbers, for the same reason).
    """
    old = rows[change.start:change.stop]
    sample = change.new[0] if change.new else old[0] if old else None
    later = rows[change.stop:]
    if sample is not None:
        by = len(change.new) - len(old)
        shifts = [sum(len(r.cells[v]) for r in change.new) - sum(len(r.cells[v]) for r in old)
                  for v in range(len(sample.cells))]
        if by or any(shifts):
            later = [_moved(r, by, shifts) for r in later]
    return [*rows[:change.start], *change.new, *later]


def _moved(row: Row, by: int, shifts: Sequence[int]) -> Row:
    """A copy of ``row`` ``by`` positions further, each cell's sentences moved by its shift; made directly:
    every later row moves when one is split or merged, and ``dataclasses.replace`` costs four times as much."""
    fields = dict(row.__dict__)
    fields["position"] += by
    if any(shifts):
        fields.update(row._cell_fields(tuple(tuple(i + d for i in cell) if d else cell
                                             for cell, d in zip(row.cells, shifts))))
    moved = object.__new__(type(row))
    moved.__dict__.update(fields)
    return moved


def _check_side(side: str) -> None:
    if side not in SIDES:
        raise EditError(f"side must be 'src' or 'tgt', not {side!r}")


def _cell(row: BeadRow | SetRow, side: str | int) -> int:
    """Which cell ``side`` names: ``src``/``tgt`` of a bead, a version's index in a set row."""
    if isinstance(row, BeadRow):
        _check_side(side)  # type: ignore[arg-type]
        return SIDES.index(side)  # type: ignore[arg-type]
    if isinstance(side, bool) or not isinstance(side, int) or not 0 <= side < len(row.cells):
        raise EditError(f"version must be a number from 0 to {len(row.cells) - 1}, not {side!r}")
    return side


def _name(row: BeadRow | SetRow, side: str | int) -> str:
    return str(side) if isinstance(row, BeadRow) else f"version {side}"


def _with_cell(cells: Sequence[Sequence[int]], v: int, ids: Sequence[int]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(ids) if k == v else tuple(cell) for k, cell in enumerate(cells))


def _neighbour(rows: Sequence[Row], i: int, direction: str, seen: Sequence[int] | None = None) -> int:
    """The row next to row ``i``; with ``seen``, the nearest one with text in one of those versions.

    ``seen`` is how a pair view of a set looks at its rows: rows empty in both
    versions are not shown there, so "the next row" is the next one shown.
    """
    if direction not in ("next", "prev"):
        raise EditError(f"direction must be 'next' or 'prev', not {direction!r}")
    if seen is not None and not all(isinstance(v, int) and 0 <= v < len(rows[i].cells) for v in seen):
        raise EditError(f"the versions looked at must be numbers from 0 to {len(rows[i].cells) - 1}, not {seen!r}")
    step = 1 if direction == "next" else -1
    j = i + step
    while seen and 0 <= j < len(rows) and not any(rows[j].cells[v] for v in seen):
        j += step
    if not 0 <= j < len(rows):
        noun = rows[i].noun
        raise EditError(f"{noun} {i + 1} has no {'next' if direction == 'next' else 'previous'} {noun}"
                        + (" with text in those versions" if seen else ""))
    return j


def merge(rows: Sequence[Row], i: int, direction: str = "next", seen: Sequence[int] | None = None) -> Change:
    """One row from row ``i`` and its neighbour; the score is the lower of the two, the similarity unknown.

    With ``seen`` (a set seen from some versions), the neighbour is the nearest
    row with text in them, and the rows between (empty there) join too.
    """
    j = _neighbour(rows, i, direction, seen)
    first, second = sorted((i, j))
    group = rows[first:second + 1]
    cells = [[k for r in group for k in r.cells[v]] for v in range(len(group[0].cells))]
    merged = replace(group[0].resentenced(cells), position=first, score=min(r.score for r in group),
                     note="\n".join(r.note for r in group if r.note))
    return Change(first, second + 1, (by_hand(merged),))


def split(rows: Sequence[BeadRow], i: int, src_at: int, tgt_at: int) -> Change:
    """Bead ``i`` as two: its first ``src_at``/``tgt_at`` sentences, then the rest."""
    row = rows[i]
    if not (0 <= src_at <= len(row.src) and 0 <= tgt_at <= len(row.tgt)):
        raise EditError(f"cannot split a {row.kind} bead after {src_at} source and {tgt_at} target sentences")
    return split_at(rows, i, (src_at, tgt_at))


def split_at(rows: Sequence[Row], i: int, cuts: Sequence[int]) -> Change:
    """Row ``i`` as two: the first ``cuts[v]`` sentences of each version ``v``, then the rest."""
    row = rows[i]
    if len(cuts) != len(row.cells) or not all(0 <= at <= len(cell) for at, cell in zip(cuts, row.cells)):
        raise EditError(f"cannot split a {row.kind} {row.noun} after {', '.join(map(str, cuts))} sentences")
    head = row.resentenced([cell[:at] for cell, at in zip(row.cells, cuts)])
    tail = row.fresh(i + 1, [cell[at:] for cell, at in zip(row.cells, cuts)], row.score)
    if not any(head.cells) or not any(tail.cells):
        raise EditError("a split must leave a sentence on each side of the cut")
    return Change(i, i + 1, (by_hand(head), by_hand(tail)))


def move(rows: Sequence[Row], i: int, side: str | int, to: str = "next", seen: Sequence[int] | None = None) -> Change:
    """Move the edge sentence of row ``i`` on ``side`` (last for next, first for prev) to its neighbour.

    A row left with no sentence at all disappears. With ``seen`` (see ``merge``),
    which must include ``side``, the neighbour is the nearest row with text there.
    """
    v = _cell(rows[i], side)
    if seen and v not in seen:
        raise EditError(f"version {v} is not one of the versions looked at ({', '.join(map(str, seen))})")
    j = _neighbour(rows, i, to, seen)
    here, there = rows[i], rows[j]
    ids = here.cells[v]
    if not ids:
        raise EditError(f"{here.noun} {i + 1} has no {_name(here, side)} sentence to move")
    if to == "next":
        rest, target = ids[:-1], (ids[-1],) + there.cells[v]
    else:
        rest, target = ids[1:], there.cells[v] + (ids[0],)
    first, last = sorted((i, j))
    new = list(rows[first:last + 1])
    new[i - first] = by_hand(here.resentenced(_with_cell(here.cells, v, rest)))
    new[j - first] = by_hand(there.resentenced(_with_cell(there.cells, v, target)))
    return Change(first, last + 1, tuple(r for r in new if any(r.cells)))


def pull(rows: Sequence[BeadRow], i: int, side: str, from_: str = "next") -> Change:
    """Take the nearest sentence of the neighbouring bead into bead ``i`` (the reverse of ``move``)."""
    j = _neighbour(rows, i, from_)
    return move(rows, j, side, "prev" if from_ == "next" else "next")


def detach(rows: Sequence[Row], i: int, side: str | int, which: str = "last") -> Change:
    """Take one edge sentence of row ``i`` into a row of its own, empty in every other cell (1-0 / 0-1)."""
    if which not in ("first", "last"):
        raise EditError(f"which must be 'first' or 'last', not {which!r}")
    row = rows[i]
    v = _cell(row, side)
    ids = row.cells[v]
    if not ids:
        raise EditError(f"{row.noun} {i + 1} has no {_name(row, side)} sentence")
    if len(ids) == 1 and not any(cell for k, cell in enumerate(row.cells) if k != v):
        raise EditError(f"{row.noun} {i + 1} already has an empty counterpart")
    edge, rest = (ids[-1], ids[:-1]) if which == "last" else (ids[0], ids[1:])
    # Left automatic, unlike a merge or a move: an empty counterpart marks an omission the review then asks about
    # (a translation to type, a decision), and one stray E must not make a confirmed omission nothing asks
    # about again. The lone sentence's probability is 0 until someone decides.
    alone = row.fresh(i, _with_cell([()] * len(row.cells), v, (edge,)), 0.0)
    kept = row.resentenced(_with_cell(row.cells, v, rest))
    new = (kept, alone) if which == "last" else (alone, kept)
    return Change(i, i + 1, tuple(r for r in new if any(r.cells)))


def fill_side(rows: Sequence[Row], i: int, side: str | int) -> tuple[Change, int]:
    """Row ``i``'s empty ``side`` (a version of a set row) gets a new segment (a translation typed for an
    omission).

    Returns the change and the new segment's index: it stands where row ``i``
    is in document order, so every later segment id on that side moves by one
    (``apply``).
    """
    v = _cell(rows[i], side)
    if rows[i].cells[v]:
        raise EditError(f"{rows[i].noun} {i + 1} already has text on that side; edit its sentences instead")
    before = next((rows[k].cells[v] for k in range(i - 1, -1, -1) if rows[k].cells[v]), ())
    index = before[-1] + 1 if before else 0
    return Change(i, i + 1, (rows[i].with_cell(v, (index,)).retexted(),)), index


def resegment(rows: Sequence[Row], side: str | int, index: int, removed: int, added: int,
              at: int | None = None) -> Change:
    """Rows after segments ``index..index+removed-1`` on ``side`` (a version of a set row) became ``added``
    new segments; ``at`` is the row holding segment ``index`` when the caller knows it.

    Splitting a sentence is ``removed=1, added=2``; joining two is ``removed=2,
    added=1``. The rows holding the old segments become one row holding the
    new ones (joining across rows merges them); every later segment id on
    that side moves by ``added - removed`` (``apply``).
    """
    if removed < 1 or added < 1:
        raise EditError("re-segmenting must replace at least one segment by at least one")
    v = _cell(rows[0], side) if rows else 0
    noun = rows[0].noun if rows else "bead"
    if at is None:
        at = next((k for k, r in enumerate(rows) if index in r.cells[v]), None)
    if at is None or index not in rows[at].cells[v]:
        raise EditError(f"{side} segment {index} is in no {noun}")
    last_old, last = index + removed - 1, at
    while rows[last].cells[v][-1:] < (last_old,) and last + 1 < len(rows):
        last += 1
    if last_old not in rows[last].cells[v]:  # joining the last segment with one after it: a phantom sentence
        raise EditError(f"{side} segment {max(i for r in rows[at:last + 1] for i in r.cells[v]) + 1} is in no {noun}")
    group = rows[at:last + 1]
    delta = added - removed
    kept = [i for r in group for i in r.cells[v] if not index <= i <= last_old]
    ids = sorted([i for i in kept if i < index] + list(range(index, index + added))
                 + [i + delta for i in kept if i > last_old])
    cells = [ids if k == v else [i for r in group for i in r.cells[k]] for k in range(len(group[0].cells))]
    merged = replace(group[0].resentenced(cells), position=at, score=min(r.score for r in group),
                     note="\n".join(r.note for r in group if r.note))
    return Change(at, last + 1, (merged,))


def set_status(rows: Sequence[Row], i: int, status: str) -> Change:
    if status not in STATUSES:
        raise EditError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return Change(i, i + 1, (replace(rows[i], status=status),))


def set_status_of(rows: Sequence[Row], bead_ids: Sequence[int], status: str, note: str | None = None) -> Change:
    """Give every bead in ``bead_ids`` the ``status`` (and ``note``, unless None) at once: one undo step.

    A note of None leaves each bead's own note as it is now, so a bulk
    decision never writes back a note read before someone else changed it.
    """
    if status not in STATUSES:
        raise EditError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    wanted = set(bead_ids)

    def decided(r: BeadRow) -> BeadRow:
        return replace(r, status=status, note=r.note if note is None else note)

    at = [k for k, r in enumerate(rows) if r.id in wanted and decided(r) != r]
    if not at:
        return Change(0, 0, ())
    return Change(at[0], at[-1] + 1, tuple(decided(r) if r.id in wanted else r for r in rows[at[0]:at[-1] + 1]))


def confirm_up_to(rows: Sequence[Row], i: int) -> Change:
    """Confirm every automatic bead from the first one to bead ``i``; rejected ones stay rejected."""
    pending = [k for k in range(i + 1) if rows[k].status == "automatic"]
    if not pending:
        return Change(i, i, ())
    start = pending[0]
    return Change(start, i + 1, tuple(replace(r, status="confirmed") if r.status == "automatic" else r
                                      for r in rows[start:i + 1]))


def set_note(rows: Sequence[Row], i: int, note: str) -> Change:
    return Change(i, i + 1, (replace(rows[i], note=note),))


def decide(rows: Sequence[Row], i: int, status: str, note: str) -> Change:
    """A reviewer's decision on bead ``i``: its status and the note saying why, as one edit."""
    if status not in STATUSES:
        raise EditError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return Change(i, i + 1, (replace(rows[i], status=status, note=note),))


def diff(old: Sequence[BeadRow], new: Sequence[BeadRow]) -> Change:
    """The smallest range replacement turning ``old`` into ``new`` (same beads, status and scores at both ends).

    Scores count: a re-alignment that keeps a bead's sentences may still
    change its probability, and the stored one must follow.
    """
    def same(a: BeadRow, b: BeadRow) -> bool:
        return (a.src, a.tgt, a.status, a.score, a.similarity) == (b.src, b.tgt, b.status, b.score, b.similarity)

    start = 0
    while start < min(len(old), len(new)) and same(old[start], new[start]):
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and same(old[end_old - 1], new[end_new - 1]):
        end_old, end_new = end_old - 1, end_new - 1
    return Change(start, end_old, tuple(new[start:end_new]))
