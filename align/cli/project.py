"""`align project …`: the project store from the command line, as the workbench uses it."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from align.errors import AlignError
from align.lang import joiner
from align.pairing.probability import HIGH
from align.project.file import default_projects_dir


def add_parser(commands, add_encoder_options, add_align_formats, add_min_score, add_output,
               add_input_limit) -> None:
    project = commands.add_parser(
        "project", help="create, fill, align and export saved projects",
        description="A project is an SQLite file in the projects folder (--dir, default $ALIGN_PROJECTS_DIR "
                    "or ./projects) holding pairs of documents with their beads, and version sets (three or "
                    "more versions of one text with rows across all of them), each bead or row with its status "
                    "(automatic/confirmed/rejected) and note, and the history of every edit. Commands that work "
                    "on one pair or set take --pair ID or --set ID; without either they take the project's only "
                    "pair or set.")
    project.add_argument("--dir", type=Path, default=None, help="projects folder")
    actions = project.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="list the projects in the folder",
                       description="List the projects in the projects folder (--dir), one name a line.")

    def action(name: str, help: str, description: str | None = None):
        """The parser of one action; every action but list takes the project's name first. Without a
        description of its own, the help line says what it does."""
        sub = actions.add_parser(name, help=help, description=description or help[:1].upper() + help[1:] + ".")
        sub.add_argument("name", help="the project's name (letters of any alphabet, digits, spaces, - _ .)")
        return sub

    action("create", help="create an empty project")
    imp = action(
        "import", help="add documents to a project and align them",
        description="Two files: a source and its translation, stored as one pair. One file: a mixed "
                    "document; every parallel passage found in it becomes a pair. Three or more files: "
                    "versions of one text, aligned together (as 'align multi') and stored as one version set: "
                    "one row per group of sentences that translate each other, a column per version. A "
                    "correction of a row reaches every version, and any two versions can be viewed as a pair "
                    "('align project rows NAME --set ID --versions ja,ru').")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE", help="text files (see above)")
    imp.add_argument("--presplit", action="store_true", help="one segment per line; do not split sentences")
    imp.add_argument("--again", action="store_true",
                     help="import texts the project already holds as a pair once more (refused by default: an "
                          "import run twice doubled every pair, and every unit of an export of them all)")
    imp.add_argument("--source", metavar="LANG",
                     help="one mixed file: the language of the originals, the source of every passage pair "
                          "it is in (default: in each pair, the passage that comes first in the file)")
    imp.add_argument("--lang", action="append", metavar="CODE",
                     help="force the language of the files, once per file in order (e.g. --lang en --lang ja)")
    add_encoder_options(imp)
    add_input_limit(imp)
    realign = action(
        "align", help="re-align the unconfirmed beads around the confirmed ones",
        description="Re-align every pair (or --pair) around its confirmed beads, as one undoable edit, and "
                    "list what changed, bead by bead ('beads 14-15: [13]:[13] + [14]:[] → [13, 14]:[13]'). "
                    "It never makes things worse: beads a person has not touched (automatic, no note) whose "
                    f"probability was {HIGH:.1f} or more stay, unless the new path is clearly more probable there. "
                    "A rejected bead is re-aligned like any unconfirmed one; where the new path holds it as it "
                    "was, the list says so, to be corrected by hand. "
                    "Version sets are not re-aligned: correct their rows by hand (merge, split, move).")
    realign.add_argument("--pair", type=int, help="pair id (default: every pair)")
    add_encoder_options(realign)
    action("status", help="beads (rows) per status and share confirmed, per pair and version set")
    rows = action(
        "rows", help="print the rows of a version set (or the beads of a pair), numbered",
        description="Print each row with its number (what merge, split, move and decide take), status, "
                    "score, sentence ids and the text of every version, with the note and the aligner's "
                    "remark where there is one. --versions A,B prints the pair view of two versions instead: "
                    "only the rows with text in A or B, still numbered as rows of the set.")
    _add_target(rows)
    rows.add_argument("--versions", metavar="A,B",
                      help="two versions of the set, by language label (en, ja, en_2) or 0-based number")
    export = action(
        "export", help="write a pair's alignment as 'align pair' would, or a version set's rows as 'align multi'",
        description="A pair: one bead per unit or table row. A version set (--set): one TMX tu per row with a "
                    "tuv per language, or a table with a column per version. --all: every pair, and in TMX "
                    "every version set too. TMX leaves out the beads and rows a reviewer rejected (a link known to "
                    "be wrong), and says how many; tables keep them, with their status and note columns.")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--pair", type=int, help="pair id (default: the only pair or set)")
    which.add_argument("--set", type=int, help="version set id")
    which.add_argument("--all", action="store_true",
                       help="every pair in one file: TMX units carry an x-pair prop, tables a 'pair' column; "
                            "version sets go into TMX (units with x-set) and are left out of tables, with a warning")
    add_align_formats(export)
    add_min_score(export, "; confirmed beads count as certain and rejected ones as wrong")
    decide = action(
        "decide", help="accept or reject beads or rows, with a note (as the workbench's review does)",
        description="Record a reviewer's decision on beads of a pair, numbered from 1 as the workbench and "
                    "'align review project:NAME' show them, or on rows of a version set (--set), numbered as "
                    "'align project rows' lists them. Each call is one undoable edit: all the beads or rows "
                    "it names, or none if one number is wrong.")
    decide.add_argument("decision", choices=["accept", "reject", "reset"],
                        help="accept = confirm, reject, reset = back to automatic")
    decide.add_argument("beads", nargs="+", type=_numbers, metavar="NUMBER",
                        help="bead (or row) numbers (1-based), or ranges: 143-289 (a run that 'align project import' "
                             "reported as a passage one version lacks, say)")
    _add_target(decide)
    decide.add_argument("--note", default=None, help="note to save with the decision (default: keep the note)")
    merge = action(
        "merge", help="merge a row of a version set (or a bead) with the next or previous one",
        description="One undoable edit: the row's sentences and its neighbour's, in every version at once, "
                    "become one row (automatic again). With --versions A,B the merge is made as seen in the "
                    "pair view of A and B: the neighbour is the next row with text in A or B, and rows between "
                    "(empty in both) join too.")
    merge.add_argument("number", type=int, metavar="NUMBER", help="row (or bead) number, 1-based")
    _add_target(merge)
    merge.add_argument("--prev", action="store_true", help="merge with the previous row instead of the next")
    merge.add_argument("--versions", metavar="A,B", help="merge as seen in the pair view of these two versions")
    split = action(
        "split", help="split a row of a version set (or a bead) in two",
        description="One undoable edit: AT says, per version in order, how many of the row's sentences stay in "
                    "the first row; the rest go to a new row after it. E.g. '1,2,0' for en,ja,ru, or by label "
                    "'en=1,ja=2,ru=0'; for a pair 'SRC,TGT'. Each of the two rows must keep a sentence.")
    split.add_argument("number", type=int, metavar="NUMBER", help="row (or bead) number, 1-based")
    split.add_argument("at", metavar="AT", help="sentences kept in the first row, per version (see above)")
    _add_target(split)
    move = action(
        "move", help="move one version's edge sentence of a row into the neighbouring row",
        description="One undoable edit: the last sentence of VERSION in the row goes to the start of the next "
                    "row (--to prev: the first goes to the end of the previous row); a row left with no "
                    "sentence disappears. VERSION is a label (en, ja_2) or 0-based number, or src/tgt for a "
                    "pair. With --versions A,B the neighbour is the next row shown in that pair view.")
    move.add_argument("number", type=int, metavar="NUMBER", help="row (or bead) number, 1-based")
    move.add_argument("version", metavar="VERSION", help="whose sentence moves")
    _add_target(move)
    move.add_argument("--to", choices=["next", "prev"], default="next", help="which neighbour (default next)")
    move.add_argument("--versions", metavar="A,B", help="the pair view the move is made in")
    for name, text in (("undo", "take back the latest edit of a pair or version set (back to its first alignment, "
                                "no further)"),
                       ("redo", "apply again the latest undone edit of a pair or version set"),
                       ("history", "list every edit of a pair or version set, oldest first")):
        sub = action(name, help=text)
        _add_target(sub)
    rename = action("rename", help="rename a pair's documents (what lists and exports call them)")
    rename.add_argument("--pair", type=int, help="pair id (default: the only pair)")
    rename.add_argument("--src-name", help="new name of the source document")
    rename.add_argument("--tgt-name", help="new name of the target document")
    for name, text in (("delete", "hide a pair from lists and exports (restore brings it back)"),
                       ("restore", "bring back a deleted pair, beads and history as they were"),
                       ("swap", "make the target the source and back, beads and history included")):
        sub = action(name, help=text)
        sub.add_argument("--pair", type=int, required=name != "swap", help="pair id" + (
            " (default: the only pair)" if name == "swap" else ""))
    set_lang = action(
        "set-lang", help="set the language of one document of a pair",
        description="Tag every sentence of the pair's source or target document with LANG, e.g. when "
                    "detection took an English headline for Afrikaans. Add --realign to align the pair again "
                    "(confirmed beads stay).")
    set_lang.add_argument("side", choices=["src", "tgt"])
    set_lang.add_argument("lang", help="language tag, e.g. en, ja, pt-BR")
    set_lang.add_argument("--pair", type=int, help="pair id (default: the only pair)")
    set_lang.add_argument("--realign", action="store_true", help="re-align the pair afterwards")
    add_encoder_options(set_lang)
    export.add_argument("--confirmed-only", action="store_true", help="only the beads a person confirmed")
    add_output(export)


def _add_target(sub) -> None:
    which = sub.add_mutually_exclusive_group()
    which.add_argument("--pair", type=int, help="pair id (default: the only pair or set)")
    which.add_argument("--set", type=int, help="version set id")


def run(args, load_encoder) -> int:
    from align.project.store import Project, list_projects

    folder = args.dir or default_projects_dir()
    if args.action == "export" and args.output is not None:
        from align.formats import check_output

        check_output(args.output, args.force)
    if args.action == "list":
        if folder.exists() and not folder.is_dir():
            raise AlignError(f"{folder} is not a folder of projects")
        if not folder.exists() and args.dir is not None:  # the default folder is made by the first create
            raise AlignError(f"no folder {folder}")
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
    from align.pairing import passages
    from align.pairing.pipeline import read_document
    from align.project.imports import import_documents

    langs = args.lang or []
    if langs and len(langs) != len(args.files):
        raise AlignError(f"--lang was given {len(langs)} time(s) for {len(args.files)} file(s); give one per file")
    docs = [read_document(path, presplit=args.presplit, lang=langs[k] if langs else None, max_bytes=args.max_input)
            for k, path in enumerate(args.files)]
    done = import_documents(project, docs, load_encoder(args), args.source, args.again)
    for pair_id in done.pairs:
        (src, tgt), beads = project.documents(pair_id), project.beads(pair_id)
        print(f"pair {pair_id}: {Path(src.name).name} ({src.lang}, {len(src)} sentences) + "
              f"{Path(tgt.name).name} ({tgt.lang}, "
              f"{len(tgt)} sentences), {len(beads)} beads")
        for line in passages.report(beads):
            print(f"  {line}")
    for set_id in done.version_sets:
        rows = project.rows(set_id)
        versions = " + ".join(f"{Path(doc.name).name} ({doc.lang}, {len(doc)} sentences)"
                              for doc in project.version_documents(set_id))
        unsure = sum(bool(row.conflict) for row in rows)
        print(f"version set {set_id}: {versions}, {len(rows)} rows"
              + (f", {unsure} where the pairwise alignments disagreed" if unsure else ""))
    return 0


def _target(project, args) -> tuple[str, int]:
    """``("pair", id)`` or ``("set", id)``: what --pair or --set names, else the project's only pair or set."""
    if getattr(args, "set", None) is not None:
        project.version_set(args.set)  # a one-line error if there is no such set
        return "set", args.set
    if getattr(args, "pair", None) is not None:
        project.documents(args.pair)  # a one-line error if there is no such pair
        return "pair", args.pair
    pairs, sets = project.pairs(), project.version_sets()
    if len(pairs) + len(sets) != 1:
        raise AlignError(f"project {project.name!r} holds {len(pairs)} pair(s) and {len(sets)} version set(s); "
                         "choose one with --pair or --set")
    return ("pair", pairs[0][0]) if pairs else ("set", sets[0].id)


