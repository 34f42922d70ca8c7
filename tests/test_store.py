"""The project store: corrections, undo/redo, persistence, conflicts, safety, export."""
import io
import re
import sqlite3

import numpy as np
import pytest
from conftest import FakeEncoder, make_document

from align.errors import AlignError
from align.formats import write_alignment
from align.project import bead_edits
from align.project.bead_edits import BeadRow, EditError
from align.project.export import export_project
from align.project.store import ConflictError, Project, ProjectError, list_projects
from align.types import Alignment, Bead

SRC = ["One cat.", "Two dogs.", "Three birds.", "Four fish.", "Five cows.", "Six pigs."]
TGT = ["one cat.", "two dogs.", "three birds.", "four fish.", "five cows.", "six pigs."]


@pytest.fixture
def docs():
    return make_document("en.txt", SRC, "en"), make_document("fr.txt", TGT, "fr")


@pytest.fixture
def project(tmp_path, docs):
    p = Project.create(tmp_path, "demo")
    pair = p.add_pair(*docs)
    p.save_alignment(pair, Alignment(*docs, [Bead((i,), (i,), 0.9) for i in range(len(SRC))], "fake"))
    yield p, pair
    p.close()


def shape(p, pair):
    return [(list(r.src), list(r.tgt)) for r in p.beads(pair)]


def ids_of(p, pair):
    return [r.id for r in p.beads(pair)]


ONE_TO_ONE = [([i], [i]) for i in range(6)]


def check_undo_redo(p, pair, before, after):
    assert shape(p, pair) == after
    assert p.undo(pair)
    assert shape(p, pair) == before
    assert p.redo(pair)
    assert shape(p, pair) == after


def test_merge_next_and_prev(project):
    p, pair = project
    ids = ids_of(p, pair)
    p.merge_next(pair, ids[1])
    merged = [([0], [0]), ([1, 2], [1, 2])] + ONE_TO_ONE[3:]
    check_undo_redo(p, pair, ONE_TO_ONE, merged)
    p.undo(pair)
    assert ids_of(p, pair) == ids  # undo gives the beads back their ids
    p.merge_prev(pair, ids[2])
    assert shape(p, pair) == merged
    with pytest.raises(EditError):
        p.merge_prev(pair, ids[0])


def test_a_bead_made_by_hand_is_confirmed_and_re_alignment_keeps_it(project):
    # A merge, a split or a moved sentence is the reviewer's decision: confirmed, so that neither
    # a later re-alignment nor 'confirm all above P' reads it as the aligner's guess. Its neighbours stay as
    # they were.
    from align.pairing.realign import keep_stable

    p, pair = project
    ids = ids_of(p, pair)
    p.merge_next(pair, ids[1])
    assert [r.status for r in p.beads(pair)] == ["automatic", "confirmed"] + ["automatic"] * 3
    p.split(pair, p.beads(pair)[1].id, 1, 0)
    assert [(r.src, r.tgt, r.status) for r in p.beads(pair)[1:3]] == [((1,), (), "confirmed"),
                                                                     ((2,), (1, 2), "confirmed")]
    p.pop(pair, p.beads(pair)[-1].id, "src", to="prev")  # the last source sentence into the bead before
    assert [r.status for r in p.beads(pair)[-2:]] == ["confirmed", "confirmed"]
    p.insert_empty(pair, p.beads(pair)[0].id, "tgt")  # an omission marked: the review asks about it, unconfirmed
    assert [(r.src, r.tgt, r.status, r.score) for r in p.beads(pair)[:2]] == [((0,), (), "automatic", 0.9),
                                                                              ((), (0,), "automatic", 0.0)]
    hand = p.beads(pair)
    aligner = [Bead((i,), (i,), 0.99) for i in range(len(SRC))]  # sure of itself, and of another path
    kept = [(b.src, b.tgt) for b in keep_stable(hand, aligner)]
    assert all((r.src, r.tgt) in kept for r in hand if r.status == "confirmed")


def test_split(project):
    p, pair = project
    p.merge_next(pair, ids_of(p, pair)[0])
    merged = shape(p, pair)
    p.split(pair, ids_of(p, pair)[0], 1, 1)
    check_undo_redo(p, pair, merged, ONE_TO_ONE)
    with pytest.raises(EditError):
        p.split(pair, ids_of(p, pair)[0], 1, 1)  # nothing would be left after the cut


def test_pop_and_shift(project):
    p, pair = project
    p.pop(pair, ids_of(p, pair)[1], "tgt", to="next")
    popped = [([0], [0]), ([1], []), ([2], [1, 2])] + ONE_TO_ONE[3:]
    check_undo_redo(p, pair, ONE_TO_ONE, popped)
    p.shift(pair, ids_of(p, pair)[1], "tgt", from_="next")
    after_shift = shape(p, pair)
    assert after_shift == ONE_TO_ONE
    p.undo(pair)
    assert shape(p, pair) == popped
    # Moving the only sentence of a 1-0 bead leaves nothing: the bead disappears.
    p.pop(pair, ids_of(p, pair)[1], "src", to="prev")
    assert shape(p, pair)[:2] == [([0, 1], [0]), ([2], [1, 2])]


def test_insert_empty(project):
    p, pair = project
    p.insert_empty(pair, ids_of(p, pair)[2], "src")
    after = ONE_TO_ONE[:2] + [([], [2]), ([2], [])] + ONE_TO_ONE[3:]
    check_undo_redo(p, pair, ONE_TO_ONE, after)
    with pytest.raises(EditError):
        p.insert_empty(pair, ids_of(p, pair)[3], "src")  # already 1-0


def test_status_note_and_confirm_up_to(project):
    p, pair = project
    ids = ids_of(p, pair)
    p.reject(pair, ids[1])
    p.confirm_up_to(pair, ids[3])
    assert [r.status for r in p.beads(pair)] == ["confirmed", "rejected", "confirmed", "confirmed",
                                                 "automatic", "automatic"]
    status = p.status(pair)
    assert (status.beads, status.confirmed, status.rejected, status.automatic) == (6, 3, 1, 2)
    assert status.share_confirmed == pytest.approx(0.5)
    p.undo(pair)
    assert [r.status for r in p.beads(pair)][:4] == ["automatic", "rejected", "automatic", "automatic"]
    p.redo(pair)
    p.set_note(pair, ids[4], "check the plural")
    p.confirm(pair, ids[4])
    row = p.beads(pair)[4]
    assert (row.note, row.status) == ("check the plural", "confirmed")
    p.undo(pair)
    p.undo(pair)
    assert p.beads(pair)[4].note == ""


