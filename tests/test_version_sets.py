"""Version sets: 3+ versions kept as one object, rows across all of them, views and exports derived from the rows."""
import csv
import io
import json
import sqlite3

import pytest
from conftest import FakeEncoder, make_document

from align.formats.tmx import read_tmx
from align.pairing.multi import MultiAlignment, Row
from align.project.bead_edits import EditError
from align.project.export import export_project
from align.project.imports import import_documents
from align.project.store import ConflictError, Project, ProjectError
from align.types import Alignment, Bead

EN = ["One cat.", "Two dogs.", "Three birds.", "Four fish.", "Five cows."]
JA = ["猫が一匹。", "犬が二匹。", "鳥が三羽。", "魚が四匹。"]  # no fifth sentence
RU = ["Одна кошка.", "Две собаки.", "Три птицы.", "Четыре рыбы.", "Пять коров.", "Примечание переводчика."]

# en, ja, ru sentence ids per row: ja lacks the cows, ru adds a translator's note of its own.
CELLS = [((0,), (0,), (0,)), ((1,), (1,), (1,)), ((2,), (2,), (2,)), ((3,), (3,), (3,)),
         ((4,), (), (4,)), ((), (), (5,))]


@pytest.fixture
def versions():
    docs = [make_document("text.en.txt", EN, "en"), make_document("text.ja.txt", JA, "ja"),
            make_document("text.ru.txt", RU, "ru")]
    rows = [Row(cells, 0.9 - 0.1 * k) for k, cells in enumerate(CELLS)]
    rows[4] = Row(CELLS[4], 0.4, True, "en↔ja left it unaligned")
    return MultiAlignment(docs, rows, model="fake")


@pytest.fixture
def project(tmp_path, versions):
    p = Project.create(tmp_path, "three")
    set_id = p.add_version_set(versions)
    yield p, set_id
    p.close()


def cells(p, set_id):
    return [row.cells for row in p.rows(set_id)]


def view(p, set_id, a, b):
    return [(bead.src, bead.tgt) for bead in p.pair_view(set_id, a, b).beads]


def test_a_set_is_one_object_with_its_documents_in_order_and_its_rows(project):
    p, set_id = project
    (info,) = p.version_sets()
    assert (info.id, info.name, info.languages) == (set_id, "text.en.txt / text.ja.txt / text.ru.txt",
                                                    ("en", "ja", "ru"))
    assert info.labels == ["en", "ja", "ru"] and info.version("ru") == 2 and info.version("1") == 1
    with pytest.raises(ProjectError, match="no version 'fr'"):
        info.version("fr")
    assert [doc.name for doc in p.version_documents(set_id)] == ["text.en.txt", "text.ja.txt", "text.ru.txt"]
    assert [len(doc) for doc in p.version_documents(set_id)] == [5, 4, 6]
    rows = p.rows(set_id)
    assert [row.cells for row in rows] == CELLS
    assert [row.position for row in rows] == list(range(6))
    assert rows[0].score == pytest.approx(0.9) and rows[0].status == "automatic" and rows[0].note == ""
    assert rows[4].conflict == "en↔ja left it unaligned" and rows[0].conflict == ""
    assert len({row.version for row in rows}) == 1
    assert p.version_set_status(set_id).beads == 6
    assert p.pairs() == []  # one set, not pairs against the first version
    with pytest.raises(ProjectError, match="no version set 9"):
        p.rows(9)


def test_rows_that_miss_a_sentence_are_refused(tmp_path, versions):
    versions.rows = versions.rows[:-1]  # the translator's note is in no row
    with Project.create(tmp_path, "bad") as p:
        with pytest.raises(ProjectError, match="do not cover the 6 sentences of text.ru.txt"):
            p.add_version_set(versions)
        assert p.version_sets() == []


