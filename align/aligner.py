"""Sentence alignment of two documents from their sentence embeddings.

The search is Vecalign's coarse-to-fine idea: average the embeddings of
blocks of sentences, align the short block sequences, and search the full
problem only in a band around that coarse path. Time and memory therefore
grow linearly with document length, while short documents get an exact
search over the whole table.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from .dp import band_dp, trace_back
from .types import Bead

# Bead shapes up to five sentences in total, as Bertalign and Vecalign allow.
BEAD_TYPES: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2),
)
COARSE_TYPES: tuple[tuple[int, int], ...] = ((0, 1), (1, 0), (1, 1), (1, 2), (2, 1))
MAX_WINDOW = max(max(t) for t in BEAD_TYPES)


@dataclass(frozen=True)
class AlignerConfig:
    """The few numbers the aligner depends on, tuned on the public dev sets."""

    skip_cost: float = 0.05       # per sentence left without a counterpart
    merge_cost: float = 0.05      # per sentence beyond a 1-1 bead
    length_weight: float = 0.3    # squared log deviation from the document's length ratio
    bead_offset: float = 0.75     # reward per bead, so a merge must beat its best part
    size_power: float = 0.45      # how a bead's cost grows with its number of sentences
    coarse_skip_cost: float = 1.0  # per block, in the coarse pass of long documents
    band_width: int = 16          # sentences each side of the coarse path
    full_search_cells: int = 2_000_000
    norm_samples: int = 64
    confidence_slope: float = 8.0
    confidence_midpoint: float = 0.6
    seed: int = 0


def mean_windows(single: np.ndarray, size: int = MAX_WINDOW) -> np.ndarray:
    """Approximate embeddings of runs of 1..size sentences by their normalised mean.

    ``out[a - 1, i]`` stands for sentences ``i .. i + a - 1``; windows that
    run past the end repeat the last full one (they are never used).
    """
    n, dim = single.shape
    out = np.zeros((size, max(n, 1), dim), dtype=np.float32)
    csum = np.vstack([np.zeros((1, dim), np.float32), np.cumsum(single, axis=0, dtype=np.float32)])
    for a in range(1, size + 1):
        starts = np.arange(n)
        ends = np.minimum(starts + a, n)
        win = csum[ends] - csum[starts]
        out[a - 1, :n] = win / np.maximum(np.linalg.norm(win, axis=1, keepdims=True), 1e-12)
    return out


def _unrelatedness(windows: np.ndarray, other: np.ndarray, n_other: int, samples: int,
                   rng: np.random.Generator) -> np.ndarray:
    """1 - mean cosine of each window with random windows of the same size on the other side.

    Joined sentences look alike more than single ones do; comparing like
    with like keeps a 2-2 bead from winning only because it is longer.
    """
    out = np.ones(windows.shape[:2], dtype=np.float32)
    for a in range(windows.shape[0]):
        usable = max(n_other - a, 0)
        if usable == 0:
            continue
        pick = rng.choice(usable, size=min(samples, usable), replace=False)
        sims = windows[a] @ other[min(a, other.shape[0] - 1), pick].T
        out[a] = 1.0 - sims.mean(axis=1)
    return out


def _cumulative(lengths: Sequence[int]) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.asarray(lengths, dtype=np.float64))]).astype(np.float32)


@dataclass
class _Problem:
    """Everything the cost of a bead depends on, computed once per span."""

    src_win: np.ndarray
    tgt_win: np.ndarray
    src_norm: np.ndarray
    tgt_norm: np.ndarray
    src_len: np.ndarray
    tgt_len: np.ndarray
    log_ratio: float
    config: AlignerConfig

    @classmethod
    def build(cls, src_win, tgt_win, src_chars, tgt_chars, config, rng) -> "_Problem":
        n, m = len(src_chars), len(tgt_chars)
        src_len, tgt_len = _cumulative(src_chars), _cumulative(tgt_chars)
        log_ratio = math.log((float(tgt_len[-1]) + 1.0) / (float(src_len[-1]) + 1.0))
        return cls(src_win, tgt_win,
                   _unrelatedness(src_win, tgt_win, m, config.norm_samples, rng),
                   _unrelatedness(tgt_win, src_win, n, config.norm_samples, rng),
                   src_len, tgt_len, log_ratio, config)

    def path(self, lo: np.ndarray, hi: np.ndarray, types) -> list[tuple[int, int, int, int]]:
        """Beads (i0, a, j0, b) of the least-cost path through the band."""
        bead_a = np.array([t[0] for t in types], dtype=np.int64)
        bead_b = np.array([t[1] for t in types], dtype=np.int64)
        c = self.config
        back = band_dp(self.src_win, self.tgt_win, self.src_norm, self.tgt_norm, self.src_len, self.tgt_len,
                       lo, hi, bead_a, bead_b, c.skip_cost, c.merge_cost, c.length_weight, self.log_ratio,
                       c.bead_offset, c.size_power)
        cells = trace_back(back, lo, bead_a, bead_b, len(self.tgt_len) - 1)
        return [(int(i - bead_a[t]), int(bead_a[t]), int(j - bead_b[t]), int(bead_b[t])) for i, j, t in cells[::-1]]

    def relative_cost(self, i0: int, a: int, j0: int, b: int) -> float:
        """Distance of a non-empty bead relative to unrelated text: ~0 same meaning, ~1 unrelated."""
        sim = float(self.src_win[a - 1, i0] @ self.tgt_win[b - 1, j0])
        return (1.0 - sim) / max(0.5 * (self.src_norm[a - 1, i0] + self.tgt_norm[b - 1, j0]), 1e-3)

    def confidence(self, i0: int, a: int, j0: int, b: int, lo: np.ndarray, hi: np.ndarray) -> float:
        """How sure we are of a bead, in [0, 1].

        A link is sure when its sentences are much closer than unrelated
        text; an omission is sure when the sentence has no close partner
        anywhere in its search band.
        """
        c = self.config
        if a and b:
            distance = self.relative_cost(i0, a, j0, b)
            return _logistic(c.confidence_slope * (c.confidence_midpoint - distance))
        if a:
            partners = range(lo[i0], min(hi[i0 + 1], len(self.tgt_len) - 1))
            nearest = min((self.relative_cost(i0, 1, j, 1) for j in partners), default=1.0)
        else:
            rows = np.nonzero((lo <= j0) & (hi > j0))[0]
            nearest = min((self.relative_cost(i, 1, j0, 1) for i in rows if i < len(self.src_len) - 1), default=1.0)
        return _logistic(c.confidence_slope * (nearest - c.confidence_midpoint))


def _logistic(x: float) -> float:
    return float(1.0 / (1.0 + math.exp(-x)))


def _block_means(single: np.ndarray, factor: int) -> np.ndarray:
    n = len(single)
    starts = np.arange(0, n, factor)
    sums = np.add.reduceat(single, starts, axis=0)
    return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)


def search_band(src: np.ndarray, tgt: np.ndarray, src_len: np.ndarray, tgt_len: np.ndarray,
                config: AlignerConfig, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Per source row, the range of target columns worth searching.

    Small problems search everything; larger ones are aligned on block
    averages first (recursively) and searched around that path.
    """
    n, m = len(src), len(tgt)
    if (n + 1) * (m + 1) <= config.full_search_cells:
        return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    factor = math.ceil(math.sqrt((n + 1) * (m + 1) / config.full_search_cells)) * 2
    coarse_src, coarse_tgt = _block_means(src, factor), _block_means(tgt, factor)
    coarse_src_len, coarse_tgt_len = src_len[::factor], tgt_len[::factor]
    coarse_src_len = np.append(coarse_src_len, src_len[-1]) if coarse_src_len[-1] != src_len[-1] else coarse_src_len
    coarse_tgt_len = np.append(coarse_tgt_len, tgt_len[-1]) if coarse_tgt_len[-1] != tgt_len[-1] else coarse_tgt_len
    clo, chi = search_band(coarse_src, coarse_tgt, coarse_src_len, coarse_tgt_len, config, rng)
    # Blocks rarely translate nothing, and block similarities are weaker than
    # sentence ones, so skipping a block must cost more than skipping a sentence.
    coarse_config = replace(config, skip_cost=config.coarse_skip_cost, bead_offset=1.0, size_power=1.0,
                            merge_cost=0.0, length_weight=0.0)
    coarse_problem = _Problem.build(mean_windows(coarse_src, 2), mean_windows(coarse_tgt, 2),
                                    np.diff(coarse_src_len), np.diff(coarse_tgt_len), coarse_config, rng)
    coarse = coarse_problem.path(clo, chi, COARSE_TYPES)
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    reach = factor + config.band_width
    for i0, a, j0, b in coarse:
        rows = slice(max(0, i0 * factor - reach), min(n, (i0 + a) * factor + reach) + 1)
        lo[rows] = np.minimum(lo[rows], max(0, j0 * factor - reach))
        hi[rows] = np.maximum(hi[rows], min(m, (j0 + b) * factor + reach))
    lo[0], hi[n] = 0, m
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return lo, hi


