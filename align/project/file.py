"""The project file: where projects live, how they are named, and the schema inside.

Kept apart from ``store`` so that what a project file *is* (a plain name in
the projects folder, an SQLite database marked with our application id)
reads in one place, and the store reads as the operations on it.
"""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from align.errors import AlignError

SUFFIX = ".alignproject"
APPLICATION_ID = 0x416C6E31  # "Aln1": marks the file as ours, so foreign SQLite files are told apart
SCHEMA_VERSION = 5
MAX_NAME = 100
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _edit_log(table: str, owner: str, owners: str, index: str) -> str:
    """The undo history of a pair's beads or a set's rows: each edit's operation and the rows before and after."""
    return f"""CREATE TABLE {table} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {owner} INTEGER NOT NULL REFERENCES {owners}(id) ON DELETE CASCADE,
    op TEXT NOT NULL, args TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
CREATE INDEX {index} ON {table} ({owner}, id);
"""


# Schema 4: a version set is N documents in order and the rows that link them all (``cells`` holds
# each version's sentence indices as JSON), kept like a pair's beads: a revision raised by every
# write, the revision that wrote each row, and an undo history of its own.
VERSION_SETS = """
CREATE TABLE version_sets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL, model TEXT NOT NULL DEFAULT '', revision INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE set_documents (
    set_id INTEGER NOT NULL REFERENCES version_sets(id) ON DELETE CASCADE,
    slot INTEGER NOT NULL, doc_id INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (set_id, slot));
CREATE TABLE set_rows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    set_id INTEGER NOT NULL REFERENCES version_sets(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, cells TEXT NOT NULL, score REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('automatic', 'confirmed', 'rejected')),
    note TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL,
    conflict TEXT NOT NULL DEFAULT '');
CREATE INDEX set_rows_by_position ON set_rows (set_id, position);
""" + _edit_log("set_edits", "set_id", "version_sets", "set_edits_by_set")

# The tables as schema 4 made them. A new project is made from them and brought up to SCHEMA_VERSION by
# the migrations, as an old file is, so both end in one layout.
SCHEMA_BASE_VERSION = 4
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
    model TEXT NOT NULL DEFAULT '', revision INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE beads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, src TEXT NOT NULL, tgt TEXT NOT NULL, score REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('automatic', 'confirmed', 'rejected')),
    note TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL,
    similarity REAL);
CREATE INDEX beads_by_position ON beads (pair_id, position);
""" + _edit_log("edits", "pair_id", "pairs", "edits_by_pair") + VERSION_SETS

# What turns a project file of schema N into schema N+1, run in one transaction when it is opened.
# Schema 2: beads keep the centred cosine of their two sides (NULL where not known), apart from
# ``score``, which became the probability that the bead is exactly right.
MIGRATIONS = {
    1: "ALTER TABLE beads ADD COLUMN similarity REAL;",
    # Schema 3: a deleted pair is hidden, not dropped, so it can be restored.
    2: "ALTER TABLE pairs ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;",
    # Schema 4: version sets (3+ versions in common rows), added beside the pairs, which stay as they are.
    3: VERSION_SETS,
    # Schema 5: a bead keeps how many sentences of each side it holds, a set's row how many of each version
    # (``sizes``), not their indices. Every sentence lies in one bead (row), in order, so the indices are
    # those counts summed from the first bead: splitting or typing a sentence changes one bead, where
    # stored indices had every later bead rewritten.
    4: """
ALTER TABLE beads ADD COLUMN n_src INTEGER NOT NULL DEFAULT 0;
ALTER TABLE beads ADD COLUMN n_tgt INTEGER NOT NULL DEFAULT 0;
UPDATE beads SET n_src = json_array_length(src), n_tgt = json_array_length(tgt);
ALTER TABLE beads DROP COLUMN src;
ALTER TABLE beads DROP COLUMN tgt;
ALTER TABLE set_rows ADD COLUMN sizes TEXT NOT NULL DEFAULT '[]';
UPDATE set_rows SET sizes = (SELECT json_group_array(json_array_length(value)) FROM json_each(set_rows.cells));
ALTER TABLE set_rows DROP COLUMN cells;
""",
}


def upgrade(db, version: int) -> None:
    """Run the migrations that take the open transaction's file from schema ``version`` to SCHEMA_VERSION."""
    while version < SCHEMA_VERSION:
        for statement in filter(str.strip, MIGRATIONS[version].split(";")):
            db.execute(statement)
        version += 1
        db.execute(f"PRAGMA user_version = {version}")


class ProjectError(AlignError):
    """A project cannot be created, opened or read (bad name, missing, corrupted, foreign file)."""


class ConflictError(ProjectError):
    """The edit was made from a stale view: another tab changed the bead first."""


# Set by `align workbench --project NAME`: the project the workbench opens first.
OPEN_PROJECT_ENV = "ALIGN_OPEN_PROJECT"


def default_projects_dir() -> Path:
    """Where projects live unless told otherwise: ``$ALIGN_PROJECTS_DIR``, else ``./projects``."""
    return Path(os.environ.get("ALIGN_PROJECTS_DIR", "projects"))


def _plain_name(name: object) -> bool:
    """A name that is only a name: letters of any alphabet (with their accents and vowel signs: Übersetzung,
    अनुवाद, 翻訳), digits, spaces, '.', '_' and '-', never a path (no '/', no '..')."""
    return isinstance(name, str) and 0 < len(name) <= MAX_NAME and name[0].isalnum() and ".." not in name \
        and all(c.isalnum() or unicodedata.category(c).startswith("M") or c in " ._-" for c in name)


def project_path(folder: str | os.PathLike, name: str) -> Path:
    """The file of project ``name``, refused unless it is a plain name inside ``folder``."""
    if not _plain_name(name):
        raise ProjectError(f"invalid project name {name!r}: use letters, digits, spaces, '.', '_' or '-', "
                           f"a letter or digit first, {MAX_NAME} characters at most")
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