def test_any_two_versions_are_a_pair_view_derived_from_the_rows(project):
    p, set_id = project
    ja_ru = p.pair_view(set_id, 1, 2)
    assert (ja_ru.src.name, ja_ru.tgt.name) == ("text.ja.txt", "text.ru.txt")
    # Every row with text in ja or ru, in order: the cows have no ja, the note is ru's own.
    assert [(b.src, b.tgt) for b in ja_ru.beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,)),
                                                     ((), (4,)), ((), (5,))]
    assert ja_ru.texts(ja_ru.beads[2]) == ("鳥が三羽。", "Три птицы.")
    # The row behind each bead, for corrections made in the view.
    assert [row.position for row in p.pair_view_rows(set_id, 1, 2)] == [0, 1, 2, 3, 4, 5]
    assert [row.position for row in p.pair_view_rows(set_id, 0, 1)] == [0, 1, 2, 3, 4]  # the note is ru only
    assert view(p, set_id, 0, 1)[-1] == ((4,), ())
    with pytest.raises(ProjectError, match="two different versions"):
        p.pair_view(set_id, 1, 1)
    with pytest.raises(ProjectError, match="versions 0 to 2"):
        p.pair_view(set_id, 0, 3)


def test_a_merge_made_in_the_en_ja_view_is_a_merge_of_the_row_and_reaches_en_ru(project):
    p, set_id = project
    en_ja = p.pair_view_rows(set_id, 0, 1)
    p.merge_row(set_id, en_ja[1].id, "next", en_ja[1].version, seen_from=(0, 1))
    assert view(p, set_id, 0, 1)[1] == ((1, 2), (1, 2))
    assert view(p, set_id, 0, 2)[1] == ((1, 2), (1, 2))  # en↔ru sees the same merge
    assert view(p, set_id, 1, 2)[1] == ((1, 2), (1, 2))
    merged = p.rows(set_id)[1]
    assert merged.status == "confirmed"  # a row made by hand is the reviewer's decision
    assert merged.score == pytest.approx(0.7)  # the lower of the two
    # In the en↔ja view the row after the cows is the end; the ru-only note is not shown there.
    last = p.pair_view_rows(set_id, 0, 1)[-1]
    with pytest.raises(EditError, match="no next row with text in those versions"):
        p.merge_row(set_id, last.id, seen_from=(0, 1))


def test_a_merge_in_a_view_takes_in_the_rows_between_that_the_view_does_not_show(tmp_path, versions):
    versions.rows[4:] = [Row(((), (), (4,)), 0.5), Row(((4,), (), (5,)), 0.5)]  # the ru note comes before the cows
    with Project.create(tmp_path, "between") as p:
        set_id = p.add_version_set(versions)
        en_ja = p.pair_view_rows(set_id, 0, 1)
        assert [row.position for row in en_ja] == [0, 1, 2, 3, 5]
        p.merge_row(set_id, en_ja[3].id, "next", seen_from=(0, 1))  # the fish with the cows, as en↔ja shows them
        assert cells(p, set_id)[3:] == [((3, 4), (3,), (3, 4, 5))]


def test_split_move_and_detach_reach_every_version_and_undo_puts_them_back(project):
    p, set_id = project
    p.merge_row(set_id, p.rows(set_id)[1].id)  # rows 1 and 2 as one: [1, 2]:[1, 2]:[1, 2]
    merged = cells(p, set_id)
    row = p.rows(set_id)[1]
    p.split_row(set_id, row.id, [1, 2, 1], row.version)
    assert cells(p, set_id)[1:3] == [((1,), (1, 2), (1,)), ((2,), (), (2,))]
    assert p.rows(set_id)[1].id == row.id  # the first half keeps the row's id
    assert p.undo_set(set_id) and cells(p, set_id) == merged
    assert p.redo_set(set_id) and cells(p, set_id)[1:3] == [((1,), (1, 2), (1,)), ((2,), (), (2,))]
    assert p.undo_set(set_id)

    row = p.rows(set_id)[1]
    p.move_sentence(set_id, row.id, 1, "next", row.version)  # ja's last sentence to the next row
    assert cells(p, set_id)[1:3] == [((1, 2), (1,), (1, 2)), ((3,), (2, 3), (3,))]
    assert p.undo_set(set_id) and cells(p, set_id) == merged

    row = p.rows(set_id)[1]
    p.detach_sentence(set_id, row.id, 2, "last", row.version)  # ru's last sentence into a row of its own
    assert cells(p, set_id)[1:3] == [((1, 2), (1, 2), (1,)), ((), (), (2,))]
    assert p.undo_set(set_id) and p.undo_set(set_id)
    assert cells(p, set_id) == CELLS
    # Each new edit forgot what could be redone: the split and the move are gone, merge and detach undone.
    assert [(entry.op, entry.undone) for entry in p.set_history(set_id)] == [
        ("align", False), ("merge_row", True), ("detach_sentence", True)]

    with pytest.raises(EditError, match="each side of the cut"):
        p.split_row(set_id, p.rows(set_id)[0].id, [0, 0, 0])
    with pytest.raises(EditError, match="cannot split"):
        p.split_row(set_id, p.rows(set_id)[0].id, [1, 1])
    with pytest.raises(EditError, match="not one of the versions looked at"):
        p.move_sentence(set_id, p.rows(set_id)[0].id, 2, seen_from=(0, 1))
    with pytest.raises(EditError, match="no next row"):
        p.merge_row(set_id, p.rows(set_id)[-1].id)
    assert cells(p, set_id) == CELLS  # refused corrections change nothing