def test_edit_segment_text(project):
    p, pair = project
    p.edit_segment_text(pair, "tgt", 2, "three bords.")
    assert p.documents(pair)[1].segments[2].text == "three bords."
    assert p.alignment(pair).texts(p.alignment(pair).beads[2])[1] == "three bords."
    p.undo(pair)
    assert p.documents(pair)[1].segments[2].text == "three birds."
    p.redo(pair)
    assert p.documents(pair)[1].segments[2].text == "three bords."
    with pytest.raises(EditError):
        p.edit_segment_text(pair, "tgt", 2, "  ")


def test_a_line_break_splits_a_segment_and_undo_joins_it_back(project, tmp_path):
    p, pair = project
    p.edit_segment_text(pair, "src", 2, "Three birds.\nAnd an owl.")
    src = p.documents(pair)[0]
    assert [s.text for s in src.segments][2:5] == ["Three birds.", "And an owl.", "Four fish."]
    # The bead holding the sentence holds both halves; later source ids moved by one.
    assert shape(p, pair) == [([0], [0]), ([1], [1]), ([2, 3], [2]), ([4], [3]), ([5], [4]), ([6], [5])]
    write_alignment(p.alignment(pair), "tsv", io.BytesIO())  # still covers every sentence once
    p.close()
    reopened = Project.open(tmp_path, "demo")
    assert len(reopened.documents(pair)[0]) == 7
    reopened.undo(pair)
    assert [s.text for s in reopened.documents(pair)[0].segments] == SRC
    assert shape(reopened, pair) == ONE_TO_ONE
    reopened.redo(pair)
    assert len(reopened.documents(pair)[0]) == 7
    reopened.close()


def test_split_keeps_offsets_of_the_halves(project):
    p, pair = project
    p.edit_segment_text(pair, "tgt", 0, "one\ncat.")
    first, second = p.documents(pair)[1].segments[:2]
    text = p.documents(pair)[1].text
    assert text[first.start:first.end] == "one" and text[second.start:second.end] == "cat."


def test_joining_sentences_of_two_beads_merges_the_beads(project):
    p, pair = project
    p.confirm(pair, ids_of(p, pair)[5])
    p.join_segments(pair, "tgt", 1)
    tgt = p.documents(pair)[1]
    assert [s.text for s in tgt.segments][:3] == ["one cat.", "two dogs. three birds.", "four fish."]
    assert shape(p, pair) == [([0], [0]), ([1, 2], [1]), ([3], [2]), ([4], [3]), ([5], [4])]
    assert p.beads(pair)[-1].status == "confirmed"  # later beads keep their review state
    p.undo(pair)
    assert [s.text for s in p.documents(pair)[1].segments] == TGT
    assert shape(p, pair) == ONE_TO_ONE
    with pytest.raises(EditError, match="last one"):
        p.join_segments(pair, "tgt", 5)
    with pytest.raises(EditError, match="no tgt segment"):
        p.join_segments(pair, "tgt", 9)


def test_resegment_refuses_segments_that_are_in_no_bead():
    """Joining the last sentence with one that does not exist is refused by the pure function too,
    not only by the store; found by tests/test_faults.py (the cover would have held a phantom sentence)."""
    rows = [BeadRow(1, 0, (0,), (0,)), BeadRow(2, 1, (1,), (1,))]
    for index, removed in ((1, 2), (-1, 2), (0, 3)):
        with pytest.raises(EditError, match="is in no bead"):
            bead_edits.resegment(rows, "src", index, removed=removed, added=1)
    change = bead_edits.resegment(rows, "src", 0, removed=2, added=1)
    assert [(r.src, r.tgt) for r in change.new] == [((0,), (0, 1))]


def test_bulk_status_is_one_undoable_edit(project):
    p, pair = project
    ids = ids_of(p, pair)
    p.reject(pair, ids[3])
    revision = p.revision(pair)
    p.set_status_of(pair, [ids[1], ids[3], ids[4]], "confirmed", revision=revision)
    assert [r.status for r in p.beads(pair)] == ["automatic", "confirmed", "automatic", "confirmed",
                                                  "confirmed", "automatic"]
    assert p.set_status_of(pair, [ids[1]], "confirmed") == []  # nothing to change: no edit recorded
    p.undo(pair)
    assert [r.status for r in p.beads(pair)][1:5] == ["automatic", "automatic", "rejected", "automatic"]
    with pytest.raises(ConflictError):
        p.set_status_of(pair, [ids[0]], "confirmed", revision=revision)
    with pytest.raises(EditError):
        p.set_status_of(pair, [ids[0]], "approved")


def test_a_review_decision_sets_status_and_note_in_one_edit(project):
    p, pair = project
    bead = p.beads(pair)[2]
    p.decide(pair, bead.id, "rejected", "number 3 missing", version=bead.version)
    assert (p.beads(pair)[2].status, p.beads(pair)[2].note) == ("rejected", "number 3 missing")
    assert p.history(pair)[-1].op == "decide"
    p.undo(pair)
    assert (p.beads(pair)[2].status, p.beads(pair)[2].note) == ("automatic", "")


def test_segment_edit_from_a_stale_view_is_refused(project):
    p, pair = project
    row = p.beads(pair)[2]
    p.confirm(pair, row.id)
    with pytest.raises(ConflictError):
        p.edit_segment_text(pair, "src", 2, "Three birds!", version=row.version)
    with pytest.raises(ConflictError):
        p.join_segments(pair, "src", 2, version=row.version)


