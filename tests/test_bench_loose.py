"""bench/loose.py: the loose variant of the dev sets (merged lines, noisy embeddings), on made-up data."""
from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from align.formats.beads import read_beads
from align.pairing.pipeline import document_from_text

_spec = importlib.util.spec_from_file_location("bench_loose", Path(__file__).resolve().parents[1] / "bench" / "loose.py")
loose = sys.modules["bench_loose"] = importlib.util.module_from_spec(_spec)  # dataclasses look it up there
_spec.loader.exec_module(loose)


def beads(*lines: str):
    return read_beads(lines)


def test_loosen_merges_runs_of_one_one_beads_by_hand():
    src, tgt, gold = loose.loosen(["a.", "b.", "c.", "d."], ["A.", "B.", "C.", "D."],
                                  beads("[0]:[0]", "[1]:[1]", "[2]:[2]", "[3]:[3]"), seed=1, rate=1.0, three=0.0)
    assert src == ["a. b.", "c. d."]
    assert tgt == ["A.", "B.", "C.", "D."]
    assert [(b.src, b.tgt) for b in gold] == [((0,), (0, 1)), ((1,), (2, 3))]
    src, _, gold = loose.loosen(["一。", "二。", "三。"], ["1", "2", "3"], beads("[0]:[0]", "[1]:[1]", "[2]:[2]"),
                                seed=1, glue="", rate=1.0, three=1.0)
    assert src == ["一。二。三。"] and [(b.src, b.tgt) for b in gold] == [((0,), (0, 1, 2))]


def test_loosen_leaves_other_beads_alone():
    gold = beads("[0]:[0]", "[1, 2]:[1]", "[3]:[2]", "[]:[3]", "[4]:[4]")
    src, _, out = loose.loosen(list("abcde"), list("ABCDE"), gold, seed=1, rate=1.0)
    assert src == list("abcde") and out == gold


def test_loosen_is_seeded_and_keeps_every_line_once():
    n = 60
    src_lines, tgt_lines = [f"s{i}" for i in range(n)], [f"t{i}" for i in range(n)]
    gold = beads(*(f"[{i}]:[{i}]" for i in range(n)))
    first = loose.loosen(src_lines, tgt_lines, gold, seed=7)
    assert first == loose.loosen(src_lines, tgt_lines, gold, seed=7)
    assert first != loose.loosen(src_lines, tgt_lines, gold, seed=8)
    src, tgt, out = first
    assert {b.kind for b in out} <= {"1-1", "1-2", "1-3"} and {"1-2", "1-3"} <= {b.kind for b in out}
    assert [i for b in out for i in b.src] == list(range(len(src)))
    assert [j for b in out for j in b.tgt] == list(range(n))
    for b in out:  # the merged source line is exactly the lines of its targets, joined
        assert src[b.src[0]] == " ".join(f"s{j}" for j in b.tgt)
    src, tgt, out = loose.loosen(src_lines, tgt_lines, gold, seed=7, side="tgt")
    assert src == src_lines and {b.kind for b in out} <= {"1-1", "2-1", "3-1"} and len(tgt) < n


class StubEncoder:
    """'s3' and 't3' (a sentence and its translation) get nearby vectors; others are unrelated."""

    name = "stub"

    def encode(self, texts):
        rows = []
        for text in texts:
            meaning = np.zeros(64)
            for part in text.replace(" ", "").split("."):
                if part:
                    meaning += _random(part[1:], 64)
            rows.append(meaning + 0.3 * _random(text, 64) + 2.0)  # + 2: all in one cone, as real encoders are
        rows = np.array(rows, dtype=np.float32).reshape(len(texts), 64)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _random(key: str, dim: int) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")
    return np.random.default_rng(seed).standard_normal(dim)


def _pair(n: int = 40):
    src = document_from_text("".join(f"s{i}.\n" for i in range(n)), "a.src", presplit=True, lang="en")
    tgt = document_from_text("".join(f"t{i}.\n" for i in range(n)), "a.tgt", presplit=True, lang="en")
    return loose.DocPair("a", src, tgt, beads(*(f"[{i}]:[{i}]" for i in range(n))))


def test_noisy_encoder_is_deterministic_per_text_and_side():
    pair = _pair()
    noisy = loose.NoisyEncoder(StubEncoder(), 0.5, 0.3).for_pair(pair)
    assert noisy.name != StubEncoder.name
    once, again = noisy.encode(["s1.", "t1.", "s1. s2."]), noisy.encode(["s1. s2.", "s1."])
    assert np.allclose(once[0], again[1]) and np.allclose(once[2], again[0])
    assert np.allclose(np.linalg.norm(once, axis=1), 1.0, atol=1e-5)
    fresh = loose.NoisyEncoder(StubEncoder(), 0.5, 0.3).for_pair(pair)
    assert np.allclose(fresh.encode(["s1."]), once[:1])
    # The same text on the source side and on no known side gets different noise.
    unknown = loose.NoisyEncoder(StubEncoder(), 0.5, 0.3)
    assert not np.allclose(unknown.encode(["s1."]), once[:1])
    assert np.allclose(loose.NoisyEncoder(StubEncoder(), 0.0).encode(["s1."]), StubEncoder().encode(["s1."]))


