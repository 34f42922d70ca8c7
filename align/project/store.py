"""The project store: documents, beads, version sets, review state and edit history in one SQLite file.

A project is a WAL-mode SQLite database in the projects folder. Every edit is
one ``BEGIN IMMEDIATE`` transaction that also records the beads it replaced
and the beads it wrote, which is what undo and redo put back. Each write
raises the pair's revision; a bead remembers the revision that wrote it, so an
edit made from a stale browser tab is refused with ``ConflictError`` instead
of silently overwriting what another tab saved. A version set's rows are
written the same way, by the same code (``core.Track`` says which tables).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from align.pairing.probability import HIGH, reviewed
from align.pairing.realign import BETTER_BY, Realignment, merge, reconcile, report
from align.project import bead_edits
from align.project.bead_edits import BeadRow, Change
from align.project.core import PAIRS, PairRow, PairStatus, Track, stale
from align.project.edit_commands import Corrections
from align.project.file import (
    _SQLITE_MAGIC,
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA,
    SCHEMA_BASE_VERSION,
    SCHEMA_VERSION,
    SUFFIX,
    ConflictError,
    ProjectError,
    default_projects_dir,
    list_projects,
    project_path,
    upgrade,
)
from align.project.history import History, HistoryEntry
from align.project.manage import PairManagement
from align.project.version_sets import VersionSet, VersionSets
from align.types import Alignment, Document, Segment

__all__ = ["ConflictError", "HistoryEntry", "PairStatus", "Patch", "Project", "ProjectError", "VersionSet",
           "list_projects", "project_path"]

# A project is built in a scratch folder of this name, then linked into place.
SCRATCH_PREFIX = ".creating-"
# The patches of each pair or set kept for readers following its edits (``Project.patches``).
PATCHES_KEPT = 16
# Older than this, a scratch folder is left from a create that was killed, not one in progress.
ABANDONED_AFTER_S = 3600


def _remove_abandoned_scratch(folder: Path) -> None:
    """Clear what killed creates left behind (never a project: only the link makes one)."""
    now = time.time()
    for scratch in folder.glob(SCRATCH_PREFIX + "*"):
        try:
            if scratch.is_dir() and now - scratch.stat().st_mtime > ABANDONED_AFTER_S:
                shutil.rmtree(scratch, ignore_errors=True)
        except OSError:
            pass  # another process removed it first


def _database_problem(exc: sqlite3.Error) -> str:
    """What an SQLite error means to the user: read-only, locked, or damaged are different fixes."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return "the project is read-only (no permission to write the file or its folder)"
    if "locked" in text or "busy" in text:
        return "the project is busy in another program; try again"
    if "unable to open" in text:
        return "cannot open the file (no permission to read it or its folder)"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return f"the project file is corrupted ({exc})"
    # A full disk: SQLite says "disk I/O error" when not even its shared-memory file fits, which read like damage.
    if "disk is full" in text or "disk i/o error" in text:
        return (f"cannot write or read the project's files ({exc}): is the disk full? Free space and try again; "
                "the project is as it was before this command")
    return f"database error ({exc})"


