"""Writing a project out: the one path the CLI, the workbench and scripts share.

``align project export`` and the workbench's download button must give the
same bytes, and ``--min-score`` must count what it left out the same way in
both, so both call :func:`export_project` and differ only in where the bytes go.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from align.errors import AlignError
from align.formats import write_alignment, write_atomic, write_project
from align.formats.tmx import bcp47
from align.types import Alignment


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the writer's warnings, and how many beads (or rows) ``min_score`` kept of those
    considered."""

    warnings: list[str]
    kept: int
    considered: int


def export_project(project, fmt: str, target: str | os.PathLike | BinaryIO, pair_id: int | None = None,
                   confirmed_only: bool = False, min_score: float | None = None,
                   set_id: int | None = None, force: bool = False,
                   one_sided_units: bool = False) -> Exported:
    """Write one pair (``pair_id``), one version set (``set_id``) or the whole project (neither) as ``fmt``.

    A version set is written as ``align multi`` writes: one TMX ``tu`` per row with a
    ``tuv`` per language, or a table with a column per version. The whole project
    as TMX holds the units of every pair (``x-pair`` prop) and of every set
    (``x-set``); a table of the whole project is one of pairs, so it leaves the sets
    out and says so. ``force`` lets a path replace a symbolic link (see ``formats.atomic.check_output``);
    ``one_sided_units`` writes beads without counterpart as one-language TMX units.
    """
    if pair_id is not None and set_id is not None:
        raise AlignError("export a pair or a version set, not both")
    if set_id is not None:
        multi = project.multi_alignment(set_id, confirmed_only, min_score)
        warnings = _write(target, lambda stream: multi.write(fmt, stream), force)
        return _counted(warnings, [project.rows(set_id)], project, confirmed_only, min_score)
    if pair_id is not None:
        warnings = write_alignment(project.alignment(pair_id, confirmed_only, min_score), fmt, target, force,
                                   one_sided_units)
        return _counted(warnings, [project.beads(pair_id)], project, confirmed_only, min_score)
    alignments, skipped = _exportable(project.alignments(confirmed_only, min_score), fmt)
    sets = project.version_sets()
    if not alignments and not (sets and fmt == "tmx"):  # a file with a header and nothing else, said so
        skipped.append(f"project {project.name!r} has no pair to export{' in this format' if sets else ''}: "
                       "the file holds no units")
    if sets and fmt == "tmx":
        multis = {s.id: project.multi_alignment(s.id, confirmed_only, min_score) for s in sets}
        warnings = skipped + write_project(alignments, fmt, target, force, multis, one_sided_units)
        counted = [*map(project.beads, alignments), *(project.rows(s.id) for s in sets)]
    else:
        skipped += [f"version set {s.id} ({', '.join(s.labels)}) left out: a table of pairs has no column per "
                    f"version; export it on its own with --set {s.id}" for s in sets]
        warnings = skipped + write_project(alignments, fmt, target, force, one_sided_units=one_sided_units)
        counted = [project.beads(pid) for pid in alignments]
    return _counted(warnings, counted, project, confirmed_only, min_score)


def _counted(warnings: Sequence[str], lists: Sequence[Sequence], project, confirmed_only: bool,
             min_score: float | None) -> Exported:
    rows = [row for rows in lists for row in rows if not confirmed_only or row.status == "confirmed"]
    kept = len(rows) if min_score is None else sum(project.keeps(row, min_score) for row in rows)
    return Exported(list(warnings), kept, len(rows))


def _write(target: str | os.PathLike | BinaryIO, write: Callable[[BinaryIO], list[str]], force: bool) -> list[str]:
    return write_atomic(target, write, force) if isinstance(target, (str, os.PathLike)) else write(target)


def _exportable(alignments: dict[int, Alignment], fmt: str) -> tuple[dict[int, Alignment], list[str]]:
    """The pairs ``fmt`` can hold, and one line for each pair left out: one bad pair never blocks the others."""
    if fmt != "tmx":
        return alignments, []
    kept, skipped = {}, []
    for pair_id, alignment in alignments.items():
        lang = bcp47(alignment.src.lang)
        if lang == bcp47(alignment.tgt.lang):
            skipped.append(f"pair {pair_id} ({alignment.src.name} ↔ {alignment.tgt.name}) left out: both documents "
                           f"are tagged {lang!r} (set a document's language to export it)")
        else:
            kept[pair_id] = alignment
    return kept, skipped
