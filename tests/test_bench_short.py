"""bench/short.py: dev documents cut into short pieces of gold beads, renumbered."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from align.types import Bead

_spec = importlib.util.spec_from_file_location("bench_short",
                                               Path(__file__).resolve().parents[1] / "bench" / "short.py")
short = sys.modules["bench_short"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(short)


def test_pieces_cut_the_gold_into_runs_renumbered_from_zero():
    gold = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((3,), ()), Bead((), (2,)), Bead((4,), (3, 4))]
    assert short.pieces(gold, 2) == [
        ([0, 1, 2], [0, 1], [Bead((0,), (0,)), Bead((1, 2), (1,))]),
        ([3], [2], [Bead((0,), ()), Bead((), (0,))]),
        ([4], [3, 4], [Bead((0,), (0, 1))]),
    ]
    # A run with nothing on one side has nothing to align: left out.
    assert short.pieces([Bead((0,), ()), Bead((1,), (0,))], 1) == [([1], [0], [Bead((0,), (0,))])]
