"""Exporters, one module per file format, each with the same entry point.

Every writer is ``write(alignment, stream) -> list[str]``: it writes to a binary
stream and returns warnings a person should read (e.g. characters TMX cannot
hold). Adding a format means adding a module and a line in WRITERS.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import BinaryIO

from align.errors import AlignError
from align.formats import beads, tabular, tmx
from align.formats.atomic import write_atomic
from align.types import Alignment

Writer = Callable[[Alignment, BinaryIO], list[str]]

WRITERS: dict[str, Writer] = {
    "beads": beads.write,
    "tsv": tabular.write_tsv,
    "csv": tabular.write_csv,
    "jsonl": tabular.write_jsonl,
    "tmx": tmx.write,
}


def write_alignment(alignment: Alignment, fmt: str, stream_or_path: BinaryIO | str | os.PathLike) -> list[str]:
    """Write ``alignment`` as ``fmt`` to a binary stream, or atomically to a path.

    Returns the writer's warnings.
    """
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise AlignError(f"unknown output format {fmt!r}; choose one of {', '.join(WRITERS)}") from None
    if isinstance(stream_or_path, (str, os.PathLike)):
        return write_atomic(stream_or_path, lambda stream: writer(alignment, stream))
    return writer(alignment, stream_or_path)


__all__ = ["WRITERS", "write_alignment", "write_atomic"]
