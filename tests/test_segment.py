from conftest import DATA

from align.text.segment import segment_text, split_sentences

SEEDS = DATA / "seeds"


def sentences(text, lang):
    return [text[s:e] for s, e in split_sentences(text, lang)]


def test_japanese_terminators():
    assert sentences("本当？はい！終わりだ。", "ja") == ["本当？", "はい！", "終わりだ。"]


def test_japanese_quote_kept_whole():
    text = "「決定は議員に委ねられる。変更はない。」と述べた。次の文だ。"
    assert sentences(text, "ja") == ["「決定は議員に委ねられる。変更はない。」と述べた。", "次の文だ。"]


def test_japanese_quote_ending_a_sentence():
    text = "委員会は次のように述べた。「最終決定は議員自身に委ねられる。」2017年に変更された。"
    assert sentences(text, "ja") == ["委員会は次のように述べた。", "「最終決定は議員自身に委ねられる。」",
                                     "2017年に変更された。"]


def test_japanese_brackets_kept_together():
    assert sentences("彼は（東京。大阪）に行った。次。", "ja") == ["彼は（東京。大阪）に行った。", "次。"]


def test_japanese_without_final_punctuation():
    assert sentences("平壌で盛大な歓迎", "ja") == ["平壌で盛大な歓迎"]
    assert sentences("歓迎された。続きを読む", "ja") == ["歓迎された。", "続きを読む"]


def test_japanese_unclosed_quote_falls_back():
    text = "前の文だ。「閉じない引用。次の文。さらに。"
    assert sentences(text, "ja") == ["前の文だ。", "「閉じない引用。", "次の文。", "さらに。"]
    assert "".join(sentences(text, "ja")) == text


def test_japanese_latin_exclamation_and_fullwidth_decimal():
    assert sentences("Yahoo!ニュースによると３．５％だ。", "ja") == ["Yahoo!ニュースによると３．５％だ。"]


def test_russian_initials_and_abbreviations():
    text = ("В. В. Путин прибыл в г. Москва в 2019 г. В 2020 г. он уехал, т. е. навсегда. "
            "Это и т.д. Потом ул. Ленина, д. 5. MWP (от англ. Member of the Welsh Parliament). Конец.")
    assert sentences(text, "ru") == [
        "В. В. Путин прибыл в г. Москва в 2019 г.",
        "В 2020 г. он уехал, т. е. навсегда.",
        "Это и т.д.",
        "Потом ул. Ленина, д. 5.",
        "MWP (от англ. Member of the Welsh Parliament).",
        "Конец.",
    ]


def test_russian_quotes():
    text = "«Что делать?» — спросил он. Он сказал: «Иди.» Потом ушёл."
    assert sentences(text, "ru") == ["«Что делать?» — спросил он.", "Он сказал: «Иди.»", "Потом ушёл."]


def test_english_abbreviations_decimals_ellipsis_quotes():
    text = ("Mr. Smith went to the U.S. Army base. He paid $3.5 million... and left. "
            "Then J. R. R. Tolkien said e.g. this. No. 5 is fine. He said \"Go.\" Then he left. "
            "It was in the U.S. The end. Wait... What?! Yes.")
    assert sentences(text, "en") == [
        "Mr. Smith went to the U.S. Army base.",
        "He paid $3.5 million... and left.",
        "Then J. R. R. Tolkien said e.g. this.",
        "No. 5 is fine.",
        "He said \"Go.\"",
        "Then he left.",
        "It was in the U.S.",
        "The end.",
        "Wait...",
        "What?!",
        "Yes.",
    ]


def test_generic_language_splitter():
    assert sentences("Am 3. Oktober kam er. Dann ging er, z.B. nach Hause.", "de") == [
        "Am 3. Oktober kam er.", "Dann ging er, z.B. nach Hause."]
    assert sentences("Καλημέρα. Τι κάνεις;", "el") == ["Καλημέρα.", "Τι κάνεις;"]


def test_offsets_strip_surrounding_space():
    text = "  First one.   Second one.  "
    spans = split_sentences(text, "en")
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one."]


def test_segment_text_lines_offsets_and_languages():
    text = "タイトル\n\nPutin’s visit プーチン大統領の訪問\nЭто первое. Это второе.\n"
    segs = segment_text(text)
    assert [(s.text, s.line, s.lang) for s in segs] == [
        ("タイトル", 1, "ja"),
        ("Putin’s visit", 3, "en"),
        ("プーチン大統領の訪問", 3, "ja"),
        ("Это первое.", 4, "ru"),
        ("Это второе.", 4, "ru"),
    ]
    assert all(text[s.start:s.end] == s.text for s in segs)


def test_override_language():
    segs = segment_text("Putin’s visit プーチン大統領の訪問。次。", lang="ja")
    assert [(s.text, s.lang) for s in segs] == [("Putin’s visit プーチン大統領の訪問。", "ja"), ("次。", "ja")]


def test_presplit_keeps_blank_lines():
    text = "One. Two.\n\n  三つ。\n"
    segs = segment_text(text, presplit=True)
    # The final newline ends line 3; it does not open a line 4.
    assert [(s.text, s.line) for s in segs] == [("One. Two.", 1), ("", 2), ("三つ。", 3)]
    assert segs[1].lang == "und" and segs[2].lang == "ja"
    assert all(text[s.start:s.end] == s.text for s in segs)


def test_seeds_round_trip():
    files = sorted(SEEDS.glob("*.txt"))
    assert len(files) == 5
    for path in files:
        text = path.read_text("utf-8")
        segs = segment_text(text)
        assert segs, path
        lines = text.split("\n")
        for seg in segs:
            assert text[seg.start:seg.end] == seg.text
            assert seg.text in lines[seg.line - 1]
        assert [s.start for s in segs] == sorted(s.start for s in segs)


def test_seed_000_languages():
    path = SEEDS / "000_6a4c371f80c1ad39.txt"
    segs = segment_text(path.read_text("utf-8"))
    by_lang = {s.lang for s in segs}
    assert {"ja", "en", "ru"} <= by_lang
    english = [s.text for s in segs if s.lang == "en"]
    assert english[0].startswith("Putin’s state visit to North Korea")


def test_twenty_thousand_lines_are_split():
    lines = [f"Line {i} says the river {i % 7} rose. それは{i}回目だ。" if i % 2 else
             f"Строка {i}: река поднялась на {i % 9} метров." for i in range(20_000)]
    segs = segment_text("\n".join(lines))
    assert len(segs) >= 20_000
