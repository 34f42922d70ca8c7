"""Proper names a translation must keep: find them and look for their counterpart.

Putin, Путин and プーチン share no letter, but they share a sound. Each name is
transliterated to ASCII (anyascii) and reduced to a consonant skeleton in which
the sounds that English, Russian and Japanese confuse are folded together (v/b/w,
l/r, ch/t, kh/h; vowels, Japanese epenthetic vowels included, are dropped), so
the three spellings get the same key ``ptn``. A name counts as present when some
word on the other side has a close key, or when both sides name it in a known
form (``name_data.KNOWN_NAMES``: exonyms and kanji whose reading is known).

Only names long enough to be told apart are reported, and any word of the other
side with the same key may account for one (name-like words also with a close
key): a false alarm costs a reviewer more than a name the check could not vouch
for. English capitalises dictionary words too (the Commission, Riverside Church);
Webster's 2nd (package english-words) tells those apart from names.
"""
from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from anyascii import anyascii
from english_words import get_english_words_set

from align.lang import CYRILLIC_LANGS, NAMES_IN_HAN, NOUNS_CAPITALISED, base_lang, is_cjk, writes_latin
from align.review.name_data import (
    ABBREVIATIONS,
    DETERMINERS,
    ENGLISH_STOP_WORDS,
    GERMAN_DETERMINERS,
    GERMAN_NOUN_ENDING,
    KATAKANA_NAME_SUFFIXES,
    KNOWN_NAMES,
    RUSSIAN_INSTITUTION_STEMS,
    RUSSIAN_STOP_WORDS,
    TITLES,
)

SIMILARITY = 0.8       # difflib ratio of two keys that name the same person or place
SPELLING_SIMILARITY = 0.75  # of two Latin spellings of one name (Kangchendzönga, Kanchenjunga: 0.77)
MIN_KEY_LENGTH = 3     # shorter skeletons (Li, Ng, Oya) are too common to report
MAX_PAIRS_TO_TRY = 200_000  # past this many name × word pairs a line is not prose: exact keys only

_LETTERS = "A-Za-zÀ-ɏЀ-ӿ"
_WORD = re.compile(rf"[{_LETTERS}]+(?:['’.-][{_LETTERS}]+)*")
_KATAKANA = re.compile(r"[ァ-ヺヽヾー]+(?:[・=][ァ-ヺヽヾー]+)*")
_OPENING_QUOTES = "«\"“„‘'(「『"
_NAME_SUFFIX = re.compile(KATAKANA_NAME_SUFFIXES)
_POSSESSIVE = re.compile(r"['’]s?$")
_RUSSIAN_ENDING = re.compile(r"(?:ого|его|ому|ему|ыми|ими|ами|ями|ой|ей|ом|ем|ым|им|ах|ях|ам|ям|ов|ев|ую|ая|ые"
                             r"|ие|ых|их|а|я|у|ю|е|ы|и|о)$")
# Sounds the three languages write differently, in the order they must be folded.
_FOLDS = tuple((re.compile(pattern), replacement) for pattern, replacement in (
    (r"shch|sch|sh", "s"), (r"tch|ch", "t"), (r"dzh|zh|dj", "j"), (r"kh", "h"), (r"ph", "f"), (r"th", "t"),
    (r"ck", "k"), (r"(?<=[aeiou])gh", ""), (r"c(?=[eiy])", "s"), (r"[cq]", "k"), (r"x", "ks"), (r"[wv]", "b"),
    (r"l", "r"), (r"z", "s"), (r"m", "n"), (r"(?<!^)h|[aeiouy]", ""), (r"(.)\1+", r"\1")))
_KATAKANA_ONLY = re.compile(r"[ァ-ヺー]+")
_LIKENESS = re.compile(r"(?i)-(?:like|style|esque)$")
# A lower-case Cyrillic word inside a sentence (after another word): a common word, not a name.
_LOWER_CYRILLIC = re.compile(r"(?<=[\w,] )[а-яё]{4,}")
_KANJI_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
MAX_KANJI_RUNS = 200  # read at most this many kanji runs of a line in pinyin
# A word of another alphabet (Hangul, Arabic, Devanagari, Greek, Hebrew, Thai…): a run between spaces and punctuation,
# since \w stops at the vowel signs of Indic scripts (किम would be क and म).
_SPACED_RUN = re.compile(r"[^\s\d.,;:!?()\[\]{}<>«»\"'“”„‘’、。，！？：；（）「」『』・/|-]+")
_READ_ELSEWHERE = re.compile(rf"[{_LETTERS}\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")


def _index_known() -> tuple[dict, dict, tuple]:
    """KNOWN_NAMES by how an entry matches: whole word (US, ロシア), word start (япони), inside (米国)."""
    whole, start, inside = defaultdict(list), defaultdict(list), []
    for row in KNOWN_NAMES:
        for entry in row:
            if _KATAKANA_ONLY.fullmatch(entry) or entry.lower() != entry:
                whole[entry.rstrip(".")].append(row)
            elif "\u3040" <= entry[0] <= "\u9fff":
                inside.append((entry, row))
            else:
                start[entry].append(row)
    return dict(whole), dict(start), tuple(inside)


