"""An e-book (EPUB) read as its chapters' text, in reading order.

Literary translation comes as e-books: a novel and its translation are
two EPUB files, zips of XHTML chapters listed in reading order by the
package file (the "spine"). Each chapter is read as the HTML page it is
(``markup.page_text``), chapters a paragraph apart.

The package is read here with lxml rather than with an EPUB library:
ebooklib parses the package file with entities expanded, and the ground
rule for XML from users is that nothing is expanded or loaded.
"""
from __future__ import annotations

import posixpath
import zipfile
from urllib.parse import unquote

from lxml import etree

from align.errors import InputError
from align.text.markup import page_text

CONTAINER = "META-INF/container.xml"
# Chapters are XHTML (EPUB 3) or HTML (some EPUB 2 files); images, styles and the navigation document are not read.
CHAPTER_TYPES = ("application/xhtml+xml", "text/html")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def is_ebook(archive: zipfile.ZipFile) -> bool:
    """Whether a zip is an EPUB: it has the container file that names its package."""
    return CONTAINER in archive.namelist()


def ebook_text(archive: zipfile.ZipFile, name: str) -> str:
    """The chapters of an EPUB in reading order, a blank line apart; ``InputError`` if it has none with text."""
    try:
        container = etree.fromstring(archive.read(CONTAINER), _PARSER)
        package_path = next(iter(container.xpath("//*[local-name()='rootfile']/@full-path")), None)
        if package_path is None:
            raise InputError(f"{name}: an e-book whose container names no package")
        package = etree.fromstring(archive.read(package_path), _PARSER)
        items = package.xpath("//*[local-name()='manifest']/*[local-name()='item']")
        manifest = {item.get("id"): item for item in items}
        refs = package.xpath("//*[local-name()='spine']/*[local-name()='itemref']")
        spine = [ref.get("idref") for ref in refs if ref.get("linear") != "no"]
        folder = posixpath.dirname(package_path)
        chapters = []
        for idref in spine:
            item = manifest.get(idref)
            if item is None or item.get("media-type") not in CHAPTER_TYPES or "nav" in (item.get("properties") or ""):
                continue
            path = posixpath.normpath(posixpath.join(folder, unquote(item.get("href", ""))))
            html = archive.read(path).decode("utf-8", errors="replace")
            try:
                chapters.append(page_text(html, f"{name}: {path}"))
            except InputError:  # a chapter of images alone, a blank page: nothing to read there
                continue
    except InputError:
        raise
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, ValueError) as exc:
        raise InputError(f"{name}: a damaged e-book ({type(exc).__name__}: {exc})") from None
    if not chapters:
        raise InputError(f"{name}: an e-book with no text")
    return "\n".join(chapters)

