"""Numbers a translation must keep: extract them from a sentence and compare two sides.

A reviewer wants to know when "3,000" became "300". Translations rewrite numbers
legitimately (``1.5 million`` → ``150万``, ``3 p.m.`` → ``15:00``, ``20 feet`` →
``6 метров``, ``two`` → ``2``), so every number is reduced to the values it may
stand for, and the two sides are matched as multisets of values. Numbers spelled
out in words, kanji numerals, digits inside identifiers (``COVID-19``) and a bare
``1`` (often an article: "a mile" → ``1マイル``) are *optional*: they may account
for a number on the other side but are never reported missing themselves.

Every pattern is a linear regex and the matching is capped, so a 100 kB line costs
well under a second.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from align.lang import base_lang
from align.review.number_data import (
    AMBIGUOUS_MONTHS,
    IMPERIAL,
    JA_COUNTERS,
    KANJI_DIGITS,
    KANJI_POWERS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    SCALES,
    SPELLED,
    VAGUE_KANJI,
    VAGUE_WORDS,
    WEEKDAYS,
)

HALF = Decimal("0.5")
# Languages that write 3,5 for three and a half (and group thousands with spaces).
DECIMAL_COMMA_LANGS = frozenset(
    "ru uk be bg sr mk kk de fr es it pt pl cs sk nl sv da no nb fi tr el hu ro hr sl id vi".split())
CURRENCY = "£$€¥₽₩"
Reading = tuple[Decimal, Decimal]  # a value and how far off it may be written

_ALPHA = r"[A-Za-zÀ-ɏͰ-Ͽ\u0400-\u04ff]"  # scripts that glue letters to digits in identifiers
_TOKEN = re.compile(r"\d+(?:(?:[.,:/]|[-–‐](?=\d)| (?=\d{3}(?!\d)))\d+)*")
_SCALE_AFTER = re.compile(r"(?:[ -]?(?P<word>thousand|million|billion|trillion|mln|mn|bn|tn|млн|млрд|трлн|тыс"
                          r"|тысяч|миллион|миллиард|триллион)\w*\.?|(?P<glued>[km]))(?!\w)", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r" ?(?:%|‰|per ?cent(?!\w)|percent(?!\w)|процент\w*|パーセント)", re.IGNORECASE)
_AMPM_AFTER = re.compile(r" ?(?P<half>[ap])\.? ?m(?:\.|(?!\w))", re.IGNORECASE)
_DEGREES_AFTER = re.compile(r" ?(?:°|degrees?(?!\w)|градус|度)", re.IGNORECASE)  # Fahrenheit or Celsius: both
_UNIT_AFTER = re.compile(r"[ -]?(?P<unit>[a-z]+|фут|ярд|мил|дюйм|фунт|フィート|ヤード|マイル|インチ|ポンド)", re.IGNORECASE)
_DECADE_AFTER = re.compile(r"'?s(?!\w)|年代|-[хе](?!\w)")
_WEATHER = re.compile(r"(?i)\b(?:temperatures?|degrees?|warm|hot|heat|cool|cold|highs?|lows?)\b")
# 10代 "teens", 3分の2 "two thirds": too free to insist on; but 89分の間 is "89 minutes", a number.
_LOOSE_AFTER = re.compile(r"代|分の(?=[\d０-９一二三四五六七八九十])")
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th)(?!\w)|-[а-яё]{1,3}(?!\w)", re.IGNORECASE)
_COUNTER_AFTER = {"年": "year", "月": "month", "日": "day"}
_LETTERS_AFTER = re.compile(_ALPHA + "+")
_NEGATIVE_BEFORE = re.compile(r"(?:(?<![\w.,])[-−–]|(?:minus|минус|マイナス|氷点下|零下) ?)$", re.IGNORECASE)
_IDENTIFIER_BEFORE = re.compile(r"(?:\w*[A-ZА-ЯЁ]\w*[-‐]|" + _ALPHA + ")$")  # COVID-19, MWP2
# Two numbers sharing one unit ("2 to 4 inches"), or a number and its conversion "(72 km)".
_RANGE_GAP = re.compile(r" ?(?:-|–|—|~|〜|to|or|から|до|или) ?")
_CONVERSION_GAP = re.compile(r"[^()\d]{0,24}\( ?")
# Possessive quantifiers and the look-behind keep this linear on long digit runs.
# Chinese writes 1.25 亿 with a space as often as without.
_KANJI_COMPOUND = re.compile(r"(?<![\d.,])(?:\d++(?:,\d++)*+(?:\.\d++)?+(?: ?[兆億万]|[千百]))++(?:\d++(?![.,]?\d))?")
_CENTURY_DECADE = re.compile(r"(?<!\d)(?P<century>\d{1,2}) ?世[纪紀] ?(?P<decade>\d0) ?年代")
# 20.30 Uhr, 20 Uhr, 20 h 30, 20 h. 30, 20h30, 16 heures: German and French clock times.
_EU_TIME = re.compile(r"(?<![\d.,])(?P<h>[01]?\d|2[0-3])(?:[.:](?P<m>[0-5]\d) ?(?:Uhr|h)(?!\w)"
                      r"|(?: ?h(?:eures?)?\.?| Uhr)(?: ?(?P<m2>[0-5]\d))?(?![\w\d]))")
# 2 fr. 70, 2 fr 70: francs and centimes as French wrote prices (Fr. 2.70 in German).
_FRANCS = re.compile(r"(?<![\d.,])(?P<fr>\d{1,6}) ?fr ?\.? ?(?P<c>\d\d)(?![\d.,]?\d)")
# Roman numerals of two letters or more, in capitals (camp III, Annapurna IV, XIXe siècle): read, never required.
_ROMAN = re.compile(r"(?<![\w-])(?=[IVX]{2})(?P<tens>X{0,3})(?P<ones>IX|IV|V?I{0,3})(?=e\b|\b)(?!-)")
_ROMAN_ONES = {"": 0, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}
# A height in feet and inches, one figure: 6-foot-6, 6 ft 6 in, 6'6", 6 футов 6 дюймов, 6フィート6インチ; and
# the inches already in centimetres (6フィート15センチ).
_FEET_INCHES = re.compile(
    r"(?<![\d.,])(?P<ft>\d{1,2})(?:-(?:foot|feet)-(?P<a>\d{1,2})(?:-inch(?:es)?)?(?![\w-])"
    r"| ?(?:feet|foot|ft\.?|фут\w*|フィート),? ?(?P<b>\d{1,2}) ?(?:(?P<cm>(?:cm|см)(?!\w)|センチ(?:メートル)?)"
    r"|(?:inch(?:es)?|in\.?|дюйм\w*)(?!\w)|インチ)| ?['′’] ?(?P<c>\d{1,2}) ?(?:[\"″”]|''))")
INCH = Decimal("2.54")
FOOT = Decimal("30.48")
_JA_TIME = re.compile(r"(?P<half>午前|午後)?(?P<h>\d{1,2})時(?!間)(?:(?P<m>\d{1,2})分|(?P<han>半))?")
_KANJI_RUN = re.compile(r"[〇一二三四五六七八九十百千万億兆]+")
_JA_COUNTER = re.compile(JA_COUNTERS)
_COUNTED_AFTER = re.compile(rf"(?:{JA_COUNTERS})| [a-zа-яё]")
_WORDS = re.compile(r"[^\W\d_]+")
_JOINER = re.compile(r" ?-? ?| and | и ")


@dataclass(frozen=True)
class Quantity:
    """One number as written, with every value it may fairly be translated as.

    ``slack`` is half a unit of the last digit written, so ``1.5 million`` matches
    1,460,000 but ``1939`` does not match 1938. ``alternatives`` are further
    ``(value, slack)`` readings: ``3 p.m.`` is also 3, ``20 feet`` is also ~6 (metres).
    ``unit`` is the metric factor of the imperial unit it is written in, or converts in brackets
    (the 72 of "45 miles (72 km)"); 0 when none.
    """

    value: Decimal
    kind: str
    surface: str
    slack: Decimal = Decimal(0)
    optional: bool = False
    alternatives: tuple[Reading, ...] = ()
    unit: Decimal = Decimal(0)

    def readings(self) -> tuple[Reading, ...]:
        return ((self.value, self.slack), *self.alternatives)

    def matches(self, other: Quantity) -> bool:
        """Equal within rounding, one side read as written: two conversions of "550 pounds"
        must not excuse "556 pounds". Two numbers in the same imperial unit are compared as written:
        "3 to 6 inches" is not "7から6インチ", though 3 inches are 7.6 cm."""
        if self.unit and self.unit == other.unit:
            return abs(self.value - other.value) <= max(self.slack, other.slack)
        return any(abs(a - other.value) <= max(s, other.slack) for a, s in self.readings()) or \
            any(abs(self.value - b) <= max(self.slack, s) for b, s in other.alternatives)


@dataclass(frozen=True)
class NumberCheck:
    """Numbers of the source missing from the target, and numbers the target added; ``changed`` when
    the other side has a different number where this one should be (see :func:`compare_numbers`)."""

    missing: tuple[str, ...]
    extra: tuple[str, ...]
    changed: bool = False

    @property
    def ok(self) -> bool:
        return not self.missing and not self.extra

    def reason(self) -> str:
        if not self.missing:
            return f"number {', '.join(self.extra)} in the target is not in the source" if self.extra \
                else "numbers agree"
        reason = f"number {', '.join(self.missing)} in the source is missing from the target"
        return reason + (f"; target has {', '.join(self.extra)}" if self.extra else "")


# Simplified and traditional Chinese multipliers, read as the Japanese ones.
_CJK_FOLD = str.maketrans({"亿": "億", "萬": "万"})


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """NFKC (full-width digits, NBSP and thin spaces), Chinese multipliers as Japanese ones (亿 as 億),
    and a map back to the original offsets."""
    if unicodedata.is_normalized("NFKC", text) and "亿" not in text and "萬" not in text:
        return text, None
    pieces, origin = [], []
    for i, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).translate(_CJK_FOLD)
        pieces.append(folded)
        origin.extend([i] * len(folded))
    return "".join(pieces), origin


class _Scanner:
    """Reads the quantities of one sentence, pass by pass; see :func:`extract_numbers`."""

    def __init__(self, text: str, lang: str) -> None:
        self.raw = text
        self.text, self.origin = _normalise(text)
        self.lang = base_lang(lang)
        self.found: list[tuple[int, int, Quantity]] = []
        self.taken: list[tuple[int, int]] = []  # spans read by earlier passes, sorted
        self.unit_factor: dict[int, Decimal] = {}

    def run(self) -> list[Quantity]:
        for m in _JA_TIME.finditer(self.text):
            hour, minutes = int(m["h"]), Decimal(30 if m["han"] else int(m["m"] or 0))
            self.add(m.start(), m.end(), hour + (12 if m["half"] == "午後" and hour < 12 else 0) + minutes / 60,
                     "time", alternatives=((hour + minutes / 60, Decimal(0)),))
        for m in _EU_TIME.finditer(self.text):
            self.clock(m.start(), m.end(), Decimal(m["h"]), Decimal(m["m"] or m["m2"] or 0))
        for m in _FEET_INCHES.finditer(self.text):
            self.height(m)
        for m in _FRANCS.finditer(self.text):
            self.add(m.start(), m.end(), Decimal(f"{m['fr']}.{m['c']}"), "number")
        for m in _CENTURY_DECADE.finditer(self.text):  # 20世纪30年代: the 1930s
            decade = (int(m["century"]) - 1) * 100 + int(m["decade"])
            self.add(m.start(), m.end(), Decimal(decade), "decade")
        self.seal()
        for m in _KANJI_COMPOUND.finditer(self.text):
            if not self.is_taken(m.start(), m.end()):
                self.kanji_compound(m)
        self.seal()
        for m in _TOKEN.finditer(self.text):
            if not self.is_taken(m.start(), m.end()):
                self.token(m.start(), m.group())
        self.seal()
        self.share_units()
        self.number_words()
        return [q for _, _, q in sorted(self.found, key=lambda item: item[0])]

    def add(self, start: int, end: int, value: Decimal, kind: str, slack: Decimal = Decimal(0),
            optional: bool = False, alternatives: tuple[Reading, ...] = (), unit: Decimal = Decimal(0)) -> None:
        surface = self.raw[self.origin[start]:self.origin[end - 1] + 1] if self.origin else self.raw[start:end]
        self.found.append((start, end, Quantity(value, kind, surface, slack, optional, alternatives, unit)))

    def seal(self) -> None:
        self.found.sort(key=lambda item: item[0])
        self.taken = [(start, end) for start, end, _ in self.found]

    def is_taken(self, start: int, end: int) -> bool:
        i = bisect_right(self.taken, (start, len(self.text)))
        return i > 0 and self.taken[i - 1][1] > start or i < len(self.taken) and self.taken[i][0] < end

    def kanji_compound(self, m: re.Match) -> None:
        """1万, 3千, 1.5万, 1億2,500万: digits with kanji multipliers, summed."""
        value, slack = Decimal(0), HALF
        for digits, unit in re.findall(r"([\d.,]+) ?([兆億万千百]?)", m.group()):
            scale, number = Decimal(10) ** SCALES.get(unit, 0), Decimal(digits.replace(",", ""))
            value += number * scale
            slack = HALF * scale * Decimal(10) ** number.as_tuple().exponent
        self.add(m.start(), m.end(), value, "number", slack)

    def token(self, start: int, token: str) -> None:
        """Split one run of digits and separators into numbers, times, dates or a literal."""
        parts = re.split(r"([.,:/ \-–‐])", token)
        groups, seps = parts[::2], parts[1::2]
        if len(groups) >= 3 and set(seps) <= set("-–‐") and sum(map(len, groups)) >= 7 and \
                not re.fullmatch(r"\d{4}-\d\d-\d\d", token):  # a phone number: compared digit by digit
            return self.add(start, start + len(token), Decimal("".join(groups)), "literal")
        if len(groups) == 3 and len(set(seps)) == 1 and seps[0] in "./" and len(groups[2]) in (2, 4) \
                and all(len(g) <= 2 for g in groups[:2]):  # 3.10.2018 is a date, not 3.1
            for group, kind in zip(groups, ("day", "month", "year")):
                self.add(start, start + len(group), Decimal(group), kind)
                start += len(group) + 1
            return
        if len(groups) == 2 and seps == ["/"] and len(groups[0]) == 4 and len(groups[1]) == 2 \
                and int(groups[1]) == (int(groups[0]) + 1) % 100:  # 1952/53: a season of two years
            self.add(start, start + 4, Decimal(groups[0]), "number", HALF)
            self.add(start + 5, start + 7, Decimal(int(groups[0]) + 1), "number", HALF,
                     alternatives=((Decimal(groups[1]), HALF),))
            return
        first = 0
        while first < len(groups):
            length, used = self.number(start, groups, seps, first)
            first, start = first + used, start + length + 1

    def number(self, start: int, groups: list[str], seps: list[str], first: int) -> tuple[int, int]:
        """Read one number from ``groups[first:]``; returns its length and how many groups it used."""
        digits, fraction, joiner, used, length = groups[first], "", None, 1, len(groups[first])
        alternatives: list[Reading] = []
        while first + used < len(groups) and not fraction:
            sep, nxt = seps[first + used - 1], groups[first + used]
            thousands = len(nxt) == 3 and len(groups[first]) <= 3 and joiner in (None, sep)
            if sep == ":" and len(nxt) == 2 and len(digits) <= 2:
                self.clock(start, start + length + 3, Decimal(digits), Decimal(nxt))
                return length + 3, used + 1
            if thousands and (sep == " " or sep == "," and self.lang not in DECIMAL_COMMA_LANGS):
                digits, joiner = digits + nxt, sep
            elif sep in ".," and joiner is None and (sep == "." or self.lang in DECIMAL_COMMA_LANGS):
                fraction = nxt
                if thousands:  # "1,000" in a Russian text may be a thousand after all
                    alternatives.append((Decimal(digits + nxt), HALF))
            else:
                break
            length, used = length + 1 + len(nxt), used + 1
        value = Decimal(f"{digits}.{fraction}" if fraction else digits)
        self.classify(start, start + length, value, HALF * Decimal(10) ** -len(fraction), alternatives)
        return length, used

    def height(self, m: re.Match) -> None:
        """6-foot-6: one height, read in centimetres (198, within an inch) and metres (1,98 or 2 m)."""
        rest = Decimal(m["a"] or m["b"] or m["c"])
        cm = int(m["ft"]) * FOOT + (rest if m["cm"] else rest * INCH)
        self.add(m.start(), m.end(), cm, "height", Decimal(2), alternatives=((cm / 100, Decimal("0.05")),))

    def clock(self, start: int, end: int, hour: Decimal, minutes: Decimal) -> None:
        """A time of day; with a.m./p.m. it also stands for the 12-hour figure."""
        alternatives: tuple[Reading, ...] = ()
        if m := _AMPM_AFTER.match(self.text, end):
            alternatives = ((hour + minutes / 60, Decimal(0)),)
            hour, end = hour % 12 + (12 if m["half"].lower() == "p" else 0), m.end()
        self.add(start, end, hour + minutes / 60, "time", alternatives=alternatives)

    def classify(self, start: int, end: int, value: Decimal, slack: Decimal, alternatives: list[Reading]) -> None:
        """Read what surrounds a number: sign, scale, percent, time of day, unit, identifier."""
        text, before = self.text, self.text[max(0, start - 12):start]
        kind, optional = "number", False
        if before.endswith("第"):
            kind = "ordinal"
        elif _IDENTIFIER_BEFORE.search(before):
            kind, optional = "identifier", True
        elif negative := _NEGATIVE_BEFORE.search(before):
            value, start = -value, start - len(negative.group())
        if kind == "number" and 0 <= value < 13 and _AMPM_AFTER.match(text, end):
            hour, minutes = divmod(value, 1)  # 7.55am
            return self.clock(start, end, hour, minutes * 100)
        if kind != "identifier" and (m := _SCALE_AFTER.match(text, end)):
            word = (m["word"] or m["glued"]).lower()
            scale = Decimal(10) ** SCALES[word]
            readings = [(v * scale, s * scale) for v, s in [(value, slack), *alternatives]]
            if word == "m" and not any(c in before[-2:] for c in CURRENCY):
                readings.append((value, slack))  # 3.2m: millions, or metres
            (value, slack), alternatives, end = readings[0], readings[1:], m.end()
        if m := _PERCENT_AFTER.match(text, end):
            kind, end = "percent", m.end()
        elif _DEGREES_AFTER.match(text, end):
            alternatives.append(((value - 32) * 5 / 9, Decimal(2)))
        elif (m := _UNIT_AFTER.match(text, end)) and (factor := IMPERIAL.get(m["unit"].lower())):
            self.unit_factor[start] = factor
            # converted, a value is rounded: within a tenth, or to the nearest half (0.5 in → 1,5 см)
            alternatives.append((value * factor, max(value * factor / 10, HALF)))
        elif _DECADE_AFTER.match(text, end):
            if 0 <= value < 100 and value % 10 == 0:  # the '90s, 30-е годы
                alternatives += [(value + 1900, Decimal(0)), (value + 2000, Decimal(0))]
            if value % 10 == 0 and _WEATHER.search(text):  # highs in the 80s (°F): 27 градусов
                alternatives.append(((value + Decimal("4.5") - 32) * 5 / 9, Decimal(3)))
            kind = "decade"
        elif _LOOSE_AFTER.match(text, end) or before.endswith("分の"):
            optional = True
        elif kind == "number" and _ORDINAL_AFTER.match(text, end):
            kind = "ordinal"
        elif kind == "number" and text[end:end + 1] in _COUNTER_AFTER:
            kind = _COUNTER_AFTER[text[end]]
        elif (m := _LETTERS_AFTER.match(text, end)) and not (m.group().islower() and len(m.group()) <= 3):
            kind, optional = "identifier", True  # 5G, 3D; but 5km, 10kg are numbers
        if kind == "number" and slack == HALF and 1000 <= value <= 2100:
            kind = "year"
        if slack == HALF and abs(value) >= 10**15:
            kind = "literal"
        optional = optional or value == 1 and slack == HALF  # "a mile", "another van": 1マイル, もう1台
        if kind == "number" and value in (2, 3) and slack == HALF and _COUNTED_AFTER.match(text, end):
            kind = "few"  # 2人, 3 men: a count a translator may say in words (the couple, the three)
        unit = self.unit_factor.get(start, Decimal(0))
        self.add(start, end, value, kind, slack, optional, tuple(alternatives), unit)

    def share_units(self) -> None:
        """"2 to 4 inches": the unit of the second number applies to the first; "45 miles (72 km)":
        the two are one quantity, and either may account for the other side's number."""
        for k in range(len(self.found) - 1):
            (start, end, first), (next_start, next_end, second) = self.found[k], self.found[k + 1]
            gap = self.text[end:next_start]
            if next_start in self.unit_factor and start not in self.unit_factor and _RANGE_GAP.fullmatch(gap):
                converted = first.value * self.unit_factor[next_start]
                first = replace(first, alternatives=(*first.alternatives, (converted, converted / 10)),
                                unit=self.unit_factor[next_start])
            elif _CONVERSION_GAP.fullmatch(gap) and not first.optional:
                # "300 km (190 miles)": the metric figure is written out, so the miles' conversion computed
                # here must not stand in for it (it would excuse 303 км). The other way round, "12 inches
                # (305 mm)", the metric figure may be in another unit than the other side's (30 cm), and the
                # inches' own conversion is kept.
                if start not in self.unit_factor and next_start in self.unit_factor:
                    second = replace(second, alternatives=())
                first = replace(first, alternatives=(*first.alternatives, *second.readings()))
                # Where the first is in miles, the figure in brackets takes their unit: it is then compared
                # as written with the other side's miles, and cannot account for them while the other side's
                # brackets account for these ("45 miles (72 km)" against "50マイル（72キロ）").
                second = replace(second, optional=True, unit=first.unit or second.unit)
                self.found[k + 1] = (next_start, next_end, second)
            self.found[k] = (start, end, first)

    def number_words(self) -> None:
        """Months (required), spelled-out numbers and kanji numerals (optional)."""
        words, spans = SPELLED.get(self.lang, {}), []
        for m in _WORDS.finditer(self.text):
            word, lower = m.group(), m.group().lower()
            if self.is_taken(m.start(), m.end()):
                continue
            if lower in MONTHS and (self.lang == "ru" or self.lang == "en" and word[0].isupper()):
                quiet = lower in AMBIGUOUS_MONTHS and not re.search(r"\d ?$", self.text[m.start() - 2:m.start()]) \
                    and not re.match(r" ?\d", self.text[m.end():m.end() + 2])
                self.add(m.start(), m.end(), Decimal(MONTHS[lower]), "month", optional=quiet)
            elif lower in MONTH_ABBREVIATIONS and word.istitle() and self.text.startswith(".", m.end()):
                self.add(m.start(), m.end() + 1, Decimal(MONTH_ABBREVIATIONS[lower]), "month")
            elif lower in words:
                spans.append((m.start(), m.end(), words[lower]))
        for start, end, values in self.join_words(spans):
            vague = self.text[start:end].lower() in VAGUE_WORDS
            self.add(start, end, _combine_words(values), "vague" if vague else "spelled", optional=True)
        for m in _ROMAN.finditer(self.text):
            if m.group() and not self.is_taken(m.start(), m.end()):
                value = 10 * len(m["tens"]) + _ROMAN_ONES[m["ones"]]
                self.add(m.start(), m.end(), Decimal(value), "roman", optional=True)
        for m in _KANJI_RUN.finditer(self.text):
            if not self.is_taken(m.start(), m.end()) and any(c in KANJI_DIGITS or c in KANJI_POWERS
                                                             for c in m.group()):
                before, after = self.text[m.start() - 1:m.start()], self.text[m.end():m.end() + 1]
                counted = (bool(_JA_COUNTER.match(self.text, m.end())) or before == "第") and \
                    before not in VAGUE_KANJI and after not in VAGUE_KANJI
                value = _kanji_value(m.group())
                if self.text.startswith("年代", m.end()) and value < 100 and value % 10 == 0:  # 八十年代: the 1980s
                    self.add(m.start(), m.end(), value, "decade", alternatives=((value + 1900, Decimal(0)),
                                                                                (value + 2000, Decimal(0))))
                else:
                    self.add(m.start(), m.end(), value, "counted" if counted else "kanji", optional=True)

    def join_words(self, spans: list[tuple[int, int, Decimal]]) -> Iterator[tuple[int, int, list[Decimal]]]:
        """Adjacent number words are one number: "twenty-five", "две тысячи", but not "обе пары"."""
        group: list[tuple[int, int, Decimal]] = []
        for span in spans:
            if group and not (_JOINER.fullmatch(self.text[group[-1][1]:span[0]]) and
                              (span[2] in (100, 1000) or span[2] >= 10**6 or
                               group[-1][2] >= 20 and group[-1][2] % 10 == 0 and span[2] < 10)):
                yield group[0][0], group[-1][1], [value for _, _, value in group]
                group = []
            group.append(span)
        if group:
            yield group[0][0], group[-1][1], [value for _, _, value in group]


