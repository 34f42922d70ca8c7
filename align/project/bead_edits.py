"""Corrections a reviewer makes to a bead list, as pure functions.

Every correction looks at the beads around one position and returns a
``Change``: replace the beads ``start:stop`` by ``new``. The project store
applies it in one transaction and keeps it for undo; nothing here touches
the database, so each correction is tested on plain lists.

A bead that is still recognisably itself (the first half of a split, the
bead a sentence left) keeps its id, so a view can keep its selection;
beads that are new have ``id=None``. A bead whose sentences change (merged,
split, a sentence moved in or out, its text corrected) no longer has a known
``similarity``: it becomes None until the pair is aligned again.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

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

    def bead(self) -> Bead:
        return Bead(self.src, self.tgt, self.score, self.similarity)

    def side(self, side: str) -> tuple[int, ...]:
        return self.src if side == "src" else self.tgt

    def with_side(self, side: str, ids: Sequence[int]) -> "BeadRow":
        return replace(self, **{side: tuple(ids)})


@dataclass(frozen=True)
class Change:
    """Replace ``rows[start:stop]`` by ``new``."""

    start: int
    stop: int
    new: tuple[BeadRow, ...]


def _check_side(side: str) -> None:
    if side not in SIDES:
        raise EditError(f"side must be 'src' or 'tgt', not {side!r}")


def _neighbour(rows: Sequence[BeadRow], i: int, direction: str) -> int:
    if direction not in ("next", "prev"):
        raise EditError(f"direction must be 'next' or 'prev', not {direction!r}")
    j = i + 1 if direction == "next" else i - 1
    if not 0 <= j < len(rows):
        raise EditError(f"bead {i} has no {'next' if direction == 'next' else 'previous'} bead")
    return j


def merge(rows: Sequence[BeadRow], i: int, direction: str = "next") -> Change:
    """One bead from bead ``i`` and its neighbour; the score is the lower of the two, the similarity unknown."""
    j = _neighbour(rows, i, direction)
    first, second = sorted((i, j))
    a, b = rows[first], rows[second]
    note = "\n".join(n for n in (a.note, b.note) if n)
    merged = BeadRow(a.id, first, a.src + b.src, a.tgt + b.tgt, min(a.score, b.score), "automatic", note)
    return Change(first, second + 1, (merged,))


def split(rows: Sequence[BeadRow], i: int, src_at: int, tgt_at: int) -> Change:
    """Bead ``i`` as two: its first ``src_at``/``tgt_at`` sentences, then the rest."""
    row = rows[i]
    if not (0 <= src_at <= len(row.src) and 0 <= tgt_at <= len(row.tgt)):
        raise EditError(f"cannot split a {row.kind} bead after {src_at} source and {tgt_at} target sentences")
    head = replace(row, src=row.src[:src_at], tgt=row.tgt[:tgt_at], status="automatic", similarity=None)
    tail = BeadRow(None, i + 1, row.src[src_at:], row.tgt[tgt_at:], row.score)
    if not (head.src or head.tgt) or not (tail.src or tail.tgt):
        raise EditError("a split must leave a sentence on each side of the cut")
    return Change(i, i + 1, (head, tail))


def move(rows: Sequence[BeadRow], i: int, side: str, to: str = "next") -> Change:
    """Move the edge sentence of bead ``i`` (last for next, first for prev) to its neighbour.

    A bead left with no sentence at all disappears.
    """
    _check_side(side)
    j = _neighbour(rows, i, to)
    here, there = rows[i], rows[j]
    ids = here.side(side)
    if not ids:
        raise EditError(f"bead {i} has no {side} sentence to move")
    if to == "next":
        rest, target = ids[:-1], (ids[-1],) + there.side(side)
    else:
        rest, target = ids[1:], there.side(side) + (ids[0],)
    here = replace(here.with_side(side, rest), status="automatic", similarity=None)
    there = replace(there.with_side(side, target), status="automatic", similarity=None)
    pair = [here, there] if to == "next" else [there, here]
    kept = tuple(r for r in pair if r.src or r.tgt)
    return Change(min(i, j), max(i, j) + 1, kept)


def pull(rows: Sequence[BeadRow], i: int, side: str, from_: str = "next") -> Change:
    """Take the nearest sentence of the neighbouring bead into bead ``i`` (the reverse of ``move``)."""
    j = _neighbour(rows, i, from_)
    return move(rows, j, side, "prev" if from_ == "next" else "next")


def detach(rows: Sequence[BeadRow], i: int, side: str, which: str = "last") -> Change:
    """Take one edge sentence of bead ``i`` into a bead of its own with an empty counterpart (1-0 / 0-1)."""
    _check_side(side)
    if which not in ("first", "last"):
        raise EditError(f"which must be 'first' or 'last', not {which!r}")
    row = rows[i]
    ids = row.side(side)
    if not ids:
        raise EditError(f"bead {i} has no {side} sentence")
    other = row.tgt if side == "src" else row.src
    if len(ids) == 1 and not other:
        raise EditError(f"bead {i} already has an empty counterpart")
    edge, rest = (ids[-1], ids[:-1]) if which == "last" else (ids[0], ids[1:])
    alone = BeadRow(None, i, (edge,) if side == "src" else (), (edge,) if side == "tgt" else (), 0.0)
    kept = replace(row.with_side(side, rest), status="automatic", similarity=None)
    new = (kept, alone) if which == "last" else (alone, kept)
    return Change(i, i + 1, tuple(r for r in new if r.src or r.tgt))


def resegment(rows: Sequence[BeadRow], side: str, index: int, removed: int, added: int) -> Change:
    """Beads after segments ``index..index+removed-1`` on ``side`` became ``added`` new segments.

    Splitting a sentence is ``removed=1, added=2``; joining two is ``removed=2,
    added=1``. The beads holding the old segments become one bead holding the
    new ones (joining across beads merges them), and every later segment id on
    that side moves by ``added - removed``.
    """
    _check_side(side)
    if removed < 1 or added < 1:
        raise EditError("re-segmenting must replace at least one segment by at least one")
    old = set(range(index, index + removed))
    holding = [k for k, r in enumerate(rows) if old & set(r.side(side))]
    if not holding:
        raise EditError(f"{side} segment {index} is in no bead")
    missing = old - {i for k in holding for i in rows[k].side(side)}
    if missing:  # joining the last segment with one after it: the beads would hold a sentence that is not there
        raise EditError(f"{side} segment {min(missing)} is in no bead")
    first, last = holding[0], holding[-1]
    group = rows[first:last + 1]
    delta = added - removed

    def shifted(ids: Sequence[int]) -> tuple[int, ...]:
        return tuple(i + delta if i >= index + removed else i for i in ids)

    kept = [i for r in group for i in r.side(side) if i not in old]
    ids = sorted([i for i in kept if i < index] + list(range(index, index + added))
                 + [i + delta for i in kept if i >= index + removed])
    other = "tgt" if side == "src" else "src"
    merged = BeadRow(group[0].id, first, (), (), min(r.score for r in group), "automatic",
                     "\n".join(r.note for r in group if r.note))
    merged = merged.with_side(side, ids).with_side(other, [i for r in group for i in r.side(other)])
    later = [r.with_side(side, shifted(r.side(side))) for r in rows[last + 1:]]
    stop = len(rows) if delta else last + 1
    return Change(first, stop, (merged, *later[:stop - last - 1]))


def set_status(rows: Sequence[BeadRow], i: int, status: str) -> Change:
    if status not in STATUSES:
        raise EditError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return Change(i, i + 1, (replace(rows[i], status=status),))


def set_status_of(rows: Sequence[BeadRow], bead_ids: Sequence[int], status: str, note: str | None = None) -> Change:
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


def confirm_up_to(rows: Sequence[BeadRow], i: int) -> Change:
    """Confirm every automatic bead from the first one to bead ``i``; rejected ones stay rejected."""
    pending = [k for k in range(i + 1) if rows[k].status == "automatic"]
    if not pending:
        return Change(i, i, ())
    start = pending[0]
    return Change(start, i + 1, tuple(replace(r, status="confirmed") if r.status == "automatic" else r
                                      for r in rows[start:i + 1]))


def set_note(rows: Sequence[BeadRow], i: int, note: str) -> Change:
    return Change(i, i + 1, (replace(rows[i], note=note),))


def decide(rows: Sequence[BeadRow], i: int, status: str, note: str) -> Change:
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
