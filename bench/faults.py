"""Faults: an import killed at many points, and two processes editing one project at once.

    python bench/faults.py                      # 50 kills, then 200 edits in each of two processes
    python bench/faults.py --kills 200 --edits 1000 --seed 7

Kills. Three versions of a made-up text of 300 sentences are aligned once
(a hashing encoder, no model), which makes two pairs. A child process then
creates a project and stores both pairs in one call (``add_alignments``, what
``align project import`` ends with) and is sent SIGKILL after a delay. The
delays are spread evenly from 0 to 120% of an uninterrupted import (the
longest of three timed first, from the child being ready to the project
being closed), so the last ones mostly find the import done. After each
kill the project must open, pass ``PRAGMA integrity_check``, hold no pair
without beads, and hold all pairs of the import or none of them (or not
exist, when the kill came before it was created); it must also take the
same import again.

Edits. Two processes open one project of 40 beads and make N edits each,
as fast as they can, on the same 8 beads: each reads the beads, waits up to
2 ms, then writes with the version it read (set a note, decide with a note,
decide by number with the pair's revision); the second also merges a bead
with the next and tries to undo that merge in its next edit. An edit either
succeeds or is refused with ``ConflictError``; anything else is an error.
Every successful write raised the pair's revision by one, so the two logs,
merged by revision, are the history of the pair: it is replayed with the
pure functions of ``align.project.bead_edits`` and must end where the file
ends, bead for bead (ids, sentences, status, notes). A lost edit is an
acknowledged write whose revision another write also claims, a note or
decision missing from the edit history, or a bead that differs from the
replay; a stale write is one the replay shows was made against a version
that had already changed.

Prints the numbers and exits 1 if broken projects, pairs without beads,
partial imports, errors, lost edits or stale writes are not all 0.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from align.embed import HashEncoder  # noqa: E402
from align.project import bead_edits  # noqa: E402
from align.project.bead_edits import BeadRow  # noqa: E402
from align.project.file import ConflictError, ProjectError, project_path  # noqa: E402
from align.types import Alignment, Bead, Document  # noqa: E402

SENTENCES = 300
EDIT_BEADS = 40
OVERLAP = 8  # both processes edit the first OVERLAP beads
WORDS = ("river stone window garden letter morning silver winter harbour lantern meadow candle "
         "bridge forest market island thunder village mirror orchard").split()


# -- documents and the encoder ---------------------------------------------------------------

def versions(n: int = SENTENCES) -> list[Document]:
    """Three versions of one text: the original, a lower-cased 'translation', and one that leaves some out."""
    rng = random.Random(11)
    text = [f"The {rng.choice(WORDS)} and the {rng.choice(WORDS)} of chapter {i} met a {rng.choice(WORDS)}."
            for i in range(n)]
    return [Document.from_lines("v1.txt", text, "en"),
            Document.from_lines("v2.txt", [t.lower() for t in text], "fr"),
            Document.from_lines("v3.txt", [t.lower() for i, t in enumerate(text) if i % 17 != 5], "de")]


def import_alignments(encoder, n: int = SENTENCES) -> list[Alignment]:
    """What ``import_documents`` stores for three versions: the first against each other one."""
    from align.pairing.multi import align_versions

    multi = align_versions(versions(n), encoder)
    return [Alignment(multi.docs[0], multi.docs[k], multi.pair_beads(0, k), multi.model)
            for k in range(1, len(multi.docs))]


# -- killing an import -----------------------------------------------------------------------

@dataclass
class Kill:
    """One killed import and what the project looked like afterwards."""

    delay: float
    killed: bool  # False: the child had finished before the signal
    outcome: str  # "no project", "empty", "imported", or "broken"
    pairs: int = 0
    pairs_without_beads: int = 0
    partial: bool = False
    broken: str = ""
    scratch: int = 0  # the folders Project.create builds in (.creating-*) that the kill left behind


def _child_env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def _child_import(folder: str, name: str, data: str) -> None:
    from align.project.store import Project

    with open(data, "rb") as f:
        alignments = pickle.load(f)
    print("ready", flush=True)
    with Project.create(folder, name) as project:
        project.add_alignments(alignments)
    print("done", flush=True)


def run_import(folder: Path, name: str, data: Path, delay: float | None) -> tuple[bool, float]:
    """Run the import in a child process; SIGKILL it ``delay`` seconds after it is ready (None: let it finish).

    Returns whether the signal killed it and, when let finish, how long the import took once it was ready.
    """
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child-import", str(folder), name,
                             str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                            env=_child_env())
    if proc.stdout.readline().strip() != "ready":
        proc.kill()
        raise RuntimeError(f"the import child failed before it started: {proc.communicate()[1][-2000:]}")
    start = time.perf_counter()
    if delay is None:
        proc.stdout.readline()  # "done": the project is closed (the interpreter's exit is not timed)
    else:
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)  # does nothing once the child is gone
    ran = time.perf_counter() - start
    _, err = proc.communicate()
    killed = proc.returncode == -signal.SIGKILL
    if not killed and proc.returncode != 0:
        raise RuntimeError(f"the import child failed (exit {proc.returncode}): {err[-2000:]}")
    return killed, ran


def check_import(folder: Path, name: str, alignments: list[Alignment]) -> Kill:
    """What a killed import left: no project, an intact empty one, or one with the whole import."""
    from align.project.store import Project

    result = Kill(0.0, False, "no project")
    if not project_path(folder, name).exists():
        return result
    try:
        project = Project.open(folder, name)
    except ProjectError as exc:
        result.outcome, result.broken = "broken", f"does not open: {exc}"
        return result
    with project:
        db = sqlite3.connect(project.path)
        try:
            problems = [r[0] for r in db.execute("PRAGMA integrity_check")]
            foreign = db.execute("PRAGMA foreign_key_check").fetchall()
            result.pairs = db.execute("SELECT count(*) FROM pairs").fetchone()[0]
            result.pairs_without_beads = db.execute(
                "SELECT count(*) FROM pairs p WHERE NOT EXISTS (SELECT 1 FROM beads b WHERE b.pair_id = p.id)"
            ).fetchone()[0]
            documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            db.close()
        if problems != ["ok"] or foreign:
            result.outcome, result.broken = "broken", f"integrity_check: {problems[:3]}, foreign keys: {foreign[:3]}"
            return result
        stored = [[(r.src, r.tgt) for r in project.beads(pair_id)] for pair_id, _, _ in project.pairs()]
        expected = [[(b.src, b.tgt) for b in a.beads] for a in alignments]
        result.partial = (result.pairs not in (0, len(alignments)) or documents != 2 * result.pairs
                          or (result.pairs == len(alignments) and stored != expected))
        result.outcome = "empty" if result.pairs == 0 else "imported"
        try:  # and the project takes the import after the kill
            again = project.add_alignments(alignments)
            if [[(r.src, r.tgt) for r in project.beads(p)] for p in again] != expected:
                result.outcome, result.broken = "broken", "the import after the kill stored other beads"
        except ProjectError as exc:
            result.outcome, result.broken = "broken", f"refuses the import after the kill: {exc}"
    return result


def time_import(work: Path, alignments: list[Alignment], data: Path, runs: int = 3) -> float:
    """The longest of ``runs`` whole imports (the first often finds the disk idle), each checked."""
    took = []
    for k in range(runs):
        folder = work / f"whole{k}"
        took.append(run_import(folder, "imp", data, None)[1])
        whole = check_import(folder, "imp", alignments)
        if whole.outcome != "imported" or whole.partial or whole.broken:
            raise RuntimeError(f"the import does not work even when left alone: {whole}")
    return max(took)


def kill_imports(work: Path, alignments: list[Alignment], kills: int, progress=None) -> tuple[float, list[Kill]]:
    """Time whole imports, then kill ``kills`` imports at delays spread from 0 to 120% of the longest."""
    data = work / "import.pickle"
    with open(data, "wb") as f:
        pickle.dump(alignments, f)
    full = time_import(work, alignments, data)
    results = []
    for k in range(kills):
        delay = 1.2 * full * k / max(kills - 1, 1)
        folder = work / f"kill{k:03d}"
        killed, _ = run_import(folder, "imp", data, delay)
        result = check_import(folder, "imp", alignments)
        result.delay, result.killed = delay, killed
        stray = [p.name for p in folder.glob("*.alignproject") if p.name != "imp.alignproject"]
        if stray:
            result.outcome, result.broken = "broken", f"stray project files {stray}"
        result.scratch = len(list(folder.glob(".creating-*")))
        results.append(result)
        if progress:
            progress(result)
    return full, results


# -- two processes editing -------------------------------------------------------------------

def edit_project(folder: Path, name: str = "edits", beads: int = EDIT_BEADS) -> tuple[int, list[BeadRow]]:
    """A project of one pair of ``beads`` 1-1 beads; returns the pair and its beads."""
    from align.project.store import Project

    src = Document.from_lines("src.txt", [f"Sentence {i}." for i in range(beads)], "en")
    tgt = Document.from_lines("tgt.txt", [f"sentence {i}." for i in range(beads)], "fr")
    with Project.create(folder, name) as project:
        [pair] = project.add_alignments([Alignment(src, tgt, [Bead((i,), (i,), 0.9) for i in range(beads)], "hash")])
        return pair, project.beads(pair)


def _choose(rng: random.Random, worker: str) -> str:
    if worker == "A":
        return rng.choices(["set_note", "decide", "decide_numbers"], [45, 40, 15])[0]
    return rng.choices(["set_note", "decide", "decide_numbers", "merge_next"], [35, 30, 10, 25])[0]


def edit_loop(folder: str, name: str, worker: str, seed: int, edits: int) -> list[dict]:
    """``edits`` edits on the first beads of the project's pair; the log of what each was told."""
    from align.project.store import Project

    rng = random.Random(seed)
    log, undo_after = [], None  # undo_after: the revision of this worker's merge, to undo next
    with Project.open(folder, name) as project:
        pair = project.chosen_pair()
        print("ready", flush=True)
        sys.stdin.readline()  # both start together
        for i in range(edits):
            entry: dict = {"worker": worker, "i": i}
            try:
                if undo_after is not None:
                    entry.update(op="undo", read_revision=undo_after)
                    undo_after = None
                    time.sleep(rng.random() * 0.002)
                    if not project.undo(pair, revision=entry["read_revision"]):
                        raise RuntimeError("undo found nothing to undo")
                    entry["revision"] = entry["read_revision"] + 1
                else:
                    revision = project.revision(pair)
                    rows = project.beads(pair)
                    op = _choose(rng, worker)
                    at = rng.randrange(min(OVERLAP, len(rows) - 1))
                    row = rows[at]
                    status = rng.choice(["confirmed", "rejected"])
                    note = f"{worker}{i}"
                    entry.update(op=op, bead=row.id, read_version=row.version)
                    time.sleep(rng.random() * 0.002)  # the other process may write meanwhile
                    if op == "set_note":
                        entry["note"] = note
                        written = project.set_note(pair, row.id, note, version=row.version)
                    elif op == "decide":
                        entry.update(status=status, note=note + "d")
                        written = project.decide(pair, row.id, status, note + "d", version=row.version)
                    elif op == "decide_numbers":
                        status = "rejected" if row.status == "confirmed" else "confirmed"  # a real change
                        entry.update(status=status, number=at + 1, read_revision=revision)
                        written = project.decide_numbers(pair, [at + 1], status, revision=revision)
                    else:
                        written = project.merge_next(pair, row.id, version=row.version)
                    if not written:
                        raise RuntimeError(f"{op} wrote nothing")
                    entry["revision"] = written[0].version
                    if op == "merge_next":
                        undo_after = entry["revision"]
                entry["result"] = "ok"
            except ConflictError as exc:
                entry.update(result="conflict", message=str(exc))
            except Exception as exc:  # noqa: BLE001 - counted and reported: must not happen
                entry.update(result="error", message=f"{type(exc).__name__}: {exc}")
            log.append(entry)
    return log


