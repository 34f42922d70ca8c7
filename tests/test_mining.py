import pytest
from conftest import DATA

from align.lang import joiner
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
    # Each sentence pair is printed in full: a reviewer judges a pair on its whole text.
    assert all(" ".join(pair.text_a.split()) in text and " ".join(pair.text_b.split()) in text
               for pair in seed_report.pairs)


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
    confidence = lambda margin: margin - 0.3  # noqa: E731
    paired = _paired_gaps(beads, close, 1.0, confidence)
    assert [(b.src, b.tgt) for b in paired] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), ())]
    assert paired[1].score == pytest.approx(0.75)  # the pair made of the gap has a probability, not 0
    far = lambda src, tgt: 0.9  # noqa: E731
    assert _paired_gaps(beads, far, 1.0, confidence) == beads
    split = [Bead((0,), (0,), 0.9), Bead((1,), ()), Bead((2,), ()), Bead((), (1,)), Bead((3,), (2,), 0.9)]
    assert [(b.src, b.tgt) for b in _paired_gaps(split, close, 1.0, confidence)] == [
        ((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]


def test_weak_beads_between_confident_ones_are_kept():
    from align.mining.mine import _flanked

    assert _flanked([0.9, 0.2, 0.7], (0.0, 0.0), 0.4) == [0.9, 0.7, 0.7]
    assert _flanked([0.2, 0.9, 0.3], (0.0, 0.0), 0.4) == [0.2, 0.9, 0.3]
    assert _flanked([0.2, 0.9, 0.3], (0.8, 0.6), 0.4) == [0.8, 0.9, 0.6]


# --- A bilingual page: each paragraph followed by its translation ------------------------------------

NTREX = DATA / "bench" / "ntrex_en-ja-ru_raw_dev"
NTREX_LINES = {lang: (NTREX / f"{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in ("en", "ja", "ru")}
# Rows of the Hurricane Rosa article (its headline, paragraphs of five, four and three sentences, the second
# also in Russian) and, alone, three Japanese sentences of the Macedonia article.
PAGE = [("en", [198]), ("ja", [198]), ("en", [203, 204, 205, 206, 207]), ("ja", [203, 204, 205, 206, 207]),
        ("ja", [18, 19, 20]), ("en", [210, 211, 212, 213]), ("ja", [210, 211, 212, 213]),
        ("ru", [210, 211, 212, 213]), ("en", [214, 215, 216]), ("ja", [214, 215, 216])]
ALONE = 4


def _page(separator: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The page, one line per paragraph, and (start, end, paragraph, row) of every NTREX sentence on it."""
    text, spans = "", []
    for number, (lang, rows) in enumerate(PAGE):
        text += separator if text else ""
        for k, row in enumerate(rows):
            text += joiner(lang) if k else ""
            spans.append((len(text), len(text) + len(NTREX_LINES[lang][row]), number, row))
            text += NTREX_LINES[lang][row]
    return text + "\n", spans


@pytest.mark.slow
@pytest.mark.parametrize("separator", ["\n\n", "\n"], ids=["blank-lines", "no-blank-lines"])
def test_interleaved_page_pairs_every_sentence(encoder, separator):
    """Paragraphs of four and five sentences pair as a whole with the paragraph after them, the
    headline with its translation, the Russian paragraph with both; the Japanese paragraph that
    translates nothing is reported as such."""
    text, spans = _page(separator)
    report = mine_document(document_from_text(text, "page"), encoder)
    segments = report.document.segments

    def rows(indices) -> set[tuple[int, int]]:
        return {(number, row) for i in indices for start, end, number, row in spans
                if start < segments[i].end and segments[i].start < end}

    def translates(x: int, y: int) -> bool:
        return x != y and ALONE not in (x, y) and PAGE[x][1] == PAGE[y][1]

    found = set()
    for pair in report.pairs:
        side_a, side_b = rows(pair.segments_a), rows(pair.segments_b)
        assert {row for _, row in side_a} == {row for _, row in side_b}, (pair.text_a, pair.text_b)
        assert all(translates(x, y) for x, _ in side_a for y, _ in side_b), (pair.text_a, pair.text_b)
        found |= {frozenset((a, b)) for a in side_a for b in side_b if a[1] == b[1]}
    truth = {frozenset(((x, row), (y, row))) for x in range(len(PAGE)) for y in range(len(PAGE))
             if translates(x, y) for row in PAGE[x][1]}
    assert found == truth
    alone = [p for p in report.unmatched if rows(p.segments) & {(ALONE, row) for row in PAGE[ALONE][1]}]
    assert [rows(p.segments) for p in alone] == [{(ALONE, row) for row in PAGE[ALONE][1]}]
    assert all(rows(p.segments) <= {(ALONE, row) for row in PAGE[ALONE][1]} for p in report.unmatched)


def _layout(text: str):
    from align.mining.mine import _Layout

    doc = document_from_text(text)
    return _Layout.build(doc, list(range(len(doc.segments))))


def test_a_line_of_several_sentences_is_a_paragraph_of_its_own():
    layout = _layout("今日は晴れです。公園に行きました。\n明日は雨が降るでしょう。傘を持って行きます。\n"
                     "一行に一文。\n次の行も一文。\n")
    assert [len(p) for p in layout.paragraphs] == [2, 2, 2]


def test_passages_face_each_other_across_one_paragraph_of_a_third_language():
    layout = _layout("The storm is weakening. It moves north.\n嵐は弱まっている。北へ進む。\n"
                     "Шторм ослабевает. Он движется на север.\nスポーツのニュースです。\n"
                     "Rain will follow on Monday.\n")
    en, ja, ru, ja_alone, en_next = (layout.passage(k, k) for k in range(5))
    assert layout.facing(en, ja) and layout.facing(en, ru) and layout.facing(ja, ru)
    assert layout.facing(ja_alone, en_next) and layout.facing(ru, en_next)
    assert not layout.facing(en, ja_alone)  # the Japanese translation stands between
    assert not layout.facing(ja, en_next)   # two paragraphs stand between


def _candidate(facing: bool = True, length: float = 0.0, support: float = 1.03):
    from align.mining.mine import Passage, _Candidate

    return _Candidate(Passage("en", 1, 1, (0,)), Passage("ja", 2, 2, (1,)), 1.0, support, facing, length)


def test_lengths_that_do_not_fit_a_translation_lower_the_score():
    from align.mining.mine import MiningConfig

    config = MiningConfig()
    fits, headline_against_paragraph = _candidate().score(0.0, config), _candidate(length=-2.0).score(0.0, config)
    assert _candidate(length=0.4).score(0.0, config) == fits
    assert headline_against_paragraph < fits / 10


def test_facing_counts_on_a_page_whose_sure_pairs_face_each_other():
    from align.mining.mine import MiningConfig, _adjacency

    config = MiningConfig()
    side_by_side = [_candidate(support=1.06) for _ in range(5)] + [_candidate(support=1.0, facing=False)]
    anywhere = [_candidate(support=1.06, facing=k < 2) for k in range(6)]
    assert _adjacency(side_by_side, 0.3, config) > 0.99 * config.adjacent_margin
    assert _adjacency(anywhere, 0.3, config) < 0.01 * config.adjacent_margin
    assert _adjacency([], 0.3, config) == _adjacency(side_by_side, 1.0, config) == config.adjacent_margin / 2
    assert _candidate(support=1.02).score(config.adjacent_margin, config) > config.min_passage_score > \
        _candidate(support=1.02).score(0.0, config)


def test_two_translations_of_one_passage_are_paired():
    from align.mining.mine import Passage, _through_third

    en, ja, ru, en_other = (Passage(lang, n, n, (n,)) for n, lang in enumerate(["en", "ja", "ru", "en"]))
    assert _through_third([(0.9, en, ja), (0.7, en, ru)], ["ja", "en", "ru"]) == [(0.7, ja, ru)]
    assert _through_third([(0.9, en, ja), (0.7, en_other, ru)], ["ja", "en", "ru"]) == []


def test_a_passage_pair_takes_the_passage_that_comes_first_as_the_original():
    from conftest import make_document

    from align.mining.mine import ParallelPassage, Passage
    from align.types import Alignment, Bead

    ja = make_document("page:4-5", ["日本語の文です。", "二つ目の文。"], "ja")
    en = make_document("page:1-2", ["A Japanese sentence.", "The second one."], "en")
    found = ParallelPassage(Passage("ja", 4, 5, (2, 3)), Passage("en", 1, 2, (0, 1)), 0.9,
                            Alignment(ja, en, [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.8)]))
    original_first = found.oriented()
    assert (original_first.src.lang, original_first.tgt.lang) == ("en", "ja")
    assert found.oriented("ja") is found.alignment  # said by the user: kept
    assert ParallelPassage(found.a, found.b, 0.9).oriented() is None


@pytest.mark.slow  # loads the model
def test_a_short_translation_in_the_script_of_a_larger_language_is_paired(encoder):
    # Two German sentences on an English page had been renamed English (a tagging slip, the rule thought), and
    # the page's translations lost: "English, Japanese found, but no passage translates another".
    text = ("Russian President Vladimir Putin arrived in Pyongyang early on Wednesday. He was greeted at the "
            "airport by Kim Jong Un.\n\nThe two leaders are expected to sign a new partnership agreement.\n\n"
            "Der russische Präsident Wladimir Putin traf am Mittwochmorgen in Pjöngjang ein. Er wurde am "
            "Flughafen von Kim Jong Un empfangen.\n\n"
            "ロシアのプーチン大統領は水曜未明に平壌に到着した。空港で金正恩氏の出迎えを受けた。\n")
    report = mine_document(document_from_text(text, "page"), encoder)
    langs = {frozenset((pair.lang_a, pair.lang_b)) for pair in report.pairs}
    assert langs == {frozenset(("en", "de")), frozenset(("en", "ja")), frozenset(("de", "ja"))}


def test_a_credit_mark_makes_a_short_line_a_credit_not_a_paragraph():
    # A paragraph of three sentences ending in a photo credit had been thrown away whole, its translation left alone.
    assert is_boilerplate("(写真© タス通信)") and is_boilerplate("© 2024 Reuters")
    assert is_boilerplate("金正恩氏と習近平氏(写真:AP)。")
    assert not is_boilerplate("ロシアと北朝鮮の関係は新たな段階に入った。条約には相互防衛の条項が含まれている。"
                              "これは実際に何を意味するのか。(写真© タス通信)")


@pytest.mark.parametrize("line", ["はてなブックマーク", "Facebookでシェア", "Читайте также",
                                  "Home | News | World | Politics", "June 20, 2024", "2024.06.20 12:34"])
def test_share_buttons_menus_and_dates_are_boilerplate(line):
    # Left in, "はてなブックマーク" and "Читайте также" were paired as translations at 0.99.
    assert is_boilerplate(line)


def test_a_ui_string_alone_is_no_boilerplate():
    # A software memory holds such units as translations: "ホーム" or "Log in" is no page control of a scrape.
    assert not any(is_boilerplate(line) for line in ("ホーム", "Log in", "Главная", "Politics | Economy"))


@pytest.mark.slow  # loads the model
def test_one_sentence_and_its_translation_are_a_pair_and_two_strangers_are_not(encoder):
    # Alone, a sentence's only neighbour was its translation: a margin of exactly 1, and "no passage translates
    # another". Unrelated sentences of other languages now stand in for the neighbours it lacks.
    pair = ("Moscow and Pyongyang have agreed to work together to enhance cooperation in all spheres.\n"
            "モスクワと平壌は、あらゆる分野で協力を強化することで合意した。\n")
    report = mine_document(document_from_text(pair, "pair"), encoder)
    assert [(p.lang_a, p.lang_b) for p in report.pairs] in ([("en", "ja")], [("ja", "en")])
    strangers = "The museum is open from nine to five on weekdays.\nペンギンは南極の寒い海で魚を食べて暮らしている。\n"
    assert not mine_document(document_from_text(strangers, "strangers"), encoder).pairs
