"""Strict/lax precision, recall and F1 as Vecalign's score.py and Bertalign's eval.py define them."""
from __future__ import annotations

from pathlib import Path

import pytest

from align.errors import FormatError
from align.evaluate import Counts, score_dirs, score_documents
from align.formats.beads import read_beads

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
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


@pytest.mark.skipif(not BENCH_SETS, reason=f"no bench sets under {BENCH}")
@pytest.mark.parametrize("bench_set", BENCH_SETS, ids=lambda p: p.name)
def test_gold_against_itself_scores_one(bench_set):
    scores = score_dirs(bench_set, bench_set)
    assert scores.documents == len(list(bench_set.glob("*.gold")))
    assert scores.strict_f1 == 1.0 and scores.lax_f1 == 1.0
