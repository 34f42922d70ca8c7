"""Ratio-margin scores between two sets of sentence vectors (LASER, WikiMatrix).

A pair is a likely translation when its cosine stands out from each side's
nearest neighbours. Everything here works in blocks of rows and keeps only
k neighbours per sentence, so memory grows linearly with the number of
sentences even when a document holds tens of thousands of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

BLOCK_ROWS = 2048


def top_similarities(a: np.ndarray, b: np.ndarray, k: int) -> np.ndarray:
    """The k highest cosines of every row of ``a`` with ``b``, highest first."""
    k = min(k, len(b))
    out = np.zeros((len(a), k), dtype=np.float32)
    if k == 0:
        return out
    for start in range(0, len(a), BLOCK_ROWS):
        sim = a[start:start + BLOCK_ROWS] @ b.T
        part = -np.partition(-sim, k - 1, axis=1)[:, :k] if k < sim.shape[1] else sim
        out[start:start + BLOCK_ROWS] = -np.sort(-part, axis=1)
    return out


def neighbourhood(a: np.ndarray, other: np.ndarray, thirds: Sequence[np.ndarray], k: int = 4,
                  strangers: np.ndarray | None = None) -> np.ndarray:
    """Mean cosine of each row of ``a`` with its k nearest neighbours.

    Neighbours come from the other language of the pair. A language present
    with two sentences gives too few neighbours for a fair estimate, so
    sentences of third languages count too, less the nearest one of each
    (likely the translation in that language). Where that still leaves fewer
    than k, ``strangers`` (sentences unrelated to the document, in other
    languages) count as well: a sentence and its translation alone had a
    neighbourhood of the translation itself, a margin of exactly 1, and no
    link. The mean over all candidates fills any gap left.
    """
    columns = [top_similarities(a, other, k)]
    total, count = a @ other.sum(axis=0), len(other)
    for third in thirds:
        if len(third) > 1:
            top = top_similarities(a, third, k + 1)
            columns.append(top[:, 1:])
            total, count = total + a @ third.sum(axis=0) - top[:, 0], count + len(third) - 1
    if strangers is not None and len(strangers) and count < k:
        columns.append(top_similarities(a, strangers, k))
        total, count = total + a @ strangers.sum(axis=0), count + len(strangers)
    values = np.concatenate(columns, axis=1)
    top = -np.sort(-values, axis=1)[:, :k]
    pad = total / count if count else np.zeros(len(a), dtype=np.float32)
    return (top.sum(axis=1) + pad * (k - top.shape[1])) / k


@dataclass
class MarginTable:
    """Ratio margins between the sentences of two languages, computed on demand."""

    a: np.ndarray
    b: np.ndarray
    knn_a: np.ndarray
    knn_b: np.ndarray

    def margins(self, rows: Sequence[int], cols: Sequence[int]) -> np.ndarray:
        sim = self.a[list(rows)] @ self.b[list(cols)].T
        return sim / np.maximum((self.knn_a[list(rows), None] + self.knn_b[None, list(cols)]) / 2, 1e-6)

    def mutual_links(self, threshold: float, rows: Sequence[int] | None = None,
                     cols: Sequence[int] | None = None) -> list[tuple[int, int, float]]:
        """Pairs that are each other's best by margin, with margin >= threshold.

        ``rows`` and ``cols`` restrict the contest to some sentences of each
        side (two neighbouring passages): a pair may be the best there while
        a look-alike elsewhere in the document wins the contest over all.
        """
        rows = np.arange(len(self.a)) if rows is None else np.asarray(rows, dtype=np.int64)
        cols = np.arange(len(self.b)) if cols is None else np.asarray(cols, dtype=np.int64)
        n, m = len(rows), len(cols)
        if n == 0 or m == 0:
            return []
        best_col = np.zeros(n, dtype=np.int64)
        best_row_value = np.full(m, -np.inf, dtype=np.float32)
        best_row = np.zeros(m, dtype=np.int64)
        row_value = np.zeros(n, dtype=np.float32)
        for start in range(0, n, BLOCK_ROWS):
            block = self.margins(rows[start:start + BLOCK_ROWS], cols)
            best_col[start:start + len(block)] = block.argmax(axis=1)
            row_value[start:start + len(block)] = block.max(axis=1)
            col_arg = block.argmax(axis=0)
            col_max = block[col_arg, np.arange(m)]
            better = col_max > best_row_value
            best_row_value[better] = col_max[better]
            best_row[better] = col_arg[better] + start
        return [(int(rows[i]), int(cols[j]), float(row_value[i])) for i, j in enumerate(best_col)
                if best_row[j] == i and row_value[i] >= threshold]


class SegmentMargins:
    """Margin tables of every language pair, looked up by document segment index."""

    def __init__(self):
        self._tables: list[tuple[dict[int, int], dict[int, int], MarginTable]] = []

    def add(self, segs_a: list[int], segs_b: list[int], table: MarginTable) -> None:
        self._tables.append(({s: r for r, s in enumerate(segs_a)}, {s: r for r, s in enumerate(segs_b)}, table))

    def best(self, seg_a: Sequence[int], seg_b: Sequence[int]) -> float:
        """The highest margin between any sentence of one group and any of the other."""
        best = 0.0
        for rows_of_a, rows_of_b, table in self._tables:
            for xs, ys in ((seg_a, seg_b), (seg_b, seg_a)):
                rows = [rows_of_a[x] for x in xs if x in rows_of_a]
                cols = [rows_of_b[y] for y in ys if y in rows_of_b]
                if rows and cols:
                    best = max(best, float(table.margins(rows, cols).max()))
        return best
