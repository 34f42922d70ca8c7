"""Accuracy of ``align.text.langtag.detect_language`` on the NTREX en/ja/ru lines.

Full lines, their first 1-3 words, and a list of names and bylines; short
material is scored both without a prior and with the document's language
as the prior (how ``segment_text`` calls it).

    python bench/langtag_accuracy.py [--data DIR]
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from align.text.langtag import detect_language

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "ntrex_en-ja-ru_raw_dev"
LANGS = ("en", "ja", "ru")
NAMES = {
    "en": ["Reuters", "BBC News", "Associated Press", "Kim Jong Un", "Vladimir Putin", "Pyongyang",
           "By John Smith", "The Guardian", "Sputnik International", "Oleg Burunov", "Telegram Widget",
           "Press release", "Related", "Comments", "Brexit"],
    "ja": ["東京", "平壌", "北朝鮮", "金正恩", "プーチン大統領", "ロイター", "共同通信", "文:山田太郎",
           "プレスリリース", "コメント", "モスクワ", "日本経済新聞", "朝鮮民主主義人民共和国", "交渉", "現代のロシア"],
    "ru": ["Владимир Путин", "Москва", "ТАСС", "РИА Новости", "Ким Чен Ын", "Пхеньян", "Интерфакс",
           "Новости", "Комментарии", "Сергей Лавров", "Коммерсантъ", "Россия", "КНДР", "Кремль", "Автор: Иван Петров"],
}


def first_words(line: str, count: int, lang: str) -> str:
    if lang == "ja":
        return line[: 4 * count]  # no spaces: about a word per 4 characters
    return " ".join(line.split()[:count])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    lines = {lang: [l for l in (args.data / f"{lang}.txt").read_text("utf-8").splitlines() if l.strip()]
             for lang in LANGS}
    sets = {
        "full line": {lang: lines[lang] for lang in LANGS},
        "first 3 words": {lang: [first_words(l, 3, lang) for l in lines[lang]] for lang in LANGS},
        "first 2 words": {lang: [first_words(l, 2, lang) for l in lines[lang]] for lang in LANGS},
        "first word": {lang: [first_words(l, 1, lang) for l in lines[lang]] for lang in LANGS},
        "names/bylines": NAMES,
    }
    print(f"{'material':<16}{'prior':<7}" + "".join(f"{lang:>16}" for lang in LANGS) + f"{'all':>16}")
    start = time.perf_counter()
    calls = 0
    for title, by_lang in sets.items():
        for use_prior in (False, True):
            if title == "full line" and use_prior:
                continue
            cells, right_all, total_all = [], 0, 0
            for lang in LANGS:
                # Items without letters ("2018") are undetermined by design.
                items = [t for t in by_lang[lang] if re.search(r"[^\W\d_]", t)]
                right = sum(detect_language(t, lang if use_prior else None) == lang for t in items)
                calls += len(items)
                cells.append(f"{right}/{len(items)} {100 * right / len(items):5.1f}%")
                right_all += right
                total_all += len(items)
            print(f"{title:<16}{'doc' if use_prior else 'none':<7}" + "".join(f"{c:>16}" for c in cells)
                  + f"{100 * right_all / total_all:>15.1f}%")
    print(f"{calls} calls in {time.perf_counter() - start:.2f} s (including loading langdetect)")


if __name__ == "__main__":
    main()