def _numbered(project, kind: str, owner: int, number: int):
    """The bead or row listed as ``number`` (1-based)."""
    rows = project.beads(owner) if kind == "pair" else project.rows(owner)
    if not 1 <= number <= len(rows):
        raise AlignError(f"no {'bead' if kind == 'pair' else 'row'} {number}: {kind} {owner} has "
                         f"{'beads' if kind == 'pair' else 'rows'} 1 to {len(rows)}")
    return rows[number - 1]


def _view(project, set_id: int, versions: str | None) -> list[int] | None:
    """The two version indices of ``--versions A,B``, or None."""
    return None if versions is None else list(project.version_set(set_id).view(versions))


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
    pairs, sets = project.pairs(), project.version_sets()
    if pairs or not sets:
        print(f"{'pair':>4}  {'beads':>6}{'automatic':>10}{'confirmed':>10}{'rejected':>9}{'done':>7}  documents")
    for pair_id, src_name, tgt_name in pairs:
        s = project.status(pair_id)
        print(f"{pair_id:>4}  {s.beads:>6}{s.automatic:>10}{s.confirmed:>10}{s.rejected:>9}"
              f"{s.share_confirmed:>7.0%}  {Path(src_name).name} / {Path(tgt_name).name}")
    if sets:
        if pairs:
            print()
        print(f"{'set':>4}  {'rows':>6}{'automatic':>10}{'confirmed':>10}{'rejected':>9}{'done':>7}  versions")
        for info in sets:
            s = project.version_set_status(info.id)
            print(f"{info.id:>4}  {s.beads:>6}{s.automatic:>10}{s.confirmed:>10}{s.rejected:>9}"
                  f"{s.share_confirmed:>7.0%}  {', '.join(info.labels)}: "
                  f"{' / '.join(Path(name).name for name in info.documents)}")
    return 0


