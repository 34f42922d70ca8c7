import pytest
from conftest import DATA

from align.text.segment import paragraph_starts, segment_text, split_sentences, wrap_width

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


def test_chinese_quotation_keeps_its_speech_tag():
    text = "“你来了？”他笑着问道。我点点头：“来了。”“走吧。”然后他们离开了。"
    assert sentences(text, "zh-cn") == ["“你来了？”他笑着问道。", "我点点头：“来了。”", "“走吧。”", "然后他们离开了。"]


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
    # Spaced as often as not: "т. д." ends its sentence before a capital as "т.д." does, though "д." (дом) alone
    # never does.
    assert sentences("Он купил хлеб, молоко и т. д. Потом пошёл домой. Всё, т. д. и т. п. дела.", "ru") == [
        "Он купил хлеб, молоко и т. д.", "Потом пошёл домой.", "Всё, т. д. и т. п. дела."]


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


def test_german_ordinal_point_ends_a_sentence_only_before_a_word_no_ordinal_precedes():
    assert sentences("Am 3. Juli kamen sie nach Lager II. Dann ging es weiter.", "de") == [
        "Am 3. Juli kamen sie nach Lager II.", "Dann ging es weiter."]
    assert sentences("Sie kamen am 3. Die Nacht war kalt.", "de") == ["Sie kamen am 3.", "Die Nacht war kalt."]
    assert sentences("Im II. Weltkrieg kämpfte er. Ludwig XIV. starb 1715.", "de") == [
        "Im II. Weltkrieg kämpfte er.", "Ludwig XIV. starb 1715."]
    assert sentences("Der 1. FC Köln gewann.", "de") == ["Der 1. FC Köln gewann."]
    assert sentences("3. Die Expedition hat alle Kosten zu tragen.", "de") == [
        "3. Die Expedition hat alle Kosten zu tragen."]  # a numbered list item


@pytest.mark.parametrize("lang, text, expected", [
    # sacremoses' Moses lists: single letters of spaced German abbreviations, a unit before a noun
    ("de", "Im Jahr 50 v. Chr. kam er z. B. an. Das gilt i. d. R. so. Es kostet 5 Mio. Euro. Gut.",
     ["Im Jahr 50 v. Chr. kam er z. B. an.", "Das gilt i. d. R. so.", "Es kostet 5 Mio. Euro.", "Gut."]),
    ("pl", "Prof. Nowak mieszka przy ul. Długiej. Było to w 2020 r. W Polsce.",
     ["Prof. Nowak mieszka przy ul. Długiej.", "Było to w 2020 r.", "W Polsce."]),
    ("pt", "O Sr. Silva chegou. A Dra. Costa confirmou.", ["O Sr. Silva chegou.", "A Dra. Costa confirmou."]),
    ("fr", "Il est né en 50 apr. J.-C. à Rome. Fin.", ["Il est né en 50 apr. J.-C. à Rome.", "Fin."]),
    # a unit of measure after a number ends its sentence, though the lists never end one on "m."
    ("fr", "Ils partirent à 15 h. 30 du camp, à 1200 m. Il neigeait. M. Dupont resta. Il était 17 h. Fin.",
     ["Ils partirent à 15 h. 30 du camp, à 1200 m.", "Il neigeait.", "M. Dupont resta.", "Il était 17 h.", "Fin."]),
    # a German ordinal has at most three digits: a year ends its sentence
    ("de", "Es war der 3. Oktober 1990. Dann ging sie.", ["Es war der 3. Oktober 1990.", "Dann ging sie."]),
    # and the project's own, for what the library lacks
    ("es", "Los EE. UU. anunciaron medidas. La Sra. López habló.", ["Los EE. UU. anunciaron medidas.",
                                                                  "La Sra. López habló."]),
    ("nl", "Dhr. Jansen kwam. Mevr. De Vries ook.", ["Dhr. Jansen kwam.", "Mevr. De Vries ook."]),
    # a literary auditor's German and French: degrees and "born" before a name or year, a volume before its
    # number, and "ff." / "et suiv." (and following pages), which end a sentence before a capital
    ("de", "Prof. Dr. med. Keller, geb. 1870, leitete die Gruppe. Vgl. dazu Bd. 2, S. 45 ff. Das war die 2. "
           "Auflage.", ["Prof. Dr. med. Keller, geb. 1870, leitete die Gruppe.", "Vgl. dazu Bd. 2, S. 45 ff.",
                        "Das war die 2. Auflage."]),
    ("fr", "Voir à ce sujet le vol. 2, p. 45 et suiv. C'était la 2e édition.",
     ["Voir à ce sujet le vol. 2, p. 45 et suiv.", "C'était la 2e édition."]),
    ("it", "Vedi pag. 12 per i dettagli. Fine.", ["Vedi pag. 12 per i dettagli.", "Fine."]),
    # a unit after a number may end a Russian sentence; "Art." is an abbreviation before a number only
    ("ru", "Высота 8848 м. Это рекорд. Было 100 чел. Все ушли.", ["Высота 8848 м.", "Это рекорд.", "Было 100 чел.",
                                                                 "Все ушли."]),
    ("en", "He loves modern art. Art. 5 applies.", ["He loves modern art.", "Art. 5 applies."]),
    # a city, a river, a metro station: final only after a number
    ("uk", "Він прибув у м. Київ у 2019 р. Потім поїхав на р. Дніпро.", ["Він прибув у м. Київ у 2019 р.",
                                                                     "Потім поїхав на р. Дніпро."]),
    ("ru", "Он доехал до м. Арбатская. Это было в 2019 г. Москва.", ["Он доехал до м. Арбатская.",
                                                                  "Это было в 2019 г.", "Москва."]),
    ("ru", "Высота 5 см. Потом всё. См. рис. 5. Груз 5 т. Дальше.", ["Высота 5 см.", "Потом всё.", "См. рис. 5.",
                                                                   "Груз 5 т.", "Дальше."]),
    ("vi", "TP. Hồ Chí Minh rất đẹp. TS. Lê nói vậy.", ["TP. Hồ Chí Minh rất đẹp.", "TS. Lê nói vậy."]),
    ("id", "Bpk. Joko datang ke Jl. Sudirman. Ya.", ["Bpk. Joko datang ke Jl. Sudirman.", "Ya."]),
    ("tr", "Av. Mehmet Bey geldi. Elma, armut vb. Sonra gitti.", ["Av. Mehmet Bey geldi.", "Elma, armut vb.",
                                                                 "Sonra gitti."]),
    # a single letter of a caseless script is an abbreviation, as a capital is an initial: Arabic "د." (Dr)
    ("ar", "ذهب إلى السوق. د. محمد وصل.", ["ذهب إلى السوق.", "د. محمد وصل."]),
])
def test_abbreviations_of_more_languages(lang, text, expected):
    assert sentences(text, lang) == expected


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


