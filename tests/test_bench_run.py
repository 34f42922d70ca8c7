"""bench/run.py: a set measured over a cache kept from an earlier run says its speed is not end to end."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).resolve().parents[1] / "bench" / "run.py")
bench_run = sys.modules["bench_run"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_run)

ROW = {"set": "ntrex_en-ja_dev", "docs": 6, "sentences": 1049, "strict_f1": 0.9854, "lax_f1": 1.0,
       "sent_per_s": 32.04, "align_share": 0.01, "peak_mb": 415.0, "auroc": 0.935, "share_at_99": 0.93,
       "ece": 0.005, "one_sided_hyp": 19, "one_sided_gold": 23, "gold_cosine_median": 0.59, "gold_cosine_p10": 0.48}


def test_a_speed_over_a_kept_cache_is_marked_and_a_fresh_one_is_not():
    assert " 32.0 " in bench_run.set_row(ROW) and "*" not in bench_run.set_row(ROW)
    assert " 32.0* " in bench_run.set_row({**ROW, "warm_cache": True})
    assert len(bench_run.set_row({**ROW, "warm_cache": True})) == len(bench_run.set_row(ROW))


def test_only_a_folder_with_something_in_it_counts_as_a_kept_cache(tmp_path):
    assert not bench_run._has_cache(tmp_path / "ntrex_en-ja_dev")
    (tmp_path / "ntrex_en-ja_dev").mkdir()
    assert not bench_run._has_cache(tmp_path / "ntrex_en-ja_dev")
    (tmp_path / "ntrex_en-ja_dev" / "embeddings.sqlite").write_bytes(b"")
    assert bench_run._has_cache(tmp_path / "ntrex_en-ja_dev")


def _gold_fixes():
    spec = importlib.util.spec_from_file_location("gold_fixes", Path(__file__).resolve().parents[1] / "bench" /
                                                  "gold_fixes.py")
    module = sys.modules["gold_fixes"] = importlib.util.module_from_spec(spec)  # its dataclass looks itself up
    spec.loader.exec_module(module)
    return module


def test_a_gold_fix_replaces_its_beads_in_place_and_refuses_a_gold_that_lacks_them():
    from align.formats.beads import read_beads

    fixes = _gold_fixes()
    gold = read_beads(["[96]:[146]", "[97]:[147]", "[98, 99, 100]:[148, 149]", "[101]:[150]",
                       "[319, 320, 321]:[370]", "[322]:[372]"])
    fixed = fixes.fixed_gold("textberg_de-fr_dev", "dev", gold)
    assert fixed == read_beads(["[96]:[146]", "[97]:[147, 148]", "[98, 99, 100]:[149]", "[101]:[150]",
                                "[319, 320]:[370]", "[321]:[371]", "[322]:[372]"])
    assert fixes.fixed_gold("ntrex_en-ja_dev", "dev", gold) == gold
    with pytest.raises(ValueError, match="no longer has"):
        fixes.fixed_gold("textberg_de-fr_dev", "dev", gold[:2])


def test_draws_of_a_loose_row_are_summarised_with_their_gap_to_the_plain_set(capsys):
    results = [{**ROW, "set": "x_dev", "strict_f1": 0.98},
               {**ROW, "set": "x_dev+loose", "strict_f1": 0.93},
               {**ROW, "set": "x_dev+loose#1", "strict_f1": 0.91},
               {**ROW, "set": "x_dev+loose#2", "strict_f1": 0.92},
               {**ROW, "set": "y_dev+loose+len", "strict_f1": 0.80}]
    first, second = bench_run.draw_summary(results)
    assert first["row"] == "x_dev+loose" and first["draws"] == 3
    assert first["f1_mean"] == pytest.approx(0.92) and first["f1_sd"] == pytest.approx(0.01)
    assert first["gap_mean"] == pytest.approx(6.0) and first["gap_sd"] == pytest.approx(1.0)
    assert second == {"row": "y_dev+loose+len", "draws": 1, "f1_mean": 0.80, "f1_sd": 0.0, "gap_mean": None,
                      "gap_sd": 0.0}  # no plain row measured: no gap
    bench_run.print_draws(bench_run.draw_summary(results))
    assert "x_dev+loose" in capsys.readouterr().out