@dataclass
class EditReport:
    attempted: dict = field(default_factory=dict)  # per worker
    succeeded: dict = field(default_factory=dict)
    conflicts: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # messages of edits that neither succeeded nor conflicted
    lost: list = field(default_factory=list)  # what was lost, one line each
    stale: list = field(default_factory=list)  # writes accepted against a changed bead
    integrity: str = "ok"


def run_edits(work: Path, edits: int, seed: int = 1) -> EditReport:
    """Two processes, ``edits`` edits each, on one project; every acknowledged edit checked against the file."""
    folder = work / "edits"
    pair, initial = edit_project(folder)
    from align.project.store import Project

    with Project.open(folder, "edits") as project:
        base = project.revision(pair)
    procs = [subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child-edits", str(folder), "edits",
                               worker, str(seed * 100 + k), str(edits)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=_child_env())
             for k, worker in enumerate("AB")]
    for proc in procs:
        if proc.stdout.readline().strip() != "ready":
            for p in procs:
                p.kill()
            raise RuntimeError(f"an edit child failed to start: {proc.communicate()[1][-2000:]}")
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    logs = []
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"an edit child failed (exit {proc.returncode}): {err[-2000:]}")
        logs.append(json.loads(out.strip().splitlines()[-1]))
    return check_edits(folder, "edits", pair, initial, base, logs)