def test_a_joined_run_carries_its_sentences_noise_at_their_length():
    # How freely a passage is translated belongs to its sentences: the joined run the aligner embeds
    # where it is unsure carries their noise (the direction of their mean), not a fresh draw that would
    # make joined text look worse than its parts, nor the shorter plain mean that would make it look closer.
    pair = _pair()
    noisy = loose.NoisyEncoder(StubEncoder(), 0.5, 0.3).for_pair(pair)
    parts = [noisy._noise_vector(text, 64) for text in ("s1.", "s2.", "s3.")]
    joined = noisy._noise_vector("s1. s2. s3.", 64)
    mean = np.mean(parts, axis=0)
    assert np.allclose(joined / np.linalg.norm(joined), mean / np.linalg.norm(mean))
    assert np.isclose(np.linalg.norm(joined), np.mean([np.linalg.norm(p) for p in parts]))
    assert np.linalg.norm(mean) < 0.8 * np.linalg.norm(joined)  # the plain mean would be shorter
    assert not np.allclose(parts[0], parts[1])
    # A text the pair does not hold as a run (another side's, or unknown) keeps noise of its own.
    assert not np.allclose(noisy._noise_vector("s1. t2.", 64), np.mean([parts[0], noisy._noise_vector("t2.", 64)], axis=0))


def test_calibrate_reaches_the_asked_median_and_tail():
    pairs = [_pair()]
    clean = loose.set_similarities(pairs, loose.NoisyEncoder(StubEncoder(), 0.0))
    assert np.median(clean) > 0.5
    noise, spread = loose.calibrate(pairs, StubEncoder(), median=0.31, p10=0.16)
    cosines = loose.set_similarities(pairs, loose.NoisyEncoder(StubEncoder(), noise, spread))
    assert np.median(cosines) == pytest.approx(0.31, abs=0.02)
    assert np.percentile(cosines, 10) == pytest.approx(0.16, abs=0.03)


def test_vary_lengths_cuts_and_extends_lines_and_remembers_the_originals():
    lines = [f"sentence number {i} says something." for i in range(200)]
    varied, originals = loose.vary_lengths(lines, seed=3, spread=0.3)
    assert varied == loose.vary_lengths(lines, seed=3, spread=0.3)[0]
    ratios = np.log([len(v) / len(t) for v, t in zip(varied, lines)])
    assert 0.2 < ratios.std() < 0.4 and (ratios < -0.1).any() and (ratios > 0.1).any()
    for new, old in zip(varied, lines):
        assert originals.get(new, new) == old
        # Extended lines repeat their own text; cut lines are its start.
        assert " ".join([old] * 4).startswith(new)
    assert loose.vary_lengths(["ab"], seed=1, spread=0.0) == (["ab"], {})


def test_noisy_encoder_embeds_a_length_varied_line_as_its_original():
    # Only the length changes: a line cut or extended, and a joined run of such lines, get the vectors
    # (real and noise) of the original text, so the variant differs from the plain loose one in lengths alone.
    plain = _pair()
    lines = [s.text for s in plain.tgt.segments]
    varied, originals = loose.vary_lengths(lines, seed=5, spread=0.5)
    tgt = document_from_text("\n".join(varied) + "\n", "a.tgt", presplit=True, lang="en")
    pair = loose.DocPair("a", plain.src, tgt, plain.gold, originals)
    assert originals
    before = loose.NoisyEncoder(StubEncoder(), 0.5, 0.3).for_pair(plain)
    after = loose.NoisyEncoder(StubEncoder(), 0.5, 0.3).for_pair(pair)
    shown = [s.scoring_text for s in tgt.segments]
    assert shown != [s.scoring_text for s in plain.tgt.segments]
    assert np.allclose(after.encode(shown), before.encode(lines))
    assert np.allclose(after.encode([" ".join(shown[2:5])]), before.encode([" ".join(lines[2:5])]))


def test_a_row_names_its_draw():
    assert loose.split_row("x_dev") == ("x_dev", None)
    assert loose.split_row("x_dev+loose") == ("x_dev", {})
    assert loose.split_row("x_dev+loose#2") == ("x_dev", {"draw": 2})
    assert loose.split_row("x_dev+loose+len#1") == ("x_dev", {"length_spread": loose.LENGTH_SPREAD, "draw": 1})
    assert loose.with_draw("x_dev+loose", 0) == "x_dev+loose"
    assert loose.split_row(loose.with_draw("x_dev+loose+merged", 3))[1]["draw"] == 3
    assert loose.undrawn("x_dev+loose+merged#3") == "x_dev+loose+merged" and loose.undrawn("x_dev") == "x_dev"


def test_another_draw_gives_every_text_other_noise_and_other_merges(tmp_path):
    pair = _pair()
    first = loose.NoisyEncoder(StubEncoder(), 0.5, 0.3).for_pair(pair)
    second = loose.NoisyEncoder(StubEncoder(), 0.5, 0.3, draw=1).for_pair(pair)
    assert not np.allclose(first.encode(["s1."]), second.encode(["s1."]))
    again = loose.NoisyEncoder(StubEncoder(), 0.5, 0.3, draw=1).for_pair(pair)
    assert np.allclose(second.encode(["s1.", "s1. s2."]), again.encode(["s1.", "s1. s2."]))
    assert np.allclose(second.with_noise(0.5, 0.3).encode(["t4."]), second.encode(["t4."]))
    n = 60
    (tmp_path / "d.src").write_text("".join(f"Line {i} of the source.\n" for i in range(n)), encoding="utf-8")
    (tmp_path / "d.tgt").write_text("".join(f"Line {i} of the target.\n" for i in range(n)), encoding="utf-8")
    (tmp_path / "d.gold").write_text("".join(f"[{i}]:[{i}]\n" for i in range(n)), encoding="utf-8")
    golds = [loose.load_set(tmp_path, loose=True, **arguments)[0].gold
             for arguments in ({}, {"draw": 0}, {"draw": 1}, {"draw": 1})]
    assert golds[0] == golds[1] and golds[2] == golds[3] and golds[0] != golds[2]
