"""Fit the review's omission evidence by logistic regression and compare it with the rule in the code.

Reads the dumps of ``bench/review.py --dump`` (every unit's ``OMISSION_FEATURES``, its truth and
whether another flag already makes it major). Positives: units that lost part of their source
(``clause``, ``name``, ``truncate``); negatives: untouched units and faithful rewrites. Units another
flag already catches are left out of the fit, since the evidence only decides the others.

    python bench/fit_omission.py --train D/s1[1-8].npz [--features shortness,window_gain,shortness*margin,...]
                                 [--tune D/s1.npz D/s2.npz ...] [--check D/s3.npz ...]
                                 [--positive-weight W] [--min-shortness Z] [--ridge R]

Prints the fitted weights (on the raw features) and, for every ``--check`` set, what the bench
would report with the current rule (``ReviewConfig``'s ``window_weight``, ``size_weight``, ``name_*`` weights and
``omission_threshold``; these lines equal bench/review.py's) and with the fitted score, at the
threshold that gives the ``--tune`` sets together the current rule's false flags.
The corruption sets of every seed are made from the same clean NTREX lines, so a model that can
single out lines (trees, boosting) learns the clean ones by heart: check it on units it never saw,
training on ``--half 0`` dumps and checking on ``--half 1`` ones.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align.review.model import ReviewConfig  # noqa: E402

POSITIVE = ("clause", "name", "truncate")
NEGATIVE = ("", "spelled", "converted")
RULE = ReviewConfig()
CURRENT = {"shortness": 1.0, "window_gain": RULE.window_weight, "source_size": RULE.size_weight,
           "name_missing": RULE.name_weight,
           "name_gain": RULE.name_gain_weight, "name_extra": -RULE.name_extra_weight,
           "name_common": -RULE.name_common_weight, "name_rendered": RULE.name_rendered_weight}


def load(paths: list[Path]) -> dict[str, np.ndarray]:
    parts = [np.load(path) for path in paths]
    out = {key: np.concatenate([p[key] for p in parts]) for key in ("features", "kind", "other_major")}
    out["names"] = parts[0]["names"]
    return out


def design(data: dict[str, np.ndarray], features: list[str]) -> np.ndarray:
    """Columns for ``features``; ``a*b`` is the product of two features."""
    col = {str(name): i for i, name in enumerate(data["names"])}
    x = data["features"]
    cols = []
    for name in features:
        a, _, b = name.partition("*")
        cols.append(x[:, col[a]] * (x[:, col[b]] if b else 1.0))
    return np.column_stack(cols)


def fit(x: np.ndarray, y: np.ndarray, ridge: float = 1.0, positive_weight: float = 1.0) -> tuple[float, np.ndarray]:
    """Logistic regression by Newton steps, ridge on the standardised weights, positives weighing
    ``positive_weight`` each; returns the raw bias and weights."""
    mean, sd = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.column_stack([np.ones(len(x)), (x - mean) / sd])
    w = np.where(y == 1, positive_weight, 1.0)
    beta = np.zeros(z.shape[1])
    penalty = ridge * np.eye(z.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ beta))
        grad = z.T @ (w * (y - p)) - penalty @ beta
        hess = z.T @ (z * (w * p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    weights = beta[1:] / sd
    return float(beta[0] - (weights * mean).sum()), weights


def auc(score: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(score, kind="stable")
    ranks = np.empty(len(score))
    ranks[order] = np.arange(1, len(score) + 1)
    pos = y == 1
    return float((ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / max(pos.sum() * (~pos).sum(), 1))


def scores(data, features, bias, weights) -> np.ndarray:
    """The score as ``_omission_flags`` applies it: a unit is flagged when the score without the name
    terms reaches the threshold (``partial_omission``), or, where a source name is missing, the score
    with them but without the source's size (``name_mismatch``)."""
    x = design(data, features)
    named = np.array([f.startswith("name_") or "*name_" in f for f in features])
    sized = np.array(["source_size" in f for f in features])
    col = {str(name): i for i, name in enumerate(data["names"])}
    missing = data["features"][:, col["name_missing"]] > 0
    partial = bias + x[:, ~named] @ weights[~named]
    name = np.where(missing, bias + x[:, ~sized] @ weights[~sized], -np.inf)
    return np.fmax(partial, name)


