"""The dynamic-programming core, compiled with numba.

Kept apart from ``aligner.py`` so that the Python around it reads like the
algorithm, and the cost of a bead is defined in exactly one place
(``_bead_cost``).

Shapes and dtypes at this boundary (N source and M target sentences, W the
longest run, T bead types):

- ``src_win`` float32 (W, N, D), ``tgt_win`` float32 (W, M, D): unit
  embeddings of runs, ``win[a - 1, i]`` for sentences ``i .. i + a - 1``;
- ``src_norm`` float32 (W, N), ``tgt_norm`` float32 (W, M): each run's
  mean distance to unrelated runs of the same size;
- ``src_len`` float32 (N + 1,), ``tgt_len`` float32 (M + 1,): cumulative
  characters;
- ``lo``, ``hi`` int64 (N + 1,): row i may use target columns lo[i]..hi[i];
- ``bead_a``, ``bead_b`` int64 (T,): the bead types' sentence counts;
- ``params`` float64 (7,): see ``PARAMS``.
"""
from __future__ import annotations

import numpy as np
from numba import njit

INF = np.float32(1e30)
# Characters added to both sides of a length ratio, so that short sentences do not swing it.
LENGTH_SMOOTHING = 8.0
NEG = -1e300

# The order of the cost parameters packed into ``params``.
PARAMS = ("skip_cost", "merge_cost", "length_weight", "log_ratio", "bead_offset", "size_power", "link_scale")


@njit(cache=True, fastmath=True)
def _bead_cost(src_win, tgt_win, src_norm, tgt_norm, src_len, tgt_len, i0, a, j0, b, params):
    """Cost of linking src[i0:i0+a] with tgt[j0:j0+b].

    Similarity is made relative to how similar each side is to unrelated
    text (``*_norm``), so a generically "close" sentence does not win, and
    then put on the document's own scale (``link_scale``: how far a typical
    link of this document is from unrelated text), so that a loose
    translation is not cheaper to leave unaligned than a literal one. The
    length term compares characters against the document's own ratio.
    """
    skip_cost, merge_cost, length_weight, log_ratio = params[0], params[1], params[2], params[3]
    bead_offset, size_power, link_scale = params[4], params[5], params[6]
    if a == 0 or b == 0:
        return skip_cost * (a + b)
    u = src_win[a - 1, i0]
    v = tgt_win[b - 1, j0]
    sim = 0.0
    for k in range(u.shape[0]):
        sim += u[k] * v[k]
    norm = 0.5 * (src_norm[a - 1, i0] + tgt_norm[b - 1, j0])
    relative = (1.0 - sim) / max(norm, 1e-3)
    cost = 1.0 - (1.0 - relative) * link_scale
    ls = src_len[i0 + a] - src_len[i0]
    lt = tgt_len[j0 + b] - tgt_len[j0]
    dev = np.log((lt + LENGTH_SMOOTHING) / (ls + LENGTH_SMOOTHING)) - log_ratio
    cost += length_weight * dev * dev
    return (cost - bead_offset) * ((a + b) * 0.5) ** size_power + merge_cost * (a + b - 2)


@njit(cache=True)
def band_costs(src_win, tgt_win, src_norm, tgt_norm, src_len, tgt_len, lo, hi, bead_a, bead_b, params):
    """Cost of every bead inside the band, computed once for the searches that follow.

    float32 (N + 1, width, T): ``costs[i, j - lo[i], t]`` is the cost of the
    bead of type t that ends at (i, j); INF where it would start outside the band.
    """
    n = lo.shape[0] - 1
    width = int(np.max(hi - lo)) + 1
    costs = np.full((n + 1, width, bead_a.shape[0]), INF, dtype=np.float32)
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            for t in range(bead_a.shape[0]):
                pi = i - bead_a[t]
                pj = j - bead_b[t]
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                costs[i, j - lo[i], t] = _bead_cost(src_win, tgt_win, src_norm, tgt_norm, src_len, tgt_len,
                                                    pi, bead_a[t], pj, bead_b[t], params)
    return costs


