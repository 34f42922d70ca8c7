"""bench/unpaired.py: what the aligner does with documents that translate nothing of each other, summed up."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from align.pairing.pipeline import document_from_text
from align.types import Alignment, Bead

_spec = importlib.util.spec_from_file_location("bench_unpaired",
                                               Path(__file__).resolve().parents[1] / "bench" / "unpaired.py")
unpaired = sys.modules["bench_unpaired"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(unpaired)


def _alignment(beads: list[Bead], n: int, m: int) -> Alignment:
    src = document_from_text("".join(f"Sentence {k}.\n" for k in range(n)), "a.en", presplit=True)
    tgt = document_from_text("".join(f"Phrase {k}.\n" for k in range(m)), "b.fr", presplit=True)
    return Alignment(src, tgt, beads)


def test_the_summary_counts_pairs_told_sentences_alone_and_link_probabilities():
    alone = _alignment([Bead((i,), ()) for i in range(9)] + [Bead((), (j,)) for j in range(9)]
                       + [Bead((9,), (9,), 0.2)], 10, 10)
    linked = _alignment([Bead((i,), (i,), 0.9) for i in range(10)], 10, 10)
    assert unpaired.summary([alone, linked]) == "1/2 told   45.0% alone  links   11 at p 0.836"