def align_embeddings(src_win: np.ndarray, tgt_win: np.ndarray, src_chars: Sequence[int], tgt_chars: Sequence[int],
                     config: AlignerConfig = AlignerConfig(), fixed: Sequence[Bead] = ()) -> list[Bead]:
    """Beads covering every source and target sentence once, in order, with confidences.

    ``*_win`` are window embeddings as made by ``mean_windows`` (possibly
    with exact embeddings of joined sentences put in); ``*_chars`` are the
    sentence lengths in characters for the length prior.

    ``fixed`` beads, confirmed by a person, are kept as they are. Links
    split the documents into gaps that are aligned independently, so
    nothing moves across a confirmed link; a confirmed omission takes its
    sentence out of whatever bead the gap's alignment put it in.
    """
    links = [b for b in fixed if b.src and b.tgt]
    omitted = {("src", i) for b in fixed if not b.tgt for i in b.src} | {("tgt", j) for b in fixed if not b.src for j in b.tgt}
    beads: list[Bead] = []
    for ((s0, s1), (t0, t1)), link in _gaps(links, len(src_chars), len(tgt_chars)):
        for bead in _align_span(src_win[:, s0:max(s1, s0 + 1)], tgt_win[:, t0:max(t1, t0 + 1)],
                                src_chars[s0:s1], tgt_chars[t0:t1], config):
            shifted = Bead(tuple(i + s0 for i in bead.src), tuple(j + t0 for j in bead.tgt), bead.score)
            beads.extend(_without_omitted(shifted, omitted, fixed))
        if link is not None:
            beads.append(link)
    return beads