_KNOWN_WHOLE, _KNOWN_START, _KNOWN_INSIDE = _index_known()


@dataclass(frozen=True)
class NameCheck:
    """Names of the source with no counterpart in the target, and names only the target has.

    Only ``missing`` fails the check. Translators add names to explain (Spain for Madrid, the
    surname after "the president"), so ``extra`` is a hint for the reader; a name swapped for
    another still fails, because the original is then missing.
    """

    missing: tuple[str, ...]
    extra: tuple[str, ...]
    matched: tuple[str, ...] = ()  # the source's names that the target renders (from German: the words it capitalises)
    # source names, rendered or missing, that the target keeps only the first word of (Alfredo が for Alfredo Morelos,
    # Гендон, тренер… for ゲンドン・スバンドノ)
    bare: tuple[str, ...] = ()
    # missing names that a source in another script writes in Latin letters, where the target writes them too:
    # a translator copies such a name as it is (Gary Holt 的球队 → Gary Holt's side), so it was dropped, not reworded
    copied: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.missing

    def reason(self) -> str:
        gone = [name for name in self.missing if name not in self.bare and name not in self.copied]
        parts = [f"name {', '.join(gone)} in the source is missing from the target"] if gone else []
        parts += [f"name {', '.join(self.copied)}, which the source writes in Latin letters, is missing from the "
                  "target, which writes them too"] if self.copied else []
        parts += [f"the target keeps only the first word of {name}, with no name after it" for name in self.bare]
        parts += [f"target adds {', '.join(self.extra)}"] if self.extra else []
        return "; ".join(parts) or "names agree"


@dataclass(frozen=True)
class Lexicon:
    """What one document shows about its own words, for the name check (learnt by ``LexiconLearner``).

    ``names``: katakana words its translation writes as names (セインズベリー / Sainsbury's);
    ``loanwords``: katakana words that recur on the Japanese side without a name on the other side
    of any of their lines (エネルギー, システム, ニュースリリース); ``common``: stems of the words
    it writes in lower case mid-sentence (договор), so that Договоре is a noun, not a name.
    """

    names: frozenset[str] = frozenset()
    loanwords: frozenset[str] = frozenset()
    common: frozenset[str] = frozenset()
    # Every katakana word of its Japanese side, and those written in more than one line: a word
    # cut in two (チェルシ for チェルシー) is written once, and is the start of a word written elsewhere.
    katakana: frozenset[str] = frozenset()
    katakana_recurring: frozenset[str] = frozenset()
    # Keys of the source's names that its translation renders in some unit (see ``renders``).
    rendered: frozenset[str] = frozenset()

    def renders(self, name: str, lang: str) -> bool:
        """Whether the document's translation renders ``name`` or one of its words somewhere (Kurz vouches
        for Marcel Kurz): where capitals mark every noun (German), a capitalised word is taken for a name
        only then, or when it is known."""
        return not self.rendered.isdisjoint(_word_keys(name, lang))

    def cut_katakana(self, word: str) -> str | None:
        """The longer katakana word that ``word`` seems cut from: ``word`` is written in one line only
        and another word of the document starts with it; else None."""
        if len(word) < 2 or word in self.katakana_recurring:
            return None
        return min((w for w in self.katakana if len(w) > len(word) and w.startswith(word)), default=None)


@lru_cache(maxsize=65536)
def name_key(name: str, lang: str) -> str:
    """The consonant skeleton of a name: Putin, Путин, プーチン → ``ptn``; Wales, Уэльс, ウェールズ → ``brs``.

    The script decides the reading; ``lang`` (the language the name is written in) is part of
    the interface so that callers need not care.
    """
    text = _POSSESSIVE.sub("", unicodedata.normalize("NFKC", name)).replace("ッ", "")
    roman = re.sub(r"[^a-z]", "", anyascii(text).lower())
    if _HANGUL.search(text):  # 김 is romanised Gim, 박 Bak, 동 Dong: Korean stops that English writes Kim, Park, Tong
        roman = roman.translate(str.maketrans("gdb", "ktp"))
    if not text.isascii():  # ウェールズ, Уэльс, Мерриуэзер: a w that Japanese and Russian write as a vowel,
        roman = re.sub(r"(?:^|(?<=[aeiou]))u(?=[aeio])", "v", roman)  # and ツイッター: tw written tsui
        roman = re.sub(r"tsu(?=i)", "tv", roman)
    for pattern, replacement in _FOLDS:
        roman = pattern.sub(replacement, roman)
    return roman


