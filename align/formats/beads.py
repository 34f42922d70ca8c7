"""Vecalign's bead format: one bead per line, ``[0, 1]:[2]``, 0-based segment indices.

It is the format of the gold files in the bench sets and of Vecalign's output,
so hypotheses can be scored against gold and compared with Vecalign directly.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from align.errors import FormatError
from align.types import Alignment, Bead

_IDS = r"\[\s*(\d+(?:\s*,\s*\d+)*)?\s*\]"
# Vecalign's own output adds ``:cost``; a cost is not our confidence, so it is read and dropped.
_LINE = re.compile(rf"{_IDS}\s*:\s*{_IDS}(?:\s*:\s*[-+0-9.eE]+)?")


def format_bead(bead: Bead) -> str:
    """``[0, 1]:[2]``, byte for byte as in Vecalign's gold files."""
    return format_cells((bead.src, bead.tgt))


def format_cells(cells: Iterable[Iterable[int]]) -> str:
    """``[0]:[0, 1]:[]``: each version's sentence indices, as in a bead, joined by ``:`` (rows of 3+ versions)."""
    return ":".join(f"[{', '.join(map(str, cell))}]" for cell in cells)


def write_beads(beads: Iterable[Bead], stream: BinaryIO) -> None:
    for bead in beads:
        stream.write(format_bead(bead).encode("ascii") + b"\n")


def write(alignment: Alignment, stream: BinaryIO) -> list[str]:
    """The registry entry point; the format holds indices only, so nothing can be lost."""
    write_beads(alignment.beads, stream)
    return []


def read_beads(source: str | os.PathLike | Iterable[str]) -> list[Bead]:
    """Parse a bead file (a path) or its lines; blank lines are skipped.

    Raises FormatError naming the file and line of the first malformed line.
    """
    if isinstance(source, (str, os.PathLike)):
        name = Path(source).name
        try:
            with open(source, encoding="utf-8") as lines:
                return _parse(lines, name)
        except (OSError, UnicodeDecodeError) as exc:
            raise FormatError(f"{name}: cannot read bead file: {exc}") from None
    return _parse(source, "<beads>")


def _parse(lines: Iterable[str], name: str) -> list[Bead]:
    beads = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise FormatError(f"{name} line {number}: expected a bead like [0, 1]:[2], got {line[:60]!r}")
        beads.append(Bead(src=_ids(match[1]), tgt=_ids(match[2])))
    return beads


def _ids(group: str | None) -> tuple[int, ...]:
    return tuple(int(i) for i in group.split(",")) if group else ()
