"""The project store: documents, beads, review state and edit history in one SQLite file.

A project is a WAL-mode SQLite database in the projects folder. Every edit is
one ``BEGIN IMMEDIATE`` transaction that also records the beads it replaced
and the beads it wrote, which is what undo and redo put back. Each write
raises the pair's revision; a bead remembers the revision that wrote it, so an
edit made from a stale browser tab is refused with ``ConflictError`` instead
of silently overwriting what another tab saved.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator, Sequence

from . import edits
from .edits import BeadRow, Change, EditError
from .errors import AlignError
from .formats import write_alignment
from .types import Alignment, Document, Segment

SUFFIX = ".alignproject"
APPLICATION_ID = 0x416C6E31  # "Aln1": marks the file as ours, so foreign SQLite files are told apart
SCHEMA_VERSION = 1
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}")
_SQLITE_MAGIC = b"SQLite format 3\x00"

SCHEMA = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL, text TEXT NOT NULL, encoding TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1);
CREATE TABLE segments (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    line INTEGER NOT NULL, lang TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx));
CREATE TABLE pairs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    src_doc INTEGER NOT NULL REFERENCES documents(id),
    tgt_doc INTEGER NOT NULL REFERENCES documents(id),
    model TEXT NOT NULL DEFAULT '', revision INTEGER NOT NULL DEFAULT 0);
CREATE TABLE beads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, src TEXT NOT NULL, tgt TEXT NOT NULL, score REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('automatic', 'confirmed', 'rejected')),
    note TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL);
CREATE INDEX beads_by_position ON beads (pair_id, position);
CREATE TABLE edits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    op TEXT NOT NULL, args TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
CREATE INDEX edits_by_pair ON edits (pair_id, id);
"""


class ProjectError(AlignError):
    """A project cannot be created, opened or read (bad name, missing, corrupted, foreign file)."""


class ConflictError(ProjectError):
    """The edit was made from a stale view: another tab changed the bead first."""


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    op: str
    args: dict
    created: str
    undone: bool


@dataclass(frozen=True)
class PairStatus:
    beads: int
    automatic: int
    confirmed: int
    rejected: int

    @property
    def share_confirmed(self) -> float:
        return self.confirmed / self.beads if self.beads else 0.0