@lru_cache(maxsize=65536)
def _key_variants(word: str, lang: str) -> frozenset[str]:
    """Every key a word may fairly be heard as: its own, without a Russian case ending (Путиным),
    and the English spellings other languages read differently (see the comments)."""
    keys = {name_key(word, lang)}
    if re.search("[а-яё]", word[-1:].lower()) and (stem := _RUSSIAN_ENDING.sub("", word)) != word \
            and len(stem) >= 3:
        keys.add(name_key(stem, lang))
    if word.isascii():  # English spelling, said the way Japanese and Russian hear it: silent r (Carter,
        # カーター), soft g (Gerrard, Джеррард), th as s (メソジスト), a hard c (Macedonia), a silent h (Hazard, Азар),
        # ew said yu (Newport, ньюпортское)
        lower, rules = word.lower(), ((r"(?<=[aeiou])r(?![aeiouy])", ""), (r"d?g(?=[eiy])", "j"), (r"th", "s"),
                                      (r"c", "k"), (r"c", "ch"), (r"^h", ""), (r"ew", "yu"))
        for pattern, replacement in rules:
            keys.add(name_key(re.sub(pattern, replacement, lower), lang))
        for pattern, replacement in rules[:2]:
            lower = re.sub(pattern, replacement, lower)
        keys.add(name_key(lower, lang))
    elif word[:1] in "Гг":  # Гарлем, Говард: Russian writes an English h as г
        keys.add(name_key("х" + word[1:], lang))
    elif re.search("[ジズゼゾ]", word):  # ルイジアナ: Japanese voices an English s
        keys.add(name_key(word, lang).replace("j", "s"))
    elif _ARABIC.search(word):  # بوتين: Arabic has no p and writes it as b
        keys.add(name_key(word, lang).replace("b", "p"))
    return frozenset(k for k in keys if k)


_HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=65536)
def _known_rows(word: str) -> frozenset[tuple[str, ...]]:
    """The KNOWN_NAMES rows a word belongs to (Японии → Japan; 米国の → America)."""
    rows = {row for part in word.split("・") for row in _KNOWN_WHOLE.get(_POSSESSIVE.sub("", part).rstrip("."), ())}
    lower = word.lower()
    rows.update(row for n in range(1, min(len(lower), 16) + 1) for row in _KNOWN_START.get(lower[:n], ())
                if n > 3 or n == len(lower))
    rows.update(row for entry, row in _KNOWN_INSIDE if entry in word)
    return frozenset(rows)


def _starts_sentence(text: str, start: int) -> bool:
    """Whether a word opens a sentence or a quotation, where any word is capitalised."""
    before = text[max(0, start - 24):start].rstrip().rstrip(_OPENING_QUOTES).rstrip()
    if not before:
        return start <= 24
    if before[-1] == ".":
        previous = re.search(r"(\w+)\.$", before)  # St. Martin, A. Lind, vs. Chelsea
        return not previous or previous[1].lower() not in ABBREVIATIONS and len(previous[1]) > 1
    return before[-1] in "!?:;。！？"


@lru_cache(maxsize=1)
def _english_dictionary() -> frozenset[str]:
    """Webster's 2nd: common words in lower case, proper names capitalised."""
    return frozenset(get_english_words_set(["web2"]))


def _is_common_english(word: str, opens_sentence: bool) -> bool:
    """A dictionary word (Commission, Churches, U-turn): translated, not transliterated. Inside a
    sentence a word that is also a dictionary name (Bill, Grant) counts as a name."""
    if "-" in word:
        return all(_is_common_english(part, opens_sentence) for part in word.split("-") if part)
    dictionary, lower = _english_dictionary(), word.lower()
    if len(lower) == 1 or lower in ENGLISH_STOP_WORDS:
        return True
    forms = {lower} | {re.sub(pattern, ending, lower) for pattern, ending in (
        (r"ies$", "y"), (r"e?s$", ""), (r"s$", ""), (r"ing$", ""), (r"ing$", "e"), (r"e?d$", ""))}
    return any(form in dictionary for form in forms) and \
        (opens_sentence or not any(form.capitalize() in dictionary for form in forms))


def _russian_stem(word: str) -> str:
    """Путиным → путин, договоре → договор: what the case forms of a Russian word share."""
    lower = word.lower()
    stem = _RUSSIAN_ENDING.sub("", lower)
    return stem if len(stem) >= 3 else lower


def _is_russian_common(word: str, next_text: str, lexicon: Lexicon) -> bool:
    """A capitalised common noun (Договор, Президент: the document writes it in lower case too, or it
    opens an institution's name: Национальная ассамблея, Университет штата)."""
    lower = word.lower()
    return lower.startswith(RUSSIAN_INSTITUTION_STEMS) or _russian_stem(word) in lexicon.common or bool(
        re.search(r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ую|юю|ых|их|ыми|ими)$", lower)
        and re.match(r"\s+[а-яё]", next_text))


def _capitalised_runs(text: str) -> Iterator[tuple[bool, list[re.Match]]]:
    """Runs of adjacent capitalised words ("Prime Minister Zoran Zaev"), each with whether a
    title (Mr., President) stands right before it."""
    run: list[re.Match] = []
    titled = False
    for m in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", m.group())
        if not word[0].isupper():
            continue
        if word.lower() in TITLES:
            yield titled, run
            run, titled = [], True
            continue
        if run and (not re.fullmatch(r" |-", text[run[-1].end():m.start()]) or _POSSESSIVE.search(run[-1].group())):
            yield titled, run  # a gap or a possessive ends a name: Gwyneth Paltrow's Goop
            run, titled = [], False
        run.append(m)
    yield titled, run