def _rows(project, args, load_encoder) -> int:
    kind, owner = _target(project, args)
    if kind == "pair":
        if args.versions:
            raise AlignError("--versions is for a version set (--set); a pair has two versions already")
        src, tgt = project.documents(owner)
        docs, labels = [src, tgt], ["src", "tgt"]
        listed = [(k, row, row.cells, "") for k, row in enumerate(project.beads(owner), 1)]
        shown = [0, 1]
    else:
        docs, labels = project.version_documents(owner), project.version_set(owner).labels
        shown = _view(project, owner, args.versions) or list(range(len(docs)))
        listed = [(k, row, row.cells, row.conflict) for k, row in enumerate(project.rows(owner), 1)
                  if any(row.cells[v] for v in shown)]
    width = max(map(len, labels))
    for number, row, cells, remark in listed:
        ids = ":".join(f"[{', '.join(map(str, cells[v]))}]" for v in shown)
        print(f"{'bead' if kind == 'pair' else 'row'} {number}  {row.status}  {row.score:.2f}  {ids}")
        for v in shown:
            text = joiner(docs[v].lang).join(docs[v].segments[i].text for i in cells[v])
            print(f"  {labels[v]:<{width}}  {text or '(nothing)'}")
        if row.note:
            print(f"  note: {row.note}")
        if remark:
            print(f"  aligner: {remark}")
    return 0


