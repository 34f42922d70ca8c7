"""A PDF read as its running text.

Contracts, manuals and papers reach translators as PDF, often the only
form both versions exist in. pypdf extracts each page's lines; what a
reader skips is then taken off: page numbers, and running headers or
footers (a short first or last line that recurs on many pages). Lines are
joined into paragraphs as a reader sees them: a line that runs to the
margin goes on in the next (a word hyphenated there is joined again,
``transla-`` + ``tion``; Chinese and Japanese join without a space), also
across a page break, and a line that stops short (a paragraph's last, a
heading) ends its paragraph. Ligatures (ﬁ) and the radicals that fonts
map common ideographs to are read as the letters and ideographs they are.

A PDF of scanned pages has no text to extract; it is refused with that said,
since aligning needs OCR first.
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter

from align.errors import InputError
from align.lang import WIDE_CHARS

PDF_MAGIC = b"%PDF-"
# Page furniture: a page number alone ("12", "- 12 -", "Page 12", "12 / 40", "xii").
_PAGE_NUMBER = re.compile(r"(?i)^[\s\-–—]*(?:page\s+|p\.\s*|стр\.\s*)?(?:\d{1,4}|[ivxlc]{1,7})(?:\s*/\s*\d{1,4})?"
                          r"[\s\-–—]*$|^\s*[-–—]?\s*\d{1,4}\s*頁?\s*[-–—]?\s*$")
EDGE_LINES = 2        # a page's first and last lines, where headers and footers are
REPEATED_SHARE = 0.5  # a header or footer recurs on at least this share of the pages (and on 2 or more)
FURNITURE_CHARS = 60  # and is no longer than this
FULL_LINE = 0.9       # a line this share of the text's usual width (its 90th percentile) ran to the margin
_WIDE = re.compile(f"[{WIDE_CHARS}]")
_CUT_WORD = re.compile(r"[^\W\d_]-$")
_CJK_ENDS = frozenset("。！？．」』）】〕")
# What fonts' maps give for plain text: ligatures (ﬁ for fi, ﬃ for ffi) and radicals for common ideographs (⼀ for
# 一, ⾔ for 言, ⺠ for 民); no text means them, and the encoder, the search and the review would take them for other
# characters. Ligatures and Kangxi radicals have compatibility mappings; of the radicals supplement, the ideographs
# fonts map this way (Unicode's EquivalentUnifiedIdeograph.txt).
_FONT_FORMS = re.compile("[\ufb00-\ufb06\u2e80-\u2eff\u2f00-\u2fdf]")
_SUPPLEMENT = {"\u2e9f": "母", "\u2ea0": "民", "\u2ec4": "西", "\u2ed1": "長", "\u2ed8": "青", "\u2edd": "食",
               "\u2ee4": "鬼", "\u2ee9": "黄", "\u2eeb": "斉", "\u2eed": "歯", "\u2eef": "竜", "\u2ef2": "亀"}
# A font switch between scripts reads as a space: one space between a Chinese or Japanese character and a letter
# or digit is none (``2017 年``, ``を AM``; a space by a bracket may be the author's); and a hyphenation point between
# katakana is the middle dot (プライド‧カムリ).
_SWITCH_SPACE = re.compile(f"(?<=[{WIDE_CHARS}]) (?=[^\\W_])|(?<=[^\\W_]) (?=[{WIDE_CHARS}])")
_KATAKANA_DOT = re.compile("(?<=[\u30a0-\u30ff])\\s?\u2027\\s?(?=[\u30a0-\u30ff])")


def _unified(found: re.Match) -> str:
    char = found.group()
    return _SUPPLEMENT.get(char) or unicodedata.normalize("NFKC", char)


def _cleaned(paragraph: str) -> str:
    """A paragraph as extracted, a font switch no space and a hyphenation point between katakana the middle dot."""
    return _SWITCH_SPACE.sub("", _KATAKANA_DOT.sub("・", paragraph))


def pdf_text(data: bytes, name: str) -> str:
    """The running text of a PDF, page after page; ``InputError`` for a damaged, locked or scanned one."""
    import pypdf  # imported here, as only PDF input needs it

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings on a damaged file would precede our one line

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name}: a PDF locked by a password; save an unlocked copy")
        pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
    except InputError:
        raise
    except Exception as exc:  # pypdf raises its own errors, and value, key and type errors for damaged files
        raise InputError(f"{name}: a damaged PDF ({type(exc).__name__}: {exc})") from None
    text = running_text(pages)
    if not text:
        raise InputError(f"{name}: a PDF with no text to extract (scanned pages? run OCR on it first)")
    return text


def running_text(pages: list[list[str]]) -> str:
    """Pages of extracted lines as paragraphs a blank line apart (see the module's docstring); "" if none."""
    lines = [_FONT_FORMS.sub(_unified, " ".join(line.split())) for page in _without_furniture(pages) for line in page]
    lines = [line for line in lines if line]
    return "\n\n".join(_cleaned(paragraph) for paragraph in _paragraphs(lines)) + "\n" if lines else ""


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines joined where one ran to the margin (see ``_wrapped``)."""
    width = sorted(len(line) for line in lines)[int(0.9 * (len(lines) - 1))]
    paragraphs: list[str] = []
    goes_on = False
    for k, line in enumerate(lines):
        if goes_on:
            last = paragraphs[-1]
            if _CUT_WORD.search(last) and line[0].islower():
                paragraphs[-1] = last[:-1] + line
            else:
                glue = "" if _WIDE.match(last[-1]) and _WIDE.match(line[0]) else " "
                paragraphs[-1] = last + glue + line
        else:
            paragraphs.append(line)
        goes_on = k + 1 < len(lines) and _wrapped(line, lines[k + 1], width)
    return paragraphs


def _wrapped(line: str, following: str, width: int) -> bool:
    """Whether a line was wrapped rather than ended: it nearly fills the usual width (the 90th percentile of the
    lines' lengths), or the next line's first word would not have fitted after it (``FULL_LINE`` of that width,
    characters being a rough measure of a proportional font's widths). A narrow column's ragged lines wrap so,
    and a heading or a paragraph's last line stops with room to spare. Chinese and Japanese lines, whose widths
    mixed Latin letters upset, are wrapped unless they end a sentence or a quotation."""
    if _WIDE.match(line[-1]) and _WIDE.match(following[0]):  # Chinese, Japanese: a line ends where a sentence does
        return line[-1] not in _CJK_ENDS
    first = following.split(" ", 1)[0]
    return (len(line) >= FULL_LINE * width or len(line) + 1 + len(first) > FULL_LINE * width
            or bool(_CUT_WORD.search(line) and following[0].islower()))


def _without_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Pages without page numbers and without the first or last lines that recur on many pages."""
    edges = Counter(_key(line) for page in pages for line in {*page[:EDGE_LINES], *page[-EDGE_LINES:]})
    recurring = {key for key, count in edges.items()
                 if key and len(key) <= FURNITURE_CHARS and count >= 2 and count >= REPEATED_SHARE * len(pages)}
    out = []
    for page in pages:
        edge = set(range(min(EDGE_LINES, len(page)))) | set(range(max(len(page) - EDGE_LINES, 0), len(page)))
        out.append([line for k, line in enumerate(page)
                    if not (k in edge and (_PAGE_NUMBER.match(line) or _key(line) in recurring))])
    return out


def _key(line: str) -> str:
    """A line as headers and footers repeat it: its page number aside (``Chapter 2 — 17`` and ``— 18``)."""
    return re.sub(r"\d+", "#", " ".join(line.split()))
