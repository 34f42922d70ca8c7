"""`align review …`: score aligned units, flag likely errors, and gate a pipeline on them."""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

from align.review.model import RANK, SEVERITIES

FAIL_EXIT = 3

DESCRIPTION = """\
Review aligned units: every unit gets flags with a reason, a severity and a quality
score in [0, 1] (higher is better). Thresholds are calibrated on the input itself
(median and robust spread of its similarity margins and length ratios), with
priors for inputs under 20 pairs.

INPUT is one of:
  FILE.tmx          a translation memory of any size, read as a stream (twice)
  FILE.tsv|csv|jsonl  an alignment written by 'align pair'
  project:NAME      a pair of a saved project (same as --project NAME), or with --set ID
                    a version set's rows seen from two of its versions (--versions A,B)
  FILE.txt          one document: its sentences reviewed as text (MT debris, text left
                    in another language) and the passages translated inside it as pairs
"""

EPILOG = """\
flags:
  omission / addition        a source (target) with nothing on the other side
  partial_omission / _addition  part of one side has no counterpart (a dropped clause, a
                             target that opens mid-sentence or shows where a word was
                             taken out, or one sentence of an n-1 bead)
  low_similarity             similarity margin is an outlier low for this input
  length_ratio               characters of target/source far from this input's ratio
  truncated                  target stops mid-sentence and is short
  number_mismatch            a number differs between the sides (major when changed)
  tag_mismatch               a placeholder ({0}, %s, <b>) or TMX inline code is missing
                             or doubled on the other side
  name_mismatch              a name of one side has no counterpart (major only where the
                             target is also short or closer to the source without it)
  untranslated               target is a copy of the source or in its language
  wrong_language             a side is in a third language, or the sides are swapped
  repetition                 a phrase repeated back to back on one side only
  mt_noise                   fragments, broken punctuation, spaces inside Japanese
  boilerplate                credits, bylines, links, dates, page controls
  duplicate                  same pair as an earlier unit
  oversized                  a side longer than 4,000 characters

severities: ok < minor < major < critical; a unit's severity is its worst flag's.

outputs:
  csv    index (0-based position in the input: a project's bead N is index N-1),
         severity, score, flags (names separated by ';', empty when clean), reasons
         (' | '), src_lang, tgt_lang, src, tgt; where the input holds the reviewer's
         decisions (project:NAME, a table a project exported), also status and note;
         text cells quoted, a text a spreadsheet would run as a formula (=, +, -, @)
         prefixed with '
  jsonl  the same per line, with flags/reasons as lists and the raw signals
  html   a self-contained report: charts and the worst units with reasons
  tmx    the units with props x-flags, x-score, x-severity (an existing x-score is
         kept as x-align-score)

a TMX with a DTD other than <!DOCTYPE tmx SYSTEM "tmx14.dtd"> is refused unless
--allow-dtd; entity declarations and units of over 10 MB or 10,000 elements always are.

exit status: 0 ok, 1 error (one line on stderr), 2 usage error,
             3 a unit reached the --fail-on severity (the outputs are still written).

examples:
  align review memory.tmx -o review.csv --report-html review.html
  align review memory.tmx --format tmx -o flagged.tmx --filtered-tmx clean.tmx --reject-at major
  align pair en.txt ja.txt -o en-ja.tsv && align review en-ja.tsv --fail-on critical
  align review project:demo --pair 1 --format html -o demo.html
  align review project:demo --set 1 --versions en,ru -o set-en-ru.csv
"""


