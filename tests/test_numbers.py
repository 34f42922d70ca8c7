from decimal import Decimal

import pytest

from align.review.numbers import NumberCheck, compare_numbers, extract_numbers
from align.review.signals import number_flags


def values(text: str, lang: str) -> list[Decimal]:
    return [q.value for q in extract_numbers(text, lang) if not q.optional]


def agree(src: str, tgt: str, src_lang: str, tgt_lang: str) -> bool:
    return compare_numbers(src, tgt, src_lang, tgt_lang).ok


@pytest.mark.parametrize("text, lang, expected", [
    ("１２３", "ja", [123]),
    ("1万人", "ja", [10_000]),
    ("3千人", "ja", [3_000]),
    ("2億円", "ja", [200_000_000]),
    ("1.5万", "ja", [15_000]),
    ("1億2,500万ポンド", "ja", [125_000_000]),
    ("10,000 people", "en", [10_000]),
    ("10 000 человек", "ru", [10_000]),
    ("10\u00a0000 человек", "ru", [10_000]),
    ("10\u2009000 people", "en", [10_000]),
    ("3,5 процента", "ru", [Decimal("3.5")]),
    ("3.5 percent", "en", [Decimal("3.5")]),
    ("3 тыс. наименований", "ru", [3_000]),
    ("5 тысяч", "ru", [5_000]),
    ("2 млн", "ru", [2_000_000]),
    ("3 миллиона", "ru", [3_000_000]),
    ("2,8 млрд фунтов", "ru", [2_800_000_000]),
    ("£2.8bn market", "en", [2_800_000_000]),
    ("4 million viewers", "en", [4_000_000]),
    ("£11million deal", "en", [11_000_000]),
    ("7 billion", "en", [7_000_000_000]),
    ("25 thousand", "en", [25_000]),
    ("-5 degrees", "en", [-5]),
    ("минус 5", "ru", [-5]),
    ("マイナス5度", "ja", [-5]),
])
def test_normalises_every_way_of_writing_a_number(text, lang, expected):
    assert values(text, lang) == [Decimal(v) for v in expected]


@pytest.mark.parametrize("text, lang", [
    ("5%", "en"), ("5 %", "ru"), ("５％", "ja"), ("5 процентов", "ru"), ("5 percent", "en"),
    ("5 per cent", "en"), ("5パーセント", "ja"),
])
def test_percentages(text, lang):
    [quantity] = extract_numbers(text, lang)
    assert (quantity.value, quantity.kind) == (5, "percent")


def test_surface_is_the_text_as_written():
    assert [q.surface for q in extract_numbers("人口は３８万人、面積は1.5万", "ja")] == ["３８万", "1.5万"]


