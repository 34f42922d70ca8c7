"""Sentence alignment of two documents from their sentence embeddings.

The search is Vecalign's coarse-to-fine idea: average the embeddings of
blocks of sentences, align the short block sequences, and search the full
problem only in a band around that coarse path. Time and memory therefore
grow linearly with document length, while short documents get an exact
search over the whole table.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from align.pairing.dp import (
    LENGTH_SMOOTHING,
    add_evidence_costs,
    band_costs,
    band_dp,
    band_forward_backward,
    path_posteriors,
    run_posteriors,
    trace_back,
)
from align.types import Bead

# Bead shapes up to five sentences in total, as Bertalign and Vecalign allow, and one sentence against five:
# a list or a citation written as one sentence on one side and a line per item on the other (Text+Berg).
BEAD_TYPES: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2), (1, 5), (5, 1),
)
COARSE_TYPES: tuple[tuple[int, int], ...] = ((0, 1), (1, 0), (1, 1), (1, 2), (2, 1))
MAX_WINDOW = max(max(t) for t in BEAD_TYPES)
# The posterior from which a run of sentences, linked as a whole by plausible paths, gets an exact embedding.
PLAUSIBLE_RUN = 0.05


# Fitted by bench/calibrate.py on the dev sets and their loose variants.
CALIBRATION = (0.693, 2.516, -0.042, -0.382, -6.160, -0.941, 0.513, -0.687, -0.349, 0.211)
# A document's share of merged links counts up to this in the calibration: past it (most lines merged,
# as in free Chinese-English translation) it says no more about how often links are wrong.
MERGED_SHARE_CAP = 0.4


@dataclass(frozen=True)
class AlignerConfig:
    """The few numbers the aligner depends on, tuned on the public dev sets."""

    skip_cost: float = 0.05       # per sentence left without a counterpart
    merge_cost: float = 0.05      # per sentence beyond a 1-1 bead
    length_weight: float = 0.3    # squared log deviation from the document's length ratio
    length_spread: float = 0.22   # the spread of links' log length ratios length_weight suits; 0 = never refit
    length_stretch: tuple[float, float] = (0.5, 2.0)  # how far a loose document's own spread may move it
    bead_offset: float = 0.75     # reward per bead, so a merge must beat its best part
    size_power: float = 0.3       # how a bead's cost grows with its number of sentences
    typical_link: float = 0.37    # relative cost of a typical link in news, the scale the costs were tuned on
    max_link_scale: float = 3.0   # how far a loose document's scale may be stretched
    skip_stretch: float = 1.6     # skip cost grows as looseness ** skip_stretch (see params)
    offset_stretch: float = 0.7   # bead_offset grows by this per unit of looseness above close_scale
    close_scale: float = 1.3      # link scales up to this are close translation (news reaches 1.25)
    merge_shrink: float = 1.5     # merge_cost falls by this share per unit of looseness above close_scale
    paragraph_cost: float = 0.06  # per disagreement of a link with the paragraphs, times the link scale
    anchor_cost: float = 0.06     # per shared number or name a link holds on one side only, times the link scale
    anchor_cap: float = 2.0       # anchors charged at most per link: a list of figures must not outweigh the meaning
    bracket_cost: float = 0.06    # per bracket a link's sides leave open by different amounts, times the link scale
    ratio_tolerance: float = 0.15  # the length ratio is the totals' unless ordered nearest pairs differ by more (log)
    coarse_skip_cost: float = 1.0  # per block, in the coarse pass of long documents
    band_width: int = 16          # sentences each side of the coarse path
    widenings: int = 5            # times the band may be opened where the path leans on it (widened_band)
    widened_cells: float = 4.0    # up to this many times the band's first cells
    full_search_cells: int = 2_000_000
    norm_samples: int = 64
    temperature: float = 0.05     # path costs -> probabilities: weight exp(-cost / temperature)
    # Logistic map from calibration_features (posterior log-odds, 1, merged bead, one-sided bead, the
    # document's share of merged links, length deviation, log link scale, log link scale x log-odds)
    # to the probability of being exactly right; bench/calibrate.py fits it.
    calibration: tuple[float, ...] = CALIBRATION
    seed: int = 0

    def params(self, log_ratio: float, link_scale: float, looseness: float | None = None) -> np.ndarray:
        """The cost parameters in the order ``dp.PARAMS`` expects, on the document's scale.

        ``link_scale`` stretches every link's reward (see ``link_scale``), and with it the noise
        in those rewards. Left at their news values, the costs that compete with those rewards
        would shrink next to them: a loose document would leave a sentence alone wherever its
        link is a little weaker than average (merged 1-2/1-3 beads cut into a link and an
        omission), and the length prior, the evidence that stays reliable when meaning is
        loosely rendered, would lose its say on where a bead ends. The skip cost and the length
        weight are therefore put on the same scale as the links, the skip cost a little more than
        that (``skip_stretch`` > 1): the looser the document, the weaker every link, and the more
        evidence leaving a sentence alone must need. Beyond the scales that close
        translation reaches (``close_scale``), the reward per bead also grows, so that a whole
        merged bead beats its best part plus an omission as it does in news, and a weak link
        does not swallow its neighbour; and the price of each sentence a bead joins falls to
        nothing by a scale of about 2, since free translation joins and splits sentences as a
        matter of course (a Chinese line often becomes two or three English sentences).

        Those three follow ``looseness`` (see ``looseness``), the link scale as it would be without the
        pull of each sentence's own translation on its unrelatedness; it is the link scale itself
        (the default) wherever the other side has more than ``norm_samples`` sentences.
        """
        loose = link_scale if looseness is None else looseness
        skip = self.skip_cost * loose ** self.skip_stretch
        offset = self.bead_offset + self.offset_stretch * max(loose - self.close_scale, 0.0)
        merge = self.merge_cost * max(1.0 - self.merge_shrink * max(loose - self.close_scale, 0.0), 0.0)
        return np.array([skip, merge, self.length_weight * link_scale, log_ratio, offset,
                         self.size_power, link_scale], dtype=np.float64)


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


# Sentences the other side needs before the closest one is left out of a sentence's unrelatedness (``looseness``).
UNRELATED_MIN = 3


def _unrelatedness(windows: np.ndarray, other: np.ndarray, n_other: int, samples: int,
                   rng: np.random.Generator) -> np.ndarray:
    """1 - mean cosine of each window with random windows of the same size on the other side.

    Joined sentences look alike more than single ones do; comparing like
    with like keeps a 2-2 bead from winning only because it is longer.
    When the other side is shorter than the window, its longest windows
    stand in: a long run must not go unmeasured (and so look close to
    everything) just because the other version has three sentences.
    """
    out = np.ones(windows.shape[:2], dtype=np.float32)
    if n_other == 0:
        return out
    for a in range(windows.shape[0]):
        size = min(a, n_other - 1, other.shape[0] - 1)
        usable = n_other - size
        pick = rng.choice(usable, size=min(samples, usable), replace=False)
        sims = windows[a] @ other[size, pick].T
        out[a] = 1.0 - sims.mean(axis=1)
    return out


def _cumulative(lengths: Sequence[int]) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.asarray(lengths, dtype=np.float64))]).astype(np.float32)


# Which sentences open a paragraph, source and target (see ``align.text.segment.paragraph_starts``), or None.
Paragraphs = tuple[Sequence[bool], Sequence[bool]] | None
# Per sentence, source and target, hashed counts of the numbers and names both share (``align.pairing.anchors``).
Anchors = tuple[np.ndarray, np.ndarray] | None
# Per sentence, source and target, brackets opened less brackets closed (``align.pairing.anchors``), or None.
Brackets = tuple[np.ndarray, np.ndarray] | None


def bead_types(config: AlignerConfig) -> tuple[tuple[int, int], ...]:
    """The bead shapes searched: 1-5 and 5-1 only where a length prior weighs them. A run of five sentences is
    close in meaning to anything on its topic, and only its length says that it is not one sentence's
    translation (with ``length_weight=0`` only meaning is weighed)."""
    return BEAD_TYPES if config.length_weight > 0 else tuple(t for t in BEAD_TYPES if max(t) < MAX_WINDOW)


@dataclass(frozen=True)
class TextEvidence:
    """What the texts say about where beads end, besides their embeddings: paragraphs, shared anchors and
    brackets left open."""

    paragraphs: Paragraphs = None
    anchors: Anchors = None
    brackets: Brackets = None


NO_EVIDENCE = TextEvidence()
# Window embeddings of sentences unrelated to either document (``align.pairing.unrelated``), standing in for the
# target's and the source's sentences where that side has fewer than UNRELATED_MIN to measure unrelatedness on.
Strangers = tuple[np.ndarray, np.ndarray] | None


def _cumulative_opens(opens: Sequence[bool]) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(np.asarray(opens, dtype=np.int64))]).astype(np.int64)


def _cumulative_anchors(counts: np.ndarray) -> np.ndarray:
    return np.vstack([np.zeros((1, counts.shape[1]), np.float32), np.cumsum(counts, axis=0, dtype=np.float32)])


@dataclass
class _Problem:
    """Everything the cost of a bead depends on, computed once per document.

    The statistics that put costs on the document's scale (unrelatedness,
    length ratio, how close its links typically are) come from the whole
    document, also when only a gap between confirmed beads is searched:
    a gap of three sentences says nothing reliable about them.
    """

    src_win: np.ndarray
    tgt_win: np.ndarray
    src_norm: np.ndarray
    tgt_norm: np.ndarray
    src_len: np.ndarray
    tgt_len: np.ndarray
    log_ratio: float
    link_scale: float
    looseness: float  # the link scale that the skip, merge and bead costs follow (see ``looseness``)
    config: AlignerConfig
    # Cumulative paragraph openings (``opens[k]``: among sentences 0..k-1), empty without paragraph evidence.
    src_opens: np.ndarray
    tgt_opens: np.ndarray
    # Cumulative counts of shared anchors (``anchors[k]``: in sentences 0..k-1), (N + 1, K), empty without anchors.
    src_anchors: np.ndarray
    tgt_anchors: np.ndarray
    # Cumulative bracket depth (``depth[k]``: opened less closed in sentences 0..k-1), empty without brackets.
    src_depth: np.ndarray
    tgt_depth: np.ndarray

    @classmethod
    def build(cls, src_win, tgt_win, src_chars, tgt_chars, config, rng, link_scale: float = 1.0,
              evidence: TextEvidence = NO_EVIDENCE, strangers: Strangers = None) -> "_Problem":
        n, m = len(src_chars), len(tgt_chars)
        src_len, tgt_len = _cumulative(src_chars), _cumulative(tgt_chars)
        log_ratio = math.log((float(tgt_len[-1]) + 1.0) / (float(src_len[-1]) + 1.0))  # totals: no smoothing needed
        paragraphs, anchors, brackets = evidence.paragraphs, evidence.anchors, evidence.brackets
        no_opens, no_anchors, no_depth = np.zeros(0, np.int64), np.zeros((0, 1), np.float32), np.zeros(0, np.float32)
        src_opens, tgt_opens = (_cumulative_opens(p) for p in paragraphs) if paragraphs else (no_opens, no_opens)
        src_anchors, tgt_anchors = (_cumulative_anchors(c) for c in anchors) if anchors else (no_anchors, no_anchors)
        src_depth, tgt_depth = (_cumulative(d) for d in brackets) if brackets else (no_depth, no_depth)
        def unrelatedness(windows, other, n_other, stand_ins):
            if n_other < UNRELATED_MIN and stand_ins is not None:  # the other side cannot say what is unrelated
                other, n_other = stand_ins, stand_ins.shape[1]
            return _unrelatedness(windows, other, n_other, config.norm_samples, rng)

        return cls(src_win, tgt_win,
                   unrelatedness(src_win, tgt_win, m, strangers and strangers[0]),
                   unrelatedness(tgt_win, src_win, n, strangers and strangers[1]),
                   src_len, tgt_len, log_ratio, link_scale, link_scale, config, src_opens, tgt_opens, src_anchors,
                   tgt_anchors, src_depth, tgt_depth)

    def span(self, s0: int, s1: int, t0: int, t1: int) -> "_Problem":
        """The same document statistics restricted to sentences s0..s1 and t0..t1."""
        return replace(self, src_win=self.src_win[:, s0:max(s1, s0 + 1)], tgt_win=self.tgt_win[:, t0:max(t1, t0 + 1)],
                       src_norm=self.src_norm[:, s0:max(s1, s0 + 1)], tgt_norm=self.tgt_norm[:, t0:max(t1, t0 + 1)],
                       src_len=self.src_len[s0:s1 + 1] - self.src_len[s0],
                       tgt_len=self.tgt_len[t0:t1 + 1] - self.tgt_len[t0],
                       # cumulative counts: a link's are differences, whatever the span's start (empty stays empty)
                       src_opens=self.src_opens[s0:s1 + 1], tgt_opens=self.tgt_opens[t0:t1 + 1],
                       src_anchors=self.src_anchors[s0:s1 + 1], tgt_anchors=self.tgt_anchors[t0:t1 + 1],
                       src_depth=self.src_depth[s0:s1 + 1], tgt_depth=self.tgt_depth[t0:t1 + 1])

    @property
    def params(self) -> np.ndarray:
        return self.config.params(self.log_ratio, self.link_scale, self.looseness)

    def relative_costs(self, lo: np.ndarray, hi: np.ndarray) -> list[np.ndarray]:
        """Relative cost of each source sentence against its band of single target sentences."""
        out = []
        for i in range(self.src_win.shape[1]):
            j0, j1 = lo[i], min(max(hi[i + 1], lo[i] + 1), len(self.tgt_len) - 1)
            sims = self.tgt_win[0, j0:j1] @ self.src_win[0, i]
            out.append((1.0 - sims) / np.maximum(0.5 * (self.src_norm[0, i] + self.tgt_norm[0, j0:j1]), 1e-3))
        return out

    def search(self, lo: np.ndarray, hi: np.ndarray, types, posteriors: bool = True,
               runs: bool = False) -> tuple[list[tuple[int, int, int, int]], np.ndarray | None, tuple | None]:
        """Beads (i0, a, j0, b) of the least-cost path through the band; with ``posteriors``, each bead's
        posterior: its share of the weight exp(-cost / temperature) of all paths through the band; with
        ``runs``, from the same forward-backward pass, each source and target run's posterior of being
        linked as a whole, ``[a - 1, i]`` (see ``dp.run_posteriors``)."""
        costs, bead_a, bead_b = self._band_costs(lo, hi, types)
        cells = trace_back(band_dp(costs, lo, hi, bead_a, bead_b), lo, bead_a, bead_b, len(self.tgt_len) - 1)[::-1]
        path = [(int(i - bead_a[t]), int(bead_a[t]), int(j - bead_b[t]), int(bead_b[t])) for i, j, t in cells]
        if not posteriors:
            return path, None, None
        temperature = self.config.temperature
        alpha, beta = band_forward_backward(costs, lo, hi, bead_a, bead_b, temperature)
        on_path = path_posteriors(costs, lo, alpha, beta, np.ascontiguousarray(cells), bead_a, bead_b, temperature)
        if not runs:
            return path, on_path, None
        src_runs, tgt_runs = np.zeros(self.src_win.shape[:2]), np.zeros(self.tgt_win.shape[:2])
        run_posteriors(costs, lo, hi, alpha, beta, bead_a, bead_b, temperature, src_runs, tgt_runs)
        return path, on_path, (src_runs, tgt_runs)

    def _band_costs(self, lo: np.ndarray, hi: np.ndarray, types) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        bead_a = np.array([t[0] for t in types], dtype=np.int64)
        bead_b = np.array([t[1] for t in types], dtype=np.int64)
        costs = band_costs(self.src_win, self.tgt_win, self.src_norm, self.tgt_norm, self.src_len, self.tgt_len,
                           lo, hi, bead_a, bead_b, self.params)
        if len(self.src_opens) or len(self.src_anchors) or len(self.src_depth):
            add_evidence_costs(costs, lo, hi, bead_a, bead_b, self.src_opens, self.tgt_opens,
                               self.config.paragraph_cost * self.link_scale, self.src_anchors, self.tgt_anchors,
                               self.config.anchor_cost * self.link_scale, self.config.anchor_cap,
                               self.src_depth, self.tgt_depth, self.config.bracket_cost * self.link_scale)
        return costs, bead_a, bead_b

    def length_deviation(self, i0: int, a: int, j0: int, b: int) -> float:
        """How far a link's character ratio is from the document's (log scale); 0 for an omission."""
        if not a or not b:
            return 0.0
        ratio = length_ratio(float(self.src_len[i0 + a] - self.src_len[i0]), float(self.tgt_len[j0 + b] - self.tgt_len[j0]))
        return abs(ratio - self.log_ratio)

    def similarity(self, i0: int, a: int, j0: int, b: int) -> float | None:
        """Centred cosine of a bead's two sides; None for an omission."""
        if not a or not b:
            return None
        return float(self.src_win[a - 1, i0] @ self.tgt_win[b - 1, j0])