def _names_in_run(text: str, run: list[re.Match], titled: bool, headline: bool, lang: str,
                  lexicon: Lexicon) -> list[str]:
    """The words of a capitalised run that name someone or something; see :func:`extract_names`.

    A dictionary word alone makes a name when nothing marks it as a noun: "with Boots", but not
    "the Commission", nor "Prison Service", nor the words of a headline in title case. German
    capitalises every noun: one after an article (der Vertrag) or with a noun's ending (Regierung) is none.
    """
    if not run:
        return []
    # Words capitalised for grammar (But, The) are no part of the name: "But Flake said" has one word to judge.
    words = [m for m in run if _POSSESSIVE.sub("", m.group()).lower() not in ENGLISH_STOP_WORDS | RUSSIAN_STOP_WORDS]
    article = re.search(r"(\w+)\W*$", text[max(0, run[0].start() - 16):run[0].start()])
    kept = []

    def opens_sentence(start: int) -> bool:
        """Japanese or Chinese capitalises nothing: a Latin word capitalised there (Holtのチーム) is so for itself."""
        return not is_cjk(lang) and _starts_sentence(text, start)

    vouched = titled or len(words) == 1 and words[0] is run[-1] and not opens_sentence(words[0].start()) \
        and not headline and not (article and article[1].lower() in DETERMINERS) \
        and not (words[0] is not run[0] and run[0].group().lower() in DETERMINERS)
    # A known name among a headline's title-case words (Indonesia Tsunami Toll Soars) stands alone.
    alone = headline and any(_known_rows(_POSSESSIVE.sub("", m.group())) for m in run)
    for k, m in enumerate(run):
        word, opens = _POSSESSIVE.sub("", m.group()), opens_sentence(m.start())
        if _known_rows(word):
            kept.append(word)
            vouched = True
        elif kept and kept[-1] == _POSSESSIVE.sub("", run[k - 1].group()) and word.lower() in ENGLISH_STOP_WORDS \
                and word.isalpha() and not word.isupper() and lang == "en" and word.lower() not in TITLES:
            kept.append(word)  # a surname that is also a common word: Kanye West, Theresa May
        elif 2 * sum(c.isupper() for c in word) > len(word) or word.lower() in ENGLISH_STOP_WORDS | RUSSIAN_STOP_WORDS:
            continue  # acronyms (TVs) are kept as they are, or not at all
        elif _LIKENESS.search(word):
            continue  # Taliban-like, Bond-style: a comparison, which a translator may word without the name
        elif re.match("[А-ЯЁ]", word):
            if not _is_russian_common(word, text[m.end():m.end() + 3], lexicon) and not (opens and m is run[0]):
                kept.append(word)
                vouched = True
        elif lang == "de":  # what is capitalised and no noun names something
            if not (opens and m is run[0] or _is_german_noun(text, m)):
                kept.append(word)
                vouched = True
        elif not ((opens and m is run[0] or alone) and (lang != "en" or _is_common_english(word, True))):
            # an English word opening a sentence is judged by the dictionary; in another language
            # (Incontestablement, Fondation) there is none to ask, so the opening word is no name
            kept.append(word)
            vouched = vouched or not _is_common_english(word, False)
    # Riverside Church is two words; Tiffany Ng, Donald Trump and President Trump are names.
    return [" ".join(kept)] if kept and vouched else []


def _is_german_noun(text: str, m: re.Match) -> bool:
    """A German noun, capitalised as all are: after an article or determiner, or with a noun's ending."""
    before = re.search(r"(\w+)\W*$", text[max(0, m.start() - 16):m.start()])
    return bool(before and before[1].lower() in GERMAN_DETERMINERS or GERMAN_NOUN_ENDING.search(m.group()))


def extract_names(text: str, lang: str, lexicon: Lexicon = Lexicon()) -> list[str]:
    """Proper-name candidates, in order and once each.

    Latin and Cyrillic: runs of capitalised words, less stop words, dictionary words
    (unless a title or another name vouches for them), sentence openers, Russian words the
    document writes in lower case too (``lexicon.common``) and German nouns.
    Japanese: katakana runs that read as names (see :func:`_reads_as_name`) or are among
    ``lexicon.names`` (names the document's translation shows, see :func:`rendered_names`),
    less ``lexicon.loanwords``, and kanji names whose reading is known.
    """
    lang = base_lang(lang)
    text = unicodedata.normalize("NFKC", text)
    long_words = re.findall(r"[^\W\d_]{4,}", text)
    capitalised = [word for word in long_words if word[0].isupper()]
    headline = 2 * len(capitalised) > len(long_words) and \
        sum(word.isascii() and _is_common_english(word, True) for word in capitalised) > 1  # Quake Devastate
    found = [name for titled, run in _capitalised_runs(text)
             for name in _names_in_run(text, run, titled, headline, lang, lexicon)]
    found += [run for m in _KATAKANA.finditer(text) if (run := m.group().strip("・=")) not in lexicon.loanwords
              and (_reads_as_name(m, text) or run in lexicon.names)]
    found += [entry for entry, _ in _KNOWN_INSIDE if len(entry) > 1 and entry in text]
    return list(dict.fromkeys(found))