class Project(Corrections, History, PairManagement, VersionSets):
    """One open project file. Safe to share between the threads of one server."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.name = self.path.name[:-len(SUFFIX)] if self.path.name.endswith(SUFFIX) else self.path.stem
        if not self.path.is_file():
            raise ProjectError(f"{self.path}: no such project")
        try:
            with open(self.path, "rb") as f:
                head = f.read(len(_SQLITE_MAGIC))
        except OSError as exc:
            raise ProjectError(f"{self.path.name}: cannot read the project ({exc.strerror})") from None
        if not head:
            raise ProjectError(f"{self.path.name}: an empty file, not a project (delete it to use the name)")
        if head != _SQLITE_MAGIC:
            raise ProjectError(f"{self.path.name}: not an alignment project (not an SQLite database)")
        self._lock = threading.RLock()
        # What the writes of this process did to each pair's beads and set's rows, by (table, owner) and the
        # revision each made (``patches``); the current write transaction's, published when it commits.
        self._patches: dict[tuple[str, int], dict[int, Patch | None]] = {}
        self._writing: list[tuple[str, int, int, Patch | None]] = []
        self._db = self._connect()
        try:
            app_id = self._db.execute("PRAGMA application_id").fetchone()[0]
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if app_id == APPLICATION_ID:
                problems = [row[0] for row in self._db.execute("PRAGMA quick_check(3)")]
                if problems != ["ok"]:
                    raise sqlite3.DatabaseError(f"corrupt: {'; '.join(problems)}")
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ProjectError(f"{self.path.name}: {_database_problem(exc)}") from None
        if app_id != APPLICATION_ID:
            self._db.close()
            raise ProjectError(f"{self.path.name}: not an alignment project (an SQLite file of another program)")
        if not (min(MIGRATIONS, default=SCHEMA_VERSION) <= version <= SCHEMA_VERSION):
            self._db.close()
            raise ProjectError(f"{self.path.name}: project schema {version} is not supported "
                               f"(this version reads schema {SCHEMA_VERSION})")
        # Only once the file is known to be ours: WAL mode would rewrite a foreign file's header.
        try:
            with self._lock:
                self._db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ProjectError(f"{self.path.name}: {_database_problem(exc)}") from None
        if version < SCHEMA_VERSION:
            self._migrate()

    def _migrate(self) -> None:
        """Bring a project file of an older schema up to date, in one transaction (another process may race)."""
        with self._tx(write=True) as db:
            upgrade(db, db.execute("PRAGMA user_version").fetchone()[0])

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=10, check_same_thread=False)
            db.execute("PRAGMA busy_timeout = 10000")
            # FULL: a transaction the UI reported as saved survives a power cut, not just a killed server.
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{self.path.name}: {_database_problem(exc)}") from None
        return db

    # -- creating, opening, closing -------------------------------------------------------

    @classmethod
    def create(cls, folder: str | os.PathLike, name: str) -> "Project":
        """A new, empty project. Built under a temporary name and linked into place, so a second
        process creating the same name, or a kill midway, never leaves a half-made project."""
        path = project_path(folder, name)
        if path.exists():
            raise ProjectError(f"project {name!r} already exists")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _remove_abandoned_scratch(path.parent)
            with tempfile.TemporaryDirectory(dir=path.parent, prefix=SCRATCH_PREFIX) as scratch:
                draft = Path(scratch) / path.name
                db = sqlite3.connect(draft, isolation_level=None)
                try:
                    db.execute("PRAGMA journal_mode = WAL")
                    db.executescript("BEGIN;" + SCHEMA + f"PRAGMA application_id = {APPLICATION_ID};"
                                     f"PRAGMA user_version = {SCHEMA_BASE_VERSION};")
                    upgrade(db, SCHEMA_BASE_VERSION)
                    db.execute("COMMIT")
                finally:
                    db.close()
                os.link(draft, path)  # fails if the name was taken meanwhile: never replaces a project
        except FileExistsError:
            raise ProjectError(f"project {name!r} already exists") from None
        except (OSError, sqlite3.Error) as exc:
            raise ProjectError(f"cannot create project {name!r} in {path.parent}: "
                               f"{getattr(exc, 'strerror', None) or exc}") from None
        return cls(path)

    @classmethod
    def open(cls, folder: str | os.PathLike, name: str) -> "Project":
        path = project_path(folder, name)
        if not path.exists():
            raise ProjectError(f"no project named {name!r} in {Path(folder)} ('align project create {name}' makes one)")
        return cls(path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _tx(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction; SQLite failures become one-line ProjectErrors."""
        with self._lock:
            self._writing = []
            try:
                self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield self._db
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:  # also when COMMIT itself failed (disk full, I/O error)
                        self._db.execute("ROLLBACK")
                    raise
            except sqlite3.DatabaseError as exc:
                raise ProjectError(f"{self.path.name}: {_database_problem(exc)}") from None
            finally:
                written, self._writing = self._writing, []
            self._publish(written)

    def _publish(self, written: Sequence[tuple[str, int, int, Patch | None]]) -> None:
        """Keep what a committed transaction did, by owner and revision: a revision it made with one replacement
        of rows has that patch, any other (no rows replaced, or several) None."""
        made: dict[tuple[str, int, int], list[Patch]] = {}
        for table, owner, revision, patch in written:
            made.setdefault((table, owner, revision), []).extend([patch] if patch else [])
        for (table, owner, revision), patches in made.items():
            kept = self._patches.setdefault((table, owner), {})
            kept[revision] = patches[0] if len(patches) == 1 else None
            while len(kept) > PATCHES_KEPT:
                del kept[min(kept)]

    def _patches_since(self, track: Track, owner: int, since: int, until: int) -> list[Patch] | None:
        with self._lock:
            kept = self._patches.get((track.table, owner), {})
            found = [kept.get(revision) for revision in range(since + 1, until + 1)]
        return None if None in found else found

    def patches(self, pair_id: int, since: int, until: int) -> list[Patch] | None:
        """What took the pair's beads from revision ``since`` to ``until``, one ``Patch`` per revision, when
        this process made every one of those writes, each one replacement of beads (a correction, an undo, a
        redo); otherwise None, and the beads are to be read. A reader holding the beads at ``since`` gets
        those at ``until`` without reading the pair."""
        return self._patches_since(PAIRS, pair_id, since, until)

    # -- documents and pairs --------------------------------------------------------------

    def _insert_document(self, db: sqlite3.Connection, doc: Document) -> int:
        doc_id = db.execute("INSERT INTO documents (name, text, encoding) VALUES (?, ?, ?)",
                            (doc.name, doc.text, doc.encoding)).lastrowid
        db.executemany('INSERT INTO segments (doc_id, idx, text, start, "end", line, lang) VALUES (?,?,?,?,?,?,?)',
                       [(doc_id, i, s.text, s.start, s.end, s.line, s.lang) for i, s in enumerate(doc.segments)])
        return doc_id

    def _insert_pair(self, db: sqlite3.Connection, src: Document, tgt: Document) -> int:
        src_id, tgt_id = self._insert_document(db, src), self._insert_document(db, tgt)
        return db.execute("INSERT INTO pairs (src_doc, tgt_doc) VALUES (?, ?)", (src_id, tgt_id)).lastrowid

    def add_pair(self, src: Document, tgt: Document) -> int:
        """Store two documents to align with each other later; returns the pair's id."""
        with self._tx(write=True) as db:
            return self._insert_pair(db, src, tgt)

    def add_alignments(self, alignments: Sequence[Alignment],
                       refuse_repeats: Callable[[dict[int, int]], None] | None = None) -> list[int]:
        """Store aligned pairs, documents and beads, all in one transaction; returns their pair ids.

        A killed import leaves the project as it was: never a pair without beads,
        never some versions of a multi-version import without the others. ``refuse_repeats`` is given the
        ``repeated_pairs`` of the alignments, inside the transaction, and may raise to store nothing: two imports
        of the same texts at once had both been stored, each having checked before the other wrote.
        """
        with self._tx(write=True) as db:
            if refuse_repeats is not None:
                refuse_repeats(self._repeated(db, [(_sentences_key(s.text for s in a.src.segments),
                                                    _sentences_key(s.text for s in a.tgt.segments))
                                                   for a in alignments]))
            pair_ids = [self._insert_pair(db, a.src, a.tgt) for a in alignments]
            for pair_id, alignment in zip(pair_ids, alignments):
                self._store_alignment(db, pair_id, alignment)
        return pair_ids

    def add_units(self, units: Iterable[tuple], names: tuple[str, str],
                  langs: tuple[str, str], batch: int = 5000,
                  refuse_repeats: Callable[[dict[int, int]], None] | None = None) -> int:
        """A new pair made of translation units, streamed into the file in one transaction.

        Each ``(source, target, score)`` or ``(source, target, score, status, note)`` becomes one bead (an
        empty side is an omission; a status other than confirmed or rejected is automatic), so a translation
        memory of any size is imported with flat memory; the documents' text is their sentences, one per line.
        """
        with self._tx(write=True) as db:
            docs = [db.execute("INSERT INTO documents (name, text, encoding) VALUES (?, '', 'utf-8')",
                               (name,)).lastrowid for name in names]
            pair_id = db.execute("INSERT INTO pairs (src_doc, tgt_doc) VALUES (?, ?)", docs).lastrowid
            counts, offsets, segments, beads = [0, 0, 0], [0, 0], [], []  # counts: src, tgt, beads

            def flush() -> None:
                db.executemany('INSERT INTO segments (doc_id, idx, text, start, "end", line, lang) '
                               "VALUES (?,?,?,?,?,?,?)", segments)
                db.executemany("INSERT INTO beads (pair_id, position, n_src, n_tgt, score, status, note, version) "
                               "VALUES (?,?,?,?,?,?,?,0)", beads)
                segments.clear()
                beads.clear()

            for src, tgt, score, *decision in units:
                status = decision[0] if decision and decision[0] in ("confirmed", "rejected") else "automatic"
                note = decision[1] if len(decision) > 1 else ""
                ids = []
                for side, text in enumerate((src, tgt)):
                    if not text.strip():
                        ids.append([])
                        continue
                    n = counts[side]
                    segments.append((docs[side], n, text, offsets[side], offsets[side] + len(text), n + 1, langs[side]))
                    ids.append([n])
                    counts[side], offsets[side] = n + 1, offsets[side] + len(text) + 1
                if ids[0] or ids[1]:  # a unit with no text at all is no bead
                    beads.append((pair_id, counts[2], len(ids[0]), len(ids[1]), float(score), status, note or ""))
                    counts[2] += 1
                if len(beads) >= batch:
                    flush()
            flush()
            if not counts[2]:
                raise ProjectError("no translation units with text to import")
            if refuse_repeats is not None:  # the same memory saved again (a rerun after a crash, say)
                keys = [_sentences_key(t for (t,) in db.execute("SELECT text FROM segments WHERE doc_id = ? "
                                                                 "ORDER BY idx", (doc,))) for doc in docs]
                refuse_repeats(self._repeated(db, [tuple(keys)], skip=frozenset({pair_id})))
            for doc in docs:
                db.execute("UPDATE documents SET text = coalesce((SELECT group_concat(text, char(10)) FROM "
                           "(SELECT text FROM segments WHERE doc_id = ? ORDER BY idx)), '') WHERE id = ?", (doc, doc))
        return pair_id

    def pairs(self) -> list[tuple[int, str, str]]:
        """``(pair_id, source name, target name)`` for every pair."""
        with self._tx() as db:
            return [tuple(r) for r in db.execute(
                "SELECT p.id, s.name, t.name FROM pairs p JOIN documents s ON s.id = p.src_doc "
                "JOIN documents t ON t.id = p.tgt_doc WHERE p.deleted = 0 ORDER BY p.id")]

    def repeated_pairs(self, docs: Sequence[tuple[Document, Document]]) -> dict[int, int]:
        """For each pair of documents (by index) that a pair of the project already holds, in either order,
        that pair's id: the same sentences on both sides (an import run twice, a file imported again)."""
        with self._tx() as db:
            return self._repeated(db, [tuple(_sentences_key(s.text for s in d.segments) for d in pair)
                                       for pair in docs])

    @staticmethod
    def _repeated(db: sqlite3.Connection, keys: Sequence[tuple[bytes, bytes]],
                  skip: frozenset[int] = frozenset()) -> dict[int, int]:
        """``repeated_pairs`` for pairs given by their sides' ``_sentences_key``, pairs ``skip`` left out."""
        wanted = {frozenset(pair): k for k, pair in reversed(list(enumerate(keys)))}
        found: dict[int, int] = {}
        for pair_id, src, tgt in db.execute("SELECT id, src_doc, tgt_doc FROM pairs WHERE deleted = 0 ORDER BY id"):
            if pair_id in skip:
                continue
            sides = [_sentences_key(t for (t,) in db.execute("SELECT text FROM segments WHERE doc_id = ? ORDER BY idx",
                                                              (doc,))) for doc in (src, tgt)]
            k = wanted.get(frozenset(sides))
            if k is not None and k not in found:
                found[k] = pair_id
        return found

    def chosen_pair(self, pair_id: int | None = None) -> int:
        """``pair_id`` if given, else the project's only pair; a project of several pairs needs a choice."""
        if pair_id is not None:
            return pair_id
        pairs = self.pairs()
        if len(pairs) != 1:
            raise ProjectError(f"project {self.name!r} holds {len(pairs)} pairs; choose one with --pair")
        return pairs[0][0]

    def _pair(self, db: sqlite3.Connection, pair_id: int) -> PairRow:
        row = db.execute("SELECT src_doc, tgt_doc, model, revision FROM pairs WHERE id = ?", (pair_id,)).fetchone()
        if row is None:
            raise ProjectError(f"no pair {pair_id} in project {self.name!r}")
        return PairRow(*row)

    def _document(self, db: sqlite3.Connection, doc_id: int) -> Document:
        name, text, encoding = db.execute("SELECT name, text, encoding FROM documents WHERE id = ?",
                                          (doc_id,)).fetchone()
        segments = [Segment(*r) for r in db.execute(
            'SELECT text, start, "end", line, lang FROM segments WHERE doc_id = ? ORDER BY idx', (doc_id,))]
        return Document(name, text, segments, encoding)

    def documents(self, pair_id: int) -> tuple[Document, Document]:
        """The pair's documents as they stand now, segment edits included."""
        with self._tx() as db:
            src_doc, tgt_doc, _, _ = self._pair(db, pair_id)
            return self._document(db, src_doc), self._document(db, tgt_doc)

    def document_versions(self, pair_id: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """``(document id, version)`` of the pair's source and target: a document's version changes with
        anything ``documents`` would read differently (its sentences, name, languages), so a reader can keep a
        document until then."""
        with self._tx() as db:
            src_doc, tgt_doc, _, _ = self._pair(db, pair_id)
            versions = dict(db.execute("SELECT id, version FROM documents WHERE id IN (?, ?)", (src_doc, tgt_doc)))
        return (src_doc, versions[src_doc]), (tgt_doc, versions[tgt_doc])

    def document(self, doc_id: int) -> Document:
        """One document as it stands now (``document_versions`` names a pair's)."""
        with self._tx() as db:
            if db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is None:
                raise ProjectError(f"no document {doc_id} in project {self.name!r}")
            return self._document(db, doc_id)

    def revision(self, pair_id: int) -> int:
        with self._tx() as db:
            return self._pair(db, pair_id).revision

    # -- beads ----------------------------------------------------------------------------

    def _beads(self, db: sqlite3.Connection, pair_id: int) -> list[BeadRow]:
        return self._read(db, PAIRS, pair_id)

    def beads(self, pair_id: int) -> list[BeadRow]:
        with self._tx() as db:
            self._pair(db, pair_id)
            return self._beads(db, pair_id)

    def beads_at(self, pair_id: int) -> tuple[int, list[BeadRow]]:
        """The pair's revision and its beads at that revision, read in one transaction."""
        with self._tx() as db:
            return self._pair(db, pair_id).revision, self._beads(db, pair_id)

    def alignment(self, pair_id: int, confirmed_only: bool = False, min_score: float | None = None) -> Alignment:
        """The pair as an ``Alignment``, what the CLI would hold.

        Optionally the confirmed beads only, and only those whose probability
        is at least ``min_score`` (a person's decision counts: see ``keeps``).
        """
        with self._tx() as db:
            src_doc, tgt_doc, model, _ = self._pair(db, pair_id)
            rows = self._beads(db, pair_id)
            src, tgt = self._document(db, src_doc), self._document(db, tgt_doc)
        beads = [r.bead() for r in rows if (not confirmed_only or r.status == "confirmed")
                 and (min_score is None or self.keeps(r, min_score))]
        return Alignment(src, tgt, beads, model)

    @staticmethod
    def keeps(row: BeadRow, min_score: float) -> bool:
        """Whether ``--min-score`` keeps the bead: confirmed ones are certain, rejected ones wrong."""
        return reviewed(row.score, row.status) >= min_score

    def alignments(self, confirmed_only: bool = False, min_score: float | None = None) -> dict[int, Alignment]:
        """Every pair's alignment, by pair id: the whole project, for export."""
        return {pair_id: self.alignment(pair_id, confirmed_only, min_score) for pair_id, _, _ in self.pairs()}

    def status(self, pair_id: int) -> PairStatus:
        return self._status_of(PAIRS, pair_id)

    def _status_of(self, track: Track, owner: int) -> PairStatus:
        with self._tx() as db:
            self._revision_of(db, track, owner)
            counts = dict(db.execute(f"SELECT status, count(*) FROM {track.table} WHERE {track.key} = ? "
                                     "GROUP BY status", (owner,)).fetchall())
        return PairStatus(sum(counts.values()), counts.get("automatic", 0), counts.get("confirmed", 0),
                          counts.get("rejected", 0))

    # -- writing: the same for a pair's beads and a version set's rows (see core.Track) ----

    def _revision_of(self, db: sqlite3.Connection, track: Track, owner: int) -> int:
        row = db.execute(f"SELECT revision FROM {track.owner} WHERE id = ?", (owner,)).fetchone()
        if row is None:
            raise ProjectError(f"no {track.what} {owner} in project {self.name!r}")
        return row[0]

    def _read(self, db: sqlite3.Connection, track: Track, owner: int) -> list:
        return _rows(track, db.execute(f"SELECT id, position, version, {', '.join(track.columns)} FROM {track.table} "
                                       f"WHERE {track.key} = ? ORDER BY position", (owner,)), None)

    def _read_lazily(self, db: sqlite3.Connection, track: Track, owner: int) -> "LazyRows":
        """The rows as ``_read`` gives them, read a block at a time as they are looked at (inside ``db``'s
        transaction): a correction reads the rows around it, not the whole pair."""
        return LazyRows(db, track, owner)

    def _replace_in(self, db: sqlite3.Connection, track: Track, owner: int, start: int, stop: int,
                    new: Sequence, revision: int) -> list:
        """Put ``new`` where positions ``start:stop`` were; returns the written rows with their ids."""
        db.execute(f"DELETE FROM {track.table} WHERE {track.key} = ? AND position >= ? AND position < ?",
                   (owner, start, stop))
        delta = len(new) - (stop - start)
        if delta:
            db.execute(f"UPDATE {track.table} SET position = position + ? WHERE {track.key} = ? AND position >= ?",
                       (delta, owner, stop))
        columns = ("id", track.key, "position", "version", *track.columns)
        insert = (f"INSERT INTO {track.table} ({', '.join(columns)}) "
                  f"VALUES ({', '.join('?' * len(columns))})")
        written = []
        for k, row in enumerate(new):
            cur = db.execute(insert, (row.id, owner, start + k, revision, *track.values(row)))
            written.append(replace(row, id=cur.lastrowid, position=start + k, version=revision))
        self._writing.append((track.table, owner, revision, Patch(revision, start, stop, tuple(written))))
        return written

    def _bump_in(self, db: sqlite3.Connection, track: Track, owner: int) -> int:
        db.execute(f"UPDATE {track.owner} SET revision = revision + 1 WHERE id = ?", (owner,))
        revision = self._revision_of(db, track, owner)
        self._writing.append((track.table, owner, revision, None))
        return revision

    def _record_in(self, db: sqlite3.Connection, track: Track, owner: int, op: str, args: dict, rows: Sequence,
                   change: Change, segments: tuple[dict, dict] | None = None) -> list:
        """Apply ``change`` (and the segment run swap ``segments``, before and after) and remember it for undo.

        A new edit forgets what could be redone.
        """
        revision = self._bump_in(db, track, owner)
        before = [track.to_json(r) for r in rows[change.start:change.stop]]
        if segments:
            self._swap_segments(db, *segments)
        written = self._replace_in(db, track, owner, change.start, change.stop, change.new, revision)
        db.execute(f"DELETE FROM {track.edits} WHERE {track.key} = ? AND undone = 1", (owner,))
        db.execute(f"INSERT INTO {track.edits} ({track.key}, op, args, before, after) VALUES (?, ?, ?, ?, ?)",
                   (owner, op, json.dumps(args, ensure_ascii=False),
                    json.dumps({"start": change.start, track.items: before, "segments": segments and segments[0]},
                               ensure_ascii=False),
                    json.dumps({"start": change.start, track.items: [track.to_json(r) for r in written],
                                "segments": segments and segments[1]}, ensure_ascii=False)))
        return written

    def _edit_in(self, track: Track, owner: int, row_id: int, version: int | None, op: str, make, **args) -> list:
        """Run a correction from ``align.project.bead_edits`` on row ``row_id`` in one transaction."""
        with self._tx(write=True) as db:
            self._revision_of(db, track, owner)
            rows, at = self._row_at(db, track, owner, row_id, version)
            change = make(rows, at, **args)
            if list(change.new) == list(rows[change.start:change.stop]):
                return []  # nothing changes (a confirmed bead confirmed again): no write, no step for undo to spend
            # The row's number as the reviewer saw it (1-based), kept with the edit: the history names it so.
            return self._record_in(db, track, owner, op, {track.noun: row_id, "number": at + 1, **args}, rows, change)

    def _row_at(self, db: sqlite3.Connection, track: Track, owner: int, row_id: int, version: int | None):
        """The owner's rows (read lazily) and the position of row ``row_id``, which must still exist and, when
        ``version`` is given, be as the reviewer saw it."""
        rows = self._read_lazily(db, track, owner)
        at = rows.position_of(row_id)
        if at is None:
            raise ConflictError(f"the {track.noun} no longer exists: it was merged, split or re-aligned elsewhere; "
                                "reload")
        if version is not None and rows[at].version != version:
            raise stale(rows[at])
        return rows, at

    def _decide_in(self, track: Track, owner: int, op: str, numbers: Sequence[int], status: str, note: str | None,
                   revision: int | None) -> list:
        """Give the beads or rows numbered ``numbers`` (1-based, as listed) ``status`` in one transaction, or none.

        The numbers are read against the rows as they are inside the transaction, so a merge made
        meanwhile cannot shift a decision onto a row nobody saw; ``revision`` (the owner's, as the
        reviewer saw it) refuses the decision if anything changed since. ``note`` None keeps each note.
        """
        with self._tx(write=True) as db:
            if revision is not None and self._revision_of(db, track, owner) != revision:
                raise ConflictError(f"{track.what} {owner} was changed since revision {revision}; list it again")
            rows = self._read(db, track, owner)
            missing = [n for n in numbers if not 1 <= n <= len(rows)]
            if missing:
                raise ProjectError(f"no {track.noun} {missing[0]}: {track.what} {owner} has {track.items} "
                                   f"1 to {len(rows)}")
            change = bead_edits.set_status_of(rows, [rows[n - 1].id for n in numbers], status, note)
            if change.start == change.stop:
                return []
            return self._record_in(db, track, owner, op,
                                   {"status": status, track.items: len(numbers), "note": note}, rows, change)

    # -- the same on a pair's beads -------------------------------------------------------

    def _bump(self, db: sqlite3.Connection, pair_id: int) -> int:
        return self._bump_in(db, PAIRS, pair_id)

    def _swap_segments(self, db: sqlite3.Connection, gone: dict, back: dict) -> None:
        """Replace the run of segments ``gone`` by ``back`` (same document and start), renumbering what follows."""
        doc, start = back["doc"], back["start"]
        removed, added = len(gone["rows"]), len(back["rows"])
        db.execute("DELETE FROM segments WHERE doc_id = ? AND idx >= ? AND idx < ?", (doc, start, start + removed))
        if added != removed:
            # Through negative numbers, so the (doc_id, idx) key never collides halfway through the update.
            db.execute("UPDATE segments SET idx = -idx - 1 WHERE doc_id = ? AND idx >= ?", (doc, start + removed))
            db.execute("UPDATE segments SET idx = -idx - 1 + ? WHERE doc_id = ? AND idx < 0", (added - removed, doc))
        db.executemany('INSERT INTO segments (doc_id, idx, text, start, "end", line, lang) VALUES (?,?,?,?,?,?,?)',
                       [(doc, start + k, *row) for k, row in enumerate(back["rows"])])
        db.execute("UPDATE documents SET version = version + 1 WHERE id = ?", (doc,))

    def _segment_run(self, db: sqlite3.Connection, doc_id: int, start: int, count: int) -> dict:
        """Segments ``start..start+count-1`` of a document, in the form history keeps them."""
        rows = [list(r) for r in db.execute('SELECT text, start, "end", line, lang FROM segments '
                                            "WHERE doc_id = ? AND idx >= ? AND idx < ? ORDER BY idx",
                                            (doc_id, start, start + count))]
        return {"doc": doc_id, "start": start, "rows": rows}

    def _record(self, db: sqlite3.Connection, pair_id: int, op: str, args: dict, rows: Sequence[BeadRow],
                change: Change, segments: tuple[dict, dict] | None = None) -> list[BeadRow]:
        return self._record_in(db, PAIRS, pair_id, op, args, rows, change, segments)

    def _edit(self, pair_id: int, bead_id: int, version: int | None, op: str, make, **args) -> list[BeadRow]:
        return self._edit_in(PAIRS, pair_id, bead_id, version, op, make, **args)

    def save_alignment(self, pair_id: int, alignment: Alignment) -> None:
        """Replace the pair's beads by an aligner's output (one undoable edit); unchanged beads keep their ids."""
        with self._tx(write=True) as db:
            self._store_alignment(db, pair_id, alignment)

    def _store_alignment(self, db: sqlite3.Connection, pair_id: int, alignment: Alignment) -> None:
        self._pair(db, pair_id)
        rows = self._beads(db, pair_id)
        self._check_cover(db, pair_id, alignment.beads)
        new = [BeadRow(None, k, b.src, b.tgt, b.score, similarity=b.similarity)
               for k, b in enumerate(alignment.beads)]
        new = self._keep_identity(rows, new)
        db.execute("UPDATE pairs SET model = ? WHERE id = ?", (alignment.model, pair_id))
        self._record(db, pair_id, "align", {"model": alignment.model}, rows, bead_edits.diff(rows, new))

    def _check_cover(self, db: sqlite3.Connection, pair_id: int, beads) -> None:
        src_doc, tgt_doc, _, _ = self._pair(db, pair_id)
        for side, doc_id in (("src", src_doc), ("tgt", tgt_doc)):
            n = db.execute("SELECT count(*) FROM segments WHERE doc_id = ?", (doc_id,)).fetchone()[0]
            ids = [i for b in beads for i in getattr(b, side)]
            if ids != list(range(n)):
                raise ProjectError(f"the alignment does not cover the {side} document's {n} segments once, in order")

    @staticmethod
    def _keep_identity(old: Sequence[BeadRow], new: Sequence[BeadRow], same_model: bool = False) -> list[BeadRow]:
        """Beads the new list shares with the old keep their id, status and note, and with the same model
        their probability: a re-alignment that reports no change to a bead leaves it as it was (a bead's
        probability had moved, down for right beads and up for wrong ones, with nothing said)."""
        by_ids = {(r.src, r.tgt): r for r in old}
        kept = []
        for row in new:
            prev = by_ids.get((row.src, row.tgt))
            if prev and same_model:
                row = replace(row, score=prev.score,
                              similarity=row.similarity if prev.similarity is None else prev.similarity)
            kept.append(replace(row, id=prev.id, status=prev.status, note=prev.note) if prev else row)
        return kept

    def realign(self, pair_id: int, encoder, keep_at: float = HIGH, better_by: float = BETTER_BY,
                **options) -> Realignment:
        """Re-align everything that is not confirmed around the confirmed beads (one undoable edit).

        Re-alignment never makes things worse: where the new path disagrees
        with the stored beads, stored beads that were all probable (``keep_at``)
        and untouched stay unless the new beads are clearly more probable
        (``better_by``; see ``align.pairing.realign``). Returns what changed, bead by bead.
        """
        from align.pairing.pipeline import align_documents  # heavy (numba); only when needed

        with self._tx() as db:  # the beads and the revision they are at, in one read
            stored, rows = self._pair(db, pair_id), self._beads(db, pair_id)
        revision, stored_model = stored.revision, stored.model
        src, tgt = self.documents(pair_id)
        fixed = [r.bead() for r in rows if r.status == "confirmed"]
        result = align_documents(src, tgt, encoder, fixed=fixed, **options)
        fresh = [BeadRow(None, k, b.src, b.tgt, b.score, similarity=b.similarity) for k, b in enumerate(result.beads)]
        if rows:
            choices = reconcile(rows, fresh, keep_at, better_by)
            new = self._keep_identity(rows, merge(rows, fresh, choices), result.model == stored_model)
            done = report(rows, fresh, new, choices)
        else:  # never aligned: everything is new
            new, done = fresh, Realignment((f"{len(fresh)} beads aligned",))
        with self._tx(write=True) as db:
            if self._pair(db, pair_id).revision != revision:
                raise ConflictError("the project changed while re-aligning; reload and re-align again")
            confirmed = {(r.src, r.tgt) for r in rows if r.status == "confirmed"}
            if not confirmed <= {(r.src, r.tgt) for r in new}:
                raise ProjectError("re-alignment moved a confirmed bead; nothing was changed")
            db.execute("UPDATE pairs SET model = ? WHERE id = ?", (result.model, pair_id))
            change = bead_edits.diff(rows, new)
            if change.start != change.stop or change.new:  # nothing changed: no history entry for undo to spend
                self._record(db, pair_id, "realign", {"model": result.model, "changes": len(done.changes),
                                                      "kept": len(done.kept)}, rows, change)
        return done


def _sentences_key(sentences: Iterable[str]) -> bytes:
    """A document's sentences, in order, as a digest: two documents of the same sentences have the same one."""
    digest = hashlib.blake2b(digest_size=16)
    for sentence in sentences:
        digest.update(sentence.encode("utf-8", "surrogatepass") + b"\x00")
    return digest.digest()


@dataclass(frozen=True)
class Patch:
    """What one write did to an ordered list of rows: ``rows[start:stop]`` became ``new`` (as written, with
    their ids, positions and versions), taking the owner to ``revision``."""

    revision: int
    start: int
    stop: int
    new: tuple

    def apply(self, rows: Sequence) -> list:
        """The rows after the write, from the rows before it (``bead_edits.apply``)."""
        return bead_edits.apply(rows, Change(self.start, self.stop, self.new))


class LazyRows(Sequence):
    """A pair's beads (or a set's rows) in order, read from the database a block at a time when looked at.

    Only valid inside the transaction that made it: positions are dense from 0,
    as ``_replace_in`` keeps them, so row ``k`` is the one at position ``k``; a
    block's cells are numbered from the counts of the rows before it
    (``Track.starts``). Iterating reads everything in one query.
    """

    BLOCK = 64

    def __init__(self, db: sqlite3.Connection, track: Track, owner: int):
        self._db, self._track, self._owner = db, track, owner
        self._select = (f"SELECT id, position, version, {', '.join(track.columns)} FROM {track.table} "
                        f"WHERE {track.key} = ?")
        self._n = db.execute(f"SELECT count(*) FROM {track.table} WHERE {track.key} = ?", (owner,)).fetchone()[0]
        self._blocks: dict[int, list] = {}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(self._n))]
        if k < 0:
            k += self._n
        if not 0 <= k < self._n:
            raise IndexError(k)
        block, offset = divmod(k, self.BLOCK)
        if block not in self._blocks:
            start = block * self.BLOCK
            self._blocks[block] = _rows(self._track, self._db.execute(
                self._select + " AND position >= ? AND position < ? ORDER BY position",
                (self._owner, start, start + self.BLOCK)), self._track.starts(self._db, self._owner, start))
        return self._blocks[block][offset]

    def __iter__(self):
        if len(self._blocks) * self.BLOCK < self._n:
            rows = _rows(self._track, self._db.execute(self._select + " ORDER BY position", (self._owner,)), None)
            self._blocks = {b: rows[b * self.BLOCK:(b + 1) * self.BLOCK] for b in range(-(-self._n // self.BLOCK))}
        for block in range(-(-self._n // self.BLOCK)):
            yield from self._blocks[block]

    def position_of(self, row_id: int) -> int | None:
        """The position of the row with id ``row_id``, None if it is not one of these rows."""
        found = self._db.execute(f"SELECT position FROM {self._track.table} WHERE id = ? AND {self._track.key} = ?",
                                 (row_id, self._owner)).fetchone()
        return None if found is None else found[0]

    def holding(self, v: int, index: int) -> int | None:
        """The position of the row whose cell ``v`` holds sentence ``index``, None if no row does."""
        size = self._track.size(v)
        found = self._db.execute(
            f"SELECT position FROM (SELECT position, {size} AS n, sum({size}) OVER (ORDER BY position) AS upto "
            f"FROM {self._track.table} WHERE {self._track.key} = ?) WHERE upto > ? AND n > 0 ORDER BY position "
            "LIMIT 1", (self._owner, index)).fetchone()
        return None if found is None else found[0]


def _rows(track: Track, found: Iterable[tuple], starts: list[int] | None) -> list:
    """Rows as stored (``id, position, version, *values``, in order), their cells numbered from ``starts``
    (each cell's first sentence; None: the first row of the owner's, all from 0)."""
    rows = []
    for values in found:
        row = track.row(starts, *values)
        starts = [cell[-1] + 1 if cell else start for start, cell in zip(starts or [0] * len(row.cells), row.cells)]
        rows.append(row)
    return rows


def open_project(name: str, folder: str | os.PathLike | None = None, create: bool = False) -> Project:
    """Project ``name`` in ``folder`` (default: ``$ALIGN_PROJECTS_DIR`` or ``./projects``), created if asked."""
    folder = default_projects_dir() if folder is None else folder
    return (Project.create if create else Project.open)(folder, name)