# Two sentences left alone, one on each side, within a bead of each other and as close as this share of the
# document's median link, are a swap (see ``with_crossings``): one bead, at this probability.
CROSSING_SHARE = 0.75
CROSSING_PROBABILITY = 0.5


def length_ratio(src_chars: float, tgt_chars: float) -> float:
    """Log ratio of characters, smoothed so that short sentences do not swing it."""
    return math.log((tgt_chars + LENGTH_SMOOTHING) / (src_chars + LENGTH_SMOOTHING))


def share_merged(beads: Sequence[Bead]) -> float:
    """Share of a document's links that join more than two sentences.

    Free or hard translation shows in many merged links; a version that
    lacks whole passages shows in many one-sided beads instead, which
    says nothing about how sure its links are, so those are not counted.
    """
    links = [b for b in beads if b.src and b.tgt]
    return sum(len(b.src) + len(b.tgt) > 2 for b in links) / max(len(links), 1)


# Links a first path needs, sure enough (posterior) to say how far a document's lengths spread.
SPREAD_LINKS, SPREAD_POSTERIOR = 12, 0.5


def length_spread(beads: Sequence[Bead], src_chars: Sequence[int], tgt_chars: Sequence[int]) -> float | None:
    """How far the log length ratios of a path's likely links spread (robustly: 1.4826 median absolute
    deviation), or None with fewer than ``SPREAD_LINKS`` of them."""
    ratios = np.array([length_ratio(sum(src_chars[i] for i in b.src), sum(tgt_chars[j] for j in b.tgt))
                       for b in beads if b.src and b.tgt and b.score >= SPREAD_POSTERIOR])
    if len(ratios) < SPREAD_LINKS:
        return None
    return float(1.4826 * np.median(np.abs(ratios - np.median(ratios))))


