"""Running a batch: the pairs go to an engine, the records come back, the manifest and the report follow.

The driver below is the same for both engines: it streams the pairs (a
list of millions is never held), skips or redoes them on ``--resume``, and
writes each record to the manifest as it arrives. ``LocalEngine`` aligns in
this process, one pair after another; ``align.batch.ray_engine`` spreads the
same work over a Ray cluster.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Protocol

from align.batch.jobs import MANIFEST_NAME, PairJob
from align.batch.manifest import FAILED, OK, SKIPPED, ManifestWriter, PairRecord, read_done
from align.batch.work import DISK_FULL, BatchOptions, align_pair
from align.embed import Encoder
from align.progress import progress

log = logging.getLogger(__name__)

Task = tuple[PairJob, "PairRecord | None"]


class Engine(Protocol):
    """Aligns pairs somewhere and yields their records, in any order, as they finish."""

    def run(self, tasks: Iterator[Task], options: BatchOptions) -> Iterator[PairRecord]: ...


class LocalEngine:
    """Every pair in this process, one after the other, with one encoder: no cluster needed."""

    def __init__(self, encoder: Encoder):
        self.encoder = encoder

    def run(self, tasks: Iterator[Task], options: BatchOptions) -> Iterator[PairRecord]:
        for job, previous in tasks:
            yield align_pair(job, self.encoder, options, previous)


@dataclass
class RunSummary:
    """What a run did, added up as records arrive (the report is made from it)."""

    engine: str
    pairs: int = 0
    aligned: int = 0
    skipped: int = 0
    failures: list[PairRecord] = field(default_factory=list)
    sentences: int = 0
    beads: int = 0
    beads_left_out: int = 0
    low_probability_beads: int = 0
    seconds: float = 0.0
    workers: dict[str, list[float]] = field(default_factory=dict)  # worker -> [pairs, sentences, busy seconds]
    passages: list[PairRecord] = field(default_factory=list)  # the pairs done with a passage one file lacks
    stopped: str = ""  # why the run ended before its last pair (a full disk), "" when it did not

    def add(self, record: PairRecord) -> None:
        self.pairs += 1
        if record.done and record.passages:
            self.passages.append(record)
        if record.status == FAILED:
            self.failures.append(record)
        elif record.status == SKIPPED:
            self.skipped += 1
        else:
            self.aligned += 1
            self.sentences += record.sentences
            self.beads += record.beads
            self.beads_left_out += record.beads_left_out
            self.low_probability_beads += record.low_probability_beads
            tally = self.workers.setdefault(record.worker, [0, 0, 0.0])
            tally[0] += 1
            tally[1] += record.sentences
            tally[2] += record.seconds

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0


def run_batch(jobs: Iterable[PairJob], options: BatchOptions, engine: Engine, engine_name: str,
              resume: bool = False, total: int | None = None) -> RunSummary:
    """Align every pair of ``jobs`` with ``engine``, writing the manifest as records arrive.

    With ``resume``, a pair the manifest already has, from the same inputs
    into the same unchanged output, is skipped; any other is aligned again.
    Two pairs may not share an output: the second one fails.
    """
    manifest = options.out_dir / MANIFEST_NAME
    previous = read_done(manifest) if resume else {}
    summary = RunSummary(engine_name)
    owners: dict[str, int] = {}

    def tasks() -> Iterator[Task]:
        for job in jobs:
            if job.output in owners:  # failed under a name of its own, so the first pair's record stands
                job = replace(job, output=f"pair-{job.number}", problem=(
                    f"its output {job.output} is already the output of pair {owners[job.output]}; "
                    "name outputs in a third column of the list"))
            owners.setdefault(job.output, job.number)
            yield job, previous.get(job.output)

    started = time.perf_counter()
    with ManifestWriter(manifest, resume) as writer, \
            progress(total, desc="pairs", unit="pair", min_total=1) as bar:
        for record in engine.run(tasks(), options):
            if record.status != SKIPPED:  # a skipped pair keeps its earlier line
                writer.write(record)
            summary.add(record)
            summary.seconds = time.perf_counter() - started
            if record.status == OK:
                log.info("%s: %s, %d sentences in %.1f s (%.1f/s)", record.worker, record.output, record.sentences,
                         record.seconds, record.sentences / record.seconds if record.seconds else 0.0)
            bar.update(1)
            bar.set_postfix_str(f"{summary.sentences:,} sentences, {summary.sentences_per_second:,.0f}/s")
            if record.status == FAILED and record.reason.startswith(DISK_FULL):
                # Every later pair would be aligned in full, then fail the same way: hours lost at corpus scale.
                summary.stopped = (f"stopped after pair {record.output}: {DISK_FULL}; free space, then run again "
                                   "with --resume")
                break
    summary.seconds = time.perf_counter() - started
    for worker, (pairs, sentences, busy) in sorted(summary.workers.items()):
        log.info("%s: %d pairs, %d sentences, %.1f sentences/s of its own time, %.1f/s of the run",
                 worker, pairs, sentences, sentences / busy if busy else 0.0,
                 sentences / summary.seconds if summary.seconds else 0.0)
    return summary
