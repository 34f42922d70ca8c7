"""``align batch``: many document pairs, in this process or on a Ray cluster. Argparse and printing only."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from align.errors import AlignError

# Exit status when the run finished but some pairs failed (they are listed in the report).
SOME_FAILED = 4

DESCRIPTION = """\
Align many document pairs: listed in a file, one 'SRC TGT [OUTPUT]' per line (tab- or
space-separated; read as it goes, so it may hold millions of lines), or found in two
folders by matching file names. Each pair gets one output file in --out-dir, written
atomically, and one line in --out-dir/align-batch.manifest.jsonl (input and output
checksums, sentence and bead counts, mean probability, seconds, options), so that --resume
skips the pairs already done and re-does those whose inputs or options changed. A bad pair (empty,
binary, undecodable, one language only) is recorded with its reason and the run goes
on. The run ends with align-batch.report.json and .txt in --out-dir.

Exit status: 0 when every pair was aligned (or already done), 4 when some failed
(listed in the report), 1 when the run could not start, 2 on a usage error.

Engines: 'local' (default) aligns in this process and needs no Ray. 'ray' runs one
encoder actor per worker (the model loaded once per worker, on its own CPUs or GPU)
and the reading, aligning and writing as Ray tasks; without --address it starts a
local Ray on this machine and stops it at the end. The outputs are the same byte
for byte whatever the engine."""

EPILOG = """\
examples:
  align batch --src-dir en/ --tgt-dir ja/ --out-dir aligned/ --format tmx
  align batch --list pairs.tsv --out-dir aligned/ --engine ray --workers 2
  align batch --list pairs.tsv --out-dir aligned/ --resume --merged-tmx corpus.tmx
  align batch --list pairs.tsv --out-dir aligned/ --engine ray --address ray://head:10001 \\
      --model labse --device cuda
"""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return value


def add_parser(commands, add_align_options, add_input_limit) -> None:
    batch = commands.add_parser("batch", help="align many document pairs, locally or on a Ray cluster",
                                description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    source = batch.add_mutually_exclusive_group(required=True)
    source.add_argument("--list", type=Path, help="file of pairs, one 'SRC TGT [OUTPUT]' per line; relative "
                                                  "paths are taken from the list's folder")
    source.add_argument("--src-dir", type=Path, help="folder of source files (use with --tgt-dir)")
    batch.add_argument("--tgt-dir", type=Path, help="folder of target files with the same names")
    batch.add_argument("--out-dir", type=Path, required=True,
                       help="where to write one output per pair, the manifest and the report (created if missing)")
    add_align_options(batch)
    batch.add_argument("--presplit", action="store_true", help="one segment per line; do not split sentences")
    batch.add_argument("--force", action="store_true",
                       help="replace an output that is a symbolic link (the link itself, not what it points to)")
    batch.add_argument("--resume", action="store_true",
                       help="skip the pairs the manifest says are done from the same inputs into the same "
                            "output with the same options and model; align the others (without it, every pair "
                            "is aligned again)")
    batch.add_argument("--merged-tmx", type=Path, metavar="PATH",
                       help="also write every aligned pair's units into one TMX, streamed, in the list's order "
                            "(needs --format tmx, tsv, csv or jsonl)")
    engine = batch.add_argument_group("engine")
    engine.add_argument("--engine", choices=("local", "ray"), default="local",
                        help="local: this process, no Ray needed (default); ray: encoder actors and CPU tasks "
                             "on a Ray cluster")
    engine.add_argument("--address", metavar="ADDR",
                        help="ray: join this cluster ('auto', 'HOST:6379', 'ray://HOST:10001' for a KubeRay or "
                             "other remote head) instead of starting a local Ray")
    engine.add_argument("--workers", type=_positive,
                        help="ray: encoder actors to start (default: as many as the CPUs, or the GPUs with "
                             "--device cuda, of this machine or of the cluster, divided by --cpus-per-worker)")
    engine.add_argument("--cpus-per-worker", type=_positive, default=1,
                        help="ray: CPUs each worker reserves; its encoder uses that many threads (default 1)")
    add_input_limit(batch)


def cmd_batch(args, parser) -> int:
    from align.batch.engines import LocalEngine, run_batch
    from align.batch.jobs import REPORT_NAMES, FolderPairs, PairList
    from align.batch.report import report_json, report_text
    from align.batch.work import BatchOptions
    from align.embed import load_encoder
    from align.formats import check_output
    from align.formats.atomic import check_output_dir, write_atomic

    if args.engine == "local" and (args.address or args.workers or args.cpus_per_worker != 1):
        parser.error("--address, --workers and --cpus-per-worker need --engine ray")
    if args.merged_tmx and args.format == "beads":
        parser.error("--merged-tmx needs the texts: use --format tmx, tsv, csv or jsonl")
    if args.src_dir and not args.tgt_dir:
        parser.error("--src-dir needs --tgt-dir")
    jobs = PairList(args.list, args.format) if args.list else FolderPairs(args.src_dir, args.tgt_dir, args.format)
    check_output_dir(args.out_dir)
    if args.merged_tmx:
        check_output(args.merged_tmx, args.force)
    options = BatchOptions(
        out_dir=args.out_dir, fmt=args.format, presplit=args.presplit, src_lang=args.src_lang,
        tgt_lang=args.tgt_lang, thorough=args.thorough, min_score=args.min_score,
        one_sided_units=args.one_sided_units, max_input=args.max_input, force=args.force,
        created=_run_date(), fail_unpaired=args.fail_unpaired, inputs=(args.list,) if args.list else ())
    if args.engine == "ray":
        from align.batch.ray_engine import RayEngine

        with RayEngine(args.model, args.workers, args.cpus_per_worker, args.device, args.address,
                       use_cache=not args.no_cache) as engine:
            summary = run_batch(jobs, options, engine, f"ray, {len(engine.actors)} workers", args.resume, jobs.total)
    else:
        encoder = load_encoder(args.model, use_cache=not args.no_cache, device=args.device)
        summary = run_batch(jobs, options, LocalEngine(encoder), "local", args.resume, jobs.total)
    text = report_text(summary, args.min_score)
    sys.stderr.write(text)  # first: a report that cannot be written (a full disk) must not take the summary along
    write_atomic(args.out_dir / REPORT_NAMES[0], lambda s: s.write(report_json(summary).encode("utf-8")))
    write_atomic(args.out_dir / REPORT_NAMES[1], lambda s: s.write(text.encode("utf-8")))
    if args.merged_tmx and not summary.stopped:
        from align.batch.merge import write_merged_tmx

        units = write_merged_tmx(jobs, summary, options, args.merged_tmx, args.force)
        print(f"align: {units:,} units of {summary.aligned + summary.skipped:,} pairs written to {args.merged_tmx}",
              file=sys.stderr)
    print(f"aligned {summary.aligned + summary.skipped} of {summary.pairs} pairs into {args.out_dir}",
          file=sys.stderr)
    return SOME_FAILED if summary.failures else 0


def _run_date() -> datetime:
    """One creation date for every TMX of a run: ``$SOURCE_DATE_EPOCH`` if set (reproducible outputs), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        return datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    except ValueError:
        raise AlignError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