def with_length_spread(config: AlignerConfig, look: FirstLook, src_chars: Sequence[int],
                       tgt_chars: Sequence[int]) -> AlignerConfig:
    """The config with its length weight fitted to how far a loose document's lengths spread.

    A length prior is a Gaussian on the log length ratio: its weight goes as
    one over the variance. When meaning is loosely rendered, lengths are much
    of the evidence about where a bead ends, and how much they can be trusted
    varies: one free translator keeps each sentence's length, another writes
    longer here and shorter there, and the weight that suits the first
    overrules the meaning for the second. The first path's likely links
    measure the document's own spread, as hunalign and Moore re-estimate
    their length models on the text itself. Close translation (link scale up
    to ``close_scale``) keeps the weight tuned on it: there the meaning
    decides, and refitting cost news 0.4-0.7 points of F1.
    """
    if not config.length_spread or look.link_scale <= config.close_scale:
        return config
    spread = length_spread(look.beads, src_chars, tgt_chars)
    if spread is None:
        return config
    low, high = config.length_stretch
    factor = float(np.clip((config.length_spread / max(spread, 1e-3)) ** 2, low, high))
    return replace(config, length_weight=config.length_weight * factor)


def calibration_features(log_odds: float, kind: tuple[int, int], length_deviation: float,
                         merged_share: float, scale: float, earlier: float | None) -> tuple[float, ...]:
    """What ``calibrated`` weighs, in the order of ``AlignerConfig.calibration``; ``earlier`` is the
    first look's log-odds of the same bead, None where its path did not have it."""
    a, b = kind
    loose = math.log(max(scale, 1e-6))
    return (log_odds, 1.0, float(a > 0 and b > 0 and a + b > 2), float(a == 0 or b == 0),
            min(merged_share, MERGED_SHARE_CAP), length_deviation, loose, loose * log_odds,
            float(earlier is None), earlier or 0.0)