def add_parser(commands, add_encoder_options, add_output, add_input_limit) -> None:
    review = commands.add_parser("review",
                                 help="flag likely translation errors (TMX, align pair output, projects, documents)",
                                 description=DESCRIPTION, epilog=EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    review.add_argument("input", nargs="?",
                        help="FILE.tmx, an 'align pair' TSV/CSV/JSONL, a FILE.txt document, or project:NAME")
    review.add_argument("--format", choices=("csv", "jsonl", "html", "tmx"), default="csv",
                        help="what to write to -o or stdout (default csv; see outputs below)")
    add_output(review)
    review.add_argument("--report-html", type=Path, metavar="PATH", help="also write the HTML report here")
    review.add_argument("--filtered-tmx", type=Path, metavar="PATH",
                        help="also write a TMX without the units rejected (see --reject-at)")
    review.add_argument("--reject-at", choices=SEVERITIES[1:], default="major",
                        help="severity from which --filtered-tmx leaves a unit out (default major)")
    review.add_argument("--fail-on", choices=SEVERITIES[1:], metavar="SEVERITY",
                        help="exit with status 3 if any unit reaches this severity (minor, major or critical)")
    review.add_argument("--top", type=int, default=50, help="worst units listed in the HTML report (default 50)")
    review.add_argument("--src-lang", help="source language (default: the TMX header's srclang or the file's)")
    review.add_argument("--tgt-lang", help="target language (default: the commonest other language)")
    review.add_argument("--project", metavar="NAME", help="review a pair of this project instead of INPUT")
    review.add_argument("--pair", type=int, help="project pair id (default: the only pair)")
    review.add_argument("--set", type=int, metavar="ID", dest="set_id",
                        help="review a version set of the project instead of a pair: its rows seen from two "
                             "versions (--versions), as the workbench's Review view of a set does")
    review.add_argument("--versions", metavar="A,B",
                        help="with --set: the base version and the one checked against it, by language label "
                             "(en, ja, en_2) or 0-based number (default: the first two)")
    review.add_argument("--dir", type=Path, help="projects folder (default $ALIGN_PROJECTS_DIR or ./projects)")
    review.add_argument("--save-project", metavar="NAME",
                        help="also import the units as a new pair of project NAME (created if missing), "
                             "streamed, one bead per unit with its status and note where the input has them "
                             "(x-status and <note>, or a project export's columns), to review them in the workbench; "
                             "the same units saved there already are refused (a rerun after a crash, say)")
    review.add_argument("--again", action="store_true",
                        help="with --save-project: save the units even where the project holds them already")
    review.add_argument("--allow-dtd", action="store_true",
                        help="read a TMX whose DOCTYPE is not the standard <!DOCTYPE tmx SYSTEM \"tmx14.dtd\">, "
                             "without loading the DTD (entity declarations stay refused)")
    add_input_limit(review)
    add_encoder_options(review)


def run(args, parser, load_encoder) -> int:
    from align.formats import write_atomic
    from align.review.report import ReportCollector, RowWriter

    if args.project and args.input:
        parser.error("give INPUT or --project, not both")
    if not args.project and not args.input:
        parser.error("review needs INPUT (a .tmx, an 'align pair' output, or project:NAME) or --project")
    if args.top < 0:
        parser.error("--top must be 0 or more")
    if args.set_id is not None and args.pair is not None:
        parser.error("give --pair or --set, not both")
    if args.versions is not None and args.set_id is None:
        parser.error("--versions goes with --set")
    if args.save_project is not None:
        if not args.save_project:
            parser.error("--save-project needs a project name")
        if args.project or args.input.startswith("project:"):
            parser.error("--save-project imports a TMX or an 'align pair' output; this input is a project already")
    elif args.again:
        parser.error("--again goes with --save-project")
    _check_outputs(args)
    from align.review.sources import open_source

    spec = f"project:{args.project}" if args.project else args.input
    source = open_source(spec, load_encoder(args), args.src_lang, args.tgt_lang, args.dir, args.pair,
                         max_bytes=args.max_input, allow_dtd=args.allow_dtd, set_id=args.set_id,
                         versions=args.versions)
    collector = ReportCollector(top=args.top, paired=source.paired)
    title = f"Review of {source.name} ({source.src_lang}→{source.tgt_lang})"

    def write_main(stream):
        if args.format in ("csv", "jsonl"):
            rows = RowWriter(stream, args.format, decisions=source.decisions is not None)
            for (src, tgt, review), decision in zip(source.judged(), source.decisions or itertools.repeat(None)):
                collector.add(review, src, tgt)
                rows.write(review, src, tgt, source.src_lang, source.tgt_lang, decision)
            rows.close()
            return []
        for src, tgt, review in source.judged():
            collector.add(review, src, tgt)
        if args.format == "html":
            stream.write(collector.html(title, source.details).encode("utf-8"))
            return []
        return source.write_tmx(stream, None)

    warnings = write_atomic(args.output, write_main, args.force) if args.output else write_main(sys.stdout.buffer)
    if not args.output:
        sys.stdout.buffer.flush()
    if args.report_html:
        write_atomic(args.report_html, lambda s: s.write(collector.html(title, source.details).encode("utf-8")),
                     args.force)
    if args.filtered_tmx:
        warnings += write_atomic(args.filtered_tmx, lambda s: source.write_tmx(s, args.reject_at), args.force)
    if args.save_project:
        pair_id, coded = _save_project(args, source)
        print(f"align: imported into project {args.save_project} as pair {pair_id}", file=sys.stderr)
        if coded:
            warnings.append(f"{coded} unit{'s' if coded > 1 else ''} of {source.name} hold inline codes (<bpt>, <ph>, "
                            "...), which the project keeps as plain text and its exports write without; "
                            "--format tmx or --filtered-tmx keeps them")
    for warning in warnings:
        print(f"align: warning: {warning}", file=sys.stderr)
    counts = ", ".join(f"{collector.severities.get(s, 0)} {s}" for s in SEVERITIES)
    print(f"align: reviewed {collector.units} units of {source.name}: {counts}", file=sys.stderr)
    for line in collector.lone_runs():
        print(f"align: {line}", file=sys.stderr)
    if args.fail_on and RANK[collector.worst_severity] >= RANK[args.fail_on]:
        print(f"align: review: units reached severity {args.fail_on} (exit {FAIL_EXIT})", file=sys.stderr)
        return FAIL_EXIT
    return 0


def _check_outputs(args) -> None:
    """Every file the review will write, refused before any work if it cannot be written, is the file
    reviewed, or is named twice."""
    from align.formats import check_output
    from align.formats.atomic import distinct_outputs
    from align.project.file import default_projects_dir, project_path

    outputs = (args.output, args.report_html, args.filtered_tmx)
    distinct_outputs(outputs)
    for path in outputs:
        if path is not None:
            check_output(path, args.force, [args.input] if args.input not in (None, "-") else [])
    if args.save_project:
        project_path(args.dir or default_projects_dir(), args.save_project)


def _save_project(args, source) -> tuple[int, int]:
    """The reviewed units as a new pair of a project: one bead each, scored as the alignment scored it, with
    the reviewer's status and note where the input has them (``x-status`` and ``<note>`` of a TMX, the columns
    of a table a project exported). Returns the pair's id and how many units held inline codes, which a
    project keeps as plain text."""
    from align.project.file import default_projects_dir, project_path
    from align.project.imports import repeats_refused
    from align.project.store import Project
    from align.review.tmx import pick

    folder = args.dir or default_projects_dir()
    create = not project_path(folder, args.save_project).exists()
    coded = 0

    def units():
        nonlocal coded
        for u in source.units(None):
            coded += bool(u.codes)
            yield (pick(u.variants, source.src_lang), pick(u.variants, source.tgt_lang),
                   float(u.props.get("x-align-score", u.props.get("x-score", 0.0))),
                   u.props.get("x-status", "automatic"), "\n".join(u.notes))

    with (Project.create if create else Project.open)(folder, args.save_project) as project:
        names = (f"{source.name} ({source.src_lang})", f"{source.name} ({source.tgt_lang})")
        refuse = None if args.again else repeats_refused(args.save_project, [names],
                                                         f"align review ... --save-project {args.save_project} --again")
        pair_id = project.add_units(units(), names, (source.src_lang, source.tgt_lang), refuse_repeats=refuse)
    return pair_id, coded
