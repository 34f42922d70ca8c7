"""Splitting text into sentences, with offsets into the original text.

A hand-written rule splitter: it never changes a character (every sentence
is a slice of the input), runs in linear time, and its abbreviation lists
can be read and extended. Lines are paragraphs; a line mixing languages is
first cut into language runs (``langtag.split_runs``), each split with its
own language's rules.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from align.lang import UNDETERMINED, base_lang, is_cjk, semicolon_asks, space_ended_script
from align.text.langtag import detect_language, split_runs
from align.types import Segment

# --- Chinese and Japanese ----------------------------------------------------

# Burmese ။ and Khmer ។ ៕ end sentences of scripts also written without spaces between words.
_CJK_TERMINATORS = "。！？!?．｡‼⁉⁈⁇။។៕"
_CJK_OPEN_TO_CLOSE = {"「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "〔": "〕",
                      "《": "》", "〈": "〉", "“": "”", "［": "］"}
_CJK_CLOSERS = "".join(_CJK_OPEN_TO_CLOSE.values()) + "\"'’"
# After a closing quote, these continue the sentence: 「…。」と述べた。
_QUOTE_CONTINUATIONS = "とっのをにがはもでやか、，"


def _split_cjk(text: str) -> list[int]:
    """Sentence ends (exclusive offsets) in a CJK paragraph."""
    ends, unclosed = _cjk_ends(text, use_brackets=True)
    if unclosed is None:
        return ends
    # A bracket that never closes would swallow the rest of the paragraph;
    # before it the brackets were fine, after it split at every terminator.
    kept = [end for end in ends if end <= unclosed]
    rest, _ = _cjk_ends(text[unclosed:], use_brackets=False)
    return kept + [unclosed + end for end in rest]


def _cjk_ends(text: str, use_brackets: bool) -> tuple[list[int], int | None]:
    ends: list[int] = []
    stack: list[tuple[str, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if use_brackets and ch == '"' and stack and stack[-1][0] == '"':
            stack.pop()
            i = _after_quote_close(text, i + 1, stack, ends)
            continue
        if use_brackets and (ch in _CJK_OPEN_TO_CLOSE or ch == '"'):
            stack.append((_CJK_OPEN_TO_CLOSE.get(ch, '"'), i))
        elif use_brackets and stack and ch == stack[-1][0]:
            stack.pop()
            i = _after_quote_close(text, i + 1, stack, ends)
            continue
        elif ch in _CJK_TERMINATORS and not stack and _cjk_terminates(text, i):
            j = i + 1
            while j < n and (text[j] in _CJK_TERMINATORS or text[j] in _CJK_CLOSERS):
                j += 1
            ends.append(j)
            i = j
            continue
        i += 1
    return ends, (stack[0][1] if stack else None)


_NEXT_VISIBLE = re.compile(r"\s*(\S)")  # the next character that is not a space, without copying the rest


def _after_quote_close(text: str, j: int, stack: list, ends: list[int]) -> int:
    """A quotation ending in a terminator ends the sentence, unless the
    sentence carries on after it (「…。」と述べた)."""
    if stack or j < 2 or text[j - 2] not in _CJK_TERMINATORS:
        return j
    while j < len(text) and text[j] in _CJK_CLOSERS:
        j += 1
    following = _NEXT_VISIBLE.match(text, j)
    if following and following.group(1) in _QUOTE_CONTINUATIONS or _SPEECH_TAG.match(text, j):
        return j
    ends.append(j)
    return j


# Chinese says who spoke after the quotation, in the same sentence: “你来了？”他笑着问道。 A short clause with a
# verb of saying up to the next full stop is that tag (然后他们离开了。 after a quotation is a sentence of its own).
_SPEECH_TAG = re.compile(r"\s*[^。！？!?“”「」\n]{0,10}?(?:[问問说說笑答叫喊嚷叹嘆骂罵]道|说|說|问|問|答|喊|嚷)"
                         r"[^。！？!?“”「」\n]{0,6}[。！？!?]")


def _cjk_terminates(text: str, i: int) -> bool:
    """ASCII ``!``/``?`` inside Latin words (Yahoo!ニュース) and a full-width
    point between digits (３．５) do not end a sentence."""
    ch = text[i]
    after = text[i + 1] if i + 1 < len(text) else ""
    if ch in "!?" and i and text[i - 1].isascii() and text[i - 1].isalnum():
        return not after or after.isspace()
    if ch == "．":
        return not (after.isdigit() and i and text[i - 1].isdigit())
    return True


# --- Alphabetic scripts ------------------------------------------------------

# Besides the Latin marks: Arabic ؟, Devanagari । ॥, Urdu ۔, Armenian ։, Ethiopic ። ፧ ፨ and Tibetan ། ༎.
_TERMINATORS = ".!?…‼⁉⁈⁇؟।॥۔։።፧፨།༎"
_TERMINATOR_RE = re.compile(f"[{_TERMINATORS}]+")
_TERMINATOR_OR_SEMICOLON_RE = re.compile(f"[{_TERMINATORS};]+")
_ALPHA_CLOSERS = "\"'”’»)]}›」』"
_ALPHA_OPENERS = "\"'“‘«([{‹„「『"
_DASHES = "—–-"

# Abbreviations (lowercase, without the final point) after which a point
# never ends a sentence: titles before names, words before numbers.
_NEVER_FINAL = {
    "en": "mr mrs ms dr prof st mt gen sen rep gov lt col capt sgt cmdr adm maj rev hon pres "
          "messrs mme mlle vs v e.g i.e cf approx ca viz dept univ assn fig figs eq vol vols "
          "ch chap sec para op jan feb mar apr jun jul aug sep sept oct nov dec",
    "ru": "г-н г-жа гр тов им ул пр пр-т просп пл пер д кв корп стр обл р-н пос дер ср "
          "напр проф акад доц ген адм полк ст гл п пп рис табл т.е т.к т.н т.ч англ нем "
          "франц фр лат греч итал исп кит яп букв ок прим ред сокр тел",
    "de": "z.b d.h bzw nr dr prof ca vgl u.a str evtl ggf hr fr sog bzw ebd inkl "
          "med dent phil rer nat jur theol habil dipl ing geb gest verh hrsg bearb verf bd abb anm gegr",
    "fr": "m mme mlle mm dr pr p.ex av bd env cf st ste vol chap éd",
    "es": "sr sra srta dr dra d dña ud uds av p.ej ee",
    "it": "sig sigg dott prof ing avv ecc pag pagg",
    "nl": "dhr mevr mr dr ir ing drs prof bijv blz nr",
    "el": "κ κα δρ καθ π.χ κ.λπ κ.α βλ σελ αρ τηλ χλμ",
    "hi": "डॉ श्री श्रीमती सुश्री प्रो कु",
    "uk": "проф акад доц вул просп пров буд ім див напр т.зв обл",
    "vi": "tp ts ths pgs gs bs ks",  # thành phố (city) and titles: TP. Hồ Chí Minh, TS. Nguyễn
    "id": "bpk jl jln drs ir sdr tn ny",
    "tr": "av doç yrd öğr gör sn bkz",
}
# Abbreviations that may also end a sentence: they do when the next word
# starts with a capital.
_MAY_BE_FINAL = {
    "en": "etc inc ltd co corp jr sr bros llc plc a.m p.m al",
    "ru": "г гг в вв т.д т.п др руб коп млн млрд тыс трлн долл н.э",
    "uk": "м р рр ст т.д т.п млн млрд тис грн коп",
    "tr": "vb vs",
    "de": "usw etc ff jh jhd",
    "fr": "etc suiv sqq",
    "es": "etc",
    "it": "ecc",
}
# Abbreviations that end a sentence only after a number: "2019 г." (year) but "г. Москва" (city), "м. Арбатская"
# (metro); Ukrainian "2019 р." but "р. Дніпро" (river), "м. Київ" (city).
_FINAL_AFTER_NUMBER = {"ru": frozenset("г гг в вв".split()), "uk": frozenset("м р рр ст".split())}
# Before a number a point belongs to the abbreviation: "No. 5", "ст. 12".
_BEFORE_NUMBER = frozenset("no nos p pp s ст гл п пп рис табл т № nr art vol fig ch sec".split())
# Units of measure (and Russian "чел.", people) in lower case after a number: a point after them ends a sentence
# before a capital, whatever the lists say of the same letters elsewhere ("M. Dupont", "м. Арбатская" (metro),
# "см. рис. 5" (see)); "15 h. 30" is a time: a digit follows.
_UNITS = frozenset("m km cm mm kg g mg t l ml h min м км см мм дм кг мг т л мл га ч мин чел".split())
# Acronyms with points ("U.S.") end a sentence only before these words.
_SENTENCE_STARTERS = frozenset(
    "the a an in it he she they we i but and this that these those there however on at "
    "for as if when after before while his her their its our what why how "
    "в на по он она они это но а и".split()
)
_GENERIC_NEVER_FINAL = frozenset("e.g i.e cf vs dr mr mrs prof st".split())
# German writes ordinals with a point ("am 3. Juli", "der II. Weltkrieg"), so a point after a short number or a
# Roman numeral ends a sentence only before a word no ordinal precedes: an article, a pronoun, a conjunction, an
# adverb ("nach Lager II. Dann ging es weiter").
_NOT_AFTER_ORDINAL = {"de": frozenset(
    "der die das den dem des ein eine einen einem einer eines er sie es wir ich ihr man dann da doch aber und "
    "oder so nun hier dort auch als wie was wo wenn dies diese dieser dieses am im nach bei mit von zu in auf "
    "um damit danach darauf dabei denn jetzt schon noch nicht".split())}
_ORDINAL_TOKEN = re.compile(r"\d{1,3}|[IVXLC]+")


def _not_after_ordinal(lang: str) -> frozenset[str]:
    return _NOT_AFTER_ORDINAL.get(base_lang(lang), frozenset())


def _abbreviations(table: dict[str, str], lang: str) -> frozenset[str]:
    return frozenset(table.get(base_lang(lang), "").split())


@dataclass(frozen=True)
class _Prefixes:
    """Moses' non-breaking prefixes of a language, case as written (``Art`` but not ``art``): the words
    after which a point does not end a sentence, and those after which it does not before a number."""

    always: frozenset[str] = frozenset()
    before_number: frozenset[str] = frozenset()


@lru_cache(maxsize=None)
def _library_prefixes(lang: str) -> _Prefixes:
    """The prefixes sacremoses ships for 38 languages (German ``z. B.``, ``v. Chr.``; Spanish ``Sra.``;
    Polish ``ul.``; Dutch ``bijv.``), on top of the lists above, which stay for what they add (Russian
    ``г.`` by what precedes it, abbreviations that may end a sentence). Imported here, not at the top:
    sacremoses takes 0.3 s to import, and only cased scripts need it."""
    from sacremoses.corpus import NonbreakingPrefixes

    library = NonbreakingPrefixes()
    if lang not in library.available_langs.values():  # it would answer with English's
        return _Prefixes()
    words = [word.split() for word in library.words(lang)]
    return _Prefixes(frozenset(w[0] for w in words if len(w) == 1),
                     frozenset(w[0] for w in words if w[1:] == ["#NUMERIC_ONLY#"]))


def _split_alphabetic(text: str, lang: str) -> list[int]:
    """Sentence ends in a paragraph of a cased (or any non-CJK) script."""
    never_final = _abbreviations(_NEVER_FINAL, lang) | _GENERIC_NEVER_FINAL
    may_be_final = _abbreviations(_MAY_BE_FINAL, lang)
    prefixes = _library_prefixes(base_lang(lang))
    ends = []
    n = len(text)
    terminators = _TERMINATOR_OR_SEMICOLON_RE if semicolon_asks(lang) else _TERMINATOR_RE
    for match in terminators.finditer(text):
        end = _closed_end(text, match.end())
        if end >= n or not text[end].isspace():
            continue  # "U.S", "3.5", "example.com", or the end of the text
        nxt = _next_word_start(text, end)
        if nxt is None:
            continue
        if match.group()[-1] == "." and "…" not in match.group() and match.group() != "...":
            if not _point_ends_sentence(text, match.start(), nxt, never_final, may_be_final, prefixes, lang):
                continue
        elif not _starts_sentence(text, nxt):
            continue
        ends.append(end)
    return ends


# Marks that open a quotation in one tradition and close it in another: “ closes German „…“, ‘ closes ‚…‘,
# « closes the »…« of German books. Each closes a sentence only after its own opening mark.
_CLOSES_IF_OPENED = {"“": "„", "‘": "‚", "«": "»"}
# French sets its closing guillemet (and some its closing quote) apart with a space: « Allons-y. »
_SPACED_CLOSER = re.compile(r"[ \u00a0\u202f]+([»”])(?=\s|$)")
_OPENER_OF = {"»": "«", "”": "“"}


QUOTE_REACH = 2000  # how far back an open quotation is looked for, so that a huge paragraph stays linear


def _unclosed(text: str, end: int, opening: str, closing: str) -> bool:
    start = max(end - QUOTE_REACH, 0)
    return text.rfind(opening, start, end) > text.rfind(closing, start, end)


def _closed_end(text: str, end: int) -> int:
    """Where a sentence whose terminator ends at ``end`` ends, once the quotation marks and brackets
    that close it are taken in."""
    n = len(text)
    while end < n:
        ch = text[end]
        if ch in _ALPHA_CLOSERS and _closes(text, end):
            end += 1
        elif ch in _CLOSES_IF_OPENED and _unclosed(text, end, _CLOSES_IF_OPENED[ch], ch):
            end += 1
        elif (spaced := _SPACED_CLOSER.match(text, end)) and _unclosed(text, end, _OPENER_OF[spaced.group(1)],
                                                                        spaced.group(1)):
            end = spaced.end()
        else:
            break
    return end


def _closes(text: str, i: int) -> bool:
    """A straight quote after a terminator closes only if a space follows."""
    if text[i] not in "\"'":
        return True
    return i + 1 >= len(text) or text[i + 1].isspace() or text[i + 1] in _ALPHA_CLOSERS


def _next_word_start(text: str, i: int) -> int | None:
    """The first character of the next word, skipping spaces, opening quotes
    and a dash of direct speech."""
    n = len(text)
    while i < n and (text[i].isspace() or text[i] in _ALPHA_OPENERS or text[i] in _DASHES):
        i += 1
    return i if i < n else None


def _starts_sentence(text: str, i: int) -> bool:
    """Lowercase continues ("Go!" he said; «Что?» — спросил он)."""
    return not text[i].islower()


def _point_ends_sentence(text: str, point: int, nxt: int, never_final: frozenset[str],
                         may_be_final: frozenset[str], prefixes: _Prefixes, lang: str) -> bool:
    if not _starts_sentence(text, nxt):
        return False
    token = _token_before(text, point)
    key = token.lower()
    pair = _pair_before(text, point).lower()
    next_ch = text[nxt]
    before = text[max(point - len(token) - 50, 0):point - len(token)]  # a bounded look back: paragraphs can be huge
    if token in _UNITS and re.search(r"\d\s?$", before) and not next_ch.isdigit():
        return True  # "1200 m. Il revint", "à 17 h. Elle": a measure ends its sentence, whatever the lists say
    list_item = _LEADING_SPACE.match(text).end() >= point - len(token)  # "1. Introduction", "3. Die Expedition"
    if _ORDINAL_TOKEN.fullmatch(token) and not list_item and _next_word(text, nxt).lower() in _not_after_ordinal(lang):
        return True
    if next_ch.isdigit() and (key in _BEFORE_NUMBER or key in never_final or token in prefixes.before_number):
        return False
    if pair in may_be_final and pair not in never_final and key != pair:
        return next_ch.isupper() or next_ch.isdigit()  # "и т. д. Потом": the pair, not its "д." (дом), decides
    if key in never_final or pair in never_final or (token in prefixes.always and key not in may_be_final):
        return False  # (what our lists say may end a sentence, "2019 г.", is decided below)
    if re.fullmatch(r"[^\W\d_]", token) and not token.islower():
        return False  # an initial, "В. В. Путин", "J. R. R. Tolkien", or a letter of a caseless script, Arabic "د." (Dr)
    if key in _FINAL_AFTER_NUMBER.get(base_lang(lang), ()) and not re.search(r"[\dIVXLC]\s*$", before):
        return False
    if re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", token) and key not in may_be_final:
        # "U.S.", "В.В.": an acronym or initials, final only before a typical opener.
        return _next_word(text, nxt).lower() in _SENTENCE_STARTERS
    if key in may_be_final or pair in may_be_final:
        return next_ch.isupper() or next_ch.isdigit()
    if base_lang(lang) == "de" and token.isdigit() and len(token) <= 3:
        return False  # German ordinals: "am 3. Oktober" (a year, "im Jahr 1990.", ends its sentence)
    if token.isdigit() and len(token) <= 3 and list_item:
        return False  # a numbered list item: "1. Introduction"
    return True


def _token_before(text: str, point: int) -> str:
    start = point
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in _ALPHA_OPENERS:
        start -= 1
    return text[start:point]


def _pair_before(text: str, point: int) -> str:
    """The last two tokens joined without space: "т. д" gives "т.д"."""
    head = text[max(point - 200, 0):point].rstrip()  # two tokens back, without copying a huge paragraph
    last = _token_before(head, len(head))
    prefix = head[:len(head) - len(last)].rstrip()
    return _token_before(prefix, len(prefix)) + last


_WORD = re.compile(r"[^\W\d_]+")
_LEADING_SPACE = re.compile(r"\s*")


def _next_word(text: str, i: int) -> str:
    match = _WORD.match(text, i)
    return match.group() if match else ""


# --- Thai and Lao ------------------------------------------------------------

MIN_SPACED_SENTENCE = 15  # characters: a shorter piece before a space is a phrase, not yet a sentence
_REPEAT_OR_ABBREVIATION = "ๆฯ"  # Thai marks a space follows inside a sentence (ต่างๆ นานา)


def _space_ends(line: str, script: tuple[str, str]) -> list[int]:
    """Thai and Lao write no full stop: a space between two words of the script ends a sentence or a
    clause (spaces around numbers and foreign words do not). Over-splitting a clause costs the aligner a
    merged bead; a paragraph left as one sentence would cost it the paragraph."""
    first, last = script
    letter = f"[{first}-{last}]"
    ends, start = [], 0
    for space in re.finditer(f"(?<={letter})\\s+(?={letter})", line):
        if space.start() - start >= MIN_SPACED_SENTENCE and line[space.start() - 1] not in _REPEAT_OR_ABBREVIATION:
            ends.append(space.start())
            start = space.end()
    return ends


# --- The stage ---------------------------------------------------------------

def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text``, without surrounding space.

    Newlines always end a sentence. ``text[start:end]`` is the sentence, so
    the caller's offsets stay exact.
    """
    spans = []
    line_start = 0
    script = space_ended_script(lang)
    for line in text.split("\n"):
        if script:
            ends = sorted(set(_split_cjk(line)) | set(_space_ends(line, script)))
        else:
            ends = _split_cjk(line) if is_cjk(lang) else _split_alphabetic(line, lang)
        start = 0
        for end in [*ends, len(line)]:
            piece = line[start:end]
            stripped = piece.strip()
            if stripped:
                left = start + len(piece) - len(piece.lstrip())
                spans.append((line_start + left, line_start + left + len(stripped)))
            start = end
        line_start += len(line) + 1
    return spans