def project_path(folder: str | os.PathLike, name: str) -> Path:
    """The file of project ``name``, refused unless it is a plain name inside ``folder``."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or ".." in name:
        raise ProjectError(f"invalid project name {name!r}: use letters, digits, spaces, '.', '_' or '-'")
    root = Path(folder).resolve()
    path = (root / (name + SUFFIX)).resolve()
    if path.parent != root:
        raise ProjectError(f"project {name!r} would lie outside the projects folder")
    return path


def list_projects(folder: str | os.PathLike) -> list[str]:
    """Names of the projects in ``folder``, sorted."""
    root = Path(folder)
    if not root.is_dir():
        return []
    return sorted(p.name[:-len(SUFFIX)] for p in root.iterdir() if p.name.endswith(SUFFIX) and p.is_file())


def _row_json(row: BeadRow) -> dict:
    return {"id": row.id, "src": list(row.src), "tgt": list(row.tgt), "score": row.score,
            "status": row.status, "note": row.note}


def _row_from_json(d: dict) -> BeadRow:
    return BeadRow(d["id"], 0, tuple(d["src"]), tuple(d["tgt"]), d["score"], d["status"], d["note"])


class Project:
    """One open project file. Safe to share between the threads of one server."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.name = self.path.name[:-len(SUFFIX)] if self.path.name.endswith(SUFFIX) else self.path.stem
        if not self.path.is_file():
            raise ProjectError(f"{self.path}: no such project")
        with open(self.path, "rb") as f:
            head = f.read(len(_SQLITE_MAGIC))
        if head != _SQLITE_MAGIC and head:
            raise ProjectError(f"{self.path.name}: not an alignment project (not an SQLite database)")
        self._lock = threading.RLock()
        self._db = self._connect()
        try:
            app_id = self._db.execute("PRAGMA application_id").fetchone()[0]
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ProjectError(f"{self.path.name}: corrupted project file ({exc})") from None
        if app_id != APPLICATION_ID:
            self._db.close()
            raise ProjectError(f"{self.path.name}: not an alignment project (an SQLite file of another program)")
        if version != SCHEMA_VERSION:
            self._db.close()
            raise ProjectError(f"{self.path.name}: project schema {version} is not supported "
                               f"(this version reads schema {SCHEMA_VERSION})")
        # Only once the file is known to be ours: WAL mode would rewrite a foreign file's header.
        with self._lock:
            self._db.execute("PRAGMA journal_mode = WAL")

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=10, check_same_thread=False)
            db.execute("PRAGMA busy_timeout = 10000")
            # FULL: a transaction the UI reported as saved survives a power cut, not just a killed server.
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{self.path.name}: corrupted project file ({exc})") from None
        return db

    # -- creating, opening, closing -------------------------------------------------------

    @classmethod
    def create(cls, folder: str | os.PathLike, name: str) -> "Project":
        path = project_path(folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            raise ProjectError(f"project {name!r} already exists")
        db = sqlite3.connect(path, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript("BEGIN;" + SCHEMA + f"PRAGMA application_id = {APPLICATION_ID};"
                             f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        finally:
            db.close()
        return cls(path)

    @classmethod
    def open(cls, folder: str | os.PathLike, name: str) -> "Project":
        path = project_path(folder, name)
        if not path.exists():
            raise ProjectError(f"no project named {name!r}")
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
            try:
                self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise ProjectError(f"{self.path.name}: database error ({exc})") from None

    # -- documents and pairs --------------------------------------------------------------

    def _insert_document(self, db: sqlite3.Connection, doc: Document) -> int:
        doc_id = db.execute("INSERT INTO documents (name, text, encoding) VALUES (?, ?, ?)",
                            (doc.name, doc.text, doc.encoding)).lastrowid
        db.executemany('INSERT INTO segments (doc_id, idx, text, start, "end", line, lang) VALUES (?,?,?,?,?,?,?)',
                       [(doc_id, i, s.text, s.start, s.end, s.line, s.lang) for i, s in enumerate(doc.segments)])
        return doc_id

    def add_pair(self, src: Document, tgt: Document) -> int:
        """Store two documents to align with each other; returns the pair's id."""
        with self._tx(write=True) as db:
            src_id, tgt_id = self._insert_document(db, src), self._insert_document(db, tgt)
            return db.execute("INSERT INTO pairs (src_doc, tgt_doc) VALUES (?, ?)", (src_id, tgt_id)).lastrowid

    def pairs(self) -> list[tuple[int, str, str]]:
        """``(pair_id, source name, target name)`` for every pair."""
        with self._tx() as db:
            return [tuple(r) for r in db.execute(
                "SELECT p.id, s.name, t.name FROM pairs p JOIN documents s ON s.id = p.src_doc "
                "JOIN documents t ON t.id = p.tgt_doc ORDER BY p.id")]

    def _pair(self, db: sqlite3.Connection, pair_id: int) -> tuple[int, int, str, int]:
        row = db.execute("SELECT src_doc, tgt_doc, model, revision FROM pairs WHERE id = ?", (pair_id,)).fetchone()
        if row is None:
            raise ProjectError(f"no pair {pair_id} in project {self.name!r}")
        return row

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

    def revision(self, pair_id: int) -> int:
        with self._tx() as db:
            return self._pair(db, pair_id)[3]

    # -- beads ----------------------------------------------------------------------------

    def _beads(self, db: sqlite3.Connection, pair_id: int) -> list[BeadRow]:
        return [BeadRow(r[0], r[1], tuple(json.loads(r[2])), tuple(json.loads(r[3])), r[4], r[5], r[6], r[7])
                for r in db.execute("SELECT id, position, src, tgt, score, status, note, version FROM beads "
                                    "WHERE pair_id = ? ORDER BY position", (pair_id,))]

    def beads(self, pair_id: int) -> list[BeadRow]:
        with self._tx() as db:
            self._pair(db, pair_id)
            return self._beads(db, pair_id)

    def alignment(self, pair_id: int, confirmed_only: bool = False) -> Alignment:
        """The pair as an ``Alignment``, what the CLI would hold; optionally the confirmed beads only."""
        with self._tx() as db:
            src_doc, tgt_doc, model, _ = self._pair(db, pair_id)
            rows = self._beads(db, pair_id)
            src, tgt = self._document(db, src_doc), self._document(db, tgt_doc)
        beads = [r.bead() for r in rows if not confirmed_only or r.status == "confirmed"]
        return Alignment(src, tgt, beads, model)

    def export(self, pair_id: int, fmt: str, path: str | os.PathLike, confirmed_only: bool = False) -> list[str]:
        """Write the pair as ``fmt`` exactly as the CLI would; returns the writer's warnings."""
        return write_alignment(self.alignment(pair_id, confirmed_only), fmt, path)

    def status(self, pair_id: int) -> PairStatus:
        with self._tx() as db:
            self._pair(db, pair_id)
            counts = dict(db.execute("SELECT status, count(*) FROM beads WHERE pair_id = ? GROUP BY status",
                                     (pair_id,)).fetchall())
        return PairStatus(sum(counts.values()), counts.get("automatic", 0), counts.get("confirmed", 0),
                          counts.get("rejected", 0))

    def history(self, pair_id: int) -> list[HistoryEntry]:
        """Every edit of the pair, oldest first; undone ones are flagged (they are the redo stack)."""
        with self._tx() as db:
            return [HistoryEntry(r[0], r[1], json.loads(r[2]), r[3], bool(r[4])) for r in db.execute(
                "SELECT id, op, args, created, undone FROM edits WHERE pair_id = ? ORDER BY id", (pair_id,))]

    # -- writing --------------------------------------------------------------------------

    def _replace(self, db: sqlite3.Connection, pair_id: int, start: int, stop: int,
                 new: Sequence[BeadRow], revision: int) -> list[BeadRow]:
        """Put ``new`` where positions ``start:stop`` were; returns the written rows with their ids."""
        db.execute("DELETE FROM beads WHERE pair_id = ? AND position >= ? AND position < ?", (pair_id, start, stop))
        delta = len(new) - (stop - start)
        if delta:
            db.execute("UPDATE beads SET position = position + ? WHERE pair_id = ? AND position >= ?",
                       (delta, pair_id, stop))
        written = []
        for k, row in enumerate(new):
            cur = db.execute("INSERT INTO beads (id, pair_id, position, src, tgt, score, status, note, version) "
                             "VALUES (?,?,?,?,?,?,?,?,?)",
                             (row.id, pair_id, start + k, json.dumps(list(row.src)), json.dumps(list(row.tgt)),
                              float(row.score), row.status, row.note, revision))
            written.append(replace(row, id=cur.lastrowid, position=start + k, version=revision))
        return written

    def _bump(self, db: sqlite3.Connection, pair_id: int) -> int:
        db.execute("UPDATE pairs SET revision = revision + 1 WHERE id = ?", (pair_id,))
        return self._pair(db, pair_id)[3]

    def _segment_texts(self, db: sqlite3.Connection, changes: Sequence[Sequence]) -> None:
        for doc_id, idx, text in changes:
            db.execute("UPDATE segments SET text = ? WHERE doc_id = ? AND idx = ?", (text, doc_id, idx))
            db.execute("UPDATE documents SET version = version + 1 WHERE id = ?", (doc_id,))

    def _record(self, db: sqlite3.Connection, pair_id: int, op: str, args: dict, rows: Sequence[BeadRow],
                change: Change, segments_before: Sequence = (), segments_after: Sequence = ()) -> list[BeadRow]:
        """Apply ``change`` and remember it for undo; a new edit forgets what could be redone."""
        revision = self._bump(db, pair_id)
        before = [_row_json(r) for r in rows[change.start:change.stop]]
        self._segment_texts(db, segments_after)
        written = self._replace(db, pair_id, change.start, change.stop, change.new, revision)
        db.execute("DELETE FROM edits WHERE pair_id = ? AND undone = 1", (pair_id,))
        db.execute("INSERT INTO edits (pair_id, op, args, before, after) VALUES (?, ?, ?, ?, ?)",
                   (pair_id, op, json.dumps(args, ensure_ascii=False),
                    json.dumps({"start": change.start, "beads": before, "segments": list(segments_before)},
                               ensure_ascii=False),
                    json.dumps({"start": change.start, "beads": [_row_json(r) for r in written],
                                "segments": list(segments_after)}, ensure_ascii=False)))
        return written

    def _edit(self, pair_id: int, bead_id: int, version: int | None, op: str, make, **args) -> list[BeadRow]:
        """Run a correction from ``align.edits`` on bead ``bead_id`` in one transaction."""
        with self._tx(write=True) as db:
            self._pair(db, pair_id)
            rows = self._beads(db, pair_id)
            at = next((r.position for r in rows if r.id == bead_id), None)
            if at is None:
                raise ConflictError(f"bead {bead_id} no longer exists: it was changed in another tab; reload")
            if version is not None and rows[at].version != version:
                raise ConflictError(f"bead {bead_id} was changed in another tab; reload")
            change = make(rows, at, **args)
            if change.start == change.stop and not change.new:
                return []
            return self._record(db, pair_id, op, {"bead": bead_id, **args}, rows, change)

    def save_alignment(self, pair_id: int, alignment: Alignment) -> None:
        """Replace the pair's beads by an aligner's output (one undoable edit); unchanged beads keep their ids."""
        with self._tx(write=True) as db:
            self._pair(db, pair_id)
            rows = self._beads(db, pair_id)
            self._check_cover(db, pair_id, alignment.beads)
            new = [BeadRow(None, k, b.src, b.tgt, b.score) for k, b in enumerate(alignment.beads)]
            new = self._keep_identity(rows, new)
            db.execute("UPDATE pairs SET model = ? WHERE id = ?", (alignment.model, pair_id))
            self._record(db, pair_id, "align", {"model": alignment.model}, rows, edits.diff(rows, new))

    def _check_cover(self, db: sqlite3.Connection, pair_id: int, beads) -> None:
        src_doc, tgt_doc, _, _ = self._pair(db, pair_id)
        for side, doc_id in (("src", src_doc), ("tgt", tgt_doc)):
            n = db.execute("SELECT count(*) FROM segments WHERE doc_id = ?", (doc_id,)).fetchone()[0]
            ids = [i for b in beads for i in getattr(b, side)]
            if ids != list(range(n)):
                raise ProjectError(f"the alignment does not cover the {side} document's {n} segments once, in order")

    @staticmethod
    def _keep_identity(old: Sequence[BeadRow], new: Sequence[BeadRow]) -> list[BeadRow]:
        """Beads the new list shares with the old keep their id, status and note."""
        by_ids = {(r.src, r.tgt): r for r in old}
        kept = []
        for row in new:
            prev = by_ids.get((row.src, row.tgt))
            kept.append(replace(row, id=prev.id, status=prev.status, note=prev.note) if prev else row)
        return kept

    def realign(self, pair_id: int, encoder, **options) -> None:
        """Re-align everything that is not confirmed around the confirmed beads (one undoable edit)."""
        from .pipeline import align_documents  # heavy (numba); only when needed

        rows = self.beads(pair_id)
        revision = self.revision(pair_id)
        src, tgt = self.documents(pair_id)
        fixed = [r.bead() for r in rows if r.status == "confirmed"]
        result = align_documents(src, tgt, encoder, fixed=fixed, **options)
        with self._tx(write=True) as db:
            if self._pair(db, pair_id)[3] != revision:
                raise ConflictError("the project changed while re-aligning; reload and re-align again")
            new = [BeadRow(None, k, b.src, b.tgt, b.score) for k, b in enumerate(result.beads)]
            new = self._keep_identity(rows, new)
            confirmed = {(r.src, r.tgt) for r in rows if r.status == "confirmed"}
            if not confirmed <= {(r.src, r.tgt) for r in new}:
                raise ProjectError("re-alignment moved a confirmed bead; nothing was changed")
            db.execute("UPDATE pairs SET model = ? WHERE id = ?", (result.model, pair_id))
            self._record(db, pair_id, "realign", {"model": result.model}, rows, edits.diff(rows, new))

    # -- corrections ----------------------------------------------------------------------

    def merge_next(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "merge_next", edits.merge, direction="next")

    def merge_prev(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "merge_prev", edits.merge, direction="prev")

    def split(self, pair_id: int, bead_id: int, src_at: int, tgt_at: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "split", edits.split, src_at=src_at, tgt_at=tgt_at)

    def pop(self, pair_id: int, bead_id: int, side: str, to: str = "next", version: int | None = None) -> list[BeadRow]:
        """Move this bead's edge sentence on ``side`` into the ``to`` neighbour."""
        return self._edit(pair_id, bead_id, version, "pop", edits.move, side=side, to=to)

    def shift(self, pair_id: int, bead_id: int, side: str, from_: str = "next",
              version: int | None = None) -> list[BeadRow]:
        """Pull the nearest sentence on ``side`` of the ``from_`` neighbour into this bead."""
        return self._edit(pair_id, bead_id, version, "shift", edits.pull, side=side, from_=from_)

    def insert_empty(self, pair_id: int, bead_id: int, side: str, which: str = "last",
                     version: int | None = None) -> list[BeadRow]:
        """Give this bead's ``which`` sentence on ``side`` a bead of its own with an empty counterpart."""
        return self._edit(pair_id, bead_id, version, "insert_empty", edits.detach, side=side, which=which)

    def confirm(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "confirm", edits.set_status, status="confirmed")

    def reject(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "reject", edits.set_status, status="rejected")

    def unconfirm(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "unconfirm", edits.set_status, status="automatic")

    def confirm_up_to(self, pair_id: int, bead_id: int, version: int | None = None) -> list[BeadRow]:
        """Confirm every automatic bead from the top down to this one."""
        return self._edit(pair_id, bead_id, version, "confirm_up_to", edits.confirm_up_to)

    def set_note(self, pair_id: int, bead_id: int, note: str, version: int | None = None) -> list[BeadRow]:
        return self._edit(pair_id, bead_id, version, "set_note", edits.set_note, note=note)

    def edit_segment_text(self, pair_id: int, side: str, index: int, text: str,
                          version: int | None = None) -> list[BeadRow]:
        """Correct the text of one segment (a typo, an OCR error); the bead holding it is rewritten.

        ``version`` is that bead's. Splitting or joining segments is not supported yet.
        """
        if side not in edits.SIDES:
            raise EditError(f"side must be 'src' or 'tgt', not {side!r}")
        if not text.strip():
            raise EditError("a segment cannot be empty; merge or remove it instead")
        with self._tx(write=True) as db:
            src_doc, tgt_doc, _, _ = self._pair(db, pair_id)
            doc_id = src_doc if side == "src" else tgt_doc
            old = db.execute("SELECT text FROM segments WHERE doc_id = ? AND idx = ?", (doc_id, index)).fetchone()
            if old is None:
                raise EditError(f"no {side} segment {index}")
            rows = self._beads(db, pair_id)
            at = next((r.position for r in rows if index in r.side(side)), None)
            if at is None:
                raise ProjectError(f"{side} segment {index} is in no bead; align the pair first")
            if version is not None and rows[at].version != version:
                raise ConflictError(f"bead {rows[at].id} was changed in another tab; reload")
            change = Change(at, at + 1, (rows[at],))
            return self._record(db, pair_id, "edit_segment_text", {"side": side, "index": index, "text": text},
                                rows, change, [(doc_id, index, old[0])], [(doc_id, index, text)])

    # -- undo and redo --------------------------------------------------------------------

    def undo(self, pair_id: int, revision: int | None = None) -> bool:
        """Take back the latest edit; False when there is nothing to undo."""
        return self._step(pair_id, revision, undo=True)

    def redo(self, pair_id: int, revision: int | None = None) -> bool:
        """Apply again the latest undone edit; False when there is nothing to redo."""
        return self._step(pair_id, revision, undo=False)

    def _step(self, pair_id: int, revision: int | None, undo: bool) -> bool:
        with self._tx(write=True) as db:
            current = self._pair(db, pair_id)[3]
            if revision is not None and revision != current:
                raise ConflictError("the project was changed in another tab; reload before undoing")
            sql = ("SELECT id, before, after FROM edits WHERE pair_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1"
                   if undo else
                   "SELECT id, before, after FROM edits WHERE pair_id = ? AND undone = 1 ORDER BY id LIMIT 1")
            found = db.execute(sql, (pair_id,)).fetchone()
            if found is None:
                return False
            edit_id, before, after = found[0], json.loads(found[1]), json.loads(found[2])
            gone, back = (after, before) if undo else (before, after)
            start, stop = gone["start"], gone["start"] + len(gone["beads"])
            present = [r.id for r in self._beads(db, pair_id)[start:stop]]
            if present != [b["id"] for b in gone["beads"]]:
                raise ConflictError("the beads no longer match the history; reload")
            new_revision = self._bump(db, pair_id)
            self._segment_texts(db, back["segments"])
            self._replace(db, pair_id, start, stop, [_row_from_json(b) for b in back["beads"]], new_revision)
            db.execute("UPDATE edits SET undone = ? WHERE id = ?", (1 if undo else 0, edit_id))
            return True