def log_odds(probability: float) -> float:
    """log(p / (1 - p)), kept finite for probabilities of 0 and 1."""
    p = min(max(probability, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def calibrated(features: Sequence[float], config: AlignerConfig) -> float:
    """The probability that a bead is exactly right, from its path posterior and the facts
    ``calibration_features`` lists.

    The path model is sure of itself where the document's costs are
    mis-specified: merged and one-sided beads, links whose sides differ in
    length from the document's ratio (part of a 2-2 bead taken as 1-1,
    part of a longer bead), documents with many merged links (free
    translation, reordered text), and loose translations, whose stretched
    costs (``scale``, the document's link scale) make every path weight
    sharper than the evidence behind it. A logistic map of the posterior's
    log-odds and those facts, fitted on the dev sets and their loose
    variants (``bench/calibrate.py``), corrects it.

    The first look (averaged embeddings of joined runs) counts too: a bead that the exact embeddings
    of joined runs moved is wrong more often than its posterior says (on the dev sets and their loose
    variants, 638 of 7,850 beads, 56% of them right against 92% of the others).
    """
    return _logistic(sum(w * x for w, x in zip(config.calibration, features)))


def _logistic(x: float) -> float:
    return float(1.0 / (1.0 + math.exp(-max(min(x, 500.0), -500.0))))


def _mutual_nearest(problem: _Problem, lo: np.ndarray, hi: np.ndarray) -> list[tuple[int, int, float]]:
    """Source and target sentences that are each other's nearest in the band, ``(i, j, relative cost)``, by i."""
    n, m = problem.src_win.shape[1], problem.tgt_win.shape[1]
    rows = problem.relative_costs(lo, hi)
    best_col = np.full(m, np.inf)
    best_col_row = np.full(m, -1)
    row_best = np.empty(n, dtype=np.int64)
    for i, costs in enumerate(rows):
        k = int(np.argmin(costs))
        row_best[i] = lo[i] + k
        cols = np.arange(lo[i], lo[i] + len(costs))
        better = costs < best_col[cols]
        best_col[cols[better]] = costs[better]
        best_col_row[cols[better]] = i
    return [(i, int(row_best[i]), float(rows[i][row_best[i] - lo[i]])) for i in range(n)
            if best_col_row[row_best[i]] == i]


# Sentences each side needs before the order of its nearest pairs says whether two documents are translations,
# and the opening of a long document (searched in a band) that the order is read on.
RELATED_MIN_SENTENCES = 30
RELATED_OPENING = 1500
# How many times longer than chance a translation's order-keeping chain of nearest pairs is: at or below the
# first, no sign of a translation; from the second on, a translation's whole (see ``translation_evidence``).
RELATED_CHAIN = (1.4, 2.2)


def chance_chain(pairs: int) -> float:
    """The expected longest order-keeping chain among ``pairs`` nearest pairs placed at random: the longest
    increasing subsequence of a random permutation of k, 2 sqrt(k) - 1.77 k^(1/6) (Baik-Deift-Johansson)
    plus the 0.55 that simulations of k = 20-800 add."""
    return 2.0 * math.sqrt(pairs) - 1.77 * pairs ** (1 / 6) + 0.55 if pairs else 0.0


def translation_evidence(mutual: Sequence[tuple[int, int, float]], n: int, m: int) -> float:
    """How surely two documents translate each other, 0-1, from the order their mutual nearest sentences keep
    (``mutual``, found over the whole table of their first ``n`` and ``m`` sentences).

    Any two documents have mutual nearest sentences; a translation's keep their order, chance pairs do not.
    The longest order-keeping chain is 3.5-5.7 times what chance gives on the dev sets and their loose
    variants (2.0 at least even where gold pairs have a median centred cosine of 0.15, and 1.6 in excerpts
    of 25 beads there), and 1.5 at most between unrelated news articles. Too few sentences to tell count
    as a translation.
    """
    if min(n, m) < RELATED_MIN_SENTENCES:
        return 1.0
    low, high = RELATED_CHAIN
    ratio = len(_increasing_chain(mutual)) / max(chance_chain(len(mutual)), 1.0)
    return float(np.clip((ratio - low) / (high - low), 0.0, 1.0))


def _mutual_nearest_opening(problem: _Problem, size: int) -> tuple[list[tuple[int, int, float]], int, int]:
    """Mutual nearest sentences among the first ``size`` of each side, over their whole table: a long
    document is searched in a band around a coarse path, where every pair keeps order whatever the text,
    so its opening stands for it."""
    n, m = min(problem.src_win.shape[1], size), min(problem.tgt_win.shape[1], size)
    whole = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    return _mutual_nearest(problem.span(0, n, 0, m), *whole), n, m


def link_scale(problem: _Problem, mutual: Sequence[tuple[int, int, float]]) -> float:
    """How much to stretch relative costs so that this document's typical link costs what a news link does.

    The typical link is the median relative cost of mutual nearest
    sentences in the search band. Free translation puts true pairs much
    further apart than news does (median centred cosine 0.31 against 0.63)
    while unrelated pairs stay near zero in both; without this, leaving two
    sentences unaligned becomes cheaper than linking them.
    """
    if len(mutual) < 3:
        return 1.0
    typical = float(np.median([cost for _, _, cost in mutual]))
    c = problem.config
    return float(np.clip((1.0 - c.typical_link) / max(1.0 - typical, 1e-3), 1.0, c.max_link_scale))


def looseness(problem: _Problem, mutual: Sequence[tuple[int, int, float]]) -> float:
    """The link scale with each sentence's closest sentence on the other side left out of its unrelatedness.

    Where the other side has ``norm_samples`` sentences or fewer, ``_unrelatedness`` compares a
    sentence with every one of them, its own translation included: against a four-line excerpt of an
    article, a quarter of the mean. The links of a close translation then look as loose as literary
    ones (link scale 1.7-2.0 against 1.3 for the whole article), and the costs meant for loose
    translation (dear to leave a sentence alone, free to join one) glue the lines around the excerpt
    to its edges. The link scale itself still puts the links on news's scale; this one says how
    loose the translation is. Elsewhere the two are the same.
    """
    n, m = problem.src_win.shape[1], problem.tgt_win.shape[1]
    src, tgt = problem.src_win[0, :n], problem.tgt_win[0, :m]
    samples = problem.config.norm_samples
    src_norm = _closest_left_out(src, tgt, samples, problem.src_norm[0, :n])
    tgt_norm = _closest_left_out(tgt, src, samples, problem.tgt_norm[0, :m])
    return link_scale(problem, [(i, j, float((1.0 - src[i] @ tgt[j]) / max(0.5 * (src_norm[i] + tgt_norm[j]), 1e-3)))
                                for i, j, _ in mutual])


def _closest_left_out(single: np.ndarray, other: np.ndarray, samples: int, norm: np.ndarray) -> np.ndarray:
    """Each sentence's unrelatedness without its closest sentence of ``other``, where ``_unrelatedness`` compared
    it with all of them (``samples`` or fewer); ``norm`` as it is elsewhere."""
    if not UNRELATED_MIN <= len(other) <= samples:
        return norm
    return 1.0 - np.sort(single @ other.T, axis=1)[:, :-1].mean(axis=1)


def document_log_ratio(problem: _Problem, mutual: Sequence[tuple[int, int, float]]) -> float:
    """The document's log length ratio (target over source characters), robust to large omissions.

    The ratio of the two totals is what a translation's beads follow, unless
    one version lacks a whole passage (a chapter, a page): then the totals
    lie, and the length prior pulls every bead towards that lie (a 2-1 bead
    where a 1-1 is right), so the passage's absence is spread over the whole
    document instead of being left alone where it is. The stretches between
    consecutive mutual nearest sentences that keep their order say what the
    translation's ratio really is; their median ignores the missing passage.
    The totals stay unless the two disagree by more than ``ratio_tolerance``.
    A chain of 8 pairs is needed, or, in a document of a few sentences (a translation of an article's opening
    against the whole article), one through two thirds of the shorter side's sentences.
    """
    totals = problem.log_ratio
    chain = _increasing_chain(mutual)
    shorter = min(len(problem.src_len), len(problem.tgt_len)) - 1
    if len(chain) < 8 and not (len(chain) >= 2 and 3 * len(chain) >= 2 * shorter):
        return totals
    i, j = np.array([p[0] for p in chain]), np.array([p[1] for p in chain])
    src = problem.src_len[i[1:]] - problem.src_len[i[:-1]]
    tgt = problem.tgt_len[j[1:]] - problem.tgt_len[j[:-1]]
    stretches = float(np.median(np.log((tgt + 1.0) / (src + 1.0))))
    return stretches if abs(stretches - totals) > problem.config.ratio_tolerance else totals


def _increasing_chain(pairs: Sequence[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The longest run of ``pairs`` (sorted by source) whose targets increase too: the pairs that keep order."""
    tails: list[int] = []  # tails[k]: the pair with the smallest target that ends an increasing run of k + 1
    tail_targets: list[int] = []
    before = [-1] * len(pairs)
    for index, (_, j, _) in enumerate(pairs):
        k = bisect.bisect_left(tail_targets, j)
        before[index] = tails[k - 1] if k else -1
        if k == len(tails):
            tails.append(index)
            tail_targets.append(j)
        else:
            tails[k], tail_targets[k] = index, j
    chain, index = [], tails[-1] if tails else -1
    while index >= 0:
        chain.append(pairs[index])
        index = before[index]
    return chain[::-1]


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
    coarse, _, _ = coarse_problem.search(clo, chi, COARSE_TYPES, posteriors=False)
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


# A path bead ending this close to the band's edge is leaning on it (see ``widened_band``).
BAND_EDGE = 2
# A run of one-sided beads leaving at least this many sentences alone on each side is a detour.
DETOUR = 2


def widened_band(lo: np.ndarray, hi: np.ndarray, path: Sequence[tuple[int, int, int, int]],
                 step: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The band opened by ``step`` where ``path`` shows that it may miss the right path; None if nowhere.

    The coarse pass averages blocks of sentences, and a long passage that one version lacks
    looks to it like a run of weak merges spread along the document, so its path, and the
    band around it, can miss the right one by more than the band's width. The best path
    inside such a band then runs along its edge, or makes a detour that leaves sentences of
    both sides alone, which a band that holds the right path rarely makes it do: opening the
    band there, wider each time, lets the search find its way back.
    """
    n, m = len(lo) - 1, int(hi[-1])
    new_lo, new_hi = lo.copy(), hi.copy()
    for i, j, down, up in _band_doubts(lo, hi, path, m):
        rows = slice(max(0, i - step), min(n, i + step) + 1)
        if down:
            new_lo[rows] = np.minimum(new_lo[rows], max(0, j - step))
        if up:
            new_hi[rows] = np.maximum(new_hi[rows], min(m, j + step))
    new_lo = np.minimum.accumulate(new_lo[::-1])[::-1]
    new_hi = np.maximum.accumulate(new_hi)
    if np.array_equal(new_lo, lo) and np.array_equal(new_hi, hi):
        return None
    return new_lo, new_hi


def _band_doubts(lo: np.ndarray, hi: np.ndarray, path: Sequence[tuple[int, int, int, int]], m: int):
    """Points (i, j) of the path where the band should open, and whether downwards and upwards:
    the ends of beads on its edge, and both ends of each detour (see ``widened_band``)."""
    n = len(lo) - 1
    detour: list[int] = []  # start i, start j, sentences left alone on each side
    for i0, a, j0, b in [*path, (n, 0, m, 0)]:  # an empty sentinel bead at the end closes the last run
        if a and b or (i0, j0) == (n, m):
            if detour and min(detour[2:]) >= DETOUR:
                yield detour[0], detour[1], lo[detour[0]] > 0, hi[detour[0]] < m
                yield i0, j0, lo[i0] > 0, hi[i0] < m
            detour = []
        else:
            detour = detour or [i0, j0, 0, 0]
            detour[2] += a
            detour[3] += b
        i, j = i0 + a, j0 + b
        down, up = lo[i] > 0 and j - lo[i] <= BAND_EDGE, hi[i] < m and hi[i] - j <= BAND_EDGE
        if (down or up) and (i, j) != (n, m):
            yield i, j, down, up


def align_embeddings(src_win: np.ndarray, tgt_win: np.ndarray, src_chars: Sequence[int], tgt_chars: Sequence[int],
                     config: AlignerConfig = AlignerConfig(), fixed: Sequence[Bead] = (),
                     evidence: TextEvidence = NO_EVIDENCE, strangers: Strangers = None,
                     earlier: Sequence[Bead] | None = None) -> list[Bead]:
    """Beads covering every source and target sentence once, in order, with confidences.

    ``*_win`` are window embeddings as made by ``mean_windows`` (possibly
    with exact embeddings of joined sentences put in); ``*_chars`` are the
    sentence lengths in characters for the length prior.

    ``fixed`` beads, confirmed by a person, are kept as they are. Links
    split the documents into gaps that are aligned independently, so
    nothing moves across a confirmed link; a confirmed omission takes its
    sentence out of whatever bead the gap's alignment put it in.

    ``evidence`` from the texts makes a link dearer where it disagrees:
    ``config.paragraph_cost`` per disagreement with the paragraphs (which
    sentences open one on each side), ``config.anchor_cost`` per shared
    number or name it holds on one side only, and ``config.bracket_cost``
    per bracket its sides leave open by different amounts. Translators keep
    paragraphs, figures, names and asides, so where the meaning is loosely
    rendered they still say where a bead may end.

    ``strangers`` stand in for unrelated sentences where a document has too few (see ``Strangers``).

    ``earlier``: the first look's beads with their raw posteriors (``first_look``), where one was
    taken; whether it had a bead, and how sure of it it was, is part of the bead's probability (see
    ``calibrated``). Without one, every bead counts as its own first look.
    """
    omitted = {("src", i) for b in fixed if not b.tgt for i in b.src} | {("tgt", j) for b in fixed if not b.src for j in b.tgt}
    confirmed = {b for b in fixed if b.src and b.tgt}
    beads: list[Bead] = []
    for bead, features in beads_with_features(src_win, tgt_win, src_chars, tgt_chars, config, fixed, evidence,
                                              strangers, earlier):
        if features is not None:
            bead = replace(bead, score=calibrated(features, config))
        beads.extend([bead] if bead in confirmed else _without_omitted(bead, omitted, fixed))
    return beads


def beads_with_features(src_win: np.ndarray, tgt_win: np.ndarray, src_chars: Sequence[int], tgt_chars: Sequence[int],
                        config: AlignerConfig = AlignerConfig(), fixed: Sequence[Bead] = (),
                        evidence: TextEvidence = NO_EVIDENCE, strangers: Strangers = None,
                        earlier: Sequence[Bead] | None = None) -> list[tuple[Bead, tuple[float, ...] | None]]:
    """The cheapest path's beads, each scored by its raw path posterior, with what the calibration map
    weighs (``calibration_features``; None for a confirmed link or a bead with no alternative).

    ``align_embeddings`` maps these to probabilities, and ``bench/calibrate.py`` fits the map on them, so
    both read the same features: the document's own length ratio and link scale, not a re-derivation.
    """
    found, scale, _ = _search_gaps(src_win, tgt_win, src_chars, tgt_chars, config, fixed, evidence=evidence,
                                   strangers=strangers)
    merged_share = share_merged([b for b, _ in found])
    first = None if earlier is None else {(b.src, b.tgt): b.score for b in earlier}
    scored: list[tuple[Bead, tuple[float, ...] | None]] = []
    for bead, deviation in found:
        features = None
        if deviation is not None:
            before = bead.score if first is None else first.get((bead.src, bead.tgt))
            features = calibration_features(log_odds(bead.score), (len(bead.src), len(bead.tgt)), deviation,
                                            merged_share, scale, None if before is None else log_odds(before))
        scored.append((bead, features))
    return scored


@dataclass(frozen=True)
class FirstLook:
    """The path that averaged embeddings give, each bead scored by its raw path posterior; the source and
    target runs ``(start, size)`` of 2+ sentences that plausible paths link as a whole; and the document's
    link scale (see ``link_scale``)."""

    beads: list[Bead]
    runs: tuple[set, set]
    link_scale: float


def first_look(src_win: np.ndarray, tgt_win: np.ndarray, src_chars: Sequence[int], tgt_chars: Sequence[int],
               config: AlignerConfig = AlignerConfig(), fixed: Sequence[Bead] = (),
               threshold: float = PLAUSIBLE_RUN, evidence: TextEvidence = NO_EVIDENCE,
               strangers: Strangers = None) -> FirstLook:
    """A first alignment with averaged embeddings of joined runs, to see which runs deserve exact ones.

    A run's posterior is the share of all paths' weight whose beads link
    it; runs at or above ``threshold`` are where another segmentation
    competes, so they are worth an exact embedding of their joined text.
    Close translations have few such runs and free ones many, so the
    encoding follows the document's difficulty with no rule about it.
    """
    found, scale, runs = _search_gaps(src_win, tgt_win, src_chars, tgt_chars, config, fixed, threshold, evidence,
                                      strangers)
    return FirstLook([bead for bead, _ in found], runs, scale)


def _search_gaps(src_win: np.ndarray, tgt_win: np.ndarray, src_chars: Sequence[int], tgt_chars: Sequence[int],
                 config: AlignerConfig, fixed: Sequence[Bead], threshold: float | None = None,
                 evidence: TextEvidence = NO_EVIDENCE, strangers: Strangers = None
                 ) -> tuple[list[tuple[Bead, float | None]], float, tuple[set, set]]:
    """Every gap between confirmed links searched with the whole document's statistics.

    Returns the beads in order, each with its raw path posterior as score
    and its length deviation (None for a confirmed link or a bead with no
    alternative), the document's link scale, and, given a ``threshold``,
    the runs whose posterior of being linked as a whole reaches it.
    """
    links = [b for b in fixed if b.src and b.tgt]
    n, m = len(src_chars), len(tgt_chars)
    runs: tuple[set, set] = (set(), set())
    if n == 0 or m == 0:
        return _one_sided(n, m), 1.0, runs
    rng = np.random.default_rng(config.seed)
    document, lo, hi = _document(src_win, tgt_win, src_chars, tgt_chars, config, rng, evidence, strangers)
    found: list[tuple[Bead, float | None]] = []
    for ((s0, s1), (t0, t1)), link in _gaps(links, n, m):
        whole = (s0, s1, t0, t1) == (0, n, 0, m)  # no confirmed link: the document's band serves
        beads, span_runs = _align_span(document.span(s0, s1, t0, t1), rng, (lo, hi) if whole else None,
                                       runs=threshold is not None)
        for bead, deviation in beads:
            shifted = Bead(tuple(i + s0 for i in bead.src), tuple(j + t0 for j in bead.tgt), bead.score, bead.similarity)
            found.append((shifted, deviation))
        for side, posteriors, offset in zip(runs, span_runs or (), (s0, t0)):
            sizes, starts = np.nonzero(posteriors[1:] >= threshold)
            side.update((int(i) + offset, int(k) + 2) for k, i in zip(sizes, starts))
        if link is not None:
            found.append((link, None))
    return found, document.link_scale, runs


def _one_sided(n: int, m: int) -> list[tuple[Bead, None]]:
    """Where one side has nothing, every sentence of the other is left alone, certainly."""
    return [(Bead((i,), (), 1.0), None) for i in range(n)] + [(Bead((), (j,), 1.0), None) for j in range(m)]


def _document(src_win: np.ndarray, tgt_win: np.ndarray, src_chars: Sequence[int], tgt_chars: Sequence[int],
              config: AlignerConfig, rng: np.random.Generator,
              evidence: TextEvidence = NO_EVIDENCE,
              strangers: Strangers = None) -> tuple[_Problem, np.ndarray, np.ndarray]:
    """The whole document's statistics with its link scale, and its search band."""
    document = _Problem.build(src_win, tgt_win, src_chars, tgt_chars, config, rng, evidence=evidence,
                              strangers=strangers)
    n, m = len(src_chars), len(tgt_chars)
    lo, hi = search_band(src_win[0, :n], tgt_win[0, :m], document.src_len, document.tgt_len, config, rng)
    mutual = _mutual_nearest(document, lo, hi) if n >= 3 and m >= 3 else []
    # Nearest pairs stretched to a translation's scale make confident links of chance pairs: the stretch
    # is believed as far as the pairs look like a translation's.
    evidence = (translation_evidence(mutual, n, m) if hi[0] == m
                else translation_evidence(*_mutual_nearest_opening(document, RELATED_OPENING)))
    document = replace(document, link_scale=1.0 + evidence * (link_scale(document, mutual) - 1.0),
                       looseness=1.0 + evidence * (looseness(document, mutual) - 1.0),
                       log_ratio=document_log_ratio(document, mutual) if evidence > 0 else document.log_ratio)
    return document, lo, hi


def _without_omitted(bead: Bead, omitted: set, fixed: Sequence[Bead]) -> list[Bead]:
    """A bead with its confirmed-omitted sentences split off as their own beads."""
    src = tuple(i for i in bead.src if ("src", i) not in omitted)
    tgt = tuple(j for j in bead.tgt if ("tgt", j) not in omitted)
    if len(src) == len(bead.src) and len(tgt) == len(bead.tgt):
        return [bead]
    kept = [Bead(src, tgt, bead.score)] if src or tgt else []  # another shape: its similarity is unknown
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


def _align_span(problem: _Problem, rng: np.random.Generator, band: tuple[np.ndarray, np.ndarray] | None = None,
                runs: bool = False) -> tuple[list[tuple[Bead, float | None]], tuple | None]:
    """The most probable beads of one span, each with its path posterior as score and its length deviation,
    and with ``runs`` the span's run posteriors (see ``_Problem.search``).

    A span with one side empty has only one possible answer, certain once
    its confirmed neighbours are: its beads keep probability 1 (deviation None).
    """
    n, m = len(problem.src_len) - 1, len(problem.tgt_len) - 1
    if n == 0 or m == 0:
        return _one_sided(n, m), None
    lo, hi = band or search_band(problem.src_win[0, :n], problem.tgt_win[0, :m], problem.src_len, problem.tgt_len,
                                 problem.config, rng)
    path, posteriors, span_runs = problem.search(lo, hi, bead_types(problem.config), runs=runs)
    step = max(int(np.median(hi - lo)), problem.config.band_width)
    budget = problem.config.widened_cells * float((hi - lo + 1).sum())
    for _ in range(problem.config.widenings):
        wider = widened_band(lo, hi, path, step)
        if wider is None or int((wider[1] - wider[0] + 1).sum()) > budget:  # time and memory stay linear
            break
        (lo, hi), step, before = wider, step * 2, path
        path, posteriors, span_runs = problem.search(lo, hi, bead_types(problem.config), runs=runs)
        if path == before:  # what looked like a way out was the right path
            break
    beads = [((i0, a, j0, b), float(p), problem.length_deviation(i0, a, j0, b))
             for (i0, a, j0, b), p in zip(path, posteriors)]
    return [(Bead(tuple(range(i0, i0 + a)), tuple(range(j0, j0 + b)), p, problem.similarity(i0, a, j0, b)), deviation)
            for (i0, a, j0, b), p, deviation in with_crossings(beads, problem)], span_runs


def with_crossings(beads: list[tuple[tuple[int, int, int, int], float, float | None]],
                   problem: _Problem) -> list[tuple[tuple[int, int, int, int], float, float | None]]:
    """The path's beads ``((i0, a, j0, b), posterior, deviation)``, with each swap of two sentences as one bead.

    A translator who swaps two sentences leaves a path in order no way to link both: it leaves one of them
    alone on each side (a 1-0, a link, a 0-1), and sure of it, since every other path is dearer. Where the
    two sentences left alone are as close as the document's typical link (``CROSSING_SHARE`` of its
    median), they are one bead with what lies between them, as a monotone alignment holds a crossing, at
    probability ``CROSSING_PROBABILITY`` (deviation None: left as it is) so that the reviewer looks at it.
    Sentences left alone with no such partner, the omissions of news, stay as they are.
    """
    links = [problem.similarity(*bead) for bead, _, _ in beads if bead[1] == 1 and bead[3] == 1]
    if len(links) < 2:
        return beads
    typical = float(np.median(links))
    out, k = [], 0
    while k < len(beads):
        for last in (k + 1, k + 2):
            group = [bead for bead, _, _ in beads[k:last + 1]]
            if last < len(beads) and _swapped(group[0], group[-1], problem, CROSSING_SHARE * typical):
                i0, j0 = min(b[0] for b in group), min(b[2] for b in group)
                a, b = sum(g[1] for g in group), sum(g[3] for g in group)
                if max(a, b) <= MAX_WINDOW:
                    out.append(((i0, a, j0, b), CROSSING_PROBABILITY, None))
                    k = last + 1
                    break
        else:
            out.append(beads[k])
            k += 1
    return out


def _swapped(first: tuple[int, int, int, int], last: tuple[int, int, int, int], problem: _Problem,
             floor: float) -> bool:
    """Whether two one-sided beads, one on each side, hold one sentence each that translate each other."""
    alone = [bead for bead in (first, last) if (bead[1] == 0) != (bead[3] == 0) and bead[1] + bead[3] == 1]
    if len(alone) != 2 or alone[0][1] == alone[1][1]:
        return False
    src, tgt = (alone[0], alone[1]) if alone[0][1] else (alone[1], alone[0])
    return problem.similarity(src[0], 1, tgt[2], 1) >= floor