DICKENS = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness. It was the epoch of belief, it was
the epoch of incredulity, it was the season of Light, it was the season
of Darkness.

There were a king with a large jaw and a queen with a plain face, on the
throne of England; there were a king with a large jaw and a queen with a
fair face, on the throne of France.
"""


def test_hard_wrapped_text_is_read_by_paragraph():
    segs = segment_text(DICKENS)
    assert [(s.text[:22], s.line) for s in segs] == [
        ("It was the best of tim", 1), ("It was the epoch of be", 2), ("There were a king with", 6)]
    # A sentence across a wrap reads with a space there; its offsets still span the line break.
    assert segs[0].text.endswith("the age of wisdom, it was the age of foolishness.")
    assert all(DICKENS[s.start:s.end].replace("\n", " ") == s.text for s in segs)
    assert 60 <= wrap_width(DICKENS) <= 75


def test_wrapped_paragraphs_end_at_short_or_indented_lines():
    text = ("Er kam am Abend nach Hause und fand die Tür verschlossen, obwohl er\n"
            "den Schlüssel am Morgen unter die Matte gelegt hatte, wie immer.\n"
            "    Am nächsten Tag ging er zur Polizei und erzählte dem Beamten die\n"
            "ganze Geschichte.\n"
            "Dann kam der Winter, und mit ihm kamen die langen Nächte, in denen\n"
            "er nicht schlafen konnte und an die verschlossene Tür dachte.\n")
    segs = segment_text(text)
    assert [s.text.split()[0] for s in segs] == ["Er", "Am", "Dann"]
    assert paragraph_starts(text, segs) == [True, True, True]


def test_wrapped_japanese_joins_without_losing_offsets():
    text = ("吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所で\n"
            "ニャーニャー泣いていた事だけは記憶している。吾輩はここで始めて人間というものを見た。しか\n"
            "もあとで聞くとそれは書生という人間中で一番獰悪な種族であったそうだ。この書生というのは時々\n"
            "我々を捕えて煮て食うという話である。しかしその当時は何という考もなかったから別段恐しいとも\n"
            "思わなかった。\n")
    segs = segment_text(text)
    assert "何でも薄暗いじめじめした所で ニャーニャー泣いていた事だけは記憶している。" in [s.text for s in segs]
    assert "しか もあとで聞くとそれは書生という人間中で一番獰悪な種族であったそうだ。" in [s.text for s in segs]
    assert segs[-1].text == "しかしその当時は何という考もなかったから別段恐しいとも 思わなかった。"


def test_lines_that_are_not_wrapped_stay_paragraphs():
    one_a_line = "The vote was held on Sunday.\nTurnout was low\nMost voters stayed at home.\nThe result is due today.\n"
    headlines = ("Russia and North Korea sign a new treaty\nРоссия и КНДР подписали новый договор\n"
                 "Leaders meet in Pyongyang for the first time\nЛидеры встретились в Пхеньяне впервые\n")
    identifiers = "".join(f"bbc.38179{k} article line\n" for k in range(8))
    rows = "".join(f"source text number {k}\ttarget text number {k}\n" for k in range(8))
    for text in (one_a_line, headlines, identifiers, rows):
        assert wrap_width(text) is None, text
        assert len(segment_text(text)) == len(text.splitlines())


def test_paragraph_starts():
    # Blank lines and lines of several sentences open paragraphs; lines of one sentence each make one paragraph.
    text = "One. Two.\nThree.\nFour.\n\nFive.\nSix.\n"
    segs = segment_text(text)
    assert [s.text for s in segs] == ["One.", "Two.", "Three.", "Four.", "Five.", "Six."]
    assert paragraph_starts(text, segs) == [True, False, True, False, True, False]
    assert paragraph_starts(DICKENS, segment_text(DICKENS)) == [True, False, True]
    assert paragraph_starts("", []) == []


def test_quotation_marks_of_other_traditions_close_their_sentence():
    # German „…“ and »…«, French « … » with its spaced guillemets: the closing mark stays with its sentence.
    assert sentences("„Ja“, sagte er. „Gehen wir.“ Sie lächelte.", "de") == [
        "„Ja“, sagte er.", "„Gehen wir.“", "Sie lächelte."]
    assert sentences("»Gehen wir.« Sie lächelte. Er ging. »Komm her«, rief sie.", "de") == [
        "»Gehen wir.«", "Sie lächelte.", "Er ging.", "»Komm her«, rief sie."]
    assert sentences("« Oui, dit-il. Allons-y. » Elle sourit. « Vraiment ? » demanda-t-elle.", "fr") == [
        "« Oui, dit-il.", "Allons-y. »", "Elle sourit.", "« Vraiment ? » demanda-t-elle."]
    # An English opening quote after a full stop still opens the next sentence.
    assert sentences("It was over. “Are you sure?” he asked. “Go.” She went.", "en") == [
        "It was over.", "“Are you sure?” he asked.", "“Go.”", "She went."]


def test_scripts_with_their_own_full_stops():
    assert sentences("Ես գնում եմ տուն։ Դու կգա՞ս։", "hy") == ["Ես գնում եմ տուն։", "Դու կգա՞ս։"]
    assert sentences("እኔ ወደ ቤት እሄዳለሁ። ትመጣለህ፧", "am") == ["እኔ ወደ ቤት እሄዳለሁ።", "ትመጣለህ፧"]
    assert sentences("ང་ནང་ལ་འགྲོ་གི་ཡོད། ཁྱེད་རང་ཡོང་གི་ཡིན་ནམ།", "bo") == ["ང་ནང་ལ་འགྲོ་གི་ཡོད།", "ཁྱེད་རང་ཡོང་གི་ཡིན་ནམ།"]
    assert sentences("ကျွန်တော် အိမ်ပြန်မယ်။ မင်းလာမလား။", "my") == ["ကျွန်တော် အိမ်ပြန်မယ်။", "မင်းလာမလား။"]
    assert sentences("ភ្នំពេញគឺជារាជធានី។ វាស្ថិតនៅលើទន្លេមេគង្គ។", "km") == ["ភ្នំពេញគឺជារាជធានី។", "វាស្ថិតនៅលើទន្លេមេគង្គ។"]


def test_greek_asks_with_a_semicolon_and_abbreviates_titles():
    assert sentences("Πού είναι ο σταθμός; Δεν ξέρω. Ο κ. Παπαδόπουλος ήρθε χθες.", "el") == [
        "Πού είναι ο σταθμός;", "Δεν ξέρω.", "Ο κ. Παπαδόπουλος ήρθε χθες."]
    # Elsewhere a semicolon joins two clauses of one sentence.
    assert sentences("He came; She left.", "en") == ["He came; She left."]


def test_hindi_title_before_a_name():
    assert sentences("मैं घर जा रहा हूँ। डॉ. शर्मा ने कहा कि यह ठीक है।", "hi") == [
        "मैं घर जा रहा हूँ।", "डॉ. शर्मा ने कहा कि यह ठीक है।"]


def test_thai_and_lao_end_sentences_with_a_space():
    text = ("กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย มีประชากรมากกว่า 10 ล้านคน "
            "เมืองนี้มีชื่อเสียงด้านวัดวาอารามต่างๆ และอาหารริมทาง สวัสดี ครับ")
    # Not around a number, not after the repetition mark ๆ, not after a piece too short to be a sentence.
    assert sentences(text, "th") == ["กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย", "มีประชากรมากกว่า 10 ล้านคน",
                                     "เมืองนี้มีชื่อเสียงด้านวัดวาอารามต่างๆ และอาหารริมทาง", "สวัสดี ครับ"]
    assert sentences("ນະຄອນຫຼວງວຽງຈັນແມ່ນນະຄອນຫຼວງຂອງລາວ ມັນຕັ້ງຢູ່ແຄມແມ່ນ້ຳຂອງ", "lo") == [
        "ນະຄອນຫຼວງວຽງຈັນແມ່ນນະຄອນຫຼວງຂອງລາວ", "ມັນຕັ້ງຢູ່ແຄມແມ່ນ້ຳຂອງ"]
    segments = segment_text(text)
    assert [s.lang for s in segments] == ["th"] * 4
    assert all(text[s.start:s.end] == s.text for s in segments)