def check_edits(folder: Path, name: str, pair: int, initial: list[BeadRow], base: int,
                logs: list[list[dict]]) -> EditReport:
    """Replay the acknowledged writes in revision order and compare with the file."""
    from align.project.store import Project

    report = EditReport()
    for log in logs:
        worker = log[0]["worker"] if log else "?"
        report.attempted[worker] = len(log)
        report.succeeded[worker] = sum(e["result"] == "ok" for e in log)
        report.conflicts[worker] = sum(e["result"] == "conflict" for e in log)
        report.errors += [f"{worker}{e['i']} {e['op']}: {e['message']}" for e in log if e["result"] == "error"]
    done = [e for log in logs for e in log if e["result"] == "ok"]
    claims = Counter(e["revision"] for e in done)
    report.lost += [f"revision {r} claimed by {n} acknowledged writes" for r, n in sorted(claims.items()) if n > 1]
    with Project.open(folder, name) as project:
        final = project.revision(pair)
        stored = project.beads(pair)
        history = Counter((h.op, h.args.get("bead"), h.args.get("note")) for h in project.history(pair)
                          if not h.undone)
        db = sqlite3.connect(project.path)
        try:
            report.integrity = "; ".join(r[0] for r in db.execute("PRAGMA integrity_check"))
        finally:
            db.close()
    unexplained = sorted(set(range(base + 1, final + 1)) - set(claims))
    if unexplained:
        report.errors.append(f"revisions {unexplained[:5]} written by no acknowledged edit")
    for e in done:
        if e["op"] in ("set_note", "decide"):
            key = (e["op"], e["bead"], e["note"])
            if history[key] > 0:
                history[key] -= 1
            else:
                report.lost.append(f"{e['worker']}{e['i']} {e['op']} {e['note']!r} is not in the edit history")
    # The replay: the pure bead functions, in revision order, from the beads the two processes started with.
    rows, revision, undo_stack = [replace(r) for r in initial], base, []
    for e in sorted(done, key=lambda e: e["revision"]):
        where = f"{e['worker']}{e['i']} {e['op']}"
        if e["revision"] != revision + 1:
            break  # a gap or a duplicate, reported above; the replay cannot go on
        at = next((k for k, r in enumerate(rows) if r.id == e.get("bead")), None)
        if e["op"] in ("undo", "decide_numbers") and e["read_revision"] != revision:
            report.stale.append(f"{where} was made at revision {e['read_revision']}, the pair was at {revision}")
        elif e["op"] == "decide_numbers" and (e["number"] > len(rows) or rows[e["number"] - 1].id != e["bead"]):
            report.stale.append(f"{where}: bead number {e['number']} was bead {e['bead']} when read, "
                                "another when written")
            at = None
        elif e["op"] in ("set_note", "decide", "merge_next") and (at is None or rows[at].version != e["read_version"]):
            report.stale.append(f"{where} on bead {e['bead']} version {e['read_version']}, which was "
                                f"{'gone' if at is None else rows[at].version}")
        revision += 1
        if e["op"] == "undo":
            if not undo_stack:
                report.lost.append(f"{where}: nothing to undo in the replay")
                continue
            before, change = undo_stack.pop()  # what the undone edit replaced comes back, written now
            back = [replace(r, version=revision) for r in before[change.start:change.stop]]
            rows = rows[:change.start] + back + rows[change.start + len(change.new):]
            continue
        if at is None:
            continue  # reported as stale
        if e["op"] == "set_note":
            change = bead_edits.set_note(rows, at, e["note"])
        elif e["op"] == "decide":
            change = bead_edits.decide(rows, at, e["status"], e["note"])
        elif e["op"] == "decide_numbers":
            change = bead_edits.set_status_of(rows, [e["bead"]], e["status"])
        else:
            change = bead_edits.merge(rows, at, "next")
        undo_stack.append((rows, change))
        new = [replace(r, version=revision) for r in change.new]
        rows = rows[:change.start] + new + rows[change.stop:]
    if revision != final:
        report.lost.append(f"the replay stopped at revision {revision}, the file is at {final}")

    def key(r: BeadRow) -> tuple:
        return r.id, r.src, r.tgt, r.status, r.note

    if [key(r) for r in rows] != [key(r) for r in stored]:
        expected, got = {r.id: key(r) for r in rows}, {r.id: key(r) for r in stored}
        for bead_id in sorted(set(expected) | set(got)):
            if expected.get(bead_id) != got.get(bead_id):
                report.lost.append(f"bead {bead_id}: the edits say {expected.get(bead_id)}, "
                                   f"the file holds {got.get(bead_id)}")
    return report


