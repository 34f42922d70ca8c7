"""Passages that one version has and the other lacks: runs of one-sided beads, told as one finding.

A translation that leaves out a chapter, a page or a section shows up as a long run of beads
with no counterpart. Read bead by bead it is a hundred rows of "(no target sentence)"; a reviewer
wants one line that says where the passage is and how long it is, and a way to jump to it. Runs
of a few sentences are ordinary omissions, left to the bead-by-bead view.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

# A run of one-sided beads holding at least this many sentences is a passage.
MIN_SENTENCES = 5
# Where this share of the sentences of each side has no counterpart, the two documents are no pair at all
# (unrelated news articles: 0.69-0.85; a translation that lacks a passage leaves the other side linked).
NO_PAIR_SHARE = 0.6


class _Linked(Protocol):
    src: tuple[int, ...]
    tgt: tuple[int, ...]


@dataclass(frozen=True)
class OneSidedRun:
    """Consecutive beads with no counterpart: their positions (0-based, first and last) and the
    sentences they hold on each side (0-based, in order; empty where that side has none)."""

    first_bead: int
    last_bead: int
    src: tuple[int, ...]
    tgt: tuple[int, ...]

    def describe(self, names: tuple[str, str] = ("source", "target"), noun: str = "bead") -> str:
        """One line, numbered from 1 as everything the user sees (``noun``: a version set's are rows)."""
        sides = [f"{name} sentences {_span(ids)} ({len(ids)})" for name, ids in zip(names, (self.src, self.tgt)) if ids]
        beads = (f"{noun} {self.first_bead + 1}" if self.first_bead == self.last_bead
                 else f"{noun}s {self.first_bead + 1}-{self.last_bead + 1}")
        if self.src and self.tgt:
            return f"{' and '.join(sides)} have no counterpart ({beads}): text that only one version has, on each side"
        lacking = names[1] if self.src else names[0]
        return f"{sides[0]} have no counterpart in the {lacking} ({beads}): a passage the {lacking} lacks?"


def one_sided_runs(beads: Sequence[_Linked], min_sentences: int = MIN_SENTENCES) -> list[OneSidedRun]:
    """The maximal runs of one-sided beads holding ``min_sentences`` or more sentences, in order."""
    runs, start = [], None
    for position, bead in enumerate([*beads, None]):  # None closes the last run
        if bead is not None and not (bead.src and bead.tgt):
            start = position if start is None else start
            continue
        if start is not None:
            run = beads[start:position]
            src = tuple(i for b in run for i in b.src)
            tgt = tuple(j for b in run for j in b.tgt)
            if len(src) + len(tgt) >= min_sentences:
                runs.append(OneSidedRun(start, position - 1, src, tgt))
            start = None
    return runs


def no_pair(beads: Sequence[_Linked], names: tuple[str, str] = ("source", "target")) -> str | None:
    """One line when most sentences of both sides have no counterpart, else None: two documents that do not
    translate each other (a wrong file, or two files that share a name by chance). The aligner leaves such
    documents alone rather than link sentences that are nearest by chance (``search.translation_evidence``);
    their runs of one-sided beads are then the whole of both documents, which one line says better."""
    counts = [[0, 0], [0, 0]]  # per side: sentences, and those with no counterpart
    for bead in beads:
        for side, own, other in ((0, bead.src, bead.tgt), (1, bead.tgt, bead.src)):
            counts[side][0] += len(own)
            counts[side][1] += 0 if other else len(own)
    if sum(total for total, _ in counts) < 2 * MIN_SENTENCES or any(
            alone < NO_PAIR_SHARE * total for total, alone in counts):
        return None
    (src_total, src_alone), (tgt_total, tgt_alone) = counts
    return (f"{src_alone} of {src_total} {names[0]} sentences and {tgt_alone} of {tgt_total} {names[1]} sentences "
            "have no counterpart: the two documents do not seem to be translations of each other")


def report(beads: Sequence[_Linked], shown: int = 10) -> list[str]:
    """A line per run of ``one_sided_runs`` (the first ``shown``, then how many more), for a command's output;
    one line only where the documents are no pair at all (``no_pair``)."""
    unpaired = no_pair(beads)
    if unpaired:
        return [unpaired]
    runs = one_sided_runs(beads)
    return [run.describe() for run in runs[:shown]] + ([f"and {len(runs) - shown} more such runs"]
                                                        if len(runs) > shown else [])


def as_sentence(line: str) -> str:
    """``line`` with a capital, for a page, where it stands alone rather than after a command's "align: "."""
    return line[:1].upper() + line[1:]


def _span(ids: tuple[int, ...]) -> str:
    first, last = min(ids) + 1, max(ids) + 1
    return f"{first}-{last}" if last > first else f"{first}"
