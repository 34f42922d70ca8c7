"""`align review …`: score aligned units, flag likely errors, and gate a pipeline on them."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from align.errors import AlignError
from align.review.signals import RANK, SEVERITIES

FAIL_EXIT = 3

DESCRIPTION = """\
Review aligned units: every unit gets flags with a reason, a severity and a quality
score in [0, 1] (higher is better). Thresholds are calibrated on the input itself
(median and robust spread of its similarity margins and length ratios), with
priors for inputs under 20 pairs.

INPUT is one of:
  FILE.tmx          a translation memory of any size, read as a stream (twice)
  FILE.tsv|csv|jsonl  an alignment written by 'align pair'
  project:NAME      a pair of a saved project (same as --project NAME)
  FILE.txt          one document: its sentences reviewed as text (MT debris, text left
                    in another language) and the passages translated inside it as pairs
"""

EPILOG = """\
flags:
  omission / addition        a source (target) with nothing on the other side
  partial_omission / _addition  part of one side has no counterpart (a dropped clause,
                             or one sentence of an n-1 bead)
  low_similarity             similarity margin is an outlier low for this input
  length_ratio               characters of target/source far from this input's ratio
  truncated                  target stops mid-sentence and is short
  number_mismatch            a number differs between the sides (major when changed)
  name_mismatch              a name of one side has no counterpart (minor for now)
  untranslated               target is a copy of the source or in its language
  wrong_language             a side is in a third language, or the sides are swapped
  repetition                 a phrase repeated back to back on one side only
  mt_noise                   fragments, broken punctuation, spaces inside Japanese
  boilerplate                credits, bylines, links, dates, page controls
  duplicate                  same pair as an earlier unit
  oversized                  a side longer than 4,000 characters

severities: ok < minor < major < critical; a unit's severity is its worst flag's.

outputs:
  csv    index (0-based position in the input), severity, score, flags (names
         separated by ';', empty when clean), reasons (' | '), src_lang, tgt_lang, src, tgt
  jsonl  the same per line, with flags/reasons as lists and the raw signals
  html   a self-contained report: charts and the worst units with reasons
  tmx    the units with props x-flags, x-score, x-severity (an existing x-score is
         kept as x-align-score)

exit status: 0 ok, 1 error (one line on stderr), 2 usage error,
             3 a unit reached the --fail-on severity (the outputs are still written).

examples:
  align review memory.tmx -o review.csv --report-html review.html
  align review memory.tmx --format tmx -o flagged.tmx --filtered-tmx clean.tmx --reject-at major
  align pair en.txt ja.txt -o en-ja.tsv && align review en-ja.tsv --fail-on critical
  align review project:demo --pair 1 --format html -o demo.html
