"""`align project …`: the project store from the command line, as the workbench uses it."""
from __future__ import annotations

import sys
from pathlib import Path

from align.errors import AlignError
from align.pairing.probability import HIGH
from align.project.file import default_projects_dir


def add_parser(commands, add_encoder_options, add_align_formats, add_min_score, add_output,
               add_input_limit) -> None:
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
    add_input_limit(imp)
    realign = actions.add_parser(
        "align", help="re-align the unconfirmed beads around the confirmed ones",
        description="Re-align every pair (or --pair) around its confirmed beads, as one undoable edit, and "
                    "list what changed, bead by bead ('beads 14-15: [13]:[13] + [14]:[] → [13, 14]:[13]'). "
                    "It never makes things worse: beads a person has not touched (automatic, no note) whose "
                    f"probability was {HIGH:.1f} or more stay, unless the new path is clearly more probable there.")
    realign.add_argument("name")
    realign.add_argument("--pair", type=int, help="pair id (default: every pair)")
    add_encoder_options(realign)
    actions.add_parser("status", help="beads per status and share confirmed, per pair").add_argument("name")
    export = actions.add_parser("export", help="write a pair's alignment, as 'align pair' would")
    export.add_argument("name")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--pair", type=int, help="pair id (default: the only pair)")
    which.add_argument("--all", action="store_true",
                       help="every pair in one file: TMX units carry an x-pair prop, tables a 'pair' column")
    add_align_formats(export)
    add_min_score(export, "; confirmed beads count as certain and rejected ones as wrong")
    decide = actions.add_parser(
        "decide", help="accept or reject beads, with a note (as the workbench's review does)",
        description="Record a reviewer's decision on beads, numbered from 1 as the workbench and "
                    "'align review project:NAME' show them. Each call is one undoable edit per bead.")
    decide.add_argument("name")
    decide.add_argument("decision", choices=["accept", "reject", "reset"],
                        help="accept = confirm, reject, reset = back to automatic")
    decide.add_argument("beads", nargs="+", type=int, metavar="BEAD", help="bead numbers (1-based)")
    decide.add_argument("--pair", type=int, help="pair id (default: the only pair)")
    decide.add_argument("--note", default=None, help="note to save with the decision (default: keep the note)")
    for name, text in (("undo", "take back the latest edit"), ("redo", "apply the latest undone edit again"),
                       ("history", "list every edit, oldest first")):
        sub = actions.add_parser(name, help=text)
        sub.add_argument("name")
        sub.add_argument("--pair", type=int, help="pair id (default: the only pair)")
    export.add_argument("--confirmed-only", action="store_true", help="only the beads a person confirmed")
    add_output(export)


def run(args, load_encoder) -> int:
    from align.project.store import Project, list_projects

    folder = args.dir or default_projects_dir()
    if args.action == "export" and args.output is not None:
        from align.formats import check_output

        check_output(args.output, args.force)
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
    from align.pairing.pipeline import read_document
    from align.project.imports import import_documents

    langs = args.lang or []
    if langs and len(langs) != len(args.files):
        raise AlignError(f"--lang was given {len(langs)} time(s) for {len(args.files)} file(s); give one per file")
    docs = [read_document(path, presplit=args.presplit, lang=langs[k] if langs else None, max_bytes=args.max_input)
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
        done = project.realign(pair_id, encoder)
        print(f"pair {pair_id}: re-aligned around {project.status(pair_id).confirmed} confirmed beads: "
              f"{done.summary()}")
        for line in done.lines():
            print(f"  {line}")
    return 0


def _status(project, args, load_encoder) -> int:
    print(f"{'pair':>4}  {'beads':>6}{'automatic':>10}{'confirmed':>10}{'rejected':>9}{'done':>7}  documents")
    for pair_id, src_name, tgt_name in project.pairs():
        s = project.status(pair_id)
        print(f"{pair_id:>4}  {s.beads:>6}{s.automatic:>10}{s.confirmed:>10}{s.rejected:>9}"
              f"{s.share_confirmed:>7.0%}  {Path(src_name).name} / {Path(tgt_name).name}")
    return 0


def _decide(project, args, load_encoder) -> int:
    pair_id = project.chosen_pair(args.pair)
    rows = project.beads(pair_id)
    status = {"accept": "confirmed", "reject": "rejected", "reset": "automatic"}[args.decision]
    for number in args.beads:
        if not 1 <= number <= len(rows):
            raise AlignError(f"no bead {number}: pair {pair_id} has beads 1 to {len(rows)}")
    for number in args.beads:
        row = rows[number - 1]
        project.decide(pair_id, row.id, status, row.note if args.note is None else args.note)
        print(f"bead {number}: {status}")
    return 0


def _undo_redo(project, args, load_encoder) -> int:
    pair_id = project.chosen_pair(args.pair)
    done = project.undo(pair_id) if args.action == "undo" else project.redo(pair_id)
    print(f"pair {pair_id}: {args.action} {'done' if done else '- nothing to ' + args.action}")
    return 0


def _history(project, args, load_encoder) -> int:
    pair_id = project.chosen_pair(args.pair)
    for entry in project.history(pair_id):
        details = " ".join(f"{k}={v!r}" for k, v in entry.args.items())
        print(f"{entry.id:>5}  {entry.created}  {entry.op:<18} {details}{'  (undone)' if entry.undone else ''}")
    return 0


def _export(project, args, load_encoder) -> int:
    from align.pairing.probability import kept_message
    from align.project.export import export_project

    done = export_project(project, args.format, args.output or sys.stdout.buffer,
                          None if args.all else project.chosen_pair(args.pair), args.confirmed_only, args.min_score,
                          args.force)
    for warning in done.warnings:
        print(f"align: warning: {warning}", file=sys.stderr)
    if args.min_score is not None:
        print(f"align: {kept_message(done.kept, done.considered, args.min_score)}", file=sys.stderr)
    return 0


ACTIONS = {"import": _import, "align": _realign, "status": _status, "export": _export, "decide": _decide,
           "undo": _undo_redo, "redo": _undo_redo, "history": _history}


