"""Strict and lax precision, recall and F1 of beads against gold, as the field reports them.

The definitions are those of Vecalign's ``score.py`` and Bertalign's
``eval.py``, so numbers are comparable with published ones: counts are summed
over documents before dividing; precision is over every hypothesis bead, and a
0-1/1-0 bead is right only if gold has exactly that bead; recall is over the
gold beads with text on both sides; a bead is a lax match if it shares at least
one source-target link with the other side's beads.

The second half judges the confidence a bead carries (``Bead.score``) rather
than the beads: does the score rank exactly right beads above wrong ones
(AUROC), how many beads could a user accept unseen at 99% precision, and does
a score of 0.8 mean right four times in five (calibration error, reliability
curve). These take plain arrays so they work for any score.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

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
    for folder in (gold_dir, hyp_dir):
        if not folder.is_dir():
            raise FormatError(f"no folder {folder}")
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


# --- Confidence quality -------------------------------------------------------------------------


def exactly_right(hyp: Sequence[Bead], gold: Sequence[Bead]) -> np.ndarray:
    """Per hypothesis bead, whether gold holds the identical bead (same src ids, same tgt ids).

    This is what a calibrated ``score`` promises: the probability that the bead is
    right as it stands, no sentence more or less. It is strict precision's test,
    so a 1-0/0-1 bead is right only if gold has exactly that bead, and a bead
    empty on both sides is never right.
    """
    reference = _as_pairs(list(gold))
    return np.array([bool(b.src or b.tgt) and (b.src, b.tgt) in reference for b in hyp], dtype=bool)


def confidence_labels(pairs: Iterable[tuple[list[Bead], list[Bead]]]) -> tuple[np.ndarray, np.ndarray]:
    """Scores and exact-rightness of every hypothesis bead of ``(gold, hypothesis)`` pairs, pooled.

    Pooling over documents (rather than averaging per document) matches how the
    precision counts are summed, and how a user meets the beads: all together.
    """
    scores, right = [], []
    for gold, hyp in pairs:
        scores.extend(b.score for b in hyp)
        right.append(exactly_right(hyp, gold))
    return np.asarray(scores, dtype=float), (np.concatenate(right) if right else np.zeros(0, bool))


def auroc(scores: Sequence[float], right: Sequence[bool]) -> float:
    """Probability that a random right bead scores above a random wrong one (ties count half).

    Rank-based (Mann-Whitney U with tied scores given their average rank), so it
    says how well the score orders beads whatever its scale. It is undefined
    (nan) when every bead is right or every bead is wrong.
    """
    scores, right = np.asarray(scores, dtype=float), np.asarray(right, dtype=bool)
    positives, negatives = int(right.sum()), int((~right).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    return float((_average_ranks(scores)[right].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties given the mean of the ranks they span."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    # Start and end (exclusive) of each run of equal values in sorted order.
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(values)]
    ranks = np.empty(len(values), dtype=float)
    ranks[order] = np.repeat((starts + 1 + ends) / 2, ends - starts)
    return ranks


def share_at_precision(scores: Sequence[float], right: Sequence[bool], precision: float = 0.99) -> float:
    """Largest share of beads, taken from the highest score down, whose precision is >= ``precision``.

    What a reviewer gains from the score: the beads above some threshold can be
    accepted unread while no more than 1% of them are wrong. The cut is a score
    threshold, so tied beads are taken or left together. 0.0 if no threshold
    reaches the precision, nan if there are no beads.
    """
    scores, right = np.asarray(scores, dtype=float), np.asarray(right, dtype=bool)
    if len(scores) == 0:
        return float("nan")
    order = np.argsort(-scores, kind="mergesort")
    ordered = scores[order]
    taken = np.arange(1, len(scores) + 1)
    hits = np.cumsum(right[order])
    # A threshold can only sit after the last bead of a run of tied scores.
    ends = np.r_[ordered[1:] != ordered[:-1], True]
    ok = ends & (hits >= precision * taken - 1e-9)
    return float(taken[ok].max() / len(scores)) if ok.any() else 0.0


@dataclass(frozen=True)
class ReliabilityBin:
    """Beads whose score falls in ``[low, high)`` (the last bin includes 1.0)."""

    low: float
    high: float
    mean_score: float  # nan when the bin is empty
    accuracy: float  # share exactly right; nan when the bin is empty
    count: int


def reliability(scores: Sequence[float], right: Sequence[bool], bins: int = 10) -> list[ReliabilityBin]:
    """The reliability curve: per equal-width score bin, mean score, accuracy and count.

    A calibrated score lies on the diagonal (mean score = accuracy) in every bin;
    the counts show where the beads are. Scores outside [0, 1] fall into the end bins.
    """
    scores, right = np.asarray(scores, dtype=float), np.asarray(right, dtype=bool)
    index = np.clip(np.floor(scores * bins).astype(int), 0, bins - 1) if len(scores) else np.zeros(0, int)
    out = []
    for k in range(bins):
        inside = index == k
        count = int(inside.sum())
        out.append(ReliabilityBin(k / bins, (k + 1) / bins,
                                  float(scores[inside].mean()) if count else float("nan"),
                                  float(right[inside].mean()) if count else float("nan"), count))
    return out


def expected_calibration_error(scores: Sequence[float], right: Sequence[bool], bins: int = 10) -> float:
    """Sum over equal-width bins of (share of beads in the bin) x |mean score - accuracy|.

    How far, on average over beads, the score is from the rate at which beads of
    that score are right: 0 for a calibrated score. nan if there are no beads.
    """
    curve = reliability(scores, right, bins)
    total = sum(b.count for b in curve)
    if total == 0:
        return float("nan")
    return float(sum(b.count / total * abs(b.mean_score - b.accuracy) for b in curve if b.count))
