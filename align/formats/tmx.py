"""TMX 1.4: translation memories for CAT tools, written and read as streams.

The writer takes translation units in any number of languages, so the same code
serves a two-document alignment and a multilingual corpus; it writes each unit
as soon as it is built, so a generator of millions of units never becomes one
tree. The reader streams too; like defusedxml it refuses any DTD but TMX's own
``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` (``allow_dtd`` reads one without loading
it), always refuses entity declarations, which is how billion-laughs and
external-entity files attack XML parsers, and refuses a unit of more than
``MAX_UNIT_ELEMENTS`` elements, which would otherwise be built as one tree.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from xml.parsers import expat

from lxml import etree

from align import __version__
from align.errors import AlignError, FormatError
from align.formats.beads import format_bead
from align.types import Alignment

if TYPE_CHECKING:  # only for annotations: pairing builds on formats, not the reverse
    from align.pairing.multi import MultiAlignment

log = logging.getLogger(__name__)

DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
# (name, system id, public id, internal subset) of the one DOCTYPE read without --allow-dtd.
_STANDARD_DOCTYPE = ("tmx", "tmx14.dtd", None, False)
# Elements a unit (with whatever precedes it since the last one) may hold; real units have dozens.
MAX_UNIT_ELEMENTS = 10_000
# Bytes handed to the parser at a time: what a unit may cost in memory before its elements are counted.
_CHUNK = 1 << 16
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# What XML 1.0 cannot hold at all, escaped or not: C0 controls but tab/LF/CR,
# surrogates (a lone one in a str cannot be encoded), U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Inline elements whose content is native markup (e.g. "<b>"), not translatable text.
_CODE_TAGS = frozenset({"bpt", "ept", "ph", "it", "ut"})


@dataclass
class TranslationUnit:
    """The same text in several languages; ``props`` become ``<prop type=...>`` of the tu, ``notes`` its ``<note>``s."""

    variants: dict[str, str]
    props: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    # Per variant, the inline codes its <seg> holds (bpt, ept, ph, it, ut), in order; read, never written.
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Replacement:
    """A character XML cannot hold, written as U+FFFD instead."""

    tuid: str
    where: str
    char: str

    def __str__(self) -> str:
        return f"tu {self.tuid} ({self.where}): U+{ord(self.char):04X} replaced with U+FFFD"


def bcp47(code: str) -> str:
    """langdetect's ``zh-cn`` as BCP 47 ``zh-CN``: language lower case, region upper, script title."""
    language, *subtags = re.split("[-_]", code)
    tidy = [language.lower()]
    for subtag in subtags:
        if len(subtag) == 2 and subtag.isalpha():
            tidy.append(subtag.upper())
        elif len(subtag) == 4 and subtag.isalpha():
            tidy.append(subtag.title())
        else:
            tidy.append(subtag.lower())
    return "-".join(tidy)


REJECTED = "rejected"  # a reviewer's decision that the link is wrong (a project's bead or row status)


def alignment_units(alignment: Alignment, include_omissions: bool = False) -> Iterator[TranslationUnit]:
    """One unit per bead, with the bead's probability and indices as ``x-score``/``x-bead`` props.

    ``x-similarity`` (the centred cosine of the two sides) is added where it is known.

    Beads with an empty side are left out unless ``include_omissions``: a unit
    in one language is no use to a translation memory. So are beads a reviewer
    rejected: a link known to be wrong would be offered as a match.
    """
    src_lang, tgt_lang = bcp47(alignment.src.lang), bcp47(alignment.tgt.lang)
    if src_lang == tgt_lang:
        # Checked here, not on first next(): variants are keyed by language and would collide.
        raise AlignError(f"TMX needs two languages, but both documents are tagged {src_lang!r}; "
                         "set the languages of the documents")
    return _units(alignment, src_lang, tgt_lang, include_omissions)


def version_units(versions: MultiAlignment, include_single: bool = False) -> Iterator[TranslationUnit]:
    """One unit per row of 3+ aligned versions, a ``tuv`` per version with text, ``x-score``/``x-row`` props,
    and, for a project's rows, ``x-status`` and the reviewer's note as ``<note>``, as a pair's beads have.

    A second version in the same language is tagged with a private-use
    subtag (``en-x-2``) so its variant does not overwrite the first.
    Rows with text in one version only are left out unless ``include_single``, and rows a reviewer rejected.
    """
    tags = [bcp47(label.replace("_", "-x-")) for label in versions.labels]
    for number, row in enumerate(versions.rows, 1):  # from 1, as the workbench counts rows
        if len(row.versions()) < (1 if include_single else 2) or row.status == REJECTED:
            continue
        variants = {tag: text for tag, text, cell in zip(tags, versions.texts(row), row.cells) if cell}
        props = {"x-score": f"{row.score:.4f}", "x-row": str(row.number or number)}
        if row.status is not None:
            props["x-status"] = row.status
        yield TranslationUnit(variants, props, (row.remark,) if row.remark else ())


