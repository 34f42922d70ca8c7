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

ZIP_MAGIC = b"PK\x03\x04"
MAIN_PART = "word/document.xml"
# A zip's parts may unpack to many times its size: beyond this many times the input limit it is refused unread.
UNPACKED_SHARE = 4


def is_word(data: bytes) -> bool:
    """Whether ``data`` is a Word document: a zip holding ``word/document.xml``."""
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return MAIN_PART in archive.namelist()
    except zipfile.BadZipFile:
        return False


def document_text(data: bytes, name: str, max_bytes: int) -> str:
    """The body of a .docx: paragraphs apart (a blank line between), table cells as paragraphs.

    ``InputError`` for a damaged file, a zip bomb (parts unpacking past
    ``UNPACKED_SHARE`` times ``max_bytes``) or a document with no text.
    """
    import docx  # python-docx: imported here, as only Word input needs it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > UNPACKED_SHARE * max_bytes:
            raise InputError(f"{name}: a Word document that unpacks to {unpacked / (1 << 20):,.0f} MB, more than "
                             f"{UNPACKED_SHARE} times the input limit")
        document = docx.Document(io.BytesIO(data))
    except InputError:
        raise
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