# (source, target, "source-target" languages, whether their numbers agree)
AGREEMENTS = [
    # dates compare day month and year
    ("2018年10月3日に", "on 3 October 2018", "ja-en", True),
    ("on 3 October 2018", "3 октября 2018 года", "en-ru", True),
    ("Oct. 2, 1968", "1968年10月2日", "en-ja", True),
    ("в июне", "In June", "ru-en", True),
    ("6月のシンガポール", "июньского саммита в Сингапуре", "ja-ru", True),
    ("on 3 October 2018", "2018年11月3日に", "en-ja", False),
    ("3 октября 2018 года", "3 November 2018", "ru-en", False),
    # ordinals times and decades
    ("on 125th Street", "на 125-й улице", "en-ru", True),
    ("the 1st round", "第1ラウンド", "en-ja", True),
    ("at 3 p.m.", "в 15:00", "en-ru", True),
    ("at 3 p.m.", "午後3時", "en-ja", True),
    ("found at 7.55am", "午前7時55分に発見", "en-ja", True),
    ("at 10:30", "10時30分", "en-ja", True),
    ("at 10:30", "в 10:45", "en-ru", False),
    ("in the 1930s", "1930年代に", "en-ja", True),
    ("in the '30s", "в 30-е годы", "en-ru", True),
    ("in the 1930s", "1940年代に", "en-ja", False),
    # rounding and scales match across languages
    ("1.5 million people", "150万人", "en-ja", True),
    ("3,000 products", "3千点", "en-ja", True),
    ("3,000 products", "3 тыс. наименований", "en-ru", True),
    ("£125m", "125 млн фунтов", "en-ru", True),
    ("more than 380,000 people", "38万人", "en-ja", True),
    ("5.69 million viewers", "5,69 млн зрителей", "en-ru", True),
    ("1,000 человек", "1,000 people", "ru-en", True),  # a Russian comma before three digits
    ("1939", "1938年", "en-ja", False),
    # units converted by the translator still match
    ("waves as high as 20 feet", "волны высотой до 6 метров", "en-ru", True),
    ("1 to 4 inches of rain", "от 2,5 до 10 см осадков", "en-ru", True),
    ("45 miles (72 kilometers) southeast", "в 72 км к юго-востоку", "en-ru", True),
    # the kilometres written out are the figure to keep: the miles' conversion (306 km) excuses no 303 км
    ("300 km (190 miles) north of Palu", "в 300 км к северу от Палу", "en-ru", True),
    ("300 km (190 miles) north of Palu", "в 190 милях к северу от Палу", "en-ru", True),
    ("300 km (190 miles) north of Palu", "в 303 км к северу от Палу", "en-ru", False),
    # written in the same unit on both sides, a number is compared as written: 3 inches are 7.6 cm, not 7 inches
    ("3 to 6 inches of rain, up to 10 inches", "3から6インチ、最大で10インチの雨", "en-ja", True),
    ("3 to 6 inches of rain, up to 10 inches", "7から6インチ、最大で10インチの雨", "en-ja", False),
    ("45 miles (72 kilometers) southeast", "南東45マイル（72キロメートル）", "en-ja", True),
    ("45 miles (72 kilometers) southeast", "南東50マイル（72キロメートル）", "en-ja", False),
    ("45 miles (72 kilometers) southeast", "в 72 км (45 миль) к юго-востоку", "en-ru", True),
    ("winds of 85 mph, 385 miles south of Punta Eugenia", "風速85マイル、プンタ・エウヘニアの南619キロ", "en-ja", True),
    ("eine Zone von 50 Meilen ( gut 76 km ) Tiefe", "une zone de 50 milles de largeur ( 76 km )", "de-fr", True),
    ("the 550 pound hog", "свинья весом в 250 килограмм", "en-ru", True),
    ("the 550 pound hog", "550ポンドではなく556ポンドの豚", "en-ja", False),
    # a height in feet and inches is one figure, in centimetres or metres
    ("The 6-foot-6 forward", "身長198センチのフォワード", "en-ja", True),
    ("The 6-foot-6 forward", "6フィート6インチのフォワード", "en-ja", True),
    ("The 6-foot-6 forward", "6フィート15センチのフォワード", "en-ja", True),
    ("He is 6 ft 6 in tall.", "Его рост 198 см.", "en-ru", True),
    ('He is 6\'6" tall.', "Его рост 1,98 м.", "en-ru", True),
    ("The 5-foot-11 guard", "Защитник ростом 180 см", "en-ru", True),
    ("The 6-foot-6 forward", "Форвард ростом 6 футов 5 дюймов", "en-ru", False),
    ("The 6-foot-6 forward", "Форвард ростом 185 см", "en-ru", False),
    ("It is 6 feet 3 times a day.", "Это 6 футов 3 раза в день.", "en-ru", True),
    # kanji numerals and spelled out numbers are lenient
    ("three years ago", "3年前", "en-ja", True),
    ("тремя годами ранее", "three years ago", "ru-en", True),
    ("三千人が集まった", "3,000 people came", "ja-en", True),
    ("двадцать пять человек", "25人", "ru-ja", True),
    ("twenty-five people", "25 человек", "en-ru", True),
    ("шестеро полицейских", "6人の看守", "ru-ja", True),
    # spelled out on one side only is never a mismatch by itself
    ("two police vans", "полицейские фургоны", "en-ru", True),
    # identifiers phone numbers and single ones
    ("MWP2 and COVID-19", "MWP2とCOVID-19", "en-ja", True),
    ("COVID-19 spread", "коронавирус распространился", "en-ru", True),
    ("call 555-123-4567", "звоните 555-123-4567", "en-ru", True),
    ("call 555-123-4567", "звоните 555-123-4568", "en-ru", False),
    ("about a mile away", "およそ1マイル離れた", "en-ja", True),
    # multiset comparison
    ("1-0 and 1-0", "1-0と1-0", "en-ja", True),
    ("2 and 2 and 3", "2と3", "en-ja", False),
    ("13 years, 13 days", "13 дней, 13 лет", "en-ru", True),
]