def _without_omitted(bead: Bead, omitted: set, fixed: Sequence[Bead]) -> list[Bead]:
    """A bead with its confirmed-omitted sentences split off as their own beads."""
    src = tuple(i for i in bead.src if ("src", i) not in omitted)
    tgt = tuple(j for j in bead.tgt if ("tgt", j) not in omitted)
    if len(src) == len(bead.src) and len(tgt) == len(bead.tgt):
        return [bead]
    kept = [Bead(src, tgt, bead.score)] if src or tgt else []
    alone = [b for b in fixed if (not b.tgt and set(b.src) & set(bead.src)) or (not b.src and set(b.tgt) & set(bead.tgt))]
    return sorted(kept + alone, key=lambda b: (min(b.src, default=-1), min(b.tgt, default=-1)))


def _gaps(links: Sequence[Bead], n: int, m: int):
    """The spans between confirmed links, each followed by the link that closes it."""
    s0 = t0 = 0
    for bead in sorted(links, key=lambda b: (min(b.src), min(b.tgt))):
        if min(bead.src) < s0 or min(bead.tgt) < t0 or max(bead.src) >= n or max(bead.tgt) >= m:
            raise ValueError(f"confirmed bead {list(bead.src)}:{list(bead.tgt)} crosses another "
                             "or lies outside the documents")
        yield ((s0, min(bead.src)), (t0, min(bead.tgt))), bead
        s0, t0 = max(bead.src) + 1, max(bead.tgt) + 1
    yield ((s0, n), (t0, m)), None


def _align_span(src_win, tgt_win, src_chars, tgt_chars, config: AlignerConfig) -> list[Bead]:
    n, m = len(src_chars), len(tgt_chars)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    rng = np.random.default_rng(config.seed)
    problem = _Problem.build(src_win, tgt_win, src_chars, tgt_chars, config, rng)
    lo, hi = search_band(src_win[0, :n], tgt_win[0, :m], problem.src_len, problem.tgt_len, config, rng)
    path = problem.path(lo, hi, BEAD_TYPES)
    return [Bead(tuple(range(i0, i0 + a)), tuple(range(j0, j0 + b)), problem.confidence(i0, a, j0, b, lo, hi))
            for i0, a, j0, b in path]
