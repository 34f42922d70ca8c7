"""bench/paragraphs.py: paragraphs drawn from the gold and written back as a user's file would hold them."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

from align.formats.beads import read_beads
from align.pairing.pipeline import paragraph_evidence
from align.text.segment import paragraph_starts
from align.types import Document

_spec = importlib.util.spec_from_file_location("bench_paragraphs",
                                               Path(__file__).resolve().parents[1] / "bench" / "paragraphs.py")
paragraphs = sys.modules["bench_paragraphs"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(paragraphs)


def _pair():
    src = Document.from_lines("s", [f"Source sentence {k}." for k in range(8)], "en")
    tgt = Document.from_lines("t", [f"Phrase cible {k}." for k in range(9)], "fr")
    gold = read_beads(["[0]:[0]", "[1]:[1, 2]", "[2]:[3]", "[3]:[]", "[4]:[4]", "[5, 6]:[5]", "[7]:[6, 7]", "[]:[8]"])
    return paragraphs.loose_variant.DocPair("d", src, tgt, gold)


def test_paragraphs_open_at_gold_links_and_read_back_from_the_written_file():
    pair = _pair()
    src_opens, tgt_opens = paragraphs.paragraph_openings(pair, mean=1.0, noise=0.0, rng=np.random.default_rng(0))
    # with a paragraph at every link and no noise, both sides open at the first sentence of every link
    assert src_opens == [True, True, True, False, True, True, False, True]
    assert tgt_opens == [True, True, False, True, True, True, True, False, False]
    src, tgt = paragraphs.with_paragraphs(pair.src, src_opens), paragraphs.with_paragraphs(pair.tgt, tgt_opens)
    assert [s.text for s in src.segments] == [s.text for s in pair.src.segments]
    assert paragraph_starts(src.text, src.segments) == src_opens
    assert paragraph_starts(tgt.text, tgt.segments) == tgt_opens
    assert paragraph_evidence(src, tgt) == (src_opens, tgt_opens)


def test_noise_makes_some_openings_one_sided():
    pair = _pair()
    one_sided = 0
    for seed in range(40):
        src_opens, tgt_opens = paragraphs.paragraph_openings(pair, mean=1.0, noise=0.5, rng=np.random.default_rng(seed))
        links = [b for b in pair.gold if b.src and b.tgt]
        one_sided += sum(src_opens[b.src[0]] != tgt_opens[b.tgt[0]] for b in links)
    assert 0.15 * 40 * 6 < one_sided < 0.6 * 40 * 6
