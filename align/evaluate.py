"""Strict and lax precision, recall and F1 of beads against gold, as the field reports them.

The definitions are those of Vecalign's ``score.py`` and Bertalign's
``eval.py``, so numbers are comparable with published ones: counts are summed
over documents before dividing; precision is over every hypothesis bead, and a
0-1/1-0 bead is right only if gold has exactly that bead; recall is over the
gold beads with text on both sides; a bead is a lax match if it shares at least
one source-target link with the other side's beads.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from align.errors import FormatError
from align.formats.beads import read_beads
from align.types import Bead

# Hypothesis files are looked up by the gold file's stem with these suffixes, in order.
HYPOTHESIS_SUFFIXES = (".beads", ".gold")

_Pair = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Counts:
    """Of ``total`` beads scored, how many matched exactly and how many shared a link."""

    total: int = 0
    strict: int = 0
    lax: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.total + other.total, self.strict + other.strict, self.lax + other.lax)


@dataclass(frozen=True)
class Scores:
    """Precision counts over hypothesis beads, recall counts over gold beads; ratios derived."""

    precision_counts: Counts
    recall_counts: Counts
    documents: int

    @property
    def strict_precision(self) -> float:
        return _ratio(self.precision_counts.strict, self.precision_counts.total)

    @property
    def strict_recall(self) -> float:
        return _ratio(self.recall_counts.strict, self.recall_counts.total)

    @property
    def strict_f1(self) -> float:
        return _f1(self.strict_precision, self.strict_recall)

    @property
    def lax_precision(self) -> float:
        return _ratio(self.precision_counts.lax, self.precision_counts.total)

    @property
    def lax_recall(self) -> float:
        return _ratio(self.recall_counts.lax, self.recall_counts.total)

    @property
    def lax_f1(self) -> float:
        return _f1(self.lax_precision, self.lax_recall)


def score_documents(pairs: Iterable[tuple[list[Bead], list[Bead]]]) -> Scores:
    """Score ``(gold, hypothesis)`` bead lists, one pair per document."""
    precision = recall = Counts()
    documents = 0
    for gold, hyp in pairs:
        gold_pairs, hyp_pairs = _as_pairs(gold), _as_pairs(hyp)
        precision += _matches(hyp_pairs, gold_pairs)
        recall += _matches({p for p in gold_pairs if p[0] and p[1]}, hyp_pairs)
        documents += 1
    return Scores(precision, recall, documents)


def score_dirs(gold_dir: str | os.PathLike, hyp_dir: str | os.PathLike) -> Scores:
    """Score every ``<doc>.gold`` in ``gold_dir`` against ``<doc>.beads`` (or ``.gold``) in ``hyp_dir``."""
    gold_dir, hyp_dir = Path(gold_dir), Path(hyp_dir)
    gold_files = sorted(gold_dir.glob("*.gold"))
    if not gold_files:
        raise FormatError(f"no *.gold files in {gold_dir}")
    matched, missing = [], []
    for gold_file in gold_files:
        candidates = [hyp_dir / (gold_file.stem + suffix) for suffix in HYPOTHESIS_SUFFIXES]
        hyp_file = next((c for c in candidates if c.is_file()), None)
        if hyp_file is None:
            missing.append(gold_file.stem)
        else:
            matched.append((gold_file, hyp_file))
    if missing:
        raise FormatError(f"no hypothesis in {hyp_dir} for: {', '.join(missing)} "
                          f"(looked for {' or '.join(HYPOTHESIS_SUFFIXES)})")
    return score_documents((read_beads(g), read_beads(h)) for g, h in matched)


def _as_pairs(beads: list[Bead]) -> set[_Pair]:
    # As in score.py: a set, so a repeated bead counts once; a bead empty on both sides is no bead.
    return {(b.src, b.tgt) for b in beads if b.src or b.tgt}


def _matches(scored: set[_Pair], reference: set[_Pair]) -> Counts:
    links: dict[int, set[int]] = {}
    for src, tgt in reference:
        for i in src:
            links.setdefault(i, set()).update(tgt)
    strict = lax = 0
    for src, tgt in scored:
        if (src, tgt) in reference:
            strict += 1
            lax += 1
        elif any(links.get(i, set()).intersection(tgt) for i in src):
            lax += 1
    return Counts(len(scored), strict, lax)


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