def _units(alignment: Alignment, src_lang: str, tgt_lang: str,
           include_omissions: bool) -> Iterator[TranslationUnit]:
    for bead in alignment.beads:
        if not include_omissions and not (bead.src and bead.tgt) or bead.status == REJECTED:
            continue
        src_text, tgt_text = alignment.texts(bead)
        variants = {}
        if bead.src:
            variants[src_lang] = src_text
        if bead.tgt:
            variants[tgt_lang] = tgt_text
        props = {"x-score": f"{bead.score:.4f}", "x-bead": format_bead(bead)}
        if bead.similarity is not None:
            props["x-similarity"] = f"{bead.similarity:.4f}"
        if bead.status is not None:
            props["x-status"] = bead.status
        yield TranslationUnit(variants, props, (bead.note,) if bead.note else ())


def write(alignment: Alignment, stream: BinaryIO, include_omissions: bool = False,
          created: datetime | None = None) -> list[str]:
    """The registry entry point: the alignment's beads as TMX, source document's language as srclang."""
    units = alignment_units(alignment, include_omissions)
    return [str(r) for r in write_tmx(units, stream, srclang=alignment.src.lang, created=created)] + \
        left_out_warnings({0: alignment}, include_omissions)


def left_out_warnings(alignments: dict[int, Alignment], include_omissions: bool,
                      rows: Iterable = ()) -> list[str]:
    """Say how many one-sided and rejected beads (and rejected rows of version sets) were left out, so half a
    translation never goes missing unnoticed."""
    beads = [b for a in alignments.values() for b in a.beads]
    rejected = sum(b.status == REJECTED for b in beads)
    one_sided = sum(not (b.src and b.tgt) and b.status != REJECTED for b in beads)
    rejected_rows = sum(row.status == REJECTED for row in rows)
    warnings = []
    if one_sided and not include_omissions:
        warnings.append(f"{one_sided} one-sided bead{'s' if one_sided > 1 else ''} (a sentence without counterpart) "
                        "left out of the TMX; ask for one-sided units to write each as a unit in one language")
    for count, what in ((rejected, "bead"), (rejected_rows, "row")):
        if count:
            warnings.append(f"{count} rejected {what}{'s' if count > 1 else ''} left out of the TMX, a link known to "
                            "be wrong; CSV, TSV and JSONL keep them with their status")
    return warnings


def write_tmx(units: Iterable[TranslationUnit], stream: BinaryIO, srclang: str,
              created: datetime | None = None) -> list[Replacement]:
    """Write ``units`` as TMX 1.4 to a binary stream, one ``<tu>`` at a time.

    tuids are the units' 1-based positions. Characters XML forbids are replaced
    with U+FFFD rather than dropped, and every replacement is returned (and
    logged) so the user learns that the export differs from the input.
    """
    replacements: list[Replacement] = []
    created = (created or datetime.now(timezone.utc)).astimezone(timezone.utc)
    header = etree.Element("header", {
        "creationtool": "align",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "align",
        "adminlang": "en",
        "srclang": bcp47(srclang),
        "datatype": "plaintext",
        "creationdate": created.strftime("%Y%m%dT%H%M%SZ"),
    })
    with etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        xf.write_doctype(DOCTYPE)
        with xf.element("tmx", version="1.4"):
            xf.write("\n")
            xf.write(header, pretty_print=True)
            with xf.element("body"):
                xf.write("\n")
                for number, unit in enumerate(units, 1):
                    xf.write(_tu(unit, str(number), replacements), pretty_print=True)
            xf.write("\n")
    if replacements:
        log.warning("%d character(s) that XML cannot hold were written as U+FFFD; first: %s",
                    len(replacements), replacements[0])
    return replacements


def _tu(unit: TranslationUnit, tuid: str, replacements: list[Replacement]) -> etree._Element:
    if not unit.variants:
        raise ValueError(f"translation unit {tuid} has no text in any language")

    def clean(value: str, where: str) -> str:
        if _FORBIDDEN.search(value) is None:
            return value
        replacements.extend(Replacement(tuid, where, m[0]) for m in _FORBIDDEN.finditer(value))
        return _FORBIDDEN.sub("\ufffd", value)

    tu = etree.Element("tu", tuid=tuid)
    for note in unit.notes:
        etree.SubElement(tu, "note").text = clean(note, "note")
    for kind, value in unit.props.items():
        prop = etree.SubElement(tu, "prop", type=clean(kind, "prop type"))
        prop.text = clean(value, f"prop {kind}")
    for lang, text in unit.variants.items():
        tuv = etree.SubElement(tu, "tuv", {_XML_LANG: bcp47(clean(lang, "language"))})
        etree.SubElement(tuv, "seg").text = clean(text, bcp47(lang))
    return tu


