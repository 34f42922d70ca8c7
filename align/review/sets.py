"""Review of a version set: each row's versions judged against one version, as a pair's beads are judged.

A set's rows seen from two versions are a pair (``version_sets.seen_rows``); the
review of that pair is the pair review itself (``judge.review_alignment``),
calibrated on those two versions. Each version compared with the base gives
one review per row it shows; ``combine`` folds them into one review per row of
the set, so the queue, the decisions and the bulk accept of a pair's review
serve a set unchanged. A flag's reason names the version it was found in.
"""
from __future__ import annotations

from collections.abc import Sequence

from align.project.bead_edits import SetRow
from align.project.version_sets import seen_rows
from align.review.judge import review_alignment
from align.review.model import RANK, BeadReview, Flag, ReviewConfig
from align.types import Alignment, Document


def compared_versions(count: int, base: int, versions: Sequence[int] | None = None) -> list[int]:
    """The versions judged against ``base``: ``versions`` (every other one when None), in order, base left out."""
    chosen = range(count) if versions is None else versions
    return sorted({v for v in chosen if 0 <= v < count and v != base})


def review_set(rows: Sequence[SetRow], docs: Sequence[Document], labels: Sequence[str], encoder, base: int = 0,
               versions: Sequence[int] | None = None, config: ReviewConfig = ReviewConfig()) -> list[BeadReview]:
    """One review per row of the set (``index`` its position): every version in ``versions`` (default: all
    but ``base``) judged against version ``base``, as a pair of those two versions would be."""
    views = []
    for v in compared_versions(len(docs), base, versions):
        shown = seen_rows(rows, base, v)
        pair = Alignment(docs[base], docs[v], [row.bead(base, v) for row in shown])
        views.append((labels[v], [row.position for row in shown], review_alignment(pair, encoder, config)))
    return combine(views, len(rows))


def combine(views: Sequence[tuple[str, Sequence[int], Sequence[BeadReview]]], rows: int) -> list[BeadReview]:
    """One review per row from the reviews of pair views: each view is a version's label, the position of the
    row behind each of its beads, and its reviews. A row takes every view's flags (their reasons prefixed
    with the version's label), the worst severity and the lowest score; a row no view shows is clean."""
    found: list[list[tuple[str, BeadReview]]] = [[] for _ in range(rows)]
    for label, positions, reviews in views:
        for review in reviews:
            found[positions[review.index]].append((label, review))
    return [_row_review(k, per_version) for k, per_version in enumerate(found)]


def _row_review(index: int, per_version: Sequence[tuple[str, BeadReview]]) -> BeadReview:
    flags = tuple(Flag(f.name, f.severity, f"{label}: {f.reason}") for label, review in per_version
                  for f in review.flags)
    severity = max((review.severity for _, review in per_version), key=RANK.__getitem__, default="ok")
    score = min((review.score for _, review in per_version), default=1.0)
    signals = {f"{label}.{name}": value for label, review in per_version for name, value in review.signals.items()}
    return BeadReview(index, flags, severity, score, signals)