@pytest.mark.parametrize("src, tgt, langs, agrees", AGREEMENTS)
def test_numbers_agree_across_languages_however_written(src, tgt, langs, agrees):
    assert agree(src, tgt, *langs.split("-")) is agrees


def test_kanji_numerals_are_read():
    assert [q.value for q in extract_numbers("二十", "ja")] == [20]


def test_mismatches_are_reported_with_a_reason():
    check = compare_numbers("It sold 3,000 units.", "売れたのは300個だ。", "en", "ja")
    assert check == NumberCheck(missing=("3,000",), extra=("300",), changed=True)
    assert not check.ok
    assert check.reason() == "number 3,000 in the source is missing from the target; target has 300"
    assert compare_numbers("no numbers", "нет чисел", "en", "ru").reason() == "numbers agree"
    assert compare_numbers("5%", "7%", "en", "ja").missing == ("5%",)


@pytest.mark.parametrize("text", ["", "   ", "...!?", "—«»", "\x00"])
def test_bad_inputs(text):
    assert extract_numbers(text, "en") == []
    assert compare_numbers(text, text, "en", "ja").ok


def test_huge_numbers_are_compared_literally():
    huge = "9" * 400
    assert agree(f"id {huge}", f"номер {huge}", "en", "ru")
    assert not agree(f"id {huge}", f"номер {huge[:-1]}8", "en", "ru")


def test_a_100kb_line_is_compared():
    line = " ".join(f"{i},{i % 1000:03d} и 3,5 万 1.5 million {i % 97}%" for i in range(3000))[:100_000]
    assert compare_numbers(line, line[::-1], "en", "ru") is not None
    assert compare_numbers("1," * 50_000, "1 " * 50_000, "en", "ru") is not None


LANGUAGE_PAIRS = [("en", "ja"), ("en", "ru"), ("ja", "ru")]


@pytest.mark.parametrize("src_lang, tgt_lang", LANGUAGE_PAIRS)
def test_clean_translations_are_rarely_flagged(data, src_lang, tgt_lang):
    bench = data / "bench" / "ntrex_en-ja-ru_raw_dev"
    src = (bench / f"{src_lang}.txt").read_text(encoding="utf-8").splitlines()[:200]
    tgt = (bench / f"{tgt_lang}.txt").read_text(encoding="utf-8").splitlines()[:200]
    flagged = [s for s, t in zip(src, tgt) if not compare_numbers(s, t, src_lang, tgt_lang).ok]
    assert len(flagged) / len(src) < 0.03, flagged


@pytest.mark.parametrize("src_lang, tgt_lang", LANGUAGE_PAIRS)
def test_a_changed_number_is_caught(data, src_lang, tgt_lang):
    bench = data / "bench" / "ntrex_en-ja-ru_raw_dev"
    src = (bench / f"{src_lang}.txt").read_text(encoding="utf-8").splitlines()[:200]
    tgt = (bench / f"{tgt_lang}.txt").read_text(encoding="utf-8").splitlines()[:200]
    tried = caught = 0
    for s, t in zip(src, tgt):
        required = [q for q in extract_numbers(t, tgt_lang) if not q.optional and q.surface[-1].isdigit()]
        if not required:
            continue
        surface = required[0].surface
        last = surface[-1]
        changed = surface[:-1] + ("7" if last not in "7７" else "3")  # a different last digit
        tried += 1
        caught += not compare_numbers(s, t.replace(surface, changed, 1), src_lang, tgt_lang).ok
    assert tried > 30 and caught / tried >= 0.95