def test_new_edit_clears_redo_and_history_lists_everything(project):
    p, pair = project
    ids = ids_of(p, pair)
    p.confirm(pair, ids[0])
    p.merge_next(pair, ids[2])
    p.undo(pair)
    p.set_note(pair, ids[1], "x")
    assert not p.redo(pair)
    history = p.history(pair)
    assert [h.op for h in history] == ["align", "confirm", "set_note"]
    assert history[-1].args == {"bead": ids[1], "number": 2, "note": "x"}
    assert not any(h.undone for h in history)
    first = p.beads(pair)
    for _ in history[1:]:
        assert p.undo(pair)
    # the first alignment is where the history starts: undoing it would leave an empty pair
    assert not p.undo(pair)
    assert [b.id for b in p.beads(pair)] == [b.id for b in first] and len(first) == len(SRC)
    assert all(b.status == "automatic" and not b.note for b in p.beads(pair))


def test_persistence_across_reopen(tmp_path, project):
    p, pair = project
    p.confirm(pair, ids_of(p, pair)[0])
    p.merge_next(pair, ids_of(p, pair)[3])
    p.undo(pair)
    before = p.beads(pair)
    p.close()
    assert list_projects(tmp_path) == ["demo"]
    with Project.open(tmp_path, "demo") as again:
        assert again.beads(pair) == before
        assert again.redo(pair)  # the redo stack survives too
        assert shape(again, pair)[3] == ([3, 4], [3, 4])
        src, _ = again.documents(pair)
        assert (src.name, src.text, src.lang) == ("en.txt", "\n".join(SRC), "en")
    assert sqlite3.connect(tmp_path / "demo.alignproject").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_stale_version_is_a_conflict(tmp_path, project):
    p, pair = project
    tab_a = p.beads(pair)
    with Project.open(tmp_path, "demo") as other_tab:
        other_tab.set_note(pair, tab_a[2].id, version=tab_a[2].version, note="from tab B")
    with pytest.raises(ConflictError, match=r"^bead 3 \(sentences 3 · 3\) was changed elsewhere since you read it; reload$"):
        p.confirm(pair, tab_a[2].id, version=tab_a[2].version)
    with pytest.raises(ConflictError):
        p.undo(pair, revision=p.revision(pair) - 1)
    fresh = p.beads(pair)[2]
    p.confirm(pair, fresh.id, version=fresh.version)
    p.merge_next(pair, fresh.id)
    with pytest.raises(ConflictError):
        p.confirm(pair, tab_a[3].id, version=tab_a[3].version)  # merged away
    assert p.beads(pair)[2].note == "from tab B"


def test_realign_keeps_confirmed_beads(tmp_path, docs):
    with Project.create(tmp_path, "re") as p:
        pair = p.add_pair(*docs)
        # A deliberately odd alignment: confirm one odd bead, leave the rest messy.
        odd = [Bead((0, 1), (0,)), Bead((), (1,)), Bead((2, 3), (2, 3)), Bead((4,), (4, 5)), Bead((5,), ())]
        p.save_alignment(pair, Alignment(*docs, odd, "manual"))
        p.confirm(pair, ids_of(p, pair)[0])
        kept = p.beads(pair)[0]
        p.realign(pair, FakeEncoder())
        rows = p.beads(pair)
        assert rows[0].id == kept.id and rows[0].status == "confirmed"
        assert shape(p, pair)[0] == ([0, 1], [0])
        assert ([5], [5]) in shape(p, pair)
        assert p.alignment(pair).model == "fake"
        assert p.history(pair)[-1].op == "realign"
        p.undo(pair)
        assert shape(p, pair) == [(list(b.src), list(b.tgt)) for b in odd]
        # A re-alignment that changes nothing leaves no history entry: the next undo takes back a real edit.
        p.redo(pair)
        entries = len(p.history(pair))
        assert p.realign(pair, FakeEncoder()).summary() == "nothing changed"
        assert len(p.history(pair)) == entries