MAX_RANGE = 1_000_000


def _numbers(text: str) -> list[int]:
    """A bead number or a range of them (``143-289``), for argparse."""
    first, _, last = text.partition("-")
    try:
        start, stop = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (7) or a range (143-289)") from None
    if start < 1 or stop < start:
        raise argparse.ArgumentTypeError(f"{text!r}: numbers start at 1, and a range runs upwards (143-289)")
    if stop - start >= MAX_RANGE:  # a typo must not build a list of a billion numbers
        raise argparse.ArgumentTypeError(f"{text!r}: a range holds at most {MAX_RANGE:,} numbers")
    return list(range(start, stop + 1))


def _decide(project, args, load_encoder) -> int:
    kind, owner = _target(project, args)
    numbers = [number for group in args.beads for number in group]  # each NUMBER given is a number or a range
    status = {"accept": "confirmed", "reject": "rejected", "reset": "automatic"}[args.decision]
    if kind == "pair":
        changed = project.decide_numbers(owner, numbers, status, args.note)  # all of them or none
    else:
        changed = project.decide_rows(owner, numbers, status, args.note)
    noun = "bead" if kind == "pair" else "row"
    if not changed:  # no edit was recorded: say so, or an 'undo' typed next would take back the edit before
        print(f"nothing changed: the {noun}{'s' if len(numbers) > 1 else ''} named "
              f"{'are' if len(numbers) > 1 else 'is'} {status} already" + (" with that note" if args.note else ""))
    elif len(numbers) > 10:  # a range: one line, not a hundred
        spans = ", ".join(f"{group[0]}-{group[-1]}" if len(group) > 1 else f"{group[0]}" for group in args.beads)
        print(f"{len(numbers)} {noun}s ({spans}): {status}")
    else:
        for number in numbers:
            print(f"{noun} {number}: {status}")
    return 0


