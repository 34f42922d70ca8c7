"""`align project …`: the project store from the command line, as the workbench uses it."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import AlignError


def default_projects_dir() -> Path:
    return Path(os.environ.get("ALIGN_PROJECTS_DIR", "projects"))


def add_parser(commands, add_encoder_options, add_align_formats) -> None:
    project = commands.add_parser(
        "project", help="create, fill, align and export saved projects",
        description="A project is an SQLite file in the projects folder (--dir, default $ALIGN_PROJECTS_DIR "
                    "or ./projects) holding documents, sentences, beads with their status "
                    "(automatic/confirmed/rejected), notes and the history of every edit.")
    project.add_argument("--dir", type=Path, default=None, help="projects folder")
    actions = project.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="list the projects in the folder")
    actions.add_parser("create", help="create an empty project").add_argument("name")
    imp = actions.add_parser(
        "import", help="add documents to a project and align them",
        description="Two files: a source and its translation, stored as one pair. One file: a mixed "
                    "document; every parallel passage found in it becomes a pair. Three or more files: "
                    "versions of one text, aligned together; each version is stored as a pair with the "
                    "first, and the pairs agree with each other.")
    imp.add_argument("name")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE", help="text files (see above)")
    imp.add_argument("--presplit", action="store_true", help="one segment per line; do not split sentences")
    imp.add_argument("--lang", action="append", metavar="CODE",
                     help="force the language of the files, once per file in order (e.g. --lang en --lang ja)")
    add_encoder_options(imp)
    realign = actions.add_parser("align", help="re-align the unconfirmed beads around the confirmed ones")
    realign.add_argument("name")
    realign.add_argument("--pair", type=int, help="pair id (default: every pair)")
    add_encoder_options(realign)
    actions.add_parser("status", help="beads per status and share confirmed, per pair").add_argument("name")
    export = actions.add_parser("export", help="write a pair's alignment, as 'align pair' would")
    export.add_argument("name")
    export.add_argument("--pair", type=int, help="pair id (default: the only pair)")
    add_align_formats(export)
    export.add_argument("--confirmed-only", action="store_true", help="only the beads a person confirmed")
    export.add_argument("-o", "--output", type=Path, help="write here (atomically) instead of stdout")


def run(args, load_encoder) -> int:
    from .store import Project, list_projects

    folder = args.dir or default_projects_dir()
    if args.action == "list":
        for name in list_projects(folder):
            print(name)
        return 0
    if args.action == "create":
        folder.mkdir(parents=True, exist_ok=True)
        Project.create(folder, args.name).close()
        print(f"created project {args.name} in {folder}")
        return 0
    with Project.open(folder, args.name) as project:
        return ACTIONS[args.action](project, args, load_encoder)


def _import(project, args, load_encoder) -> int:
    from .intake import import_documents
    from .pipeline import read_document

    langs = args.lang or []
    if langs and len(langs) != len(args.files):
        raise AlignError(f"--lang was given {len(langs)} time(s) for {len(args.files)} file(s); give one per file")
    docs = [read_document(path, presplit=args.presplit, lang=langs[k] if langs else None)
            for k, path in enumerate(args.files)]
    for pair_id in import_documents(project, docs, load_encoder(args)):
        src, tgt = project.documents(pair_id)
        print(f"pair {pair_id}: {Path(src.name).name} ({src.lang}, {len(src)} sentences) + "
              f"{Path(tgt.name).name} ({tgt.lang}, "
              f"{len(tgt)} sentences), {len(project.beads(pair_id))} beads")
    return 0


def _realign(project, args, load_encoder) -> int:
    encoder = load_encoder(args)
    for pair_id in [args.pair] if args.pair else [p[0] for p in project.pairs()]:
        project.realign(pair_id, encoder)
        print(f"pair {pair_id}: re-aligned around {project.status(pair_id).confirmed} confirmed beads")
    return 0


def _status(project, args, load_encoder) -> int:
    print(f"{'pair':>4}  {'beads':>6}{'automatic':>10}{'confirmed':>10}{'rejected':>9}{'done':>7}  documents")
    for pair_id, src_name, tgt_name in project.pairs():
        s = project.status(pair_id)
        print(f"{pair_id:>4}  {s.beads:>6}{s.automatic:>10}{s.confirmed:>10}{s.rejected:>9}"
              f"{s.share_confirmed:>7.0%}  {Path(src_name).name} / {Path(tgt_name).name}")
    return 0


def _export(project, args, load_encoder) -> int:
    from .formats import write_alignment

    pairs = [p[0] for p in project.pairs()]
    if args.pair is None and len(pairs) != 1:
        raise AlignError(f"the project holds {len(pairs)} pairs; choose one with --pair")
    pair_id = args.pair if args.pair is not None else pairs[0]
    if args.output:
        warnings = project.export(pair_id, args.format, args.output, confirmed_only=args.confirmed_only)
    else:
        warnings = write_alignment(project.alignment(pair_id, confirmed_only=args.confirmed_only), args.format,
                                   sys.stdout.buffer)
    for warning in warnings:
        print(f"align: warning: {warning}", file=sys.stderr)
    return 0


ACTIONS = {"import": _import, "align": _realign, "status": _status, "export": _export}


