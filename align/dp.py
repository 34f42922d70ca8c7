"""The dynamic-programming core, compiled with numba.

Kept apart from ``aligner.py`` so that the Python around it reads like the
algorithm, and the cost of a bead is defined in exactly one place
(``_bead_cost``).
"""
from __future__ import annotations

import numpy as np
from numba import njit

INF = np.float32(1e30)


@njit(cache=True, fastmath=True)
def _bead_cost(src_win, tgt_win, src_norm, tgt_norm, src_len, tgt_len,
               i0, a, j0, b, skip_cost, merge_cost, length_weight, log_ratio, bead_offset, size_power):
    """Cost of linking src[i0:i0+a] with tgt[j0:j0+b].

    Similarity is made relative to how similar each side is to unrelated
    text (``*_norm``), so a generically "close" sentence does not win; the
    length term compares characters against the document's own ratio.
    """
    if a == 0 or b == 0:
        return skip_cost * (a + b)
    u = src_win[a - 1, i0]
    v = tgt_win[b - 1, j0]
    sim = 0.0
    for k in range(u.shape[0]):
        sim += u[k] * v[k]
    norm = 0.5 * (src_norm[a - 1, i0] + tgt_norm[b - 1, j0])
    cost = (1.0 - sim) / max(norm, 1e-3)
    ls = src_len[i0 + a] - src_len[i0]
    lt = tgt_len[j0 + b] - tgt_len[j0]
    dev = np.log((lt + 8.0) / (ls + 8.0)) - log_ratio
    cost += length_weight * dev * dev
    return (cost - bead_offset) * ((a + b) * 0.5) ** size_power + merge_cost * (a + b - 2)


@njit(cache=True)
def band_dp(src_win, tgt_win, src_norm, tgt_norm, src_len, tgt_len, lo, hi,
            bead_a, bead_b, skip_cost, merge_cost, length_weight, log_ratio, bead_offset, size_power):
    """Least-cost monotone path from (0, 0) to (N, M) through the band.

    Row i may use target columns lo[i]..hi[i]. Returns the bead-type index
    chosen for every cell; ``trace_back`` turns it into the path.
    """
    n = lo.shape[0] - 1
    width = int(np.max(hi - lo)) + 1
    cost = np.full((n + 1, width), INF, dtype=np.float32)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    cost[0, 0 - lo[0]] = 0.0
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            best = INF
            best_t = -1
            for t in range(bead_a.shape[0]):
                a = bead_a[t]
                b = bead_b[t]
                pi = i - a
                pj = j - b
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = cost[pi, pj - lo[pi]]
                if prev >= INF:
                    continue
                c = prev + _bead_cost(src_win, tgt_win, src_norm, tgt_norm, src_len, tgt_len,
                                      pi, a, pj, b, skip_cost, merge_cost, length_weight, log_ratio,
                                      bead_offset, size_power)
                if c < best:
                    best = c
                    best_t = t
            cost[i, j - lo[i]] = best
            back[i, j - lo[i]] = best_t
    return back


@njit(cache=True)
def trace_back(back, lo, bead_a, bead_b, m):
    """The (i, j, type) cells of the best path, from the end to the start."""
    n = lo.shape[0] - 1
    out = np.empty((n + m + 1, 3), dtype=np.int64)
    k = 0
    i = n
    j = m
    while i > 0 or j > 0:
        t = back[i, j - lo[i]]
        if t < 0:
            return out[:0]
        out[k, 0] = i
        out[k, 1] = j
        out[k, 2] = t
        k += 1
        i -= bead_a[t]
        j -= bead_b[t]
    return out[:k]
