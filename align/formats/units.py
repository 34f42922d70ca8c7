"""Any file of translation units, opened by extension or, failing that, by content.

``open_units`` streams the units of a TMX (this tool's or a CAT tool's) and of
the TSV, CSV and JSONL tables that ``align pair`` and project exports write, as
``tmx.TranslationUnit``s. A table row becomes the unit the TMX writer makes of
the same bead, so every output of one alignment reads back alike: texts keyed
by language (``src_lang``/``tgt_lang`` as BCP 47), ``x-score``, ``x-bead``,
``x-similarity`` and ``x-status`` props where known, ``x-pair`` where a project
table names the pair, the reviewer's note as the unit's note. Tables differ
from TMX only where the format changes the text (TSV turns tabs and line breaks
into spaces) and in keeping one-sided beads, which a TMX holds only when written
with ``--one-sided-units``.
"""
from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from align.errors import AlignError, FormatError
from align.formats.beads import format_cells, read_beads
from align.formats.tabular import read_rows
from align.formats.tmx import TranslationUnit, bcp47, read_tmx

FORMATS = ("tmx", "tsv", "csv", "jsonl")
# How much of a file is read to tell its format from its content.
_SNIFF_BYTES = 1 << 16
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def open_units(path: str | os.PathLike, allow_dtd: bool = False) -> Iterator[TranslationUnit]:
    """The translation units of a ``.tmx`` or an 'align pair' ``.tsv/.csv/.jsonl``, streamed.

    The format comes from the extension, else from the content (XML is TMX, a
    first line that is a JSON object JSONL, a tab in the first line TSV, a comma
    CSV). The file's start and first unit are read before this returns, so an
    empty, binary or unknown file, or one that is not such a TMX or table, is an
    ``AlignError`` here; a flaw further on is one when iteration reaches it.
    ``allow_dtd`` as for ``read_tmx``. A table row without text on either side
    is skipped; one without languages, or with both sides in one language, is an error.
    """
    path = Path(path)
    if not path.is_file():
        raise AlignError(f"{path}: no such file")
    head = _head(path)
    if not head.strip():
        raise AlignError(f"{path.name}: empty file, no translation units in it")
    fmt = _by_extension(path) or _by_content(head)
    if fmt == "beads":
        raise AlignError(f"{path.name}: a bead file holds sentence numbers, not the texts a unit needs; "
                         "write the alignment as tmx, tsv, csv or jsonl")
    if fmt is None:
        raise AlignError(f"{path.name}: cannot tell the format; translation units are read from TMX and from the "
                         "TSV, CSV or JSONL that 'align pair' writes")
    units = read_tmx(path, allow_dtd) if fmt == "tmx" else _table_units(path, fmt)
    first = next(units, None)
    return iter(()) if first is None else chain([first], units)


def units_format(path: str | os.PathLike) -> str | None:
    """``tmx``, ``tsv``, ``csv``, ``jsonl`` (or ``beads``, which has no text): by the extension, else by the
    content; None if neither tells."""
    path = Path(path)
    return _by_extension(path) or _by_content(_head(path))


def table_rows(path: str | os.PathLike, fmt: str | None = None) -> Iterator[dict]:
    """The rows of an 'align pair' table, streamed; an ``AlignError`` if they have no ``src_text``/``tgt_text``."""
    path = Path(path)
    for number, row in enumerate(read_rows(path, fmt)):
        if number == 0:
            missing = {"src_text", "tgt_text"} - set(row)
            if missing:
                raise AlignError(f"{path.name}: not an 'align pair' output (no column {', '.join(sorted(missing))})")
        yield row


def cell_ids(value) -> list:
    """A row's ``src_ids``/``tgt_ids`` as a list: JSONL holds a list, TSV and CSV its JSON; [] if neither."""
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value) if value else []
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


def _table_units(path: Path, fmt: str) -> Iterator[TranslationUnit]:
    for number, row in enumerate(table_rows(path, fmt), 1):
        where = f"{path.name} row {number}"
        src_lang, tgt_lang = (bcp47(str(row.get(column) or "")) for column in ("src_lang", "tgt_lang"))
        if not (src_lang and tgt_lang):
            raise AlignError(f"{where}: no src_lang/tgt_lang to key the texts by; not an 'align pair' output")
        if src_lang == tgt_lang:
            raise AlignError(f"{where}: both sides are tagged {src_lang!r}; a unit keys its texts by language")
        sides = ((src_lang, row["src_text"]), (tgt_lang, row["tgt_text"]))
        variants = {lang: str(text) for lang, text in sides if text}
        if variants:
            yield TranslationUnit(variants, _props(row, where), (str(row["note"]),) if row.get("note") else ())


def _props(row: dict, where: str) -> dict[str, str]:
    """The props the TMX writer gives the same bead, in its order, and the project table's pair."""
    props = {}
    if (score := _number(row.get("score"), "score", where)) is not None:
        props["x-score"] = score
    if "src_ids" in row and "tgt_ids" in row:
        props["x-bead"] = format_cells((cell_ids(row["src_ids"]), cell_ids(row["tgt_ids"])))
    if (similarity := _number(row.get("similarity"), "similarity", where)) is not None:
        props["x-similarity"] = similarity
    if row.get("status"):
        props["x-status"] = str(row["status"])
    if row.get("pair") not in (None, ""):
        props["x-pair"] = str(row["pair"])
    return props


def _number(value, column: str, where: str) -> str | None:
    """A score cell as the TMX writer formats it; None where it is empty (not known)."""
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AlignError(f"{where}: {column} {value!r} is not a number") from None
    return None if math.isnan(number) else f"{number:.4f}"


def _by_extension(path: Path) -> str | None:
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in (*FORMATS, "beads") else None


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as stream:
            return stream.read(_SNIFF_BYTES)
    except OSError as exc:
        raise AlignError(f"cannot read {path}: {exc.strerror or exc}") from None


def _by_content(head: bytes) -> str | None:
    """The format the start of a file shows, or None (binary, not UTF-8, or no sign of any format)."""
    if head.startswith(_UTF16_BOMS):  # CAT tools write TMX in UTF-16; the XML parser reads it
        text = head[:len(head) // 2 * 2].decode("utf-16", errors="replace")
        return "tmx" if text.lstrip("\ufeff \t\r\n").startswith("<") else None
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not a character cut off at the end of the sniff
            return None
        text = head[:exc.start].decode("utf-8-sig")
    text = text.lstrip()
    first, *rest = text.split("\n", 1)
    if text.startswith("<"):  # XML: the TMX reader says what is wrong if it is not TMX
        return "tmx"
    if _bead_line(first):
        return "beads"
    if first.startswith("{") and (not rest and len(head) == _SNIFF_BYTES or _json_object(first)):
        return "jsonl"  # a first line longer than the sniff cannot be parsed here, only begun
    if "\t" in first:
        return "tsv"
    if "," in first:
        return "csv"
    return None


def _json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _bead_line(line: str) -> bool:
    try:
        return bool(read_beads([line]))
    except FormatError:
        return False