def _combine_words(values: list[Decimal]) -> Decimal:
    total, current = Decimal(0), Decimal(0)
    for value in values:
        if value >= 1000:
            total, current = total + max(current, Decimal(1)) * value, Decimal(0)
        elif value == 100 and current < 100:
            current = max(current, Decimal(1)) * 100
        else:
            current += value
    return total + current


def _kanji_value(run: str) -> Decimal:
    """三千 → 3000, 二十五 → 25, 一億五千万 → 150000000."""
    total = section = digit = 0
    for char in run:
        if char in KANJI_DIGITS:
            digit = digit * 10 + KANJI_DIGITS[char]
        elif char in KANJI_POWERS:
            section, digit = section + (digit or 1) * 10 ** KANJI_POWERS[char], 0
        else:
            total, section, digit = total + ((section + digit) or 1) * 10 ** SCALES[char], 0, 0
    return Decimal(total + section + digit)


def extract_numbers(text: str, lang: str) -> list[Quantity]:
    """Every number, percent, date part, time and spelled-out number in ``text``, in order."""
    return _Scanner(text, lang).run() if text else []


MAX_PAIRS_TO_TRY = 250_000  # past this many leftover pairs a line is not prose; exact matches only


def _match(left: list[Quantity], right: list[Quantity]) -> tuple[set[int], set[int]]:
    """A maximum matching of equal values, required numbers first.

    Required numbers of equal value pair off at once; what is left (conversions,
    rounding, alternatives, optional words) goes through Kuhn's augmenting paths.
    """
    owner: dict[int, int] = {}
    by_value: dict[Decimal, list[int]] = defaultdict(list)
    for j in sorted(range(len(right)), key=lambda j: not right[j].optional):
        by_value[right[j].value].append(j)  # required last, so pop() takes them first
    rest = []
    for i in sorted(range(len(left)), key=lambda i: left[i].optional):
        if not left[i].optional and by_value.get(left[i].value):
            owner[by_value[left[i].value].pop()] = i
        else:
            rest.append(i)
    free = sorted((j for j in range(len(right)) if j not in owner), key=lambda j: right[j].optional)
    if len(rest) * len(free) > MAX_PAIRS_TO_TRY:
        return set(owner.values()), set(owner)

    def augment(i: int, seen: set[int]) -> bool:
        for j in free:
            if j not in seen and left[i].matches(right[j]):
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in rest:
        augment(i, set())
    return set(owner.values()), set(owner)


