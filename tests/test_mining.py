import pytest
from conftest import DATA

from align.mining.mine import mine_document
from align.mining.report import format_report, report_to_json
from align.pairing.pipeline import document_from_text, read_document
from align.text.boilerplate import is_boilerplate

SEEDS = DATA / "seeds"
SEED_000 = SEEDS / "000_6a4c371f80c1ad39.txt"


@pytest.fixture(scope="module")
def seed_report(encoder):
    return mine_document(read_document(SEED_000), encoder)


def _line_pairs(report, lang):
    """(foreign line, Japanese line) of every pair with a ``lang`` side."""
    out = set()
    for p in report.pairs:
        if {p.lang_a, p.lang_b} == {lang, "ja"}:
            out.add((p.line_a, p.line_b) if p.lang_a == lang else (p.line_b, p.line_a))
    return out


def test_english_headline_and_standfirst_pair_with_japanese(seed_report):
    assert _line_pairs(seed_report, "en") == {(11, 14), (12, 16)}


def test_russian_headline_and_lead_pair_sentence_by_sentence(seed_report):
    pairs = [p for p in seed_report.pairs if "ru" in (p.lang_a, p.lang_b)]
    assert _line_pairs(seed_report, "ru") == {(62, 65), (63, 74)}
    lead = [p for p in pairs if 63 in (p.line_a, p.line_b)]
    assert len(lead) == 3  # three Russian sentences, three Japanese ones


def test_no_japanese_only_sentence_is_paired(seed_report):
    translated = {14, 16, 65, 74}
    for p in seed_report.pairs:
        assert p.score >= 0.4
        ja_line = p.line_a if p.lang_a == "ja" else p.line_b
        assert ja_line in translated
    assert {p.lang_a for p in seed_report.pairs} | {p.lang_b for p in seed_report.pairs} == {"ja", "en", "ru"}
    assert len(seed_report.parallels) == 2


def test_repeats_and_boilerplate_reported(seed_report):
    assert [14, 18] in seed_report.duplicates
    assert [65, 69] in seed_report.duplicates
    assert [9, 104] in seed_report.duplicates
    assert {20, 70, 72, 98, 112, 116} <= set(seed_report.boilerplate)
    assert not seed_report.monolingual


def test_frame_json_and_summary(seed_report):
    frame = seed_report.to_frame()
    assert list(frame.columns)[:5] == ["lang_a", "text_a", "lang_b", "text_b", "score"]
    assert len(frame) == len(seed_report.pairs)
    data = report_to_json(seed_report)
    assert len(data["parallels"]) == 2 and data["monolingual"] is False
    text = format_report(seed_report)
    assert "parallel passages: 2" in text and "11-12" in text


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [], ids=lambda p: p.name[:3])
def test_every_seed(path, encoder):
    report = mine_document(read_document(path), encoder)
    format_report(report)
    if path.name.startswith("000"):
        assert not report.monolingual
    else:
        assert report.monolingual and not report.pairs
        assert "only Japanese found" in format_report(report)


def test_one_line_document(encoder):
    report = mine_document(document_from_text("Just one line of English text.\n"), encoder)
    assert report.monolingual and report.pairs == []
    assert "only English found: no parallel passages" in format_report(report)


def test_one_language_with_paragraphs(encoder):
    text = "今日は晴れです。公園に行きました。\n\n明日は雨が降るでしょう。\n\n今日は晴れです。公園に行きました。\n"
    report = mine_document(document_from_text(text), encoder)
    assert report.monolingual and report.parallels == []
    assert report.duplicates == [[1, 5]]


def test_empty_document(encoder):
    report = mine_document(document_from_text(""), encoder)
    assert report.monolingual and "no text" in report.message


@pytest.mark.parametrize("line", ["コメントを残す", "Back to top button", "@ ウラジミール・スミルノフ/プール/タス通信",
                                  "文:エフゲニー・ポズドニャコフ", "sputnikglobe.com", "Oleg Burunov", "公開日:2023/10/13"])
def test_boilerplate_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["Россия и КНДР меняют военный баланс в Азии", "平壌で盛大な歓迎",
                                  "Putin’s state visit to North Korea: Warm welcome"])
def test_prose_is_not_boilerplate(line):
    assert not is_boilerplate(line)


def test_sentences_left_out_on_both_sides_of_a_gap_are_paired():
    from align.mining.mine import _paired_gaps
    from align.types import Bead

    beads = [Bead((0,), (0,), 0.9), Bead((1,), ()), Bead((), (1,)), Bead((2,), (2,), 0.9), Bead((3,), ())]
    close = lambda src, tgt: 1.05  # noqa: E731
    assert [(b.src, b.tgt) for b in _paired_gaps(beads, close, 1.0)] == [
        ((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), ())]
    far = lambda src, tgt: 0.9  # noqa: E731
    assert _paired_gaps(beads, far, 1.0) == beads


def test_weak_beads_between_confident_ones_are_kept():
    from align.mining.mine import _flanked

    assert _flanked([0.9, 0.2, 0.7], (0.0, 0.0), 0.4) == [0.9, 0.7, 0.7]
    assert _flanked([0.2, 0.9, 0.3], (0.0, 0.0), 0.4) == [0.2, 0.9, 0.3]
    assert _flanked([0.2, 0.9, 0.3], (0.8, 0.6), 0.4) == [0.8, 0.9, 0.6]
