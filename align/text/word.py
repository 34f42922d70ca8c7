"""A Word document (.docx) read as its body text.

Translators are sent Word files more than any other kind, and a .docx is
a zip of XML that a text reader takes for binary. python-docx opens it
(with lxml, entities not expanded); the body is read here: paragraphs,
tables and content controls in document order, a paragraph of the text per
paragraph of the document, with every text a reader sees in it (tracked
insertions, fields' results, smart tags, symbols; not tracked deletions),
a line per manual line or page break. Headers, footers, comments and
footnotes are not read: page furniture and notes, not prose to align.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from align.errors import InputError

MAIN_PART = "word/document.xml"


def is_word(archive: zipfile.ZipFile) -> bool:
    """Whether a zip is a Word document: it holds ``word/document.xml``."""
    return MAIN_PART in archive.namelist()


def document_text(data: bytes, name: str) -> str:
    """The body of a .docx: paragraphs apart (a blank line between), table cells as paragraphs.

    ``InputError`` for a damaged file or a document with no text.
    """
    import docx  # python-docx: imported here, as only Word input needs it

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:  # python-docx raises zip, XML, key and value errors for damaged parts
        raise InputError(f"{name}: a damaged Word document ({type(exc).__name__}: {exc})") from None
    paragraphs = [text for text in _paragraphs(body) if text.strip()]
    if not paragraphs:
        raise InputError(f"{name}: a Word document with no text")
    return "\n\n".join(paragraphs) + "\n"


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# An alternative's fallback repeats its choice (a text box drawn twice); deleted text and field codes are no text.
_SKIPPED = frozenset({"{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback", f"{W}del",
                      f"{W}delText", f"{W}instrText"})
# Symbol fonts put their characters at U+F000 + the font's code; the common ones (°, ±, ×) keep Latin-1's codes.
_SYMBOL_FONT_BASE = 0xF000


def _paragraphs(container):
    """Paragraph texts of the body, a table cell or a content control, in order: tables cell by cell (a cell
    merged across columns once), content controls (``w:sdt``) opened."""
    for child in container.iterchildren():
        if child.tag == f"{W}p":
            yield _paragraph_text(child)
        elif child.tag == f"{W}tbl":
            for row in child.iterchildren(f"{W}tr"):
                for cell in row.iterchildren(f"{W}tc"):
                    yield from _paragraphs(cell)
        elif child.tag == f"{W}sdt":
            for content in child.iterchildren(f"{W}sdtContent"):
                yield from _paragraphs(content)


def _paragraph_text(paragraph) -> str:
    """All text a reader sees in a paragraph: runs, insertions, fields' results, inline content controls, smart
    tags and symbols; a tab as a tab, a line or page break as a line break. python-docx's ``Paragraph.text``
    reads runs that are the paragraph's own children only, and loses the others."""
    pieces = []
    walker = etree.iterwalk(paragraph, events=("start",))
    for _, element in walker:
        tag = element.tag
        if tag in _SKIPPED:
            walker.skip_subtree()
        elif tag == f"{W}t":
            pieces.append(element.text or "")
        elif tag == f"{W}tab":
            pieces.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            pieces.append("\n")
        elif tag == f"{W}noBreakHyphen":
            pieces.append("\u2011")
        elif tag == f"{W}sym":
            code = int(element.get(f"{W}char", "0"), 16)
            pieces.append(chr(code - _SYMBOL_FONT_BASE if code >= _SYMBOL_FONT_BASE else code) if code else "")
    return "".join(pieces)
