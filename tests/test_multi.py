"""Joint alignment of three versions: rows, their order, and their exports."""
import pytest

from align.formats.beads import format_cells
from align.formats.tmx import version_units
from align.lang import joiner
from align.pairing.multi import MultiAlignment, Row, align_versions, rows_from_beads
from align.pairing.pipeline import align_documents, document_from_text
from align.types import Bead

LINES = range(0, 12)  # the first article of the raw dev set, 16 lines long


@pytest.fixture(scope="module")
def raw(request):
    from conftest import DATA

    folder = DATA / "bench" / "ntrex_en-ja-ru_raw_dev"
    return {lang: folder.joinpath(f"{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in ("en", "ja", "ru")}


def version(raw, lang, segments, name=None):
    text = "\n".join(joiner(lang).join(raw[lang][k] for k in seg) for seg in segments) + "\n"
    return document_from_text(text, name or lang, presplit=True, lang=lang)


@pytest.fixture(scope="module")
def three(raw, encoder):
    # en joins lines 3 and 4; ja drops line 7; ru is whole.
    en = [[k] for k in LINES if k not in (3, 4)]
    en.insert(3, [3, 4])
    ja = [[k] for k in LINES if k != 7]
    ru = [[k] for k in LINES]
    return align_versions([version(raw, "en", en), version(raw, "ja", ja), version(raw, "ru", ru)], encoder)


def check_partition(result: MultiAlignment):
    for v, doc in enumerate(result.docs):
        seen = [i for row in result.rows for i in row.cells[v]]
        assert seen == list(range(len(doc))), f"version {v}: every sentence once, in order"


def test_rows_cover_every_sentence_once_in_order(three):
    check_partition(three)
    assert all(0.0 <= row.score <= 1.0 for row in three.rows)


def test_known_merge_and_drop_are_rows(three):
    cells = {row.cells for row in three.rows}
    assert ((3,), (3, 4), (3, 4)) in cells            # en's joined line against two lines each
    assert ((6,), (), (7,)) in cells                  # ja left line 7 out
    assert ((0,), (0,), (0,)) in cells and ((10,), (10,), (11,)) in cells


def test_frame_has_a_column_per_language(three):
    frame = three.to_frame()
    assert {"en", "ja", "ru", "score"} <= set(frame.columns)
    assert len(frame) == len(three.rows)
    assert frame.loc[0, "en"] == three.docs[0].segments[0].text


def test_units_have_a_variant_per_language_present(three):
    units = list(version_units(three, include_single=True))
    assert len(units) == len(three.rows)
    for row, unit in zip(three.rows, units):
        assert set(unit.variants) == {lang for lang, cell in zip(("en", "ja", "ru"), row.cells) if cell}
        assert set(unit.props) == {"x-score", "x-row"}


def test_format_row():
    assert format_cells(Row(((0,), (0, 1), ())).cells) == "[0]:[0, 1]:[]"


def test_same_language_versions_warn(raw, encoder):
    docs = [version(raw, "en", [[k] for k in range(5)]), version(raw, "ru", [[k] for k in range(5)]),
            version(raw, "en", [[0, 1]] + [[k] for k in range(2, 5)], name="en2")]
    result = align_versions(docs, encoder)
    assert any("same language" in w for w in result.warnings)
    assert list(result.to_frame().columns[1:4]) == ["en", "ru", "en_2"]
    check_partition(result)
    assert {tuple(u.variants) for u in version_units(result)} >= {("en", "ru", "en-x-2")}


def test_two_versions(raw, encoder):
    result = align_versions([version(raw, "en", [[k] for k in range(6)]),
                             version(raw, "ja", [[k] for k in range(6)])], encoder)
    assert [row.cells for row in result.rows] == [((k,), (k,)) for k in range(6)]
    assert format_cells(result.rows[0].cells) == "[0]:[0]"


def test_a_much_shorter_version(raw, encoder):
    docs = [version(raw, "en", [[k] for k in LINES]), version(raw, "ja", [[k] for k in range(3)]),
            version(raw, "ru", [[k] for k in LINES])]
    result = align_versions(docs, encoder)
    check_partition(result)
    cells = [row.cells for row in result.rows]
    assert cells[0] == ((0,), (0,), (0,))
    # The end of the other versions has no Japanese; en and ru still pair one to one there.
    assert ((10,), (), (10,)) in cells and ((11,), (), (11,)) in cells


def test_an_excerpt_from_the_middle(raw, encoder):
    # A Japanese translation of lines 6-9 alone, between two whole versions: its lines keep their rows, one to one,
    # since the length prior takes its ratio from the lines that translate each other, not from the totals.
    docs = [version(raw, "en", [[k] for k in LINES]), version(raw, "ja", [[k] for k in range(6, 10)]),
            version(raw, "ru", [[k] for k in LINES])]
    result = align_versions(docs, encoder)
    check_partition(result)
    cells = [row.cells for row in result.rows]
    assert [c for c in cells if c[1]] == [((k,), (k - 6,), (k,)) for k in range(6, 10)]


def test_a_translation_of_the_opening_alone(raw, encoder):
    # Twelve English lines against a Japanese translation of the first three: the totals say Japanese is a quarter
    # of English's length, which would spread the three lines over the whole article; the mutual nearest lines say
    # what the translation's ratio really is.
    beads = align_documents(version(raw, "en", [[k] for k in LINES]), version(raw, "ja", [[k] for k in range(3)]),
                            encoder).beads
    assert [(b.src, b.tgt) for b in beads[:3]] == [((k,), (k,)) for k in range(3)]
    assert all(b.src and not b.tgt for b in beads[3:])


def test_an_excerpt_keeps_its_edges(raw, encoder):
    # Four Japanese lines (4-7) against the whole sixteen-line English article. Against so few lines, each English
    # sentence's unrelatedness holds its own translation, and the excerpt's links looked as loose as literary ones:
    # joining English line 3 or 8 to the excerpt's edge was cheaper than leaving it alone.
    whole = version(raw, "en", [[k] for k in range(16)])
    beads = align_documents(whole, version(raw, "ja", [[k] for k in range(4, 8)]), encoder).beads
    assert [(b.src, b.tgt) for b in beads if b.tgt] == [((k,), (k - 4,)) for k in range(4, 8)]


def test_majority_overrules_a_contradicted_bead():
    # a-b links 1 with 2, but a-c and b-c agree that a1 goes with b1 and b2 with a2.
    beads = {
        (0, 1): [Bead((0,), (0,), 0.9), Bead((1,), (1, 2), 0.4), Bead((2,), (), 0.3)],
        (0, 2): [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.8), Bead((2,), (2,), 0.8)],
        (1, 2): [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.8), Bead((2,), (2,), 0.8)],
    }
    rows, conflicts = rows_from_beads([3, 3, 3], beads, ["a", "b", "c"])
    assert [r.cells for r in rows] == [((k,), (k,), (k,)) for k in range(3)]
    assert conflicts and "overruled" in conflicts[0]