def _merge(project, args, load_encoder) -> int:
    kind, owner = _target(project, args)
    row = _numbered(project, kind, owner, args.number)
    direction = "prev" if args.prev else "next"
    if kind == "pair":
        if args.versions:
            raise AlignError("--versions is for a version set (--set)")
        (project.merge_prev if args.prev else project.merge_next)(owner, row.id, row.version)
    else:
        project.merge_row(owner, row.id, direction, row.version, _view(project, owner, args.versions))
    return _changed(project, kind, owner, f"merged {'bead' if kind == 'pair' else 'row'} {args.number} with the "
                                          f"{'previous' if args.prev else 'next'}")


def _split(project, args, load_encoder) -> int:
    kind, owner = _target(project, args)
    row = _numbered(project, kind, owner, args.number)
    labels = ["src", "tgt"] if kind == "pair" else project.version_set(owner).labels
    cuts = _cuts(args.at, labels)
    if kind == "pair":
        project.split(owner, row.id, cuts[0], cuts[1], row.version)
    else:
        project.split_row(owner, row.id, cuts, row.version)
    return _changed(project, kind, owner, f"split {'bead' if kind == 'pair' else 'row'} {args.number} in two")


def _cuts(text: str, labels: list[str]) -> list[int]:
    """``1,2,0`` or ``en=1,ja=2,ru=0``: one count per version, in order."""
    parts = [part.strip() for part in text.split(",")]
    try:
        if all("=" in part for part in parts):
            named = {name.strip(): int(count) for name, count in (part.split("=", 1) for part in parts)}
            if set(named) != set(labels):
                raise ValueError
            return [named[label] for label in labels]
        counts = [int(part) for part in parts]
    except ValueError:
        counts = []
    if len(counts) != len(labels):
        raise AlignError(f"AT takes one count per version ({', '.join(labels)}), e.g. "
                         f"{','.join('1' for _ in labels)} or {','.join(f'{label}=1' for label in labels)}; "
                         f"not {text!r}")
    return counts


def _move(project, args, load_encoder) -> int:
    kind, owner = _target(project, args)
    row = _numbered(project, kind, owner, args.number)
    if kind == "pair":
        if args.version not in ("src", "tgt") or args.versions:
            raise AlignError("in a pair, VERSION is src or tgt, and --versions is for a version set")
        project.pop(owner, row.id, args.version, args.to, row.version)
    else:
        which = project.version_set(owner).version(args.version)
        project.move_sentence(owner, row.id, which, args.to, row.version, _view(project, owner, args.versions))
    return _changed(project, kind, owner, f"moved a {args.version} sentence of {'bead' if kind == 'pair' else 'row'} "
                                          f"{args.number} to the {'next' if args.to == 'next' else 'previous'} one")


