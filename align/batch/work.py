"""One pair of a batch, start to end, the same wherever it runs: read, align, write, record.

Both engines call ``align_pair``; only where it runs and which encoder it is
handed differ, which is why their outputs are the same byte for byte.
"""
from __future__ import annotations

import errno
import json
import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from align.batch.jobs import PairJob
from align.batch.manifest import FAILED, OK, SKIPPED, PairRecord, file_sha256, still_valid
from align.embed import Encoder
from align.errors import AlignError, describe_failure
from align.formats import check_output, write_alignment
from align.lang import base_lang, lang_name
from align.pairing import passages
from align.pairing.pipeline import align_documents, read_document
from align.pairing.probability import MEDIUM, at_least
from align.text.decode import MAX_INPUT_BYTES

log = logging.getLogger(__name__)
# How a pair's failure begins when the disk took no more: the run stops there (see ``engines.run_batch``).
DISK_FULL = "the disk is full"


@dataclass(frozen=True)
class BatchOptions:
    """What every pair of a run shares: where outputs go, their format, and how to align."""

    out_dir: Path
    fmt: str = "tsv"
    presplit: bool = False
    src_lang: str | None = None
    tgt_lang: str | None = None
    thorough: bool = False
    min_score: float | None = None
    one_sided_units: bool = False
    max_input: int = MAX_INPUT_BYTES
    force: bool = False
    created: datetime | None = None  # one TMX creation date for the whole run
    fail_unpaired: bool = False  # two files that translate nothing of each other: a failed pair, no output
    inputs: tuple[Path, ...] = ()  # files of the run's own that no output may replace (the list of pairs)

    def settings(self, model: str) -> str:
        """The options an output depends on, and the encoder, as one string for the manifest: ``--resume``
        keeps a pair only when they are the same (a changed ``--min-score`` or ``--model`` was ignored)."""
        return json.dumps({"model": model, "format": self.fmt, "presplit": self.presplit, "src_lang": self.src_lang,
                           "tgt_lang": self.tgt_lang, "thorough": self.thorough, "min_score": self.min_score,
                           "one_sided_units": self.one_sided_units, "fail_unpaired": self.fail_unpaired},
                          sort_keys=True)


def align_pair(job: PairJob, encoder: Encoder, options: BatchOptions, previous: PairRecord | None = None,
               worker: str = "local") -> PairRecord:
    """Align ``job`` into its output and say how it went; a bad pair is a failed record, never an exception.

    ``previous`` is the manifest's record of an earlier run: when it still
    matches the inputs and the output, the pair is skipped.
    """
    started = time.perf_counter()
    output = options.out_dir / job.output
    settings = options.settings(getattr(encoder, "name", ""))
    failed = PairRecord(job.output, str(job.src), str(job.tgt), FAILED, worker=worker, settings=settings)
    if job.problem:
        return replace(failed, reason=job.problem)
    if previous is not None and previous.settings == settings and still_valid(previous, job.src, job.tgt, output):
        return replace(previous, status=SKIPPED, seconds=0.0)
    try:
        return replace(_aligned(job, encoder, options, output, worker, started), settings=settings)
    except AlignError as exc:
        return replace(failed, reason=str(exc), seconds=time.perf_counter() - started)
    except OSError as exc:
        full = f"{DISK_FULL}: " if exc.errno in (errno.ENOSPC, errno.EDQUOT) else ""
        return replace(failed, reason=full + describe_failure(exc), seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug met on one pair of millions must not stop the others
        log.exception("%s: unexpected error", job.src)
        return replace(failed, reason=f"unexpected error (please report it): {type(exc).__name__}: {exc}",
                       seconds=time.perf_counter() - started)


def _aligned(job: PairJob, encoder: Encoder, options: BatchOptions, output: Path, worker: str,
             started: float) -> PairRecord:
    output.parent.mkdir(parents=True, exist_ok=True)
    check_output(output, options.force, (job.src, job.tgt, *options.inputs))  # before the work, not after it
    src = read_document(job.src, presplit=options.presplit, lang=options.src_lang, max_bytes=options.max_input)
    tgt = read_document(job.tgt, presplit=options.presplit, lang=options.tgt_lang, max_bytes=options.max_input)
    if not (options.src_lang or options.tgt_lang) and base_lang(src.lang) == base_lang(tgt.lang):
        raise AlignError(f"both files are in {lang_name(src.lang)} ({src.lang}): one language only, "
                         "nothing to align (--src-lang/--tgt-lang override the detection)")
    alignment = align_documents(src, tgt, encoder, thorough=options.thorough)
    if options.fail_unpaired and (unpaired := passages.no_pair(alignment.beads)):
        raise AlignError(unpaired)  # a corpus wants no chance links of a mismatched pair, however unsure
    aligned_beads, lone = len(alignment.beads), tuple(passages.report(alignment.beads))
    if options.min_score is not None:
        alignment = at_least(alignment, options.min_score)
    write_alignment(alignment, options.fmt, output, options.force, options.one_sided_units, options.created)
    scores = [b.score for b in alignment.beads]
    return PairRecord(
        job.output, str(job.src), str(job.tgt), OK,
        src_sha256=file_sha256(job.src), tgt_sha256=file_sha256(job.tgt), output_sha256=file_sha256(output),
        src_sentences=len(src.segments), tgt_sentences=len(tgt.segments), beads=len(scores),
        beads_left_out=aligned_beads - len(scores),
        low_probability_beads=sum(s < MEDIUM for s in scores),
        mean_probability=round(sum(scores) / len(scores), 4) if scores else 0.0,
        seconds=round(time.perf_counter() - started, 3), worker=worker, passages=lone)