def test_similarity_is_stored_and_unknown_once_a_bead_changes(tmp_path, docs):
    with Project.create(tmp_path, "sim") as p:
        pair = p.add_pair(*docs)
        p.save_alignment(pair, Alignment(*docs, [Bead((i,), (i,), 0.95, 0.5 + i / 10) for i in range(6)], "fake"))
        assert [r.similarity for r in p.beads(pair)] == pytest.approx([0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
        assert p.alignment(pair).beads[1].similarity == pytest.approx(0.6)
        ids = ids_of(p, pair)
        p.confirm(pair, ids[0])  # a decision leaves the sentences, and so the similarity, as they were
        p.merge_next(pair, ids[1])  # a merged bead's similarity is not known
        p.pop(pair, ids[4], "tgt", to="next")  # nor is that of beads a sentence moved between
        p.edit_segment_text(pair, "src", 3, "Four fishes.")  # nor that of a corrected text
        rows = p.beads(pair)
        assert [(r.src, r.similarity) for r in rows] == [
            ((0,), pytest.approx(0.5)), ((1, 2), None), ((3,), None), ((4,), None), ((5,), None)]
        assert p.undo(pair) and p.undo(pair) and p.undo(pair)
        assert [r.similarity for r in p.beads(pair)] == pytest.approx([0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
    with Project.open(tmp_path, "sim") as p:  # and it survives reopening
        assert p.beads(pair)[2].similarity == pytest.approx(0.7)


def test_a_schema_1_project_is_migrated_when_opened(tmp_path):
    from align.project.file import APPLICATION_ID, SCHEMA, SCHEMA_VERSION, VERSION_SETS

    old_schema = (SCHEMA.replace(VERSION_SETS, "").replace(",\n    similarity REAL)", ")")
                  .replace(",\n    deleted INTEGER NOT NULL DEFAULT 0)", ")"))
    assert "similarity" not in old_schema and "deleted" not in old_schema and "set_rows" not in old_schema
    db = sqlite3.connect(tmp_path / "old.alignproject", isolation_level=None)
    db.executescript("BEGIN;" + old_schema + f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 1;"
                     "INSERT INTO documents (name, text, encoding) VALUES ('en.txt', 'One.', 'utf-8'), "
                     "('fr.txt', 'Un.', 'utf-8');"
                     "INSERT INTO segments VALUES (1, 0, 'One.', 0, 4, 1, 'en'), (2, 0, 'Un.', 0, 3, 1, 'fr');"
                     "INSERT INTO pairs (src_doc, tgt_doc) VALUES (1, 2);"
                     "INSERT INTO beads (pair_id, position, src, tgt, score, status, version) "
                     "VALUES (1, 0, '[0]', '[0]', 0.8, 'automatic', 0);"
                     "INSERT INTO edits (pair_id, op, args, before, after) VALUES (1, 'align', '{}', "
                     "'{\"start\": 0, \"beads\": [], \"segments\": null}', "
                     "'{\"start\": 0, \"beads\": [{\"id\": 1, \"src\": [0], \"tgt\": [0], \"score\": 0.8, "
                     "\"status\": \"automatic\", \"note\": \"\"}], \"segments\": null}');"
                     "COMMIT;")
    db.close()
    with Project.open(tmp_path, "old") as p:
        assert [(r.src, r.score, r.similarity) for r in p.beads(1)] == [((0,), 0.8, None)]
        p.confirm(1, p.beads(1)[0].id)
        assert p.undo(1) and not p.undo(1)  # the first alignment stays: it is where the history starts
        assert [h.op for h in p.history(1)] == ["align", "confirm"]  # an edit recorded before schema 2 is listed
        assert p.redo(1) and p.beads(1)[0].status == "confirmed" and p.beads(1)[0].similarity is None
    check = sqlite3.connect(tmp_path / "old.alignproject")
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    check.execute("PRAGMA user_version = 99")
    check.commit()
    check.close()
    assert "schema 99 is not supported" in _one_line_error(tmp_path, "old")


def test_realign_keeps_probable_untouched_beads_and_lists_what_changed(tmp_path, docs, monkeypatch):
    import align.pairing.pipeline

    with Project.create(tmp_path, "stable") as p:
        pair = p.add_pair(*docs)
        stored = [Bead((0,), (0,), 0.95, 0.8), Bead((1,), (1,), 0.96, 0.7), Bead((2,), (2,), 0.9),
                  Bead((3,), (3,), 0.3), Bead((4,), (), 0.2), Bead((5,), (4, 5), 0.4)]
        p.save_alignment(pair, Alignment(*docs, stored, "fake"))
        before = p.beads(pair)
        # What the aligner now proposes: bead 2 split in two (worse), beads 4-6 cut otherwise (better).
        proposed = [Bead((0,), (0,), 0.97, 0.8), Bead((1,), (), 0.5), Bead((), (1,), 0.5), Bead((2,), (2,), 0.9),
                    Bead((3,), (3,), 0.9, 0.6), Bead((4,), (4,), 0.9, 0.5), Bead((5,), (5,), 0.9, 0.4)]
        monkeypatch.setattr(align.pairing.pipeline, "align_documents",
                            lambda src, tgt, encoder, fixed=(), **options: Alignment(src, tgt, proposed, "fake2"))
        done = p.realign(pair, FakeEncoder())
        assert shape(p, pair) == ONE_TO_ONE
        assert done.changes == ("beads 5-6: [4]:[] + [5]:[4, 5] → [4]:[4] + [5]:[5]",)
        assert done.kept == ("kept bead 2 [1]:[1] rather than [1]:[] + []:[1] (probability 0.96, "
                             "the new path's 0.50 is not clearly better)",)
        assert done.summary().startswith("1 change; 1 probable stretch kept")
        rows = p.beads(pair)
        assert rows[1].id == before[1].id and rows[1].similarity == pytest.approx(0.7)
        assert rows[5].similarity == pytest.approx(0.4)
        assert [h.op for h in p.history(pair)] == ["align", "realign"]  # one undoable edit
        p.undo(pair)
        assert [(r.id, r.src, r.tgt, r.score) for r in p.beads(pair)] == [(r.id, r.src, r.tgt, r.score) for r in before]
        # With the same model, a bead the new path shares keeps its probability: "nothing changed" is true.
        p.redo(pair)
        after = [(r.id, r.score) for r in p.beads(pair)]
        proposed[:] = [Bead(b.src, b.tgt, 0.5) for b in map(lambda r: r.bead(), p.beads(pair))]
        assert p.realign(pair, FakeEncoder()).summary() == "nothing changed"
        assert [(r.id, r.score) for r in p.beads(pair)] == after


@pytest.mark.parametrize("name", ["../x", "a/b", "a\\b", "/etc/passwd", "..", ".hidden", "", "x" * 200, "a\x00b"])
def test_names_that_escape_are_refused(tmp_path, name):
    with pytest.raises(ProjectError):
        Project.create(tmp_path / "projects", name)
    with pytest.raises(ProjectError):
        Project.open(tmp_path / "projects", name)
    assert not (tmp_path / "x.alignproject").exists()


@pytest.mark.parametrize("name", ["Übersetzung-2024", "翻訳 2024", "अनुवाद", "news v2.1"])
def test_names_in_any_alphabet_are_names(tmp_path, name):
    Project.create(tmp_path / "projects", name).close()
    assert list_projects(tmp_path / "projects") == [name]
    Project.open(tmp_path / "projects", name).close()


def test_create_twice_and_open_missing(tmp_path):
    Project.create(tmp_path, "p").close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path, "p")
    with pytest.raises(ProjectError, match="no project"):
        Project.open(tmp_path, "q")


def _one_line_error(tmp_path, name) -> str:
    with pytest.raises(AlignError) as info:
        Project.open(tmp_path, name)
    message = str(info.value)
    assert "\n" not in message and message
    return message


def test_corrupted_and_foreign_files(tmp_path):
    (tmp_path / "noise.alignproject").write_bytes(np.random.default_rng(0).bytes(4096))
    assert "not an alignment project" in _one_line_error(tmp_path, "noise")

    header_only = b"SQLite format 3\x00" + np.random.default_rng(1).bytes(4080)
    (tmp_path / "broken.alignproject").write_bytes(header_only)
    assert "broken" in _one_line_error(tmp_path, "broken")

    foreign = sqlite3.connect(tmp_path / "foreign.alignproject")
    foreign.execute("CREATE TABLE people (name TEXT)")
    foreign.commit()
    foreign.close()
    assert "another program" in _one_line_error(tmp_path, "foreign")
    check = sqlite3.connect(tmp_path / "foreign.alignproject")
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # left untouched


def test_damage_after_opening_is_a_one_line_error(tmp_path, project):
    p, pair = project
    p._db.execute("DROP TABLE edits")  # simulate a file mangled by hand
    with pytest.raises(ProjectError) as info:
        p.confirm(pair, ids_of(p, pair)[0])
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "beads", "csv", "tmx"])
def test_export_matches_the_cli_writer(tmp_path, project, docs, fmt):
    p, pair = project
    ids = ids_of(p, pair)
    p.merge_next(pair, ids[3])
    p.confirm_up_to(pair, ids[1])
    p.confirm(pair, ids[3])
    # Each keeps its number in the pair (bead 3 is not confirmed), so a note or a decision can be traced back.
    expected_beads = [Bead((0,), (0,), 0.9, status="confirmed", number=1),
                      Bead((1,), (1,), 0.9, status="confirmed", number=2),
                      Bead((3, 4), (3, 4), 0.9, status="confirmed", number=4)]
    for confirmed_only in (True, False):
        out = tmp_path / f"out.{fmt}"
        export_project(p, fmt, out, pair, confirmed_only=confirmed_only)
        beads = expected_beads if confirmed_only else p.alignment(pair).beads
        buffer = io.BytesIO()
        write_alignment(Alignment(*docs, beads, "fake"), fmt, buffer)
        got, want = out.read_bytes(), buffer.getvalue()
        if confirmed_only and fmt in ("tsv", "csv"):
            assert [line.split(b"\t" if fmt == "tsv" else b",")[0] for line in got.splitlines()[1:]] == \
                [b"1", b"2", b"4"]
        if fmt == "tmx":
            got, want = (re.sub(rb'creationdate="[^"]*"', b"", x) for x in (got, want))
        assert got == want


def test_a_new_alignment_with_the_same_beads_updates_their_probabilities(project, docs):
    p, pair = project
    p.save_alignment(pair, Alignment(*docs, [Bead((i,), (i,), 0.5 + i / 100, 0.3) for i in range(len(SRC))], "fake"))
    rows = p.beads(pair)
    assert [r.score for r in rows] == pytest.approx([0.5 + i / 100 for i in range(len(SRC))])
    assert all(r.similarity == pytest.approx(0.3) for r in rows)
    p.undo(pair)
    assert all(r.score == pytest.approx(0.9) for r in p.beads(pair))


# -- one transaction per user action, and honest errors ------------------------------------

def test_an_import_of_several_pairs_stores_all_or_none(tmp_path, docs):
    p = Project.create(tmp_path, "atomic")
    good = Alignment(*docs, [Bead((i,), (i,), 0.9) for i in range(len(SRC))], "fake")
    bad = Alignment(*docs, [Bead((0,), (0,), 0.9)], "fake")  # does not cover the documents
    with pytest.raises(ProjectError, match="does not cover"):
        p.add_alignments([good, bad])
    assert p.pairs() == []
    assert p.add_alignments([good, good]) == [1, 2]
    assert all(len(p.beads(pair)) == len(SRC) for pair in (1, 2))
    p.close()


def test_a_batch_decision_keeps_notes_written_since_and_is_all_or_nothing(project):
    p, pair = project
    p.set_note(pair, ids_of(p, pair)[1], "checked")  # written by someone else after our listing
    p.decide_numbers(pair, [1, 2], "confirmed")
    assert [(r.status, r.note) for r in p.beads(pair)[:2]] == [("confirmed", ""), ("confirmed", "checked")]
    with pytest.raises(ProjectError, match="no bead 99"):
        p.decide_numbers(pair, [3, 99], "rejected")
    assert p.beads(pair)[2].status == "automatic"
    stale = p.revision(pair)
    p.merge_next(pair, ids_of(p, pair)[3])
    with pytest.raises(ConflictError, match="changed since revision"):
        p.decide_numbers(pair, [4], "confirmed", revision=stale)


def test_create_never_replaces_and_leaves_nothing_half_made(tmp_path):
    Project.create(tmp_path, "one").close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path, "one")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.alignproject"]


