"""A Word document (.docx) read as its body text.

Translators are sent Word files more than any other kind, and a .docx is
a zip of XML that a text reader takes for binary. python-docx reads it
(with lxml, entities not expanded): the body's paragraphs and tables in
document order, a paragraph of the text per paragraph of the document, a
line per manual line break. Headers, footers, comments, footnotes and
text boxes are not read: python-docx does not reach the last three, and
the first two are page furniture, not prose to align.
"""
from __future__ import annotations

import io
import zipfile

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
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML, key and value errors for damaged parts
        raise InputError(f"{name}: a damaged Word document ({type(exc).__name__}: {exc})") from None
    paragraphs = [text for text in _paragraphs(document) if text.strip()]
    if not paragraphs:
        raise InputError(f"{name}: a Word document with no text")
    return "\n\n".join(paragraphs) + "\n"


def _paragraphs(container):
    """Paragraph texts of a document or a table cell, in order, tables cell by cell (nested ones too)."""
    for block in container.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                seen = set()
                for cell in row.cells:  # a cell merged across columns comes once for each: read it once
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        yield from _paragraphs(cell)
        else:
            yield block.text
