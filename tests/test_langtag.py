import pytest

from align.lang import UNDETERMINED
from align.text.langtag import detect_language, split_runs


@pytest.mark.parametrize("text, lang", [
    ("プーチン大統領は水曜早朝、北朝鮮の首都に到着した。", "ja"),
    ("ロイター", "ja"),
    ("平壌", "ja"),  # 壌 is the Japanese form (Chinese 壤)
    ("我们是中国人，这是我们的国家。", "zh-cn"),
    ("這是我們的國家", "zh-tw"),
    ("대한민국", "ko"),
    ("Отношения между Россией и КНДР приобрели новое измерение.", "ru"),
    ("Владимир Путин", "ru"),
    ("Ми розуміємо, що це важливо.", "uk"),
    ("The committee said the decision rests with the members.", "en"),
    ("Der Ausschuss sagte, dass die Entscheidung bei den Mitgliedern liegt.", "de"),
    ("Le comité a dit que la décision appartient aux membres.", "fr"),
    ("Reuters", "en"),
    ("BBC News", "en"),
    ("Σήμερα είναι καλή μέρα", "el"),
    # Scripts langdetect has no profile for are named by their script.
    ("ကျွန်တော် အိမ်ပြန်မယ်။", "my"),
    ("እኔ ወደ ቤት እሄዳለሁ።", "am"),
    ("ང་ནང་ལ་འགྲོ་གི་ཡོད།", "bo"),
    ("ភ្នំពេញគឺជារាជធានី។", "km"),
    ("ນະຄອນຫຼວງວຽງຈັນ", "lo"),
    ("ශ්‍රී ලංකාව", "si"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_no_letters_is_undetermined():
    assert detect_language("2023/10/13 — 12:00") == UNDETERMINED
    assert detect_language("") == UNDETERMINED


def test_prior_decides_short_text():
    assert detect_language("北京", prior="ja") == "ja"
    assert detect_language("Paris", prior="fr") == "fr"
    # A prior of another script is ignored.
    assert detect_language("Reuters", prior="ja") == "en"
    assert detect_language("Москва", prior="bg") == "bg"
    # langdetect is sure that a short Hindi question is Marathi; the document's language decides.
    assert detect_language("क्या तुम आओगे?", prior="hi") == "hi"
    assert detect_language("क्या तुम आओगे?", prior="mr") == "mr"


def test_detection_is_deterministic():
    text = "Ceci est une phrase assez longue pour langdetect sans mots outils"
    assert len({detect_language(text + " " * n) for n in range(5)}) == 1


def test_mixed_line_split_into_runs():
    line = "Putin’s visit プーチン大統領の訪問"
    runs = split_runs(line)
    assert [(line[s:e], lang) for s, e, lang in runs] == [("Putin’s visit ", "en"), ("プーチン大統領の訪問", "ja")]


def test_embedded_latin_stays_in_japanese_run():
    line = ("ウェールズ議会議員の呼称をAM (Assembly Member) からMWP (Member of the Welsh Parliament) "
            "に変えるべきだという提案によって、一部の議員の間には困惑が広がっている。")
    assert split_runs(line) == [(0, len(line), "ja")]
    title = "恥さらしを危惧するウェールズ議会議員 (AM)"
    assert split_runs(title) == [(0, len(title), "ja")]


def test_a_quotation_korean_glues_a_particle_to_stays_in_the_korean_run():
    line = '장관은 "We will never give up"이라고 말했다.'
    assert split_runs(line) == [(0, len(line), "ko")]
    two = "The minister said he would never give up. 장관은 포기하지 않겠다고 말했다."
    assert [lang for _, _, lang in split_runs(two)] == ["en", "ko"]


def test_foreign_words_inside_a_sentence_stay_in_it():
    # Cut there, one sentence became five pieces tagged ru, en, ru, en, ru, each aligned on its own.
    line = ("Данные о количестве аудитории других каналов, таких как PBS, C-SPAN и Fox Business Network, пока не "
            "доступны. Второе предложение.")
    assert split_runs(line) == [(0, len(line), "ru")]
    model = "プーチン大統領は工場を訪問し、Tu-160、Tu-22M3爆撃機を鑑賞した。"
    assert split_runs(model) == [(0, len(model), "ja")]
    # A title followed by its translation does not come back to the first language: two runs.
    title = "Putin’s state visit to North Korea: Warm welcome プーチン大統領の北朝鮮公式訪問:温かい歓迎"
    assert [lang for _, _, lang in split_runs(title)] == ["en", "ja"]
    # Nor a link, which a credit line puts between two sentences.
    credit = ("さらに読む ⇒ニュースサイト出典/画像元: https://mainichi.jp/articles/20230913/k00/00m/030/401000c"
              "プーチン大統領のウクライナでの戦況悪化を受け、北朝鮮との連携を強めている。")
    assert [lang for _, _, lang in split_runs(credit)] == ["ja", "en", "ja"]
    # A sentence that ends before the foreign one is not folded into the next.
    ended = "Это первое предложение. This one is English and quite long enough to tell. А это снова русское."
    assert [lang for _, _, lang in split_runs(ended)] == ["ru", "en", "ru"]


def test_runs_cover_the_line():
    line = "「北朝鮮」 Russia and North Korea sign a treaty. ロシアと北朝鮮が条約に署名"
    runs = split_runs(line)
    assert runs[0][0] == 0 and runs[-1][1] == len(line)
    assert all(a[1] == b[0] for a, b in zip(runs, runs[1:]))
    assert [lang for _, _, lang in runs] == ["ja", "en", "ja"]


def test_split_runs_empty_line():
    assert split_runs("") == []


def test_a_short_headline_leans_on_the_document_language_unless_langdetect_is_sure():
    headline = "Welsh AMs worried about 'looking like muppets'"  # langdetect alone: Afrikaans, 0.67
    assert detect_language(headline, "en") == "en"
    assert detect_language("Bundesrat stimmt neuem Gesetz zu", "en") == "de"  # sure enough to overrule
    # A file of that one line has no document language to lean on: the headline is English all the same
    # (its TMX said xml:lang="af"), and other short lines keep their own language.
    assert detect_language(headline) == "en"
    assert detect_language("Het kabinet wil nieuwe regels voor banken invoeren") == "nl"
    assert detect_language("Dit is n baie mooi dag vandag") == "af"


def test_a_short_sentence_is_not_in_a_language_that_never_writes_its_letters():
    # Lines of a German story were tagged Portuguese ("um" is a Portuguese function word), Dutch and Spanish.
    assert detect_language("Seid um fünf Uhr bereit.", "de") == "de"
    assert detect_language("Er sagte: „Wir gehen morgen früh.", "de") == "de"
    assert detect_language("Es war kalt ... sehr kalt.", "de") == "de"
    assert detect_language("O menino comeu um pão.", "de") == "pt"  # its letters are Portuguese: it stays so
    # A name's letters never unsettle the document's own language.
    assert detect_language("Jürgen Müller said that the plan was good.", "en") == "en"
    assert detect_language("Le chef a dit que Müller viendra demain.", "fr") == "fr"


def test_initials_are_no_bulgarian_words():
    assert detect_language("Е. Н. Петрова и Ю. Ли пришли вместе.", "ru") == "ru"  # not Bulgarian "е" (is)
    assert detect_language("Това е голям ден за всички нас, които са тук днес.") == "bg"


def test_markup_and_addresses_are_no_evidence_of_a_language():
    # A web page's tag or link must not outweigh the short sentence next to it.
    assert detect_language("<img src=x onerror=alert(2)> 二行目です。") == "ja"
    assert detect_language("Подробнее на https://example.com/news/article-title-in-english") == "ru"
    assert detect_language("<b>Kurz</b> &amp; <i>gut</i>: Die Regierung hat das Gesetz beschlossen.") == "de"
    # A line of nothing but markup keeps it as its evidence, rather than being left untagged.
    assert detect_language('<img src="photo.jpg">', prior="en") == "en"


def test_bracket_depths_are_counted_in_one_pass_as_from_the_start():
    from align.text.langtag import _CLOSERS, _OPENERS, _bracket_depths

    line = "a (b [c) d] e) f （g） h「i」j (k"
    positions = [0, 3, 6, 9, 12, 15, 19, 24, len(line)]

    def from_start(prefix):
        depth = 0
        for ch in prefix:
            if ch in _OPENERS:
                depth += 1
            elif ch in _CLOSERS and depth:
                depth -= 1
        return depth

    assert _bracket_depths(line, positions) == [from_start(line[:p]) for p in positions]


def test_a_long_line_of_many_short_foreign_blocks_splits_like_a_short_one():
    # A line alternating Russian and short German quotations: each quotation folds into the Russian run,
    # however many there are (the depth of brackets is no longer recounted from the line's start for each).
    short = "Он сказал. „Ja“ " * 3
    long = "Он сказал. „Ja“ " * 3000
    assert [lang for *_, lang in split_runs(short)] == ["ru"]
    assert [lang for *_, lang in split_runs(long)] == ["ru"]