def _changed(project, kind: str, owner: int, what: str) -> int:
    count = len(project.beads(owner)) if kind == "pair" else len(project.rows(owner))
    print(f"{'pair' if kind == 'pair' else 'version set'} {owner}: {what}; now {count} "
          f"{'beads' if kind == 'pair' else 'rows'} (undo takes it back)")
    return 0


def _undo_redo(project, args, load_encoder) -> int:
    kind, owner = _target(project, args)
    if kind == "pair":
        done = project.undo(owner) if args.action == "undo" else project.redo(owner)
    else:
        done = project.undo_set(owner) if args.action == "undo" else project.redo_set(owner)
    history = project.history(owner) if kind == "pair" else project.set_history(owner)
    first_only = not done and args.action == "undo" and sum(not entry.undone for entry in history) == 1
    print(f"{'pair' if kind == 'pair' else 'version set'} {owner}: {args.action} "
          f"{'done' if done else '- nothing to ' + args.action}"
          + (" (its first alignment is where its history starts)" if first_only else ""))
    return 0


def _history(project, args, load_encoder) -> int:
    kind, owner = _target(project, args)
    for entry in project.history(owner) if kind == "pair" else project.set_history(owner):
        details = " ".join(f"{k}={v!r}" for k, v in entry.args.items())
        print(f"{entry.id:>5}  {entry.created}  {entry.op:<18} {details}{'  (undone)' if entry.undone else ''}")
    return 0


def _export(project, args, load_encoder) -> int:
    from align.pairing.probability import kept_message
    from align.project.export import export_project

    kind, owner = (None, None) if args.all else _target(project, args)
    done = export_project(project, args.format, args.output or sys.stdout.buffer,
                          owner if kind == "pair" else None, args.confirmed_only, args.min_score,
                          set_id=owner if kind == "set" else None, force=args.force,
                          one_sided_units=args.one_sided_units)
    for warning in done.warnings:
        print(f"align: warning: {warning}", file=sys.stderr)
    if args.min_score is not None:
        print(f"align: {kept_message(done.kept, done.considered, args.min_score)}", file=sys.stderr)
    return 0


def _rename(project, args, load_encoder) -> int:
    if args.src_name is None and args.tgt_name is None:
        raise AlignError("give --src-name, --tgt-name or both")
    pair_id = project.chosen_pair(args.pair)
    project.rename_pair(pair_id, args.src_name, args.tgt_name)
    src, tgt = project.documents(pair_id)
    print(f"pair {pair_id}: {src.name} ↔ {tgt.name}")
    return 0


def _delete_restore_swap(project, args, load_encoder) -> int:
    pair_id = args.pair if args.action != "swap" else project.chosen_pair(args.pair)
    {"delete": project.delete_pair, "restore": project.restore_pair, "swap": project.swap_pair}[args.action](pair_id)
    done = {"delete": "deleted (align project restore brings it back)", "restore": "restored",
            "swap": "swapped: the target is now the source"}[args.action]
    print(f"pair {pair_id}: {done}")
    return 0


def _set_language(project, args, load_encoder) -> int:
    pair_id = project.chosen_pair(args.pair)
    project.set_language(pair_id, args.side, args.lang)
    print(f"pair {pair_id}: {'source' if args.side == 'src' else 'target'} language set to {args.lang}")
    if args.realign:
        done = project.realign(pair_id, load_encoder(args))
        print(f"pair {pair_id}: re-aligned: {done.summary()}")
    return 0


ACTIONS = {"import": _import, "align": _realign, "status": _status, "rows": _rows, "export": _export,
           "decide": _decide, "merge": _merge, "split": _split, "move": _move,
           "undo": _undo_redo, "redo": _undo_redo, "history": _history, "rename": _rename,
           "delete": _delete_restore_swap, "restore": _delete_restore_swap, "swap": _delete_restore_swap,
           "set-lang": _set_language}