def test_an_empty_file_is_named_as_such_not_a_foreign_database(tmp_path):
    (tmp_path / "left.alignproject").write_bytes(b"")
    with pytest.raises(ProjectError, match="an empty file"):
        Project.open(tmp_path, "left")


class _CommitFails:
    """A connection whose next COMMIT fails, as on a full disk."""

    def __init__(self, db):
        self.db, self.fail = db, True

    def execute(self, sql, *args):
        if sql == "COMMIT" and self.fail:
            self.fail = False
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.db, name)


def test_a_failed_commit_rolls_back_and_the_project_stays_usable(project):
    p, pair = project
    real = p._db
    p._db = _CommitFails(real)
    with pytest.raises(ProjectError, match="disk is full"):
        p.confirm(pair, ids_of(p, pair)[0])
    assert not real.in_transaction
    assert p.beads(pair)[0].status == "automatic"
    p.confirm(pair, ids_of(p, pair)[0])
    assert p.beads(pair)[0].status == "confirmed"
    p._db = real


def test_a_damaged_file_is_corrupted_and_a_read_only_one_is_read_only(tmp_path, docs):
    from align.project.store import _database_problem

    p = Project.create(tmp_path, "hurt")
    p.add_alignments([Alignment(*docs, [Bead((i,), (i,), 0.9) for i in range(len(SRC))], "fake")])
    p.close()
    path = tmp_path / "hurt.alignproject"
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page of the tables overwritten
    path.write_bytes(bytes(data))
    with pytest.raises(ProjectError, match="corrupted"):
        Project.open(tmp_path, "hurt")
    assert "read-only" in _database_problem(sqlite3.OperationalError("attempt to write a readonly database"))
    assert "busy" in _database_problem(sqlite3.OperationalError("database is locked"))
    for full in ("database or disk is full", "disk I/O error"):  # on a full disk even a read says the latter
        assert "is the disk full? Free space" in _database_problem(sqlite3.OperationalError(full))


# -- managing whole pairs ---------------------------------------------------------------------

