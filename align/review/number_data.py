"""Words and units that stand for numbers, for :mod:`align.review.numbers`.

Data only: English, Russian, German and French number words (Russian in every case,
generated from stems), month names, multipliers and imperial units. Extend a table to teach the
number check a new word; nothing else needs to change.
"""
from __future__ import annotations

from decimal import Decimal

# Multipliers written after a number (10 тыс., 1.5 million, 3千), as powers of ten.
SCALES = {"thousand": 3, "k": 3, "million": 6, "mln": 6, "mn": 6, "m": 6, "billion": 9, "bn": 9,
          "trillion": 12, "tn": 12, "тыс": 3, "млн": 6, "млрд": 9, "трлн": 12,
          "тысяч": 3, "миллион": 6, "миллиард": 9, "триллион": 12, "百": 2, "千": 3, "万": 4, "億": 8, "兆": 12}
# Imperial units and the metric factor a translation is likely to have applied (±10 %).
IMPERIAL = {unit: Decimal(factor) for units, factor in (
    ("feet foot ft фут フィート pieds pied fuss", "0.3048"), ("yard yards yd ярд ヤード", "0.9144"),
    ("mile miles mi mph мил マイル milles meilen", "1.609"), ("inch inches дюйм インチ pouces pouce zoll", "2.54"),
    ("pound pounds lb lbs фунт ポンド livres pfund", "0.4536"), ("ounce ounces oz", "28.35"), ("gallon gallons", "3.785"),
    ("acre acres акр エーカー", "0.4047"))
    for unit in units.split()}
# What a kanji numeral counts when it stands for a figure (五人, 三つ, 二十五か所), not for part of a word (三菱, 五輪).
JA_COUNTERS = "|".join("""
人 名 つ 件 か所 カ所 ヶ所 箇所 回 度 年 日 カ月 か月 ヶ月 週 時間 分 秒 歳 才 枚 本 台 機 隻 頭 匹 羽 個 点 位 倍 社 校 軒 棟 票 議席
試合 勝 敗 戸 冊 杯 局 州 カ国 か国 ヶ国 階 期
""".split())
# Numbers said loosely (hundreds, десятки, 何千人, 数十年, 十数人): they may match a figure, never count as one.
VAGUE_WORDS = frozenset("""
hundreds thousands millions billions dozens decades dozen decade сотни сотен сотнями тысячи тысячами миллионы
миллионов миллионами десятки десятков десятками десяток пара пару пары
""".split())
VAGUE_KANJI = frozenset("何数")
KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
KANJI_POWERS = {"十": 1, "百": 2, "千": 3}


def _words(entries: str) -> dict[str, Decimal]:
    """'one once:1; two twice:2' → every word before a colon stands for the number after it."""
    table = {}
    for entry in entries.split(";"):
        words, value = entry.rsplit(":", 1)
        table |= dict.fromkeys(words.split(), Decimal(value))
    return table


def _declined(stems: str, endings: str, value: int) -> str:
    """Every stem with every ending, as one entry for :func:`_words`."""
    return " ".join(stem + ending for stem in stems.split() for ending in endings.split("|")) + f":{value}"


def _russian_words() -> dict[str, Decimal]:
    soft, adjective = "ь|и|ью", "ый|ой|ий|ая|ое|ее|ого|его|ому|ему|ым|им|ом|ем|ую|ые|ие|ых|их|ыми|ими|ей"
    declined = [_declined(stem, soft, value) for stem, value in (
        ("пят", 5), ("шест", 6), ("сем", 7), ("девят", 9), ("десят", 10), ("двадцат", 20), ("тридцат", 30))]
    declined += [_declined(stem + "надцат", soft, 11 + i)
                 for i, stem in enumerate("один две три четыр пят шест сем восем девят".split())]
    declined += [_declined(stem, adjective, value) for stem, value in (
        ("перв", 1), ("втор", 2), ("четверт четвёрт", 4), ("пят", 5), ("шест", 6), ("седьм", 7),
        ("восьм", 8), ("девят", 9), ("десят", 10))]
    declined += [_declined(stem, "|а|и|у|ей|ов|ам|ами|ах|ом", 10**power)
                 for stem, power in (("тысяч", 3), ("миллион", 6), ("миллиард", 9))]
    return _words(";".join(declined) + ";" + (
        "один одна одно одного одному одним одной одном одну:1; два две двух двум двумя оба обе обоих вдвое"
        " дважды двое двоих двоим пара пары пару парой:2; три трех трёх трем трём тремя втрое трижды трое"
        " троих:3; четыре четырех четырёх четырем четырьмя четверо четверых:4; пятеро пятерых:5; шестеро:6;"
        " семеро:7; восемь восьми восемью:8; сорок сорока:40; пятьдесят пятидесяти:50; шестьдесят"
        " шестидесяти:60; семьдесят семидесяти:70; восемьдесят восьмидесяти:80; девяносто девяноста:90;"
        " сто ста:100; двести:200; триста:300; дюжина дюжину дюжины:12; десяток десятка:10; сутки суток:24;"
        " полтора полторы полутора:1.5; третий третья третье третьего третьему третьим третьей третьем"
        " третью третьи третьих:3"))