# (source, target, "source-target" languages, the severity of its number flag or "ok")
SEVERITIES = [
    # a changed number is major even where one side spells it out
    ("On 1 October, Bolivia took Chile to court.", "37月1日にボリビアはチリを提訴した。", "en-ja", "major"),
    ("On March 1, Bolivia took Chile to court.", "37月1日にボリビアはチリを提訴した。", "en-ja", "major"),
    ("Trump will hold five scheduled rallies next week.", "トランプ氏は来週予定されている22か所での集会を開く。",
     "en-ja", "major"),
    ("Five people died.", "Погибли семь человек.", "en-ru", "major"),
    ("5 people died.", "七人が死亡した。", "en-ja", "major"),
    # a number dropped where the other side keeps its numbers is major
    ("In 2018, 15 people died in the floods.", "2018年、洪水で人々が死亡した。", "en-ja", "major"),
    ("В 2018 году в Москве было 40 дождливых дней и 12 снежных.",
     "In 2018 Moscow had 40 rainy days and 12 snowy days and 9 foggy ones.", "ru-en", "major"),
    # alone it is as often a rephrasing; a small count is said in words (the three men)
    ("He is 100 percent sure.", "彼は絶対に確信している。", "en-ja", "minor"),
    ("The 3 men, aged 33 and 34, were arrested.", "33歳と34歳の男たちが逮捕された。", "en-ja", "minor"),
    # vague and word internal numerals never count as a changed number
    ("Hundreds of protesters and both parties", "何百人もの抗議者", "en-ja", "ok"),
    ("Mitsubishi sold 5 cars.", "三菱は五台を売った。", "en-ja", "ok"),
    ("It happened decades ago.", "Это случилось 30 лет назад.", "en-ru", "minor"),
    # conversions and spelled out numbers are understood
    ("The storm moved 45 miles inland.", "Шторм продвинулся на 72 км вглубь.", "en-ru", "ok"),
    ("It was 90°F in Phoenix.", "フェニックスは32℃だった。", "en-ja", "ok"),
    ("The bear weighed 550 pounds.", "クマの体重は250キロだった。", "en-ja", "ok"),
    ("The farm covers 200 acres.", "Ферма занимает 81 гектар.", "en-ru", "ok"),
    ("Five people died.", "Погибли 5 человек.", "en-ru", "ok"),
    ("5 people died.", "Погибли пять человек.", "en-ru", "ok"),
    ("5 people died.", "五人が死亡した。", "en-ja", "ok"),
    ("The storm moved 45 miles inland.", "Шторм продвинулся на 92 км вглубь.", "en-ru", "major"),
    # a bare one or a count said in words is a number the other side may have changed
    ("Locally, 1 to 4 inches of rain will cause flooding.", "地方では、2－4インチの雨が洪水を招く。", "en-ja", "major"),
    ("at about 04:00 BST on Saturday", "土曜日04:3 BST 頃に", "en-ja", "major"),
    ("Two shops will open, the second in Croydon.", "2つの店が開き、1つはクロイドンに。", "en-ja", "ok"),
    # a count in words whose place a figure took that the target writes twice (20人, 20代)
    ("Three teenage boys and a 20-year-old man were arrested.", "10代の少年20人と20代の男が逮捕された。", "en-ja",
     "major"),
    ("Three teenage boys and a 20-year-old man were arrested.", "10代の少年3人と20代の男が逮捕された。", "en-ja", "ok"),
]


@pytest.mark.parametrize("src, tgt, langs, severity", SEVERITIES)
def test_how_severe_a_number_mismatch_is(src, tgt, langs, severity):
    flags = number_flags(src, tgt, *langs.split("-"))
    assert (flags[0].severity if flags else "ok") == severity


