"""bench/ingest.py: the sample written in each format reads back as the plain text's sentences."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from align.pairing.pipeline import read_document

_spec = importlib.util.spec_from_file_location("bench_ingest",
                                               Path(__file__).resolve().parents[1] / "bench" / "ingest.py")
ingest = sys.modules["bench_ingest"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ingest)


@pytest.mark.parametrize("fmt", ["html", "docx", "epub", "srt"])
def test_every_format_reads_back_as_the_plain_text_s_sentences(tmp_path, fmt):
    for lang in ("en", "ja"):
        texts = ingest.paragraphs(lang, 2)
        plain, other = tmp_path / f"s.{lang}.txt", tmp_path / f"s.{lang}.{fmt}"
        assert ingest.write("txt", texts, plain) and ingest.write(fmt, texts, other)
        wanted = [s.text for s in read_document(plain).segments]
        found = [s.text for s in read_document(other).segments]
        assert found == wanted and ingest.overlap(found, wanted) == 1.0


def test_overlap_counts_sentences_word_for_word_as_a_multiset():
    assert ingest.overlap(["A b.", "A  b.", "C."], ["A b.", "A b.", "D."]) == 2 / 3
    assert ingest.overlap([], ["A."]) == 0.0
