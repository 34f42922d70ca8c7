"""Re-alignment that never makes things worse, and what it changed, as pure functions.

Two bead lists over the same sentences (the stored one and a fresh aligner
path) agree wherever they hold the same bead. Where they disagree, they do
so in regions that start and end at a sentence boundary both lists share,
so either list's beads can be taken in any region and the result is still a
path that covers every sentence once, in order. ``keep_stable`` keeps the old
beads of a region when a person confirmed one of them, or when they were all
probable (``HIGH``) and untouched (automatic, no note) and the new path is
not clearly more probable there; everywhere else the new path wins.
``describe`` lists what changed, bead by bead, as a reviewer reads it.

Beads are anything with ``src``, ``tgt`` and ``score`` (``Bead``, ``BeadRow``);
``status`` and ``note`` are read where present.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from align.formats.beads import format_bead
from align.pairing.probability import HIGH

# How much higher the mean probability of the new beads of a region must be to replace stable old ones.
BETTER_BY = 0.05


@dataclass(frozen=True)
class Region:
    """``old[old_start:old_stop]`` and ``new[new_start:new_stop]`` cover the same sentences differently."""

    old_start: int
    old_stop: int
    new_start: int
    new_stop: int


@dataclass(frozen=True)
class Choice:
    """What ``reconcile`` did with one region: kept the old beads or took the new ones, and why."""

    region: Region
    keep_old: bool
    reason: str


def regions(old: Sequence[Any], new: Sequence[Any]) -> list[Region]:
    """The stretches where two paths over the same sentences disagree, in order.

    Each region runs from one boundary both paths share to the next one, so
    two disagreeing stretches that touch at a shared boundary are two regions.
    ``ValueError`` if the two lists do not cover the same sentences.
    """
    out, i, j = [], 0, 0
    at = (0, 0)  # the sentence boundary before old[i], which is also the one before new[j]
    while i < len(old) and j < len(new):
        if _same(old[i], new[j]):
            at, i, j = _end(old[i], at), i + 1, j + 1
            continue
        start_i, start_j = i, j
        end_old, end_new = _end(old[i], at), _end(new[j], at)
        while end_old != end_new:
            # Along a path every bead adds at least one sentence: the path behind catches up.
            if sum(end_old) <= sum(end_new):
                i += 1
                end_old = _end(_at(old, i), end_old)
            else:
                j += 1
                end_new = _end(_at(new, j), end_new)
        at, i, j = end_old, i + 1, j + 1
        out.append(Region(start_i, i, start_j, j))
    if i != len(old) or j != len(new):
        raise ValueError("the two bead lists do not cover the same sentences")
    return out


def reconcile(old: Sequence[Any], new: Sequence[Any], keep_at: float = HIGH,
              better_by: float = BETTER_BY) -> list[Choice]:
    """For every region where ``old`` and ``new`` disagree: keep the old beads, or take the new ones.

    Old beads stay when one of them is confirmed (confirmed beads never
    move), or when they all have a probability of at least ``keep_at``, are
    automatic and carry no note, and the new beads' mean probability is less
    than ``better_by`` above theirs.
    """
    choices = []
    for region in regions(old, new):
        before, after = old[region.old_start:region.old_stop], new[region.new_start:region.new_stop]
        old_mean, new_mean = _mean(before), _mean(after)
        if any(getattr(b, "status", "automatic") == "confirmed" for b in before):
            choices.append(Choice(region, True, "confirmed"))
        elif all(b.score >= keep_at and _untouched(b) for b in before) and new_mean < old_mean + better_by:
            choices.append(Choice(region, True, f"probability {old_mean:.2f}, the new path's {new_mean:.2f} "
                                                "is not clearly better"))
        else:
            choices.append(Choice(region, False, f"probability {old_mean:.2f} → {new_mean:.2f}"))
    return choices


def keep_stable(old: Sequence[Any], new: Sequence[Any], keep_at: float = HIGH,
                better_by: float = BETTER_BY) -> list[Any]:
    """``new``, except that regions ``reconcile`` keeps hold the ``old`` beads (the very objects)."""
    return merge(old, new, reconcile(old, new, keep_at, better_by))


def merge(old: Sequence[Any], new: Sequence[Any], choices: Sequence[Choice]) -> list[Any]:
    """The new beads, with the old ones put back in every region chosen ``keep_old``."""
    out, j = [], 0
    for choice in choices:
        region = choice.region
        out.extend(new[j:region.new_start])
        out.extend(old[region.old_start:region.old_stop] if choice.keep_old
                   else new[region.new_start:region.new_stop])
        j = region.new_stop
    out.extend(new[j:])
    return out


def describe(old: Sequence[Any], new: Sequence[Any]) -> list[str]:
    """What changed from ``old`` to ``new``, a line per region, beads numbered from 1 as in ``old``.

    ``beads 14-15: [13]:[13] + [14]:[] → [13, 14]:[13]``
    """
    return [f"{label(r.old_start, r.old_stop)}: {_beads(old[r.old_start:r.old_stop])} → "
            f"{_beads(new[r.new_start:r.new_stop])}" for r in regions(old, new)]


@dataclass(frozen=True)
class Realignment:
    """What a re-alignment did: the changes (``describe``) and the stable regions it kept, a line each."""

    changes: tuple[str, ...]
    kept: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()  # rejected beads the new path has as they were: the reviewer must mend them

    def summary(self) -> str:
        """``2 changes; 1 probable stretch kept`` or ``nothing changed``."""
        parts = []
        if self.changes:
            parts.append(f"{len(self.changes)} change{'s' if len(self.changes) != 1 else ''}")
        if self.kept:
            parts.append(f"{len(self.kept)} probable stretch{'es' if len(self.kept) != 1 else ''} kept "
                         "where the new path was not clearly better")
        if self.rejected:
            many = len(self.rejected) != 1
            parts.append(f"{len(self.rejected)} rejected bead{'s' if many else ''} found again as "
                         f"{'they were' if many else 'it was'}")
        return "; ".join(parts) if parts else "nothing changed"

    def lines(self) -> list[str]:
        return [*self.changes, *self.kept, *self.rejected]


def report(old: Sequence[Any], new: Sequence[Any], final: Sequence[Any], choices: Sequence[Choice]) -> Realignment:
    """The ``Realignment`` of ``old`` into ``final``, naming the stretches of ``new`` it turned down."""
    kept = tuple(f"kept {label(c.region.old_start, c.region.old_stop)} "
                 f"{_beads(old[c.region.old_start:c.region.old_stop])} rather than "
                 f"{_beads(new[c.region.new_start:c.region.new_stop])} ({c.reason})"
                 for c in choices if c.keep_old and c.reason != "confirmed")
    again = {(tuple(b.src), tuple(b.tgt)) for b in final}
    rejected = tuple(f"{label(k, k + 1)} {format_bead(b)}, which you rejected, is what the aligner finds again: "
                     "correct it by hand (split, merge, move a sentence)"
                     for k, b in enumerate(old) if getattr(b, "status", None) == "rejected"
                     and (tuple(b.src), tuple(b.tgt)) in again)
    return Realignment(tuple(describe(old, final)), kept, rejected)


def label(start: int, stop: int) -> str:
    """``bead 7`` or ``beads 14-15`` for the 0-based positions ``start:stop``."""
    return f"bead {start + 1}" if stop - start == 1 else f"beads {start + 1}-{stop}"


def _beads(beads: Sequence[Any]) -> str:
    return " + ".join(format_bead(b) for b in beads)


def _same(a: Any, b: Any) -> bool:
    return tuple(a.src) == tuple(b.src) and tuple(a.tgt) == tuple(b.tgt)


def _end(bead: Any, start: tuple[int, int]) -> tuple[int, int]:
    """The sentence boundary after ``bead`` (sentences on each side so far), given the one before it."""
    return start[0] + len(bead.src), start[1] + len(bead.tgt)


def _at(beads: Sequence[Any], k: int) -> Any:
    if k >= len(beads):
        raise ValueError("the two bead lists do not cover the same sentences")
    return beads[k]


def _mean(beads: Sequence[Any]) -> float:
    return sum(b.score for b in beads) / len(beads) if beads else 0.0


def _untouched(bead: Any) -> bool:
    return getattr(bead, "status", "automatic") == "automatic" and not getattr(bead, "note", "")