def segment_text(text: str, lang: str | None = None, presplit: bool = False) -> list[Segment]:
    """Segments of a whole document: sentences, or lines if ``presplit``.

    With ``presplit`` every line is one segment, blank lines included, so a
    segment's index is its line number minus one. ``lang`` overrides
    detection for every segment (sentences are still split by its rules).
    Otherwise every line is a paragraph, except in hard-wrapped text (see
    ``wrap_width``), whose wrapped lines are joined first; a sentence that
    spans a wrap reads with a space there (its offsets still span the line break).
    """
    lines = _lines(text)
    doc_lang = lang or _document_language(text)
    segments: list[Segment] = []
    if presplit:
        for number, (offset, line) in enumerate(lines, start=1):
            left = len(line) - len(line.lstrip())
            body = line.strip()
            tag = lang or (detect_language(body, doc_lang) if body else UNDETERMINED)
            segments.append(Segment(body, offset + left, offset + left + len(body), number, tag))
        return segments
    for number, offset, paragraph in _paragraphs(lines, wrap_width(text)):
        runs = [(0, len(paragraph), lang)] if lang else split_runs(paragraph, doc_lang)
        line, counted = number, offset  # the line of each sentence's start, counted on as they come
        for run_start, run_end, run_lang in runs:
            run = paragraph[run_start:run_end]
            spans = split_sentences(run, run_lang)
            for s, e in spans:
                sentence = run[s:e]
                tag = lang or (run_lang if len(spans) == 1 else detect_language(sentence, run_lang))
                start = offset + run_start + s
                line, counted = line + text.count("\n", counted, start), start
                segments.append(Segment(sentence, start, start + len(sentence), line, tag))
    return segments