def test_delete_hides_a_pair_and_restore_brings_it_back(project):
    p, pair = project
    p.confirm(pair, ids_of(p, pair)[0])
    p.delete_pair(pair)
    assert p.pairs() == [] and [d[0] for d in p.deleted_pairs()] == [pair]
    assert export_project(p, "csv", io.BytesIO()).considered == 0  # gone from exports too
    p.restore_pair(pair)
    assert [q[0] for q in p.pairs()] == [pair] and p.beads(pair)[0].status == "confirmed"


def test_swap_turns_the_pair_around_and_undo_still_works(project):
    p, pair = project
    p.merge_next(pair, ids_of(p, pair)[0])
    p.swap_pair(pair)
    src, tgt = p.documents(pair)
    assert (src.name, tgt.name) == ("fr.txt", "en.txt")
    assert p.beads(pair)[0].bead() == Bead((0, 1), (0, 1), 0.9)
    p.swap_pair(pair)  # and back; the history still fits the beads
    assert p.undo(pair) and len(p.beads(pair)) == len(SRC)
    p.swap_pair(pair)
    assert p.redo(pair) and p.beads(pair)[0].src == (0, 1)


def test_rename_and_set_language(project):
    p, pair = project
    p.rename_pair(pair, src_name="Chapter 1 (EN)")
    assert [q[1:] for q in p.pairs()] == [("Chapter 1 (EN)", "fr.txt")]
    p.set_language(pair, "tgt", "ca")
    assert p.documents(pair)[1].lang == "ca"
    with pytest.raises(ProjectError, match="not a language tag"):
        p.set_language(pair, "tgt", "<b>")
    with pytest.raises(ProjectError, match="cannot be empty"):
        p.rename_pair(pair, tgt_name="  ")
    with pytest.raises(ProjectError, match="without '/'"):  # shown cut to what follows the last '/' before
        p.rename_pair(pair, tgt_name="minutes [x](http://e.vil)")
    assert [q[1:] for q in p.pairs()] == [("Chapter 1 (EN)", "fr.txt")]
    p.rename_pair(pair, src_name="Chapter 1 (EN)", tgt_name="fr.txt")  # names as they are: nothing to refuse


def test_a_pair_tmx_cannot_hold_is_left_out_of_the_project_export_with_a_reason(tmp_path, docs):
    from align.formats.tmx import read_tmx

    p = Project.create(tmp_path, "mixed")
    same = make_document("ca.txt", ["A."], "ca"), make_document("ca2.txt", ["B."], "ca")
    p.add_alignments([Alignment(*docs, [Bead((i,), (i,), 0.9) for i in range(len(SRC))], "fake"),
                      Alignment(*same, [Bead((0,), (0,), 0.5)], "fake")])
    done = export_project(p, "tmx", tmp_path / "all.tmx")
    assert done.warnings == ["pair 2 (ca.txt ↔ ca2.txt) left out: both documents are tagged 'ca' "
                             "(set a document's language to export it)"]
    assert len(list(read_tmx(tmp_path / "all.tmx"))) == len(SRC)
    with pytest.raises(AlignError, match="TMX needs two languages"):  # asked for alone, it is an error
        export_project(p, "tmx", tmp_path / "two.tmx", pair_id=2)


def test_create_clears_scratch_left_by_a_killed_create_but_not_a_recent_one(tmp_path):
    import os
    import time

    from align.project.store import ABANDONED_AFTER_S, SCRATCH_PREFIX

    old, recent = tmp_path / f"{SCRATCH_PREFIX}old", tmp_path / f"{SCRATCH_PREFIX}recent"
    for scratch in (old, recent):
        scratch.mkdir()
        (scratch / "x.alignproject").write_bytes(b"half")
    long_ago = time.time() - ABANDONED_AFTER_S - 60
    os.utime(old, (long_ago, long_ago))
    Project.create(tmp_path, "new").close()
    assert not old.exists() and recent.exists()


def test_exports_carry_each_bead_status_and_note_and_count_what_tmx_leaves_out(tmp_path, project):
    from align.formats.tabular import read_rows
    from align.formats.tmx import read_tmx

    p, pair = project
    ids = ids_of(p, pair)
    p.decide(pair, ids[0], "confirmed", "checked <b>")
    p.insert_empty(pair, ids[2], "src")  # bead 3 becomes a 1-0 and a 0-1
    done = export_project(p, "tmx", tmp_path / "p.tmx", pair)
    assert done.warnings == ["2 one-sided beads (a sentence without counterpart) left out of the TMX; "
                             "ask for one-sided units to write each as a unit in one language"]
    units = list(read_tmx(tmp_path / "p.tmx"))
    assert (units[0].props["x-status"], units[0].notes) == ("confirmed", ("checked <b>",))
    assert units[1].props["x-status"] == "automatic" and units[1].notes == ()
    assert len(units) == len(SRC) - 1
    export_project(p, "tmx", tmp_path / "all.tmx", pair, one_sided_units=True)
    assert sorted(len(u.variants) for u in read_tmx(tmp_path / "all.tmx"))[:2] == [1, 1]
    export_project(p, "csv", tmp_path / "p.csv", pair)
    rows = list(read_rows(tmp_path / "p.csv"))
    assert (rows[0]["status"], rows[0]["note"]) == ("confirmed", "checked <b>")


def test_the_missing_translation_of_an_omission_is_typed_into_the_bead(project):
    p, pair = project
    p.insert_empty(pair, ids_of(p, pair)[2], "src")  # bead 3 becomes []:[2] and [2]:[]
    omission = p.beads(pair)[3]
    assert (omission.src, omission.tgt) == ((2,), ())
    p.add_sentence(pair, omission.id, "tgt", "  three birds, typed.  ", version=omission.version)
    rows = p.beads(pair)
    assert [(r.src, r.tgt) for r in rows[2:5]] == [((), (2,)), ((2,), (3,)), ((3,), (4,))]
    tgt = p.documents(pair)[1]
    assert [s.text for s in tgt.segments[2:4]] == ["three birds.", "three birds, typed."]
    assert tgt.segments[3].lang == "fr"
    assert p.undo(pair)
    assert [(r.src, r.tgt) for r in p.beads(pair)[2:5]] == [((), (2,)), ((2,), ()), ((3,), (3,))]
    assert len(p.documents(pair)[1].segments) == len(TGT)
    with pytest.raises(EditError, match="already has text"):
        p.add_sentence(pair, p.beads(pair)[0].id, "tgt", "more")


