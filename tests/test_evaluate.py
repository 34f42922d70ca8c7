"""Strict/lax precision, recall and F1 as Vecalign's score.py and Bertalign's eval.py define them,
and the quality of bead confidences (AUROC, share at 99% precision, calibration), on hand-made cases."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import DATA

from align.errors import FormatError
from align.formats.beads import read_beads
from align.pairing.evaluate import (
    Counts,
    auroc,
    confidence_labels,
    exactly_right,
    expected_calibration_error,
    reliability,
    score_dirs,
    score_documents,
    share_at_precision,
)
from align.types import Bead

BENCH = DATA / "bench"
BENCH_SETS = sorted(p for p in BENCH.glob("*") if any(p.glob("*.gold")))


def beads(*lines: str):
    return read_beads(lines)


GOLD = beads("[0]:[0]", "[1]:[1]", "[2, 3]:[2]", "[]:[3]", "[4]:[4]")


def test_perfect_hypothesis_scores_one():
    scores = score_documents([(GOLD, list(GOLD))])
    assert scores.precision_counts == Counts(total=5, strict=5, lax=5)
    assert scores.recall_counts == Counts(total=4, strict=4, lax=4)  # the 0-1 gold bead is not recalled
    assert (scores.strict_precision, scores.strict_recall, scores.strict_f1) == (1.0, 1.0, 1.0)
    assert (scores.lax_precision, scores.lax_recall, scores.lax_f1) == (1.0, 1.0, 1.0)
    assert scores.documents == 1


def test_partial_hypothesis_by_hand():
    hyp = beads("[0]:[0]", "[1]:[1]", "[2]:[2]", "[3]:[]", "[]:[3]", "[4]:[4]")
    scores = score_documents([(GOLD, hyp)])
    # [2]:[2] shares the link 2-2 with gold [2, 3]:[2]: lax only. [3]:[] is not in gold and
    # has no links, so it is wrong even laxly; []:[3] is exactly in gold, so it is right.
    assert scores.precision_counts == Counts(total=6, strict=4, lax=5)
    # Gold [2, 3]:[2] is missed strictly but found laxly through [2]:[2].
    assert scores.recall_counts == Counts(total=4, strict=3, lax=4)
    assert scores.strict_precision == pytest.approx(4 / 6)
    assert scores.strict_recall == pytest.approx(3 / 4)
    assert scores.strict_f1 == pytest.approx(12 / 17)
    assert scores.lax_precision == pytest.approx(5 / 6)
    assert scores.lax_recall == 1.0
    assert scores.lax_f1 == pytest.approx(10 / 11)


def test_predicted_omission_counts_only_when_gold_has_exactly_it():
    gold = beads("[0]:[0]", "[1]:[1]")
    hyp = beads("[0]:[0]", "[1]:[]", "[]:[1]")
    scores = score_documents([(gold, hyp)])
    assert scores.precision_counts == Counts(total=3, strict=1, lax=1)
    assert scores.recall_counts == Counts(total=2, strict=1, lax=1)


def test_gold_omissions_do_not_count_for_recall():
    gold = beads("[0]:[0]", "[]:[1]", "[1]:[]")
    hyp = beads("[0]:[0, 1]", "[1]:[]")
    scores = score_documents([(gold, hyp)])
    assert scores.precision_counts == Counts(total=2, strict=1, lax=2)
    assert scores.recall_counts == Counts(total=1, strict=0, lax=1)
    assert scores.strict_recall == 0.0 and scores.lax_recall == 1.0


def test_lax_needs_a_shared_link_not_just_a_shared_side():
    gold = beads("[0]:[0]", "[1]:[1]")
    hyp = beads("[0]:[1]", "[1]:[0]")  # every sentence used, every link wrong
    scores = score_documents([(gold, hyp)])
    assert scores.precision_counts == Counts(total=2, strict=0, lax=0)
    assert scores.strict_f1 == 0.0 and scores.lax_f1 == 0.0


def test_counts_are_summed_over_documents_not_averaged():
    one = beads("[0]:[0]")
    four = beads("[0]:[0]", "[1]:[1]", "[2]:[2]", "[3]:[3]")
    wrong = beads("[0]:[1]", "[1]:[2]", "[2]:[3]", "[3]:[0]")
    scores = score_documents([(one, one), (four, wrong)])
    assert scores.strict_precision == pytest.approx(1 / 5)  # a mean of ratios would say 0.5
    assert scores.documents == 2


def test_nothing_to_score_is_zero_not_an_error():
    scores = score_documents([])
    assert (scores.strict_precision, scores.strict_recall, scores.strict_f1) == (0.0, 0.0, 0.0)
    assert scores.documents == 0


def _write_beads(directory: Path, name: str, lines: list[str]) -> None:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_score_dirs_matches_files_by_stem(tmp_path):
    gold, hyp = tmp_path / "gold", tmp_path / "hyp"
    _write_beads(gold, "a.gold", ["[0]:[0]", "[1]:[1]"])
    _write_beads(gold, "b.gold", ["[0]:[0]"])
    _write_beads(hyp, "a.beads", ["[0]:[0]", "[1]:[1]"])
    _write_beads(hyp, "b.gold", ["[0]:[1]"])
    _write_beads(hyp, "c.beads", ["[0]:[0]"])  # no gold: ignored
    scores = score_dirs(gold, hyp)
    assert scores.documents == 2
    assert scores.precision_counts == Counts(total=3, strict=2, lax=2)


def test_score_dirs_lists_missing_hypotheses(tmp_path):
    gold, hyp = tmp_path / "gold", tmp_path / "hyp"
    for name in ("001.gold", "002.gold", "003.gold"):
        _write_beads(gold, name, ["[0]:[0]"])
    _write_beads(hyp, "002.beads", ["[0]:[0]"])
    with pytest.raises(FormatError, match="no hypothesis in .* for: 001, 003"):
        score_dirs(gold, hyp)


def test_score_dirs_without_gold_files(tmp_path):
    with pytest.raises(FormatError, match="no \\*.gold files"):
        score_dirs(tmp_path, tmp_path)


@pytest.mark.parametrize("bench_set", BENCH_SETS, ids=lambda p: p.name)
def test_gold_against_itself_scores_one(bench_set):
    scores = score_dirs(bench_set, bench_set)
    assert scores.documents == len(list(bench_set.glob("*.gold")))
    assert scores.strict_f1 == 1.0 and scores.lax_f1 == 1.0


# --- Confidence quality -------------------------------------------------------------------------


def test_exactly_right_needs_the_identical_bead():
    hyp = beads("[0]:[0]", "[1]:[1]", "[2]:[2]", "[3]:[]", "[]:[3]", "[4]:[4]", "[]:[]")
    # [2]:[2] is only part of gold [2, 3]:[2]; [3]:[] is not in gold; a bead with no text is never right.
    assert exactly_right(hyp, GOLD).tolist() == [True, True, False, False, True, True, False]
    assert exactly_right(beads("[3]:[]", "[0]:[0, 1]"), beads("[3]:[]", "[0]:[0]", "[]:[1]")).tolist() == [True, False]
    assert exactly_right([], GOLD).tolist() == []


def test_confidence_labels_pool_documents_in_order():
    gold_a, gold_b = beads("[0]:[0]", "[1]:[1]"), beads("[0]:[0, 1]")
    hyp_a = [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.4)]
    hyp_b = [Bead((0,), (0,), 0.7), Bead((), (1,), 0.2)]
    scores, right = confidence_labels([(gold_a, hyp_a), (gold_b, hyp_b)])
    assert scores.tolist() == [0.9, 0.4, 0.7, 0.2]
    assert right.tolist() == [True, True, False, False]
    scores, right = confidence_labels([])
    assert len(scores) == len(right) == 0


def test_auroc_by_hand():
    # Right beads at 0.9 and 0.3, wrong at 0.8 and 0.1: of the 4 (right, wrong) pairs,
    # only 0.3 < 0.8 is misordered.
    assert auroc([0.9, 0.8, 0.3, 0.1], [True, False, True, False]) == pytest.approx(0.75)
    assert auroc([0.9, 0.8, 0.3, 0.1], [True, True, False, False]) == 1.0
    assert auroc([0.9, 0.8, 0.3, 0.1], [False, False, True, True]) == 0.0


def test_auroc_counts_ties_as_half():
    # Two right beads tie with a wrong one at 0.5 (half a pair each), both beat the wrong 0.2: (1 + 2) / 4.
    assert auroc([0.5, 0.5, 0.5, 0.2], [True, False, True, False]) == pytest.approx(0.75)
    assert auroc([0.5, 0.5, 0.5, 0.5], [True, False, True, False]) == pytest.approx(0.5)


def test_auroc_is_undefined_without_both_classes():
    assert math.isnan(auroc([0.9, 0.1], [True, True]))
    assert math.isnan(auroc([0.9, 0.1], [False, False]))
    assert math.isnan(auroc([], []))


def test_share_at_precision_by_hand():
    scores, right = [0.9, 0.8, 0.7, 0.6], [True, True, False, True]
    # Top 1: 1/1, top 2: 2/2, top 3: 2/3, top 4: 3/4.
    assert share_at_precision(scores, right) == 0.5
    assert share_at_precision(scores, right, precision=0.75) == 1.0  # 3/4 reaches 0.75 exactly
    assert share_at_precision(scores, right, precision=0.7) == 1.0
    assert share_at_precision([0.9, 0.8], [False, True]) == 0.0  # the best bead is already wrong
    assert share_at_precision([0.9, 0.8], [True, True]) == 1.0
    assert math.isnan(share_at_precision([], []))


def test_share_at_precision_takes_ties_together():
    # The threshold 0.8 takes both tied beads (2/3 right); a cut between them is no threshold.
    assert share_at_precision([0.9, 0.8, 0.8, 0.1], [True, True, False, True]) == 0.25
    # Order within the tie does not matter.
    assert share_at_precision([0.9, 0.8, 0.8, 0.1], [True, False, True, True]) == 0.25


def test_share_at_precision_99_of_100():
    scores = [1 - k / 1000 for k in range(100)]
    right = [True] * 99 + [False]  # the one wrong bead scores lowest: 99/100 is exactly 0.99
    assert share_at_precision(scores, right) == 1.0
    right = [True] * 98 + [False, False]  # 98/99 and 98/100 < 0.99: stop above the first wrong bead
    assert share_at_precision(scores, right) == 0.98
    # Precision may dip below and come back: the largest share counts, not the first dip.
    right = [True] * 98 + [False, True]  # 98/99 < 0.99 but 99/100 = 0.99
    assert share_at_precision(scores, right) == 1.0


SCORES = [0.05, 0.15, 0.15, 0.95, 0.95, 0.95, 0.95, 1.0]
RIGHT = [False, True, False, True, True, True, False, True]


def test_reliability_bins_by_hand():
    curve = reliability(SCORES, RIGHT)
    assert len(curve) == 10
    assert [(b.low, b.high) for b in curve[:2]] == [(0.0, 0.1), (0.1, 0.2)]
    assert [b.count for b in curve] == [1, 2, 0, 0, 0, 0, 0, 0, 0, 5]  # 1.0 is in the last bin
    assert (curve[0].mean_score, curve[0].accuracy) == (pytest.approx(0.05), 0.0)
    assert (curve[1].mean_score, curve[1].accuracy) == (pytest.approx(0.15), 0.5)
    assert (curve[9].mean_score, curve[9].accuracy) == (pytest.approx(0.96), pytest.approx(0.8))
    assert math.isnan(curve[5].mean_score) and math.isnan(curve[5].accuracy)
    assert [b.count for b in reliability([-0.2, 0.0, 1.3], [True, True, False], bins=4)] == [2, 0, 0, 1]


def test_expected_calibration_error_by_hand():
    # 1/8 * |0.05 - 0| + 2/8 * |0.15 - 0.5| + 5/8 * |0.96 - 0.8|
    assert expected_calibration_error(SCORES, RIGHT) == pytest.approx(0.19375)
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == pytest.approx(0.0)
    assert expected_calibration_error([1.0, 0.0], [False, True]) == pytest.approx(1.0)
    # Ten bins keep 0.25 and 0.35 apart: 1/2 * |0.25 - 1| + 1/2 * |0.35 - 0|;
    # five bins put both in [0.2, 0.4): |0.3 - 0.5|.
    assert expected_calibration_error([0.25, 0.35], [True, False]) == pytest.approx(0.55)
    assert expected_calibration_error([0.25, 0.35], [True, False], bins=5) == pytest.approx(0.2)
    assert math.isnan(expected_calibration_error([], []))