"""


def add_parser(commands, add_encoder_options) -> None:
    review = commands.add_parser("review",
                                 help="flag likely translation errors (TMX, align pair output, projects, documents)",
                                 description=DESCRIPTION, epilog=EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    review.add_argument("input", nargs="?", help="FILE.tmx, an 'align pair' TSV/CSV/JSONL, or project:NAME")
    review.add_argument("--format", choices=("csv", "jsonl", "html", "tmx"), default="csv",
                        help="what to write to -o or stdout (default csv; see outputs below)")
    review.add_argument("-o", "--output", type=Path, help="write here (atomically) instead of stdout")
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
    review.add_argument("--dir", type=Path, help="projects folder (default $ALIGN_PROJECTS_DIR or ./projects)")
    review.add_argument("--save-project", metavar="NAME",
                        help="also import the units as a new pair of project NAME (created if missing), "
                             "streamed, one bead per unit, to review them in the workbench")
    add_encoder_options(review)


@dataclass
class Source:
    """Reviewed units, whatever the input: judged rows, TMX units, and what to call them."""

    name: str
    src_lang: str
    tgt_lang: str
    judged: Callable[[], Iterator[tuple[str, str, object]]]
    units: Callable[[str | None], Iterator]
    details: str


def run(args, parser, load_encoder) -> int:
    from align.formats import write_atomic
    from align.formats.tmx import write_tmx
    from align.review.report import ReportCollector, RowWriter

    if args.project and args.input:
        parser.error("give INPUT or --project, not both")
    if not args.project and not args.input:
        parser.error("review needs INPUT (a .tmx, an 'align pair' output, or project:NAME) or --project")
    if args.top < 0:
        parser.error("--top must be 0 or more")
    if args.save_project and (args.project or args.input.startswith("project:")):
        parser.error("--save-project imports a TMX or an 'align pair' output; this input is a project already")
    source = _open(args, load_encoder(args))
    collector = ReportCollector(top=args.top)
    title = f"Review of {source.name} ({source.src_lang}→{source.tgt_lang})"

    def write_main(stream):
        if args.format in ("csv", "jsonl"):
            rows = RowWriter(stream, args.format)
            for src, tgt, review in source.judged():
                collector.add(review, src, tgt)
                rows.write(review, src, tgt, source.src_lang, source.tgt_lang)
            rows.close()
            return []
        for src, tgt, review in source.judged():
            collector.add(review, src, tgt)
        if args.format == "html":
            stream.write(collector.html(title, source.details).encode("utf-8"))
            return []
        return [str(r) for r in write_tmx(source.units(None), stream, srclang=source.src_lang)]

    warnings = write_atomic(args.output, write_main) if args.output else write_main(sys.stdout.buffer)
    if not args.output:
        sys.stdout.buffer.flush()
    if args.report_html:
        write_atomic(args.report_html, lambda s: s.write(collector.html(title, source.details).encode("utf-8")))
    if args.filtered_tmx:
        warnings += write_atomic(args.filtered_tmx, lambda s: [str(r) for r in write_tmx(
            source.units(args.reject_at), s, srclang=source.src_lang)])
    if args.save_project:
        pair_id = _save_project(args, source)
        print(f"align: imported into project {args.save_project} as pair {pair_id}", file=sys.stderr)
    for warning in warnings:
        print(f"align: warning: {warning}", file=sys.stderr)
    counts = ", ".join(f"{collector.severities.get(s, 0)} {s}" for s in SEVERITIES)
    print(f"align: reviewed {collector.units} units of {source.name}: {counts}", file=sys.stderr)
    if args.fail_on and RANK[collector.worst_severity] >= RANK[args.fail_on]:
        print(f"align: review: units reached severity {args.fail_on} (exit {FAIL_EXIT})", file=sys.stderr)
        return FAIL_EXIT
    return 0


def _save_project(args, source: Source) -> int:
    """The reviewed units as a new pair of a project: one bead each, scored as the alignment scored it."""
    from align.project.file import default_projects_dir, project_path
    from align.project.store import Project
    from align.review.tmx import pick

    folder = args.dir or default_projects_dir()
    create = not project_path(folder, args.save_project).exists()
    with (Project.create if create else Project.open)(folder, args.save_project) as project:
        units = ((pick(u.variants, source.src_lang), pick(u.variants, source.tgt_lang),
                  float(u.props.get("x-align-score", u.props.get("x-score", 0.0)))) for u in source.units(None))
        return project.add_units(units, (f"{source.name} ({source.src_lang})", f"{source.name} ({source.tgt_lang})"),
                                 (source.src_lang, source.tgt_lang))


def _open(args, encoder) -> Source:
    if args.project or args.input.startswith("project:"):
        return _project_source(args, encoder)
    path = Path(args.input)
    if not path.is_file():
        raise AlignError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".tmx":
        return _tmx_source(path, args, encoder)
    if suffix in (".tsv", ".csv", ".jsonl"):
        return _tabular_source(path, suffix, args, encoder)
    if suffix == ".txt":
        return _document_source(path, args, encoder)
    raise AlignError(f"{path.name}: cannot tell the format from the name; review reads .tmx, "
                     ".tsv/.csv/.jsonl written by 'align pair', a .txt document, or project:NAME")


def _document_source(path: Path, args, encoder) -> Source:
    """A plain document: its sentences reviewed as text, the passages translated inside it as pairs."""
    from align.pairing.pipeline import read_document
    from align.review.document import review_document

    doc = read_document(path, lang=args.src_lang)
    findings = review_document(doc, encoder)
    others = sorted({lang for s in doc.segments if (lang := s.lang) != doc.lang})
    return _in_memory(path.name, [(f.src, f.tgt) for f in findings], doc.lang, args.tgt_lang or
                      (others[0] if others else "und"), [f.review for f in findings],
                      f"{len(findings)} sentences and mined pairs of one document")


def _tmx_source(path: Path, args, encoder) -> Source:
    from align.review.tmx import measure_tmx

    measured = measure_tmx(path, encoder, src_lang=args.src_lang, tgt_lang=args.tgt_lang)
    return Source(path.name, measured.src_lang, measured.tgt_lang, measured.judged, measured.annotated_units,
                  measured.calibration.describe())


def _in_memory(name: str, pairs, src_lang: str, tgt_lang: str, reviews, calibration: str) -> Source:
    from align.formats.tmx import TranslationUnit
    from align.review.tmx import annotate

    def judged():
        return ((src, tgt, review) for (src, tgt), review in zip(pairs, reviews))

    def units(reject_at):
        for (src, tgt), review in zip(pairs, reviews):
            if reject_at is not None and review.at_least(reject_at):
                continue
            variants = {lang: text for lang, text in ((src_lang, src), (tgt_lang, tgt)) if text}
            if variants:
                yield TranslationUnit(variants, annotate({}, review.flag_names, review.score, review.severity))

    return Source(name, src_lang, tgt_lang, judged, units, calibration)


def _tabular_source(path: Path, suffix: str, args, encoder) -> Source:
    from align.review.judge import review_pairs
    from align.text.segment import segment_text

    rows = list(_read_rows(path, suffix))
    if not rows:
        raise AlignError(f"{path.name}: no rows to review")
    missing = {"src_text", "tgt_text"} - set(rows[0])
    if missing:
        raise AlignError(f"{path.name}: not an 'align pair' output (no column {', '.join(sorted(missing))})")
    src_lang = args.src_lang or rows[0].get("src_lang") or "und"
    tgt_lang = args.tgt_lang or rows[0].get("tgt_lang") or "und"
    pairs = [(str(r["src_text"] or ""), str(r["tgt_text"] or "")) for r in rows]

    def sentences(text, ids, lang):
        if len(_ids(ids)) < 2:
            return [text] if text else []
        return [s.text for s in segment_text(text, lang=lang) if s.text.strip()]

    parts = [(sentences(s, r.get("src_ids"), src_lang), sentences(t, r.get("tgt_ids"), tgt_lang))
             for (s, t), r in zip(pairs, rows)]
    reviews = review_pairs(pairs, src_lang, tgt_lang, encoder, parts=parts)
    return _in_memory(path.name, pairs, src_lang, tgt_lang, reviews, f"{len(pairs)} beads")


def _ids(value) -> list:
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value) if value else []
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


def _read_rows(path: Path, suffix: str) -> Iterator[dict]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            if suffix == ".jsonl":
                for number, line in enumerate(stream, 1):
                    if line.strip():
                        try:
                            record = json.loads(line)
                        except ValueError:
                            raise AlignError(f"{path.name} line {number}: not JSON") from None
                        if not isinstance(record, dict):
                            raise AlignError(f"{path.name} line {number}: not a JSON object")
                        yield record
            else:
                csv.field_size_limit(10_000_000)
                dialect = {"delimiter": "\t", "quoting": csv.QUOTE_NONE} if suffix == ".tsv" else {}
                yield from csv.DictReader(stream, **dialect)
    except UnicodeDecodeError:
        raise AlignError(f"{path.name}: not UTF-8 text") from None
    except csv.Error as exc:
        raise AlignError(f"{path.name}: {exc}") from None


def _project_source(args, encoder) -> Source:
    from align.project.file import default_projects_dir
    from align.project.store import Project
    from align.review.judge import review_alignment

    name = args.project or args.input.split(":", 1)[1]
    with Project.open(args.dir or default_projects_dir(), name) as project:
        pair_id = project.chosen_pair(args.pair)
        alignment = project.alignment(pair_id)
    reviews = review_alignment(alignment, encoder)
    texts = [alignment.texts(bead) for bead in alignment.beads]
    return _in_memory(f"project {name} pair {pair_id}", texts, alignment.src.lang, alignment.tgt.lang, reviews,
                      f"{len(texts)} beads")
