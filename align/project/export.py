"""Writing a project out: the one path the CLI, the workbench and scripts share.

``align project export`` and the workbench's download button must give the
same bytes, and ``--min-score`` must count what it left out the same way in
both, so both call :func:`export_project` and differ only in where the bytes go.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from align.formats import write_alignment, write_project


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the writer's warnings, and how many beads ``min_score`` kept of those considered."""

    warnings: list[str]
    kept: int
    considered: int


def export_project(project, fmt: str, target: str | os.PathLike | BinaryIO, pair_id: int | None = None,
                   confirmed_only: bool = False, min_score: float | None = None, force: bool = False) -> Exported:
    """Write one pair (``pair_id``) or the whole project (None, with a ``pair`` column) as ``fmt``.

    ``force`` lets a path replace a symbolic link (see ``formats.atomic.check_output``).
    """
    if pair_id is None:
        pair_ids: Sequence[int] = [pair[0] for pair in project.pairs()]
        warnings = write_project(project.alignments(confirmed_only, min_score), fmt, target, force)
    else:
        pair_ids = [pair_id]
        warnings = write_alignment(project.alignment(pair_id, confirmed_only, min_score), fmt, target, force)
    rows = [row for pid in pair_ids for row in project.beads(pid)
            if not confirmed_only or row.status == "confirmed"]
    kept = len(rows) if min_score is None else sum(project.keeps(row, min_score) for row in rows)
    return Exported(list(warnings), kept, len(rows))