def _counted_word(quantity: Quantity) -> bool:
    """A number spelled out that counts something (five, пять, 五人, 二十五). One, first and a kanji
    numeral inside a word (一部, 三菱, 五輪) count for nothing."""
    return quantity.kind in ("spelled", "counted") and quantity.value >= 2 and not quantity.value % 1


def _written_twice(quantities: list[Quantity], matched: set[int]) -> bool:
    """Whether a figure left over on this side repeats one matched there: the other side writes it once, so
    one of the two stands where something else was (Three teenage boys and a 20-year-old → 10代の少年20人と
    20代の男: one 20 is matched to the 20-year-old, the other is where the three went)."""
    values = {quantities[i].value for i in matched}
    return any(i not in matched and q.kind == "number" and q.value != 1 and q.value in values
               for i, q in enumerate(quantities))


# Languages whose month names (June, июнь) or month counters (6月) are read: elsewhere (Juni, juin, junio) a month
# cannot be found, so one that the other side names is not reported missing there.
MONTHS_READ_IN = frozenset({"en", "ru", "ja", "zh"})


def _required(q: Quantity, other_lang: str) -> bool:
    return not q.optional and (q.kind != "month" or base_lang(other_lang) in MONTHS_READ_IN)


_WEEKDAY_RES = {lang: [re.compile(p) for p in patterns] for lang, patterns in WEEKDAYS.items()}