@njit(cache=True)
def _paragraph_disagreements(src_opens, tgt_opens, i0, i, j0, j):
    """How often the link src[i0:i] ~ tgt[j0:j] disagrees with the paragraphs: it opens a paragraph on
    one side only, or holds more paragraph openings inside it on one side than on the other."""
    opens_src = src_opens[i0 + 1] - src_opens[i0]
    opens_tgt = tgt_opens[j0 + 1] - tgt_opens[j0]
    inside = abs((src_opens[i] - src_opens[i0 + 1]) - (tgt_opens[j] - tgt_opens[j0 + 1]))
    return abs(opens_src - opens_tgt) + inside


@njit(cache=True)
def _anchors_on_one_side(src_anchors, tgt_anchors, src_total, tgt_total, i0, i, j0, j):
    """How many shared anchors the link src[i0:i] ~ tgt[j0:j] holds on one side only."""
    in_src, in_tgt = src_total[i] - src_total[i0], tgt_total[j] - tgt_total[j0]
    if in_src == 0.0 or in_tgt == 0.0:
        return in_src + in_tgt  # most links: no anchor on one side, nothing to compare
    differ = 0.0
    for k in range(src_anchors.shape[1]):
        differ += abs((src_anchors[i, k] - src_anchors[i0, k]) - (tgt_anchors[j, k] - tgt_anchors[j0, k]))
    return differ


@njit(cache=True)
def add_evidence_costs(costs, lo, hi, bead_a, bead_b, src_opens, tgt_opens, paragraph_weight,
                       src_anchors, tgt_anchors, anchor_weight, anchor_cap, src_depth, tgt_depth, bracket_weight):
    """Charge each link in the band for disagreeing with what the texts say, in place.

    ``*_opens`` int64 (N + 1,), (M + 1,): cumulative counts of paragraph
    openings, ``opens[k]`` those among sentences 0..k-1; a link pays
    ``paragraph_weight`` per disagreement. ``*_anchors`` float32 (N + 1, K),
    (M + 1, K): cumulative counts of the anchors both documents share
    (``align.pairing.anchors``), hashed into K buckets; a link pays
    ``anchor_weight`` per anchor it holds on one side only, at most
    ``anchor_cap`` of them. ``*_depth`` float32 (N + 1,), (M + 1,): cumulative
    brackets opened less closed; a link pays ``bracket_weight`` per bracket
    its sides leave open by different amounts, at most ``anchor_cap``.
    Empty arrays stand for no evidence of that kind.
    One-sided beads are not charged: a sentence added at a paragraph's
    edge, or whose figures the other version lacks, must stay free to go alone.
    """
    paragraphs, anchors, brackets = src_opens.shape[0] > 0, src_anchors.shape[0] > 0, src_depth.shape[0] > 0
    src_total, tgt_total = src_anchors.sum(axis=1), tgt_anchors.sum(axis=1)
    for i in range(lo.shape[0]):
        for j in range(lo[i], hi[i] + 1):
            for t in range(bead_a.shape[0]):
                a, b = bead_a[t], bead_b[t]
                if a == 0 or b == 0 or costs[i, j - lo[i], t] >= INF:
                    continue
                extra = 0.0
                if paragraphs:
                    extra += paragraph_weight * _paragraph_disagreements(src_opens, tgt_opens, i - a, i, j - b, j)
                if anchors:
                    differ = _anchors_on_one_side(src_anchors, tgt_anchors, src_total, tgt_total, i - a, i, j - b, j)
                    extra += anchor_weight * min(differ, anchor_cap)
                if brackets:
                    left_open = abs((src_depth[i] - src_depth[i - a]) - (tgt_depth[j] - tgt_depth[j - b]))
                    extra += bracket_weight * min(left_open, anchor_cap)
                costs[i, j - lo[i], t] += extra


@njit(cache=True)
def band_dp(costs, lo, hi, bead_a, bead_b):
    """Least-cost monotone path from (0, 0) to (N, M) through the band.

    Returns the bead-type index chosen for every cell, int8 (N + 1, width)
    with column j stored at j - lo[i]; ``trace_back`` turns it into the path.
    """
    n = lo.shape[0] - 1
    width = costs.shape[1]
    total = np.full((n + 1, width), INF, dtype=np.float32)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    total[0, 0 - lo[0]] = 0.0
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            best = INF
            best_t = -1
            for t in range(bead_a.shape[0]):
                c = costs[i, j - lo[i], t]
                if c >= INF:
                    continue
                pi = i - bead_a[t]
                prev = total[pi, j - bead_b[t] - lo[pi]]
                if prev >= INF:
                    continue
                if prev + c < best:
                    best = prev + c
                    best_t = t
            total[i, j - lo[i]] = best
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