def read_tmx(path: str | os.PathLike, allow_dtd: bool = False) -> Iterator[TranslationUnit]:
    """Stream the units of a TMX file, clearing each ``<tu>`` once read.

    Variants are keyed by ``xml:lang`` as written; the text of a ``<seg>`` keeps
    ``<hi>`` content and drops the native codes held in ``bpt``/``ept``/``ph``/``it``/``ut``
    (``TranslationUnit.codes`` says which a variant holds).
    Raises FormatError for malformed XML, any entity declaration, a unit of more
    than ``MAX_UNIT_ELEMENTS`` elements, and a DTD other than TMX's own unless
    ``allow_dtd`` (it is never loaded either way).
    """
    for element in _elements(path, allow_dtd):
        if element.tag == "tu":
            yield _read_tu(element)


# What rewrite_tmx asks of the unit at each 0-based position: the props to set on it, or None to leave it out.
Annotator = Callable[[int], "dict[str, str] | None"]


def rewrite_tmx(path: str | os.PathLike, stream: BinaryIO, annotate: Annotator, allow_dtd: bool = False,
                renamed: dict[str, str] | None = None) -> int:
    """Copy a TMX file unit by unit, as a stream, setting props on each kept unit.

    ``annotate(index)`` returns the props to set on the unit at that 0-based position,
    or None to leave the unit out; ``renamed`` keeps a prop the new ones would replace
    under another type (``{"x-score": "x-align-score"}``). Everything else is copied
    as it was: the header with its props, each unit's attributes, notes, props and
    inline codes, its variants' props, so a memory filtered by review loses nothing
    but the units it rejects. Returns the number of units written.
    """
    elements = _elements(path, allow_dtd)
    header = next(elements, None)
    if header is None or header.tag != "header":
        raise FormatError(f"{Path(path).name}: no TMX header before the translation units")
    written = 0
    with etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        xf.write_doctype(DOCTYPE)
        with xf.element("tmx", version=header.getparent().get("version", "1.4")):
            xf.write("\n")
            xf.write(header)
            with xf.element("body"):
                xf.write("\n")
                for index, unit in enumerate(elements):
                    props = annotate(index)
                    if props is not None:
                        _set_props(unit, props, renamed or {})
                        xf.write(unit)
                        written += 1
            xf.write("\n")
    return written


def _set_props(tu: etree._Element, props: dict[str, str], renamed: dict[str, str]) -> None:
    """Replace the unit's props of the same types with ``props`` (or rename them, see ``rewrite_tmx``),
    placed before its first variant as TMX orders them (notes and props, then variants)."""
    for prop in list(tu.iterchildren("prop")):
        if prop.get("type") in renamed and prop.get("type") in props:
            prop.set("type", renamed[prop.get("type")])
        elif prop.get("type") in props:
            tail = prop.tail
            previous = prop.getprevious()
            tu.remove(prop)
            if previous is not None and tail is not None:
                previous.tail = tail
    first = tu.find("tuv")
    at = list(tu).index(first) if first is not None else len(tu)
    for offset, (kind, value) in enumerate(props.items()):
        prop = etree.Element("prop", type=kind)
        prop.text = _FORBIDDEN.sub("\ufffd", value)
        prop.tail = "\n"
        tu.insert(at + offset, prop)


def _elements(path: str | os.PathLike, allow_dtd: bool) -> Iterator[etree._Element]:
    """The header and then each ``<tu>`` of a TMX file, each complete when yielded and cleared after."""
    name = Path(path).name
    checked, elements = False, 0
    try:
        if not allow_dtd:
            _check_doctype(path, name)
        for event, element in xml_events(path):
            if not checked:
                _check_root(element, name)
                checked = True
            if event == "start":
                elements += 1
                if elements > MAX_UNIT_ELEMENTS:
                    raise FormatError(f"{name} line {element.sourceline}: refusing a translation unit of more "
                                      f"than {MAX_UNIT_ELEMENTS:,} elements; the file is broken or hostile")
            elif element.tag == "header" and element.getparent() is not None and element.getparent().tag == "tmx":
                yield element
                elements = 0
            elif element.tag == "tu":
                yield element
                elements = 0
                element.clear()
                parent = element.getparent()
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise FormatError(_syntax_error(name, exc)) from None
    except OSError as exc:
        raise AlignError(f"cannot read {path}: {exc.strerror or exc}") from None


