"""One TMX for a whole corpus, streamed from the per-pair outputs in the list's order.

Made from the outputs on disk rather than from results held in memory, so a
resumed run (whose earlier pairs were never in this process) merges whole,
and a corpus of any size costs one unit of memory at a time.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from align.batch.engines import RunSummary
from align.batch.jobs import PairJob
from align.batch.work import BatchOptions
from align.formats import open_units
from align.formats.atomic import write_atomic
from align.formats.tmx import TranslationUnit, write_tmx


def merged_units(jobs: Iterable[PairJob], summary: RunSummary, out_dir: Path) -> Iterator[TranslationUnit]:
    """The units of every pair that was aligned (now or before), each tagged with its document (``x-document``)."""
    failed = {record.output for record in summary.failures}
    seen: set[str] = set()
    for job in jobs:
        if job.problem or job.output in failed or job.output in seen:
            continue
        seen.add(job.output)
        for unit in open_units(out_dir / job.output):
            yield replace(unit, props={**unit.props, "x-document": job.output})


def write_merged_tmx(jobs: Iterable[PairJob], summary: RunSummary, options: BatchOptions, path: Path,
                     force: bool = False) -> int:
    """Write the merged TMX atomically; returns how many units it holds."""
    count = 0

    def counted() -> Iterator[TranslationUnit]:
        nonlocal count
        for unit in merged_units(jobs, summary, options.out_dir):
            count += 1
            yield unit

    write_atomic(path, lambda stream: write_tmx(counted(), stream, srclang=options.src_lang or "*all*",
                                                created=options.created), force)
    return count