@njit(cache=True)
def _log_add(x, y):
    if x < y:
        x, y = y, x
    if y <= NEG:
        return x
    return x + np.log1p(np.exp(y - x))


@njit(cache=True)
def band_forward_backward(costs, lo, hi, bead_a, bead_b, temperature):
    """Log forward and backward sums over every path through the band.

    Each path has weight exp(-cost / temperature), so ``alpha[i, j]`` sums
    the paths from (0, 0) to (i, j) and ``beta[i, j]`` those from (i, j)
    to (N, M); float64 (N + 1, width), column j stored at j - lo[i].
    A bead's posterior is exp(alpha[start] - cost / T + beta[end] - alpha[N, M]).
    """
    n = lo.shape[0] - 1
    width = costs.shape[1]
    alpha = np.full((n + 1, width), NEG)
    beta = np.full((n + 1, width), NEG)
    alpha[0, 0 - lo[0]] = 0.0
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            total = NEG
            for t in range(bead_a.shape[0]):
                c = costs[i, j - lo[i], t]
                if c >= INF:
                    continue
                pi = i - bead_a[t]
                prev = alpha[pi, j - bead_b[t] - lo[pi]]
                if prev > NEG:
                    total = _log_add(total, prev - c / temperature)
            alpha[i, j - lo[i]] = total
    m = hi[n]
    beta[n, m - lo[n]] = 0.0
    for i in range(n, -1, -1):
        for j in range(hi[i], lo[i] - 1, -1):
            if i == n and j == m:
                continue
            total = NEG
            for t in range(bead_a.shape[0]):
                ni = i + bead_a[t]
                nj = j + bead_b[t]
                if ni > n or nj > m or nj < lo[ni] or nj > hi[ni]:
                    continue
                c = costs[ni, nj - lo[ni], t]
                nxt = beta[ni, nj - lo[ni]]
                if c < INF and nxt > NEG:
                    total = _log_add(total, nxt - c / temperature)
            beta[i, j - lo[i]] = total
    return alpha, beta


@njit(cache=True)
def path_posteriors(costs, lo, alpha, beta, cells, bead_a, bead_b, temperature):
    """Posterior of each bead of a path, given as ``trace_back`` cells (i, j, type) where it ends."""
    log_z = beta[0, 0 - lo[0]]
    out = np.empty(cells.shape[0])
    for k in range(cells.shape[0]):
        i, j, t = cells[k, 0], cells[k, 1], cells[k, 2]
        i0, j0 = i - bead_a[t], j - bead_b[t]
        c = costs[i, j - lo[i], t]
        out[k] = np.exp(min(alpha[i0, j0 - lo[i0]] - c / temperature + beta[i, j - lo[i]] - log_z, 0.0))
    return out


@njit(cache=True)
def run_posteriors(costs, lo, hi, alpha, beta, bead_a, bead_b, temperature, src_runs, tgt_runs):
    """Each run's share of all paths' weight: the summed posterior of every bead that links it.

    float64 (W, N) and (W, M), ``[a - 1, i]`` for sentences ``i .. i + a - 1``; zero-filled
    arrays of those shapes are passed in. A run that no plausible path links has almost none.
    """
    log_z = beta[0, 0 - lo[0]]
    n = lo.shape[0] - 1
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            for t in range(bead_a.shape[0]):
                c = costs[i, j - lo[i], t]
                if c >= INF:
                    continue
                a, b = bead_a[t], bead_b[t]
                i0, j0 = i - a, j - b
                p = np.exp(min(alpha[i0, j0 - lo[i0]] - c / temperature + beta[i, j - lo[i]] - log_z, 0.0))
                if a > 0:
                    src_runs[a - 1, i0] += p
                if b > 0:
                    tgt_runs[b - 1, j0] += p