# -- the report ------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=50, metavar="N", help="imports to kill (default 50; 0: none)")
    parser.add_argument("--edits", type=int, default=200, metavar="N",
                        help="edits each of the two processes makes (default 200; 0: none)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the edits each process chooses (default 1)")
    parser.add_argument("--child-import", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-edits", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_import:
        _child_import(*args.child_import)
        return 0
    if args.child_edits:
        folder, name, worker, seed, edits = args.child_edits
        print(json.dumps(edit_loop(folder, name, worker, int(seed), int(edits))))
        return 0

    failed = False
    with tempfile.TemporaryDirectory(prefix="align-faults-") as tmp:
        work = Path(tmp)
        if args.kills:
            alignments = import_alignments(HashEncoder())
            full, kills = kill_imports(work, alignments, args.kills)
            outcomes = Counter(k.outcome for k in kills)
            broken = [k for k in kills if k.broken]
            without = sum(k.pairs_without_beads for k in kills)
            partial = sum(k.partial for k in kills)
            print(f"import of {len(alignments)} pairs ({', '.join(str(len(a.beads)) for a in alignments)} beads) "
                  f"takes {full * 1000:.0f} ms (create, store, close); kills from 0 to {1.2 * full * 1000:.0f} ms")
            done = sum(k.killed for k in kills)
            print(f"kills done            {done:>5} of {len(kills)}"
                  + (f" ({len(kills) - done} had finished first)" if done < len(kills) else ""))
            print("after the kill        " + ", ".join(f"{outcomes[o]} {o}" for o in ("no project", "empty",
                                                                                     "imported", "broken")))
            print(f"broken projects       {len(broken):>5}")
            print(f"pairs without beads   {without:>5}")
            print(f"partial imports       {partial:>5}")
            print(f"scratch folders left  {sum(k.scratch for k in kills):>5} (.creating-*: no project, "
                  "not listed, not removed)")
            for k in broken[:5]:
                print(f"  at {k.delay * 1000:.1f} ms: {k.broken}")
            failed |= bool(broken or without or partial)
        if args.edits:
            report = run_edits(work, args.edits, args.seed)
            if args.kills:
                print()
            print(f"{'edits':22}{'attempted':>10}{'succeeded':>10}{'conflicts':>10}")
            for worker in sorted(report.attempted):
                print(f"{'process ' + worker:22}{report.attempted[worker]:>10}{report.succeeded[worker]:>10}"
                      f"{report.conflicts[worker]:>10}")
            print(f"other errors          {len(report.errors):>5}")
            print(f"lost edits            {len(report.lost):>5}")
            print(f"stale writes accepted {len(report.stale):>5}")
            print(f"integrity_check       {report.integrity:>5}")
            for line in (report.errors + report.lost + report.stale)[:10]:
                print(f"  {line}")
            failed |= bool(report.errors or report.lost or report.stale or report.integrity != "ok")
    print("FAILED" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