def test_decisions_and_notes_on_rows_are_undoable_edits(project):
    p, set_id = project
    rows = p.rows(set_id)
    p.decide_row(set_id, rows[0].id, "confirmed", version=rows[0].version)
    p.decide_row(set_id, rows[4].id, "rejected", "ja is missing the cows")
    p.set_row_note(set_id, rows[1].id, "check the plural")
    assert [(r.status, r.note) for r in p.rows(set_id)[:2]] == [("confirmed", ""), ("automatic", "check the plural")]
    assert (p.rows(set_id)[4].status, p.rows(set_id)[4].note) == ("rejected", "ja is missing the cows")
    p.decide_rows(set_id, [2, 3], "confirmed")  # numbers as listed, one edit
    assert p.version_set_status(set_id).confirmed == 3
    assert p.undo_set(set_id) and p.version_set_status(set_id).confirmed == 1
    with pytest.raises(ProjectError, match="no row 7"):
        p.decide_rows(set_id, [1, 7], "confirmed")
    with pytest.raises(EditError, match="status must be"):
        p.decide_row(set_id, rows[0].id, "great")
    assert p.rows(set_id)[0].status == "confirmed"


def test_an_edit_from_a_stale_read_is_a_conflict(tmp_path, project):
    p, set_id = project
    seen = p.rows(set_id)
    with Project.open(tmp_path, "three") as other:  # another tab
        other.decide_row(set_id, seen[2].id, "confirmed")
    with pytest.raises(ConflictError, match=r"^row 3 \(sentences 3 · 3 · 3\) was changed elsewhere since you read it"):
        p.merge_row(set_id, seen[2].id, version=seen[2].version)
    with pytest.raises(ConflictError, match="was changed since revision"):
        p.decide_rows(set_id, [1], "rejected", revision=seen[0].version)
    p.merge_row(set_id, seen[0].id, version=seen[0].version)  # row 1 was not touched: fine
    with pytest.raises(ConflictError, match="the row no longer exists"):
        p.decide_row(set_id, seen[1].id, "confirmed", version=seen[1].version)  # merged into row 1
    with pytest.raises(ConflictError, match="reload before undoing"):
        p.undo_set(set_id, revision=seen[0].version)
    assert p.rows(set_id)[1].status == "confirmed"  # nothing of the refused edits was written


def test_three_language_tmx_has_one_tu_per_row_with_one_tuv_per_language(tmp_path, project):
    p, set_id = project
    p.merge_row(set_id, p.rows(set_id)[2].id)  # the birds and the fish as one row
    p.set_row_note(set_id, p.rows(set_id)[1].id, "dogs: <plural> & counted")
    done = export_project(p, "tmx", tmp_path / "three.tmx", set_id=set_id)
    assert (done.kept, done.considered, done.warnings) == (5, 5, [])
    units = list(read_tmx(tmp_path / "three.tmx"))
    # One unit per row with text in two versions or more: the ru-only note is no translation unit.
    assert [u.props["x-row"] for u in units] == ["1", "2", "3", "4"]
    assert [sorted(u.variants) for u in units] == [["en", "ja", "ru"]] * 3 + [["en", "ru"]]
    assert units[2].variants == {"en": "Three birds. Four fish.", "ja": "鳥が三羽。魚が四匹。",
                                 "ru": "Три птицы. Четыре рыбы."}
    # Each row's decision and note go with it, as a bead's do: nothing a reviewer wrote is lost.
    assert [u.props["x-status"] for u in units] == ["automatic", "automatic", "confirmed", "automatic"]
    assert [u.notes for u in units] == [(), ("dogs: <plural> & counted",), (), ()]
    # Confirmed rows only (the merged row 3 is one): each keeps its number in the set, as a pair's beads do.
    p.decide_rows(set_id, [2], "confirmed")
    out = io.BytesIO()
    assert export_project(p, "tmx", out, set_id=set_id, confirmed_only=True).considered == 2
    (path := tmp_path / "confirmed.tmx").write_bytes(out.getvalue())
    assert [(u.props["x-row"], u.variants["ja"]) for u in read_tmx(path)] == [("2", "犬が二匹。"),
                                                                              ("3", "鳥が三羽。魚が四匹。")]