def report(label: str, data, score: np.ndarray, threshold: float) -> str:
    kind, other = data["kind"], data["other_major"]
    flagged = other | (np.nan_to_num(score, nan=-np.inf) >= threshold)
    clean = kind == ""
    errors = ~np.isin(kind, NEGATIVE)
    rec = {k: f"{(flagged & (kind == k)).sum()}/{(kind == k).sum()}" for k in POSITIVE}
    return (f"{label:10} recall {(flagged & errors).sum()}/{errors.sum()} FF {(flagged & clean).sum()}/{clean.sum()} "
            f"clause {rec['clause']} name {rec['name']} trunc {rec['truncate']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, nargs="+", required=True)
    parser.add_argument("--check", type=Path, nargs="*", default=[], help="sets to report (one line each)")
    parser.add_argument("--tune", type=Path, nargs="*", default=[],
                        help="the threshold gives the current rule's false flags on these sets together")
    parser.add_argument("--features", default="shortness,window_checked,window_gain,log_ratio,log_src_chars,"
                        "source_size,centred,margin,name_missing,name_extra,name_common,name_gain,name_rendered")
    parser.add_argument("--ridge", type=float, default=1.0)
    parser.add_argument("--all-units", action="store_true", help="fit on units other flags catch too")
    parser.add_argument("--positive-weight", type=float, default=1.0, help="weight of a positive in the fit")
    parser.add_argument("--min-shortness", type=float, default=None,
                        help="fit only on units at least this short (robust SDs) or missing a name")
    args = parser.parse_args()
    features = args.features.split(",")
    train = load(args.train)
    x = design(train, features)
    kind = train["kind"]
    keep = ~np.isnan(x).any(axis=1) & np.isin(kind, POSITIVE + NEGATIVE)
    if not args.all_units:
        keep &= ~train["other_major"]
    if args.min_shortness is not None:
        col = {str(name): i for i, name in enumerate(train["names"])}
        f = train["features"]
        keep &= (f[:, col["shortness"]] >= args.min_shortness) | (f[:, col["name_missing"]] > 0)
    y = np.isin(kind[keep], POSITIVE).astype(float)
    bias, weights = fit(x[keep], y, args.ridge, args.positive_weight)
    print(f"fit on {keep.sum()} units ({int(y.sum())} positives) of {len(args.train)} dumps")
    print(f"bias {bias:.4f}")
    for name, w in zip(features, weights):
        print(f"  {name:22} {w:+.4f}")
    cur = [CURRENT.get(f, 0.0) for f in features]
    s_new, s_cur = bias + x[keep] @ weights, x[keep] @ np.array(cur)
    print(f"train AUC: fitted {auc(s_new, y):.4f}, current rule {auc(s_cur, y):.4f}")
    print("weights: (" + ", ".join(f'("{n}", {w:.4g})' for n, w in zip(features, weights)) + f"), bias {bias:.4g}")
    if args.tune:
        tune = [load([p]) for p in args.tune]
        current_ff = sum(int(((t["other_major"] | (np.nan_to_num(scores(t, features, 0.0, np.array(cur)), nan=-np.inf)
                                                   >= RULE.omission_threshold)) & (t["kind"] == "")).sum())
                         for t in tune)
        fitted = [scores(t, features, bias, weights) for t in tune]
        candidates = np.sort(np.concatenate([s[~np.isnan(s)] for s in fitted]))[::-1]
        threshold = candidates[0] + 1
        for c in candidates:
            ff = sum(int(((t["other_major"] | (np.nan_to_num(s, nan=-np.inf) >= c)) & (t["kind"] == "")).sum())
                     for t, s in zip(tune, fitted))
            if ff > current_ff:
                break
            threshold = c
        print(f"threshold {threshold:.4f}: false flags on the tuning sets {current_ff} as the current rule's")
        for path in args.check:
            data = load([path])
            print(report(path.stem, data, scores(data, features, 0.0, np.array(cur)), RULE.omission_threshold)
                  + "   (current)")
            print(report(path.stem, data, scores(data, features, bias, weights), threshold) + "   (fitted)")


if __name__ == "__main__":
    main()
