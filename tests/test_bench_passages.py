"""bench/passages.py: a passage taken out of one side, with the gold renumbered to match."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from align.types import Bead

_spec = importlib.util.spec_from_file_location("bench_passages",
                                               Path(__file__).resolve().parents[1] / "bench" / "passages.py")
passages = sys.modules["bench_passages"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(passages)

SRC = [f"s{k}" for k in range(6)]
TGT = [f"t{k}" for k in range(7)]
GOLD = [Bead((0,), (0,)), Bead((1,), (1, 2)), Bead((2,), (3,)), Bead((3, 4), (4,)), Bead((5,), (5,)), Bead((), (6,))]


def test_a_target_passage_taken_out_leaves_its_sources_alone():
    src, tgt, gold = passages.cut(SRC, TGT, GOLD, "tgt", where=2 / 7, size=3)  # t2, t3, t4
    assert src == SRC and tgt == ["t0", "t1", "t5", "t6"]
    assert gold == [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), ()), Bead((3, 4), ()), Bead((5,), (2,)),
                    Bead((), (3,))]


def test_a_source_passage_taken_out_renumbers_the_gold_and_drops_what_emptied():
    src, tgt, gold = passages.cut(SRC, TGT, GOLD, "src", where=0.0, size=1)
    assert src == SRC[1:] and tgt == TGT
    assert gold[0] == Bead((), (0,)) and gold[1] == Bead((0,), (1, 2)) and gold[3] == Bead((2, 3), (4,))
    assert passages.cut(SRC, TGT, GOLD, "tgt", where=6 / 7, size=1)[2] == GOLD[:-1]  # the added t6 is gone
    assert passages.cut(SRC, TGT, GOLD, "src", where=0.5, size=0) == (SRC, TGT, GOLD)


def test_the_runs_told_are_scored_against_the_gold_runs():
    gold = [Bead((0,), (0,))] + [Bead((k,), ()) for k in range(1, 7)] + [Bead((7,), (1,))]
    assert passages.said(gold, gold) == (1.0, 1.0)
    shifted = [Bead((0,), (0,)), Bead((1,), (1,))] + [Bead((k,), ()) for k in range(2, 8)]  # 2-7 told, 1-6 true
    assert passages.said(gold, shifted) == (5 / 6, 5 / 6)
    assert passages.said(gold, [Bead((k,), (k,)) for k in range(8)]) == (1.0, 0.0)  # nothing told
