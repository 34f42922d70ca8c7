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
    assert review_bench.gold_pairs(tmp_path, "de", "zh") == [("001", "Erster Satz .", "第一句。"),
                                                            ("001", "Zweiter Satz . Dritter Satz .", "第二句。")]


def test_other_sets_draw_the_errors_on_the_gold_beads_of_other_languages_each_way(tmp_path, monkeypatch):
    de = [f"Im Jahr {1950 + i} bestiegen {i + 3} Bergsteiger aus Zermatt den Gipfel , berichtete die Zeitung ."
          for i in range(30)]
    zh = [f"{1950 + i}年，来自采尔马特的{i + 3}名登山者登上了山顶，报纸报道说。" for i in range(30)]
    folder = tmp_path / "toy"
    folder.mkdir()
    for doc, rows in (("001", range(0, 15)), ("002", range(15, 30))):
        (folder / f"{doc}.src").write_text("".join(de[i] + "\n" for i in rows), encoding="utf-8")
        (folder / f"{doc}.tgt").write_text("".join(zh[i] + "\n" for i in rows), encoding="utf-8")
        (folder / f"{doc}.gold").write_text("".join(f"[{k}]:[{k}]\n" for k in range(15)), encoding="utf-8")
    monkeypatch.setattr(review_bench, "DATA", tmp_path / "raw")
    monkeypatch.setattr(review_bench, "CLEAN_SETS", (("toy", "de", "zh"),))
    monkeypatch.setattr(review_bench, "FROZEN", tmp_path / "frozen")
    args = type("Args", (), {"seed": 3, "rate": 0.5, "regenerate": False, "freeze": True})()
    directions = review_bench.other_directions(args)
    assert (tmp_path / "frozen" / "toy-seed3-rate0.5-extra0.json").exists()
    monkeypatch.setattr(review_bench, "generate", lambda *args: (_ for _ in ()).throw(AssertionError("drawn")))
    args.freeze = False
    assert review_bench.other_directions(args) == directions  # read back, not drawn anew
    monkeypatch.undo()
    assert [(s, t) for s, t, *_ in directions] == [("de", "zh"), ("zh", "de")]
    for src_lang, tgt_lang, pairs, truth, originals, articles in directions:
        assert len(pairs) == 30 and articles == ["001"] * 15 + ["002"] * 15
        assert round(0.5 * 30) == len(truth) and set(truth.values()) <= set(review_bench.ERRORS)
        changed = {row for row, (_, target) in enumerate(pairs) if target != originals[row]}
        assert changed == set(truth)  # every error is a rewrite of its row's target, and only those rows move
        assert [source for source, _ in pairs] == (de if src_lang == "de" else zh)
    monkeypatch.setattr(review_bench, "DATA", tmp_path / "raw")
    monkeypatch.setattr(review_bench, "CLEAN_SETS", (("toy", "de", "zh"),))
    monkeypatch.setattr(review_bench, "FROZEN", tmp_path / "elsewhere")
    assert review_bench.other_directions(args)[0][3] == directions[0][3]  # the seed fixes the draw
    # Chinese is cut and doubled as Japanese is, without word spaces
    rng = review_bench.random.Random(1)
    assert " " not in review_bench.truncate(rng, "", zh[0], "zh", None)
    assert " " not in review_bench.duplicate(rng, "", zh[0], "zh", None)