# -- a correction reads and writes the beads around it, not the whole pair ------------------------

def big_pair(tmp_path, n=300):
    src = make_document("en.txt", [f"Sentence {i}." for i in range(n)], "en")
    tgt = make_document("fr.txt", [f"Phrase {i}." for i in range(n)], "fr")
    p = Project.create(tmp_path, "big")
    pair = p.add_pair(src, tgt)
    p.save_alignment(pair, Alignment(src, tgt, [Bead((i,), (i,), 0.5 + i / (4 * n), 0.3) for i in range(n)], "fake"))
    return p, pair


def everything(p, pair):
    """Each bead as stored, but the revision that wrote it."""
    return [(r.id, r.position, r.src, r.tgt, r.score, r.status, r.note, r.similarity) for r in p.beads(pair)]


def full_reads(p, action) -> list[str]:
    """The statements of ``action`` that read every bead of a pair at once."""
    statements = []
    p._db.set_trace_callback(statements.append)
    try:
        action()
    finally:
        p._db.set_trace_callback(None)
    return [s for s in statements if s.lstrip().upper().startswith("SELECT ID, POSITION")
            and "position >=" not in s]


@pytest.mark.parametrize("op, args", [("merge_next", ()), ("merge_prev", ()), ("split", (1, 0)),
                                      ("pop", ("src", "next")), ("shift", ("tgt", "prev")),
                                      ("insert_empty", ("src",)), ("confirm", ()), ("reject", ()),
                                      ("set_note", ("check",)), ("decide", ("rejected", "why"))])
def test_an_edit_touches_only_the_beads_around_it_and_undo_puts_them_back_exactly(tmp_path, op, args):
    p, pair = big_pair(tmp_path)
    with p:
        if op == "split":
            p.merge_next(pair, p.beads(pair)[150].id)
        before = p.beads(pair)
        revision = p.revision(pair)
        bead = before[150]
        assert full_reads(p, lambda: getattr(p, op)(pair, bead.id, *args, version=bead.version)) == []
        after = p.beads(pair)
        changed = [r for r in after if r.version > revision]
        assert changed and all(148 <= r.position <= 152 for r in changed), [r.position for r in changed]
        delta = len(after) - len(before)
        # Everything else is the same row, written by the same revision; only positions after the edit move.
        assert after[:148] == before[:148]
        assert [replace_position(r, -delta) for r in after[153 + delta:]] == before[153:]
        exact = everything(p, pair)
        assert full_reads(p, lambda: p.undo(pair)) == []
        restored = everything(p, pair)
        assert restored == [(r.id, r.position, r.src, r.tgt, r.score, r.status, r.note, r.similarity) for r in before]
        assert p.redo(pair) and everything(p, pair) == exact


def replace_position(row, delta):
    from dataclasses import replace

    return replace(row, position=row.position + delta)


def test_the_history_keeps_the_number_a_bead_had_when_it_was_edited(tmp_path):
    p, pair = big_pair(tmp_path, 20)
    with p:
        ids = [r.id for r in p.beads(pair)]
        p.confirm(pair, ids[9])
        p.merge_next(pair, ids[2])  # bead 10 is now bead 9; the history still says 10
        merged = p.beads(pair)
        p.add_sentence(pair, p.insert_empty(pair, ids[4], "src")[-1].id, "tgt", "Une phrase.")
        edits = p.history(pair)
        assert [(e.op, e.args.get("number")) for e in edits[1:]] == [("confirm", 10), ("merge_next", 3),
                                                                      ("insert_empty", 4), ("add_sentence", 5)]
        from align_ui.workbench import history_rows

        details = [r["details"] for r in history_rows(edits[:3], merged)]
        assert details == ["bead 3, with the next bead", "bead 10 (now 9), status confirmed", "model fake"]
        assert [r["details"] for r in history_rows(edits, p.beads(pair))][:2] == [
            "bead 5, target side, text 'Une phrase.'", "bead 4, source side, its last sentence"]


def test_lazy_rows_read_as_the_whole_list_does(tmp_path):
    from align.project.core import PAIRS

    p, pair = big_pair(tmp_path, 150)
    with p, p._tx() as db:
        whole = p._read(db, PAIRS, pair)
        lazy = p._read_lazily(db, PAIRS, pair)
        assert len(lazy) == 150 and lazy[0] == whole[0] and lazy[-1] == whole[-1] and lazy[70] == whole[70]
        assert lazy[60:70] == whole[60:70] and lazy[140:] == whole[140:] and lazy[:3] == whole[:3]
        assert list(lazy) == whole and lazy.position_of(whole[99].id) == 99 and lazy.position_of(-5) is None
        with pytest.raises(IndexError):
            lazy[150]


def test_document_versions_change_with_the_documents_not_with_corrections(project):
    p, pair = project
    first = p.document_versions(pair)
    p.merge_next(pair, ids_of(p, pair)[0])
    p.confirm(pair, ids_of(p, pair)[0])
    assert p.document_versions(pair) == first
    p.edit_segment_text(pair, "src", 2, "Three\nbirds.")
    second = p.document_versions(pair)
    assert second[0][1] > first[0][1] and second[1] == first[1]
    assert len(p.document(second[0][0]).segments) == len(SRC) + 1
    p.rename_pair(pair, tgt_name="other.txt")
    p.set_language(pair, "src", "cy")
    third = p.document_versions(pair)
    assert third[0][1] > second[0][1] and third[1][1] > second[1][1]
    assert p.documents(pair) == (p.document(third[0][0]), p.document(third[1][0]))