def test_a_merged_bead_every_version_agrees_on_is_no_conflict():
    # Three versions that all join sentences 0 and 1: nothing is overruled, so nothing is reported, whatever
    # the bead's similarity (the report said "overruled: cut into" the very same bead).
    merged = Bead((0, 1), (0,), 0.9, similarity=0.8)
    beads = {(0, 1): [merged], (0, 2): [Bead((0, 1), (0,), 0.9, similarity=0.7)],
             (1, 2): [Bead((0,), (0,), 0.9, similarity=0.9)]}
    rows, conflicts = rows_from_beads([2, 1, 1], beads, ["a", "b", "c"])
    assert [r.cells for r in rows] == [((0, 1), (0,), (0,))]
    assert conflicts == []


def test_a_third_version_cuts_a_merged_bead():
    # b left out what a0 and c0 say; a-b took it into a merged bead with the next sentence.
    beads = {
        (0, 1): [Bead((0, 1), (0,), 0.8), Bead((2,), (1,), 0.9)],
        (0, 2): [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9), Bead((2,), (2,), 0.9)],
        (1, 2): [Bead((), (0,), 0.7), Bead((0,), (1,), 0.8), Bead((1,), (2,), 0.9)],
    }
    rows, _ = rows_from_beads([3, 2, 3], beads, ["a", "b", "c"])
    assert [r.cells for r in rows] == [((0,), (), (0,)), ((1,), (0,), (1,)), ((2,), (1,), (2,))]