def test_minutes_before_no_are_a_number_and_a_fraction_is_not():
    """3分の2 ("two thirds") is too free to insist on; 89分の間 ("in the 89th minute") is a number."""
    assert values("3分の2が賛成した。", "ja") == []
    assert values("89分のなかで得点した。", "ja") == [89]
    src = "Sturridge scored in the 89th minute."
    changed = compare_numbers(src, "スターリッジは92分のなかで得点した。", "en", "ja")
    assert changed.changed and changed.missing == ("89",)
    assert agree(src, "スターリッジは89分のなかで得点した。", "en", "ja")


def test_a_converted_value_may_be_rounded_to_the_nearest_half():
    """0.5 inches is 1.27 cm, which a translator writes 1,5 см; 10 miles is 16 km, and 18 km is another distance."""
    assert agree("More than 0.5 inches of rain may fall.", "Возможно выпадение до 1,5 см осадков.", "en", "ru")
    assert agree("It is 10 miles away.", "Это в 16 км отсюда.", "en", "ru")
    assert not agree("It is 10 miles away.", "Это в 18 км отсюда.", "en", "ru")


def test_a_decade_of_degrees_fahrenheit_is_a_temperature():
    """"Widespread 80s" in a weather report is 27-32 °C; outside one, the 80s are a decade."""
    src = "A warm start to October is expected, with widespread 80s from the Southern Plains."
    assert agree(src, "В начале октября ожидается теплая погода, до 27 градусов.", "en", "ru")
    assert not agree(src, "В начале октября ожидается теплая погода, до 12 градусов.", "en", "ru")
    assert not agree("Music of the 80s is back.", "Музыка 27 лет вернулась.", "en", "ru")


@pytest.mark.parametrize("src, tgt", [
    ("以 1.25 亿英镑的价格出售", "sold for £125m"),          # simplified 亿, set apart by a space
    ("价值1100万英镑的协议", "an £11million deal"),
    ("三千萬人", "30 million people"),                       # traditional 萬
    ("上世纪 八十年代，他", "In the 1980s he"),              # a decade in kanji numerals
    ("20世纪30年代的经济", "the economy of the 1930s"),      # the 30s of the 20th century
    ("在 20 世纪 30 年代由此撤出", "pulled out in the 1930s"),  # the same, set apart by spaces
])
def test_chinese_amounts_and_decades(src, tgt):
    assert compare_numbers(src, tgt, "zh", "en").ok


def test_chinese_decades_still_differ():
    assert not compare_numbers("20世纪30年代的经济", "the economy of the 1940s", "zh", "en").ok
    assert not compare_numbers("八十年代", "the 1970s", "zh", "en").ok


@pytest.mark.parametrize("src, tgt", [
    ("Um 20.30 Uhr waren sie am Fuss der Pyramide.", "A 20 h. 30 ils étaient au pied de la pyramide."),
    ("am 7. Juli um 13.30 Uhr", "le 7 juillet, à 13 h 30"),
    ("Um 16 Uhr standen sie am Turm.", "A 16 heures, ils sont au pied de la tour."),
    ("Das Allerschlimmste war oberhalb Lager 3.", "Le plus scabreux fut audessus du camp III."),  # Roman numerals
    ("die vier pakistanischen Achttausender", "les quatre « 8000 » pakistanais"),  # a peak over 8000 m
    ("mit sechs kotierten Siebentausendern", "six sommets dépassant les 7000 m"),
    ("Sie erreichten drei Gipfel.", "Ils ont gravi 3 sommets."),
    ("3 Rupies ( Fr. 2.70 ) pro Tag", "3 roupies ( 2 fr . 70 ) par jour"),  # francs and centimes
    ("Sie erreichten 3 Gipfel.", "Ils ont gravi trois sommets."),
    ("1952 und 1953 L. G. C. Pugh physiologisch", "1952/53 , L.G.C.Pugh en physiologie"),  # a season of two years
    ("im Winter 1999/00", "en hiver 1999-2000"),
    ("eine Länge von gut 30 cm und eine Breite von 20 cm", "12 pouces ( 305 mm ) de longueur sur 8 pouces"),
])
def test_german_and_french_times_and_roman_numerals(src, tgt):
    assert compare_numbers(src, tgt, "de", "fr").ok