def test_the_patch_of_every_kind_of_edit_turns_the_beads_before_into_a_fresh_read(project, tmp_path):
    p, pair = project
    edits = [("merge_next", lambda r: p.merge_next(pair, r[1].id)),
             ("merge_prev", lambda r: p.merge_prev(pair, r[3].id)),
             ("split", lambda r: p.split(pair, r[1].id, 1, 1)), ("pop", lambda r: p.pop(pair, r[3].id, "src")),
             ("shift", lambda r: p.shift(pair, r[3].id, "tgt")),
             ("insert_empty", lambda r: p.insert_empty(pair, r[3].id, "src", "first")),
             ("add_sentence", lambda r: p.add_sentence(pair, next(x for x in r if x.src and not x.tgt).id, "tgt",
                                                        "quatre.")),
             ("confirm", lambda r: p.confirm(pair, next(x for x in r if x.status == "automatic").id)),
             ("set_note", lambda r: p.set_note(pair, r[2].id, "why")),
             ("decide", lambda r: p.decide(pair, r[0].id, "rejected", "no")),
             ("decide", lambda r: p.decide(pair, r[-1].id, "automatic", "")),  # edits confirm what they make
             ("confirm_up_to", lambda r: p.confirm_up_to(pair, r[-1].id)),
             ("undo", lambda r: p.undo(pair)), ("undo", lambda r: p.undo(pair)), ("redo", lambda r: p.redo(pair)),
             ("edit_segment_text", lambda r: p.edit_segment_text(pair, "src", 2, "x")),
             ("edit_segment_text", lambda r: p.edit_segment_text(pair, "tgt", 1, "a.\nb.")),
             ("join_segments", lambda r: p.join_segments(pair, "src", 3)),
             ("set_status_of", lambda r: p.set_status_of(pair, [x.id for x in r[:3]], "rejected")),
             ("decide_numbers", lambda r: p.decide_numbers(pair, [1, 2], "confirmed")),
             ("undo", lambda r: p.undo(pair))]
    revision, rows = p.beads_at(pair)
    for op, edit in edits:
        edit(rows)
        (patch,) = p.patches(pair, revision, revision + 1)
        revision, fresh = p.beads_at(pair)
        assert patch.revision == revision and patch.apply(rows) == fresh, op
        rows = fresh
    # Two writes apply in turn; a write with no single replacement of beads, or one made by another
    # process, has no patch: the beads must be read.
    assert [r.status for r in rows[:2]] == ["rejected", "rejected"]  # so that both writes change something
    p.confirm(pair, rows[0].id)
    p.confirm(pair, rows[1].id)
    patches = p.patches(pair, revision, revision + 2)
    assert patches[1].apply(patches[0].apply(rows)) == p.beads(pair)
    p.swap_pair(pair)
    assert p.patches(pair, revision, revision + 3) is None and p.patches(pair, revision + 2, revision + 3) is None
    with Project.open(tmp_path, "demo") as other:
        other.confirm(pair, rows[2].id)
    assert p.patches(pair, revision + 3, revision + 4) is None
    with pytest.raises(EditError):  # a refused edit leaves no patch behind
        p.merge_prev(pair, p.beads(pair)[0].id)
    assert p.revision(pair) == revision + 4 and p.patches(pair, revision + 4, revision + 5) is None


def test_an_import_of_texts_the_project_holds_is_refused_unless_asked_again(tmp_path):
    from align.errors import InputError
    from align.project.imports import import_documents

    en = make_document("a.en.txt", ["One cat.", "Two dogs.", "Three birds."], "en")
    fr = make_document("a.fr.txt", ["Un chat.", "Deux chiens.", "Trois oiseaux."], "fr")
    other = make_document("b.fr.txt", ["Un chat.", "Deux chiens."], "fr")
    with Project.create(tmp_path, "p") as p:
        assert import_documents(p, [en, fr], FakeEncoder()).pairs == [1]
        # Run twice, in the same order or the other (a file given as source the second time), it doubled the pair.
        for docs in ([en, fr], [fr, en]):
            with pytest.raises(InputError, match=r"already in project 'p': .*\(pair 1\); delete that pair"):
                import_documents(p, docs, FakeEncoder())
        assert [pid for pid, _, _ in p.pairs()] == [1]
        assert import_documents(p, [en, other], FakeEncoder()).pairs == [2]  # another text is welcome
        assert import_documents(p, [fr, en], FakeEncoder(), again=True).pairs == [3]
        p.delete_pair(1)
        assert p.repeated_pairs([(en, fr)]) == {0: 3}  # a deleted pair no longer counts


def test_a_decision_that_changes_nothing_is_no_edit(project):
    # Confirming a confirmed bead had added a step to undo that did nothing: two Z presses took back one thing.
    p, pair = project
    bead = p.beads(pair)[0]
    p.confirm(pair, bead.id)
    entries = len(p.history(pair))
    assert p.confirm(pair, bead.id) == [] and len(p.history(pair)) == entries
    p.set_note(pair, bead.id, "")  # the note it has
    assert len(p.history(pair)) == entries


def test_saving_a_sentence_unchanged_is_no_edit(project):
    # Trailing spaces are stripped on save: "saving" them had added a step to undo that changed nothing.
    p, pair = project
    entries = len(p.history(pair))
    p.edit_segment_text(pair, "src", 1, SRC[1] + "  ")
    assert len(p.history(pair)) == entries and p.documents(pair)[0].segments[1].text == SRC[1]


def test_texts_held_already_are_refused_inside_the_write(tmp_path, docs):
    # Two imports of the same texts at once had both been stored: each checked before the other wrote. The
    # check that stores nothing runs in the write itself, the other way round too (target as source).
    from align.errors import InputError
    from align.project.imports import repeats_refused

    src, tgt = docs
    alignment = Alignment(src, tgt, [Bead((i,), (i,), 0.9) for i in range(len(SRC))], "fake")
    swapped = Alignment(tgt, src, [Bead((i,), (i,), 0.9) for i in range(len(SRC))], "fake")
    with Project.create(tmp_path, "race") as first, Project.open(tmp_path, "race") as second:
        assert first.add_alignments([alignment], repeats_refused("race", [(src, tgt)])) == [1]
        for again in (alignment, swapped):
            with pytest.raises(InputError, match=r"already in project 'race': en.txt ↔ fr.txt \(pair 1\)|"
                                                 r"fr.txt ↔ en.txt \(pair 1\)"):
                second.add_alignments([again], repeats_refused("race", [(again.src, again.tgt)]))
        assert [p[0] for p in second.pairs()] == [1]
        assert second.add_alignments([alignment]) == [2]  # asked for (--again): both kept
