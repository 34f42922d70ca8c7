"""Spreadsheet-friendly exports (TSV, CSV, JSONL): one row per bead, from ``Alignment.to_frame()``.

Columns: bead, src_ids, tgt_ids, kind, score, similarity, src_lang, tgt_lang,
src_text, tgt_text. ``score`` is the probability that the bead is exactly right;
``similarity`` is the centred cosine of its two sides, an empty cell (JSON null)
where it is not known (a one-sided bead, a bead merged by hand). In TSV and CSV
the ids are JSON lists (``[0, 1]``, ``[]`` for an omission), the same notation
as the bead format, so an empty side stays distinguishable from a missing
value; ``json.loads`` turns them back into lists. JSONL keeps real arrays.
Read TSV back with ``pd.read_csv(path, sep="\\t", quoting=csv.QUOTE_NONE,
keep_default_na=False)`` so that texts like "NA" stay text.

Text that came from a document could be a spreadsheet formula
(``=HYPERLINK(...)``), which Excel or LibreOffice would run on opening the
file: in TSV and CSV a text cell starting with ``=``, ``+``, ``-`` or ``@``
(after leading spaces), a tab or a carriage return gets a leading ``'``, as
OWASP advises, and CSV quotes every text cell. ``read_rows`` takes the ``'``
off again. JSONL is data, not a sheet, and is left as is.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from align.errors import AlignError
from align.types import Alignment

# Everything str.splitlines() breaks on, plus the tab: TSV readers split rows and cells there.
_TSV_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Columns whose cells are text from a document (a version's text in `align multi` is named by the caller).
TEXT_COLUMNS = frozenset({"src_text", "tgt_text", "text", "text_a", "text_b", "note"})
# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@")
_CONTROL_START = ("\t", "\r")


def write_tsv(alignment: Alignment, stream: BinaryIO) -> list[str]:
    """Unquoted TSV, one line per bead; tabs and line breaks in text become spaces."""
    return tsv(alignment.to_frame(), stream)


def write_csv(alignment: Alignment, stream: BinaryIO) -> list[str]:
    """RFC 4180 CSV; text is kept whole, quoted where it holds commas, quotes or newlines."""
    return csv_rows(alignment.to_frame(), stream)


def write_jsonl(alignment: Alignment, stream: BinaryIO) -> list[str]:
    """One JSON object per bead and line, non-ASCII text written as is."""
    return jsonl(alignment.to_frame(), stream)


def project_frame(alignments: Mapping[int, Alignment]) -> pd.DataFrame:
    """The beads of several pairs in one table, a leading ``pair`` column saying whose they are."""
    frames = [frame.assign(pair=pair_id) for pair_id, frame in
              ((pair_id, alignment.to_frame()) for pair_id, alignment in alignments.items())]
    if not frames:
        return pd.DataFrame(columns=["pair", *Alignment.FRAME_COLUMNS])
    frame = pd.concat(frames, ignore_index=True)
    return frame[["pair", *(c for c in frame.columns if c != "pair")]]


def tsv_cell(text: str) -> str:
    """``text`` as one TSV cell: tabs and every kind of line break become spaces."""
    return _TSV_BREAKS.sub(" ", text)


def sheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` where a spreadsheet would take it for a formula.

    Text already starting with quotes before such a start gets one more, so
    that ``unsheet`` gives back exactly what was written.
    """
    return "'" + text if _formula_like(text.lstrip("'")) else text


def unsheet(text: str) -> str:
    """The text ``sheet_safe`` was given."""
    return text[1:] if text.startswith("'") and _formula_like(text[1:].lstrip("'")) else text


def _formula_like(text: str) -> bool:
    return text.startswith(_CONTROL_START) or text.lstrip().startswith(_FORMULA_START)