def test_a_changed_time_and_lone_roman_letters():
    assert not compare_numbers("Um 20.30 Uhr waren sie dort.", "A 21 h. 30 ils étaient là.", "de", "fr").ok
    assert compare_numbers("Sie erreichten drei Gipfel.", "Ils ont gravi 4 sommets.", "de", "fr").changed
    assert compare_numbers("( Fr. 2.80 ) pro Tag", "( 2 fr . 70 ) par jour", "de", "fr").changed
    assert [q.kind for q in extract_numbers("camp III, XIXe siècle", "fr")] == ["roman", "roman"]
    assert extract_numbers("I think MIX and VIVID are words.", "en") == []
    # a Roman numeral is never required: World War II may be "the Second World War"
    assert compare_numbers("World War II ended.", "Вторая мировая война закончилась.", "en", "ru").ok


def test_a_month_is_sought_only_where_the_other_language_s_months_are_read():
    assert compare_numbers("The meeting will take place in June.", "Die Sitzung findet im Juni statt.", "en", "de").ok
    assert compare_numbers("Le vote aura lieu en juin.", "The vote will be held in June.", "fr", "en").ok
    changed = compare_numbers("The vote is on 12 March.", "Die Abstimmung ist am 15. März.", "en", "de")
    assert (changed.missing, changed.extra, changed.changed) == (("12",), ("15",), True)  # the day still counts
    assert compare_numbers("The vote is in June.", "Голосование в июле.", "en", "ru").missing == ("June",)


@pytest.mark.parametrize("src, tgt, src_lang, tgt_lang, reason", [
    ("The man died on Tuesday.", "その男性は木曜日に亡くなった。", "en", "ja", "the source's Tuesday is Thursday"),
    ("Он приехал в среду.", "He arrived on Thursday.", "ru", "en", "the source's Wednesday is Thursday"),
    ("5月1日(水)に会議が開かれた。", "The meeting was held on Friday, May 1.", "ja", "en",
     "the source's Wednesday is Friday"),
    ("Die Wahl ist am Sonntag.", "L'élection a lieu samedi.", "de", "fr", "the source's Sunday is Saturday"),
])
def test_a_date_on_another_weekday_is_a_number_flag(src, tgt, src_lang, tgt_lang, reason):
    # Weekdays were not compared: real translations of the dev data say 木曜日 (Thursday) for Tuesday. Minor:
    # news moves dates across time zones as often.
    (flag,) = number_flags(src, tgt, src_lang, tgt_lang)
    assert (flag.name, flag.severity) == ("number_mismatch", "minor") and reason in flag.reason


@pytest.mark.parametrize("src, tgt, src_lang, tgt_lang", [
    ("The man died on Tuesday.", "その男性は火曜日に亡くなった。", "en", "ja"),
    ("The vote was on Tuesday, March 3.", "Голосование прошло 3 марта.", "en", "ru"),  # a weekday left out
    ("В окружающей среде ничего не изменилось в понедельник.", "Nothing changed on Monday.", "ru", "en"),
    ("The talks resume on Monday.", "Die Gespräche beginnen am Montag wieder.", "en", "de"),
    ("Rain on Tuesday and through Wednesday.", "Дожди во вторник продлятся до среды.", "en", "ru"),
    ("Rain on Tuesday and Wednesday.", "Дожди пройдут ко вторнику.", "en", "ru"),  # one day left out
])
def test_the_same_weekday_or_one_left_out_is_no_flag(src, tgt, src_lang, tgt_lang):
    assert number_flags(src, tgt, src_lang, tgt_lang) == []