def test_tables_have_one_line_per_row_and_a_column_per_version(project):
    p, set_id = project
    out = io.BytesIO()
    export_project(p, "tsv", out, set_id=set_id)
    lines = out.getvalue().decode("utf-8").splitlines()
    # Rows from a project carry their status and note, as a pair's beads do: a reviewer's work goes with them.
    assert lines[0].split("\t") == ["row", "en", "ja", "ru", "ids", "score", "conflict", "status", "note"]
    assert len(lines) == 1 + len(CELLS)
    assert lines[5].split("\t")[1:5] == ["Five cows.", "", "Пять коров.", "[4]:[]:[4]"]
    rows = p.rows(set_id)
    p.decide_row(set_id, rows[1].id, "confirmed", "checked by Anna")
    p.decide_row(set_id, rows[2].id, "rejected", "=ru wrong")
    out = io.BytesIO()
    export_project(p, "csv", out, set_id=set_id)
    table = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert [(r["row"], r["status"], r["note"]) for r in table[:4]] == [
        ("1", "automatic", ""), ("2", "confirmed", "checked by Anna"), ("3", "rejected", "'=ru wrong"),
        ("4", "automatic", "")]  # a note that a spreadsheet would run as a formula is quoted
    out = io.BytesIO()
    export_project(p, "jsonl", out, set_id=set_id, confirmed_only=True)
    assert [(r["row"], r["status"], r["note"]) for r in map(json.loads, out.getvalue().splitlines())] == [
        (2, "confirmed", "checked by Anna")]  # its number in the set, not 1
    out = io.BytesIO()
    export_project(p, "beads", out, set_id=set_id)
    assert out.getvalue().decode().splitlines()[-2:] == ["[4]:[]:[4]", "[]:[]:[5]"]


def test_the_whole_project_holds_sets_in_tmx_and_says_it_leaves_them_out_of_tables(tmp_path, project):
    p, set_id = project
    en, fr = make_document("en.txt", EN, "en"), make_document("fr.txt", [s.lower() for s in EN], "fr")
    p.add_alignments([Alignment(en, fr, [Bead((i,), (i,), 0.9) for i in range(5)], "fake")])
    done = export_project(p, "tmx", tmp_path / "all.tmx")
    assert (done.considered, done.warnings) == (5 + 6, [])
    units = list(read_tmx(tmp_path / "all.tmx"))
    assert [u.props.get("x-pair") for u in units[:5]] == ["1"] * 5
    assert [u.props.get("x-set") for u in units[5:]] == [str(set_id)] * 5
    assert sorted(units[5].variants) == ["en", "ja", "ru"]
    out = io.BytesIO()
    done = export_project(p, "csv", out)
    assert done.considered == 5
    assert done.warnings == [(f"version set {set_id} (en, ja, ru) left out: a table of pairs has no column per "
                              f"version; export it on its own with --set {set_id}")]


def test_importing_three_versions_stores_one_set_in_one_transaction(tmp_path):
    docs = [make_document("a.en.txt", EN, "en"), make_document("a.fr.txt", [s.lower() for s in EN], "fr"),
            make_document("a.de.txt", [s.upper() for s in EN], "de")]
    with Project.create(tmp_path, "import") as p:
        done = import_documents(p, docs, FakeEncoder())
        assert done.pairs == [] and len(done.version_sets) == 1
        (set_id,) = done.version_sets
        assert p.version_set(set_id).languages == ("en", "fr", "de")
        assert cells(p, set_id) == [((i,), (i,), (i,)) for i in range(5)]
        assert view(p, set_id, 1, 2) == [((i,), (i,)) for i in range(5)]  # fr↔de, never aligned as a pair
        assert [entry.op for entry in p.set_history(set_id)] == ["align"]