def rendered_names(text: str, other: str, other_lang: str) -> frozenset[str]:
    """Katakana words of the Japanese ``text`` that its translation ``other`` writes as names.

    Katakana spells loanwords and names alike (ボール, セインズベリー), and a name without a
    title or a ・ (:func:`_reads_as_name`) is not reported; but where the translation writes
    it as a name (Sainsbury's, Сейнсбери), it is one, in every other line of the document too.
    Only a close resemblance counts here (no short skeleton matched by chance: システム is not China).
    """
    text = unicodedata.normalize("NFKC", text)
    runs = {m.group().strip("・=") for m in _KATAKANA.finditer(text)}
    names = [name for name in extract_names(other, other_lang) if _reportable(name, other_lang)] if runs else []
    return frozenset(run for run in runs if names and _reportable(run, "ja")
                     and any(_run_evidence(run).has(name, other_lang, True, strict=True) for name in names))


@lru_cache(maxsize=16384)
def _run_evidence(run: str) -> _Evidence:
    """The evidence one katakana word gives, built once: the same words recur line after line."""
    return _Evidence(run, "ja")


class LexiconLearner:
    """Learns a document's ``Lexicon`` as its units stream by, keeping a count per katakana word
    and the stems of its lower-case Cyrillic words."""

    RECURRENCE = 2  # lines a katakana word must appear in, never written as a name, to be a loanword

    def __init__(self, src_lang: str, tgt_lang: str) -> None:
        self.src_lang, self.tgt_lang = base_lang(src_lang), base_lang(tgt_lang)
        self._names: set[str] = set()
        self._seen: Counter[str] = Counter()
        self._common: set[str] = set()
        self._rendered: set[str] = set()
        self.lexicon = Lexicon()

    def add(self, pairs: Iterable[tuple[str, str]]) -> None:
        ja_side = {self.src_lang, self.tgt_lang} & {"ja"}
        for src, tgt in pairs:
            for text, lang in ((src, self.src_lang), (tgt, self.tgt_lang)):
                if lang in CYRILLIC_LANGS:
                    self._common.update(_russian_stem(m.group()) for m in _LOWER_CYRILLIC.finditer(text))
            if ja_side and self.src_lang != self.tgt_lang:
                ja, other, other_lang = (src, tgt, self.tgt_lang) if self.src_lang == "ja" else (tgt, src, self.src_lang)
                written = rendered_names(ja, other, other_lang)
                self._names |= written
                self._seen.update({m.group().strip("・=") for m in _KATAKANA.finditer(unicodedata.normalize("NFKC", ja))})
        loanwords = {word for word, n in self._seen.items() if n >= self.RECURRENCE and word not in self._names
                     and not _known_rows(word)}
        self.lexicon = Lexicon(frozenset(self._names), frozenset(loanwords), frozenset(self._common),
                               frozenset(self._seen), frozenset(word for word, n in self._seen.items() if n > 1),
                               frozenset(self._rendered))

    def add_rendered(self, names: Iterable[str], settle: bool = False) -> None:
        """Source names that a unit's target renders (``NameCheck.matched``). The lexicon takes them in once
        they have grown it by a tenth, so a stream of many names costs no quadratic rebuilding, and at once
        with ``settle`` (a chunk's end)."""
        for name in names:
            self._rendered.update(_word_keys(name, self.src_lang))
        grown = len(self._rendered) - len(self.lexicon.rendered)
        if grown and (settle or grown > 16 + len(self.lexicon.rendered) // 10):
            self.lexicon = replace(self.lexicon, rendered=frozenset(self._rendered))


def _reads_as_name(run: re.Match, text: str) -> bool:
    """Katakana spells loanwords as well as names: a run counts as a name with a ・ between its parts,
    a title or place word after it (氏, 大統領, 州, 大学), or a known reading."""
    return "・" in run.group().strip("・") or bool(_NAME_SUFFIX.match(text, run.end())) or \
        bool(_known_rows(run.group()))


class _Evidence:
    """Everything on one side that could stand for a name of the other side, as keys."""

    def __init__(self, text: str, lang: str) -> None:
        text = unicodedata.normalize("NFKC", text)
        self.lang = lang
        words = {m.group() for m in _WORD.finditer(text)}
        words |= {part for word in words if "-" in word for part in word.split("-") if part}
        runs = [m.group() for m in _KATAKANA.finditer(text)]
        pieces = {piece for run in runs for piece in re.split("[・=]", run)} | set(runs)
        # Words of other alphabets, read through their transliteration; caseless scripts give no hint of
        # which words are names, so each may be one, as a katakana word may.
        pieces |= {run for m in _SPACED_RUN.finditer(text) if not _READ_ELSEWHERE.search(run := m.group())
                   and not run[0].islower() and any(c.isalpha() for c in run)}
        self.keys = {key for word in words | pieces for key in _key_variants(word, lang)}
        # Fuzzy matches only against what looks like a name there: lower-case words are too many.
        named = {word for word in words if word[0].isupper()} | pieces
        self.name_keys = {key for word in named for key in _key_variants(word, lang)}
        self.known = {row for word in words | pieces for row in _known_rows(word)}
        self.known.update(row for entry, row in _KNOWN_INSIDE if entry in text)
        self.spellings = {word.lower() for word in words}  # muppet (muppet) in a Japanese line
        # Japanese glues a title or a second word to a name (ヘッドコーチホルト, リーダーズハーツ): the keys of
        # each run's head and tail at a kana that can start or end a word, matched exactly only.
        self.glued_keys = {name_key(part, lang) for piece in pieces for part in _glued_parts(piece)}
        # Chinese places in kanji read in pinyin (西寧 → Xining): exact keys of 2-4 kanji only.
        self.kanji_keys = {name_key(run[i:i + width], lang) for run in _KANJI_RUN.findall(text)[:MAX_KANJI_RUNS]
                           for width in (2, 3, 4) for i in range(len(run) - width + 1)}

    def has(self, name: str, lang: str, fuzzy: bool, strict: bool = False) -> bool:
        """Whether this side accounts for ``name``; ``fuzzy``: by a close key too, ``strict``: only
        between keys long enough not to resemble by chance."""
        tokens = _tokens(name)
        if any(row in self.known for token in tokens for row in _known_rows(token)):
            return True
        if (family := _family_name(name, lang)) is not None:
            name, tokens = family, _tokens(family)  # Джон for John Goldsmith leaves the name out
        keys = {key for token in tokens + [name] for key in _key_variants(token, lang)}
        if keys & self.name_keys or {key for key in keys if len(key) > MIN_KEY_LENGTH} & self.keys or \
                {token.lower() for token in tokens} & self.spellings or \
                {key for key in keys if len(key) >= MIN_KEY_LENGTH} & (self.kanji_keys | self.glued_keys):
            return True
        if strict:
            keys = {key for key in keys if len(key) > MIN_KEY_LENGTH}
        return fuzzy and (any(_close(key, other) for key in keys for other in self.name_keys
                              if not strict or len(other) > MIN_KEY_LENGTH) or
                          any(_derived(key, other) for key in keys for other in self.keys))


_SMALL_KANA = "ァィゥェォッャュョヮー"
MIN_GLUED = 3  # katakana in the head or tail of a glued run


def _glued_parts(run: str) -> list[str]:
    """The heads and tails of a katakana run of two words glued together, each at least ``MIN_GLUED``
    long, cut where a word can start (not before a small kana or ー)."""
    if len(run) < 2 * MIN_GLUED or not _KATAKANA_ONLY.fullmatch(run):
        return []
    cuts = [i for i in range(MIN_GLUED, len(run) - MIN_GLUED + 1) if run[i] not in _SMALL_KANA]
    return [part for i in cuts for part in (run[:i], run[i:])]


def _close(key: str, other: str) -> bool:
    """Same name by sound: a close skeleton, or one skeleton inside the other (ja runs glue words)."""
    short, long = sorted((key, other), key=len)
    if len(short) < 2:
        return False
    if short in long and len(short) >= MIN_KEY_LENGTH:
        return True
    if 2 * len(short) >= SIMILARITY * (len(short) + len(long)):
        return SequenceMatcher(None, key, other).ratio() >= SIMILARITY
    # A katakana run glues words together (ウェストバージニア): look for the name inside it.
    return len(short) > MIN_KEY_LENGTH and any(
        SequenceMatcher(None, short, long[i:i + width]).ratio() >= SIMILARITY
        for width in (len(short) - 1, len(short)) for i in range(len(long) - width + 1))


def _family_name(name: str, lang: str) -> str | None:
    """The last word of a name of several (Goldsmith of John Goldsmith, ゴールドスミス of ジョン・ゴールドスミス),
    when it must be there for the name to be: long enough to tell apart and, in English, no dictionary word
    (Riverside Church, Salt Lake City are named by any of their words). A translator drops a first name
    (Трамп for Donald Trump), hardly ever the family name; names written family name first are mostly
    known (Xi Jinping) or end on a short syllable (Kim Jong Un)."""
    words = [word for word in re.split(r"[\s・=]+", name) if word]
    if len(words) < 2:
        return None
    last = words[-1]
    if not any(len(key) > MIN_KEY_LENGTH for key in _key_variants(last, lang)):
        return None
    if last.isascii() and _is_common_english(last, False):
        return None
    return last


def _word_keys(name: str, lang: str) -> set[str]:
    """The keys of a name's words (Marcel Kurz: mrsl, krs); where every noun has a capital, the words themselves:
    among so many nouns a skeleton matches by chance (Leiter, Latreille: rtr)."""
    if base_lang(lang) in NOUNS_CAPITALISED:
        return {anyascii(word).casefold() for word in _tokens(name)}
    return {name_key(word, lang) for word in _tokens(name)}


def _tokens(name: str) -> list[str]:
    """A name's words, and the parts of hyphenated ones (Сент-Луисом, Ньюпорт-он-Ливи)."""
    words = [word for word in re.split(r"[\s・=]+", name) if word]
    return words + [part for word in words if "-" in word for part in word.split("-") if part]


def _derived(key: str, other: str) -> bool:
    """A word made from the name: Kurdish / курдских, Macedonians / македонцы (shared start)."""
    shared = len(os.path.commonprefix((key, other)))
    return shared > MIN_KEY_LENGTH and shared >= min(len(key), len(other)) - 1


def _stands_alone(name: str, lang: str, text: str, other: _Evidence) -> bool:
    """Whether ``text`` keeps only the first word of a name of several, standing alone: the word is there
    with no name after it (Alfredo がKelly… for Alfredo Morelos, Крис, член парламента… for クリス・レスリー)
    and no other word of the name is anywhere, whether the name counts as rendered (a short family name,
    レスリー, is not required) or as missing (``_family_name`` requires ゴールドスミス or スバンドノ). A
    translator who shortens a name keeps the family name (Трамп for Donald Trump); one who writes it another
    way writes a word after the first (ジョルゲ・イヴァノフ), which this leaves alone however it is spelt.
    Names whose other words are dictionary words (Cromwell Society, Welsh Parliament) are institutions,
    whose words a translation renders as words; in a Latin-script language other than English there is no
    dictionary to ask (Panda Géant → Riesen-Panda), so only English names and names in other scripts
    (クリス・レスリー, Досебы Синай) are judged."""
    words = [word for word in re.split(r"[\s・=]+", name) if word]
    first = {key for key in _key_variants(words[0], lang) if len(key) >= MIN_KEY_LENGTH} if len(words) > 1 else set()
    if not first or any(other.has(word, lang, fuzzy=True) for word in words[1:]) or \
            writes_latin(lang) and (base_lang(lang) != "en" or any(_is_common_english(word, False) for word in words[1:])):
        return False
    text = unicodedata.normalize("NFKC", text)
    # whole words and katakana runs: the tail of Riesen-Panda or of ジョルゲ・イヴァノフ is no word alone
    for word in (*_WORD.finditer(text), *_KATAKANA.finditer(text)):
        if (word.group()[0].isupper() or _KATAKANA.match(word.group())) and first & _key_variants(word.group(), other.lang):
            after = text[word.end():].lstrip(" \u00a0")
            if not after or not (after[0].isupper() or _KATAKANA.match(after)):
                return True
    return False


def quoted(name: str, text: str) -> bool:
    """Whether ``name`` stands inside quotation marks in ``text``: a team, a title or a nickname («Челси»,
    «Небесно-голубым»), which translators often write for a name the other side spells differently
    (ブルース, スカイブルー), so no evidence that a name of that side was rendered another way."""
    return bool(re.search(f"[«「“\"][^»」”\"]*{re.escape(name)}", text))


def is_common_word(name: str, lang: str) -> bool:
    """Whether every word of an English name is also a dictionary word (Habitats, Application,
    Trump): a translator may have translated it rather than transliterated it."""
    return all(token.isascii() and _is_common_english(token, False) for token in _tokens(name))


def _reportable(name: str, lang: str) -> bool:
    """Known, or long enough to tell apart from a chance resemblance."""
    tokens = _tokens(name)
    whole = [name] if len(tokens) > 1 else []  # Joe Alleva: two short skeletons (j, rb), one long enough (jrb)
    return any(_known_rows(token) for token in tokens) or \
        any(len(key) >= MIN_KEY_LENGTH for token in tokens + whole for key in _key_variants(token, lang))


def _split(names: list[str], lang: str, other: _Evidence) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The reportable names of one side that the other side's evidence does not account for, and those it does."""
    names = [name for name in names if _reportable(name, lang)]
    fuzzy = len(names) * len(other.keys) <= MAX_PAIRS_TO_TRY
    found = [other.has(name, lang, fuzzy) for name in names]
    return (tuple(name for name, ok in zip(names, found) if not ok),
            tuple(name for name, ok in zip(names, found) if ok))


def compare_names(src: str, tgt: str, src_lang: str, tgt_lang: str, lexicon: Lexicon = Lexicon()) -> NameCheck:
    """Names of ``src`` with no counterpart in ``tgt``, and the reverse; ``lexicon``: what the
    document shows about its words (:class:`Lexicon`)."""
    evidence = _Evidence(tgt, tgt_lang)
    missing, matched = _split(extract_names(src, src_lang, lexicon), src_lang, evidence)
    extra, _ = _split(extract_names(tgt, tgt_lang, lexicon), tgt_lang, _Evidence(src, src_lang))
    rendered = None
    if base_lang(src_lang) in NOUNS_CAPITALISED:  # Höhenzahl, Jahren: nouns, unless the translation shows otherwise
        missing = tuple(name for name in missing if _known_rows(name) or lexicon.renders(name, src_lang))
        if writes_latin(tgt_lang) or base_lang(tgt_lang) in CYRILLIC_LANGS:
            rendered = _capitalised_words(matched, src_lang, tgt, tgt_lang)
    if base_lang(tgt_lang) in NOUNS_CAPITALISED:
        extra = tuple(name for name in extra if _known_rows(name))
    if base_lang(tgt_lang) in NAMES_IN_HAN:  # 琼斯 for Jones: checked only where the Han form is known (北京), of
        # the name itself, not of one of its words (South China Morning Post is 南华早报, with no 中国 in it)
        missing = tuple(name for name in missing if " " not in name.strip()
                        and any(_HAN.search(entry) for row in _known_rows(name) for entry in row))
    # a family name long enough to be required makes the name missing, but the first word standing alone says
    # how: the rest was cut, not written another way
    bare = tuple(name for name in missing + matched if _stands_alone(name, src_lang, tgt, evidence))
    bare += tuple(run for run in _copied_in_part(src, tgt, tgt_lang) if run not in bare)
    copied = tuple(name for name in missing if _LATIN_NAME.fullmatch(name)) \
        if writes_latin(tgt_lang) and not writes_latin(src_lang) else ()
    return NameCheck(missing, extra, rendered if rendered is not None else matched, bare, copied)


def _capitalised_words(names: Sequence[str], lang: str, tgt: str, tgt_lang: str) -> tuple[str, ...]:
    """The words of ``names`` that ``tgt`` writes with a capital too: known, spelled alike where both sides write
    the Latin alphabet (Mustagh, Muztagh), else by their sound. Where every noun has a capital, that is what the
    translation renders: a noun it writes in lower case (Kameraden: camarades) is none, nor a noun before a name
    (Leiter J.Hunt: Chef J. Hunt), and skeletons match by chance among so many nouns (Leiter, L.Terray: rtr)."""
    capitals = [part for word in tgt.split() if word[:1].isupper() for part in {word, *word.split("-")}]
    if writes_latin(tgt_lang):
        spellings = [anyascii(word.strip(".,;:()«»\"'")).casefold() for word in capitals]

        def renders(word: str) -> bool:
            spelled = anyascii(word).casefold()
            return any(SequenceMatcher(None, spelled, other).ratio() >= SPELLING_SIMILARITY for other in spellings)
    else:
        sounds = _Evidence(" ".join(capitals), tgt_lang).name_keys

        def renders(word: str) -> bool:  # a name's own words, in the same line: a short key is no chance here
            return any(key in sounds or len(key) > MIN_KEY_LENGTH and any(
                _close(key, other) for other in sounds if len(other) > MIN_KEY_LENGTH)
                for key in _key_variants(word, lang) if len(key) > 1)
    return tuple(word for name in names for word in re.split(r"[\s・=-]+", name)
                 if word and (_known_rows(word) or renders(word)))


# A name in Latin letters only (Gary Holt, O'Neill, J.Hunt, Jean-Claude)
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z.'’ -]*")
# Two or three capitalised Latin words, each with a lower-case letter (no acronyms): the Evening News
_LATIN_RUN = re.compile(r"(?<![\w.])([A-Z][a-z][A-Za-z]+)((?: [A-Z][a-z][A-Za-z'’]*){1,2})(?!\w)")
# What may follow a word copied alone: a Japanese particle, punctuation, the end
_ENDS_COPY = re.compile(r"\s*(?:[\u3040-\u309f,、。.;:]|$)")


def _copied_in_part(src: str, tgt: str, tgt_lang: str) -> list[str]:
    """Latin-script runs of the source whose first word a target in another script copies as it is, standing
    alone (市場管理者はEvening に、… / газете Evening, что… for the Evening News), with none of the run's other
    words anywhere. A translator who copies a name copies it whole, or renders the rest in the target's
    script right after it (Microsoftリサーチ, Welsh議会, Evening газета): the rest was cut. Names made of
    dictionary words count here, as ``extract_names`` would not take them (the Evening News)."""
    if writes_latin(tgt_lang):
        return []
    cut = []
    for run in _LATIN_RUN.finditer(src):
        others = [re.sub(r"['’]s$", "", word) for word in run[2].split()]  # Agency's: Agency
        if any(re.search(rf"(?<![A-Za-z]){re.escape(word)}", tgt) for word in others):
            continue
        copies = re.finditer(rf"(?<![A-Za-z]){re.escape(run[1])}(?![A-Za-z])", tgt)
        if any(_ENDS_COPY.match(tgt, copy.end()) for copy in copies):
            cut.append(run.group())
    return cut
