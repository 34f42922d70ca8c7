"""The workbench: its pure helpers, and the Streamlit app driven headlessly with AppTest."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from align import workbench
from align.edits import BeadRow
from align.errors import InputError
from align.formats import write_alignment
from align.store import Project
from align.types import Alignment, Bead

from conftest import make_document

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "streamlit_app.py"
SCRIPT = "<script>alert(1)</script>"


def row(position, src, tgt, score=0.5, status="automatic"):
    return BeadRow(position + 1, position, tuple(src), tuple(tgt), score, status)


ROWS = [row(0, [0], [0], 0.9, "confirmed"), row(1, [1, 2], [1], 0.2), row(2, [3], [], 0.0),
        row(3, [4], [2], 0.7)]


# -- helpers ---------------------------------------------------------------------------------

def test_filters_select_low_confidence_not_one_to_one_and_unconfirmed():
    ids = lambda f: [r.id for r in workbench.filter_rows(ROWS, f)]  # noqa: E731
    assert ids(workbench.Filters()) == [1, 2, 3, 4]
    assert ids(workbench.Filters(low_confidence=True, threshold=0.5)) == [2, 3]
    assert ids(workbench.Filters(not_one_to_one=True)) == [2, 3]
    assert ids(workbench.Filters(unconfirmed=True)) == [2, 3, 4]
    assert ids(workbench.Filters(low_confidence=True, threshold=0.1, not_one_to_one=True)) == [3]


def test_pagination_is_clamped_and_covers_every_item_once():
    items = list(range(5_000))
    assert workbench.page_count(0) == 1 and workbench.page_count(50) == 1 and workbench.page_count(51) == 2
    assert workbench.page(items, 1) == list(range(50))
    assert workbench.page(items, 100) == list(range(4_950, 5_000))
    assert workbench.page(items, 999) == workbench.page(items, 100)
    assert workbench.page(items, 0) == workbench.page(items, 1)
    assert sum(len(workbench.page(items, n)) for n in range(1, 101)) == 5_000
    assert workbench.page_of(0) == 1 and workbench.page_of(49) == 1 and workbench.page_of(50) == 2


def test_table_rows_join_texts_and_label_confidence():
    src = make_document("s", ["A.", "B.", "C.", SCRIPT, "E."], "en")
    tgt = make_document("t", ["a.", "b.", "e."], "en")
    table = workbench.table_rows(ROWS, src, tgt)
    assert [r["#"] for r in table] == [1, 2, 3, 4]
    assert table[1]["source"] == "B. C." and table[1]["kind"] == "2-1"
    assert table[2]["source"] == SCRIPT and table[2]["target"] == ""  # kept as text; st.dataframe escapes it
    assert table[0]["confidence"].startswith("🟢") and table[1]["confidence"].startswith("🔴")
    assert table[3]["confidence"] == "🟢 0.70" or table[3]["confidence"].startswith("🟡")


def test_cjk_side_text_is_joined_without_spaces():
    doc = make_document("z", ["你好。", "再见。"], "zh")
    assert workbench.side_text(doc, [0, 1]) == "你好。再见。"


def test_score_histogram_counts_every_score_in_its_band():
    hist = workbench.score_histogram([0.0, 0.05, 0.15, 0.99, 1.0], bins=10)
    assert len(hist) == 10 and sum(hist.values()) == 5
    counts = list(hist.values())
    assert counts[0] == 2 and counts[1] == 1 and counts[9] == 2


def test_reading_input_refuses_empty_binary_and_oversized_text():
    doc = workbench.document_from_bytes("One sentence. Another one.".encode(), "a.txt")
    assert len(doc) == 2 and doc.lang == "en"
    with pytest.raises(InputError, match="empty"):
        workbench.document_from_bytes(b"  \n", "e.txt")
    with pytest.raises(InputError, match="binary"):
        workbench.document_from_bytes(b"abc\x00\x01\x02def" * 10, "b.bin")
    with pytest.raises(InputError, match="limit"):
        workbench.document_from_bytes(b"x" * 11, "big.txt", max_bytes=10)
    with pytest.raises(InputError, match="empty"):
        workbench.document_from_paste("   ", "source.txt")


def test_export_bytes_are_what_write_alignment_writes(tmp_path):
    project = Project.create(tmp_path, "p")
    src = make_document("s", ["One & two.", "Three."], "en")
    tgt = make_document("t", ["Un et deux.", "Trois."], "fr")
    pair = project.add_pair(src, tgt)
    project.save_alignment(pair, Alignment(src, tgt, [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.8)]))
    project.confirm(pair, project.beads(pair)[1].id)
    for fmt in workbench.EXPORT_FORMATS:
        for confirmed_only in (False, True):
            expected = io.BytesIO()
            write_alignment(project.alignment(pair, confirmed_only), fmt, expected)
            assert workbench.export_bytes(project, pair, fmt, confirmed_only)[0] == expected.getvalue()
    project.close()


# -- the app ---------------------------------------------------------------------------------

def sentences(path: Path, n: int) -> str:
    from align.pipeline import document_from_text

    return " ".join(s.text for s in document_from_text(path.read_text(encoding="utf-8")).segments[:n])


@pytest.fixture
def app(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ALIGN_PROJECTS_DIR", str(tmp_path / "projects"))
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    return at


def create_project(at, name):
    at.text_input(key="new_project").input(name).run()
    return at.button(key="create_project").click().run()


def test_invalid_project_name_is_an_error_not_a_traceback(app):
    create_project(app, "../evil")
    assert not app.exception
    assert any("invalid project name" in e.value for e in app.error)


def test_bad_pasted_input_shows_the_input_error(app):
    create_project(app, "demo")
    app.text_area(key="paste_src").input("   \n  ").run()
    assert not app.exception
    assert not app.error  # blank paste is simply not ready yet
    assert app.button(key="align").disabled


def test_align_review_and_export_flow(app, tmp_path, sample):
    at = app
    create_project(at, "demo")
    assert at.selectbox(key="project").value == "demo"
    en = sentences(sample / "welsh.en.txt", 4) + " " + SCRIPT
    ru = sentences(sample / "welsh.ru.txt", 4) + " " + SCRIPT
    at.text_area(key="paste_src").input(en).run()
    at.text_area(key="paste_tgt").input(ru).run()
    captions = [c.value for c in at.caption]
    assert any("language: en" in c for c in captions) and any("language: ru" in c for c in captions)
    at.button(key="align").click().run()
    assert not at.exception, at.exception
    pair = at.selectbox(key="pair").value
    assert pair == 1

    folder = tmp_path / "projects"
    with Project.open(folder, "demo") as project:
        n_beads = len(project.beads(pair))
    table = at.dataframe[0].value
    assert len(table) == n_beads >= 3
    # the <script> segment is data in the table, never HTML or markdown
    assert (table["target"].str.contains(SCRIPT, regex=False)).any()
    assert not any(SCRIPT in m.value for m in at.markdown)

    at.number_input(key="bead_no").set_value(1).run()
    at.button(key="merge_next").click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == n_beads - 1
    with Project.open(folder, "demo") as project:
        assert len(project.beads(pair)) == n_beads - 1

    at.button(key="undo").click().run()
    assert len(at.dataframe[0].value) == n_beads
    at.button(key="redo").click().run()
    assert len(at.dataframe[0].value) == n_beads - 1
    at.button(key="undo").click().run()
    assert len(at.dataframe[0].value) == n_beads
    at.button(key="confirm").click().run()
    assert not at.exception
    with Project.open(folder, "demo") as project:
        rows = project.beads(pair)
        assert len(rows) == n_beads
        assert rows[0].status == "confirmed"
        assert [h.op for h in project.history(pair) if not h.undone] == ["align", "confirm"]
    assert at.dataframe[0].value["status"].iloc[0] == "confirmed"
    assert at.metric[1].value == "1"

    # the unconfirmed filter hides the confirmed bead
    at.checkbox(key="f_unconfirmed").check().run()
    assert len(at.dataframe[0].value) == n_beads - 1
    at.checkbox(key="f_unconfirmed").uncheck().run()

    # an edit made in another tab makes this tab's next edit a visible warning, not an overwrite
    at.number_input(key="bead_no").set_value(2).run()
    with Project.open(folder, "demo") as project:
        project.set_note(pair, project.beads(pair)[1].id, "from another tab")
    at.button(key="reject").click().run()
    assert not at.exception
    assert any("another tab" in w.value for w in at.warning)
    with Project.open(folder, "demo") as project:
        assert project.beads(pair)[1].status == "automatic"
    # after the reload the same click goes through
    at.button(key="reject").click().run()
    with Project.open(folder, "demo") as project:
        assert project.beads(pair)[1].status == "rejected"
        assert project.beads(pair)[1].note == "from another tab"

    # a note, then re-aligning keeps the confirmed bead and the note's bead
    at.number_input(key="bead_no").set_value(3).run()
    note = next(t for t in at.text_input if t.key.startswith("note_"))
    note.input("check <b>this</b>").run()
    at.button(key="save_note").click().run()
    assert not at.exception
    at.button(key="realign").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "demo") as project:
        rows = project.beads(pair)
        assert rows[0].status == "confirmed"
        assert "check <b>this</b>" in [r.note for r in rows]
        assert project.history(pair)[-1].op == "realign"