# --- Hard-wrapped text -------------------------------------------------------

# How a line that ends a sentence, a heading's colon or a quotation ends.
_LINE_FINAL = re.compile("[" + re.escape(_TERMINATORS + _CJK_TERMINATORS + ":;\"'”’»)]」』）") + "]\\s*$")
_CJK_CHAR = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
WRAP_SHARE = 0.5  # the share of lines (of those followed by a line) a hard-wrapped text breaks mid-sentence
WRAP_FULL = 0.6   # a wrapped line runs to at least this share of the wrapping width
WRAP_LOWER = 0.3  # in cased scripts, the share of those breaks after which the sentence runs on in lower case


def _prose(line: str) -> bool:
    """Several words (or CJK characters) in running text, not a table row or an identifier."""
    return "\t" not in line and (len(line.split()) >= 4 or len(_CJK_CHAR.findall(line)) >= 10)


def wrap_width(text: str) -> int | None:
    """The width ``text`` is hard-wrapped at, or None if its lines are its paragraphs.

    Project Gutenberg books, e-mail and text copied from PDFs break lines
    inside sentences at a fixed width; read line by line, every wrap would
    cut a sentence in two. Such text shows it: most lines that another line
    follows are prose that stops mid-sentence, most of them run close to one
    width, and in cased scripts the sentence often goes on in lower case. A
    file of one sentence or one paragraph a line ends its lines with
    punctuation; stacked headlines, lists of identifiers and table rows fail
    the other tests.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    inner = [(line, following.lstrip()) for line, following in zip(lines, lines[1:])
             if line.strip() and following.strip()]
    if len(inner) < 4:
        return None
    broken = [following for line, following in inner if _prose(line) and not _LINE_FINAL.search(line)]
    if len(broken) < WRAP_SHARE * len(inner):
        return None
    cased = [following[0] for following in broken if following[0].lower() != following[0].upper()]
    if cased and sum(1 for ch in cased if ch.islower()) < WRAP_LOWER * len(cased):
        return None
    lengths = sorted(len(line) for line, _ in inner)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    full = sum(1 for n in lengths if n >= WRAP_FULL * width)
    return width if full >= WRAP_SHARE * len(inner) else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _paragraphs(lines: list[tuple[int, str]], width: int | None) -> list[tuple[int, int, str]]:
    """``(first line number, offset, text)`` of each paragraph: a non-blank line, or in text hard-wrapped
    at ``width`` the run of lines up to a blank, short or more deeply indented one, its line breaks read
    as spaces (same length, so offsets stay exact)."""
    groups: list[tuple[int, int, list[str]]] = []
    joined = False
    for number, (offset, line) in enumerate(lines, start=1):
        if not line.strip():
            joined = False
            continue
        if joined and _indent(line) <= _indent(lines[number - 2][1]):
            groups[-1][2].append(line)
        else:
            groups.append((number, offset, [line]))
        joined = width is not None and len(line.rstrip()) >= WRAP_FULL * width
    return [(number, offset, " ".join(parts)) for number, offset, parts in groups]


def paragraph_starts(text: str, segments: Sequence[Segment]) -> list[bool]:
    """Whether each segment opens a paragraph of ``text``.

    A blank line opens one (also as an empty segment of a text read a line a
    segment), and so does a new line where either line holds
    several sentences (a paragraph written as one line; consecutive lines
    of one sentence each are a paragraph written a sentence a line). In
    hard-wrapped text, the wrapped lines are one paragraph.
    """
    if not segments:
        return []
    # Only the stretch the segments cover is read: a passage of a long mixed document is judged on its own.
    first = text.rfind("\n", 0, min(s.start for s in segments)) + 1
    region = text[first:max(s.end for s in segments)]
    width = wrap_width(region)
    starts_at = [first + offset for _, offset, _ in _paragraphs(_lines(region), width)]
    which = [bisect_right(starts_at, seg.start) - 1 for seg in segments]
    counts = Counter(k for k, seg in zip(which, segments) if seg.text.strip())
    out = []
    for i, seg in enumerate(segments):
        if i == 0:
            out.append(True)
            continue
        prev = segments[i - 1]
        blank = not prev.text.strip() or re.search(r"\n[^\S\n]*\n", text[prev.end:seg.start]) is not None
        new_line = which[i] != which[i - 1]
        out.append(blank or (new_line and (width is not None or max(counts[which[i]], counts[which[i - 1]]) > 1)))
    return out


def _lines(text: str) -> list[tuple[int, str]]:
    """Lines with their offsets; a final newline ends a line, it does not open one."""
    result = []
    offset = 0
    for line in text.removesuffix("\n").split("\n"):
        result.append((offset, line))
        offset += len(line) + 1
    return result


def _document_language(text: str) -> str:
    """The main language, from a sample: the prior for short lines."""
    return detect_language(text[:5000])