def xml_events(path: str | os.PathLike) -> Iterator[tuple[str, etree._Element]]:
    """(event, element) pairs of an XML file fed to libxml2 in chunks of ``_CHUNK`` bytes, entities unexpanded.

    Fed by hand rather than through iterparse, so that the events parsed before a
    syntax error still arrive: lxml 6.2's iterparse hands a small file to libxml2
    whole and loses them, the root's among them, where entity declarations are
    refused before libxml2's limit on their expansion stops the file with a vaguer message.
    """
    parser = etree.XMLPullParser(
        events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )
    with open(path, "rb") as stream:
        while True:
            chunk = stream.read(_CHUNK)
            try:
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
            except etree.XMLSyntaxError:
                yield from parser.read_events()  # what came before the error, then the error
                raise
            yield from parser.read_events()
            if not chunk:
                return


def _syntax_error(name: str, exc: etree.XMLSyntaxError) -> str:
    line, message = exc.lineno, re.sub(r", line \d+, column \d+$", "", exc.msg)
    last = exc.error_log.last_error
    if not line and last is not None:
        # libxml2 reports some fatal errors (an undefined entity) as "no element
        # found" at line 0; the parser's log holds the real one.
        line, message = last.line, last.message
    # libxml2's own messages end with a line break; the user gets one line.
    return f"{name} line {line}: {' '.join(message.split())}"


class _PrologRead(Exception):
    """Stops expat once the DOCTYPE (or the root, when there is none) is reached."""


def _check_doctype(path: str | os.PathLike, name: str) -> None:
    """Refuse a DTD other than TMX's own, as defusedxml does, from the prolog alone.

    lxml cannot tell ``SYSTEM "tmx14.dtd"`` from the same with an internal
    subset; expat can, and says so at the start of the DOCTYPE, where parsing
    stops: nothing of a subset is read. Expat knows no multi-byte legacy
    encodings (Shift_JIS, EUC-JP), whose markup is ASCII, so such a prolog is
    read as Latin-1. Malformed XML is left to lxml, which says where.
    """
    doctypes = _prolog_doctypes(path, None)
    if doctypes is None:
        doctypes = _prolog_doctypes(path, "iso-8859-1") or []
    for line, declaration in doctypes:
        if declaration != _STANDARD_DOCTYPE:
            raise FormatError(f"{name} line {line}: contains a DTD; refused "
                              "(use --allow-dtd to read it without loading it)")


def _prolog_doctypes(path: str | os.PathLike, encoding: str | None) -> list[tuple[int, tuple]] | None:
    """(line, (name, system id, public id, has an internal subset)) of the DOCTYPE, if any; None if unreadable."""
    parser = expat.ParserCreate(encoding)
    doctypes = []

    def doctype(doctype_name, system_id, public_id, internal_subset):
        doctypes.append((parser.CurrentLineNumber, (doctype_name, system_id, public_id, bool(internal_subset))))
        raise _PrologRead

    def root(*_):
        raise _PrologRead

    parser.StartDoctypeDeclHandler, parser.StartElementHandler = doctype, root
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _PrologRead:
        pass
    except (expat.ExpatError, ValueError, LookupError):  # malformed, or an encoding expat lacks or nobody knows
        return None
    return doctypes


def _check_root(root: etree._Element, name: str) -> None:
    # The internal subset is parsed before the root's start event and, with
    # resolve_entities=False, nothing in it has been expanded yet.
    dtd = root.getroottree().docinfo.internalDTD
    entities = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if entities:
        raise FormatError(f"{name} line {root.sourceline}: refusing a DTD that declares entities "
                          f"({', '.join(entities[:5])}); TMX files need none")
    if root.tag != "tmx":
        raise FormatError(f"{name} line {root.sourceline}: root element is <{root.tag}>, not <tmx>")


def _read_tu(tu: etree._Element) -> TranslationUnit:
    props = {prop.get("type", ""): prop.text or "" for prop in tu.iterchildren("prop")}
    notes = tuple(_text(note) for note in tu.iterchildren("note"))
    variants, codes = {}, {}
    for tuv in tu.iterchildren("tuv"):
        lang = tuv.get(_XML_LANG) or tuv.get("lang", "")  # "lang" is TMX 1.1's attribute
        seg = tuv.find("seg")
        variants[lang] = _text(seg) if seg is not None else ""
        found = tuple(code.tag for code in seg.iter(*_CODE_TAGS)) if seg is not None else ()
        if found:
            codes[lang] = found
    return TranslationUnit(variants, props, notes, codes)


def _text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _CODE_TAGS:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
