"""A saved web page read as the text its reader sees.

Users bring pages as they saved them: tags, scripts, styles, menus and
entities around the prose. Aligned as they are, the markup becomes
sentences of its own and glues itself to the prose. The text a browser
shows is what a translator translated, so that is what is aligned: blocks
(paragraphs, headings, list items, table cells) become paragraphs, ``<br>``
a line break, and what a reader never sees (scripts, styles, the head,
hidden elements) or only navigates by (``<nav>`` menus) is left out.

lxml's HTML parser reads the page: it loads nothing over the network, and
HTML has no entity declarations to expand, so ``<!ENTITY>`` in a hostile
page stays unexpanded text of a doctype that is dropped.
"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from align.errors import InputError
from align.lang import WIDE_CHARS

# A page: a doctype, or the first tag, after any comments, is <html>, <head>, <body>, a head's <title> or <meta>, or a
# block of a page's body saved or scraped alone (<p>…</p><p>…</p>, <div>, <article>, a heading, a list, a table).
_PAGE = re.compile(r"\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+html\b|"
                   r"<(?:html|head|body|p|div|article|section|main|h[1-6]|ul|ol|table|blockquote|header|title|meta)"
                   r"(?:\s[^>]*)?/?>)",
                   re.DOTALL | re.IGNORECASE)
# What precedes a page's markup and is no text: an XML declaration, and a doctype with its internal subset (whose
# "]>" a browser would show, from a hostile page's entity declarations).
_PROLOGUE = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)?", re.DOTALL | re.IGNORECASE)
# Elements whose content a reader never reads as prose.
UNSEEN = frozenset({"head", "script", "style", "noscript", "template", "svg", "math", "nav", "iframe", "object",
                    "canvas", "select", "button", "rt", "rp"})  # rt, rp: furigana over the text, and its brackets
_READER_ONLY = frozenset({"sr-only", "visually-hidden", "screen-reader-text", "skip-link"})
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
})
_SPACES = re.compile(r"[ \t\n\r\f]+")
# A line break in the page's source: a space in the text, except between two Chinese or Japanese characters,
# which a wrapped line of them never means (as browsers that follow CSS Text 3 render it).
_SOURCE_BREAK = "\x00"
_BREAK_BETWEEN_WIDE = re.compile(f"(?<=[{WIDE_CHARS}]){_SOURCE_BREAK}(?=[{WIDE_CHARS}])")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


PAGE_EXTENSIONS = (".html", ".htm", ".xhtml")


def is_page(text: str, name: str = "") -> bool:
    """Whether a text is an HTML page or a page's body (see ``_PAGE``), or a file named as a page that has tags."""
    return bool(_PAGE.match(text[:4000])) or (name.lower().endswith(PAGE_EXTENSIONS) and "<" in text[:4000])


def page_text(html: str, name: str) -> str:
    """The visible text of an HTML page: a paragraph (blank line) per block, a line per ``<br>``.

    ``InputError`` naming ``name`` for a page with no text a reader would see.
    """
    # huge_tree: past 256 levels of nesting, or a script over 10 MB, libxml2 would drop the rest of the page unsaid
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)
    try:  # an XHTML page's declaration names an encoding, which lxml refuses in text already decoded
        root = lxml.html.document_fromstring(_PROLOGUE.sub("", html, count=1), parser=parser)
    except (etree.ParserError, ValueError) as exc:  # lxml: "Document is empty" and the like
        raise InputError(f"{name}: an HTML page with no text to read ({exc})") from None
    pieces: list[str] = []
    _walk(root, pieces)
    text = _BREAK_BETWEEN_WIDE.sub("", "".join(pieces)).replace(_SOURCE_BREAK, " ").replace("\u00ad", "")
    lines = "\n".join(line.strip() for line in text.split("\n"))
    visible = _BLANK_LINES.sub("\n\n", lines).strip("\n")
    if not visible.strip():
        raise InputError(f"{name}: an HTML page with no text a reader would see")
    return visible + "\n"


def _walk(root, pieces: list[str]) -> None:
    """The visible text of ``root`` into ``pieces``, walked without recursion (a page may nest thousands deep)."""
    walker = etree.iterwalk(root, events=("start", "end"))
    preformatted = 0
    for event, element in walker:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if not _seen(element, tag):
                walker.skip_subtree()  # its end still comes, for its tail
                continue
            preformatted += tag == "pre"
            pieces.append("\n\n" if tag in BLOCKS else "\n" if tag == "br" else "")
            pieces.append(_visible(element.text, preformatted > 0))
            continue
        if _seen(element, tag):
            preformatted -= tag == "pre"
            pieces.append("\n\n" if tag in BLOCKS else "")
        if element is not root:
            pieces.append(_visible(element.tail, preformatted > 0))  # the tail follows the element, seen or not


def _seen(element, tag: str) -> bool:
    """Whether a reader sees an element: not one of ``UNSEEN``, nor hidden (``hidden``, ``display: none``,
    ``visibility: hidden``, ``aria-hidden``, a closed ``<dialog>``, a class for screen readers only)."""
    if not tag or tag in UNSEEN or element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return False
    if tag == "dialog" and element.get("open") is None:
        return False
    style = (element.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return False
    return not _READER_ONLY & set((element.get("class") or "").split())


def _visible(text: str | None, preformatted: bool) -> str:
    if not text:
        return ""
    if preformatted:
        return text
    return _SPACES.sub(lambda run: _SOURCE_BREAK if "\n" in run.group() else " ", text)
