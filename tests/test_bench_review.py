"""bench/review.py: corruption sets frozen in files and read back, on made-up lines."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("bench_review", Path(__file__).resolve().parents[1] / "bench" / "review.py")
review_bench = sys.modules["bench_review"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(review_bench)

EN = [f"In {2000 + i}, the council of Marlow approved {i + 3} new schools, the mayor said on Monday." for i in range(40)]
JA = [f"{2000 + i}年、マーロウの議会は{i + 3}校の新しい学校を承認した、と市長は月曜日に述べた。" for i in range(40)]
RU = [f"В {2000 + i} году совет Марлоу одобрил {i + 3} новых школ, сообщил мэр в понедельник." for i in range(40)]


def test_a_frozen_set_reads_back_as_drawn_and_is_drawn_anew_for_other_lines(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(review_bench, "FROZEN", tmp_path)
    texts, articles = {"en": EN, "ja": JA, "ru": RU}, [f"a{i // 10}" for i in range(40)]
    drawn = review_bench.corruption_set(texts, articles, 7, 0.3, 0.1)
    assert all(truth for _, truth in drawn.values())  # every direction got errors
    review_bench.freeze(drawn, texts, 7, 0.3, 0.1)
    assert review_bench.corruption_set(texts, articles, 7, 0.3, 0.1) == drawn
    # a change to the code that draws the errors does not reach a frozen set
    monkeypatch.setattr(review_bench, "generate", lambda *args: (_ for _ in ()).throw(AssertionError("drawn")))
    assert review_bench.corruption_set(texts, articles, 7, 0.3, 0.1) == drawn
    monkeypatch.undo()
    monkeypatch.setattr(review_bench, "FROZEN", tmp_path)
    other = {**texts, "en": [line.replace("Monday", "Tuesday") for line in EN]}
    anew = review_bench.corruption_set(other, articles, 7, 0.3, 0.1)
    assert "drawing the set anew" in capsys.readouterr().err
    assert {name: truth for name, (_, truth) in anew.items()} != {} and anew["en-ja"][0][0][0].endswith("Tuesday.")


def test_clean_sets_review_the_linked_gold_beads_as_texts(tmp_path):
    (tmp_path / "001.src").write_text("Erster Satz .\nZweiter Satz .\nDritter Satz .\n", encoding="utf-8")
    (tmp_path / "001.tgt").write_text("第一句。\n第二句。\n", encoding="utf-8")
    (tmp_path / "001.gold").write_text("[0]:[0]\n[1, 2]:[1]\n[]:[]\n", encoding="utf-8")
    assert review_bench.gold_pairs(tmp_path, "de", "zh") == [("Erster Satz .", "第一句。"),
                                                            ("Zweiter Satz . Dritter Satz .", "第二句。")]
