"""File formats, one module per format, each with the same entry point for writing.

Every writer is ``write(alignment, stream) -> list[str]``: it writes to a binary
stream and returns warnings a person should read (e.g. characters TMX cannot
hold). Adding a format means adding a module and a line in WRITERS. Reading
back, ``open_units(path)`` streams the translation units of a TMX or of a table
``align pair`` wrote, whichever the file is.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from functools import partial
from itertools import chain
from typing import BinaryIO

from align.errors import AlignError
from align.formats import beads, tabular, tmx
from align.formats.atomic import check_output, write_atomic
from align.formats.units import open_units
from align.types import Alignment

Writer = Callable[[Alignment, BinaryIO], list[str]]

WRITERS: dict[str, Writer] = {
    "beads": beads.write,
    "tsv": tabular.write_tsv,
    "csv": tabular.write_csv,
    "jsonl": tabular.write_jsonl,
    "tmx": tmx.write,
}


def write_alignment(alignment: Alignment, fmt: str, stream_or_path: BinaryIO | str | os.PathLike,
                    force: bool = False, one_sided_units: bool = False, created: datetime | None = None) -> list[str]:
    """Write ``alignment`` as ``fmt`` to a binary stream, or atomically to a path.

    Returns the writer's warnings; ``force`` as for ``write_atomic``. ``one_sided_units``: TMX
    writes a bead without counterpart as a unit in one language instead of leaving it out (and
    counting it in a warning). ``created``: the TMX creation date (default now), so that the
    outputs of one batch run carry one date and two runs can be compared byte for byte.
    """
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise AlignError(f"unknown output format {fmt!r}; choose one of {', '.join(WRITERS)}") from None
    if fmt == "tmx":
        writer = partial(tmx.write, include_omissions=one_sided_units, created=created)
    if isinstance(stream_or_path, (str, os.PathLike)):
        return write_atomic(stream_or_path, lambda stream: writer(alignment, stream), force)
    return writer(alignment, stream_or_path)


def write_project(alignments: Mapping[int, Alignment], fmt: str,
                  stream_or_path: BinaryIO | str | os.PathLike, force: bool = False,
                  version_sets: Mapping[int, object] | None = None, one_sided_units: bool = False) -> list[str]:
    """Several pairs (``{pair_id: alignment}``) in one file, streamed or atomically to a path.

    TMX: the units of every pair, each with an ``x-pair`` prop, then the rows of every
    version set (``{set_id: MultiAlignment}``), each with an ``x-set`` prop; the header's
    srclang is the common source language, or ``*all*``. TSV/CSV/JSONL: the rows of every
    pair under a leading ``pair`` column (a table of pairs has no room for sets). The bead
    format has no room for a pair, so it is refused.
    """
    version_sets = version_sets or {}
    if fmt == "tmx":
        langs = {a.src.lang for a in alignments.values()} | {m.docs[0].lang for m in version_sets.values() if m.docs}
        srclang = langs.pop() if len(langs) == 1 else "*all*"

        def write(stream: BinaryIO) -> list[str]:
            units = chain(
                (replace(unit, props={**unit.props, "x-pair": str(pair_id)})
                 for pair_id, alignment in alignments.items()
                 for unit in tmx.alignment_units(alignment, one_sided_units)),
                (replace(unit, props={**unit.props, "x-set": str(set_id)})
                 for set_id, multi in version_sets.items() for unit in tmx.version_units(multi)))
            return ([str(r) for r in tmx.write_tmx(units, stream, srclang=srclang)]
                    + tmx.left_out_warnings(dict(alignments), one_sided_units,
                                            [row for multi in version_sets.values() for row in multi.rows]))
    elif fmt in PROJECT_TABLES:
        def write(stream: BinaryIO) -> list[str]:
            return PROJECT_TABLES[fmt](tabular.project_frame(alignments), stream)
    else:
        raise AlignError(f"a whole project cannot be written as {fmt!r}; choose tmx, {', '.join(PROJECT_TABLES)}")
    if isinstance(stream_or_path, (str, os.PathLike)):
        return write_atomic(stream_or_path, write, force)
    return write(stream_or_path)


PROJECT_TABLES = {"tsv": tabular.tsv, "csv": tabular.csv_rows, "jsonl": tabular.jsonl}

__all__ = ["WRITERS", "check_output", "open_units", "write_alignment", "write_atomic", "write_project"]