def as_schema_4(path) -> None:
    """Turn a project file back into what schema 4 stored: each bead's and set row's sentence ids as JSON lists
    (schema 5 keeps how many each cell holds)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.execute("ALTER TABLE beads ADD COLUMN src TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE beads ADD COLUMN tgt TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE set_rows ADD COLUMN cells TEXT NOT NULL DEFAULT '[]'")
    for table, owner, read, write in (("beads", "pair_id", "json_array(n_src, n_tgt)", "src = ?, tgt = ?"),
                                      ("set_rows", "set_id", "sizes", "cells = ?")):
        starts = {}
        for row_id, key, sizes in db.execute(f"SELECT id, {owner}, {read} FROM {table} ORDER BY {owner}, position")\
                .fetchall():
            sizes, first = json.loads(sizes), starts.get(key) or [0] * len(json.loads(sizes))
            cells = [list(range(start, start + n)) for start, n in zip(first, sizes)]
            starts[key] = [start + n for start, n in zip(first, sizes)]
            values = [json.dumps(cell) for cell in cells] if table == "beads" else [json.dumps(cells)]
            db.execute(f"UPDATE {table} SET {write} WHERE id = ?", (*values, row_id))
    for column in ("beads DROP COLUMN n_src", "beads DROP COLUMN n_tgt", "set_rows DROP COLUMN sizes"):
        db.execute(f"ALTER TABLE {column}")
    db.execute("PRAGMA user_version = 4")
    db.execute("COMMIT")
    db.close()


def test_a_schema_4_project_migrates_to_sentence_counts_and_reads_and_edits_as_before(tmp_path, versions):
    from align.project.file import SCHEMA_VERSION

    with Project.create(tmp_path, "old") as p:
        set_id = p.add_version_set(versions)
        pair = p.add_alignments([Alignment(versions.docs[0], versions.docs[2], versions.pair_beads(0, 2))])[0]
        p.merge_row(set_id, p.rows(set_id)[1].id)
        p.edit_version_text(set_id, 2, 0, "Одна.\nКошка.")
        rows, beads = p.rows(set_id), p.beads(pair)
    as_schema_4(tmp_path / "old.alignproject")
    old = sqlite3.connect(tmp_path / "old.alignproject")
    assert old.execute("SELECT cells FROM set_rows ORDER BY position").fetchall()[:2] == [("[[0], [0], [0, 1]]",),
                                                                                        ("[[1, 2], [1, 2], [2, 3]]",)]
    old.close()
    with Project.open(tmp_path, "old") as p:
        assert p.rows(set_id) == rows and p.beads(pair) == beads
        assert p.undo_set(set_id) and p.undo_set(set_id) and cells(p, set_id) == CELLS  # history from before
        p.split(pair, p.beads(pair)[0].id, 1, 0)
    check = sqlite3.connect(tmp_path / "old.alignproject")
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    assert [json.loads(sizes) for (sizes,) in check.execute("SELECT sizes FROM set_rows ORDER BY position")] == [
        [len(cell) for cell in row] for row in CELLS]  # as migrated (json_group_array), the undone edits undone
    check.close()


def test_a_schema_3_project_migrates_and_versions_stored_as_pairs_keep_working(tmp_path, versions):
    from align.project.file import SCHEMA_VERSION

    # What the import of three versions stored before schema 4: pairs en-ja and en-ru.
    with Project.create(tmp_path, "old") as p:
        ja_pair, ru_pair = p.add_alignments([Alignment(versions.docs[0], versions.docs[k], versions.pair_beads(0, k))
                                             for k in (1, 2)])
        p.decide_numbers(ja_pair, [1], "confirmed", "checked")
    as_schema_4(tmp_path / "old.alignproject")
    db = sqlite3.connect(tmp_path / "old.alignproject", isolation_level=None)
    db.executescript("BEGIN; DROP TABLE set_edits; DROP TABLE set_rows; DROP TABLE set_documents; "
                     "DROP TABLE version_sets; PRAGMA user_version = 3; COMMIT;")
    db.close()
    with Project.open(tmp_path, "old") as p:
        assert [pair[0] for pair in p.pairs()] == [ja_pair, ru_pair] and p.version_sets() == []
        assert [(r.src, r.tgt) for r in p.beads(ru_pair)] == [(c[0], c[2]) for c in CELLS]
        assert (p.beads(ja_pair)[0].status, p.beads(ja_pair)[0].note) == ("confirmed", "checked")
        p.merge_next(ru_pair, p.beads(ru_pair)[0].id)
        assert p.undo(ru_pair) and p.undo(ja_pair)  # the history from before the migration too
        assert p.beads(ja_pair)[0].status == "automatic"
        set_id = p.add_version_set(versions)  # and the project takes sets from now on
        assert cells(p, set_id) == CELLS
    check = sqlite3.connect(tmp_path / "old.alignproject")
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    check.close()


def test_sets_and_pairs_keep_separate_histories(tmp_path, project):
    p, set_id = project
    en, fr = make_document("en.txt", EN, "en"), make_document("fr.txt", [s.lower() for s in EN], "fr")
    (pair_id,) = p.add_alignments([Alignment(en, fr, [Bead((i,), (i,), 0.9) for i in range(5)], "fake")])
    p.merge_row(set_id, p.rows(set_id)[0].id)
    p.merge_next(pair_id, p.beads(pair_id)[0].id)
    assert p.undo(pair_id) and len(p.beads(pair_id)) == 5
    assert len(p.rows(set_id)) == 5  # the set's merge stands
    assert p.undo_set(set_id) and cells(p, set_id) == CELLS
    with Project.open(tmp_path, "three") as again:  # and it all survives reopening
        assert again.redo_set(set_id) and len(again.rows(set_id)) == 5


def test_a_version_sentence_is_corrected_split_and_typed_in_every_row_after_it_renumbered(project):
    p, set_id = project
    rows = p.rows(set_id)
    p.edit_version_text(set_id, 1, 2, "鳥が三羽います。", version=rows[2].version)  # a typo: ja of row 3
    assert p.version_documents(set_id)[1].segments[2].text == "鳥が三羽います。"
    assert cells(p, set_id) == [tuple(c) for c in CELLS]
    # A line break splits ru sentence 2: row 2 holds both halves (automatic again), later ru ids move by one.
    p.edit_version_text(set_id, 2, 1, "Две собаки.\nИ ещё одна.")
    assert [s.text for s in p.version_documents(set_id)[2].segments][1:3] == ["Две собаки.", "И ещё одна."]
    assert cells(p, set_id)[1:] == [((1,), (1,), (1, 2)), ((2,), (2,), (3,)), ((3,), (3,), (4,)),
                                    ((4,), (), (5,)), ((), (), (6,))]
    # The cows' missing ja translation typed into row 5: ja gets a fifth sentence there.
    row5 = p.rows(set_id)[4]
    written = p.add_version_sentence(set_id, row5.id, 1, "牛が五頭。", version=row5.version)
    assert written[0].id == row5.id and cells(p, set_id)[4] == ((4,), (4,), (5,))
    assert p.version_documents(set_id)[1].segments[4].text == "牛が五頭。"
    assert p.pair_view(set_id, 0, 1).texts(p.pair_view(set_id, 0, 1).beads[4]) == ("Five cows.", "牛が五頭。")
    with pytest.raises(EditError, match="already has text"):
        p.add_version_sentence(set_id, row5.id, 1, "また。")
    with pytest.raises(EditError, match="no version 3"):
        p.edit_version_text(set_id, 3, 0, "x")
    with pytest.raises(ConflictError, match="changed elsewhere"):
        p.edit_version_text(set_id, 0, 0, "One cat!", version=rows[0].version - 1)
    # Each is one undoable edit: undo puts the texts and the rows back.
    assert p.undo_set(set_id) and p.undo_set(set_id) and p.undo_set(set_id)
    assert cells(p, set_id) == [tuple(c) for c in CELLS]
    assert [d.segments[k].text for d, k in zip(p.version_documents(set_id), (0, 2, 1))] == ["One cat.", JA[2], RU[1]]
    assert [e.op for e in p.set_history(set_id)][-3:] == ["edit_segment_text", "edit_segment_text", "add_sentence"]


def test_a_set_review_judges_each_version_against_the_base_as_pairs_and_keeps_rows_numbers(project, monkeypatch):
    from align.review import sets
    from align.review.model import BeadReview, Flag

    p, set_id = project
    rows, docs, labels = p.rows(set_id), p.version_documents(set_id), p.version_set(set_id).labels
    seen = []

    def judged(alignment, encoder, config):
        """A stand-in for the pair review: a one-sided bead is an omission or an addition."""
        seen.append((alignment.src.name, alignment.tgt.name, [(b.src, b.tgt) for b in alignment.beads]))
        return [BeadReview(k, (Flag("omission", "major", "no translation"),) if not b.tgt else
                           (Flag("addition", "critical", "no source"),) if not b.src else (), "major"
                           if not b.tgt else "critical" if not b.src else "ok", 0.2 if not (b.src and b.tgt) else 0.9,
                           {"cosine": 0.5}) for k, b in enumerate(alignment.beads)]

    monkeypatch.setattr(sets, "review_alignment", judged)
    reviews = sets.review_set(rows, docs, labels, FakeEncoder())
    # en↔ja shows rows 1-5 (row 6 is ru only), en↔ru all six: each a pair of those two versions.
    assert [(a, b, len(beads)) for a, b, beads in seen] == [("text.en.txt", "text.ja.txt", 5),
                                                            ("text.en.txt", "text.ru.txt", 6)]
    assert [r.index for r in reviews] == list(range(6))
    assert [r.severity for r in reviews] == ["ok", "ok", "ok", "ok", "major", "critical"]
    assert [f.reason for f in reviews[4].flags] == ["ja: no translation"] and reviews[4].score == 0.2
    assert [f.reason for f in reviews[5].flags] == ["ru: no source"] and reviews[5].flag_names == "addition"
    assert reviews[0].signals == {"ja.cosine": 0.5, "ru.cosine": 0.5}
    # A chosen pair of versions: ru against ja; ja's missing row 5 is then ru's addition, row 6 too.
    seen.clear()
    reviews = sets.review_set(rows, docs, labels, FakeEncoder(), base=1, versions=[2])
    assert [(a, b) for a, b, _ in seen] == [("text.ja.txt", "text.ru.txt")]
    assert [r.severity for r in reviews][4:] == ["critical", "critical"]
    assert sets.compared_versions(3, 1, [1, 2, 5]) == [2] and sets.compared_versions(3, 0) == [1, 2]
    # A row no compared pair shows is clean.
    assert sets.combine([], 2) == [BeadReview(0, (), "ok", 1.0, {}), BeadReview(1, (), "ok", 1.0, {})]


def test_rejected_beads_and_rows_are_left_out_of_tmx_and_said_but_tables_keep_them(tmp_path, project):
    p, set_id = project
    en, fr = make_document("en.txt", EN, "en"), make_document("fr.txt", [s.lower() for s in EN], "fr")
    (pair,) = p.add_alignments([Alignment(en, fr, [Bead((i,), (i,), 0.9) for i in range(5)], "fake")])
    p.decide_numbers(pair, [2, 4], "rejected")
    p.decide_rows(set_id, [1], "rejected")
    done = export_project(p, "tmx", tmp_path / "all.tmx")
    units = list(read_tmx(tmp_path / "all.tmx"))
    assert [u.props["x-bead"] for u in units if "x-pair" in u.props] == ["[0]:[0]", "[2]:[2]", "[4]:[4]"]
    assert [u.props["x-row"] for u in units if "x-set" in u.props] == ["2", "3", "4", "5"]
    kept = "left out of the TMX, a link known to be wrong; CSV, TSV and JSONL keep them with their status"
    assert done.warnings == [f"2 rejected beads {kept}", f"1 rejected row {kept}"]
    done = export_project(p, "tmx", tmp_path / "set.tmx", set_id=set_id)
    assert [u.props["x-row"] for u in read_tmx(tmp_path / "set.tmx")] == ["2", "3", "4", "5"]
    assert done.warnings == [f"1 rejected row {kept}"]
    out = io.BytesIO()
    export_project(p, "csv", out, pair_id=pair)
    assert out.getvalue().decode().count('"rejected"') == 2
