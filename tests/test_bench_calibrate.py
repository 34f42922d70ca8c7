"""bench/calibrate.py: the weighted logistic fit behind the calibration map, on made-up beads."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

_spec = importlib.util.spec_from_file_location("bench_calibrate",
                                               Path(__file__).resolve().parents[1] / "bench" / "calibrate.py")
calibrate = sys.modules["bench_calibrate"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(calibrate)


def _beads(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A log-odds feature, the intercept column, and labels drawn from a known logistic model."""
    rng = np.random.default_rng(seed)
    z = rng.normal(2.0, 2.0, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(1.5 * z - 1.0)))).astype(float)
    return np.column_stack([z, np.ones(n)]), y


def test_the_fit_recovers_a_known_map():
    x, y = _beads(20_000, 1)
    w = calibrate.fit_logistic(x, y)
    assert abs(w[0] - 1.5) < 0.1 and abs(w[1] + 1.0) < 0.15


def test_a_weight_counts_as_copies_of_a_row():
    (xa, ya), (xb, yb) = _beads(300, 2), _beads(300, 3)
    copies = calibrate.fit_logistic(np.vstack([xa, xb, xb]), np.concatenate([ya, yb, yb]))
    weighted = calibrate.fit_logistic(np.vstack([xa, xb]), np.concatenate([ya, yb]),
                                      weight=np.concatenate([np.ones(300), np.full(300, 2.0)]))
    assert np.allclose(copies, weighted, atol=1e-6)
    assert not np.allclose(weighted, calibrate.fit_logistic(np.vstack([xa, xb]), np.concatenate([ya, yb])))


def test_draws_of_a_row_weighing_one_over_n_weigh_as_one_row():
    data = {"a": _beads(400, 4), "b+loose": _beads(400, 5), "b+loose#1": _beads(400, 5)}
    twice = calibrate.fit_rows(data, {"a": 1.0, "b+loose": 0.5, "b+loose#1": 0.5}, list(data))
    once = calibrate.fit_rows(data, {"a": 1.0, "b+loose": 1.0}, ["a", "b+loose"])
    assert np.allclose(twice, once, atol=1e-6)