def write_frame(frame: pd.DataFrame, fmt: str, stream: BinaryIO,
                text_columns: Collection[str] = TEXT_COLUMNS) -> list[str]:
    """Any table as ``tsv``, ``csv`` or ``jsonl``: the one place tabular text is written.

    ``text_columns`` hold text from documents, made safe for spreadsheets in TSV and CSV.
    """
    if fmt == "jsonl":
        return jsonl(frame, stream)
    return {"tsv": tsv, "csv": csv_rows}[fmt](frame, stream, text_columns)


def tsv(frame: pd.DataFrame, stream: BinaryIO, text_columns: Collection[str] = TEXT_COLUMNS) -> list[str]:
    frame = _ids_as_json(frame)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(lambda value: tsv_cell(value) if isinstance(value, str) else value)
    frame = _sheet_safe(frame, text_columns)
    with _text(stream) as out:
        # No quoting: a cell is exactly the text between tabs, as cut/awk see it.
        frame.to_csv(out, sep="\t", index=False, quoting=csv.QUOTE_NONE, lineterminator="\n")
    return []


def csv_rows(frame: pd.DataFrame, stream: BinaryIO, text_columns: Collection[str] = TEXT_COLUMNS) -> list[str]:
    with _text(stream) as out:
        _sheet_safe(_ids_as_json(frame), text_columns).to_csv(out, index=False, lineterminator="\n",
                                                               quoting=csv.QUOTE_NONNUMERIC)
    return []


def jsonl(frame: pd.DataFrame, stream: BinaryIO) -> list[str]:
    with _text(stream) as out:
        for record in frame.to_dict("records"):
            out.write(json.dumps({k: _json_value(v) for k, v in record.items()}, ensure_ascii=False) + "\n")
    return []


def _json_value(value):
    """pandas holds a missing number as NaN, which JSON cannot: write it as null."""
    return None if isinstance(value, float) and math.isnan(value) else value


def _sheet_safe(frame: pd.DataFrame, text_columns: Collection[str]) -> pd.DataFrame:
    """The text columns made safe for spreadsheets; numbers (a negative score) stay numbers."""
    frame = frame.copy()
    for column in set(text_columns) & set(frame.columns):
        frame[column] = frame[column].map(lambda value: sheet_safe(value) if isinstance(value, str) else value)
    return frame


def _ids_as_json(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in {"src_ids", "tgt_ids"} & set(frame.columns):
        frame[column] = frame[column].map(json.dumps)
    return frame


def read_rows(path: Path, fmt: str | None = None) -> Iterator[dict]:
    """The rows of a ``tsv``, ``csv`` or ``jsonl`` table as dicts, streamed; bad input is an ``AlignError``.

    ``fmt`` defaults to the file's extension. Text cells lose the ``'`` that
    ``sheet_safe`` put before a formula-like start.
    """
    fmt = fmt or path.suffix.lower().lstrip(".")
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            if fmt == "jsonl":
                for number, line in enumerate(stream, 1):
                    if line.strip():
                        try:
                            record = json.loads(line)
                        except ValueError:
                            raise AlignError(f"{path.name} line {number}: not JSON") from None
                        if not isinstance(record, dict):
                            raise AlignError(f"{path.name} line {number}: not a JSON object")
                        yield record
            else:
                csv.field_size_limit(10_000_000)
                dialect = {"delimiter": "\t", "quoting": csv.QUOTE_NONE} if fmt == "tsv" else {}
                for row in csv.DictReader(stream, **dialect):
                    yield {k: unsheet(v) if k in TEXT_COLUMNS and isinstance(v, str) else v for k, v in row.items()}
    except UnicodeDecodeError:
        raise AlignError(f"{path.name}: not UTF-8 text") from None
    except csv.Error as exc:
        raise AlignError(f"{path.name}: {exc}") from None


@contextmanager
def _text(stream: BinaryIO):
    """A UTF-8 text view of a binary stream that leaves the stream open afterwards."""
    out = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    try:
        yield out
        out.flush()
    finally:
        out.detach()