def _english_words() -> dict[str, Decimal]:
    units = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
             "sixteen seventeen eighteen nineteen").split()
    tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()
    ordinals = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
    return {w: Decimal(i) for i, w in enumerate(units)} | {w: Decimal(20 + 10 * i) for i, w in enumerate(tens)} \
        | {w: Decimal(i) for i, w in enumerate(ordinals, 1)} | _words(
            "hundred:100; thousand:1000; million:1000000; billion:1000000000; dozen:12; decade decades:10;"
            "twice double doubled doubling both couple pair:2; once:1; triple tripled:3; half:0.5; quarter:0.25")


def _month_words() -> dict[str, Decimal]:
    """English month names and Russian ones in every case, nouns and adjectives (июньский саммит)."""
    months = {w: Decimal(i) for i, w in enumerate(
        "january february march april may june july august september october november december".split(), 1)}
    stems = "январ феврал март апрел ма июн июл август сентябр октябр ноябр декабр".split()
    adjectives = ("январск февральск мартовск апрельск майск июньск июльск августовск сентябрьск октябрьск "
                  "ноябрьск декабрьск").split()
    for i, (stem, adjective) in enumerate(zip(stems, adjectives), 1):
        endings = "|а|е|у|ом" if stem.endswith("т") else "й|я|е|ю|ем" if stem == "ма" else "ь|я|е|ю|ем|ём"
        months |= _words(_declined(stem, endings, i) + ";" + _declined(adjective, "ий|ого|ому|им|ом|ая|ой|ую|ое|ие|их|ими", i))
    return months


def _german_words() -> dict[str, Decimal]:
    """Cardinals from two (ein is the article too), and the peaks of a height in thousands of metres that
    Alpine writing counts: a Viertausender, the Achttausender (a French translation writes « 8000 »)."""
    units = "zwei drei vier fünf sechs sieben acht neun".split()
    words = {w: Decimal(i) for i, w in enumerate(units, 2)} | _words(
        "zehn:10; elf:11; zwölf:12; dreizehn:13; vierzehn:14; fünfzehn:15; sechzehn:16; siebzehn:17; achtzehn:18;"
        " neunzehn:19; zwanzig:20; dreissig dreißig:30; vierzig:40; fünfzig:50; sechzig:60; siebzig:70; achtzig:80;"
        " neunzig:90; hundert:100; tausend:1000")
    for i, unit in enumerate(units, 2):
        words |= dict.fromkeys((unit + "tausender" + ending for ending in ("", "n", "s")), Decimal(i * 1000))
    return words


def _french_words() -> dict[str, Decimal]:
    """Cardinals from two (un is the article too)."""
    return _words("deux:2; trois:3; quatre:4; cinq:5; six:6; sept:7; huit:8; neuf:9; dix:10; onze:11; douze:12;"
                  " treize:13; quatorze:14; quinze:15; seize:16; vingt:20; trente:30; quarante:40; cinquante:50;"
                  " soixante:60; cent cents:100; mille:1000")


SPELLED = {"en": _english_words(), "ru": _russian_words(), "de": _german_words(), "fr": _french_words()}
MONTHS = _month_words()
# Abbreviations count only with their full stop ("Oct. 2"), never as "Jan" the name.
MONTH_ABBREVIATIONS = {w: i for i, w in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
MONTH_ABBREVIATIONS["sept"] = 9
AMBIGUOUS_MONTHS = frozenset({"may", "march"})  # Theresa May; "march on": a date only next to a number

# Weekdays, Monday first, as each language writes them in a date (Tuesday → 木曜日, Thursday, in the dev data's
# own translations). Russian "среда" is the environment too: only "в/до/со/к среду/среды/среде" is a day;
# Japanese dates also write the day in brackets after the day of the month (1日(火)).
WEEKDAYS = {
    "en": [r"\bMondays?\b", r"\bTuesdays?\b", r"\bWednesdays?\b", r"\bThursdays?\b", r"\bFridays?\b",
           r"\bSaturdays?\b", r"\bSundays?\b"],
    "ru": [r"(?i)\bпонедельник", r"(?i)\bвторник", r"(?i)\b(?:в|до|со|к|на|по) сред[уые]\b", r"(?i)\bчетверг",
           r"(?i)\bпятниц", r"(?i)\bсуббот", r"(?i)\bвоскресень[еяю]"],
    "ja": [f"{day}曜|日\\s?[（(]{day}[)）]" for day in "月火水木金土日"],
    "zh": [f"(?:星期|礼拜){day}" for day in "一二三四五六"] + ["(?:星期|礼拜)[日天]"],
    "de": [r"\bMontags?\b", r"\bDienstags?\b", r"\bMittwochs?\b", r"\bDonnerstags?\b", r"\bFreitags?\b",
           r"\b(?:Samstags?|Sonnabends?)\b", r"\bSonntags?\b"],
    "fr": [r"(?i)\blundis?\b", r"(?i)\bmardis?\b", r"(?i)\bmercredis?\b", r"(?i)\bjeudis?\b",
           r"(?i)\bvendredis?\b", r"(?i)\bsamedis?\b", r"(?i)\bdimanches?\b"],
    "es": [r"(?i)\blunes\b", r"(?i)\bmartes\b", r"(?i)\bmiércoles\b", r"(?i)\bjueves\b", r"(?i)\bviernes\b",
           r"(?i)\bsábados?\b", r"(?i)\bdomingos?\b"],
}