def weekdays(text: str, lang: str) -> frozenset[int]:
    """The weekdays ``text`` names (1 Monday … 7 Sunday); empty where its language's are not known."""
    return frozenset(day for day, pattern in enumerate(_WEEKDAY_RES.get(base_lang(lang), ()), 1)
                     if pattern.search(text))


def weekday_mismatch(src: str, tgt: str, src_lang: str, tgt_lang: str) -> str | None:
    """Where each side names a weekday the other does not (one replaced by another), the reason; a weekday
    one side leaves out is no error."""
    left, right = weekdays(src, src_lang), weekdays(tgt, tgt_lang)
    if not (left - right and right - left):
        return None
    names = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
    said = lambda days: " and ".join(names[d - 1] for d in sorted(days))  # noqa: E731
    return f"the source's {said(left)} is {said(right)} in the target"


def compare_numbers(src: str, tgt: str, src_lang: str, tgt_lang: str) -> NumberCheck:
    """Numbers of ``src`` with no equal value in ``tgt``, and the reverse, as display strings.

    A number is *changed*, not merely left out or added, where the other side has a different
    number in its place: a figure of its own (3,000 → 300), a number in words (five → 22,
    5 → семь, 五人 → 7), a bare 1 ("1 to 4 inches" → 2-4インチ), or its other numbers kept while
    this one went. Numbers in words on both sides that differ (five → семь) are changed too.
    Translators say small counts in words (the couple → 2人, "a second meeting" → 2回目), so a 2 or
    3 before a counter that has gone alone is not.
    """
    left, right = extract_numbers(src, src_lang), extract_numbers(tgt, tgt_lang)
    matched_left, matched_right = _match(left, right)
    lost = [q for i, q in enumerate(left) if i not in matched_left and _required(q, tgt_lang)]
    added = [q for j, q in enumerate(right) if j not in matched_right and _required(q, src_lang)]
    src_words = [q for i, q in enumerate(left) if i not in matched_left and _counted_word(q)]
    tgt_words = [q for j, q in enumerate(right) if j not in matched_right and _counted_word(q)]
    src_ones = [q for i, q in enumerate(left) if i not in matched_left and q.kind == "number" and q.optional
                and q.value == 1]
    tgt_ones = [q for j, q in enumerate(right) if j not in matched_right and q.kind == "number" and q.optional
                and q.value == 1]
    src_twice, tgt_twice = _written_twice(left, matched_left), _written_twice(right, matched_right)
    kept = not all(q.kind == "few" for q in lost + added) and any(not left[i].optional for i in matched_left)
    changed = bool(lost and (added or tgt_words or tgt_ones or kept) or added and (src_words or src_ones or kept)
                   or src_words and (tgt_words or tgt_twice) or tgt_words and src_twice)
    if changed:
        lost, added = lost or src_words or src_ones, added or tgt_words or tgt_ones
    return NumberCheck(tuple(q.surface for q in lost), tuple(q.surface for q in added), changed)
