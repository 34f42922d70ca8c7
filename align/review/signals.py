"""Checks of one translation unit that need only its text: the review's vocabulary of flags.

Every check here is a pure function of the two texts and their languages, runs
in linear time on a capped prefix of the text, and returns ``Flag`` objects
whose ``reason`` says what was seen. The checks that need embeddings or the
statistics of the whole document (similarity, length ratio) live in
``align/review/judge.py``, which also explains every flag name.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher
from itertools import pairwise

from align.lang import (
    CJK_LANGS,
    CYRILLIC_LANGS,
    QUOTES_LOOSELY_CLOSED,
    STRAY_SPACES,
    UNDETERMINED,
    base_lang,
    is_cjk,
    lang_name,
    spaced_marks,
    writes_latin,
)
from align.review.codes import tag_flags
from align.review.model import Flag
from align.text.boilerplate import is_boilerplate
from align.text.langtag import detect_language

# Longer texts are checked on their first characters only: a 2 MB "segment" is
# flagged as oversized, not scanned for repeated phrases.
SCAN_CHARS = 5000
# A unit longer than this is no sentence or paragraph a translation memory can reuse.
OVERSIZED_CHARS = 4000
# Language verdicts need this much text: a name or a model number proves nothing.
MIN_LETTERS = 12
MIN_CJK = 6
# A third language is claimed only on longer text: short kanji-only Japanese reads as Chinese.
MIN_LETTERS_THIRD = 60
MIN_CJK_THIRD = 15



def char_count(text: str) -> int:
    """Characters that carry text (no spaces): comparable across CJK and spaced scripts."""
    return sum(1 for ch in text if not ch.isspace())


def _letters(text: str) -> tuple[int, int]:
    """(letters, CJK letters) in ``text``."""
    letters = cjk = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            cjk += ord(ch) >= 0x3040
    return letters, cjk


def _clip(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size - 1] + "…"


# --- language --------------------------------------------------------------------

def detected_language(text: str, expected: str, third: bool = False) -> str | None:
    """The language of ``text`` if there is enough of it to say, else None. Asked whether it is in a third
    language, only its words in lower case count: names (K.Herrligkoffer, Nanga Parbat) belong to none."""
    letters, cjk = _letters(text)
    if cjk and is_cjk(expected):  # BBC Scotland 的 Alasdair Lamont 在 Tony Macaroni 球场: the Latin words are names
        text = " ".join(w for w in text.split() if not w[:1].isupper())
        letters, cjk = _letters(text)
    enough = (cjk >= (MIN_CJK_THIRD if third else MIN_CJK) if cjk * 2 > letters
              else letters >= (MIN_LETTERS_THIRD if third else MIN_LETTERS))
    if not enough:
        return None
    if third and (lower := " ".join(w for w in text[:SCAN_CHARS].split() if not w[:1].isupper())) \
            and _letters(lower)[0] >= MIN_LETTERS:
        text = lower
    found = detect_language(text[:SCAN_CHARS], base_lang(expected))
    return None if found == UNDETERMINED else base_lang(found)


# Sides this alike are one text, not a translation: a word or two changed, punctuation, case, spacing.
COPY_SIMILARITY = 0.9
_COPY_CHARS = 1000  # compared on this much of each side (difflib is quadratic)


def _skeleton(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text[:SCAN_CHARS]).casefold() if ch.isalnum())


def is_copy(src: str, tgt: str) -> bool:
    """Whether the target repeats the source, whatever its length (a name, a heading, a sentence): the same
    letters and digits, or all but a few of them. Text without two letters (a number, a date) is no copy."""
    a, b = _skeleton(src), _skeleton(tgt)
    if sum(ch.isalpha() for ch in b) < 2:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) < COPY_SIMILARITY * max(len(a), len(b)):
        return False
    return SequenceMatcher(None, a[:_COPY_CHARS], b[:_COPY_CHARS], autojunk=False).ratio() >= COPY_SIMILARITY


def _names_only(text: str, lang: str) -> bool:
    """Whether ``text`` is made of names (and numbers) as the name finder reads them: a list of peaks
    (Nanga Parbat, Cho Oyu), a product (Microsoft Excel), which a translation may copy as it is."""
    from align.review.names import extract_names

    text = text[:SCAN_CHARS]
    letters = sum(ch.isalpha() for ch in text)
    named = sum(ch.isalpha() for name in extract_names(text, lang) for ch in name)
    return letters > 0 and named >= 0.8 * letters


def language_flags(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Flag]:
    """``untranslated``: the target is the source or in its language; ``wrong_language``: a third one."""
    s, t = base_lang(src_lang), base_lang(tgt_lang)
    if s == t or not src.strip() or not tgt.strip():
        return []
    if UNDETERMINED not in (s, t) and is_copy(src, tgt):
        if writes_latin(s) and writes_latin(t) and _names_only(src, src_lang):
            return [Flag("untranslated", "minor", f"the target is a copy of the source, which holds only names and "
                         f"numbers ({_clip(tgt)!r}): in the same alphabet often right, worth a look")]
        return [Flag("untranslated", "critical", f"the target is a copy of the source ({_clip(tgt)!r})")]
    tgt_found = detected_language(tgt, tgt_lang)
    src_found = detected_language(src, src_lang)
    if tgt_found == s and src_found == t:
        return [Flag("wrong_language", "major", f"the sides look swapped: the source reads as {lang_name(t)} "
                     f"and the target as {lang_name(s)}")]
    if tgt_found == s:
        return [Flag("untranslated", "critical", f"the target is in {lang_name(s)}, the source language, "
                     f"not {lang_name(t)}")]
    flags = []
    for side, text, expected, other in (("target", tgt, t, s), ("source", src, s, t)):
        found = detected_language(text, expected, third=True)
        if found is not None and found not in (expected, other):
            flags.append(Flag("wrong_language", "major",
                              f"the {side} reads as {lang_name(found)}, not {lang_name(expected)}"))
    return flags


# --- machine-translation noise ----------------------------------------------------

_CJK_CHAR = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f"
# MT glues Vietnamese or English word spacing into Japanese: "協力 軍隊 一般的です", "渋滞 – 輸送".
_CJK_SPACE = re.compile(f"[{_CJK_CHAR}][ \u00a0]+[–—-]?[ \u00a0]*[{_CJK_CHAR}]")
_DASH = re.compile(r"[–—-]")
_SPACED_DASH = re.compile(r"\s[–—-]\s")
_LEADING_PUNCT = re.compile(r"^\s*[.,;:!?。、，．：；!?)\]）」』]")
_DOUBLED_PUNCT = re.compile(r"(?<!\.)[,，、;；:：][ ]?[,，、;；:：.。]|[。．][ ]?[。．,，、]|(?<![.\w])[.][ ]?[,，、;；:]"
                            r"|(?<=\w) +[.,;:!?](?=\s|$)")
_TERMINAL = ".!?。！？…‼⁉;；"
_CLOSERS = "\"'”’»«“„‘」』）)]】〉》"
_BRACKETS = (("(", ")"), ("（", "）"), ("「", "」"), ("『", "』"), ("[", "]"), ("«", "»"), ("“", "”"))
# Japanese sentences do not start with a case particle: "によると ニューヨーク・タイムズ".
_JA_BROKEN_START = re.compile(r"^(によると|によれば|と共有する|は|を|が(?![、,]))")


def _ends_sentence(text: str) -> bool:
    text = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(text) and text[-1] in _TERMINAL


def _fragment(text: str, lang: str) -> bool:
    """A few characters ending a sentence, as MT leaves behind: "列車。", "年。", ".-22M3。"."""
    core = text.strip()
    if not core or not _ends_sentence(core):
        return False
    body = core.rstrip(_TERMINAL + _CLOSERS + " ")
    letters, cjk = _letters(body)
    if is_cjk(lang):
        return len(body) <= 3 or (cjk <= 2 and letters <= 4)
    return len(re.findall(r"[^\W\d_]{2,}", body)) <= 1 and len(body) <= 8


def noise_cues(text: str, lang: str, other: str | None = None) -> tuple[list[str], bool]:
    """What looks like machine-translation debris in one text, and whether any cue is strong.
    ``other`` is the other side: a dash set off by spaces (" - ") or punctuation marks side by side
    (" ) , " in tokenized text) that it has too are its punctuation kept, not debris."""
    text = text[:SCAN_CHARS]
    cues, strong = [], False
    if _LEADING_PUNCT.match(text):
        cues.append(f"starts with punctuation ({_clip(text, 20)!r})")
        strong = True
    if is_cjk(lang) and base_lang(lang) not in STRAY_SPACES:
        spaces = _CJK_SPACE.findall(text)
        if other is not None and _SPACED_DASH.search(other[:SCAN_CHARS]):
            spaces = [space for space in spaces if not _DASH.search(space)]
        if spaces:
            cues.append(f"{len(spaces)} space(s) between words as MT leaves them ({spaces[0]!r})")
            strong = strong or len(spaces) >= 2 or "–" in spaces[0] or "-" in spaces[0]
    if base_lang(lang) == "ja" and _JA_BROKEN_START.match(text):
        cues.append(f"starts with a particle ({_clip(text, 20)!r})")
        strong = True
    spaced = spaced_marks(lang)  # French "Attention : …" is its typography, not debris
    doubled = next((m for m in _DOUBLED_PUNCT.finditer(text)
                    if not (m.group(0)[0] == " " and m.group(0).strip() in spaced)), None)
    if doubled and not (other is not None and _DOUBLED_PUNCT.search(other[:SCAN_CHARS])):
        cues.append(f"broken punctuation ({doubled.group(0)!r})")  # unless the other side is written so too
    if cues:
        # Human translators leave quotes unclosed too: alone it is no evidence of MT.
        for opening, closing in _BRACKETS:
            if text.count(opening) != text.count(closing):
                cues.append(f"unbalanced {opening}{closing}")
                break
    return cues, strong


def noise_flags(text: str, lang: str, side: str, other: str | None) -> list[Flag]:
    """``mt_noise`` on one side; ``other`` is the other side's text (None when reviewing one language).

    A short sentence is a fragment only where its counterpart is not short too.
    """
    flags = []
    cues, strong = noise_cues(text, lang, other)
    other_chars = char_count(other) if other is not None else None
    if _fragment(text, lang) and (other_chars is None or other_chars > 4 * max(char_count(text), 3)):
        cues.insert(0, f"a fragment ({_clip(text, 20)!r})")
        strong = True
    fragment = bool(cues) and cues[0].startswith("a fragment")
    if cues:
        severity = "major" if strong or len(cues) >= 2 else "minor"
        note = ""
        if side == "source" and not fragment and severity == "major":
            # The translation is not at fault for its source's debris; a fragment facing a long
            # target is another matter: the two do not belong together.
            severity, note = "minor", " (the source itself)"
        flags.append(Flag("mt_noise", severity, f"the {side} looks like machine-translation debris: "
                          + "; ".join(cues) + note))
    return flags


# --- repetition ----------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Quick tests that some phrase repeats at all (the exact search below is quadratic in Python).
_CJK_REPEAT = re.compile(r"(.{3,40})\1", re.DOTALL)
_WORD_REPEAT = re.compile(r"(?:^| )((?:\S+ ){1,12})\1")


def repeated_phrase(text: str, lang: str) -> str | None:
    """A phrase said twice in a row ("the new the new", "協力の強化協力の強化"), else None.

    Words for spaced scripts (two or more, or one word of 4+ letters); for CJK
    any run of 3+ characters, punctuation between the copies ignored. A word said
    twice with a comma between is emphasis, not a stutter ("horrible, horrible",
    "ужасную, ужасную", "はい、はい").
    """
    text = text[:SCAN_CHARS]
    if is_cjk(lang):
        chars = [(m.start(), m.group()) for m in re.finditer(r"[^\W_]", text)]
        seq = "".join(c for _, c in chars)
        if not _CJK_REPEAT.search(seq):  # most text repeats nothing: one scan in C, then done
            return None
        for size in range(3, min(40, len(seq) // 2) + 1):
            for i in range(len(seq) - 2 * size + 1):
                piece = seq[i:i + size]
                if (piece == seq[i + size:i + 2 * size] and len(set(piece)) > 1
                        and any(ord(c) >= 0x3040 for c in piece)
                        and not (size <= 4 and _emphasis(text[chars[i + size - 1][0] + 1:chars[i + size][0]]))
                        and not _sentence_end(text[chars[i + size - 1][0] + 1:chars[i + size][0]])):
                    return text[chars[i][0]:chars[i + 2 * size - 1][0] + 1]
        return None
    words = [(m.start(), m.end(), m.group().casefold()) for m in _TOKEN.finditer(text)]
    tokens = [w for _, _, w in words]
    if not _WORD_REPEAT.search(" ".join(tokens) + " "):
        return None
    for size in range(1, min(12, len(tokens) // 2) + 1):
        for i in range(len(tokens) - 2 * size + 1):
            piece = tokens[i:i + size]
            if piece != tokens[i + size:i + 2 * size]:
                continue
            if size == 1 and (len(piece[0]) < 4 or piece[0].isdigit() or piece[0] in _LEGIT_DOUBLES
                              or _emphasis(text[words[i][1]:words[i + 1][0]])):
                continue
            if all(t.isdigit() for t in piece) or _sentence_end(text[words[i + size - 1][1]:words[i + size][0]]):
                continue
            return text[words[i][0]:words[i + 2 * size - 1][1]]
    return None


def _emphasis(between: str) -> bool:
    """Whether the text between two copies of a word marks them as said twice on purpose."""
    return bool(re.fullmatch(r"\s*[,，、]\s*", between))


def _sentence_end(between: str) -> bool:
    """Whether the text between two copies ends a sentence: a name that ends one sentence may open the next
    (…to Leroy Sane. Sane took…)."""
    return bool(re.fullmatch(r"\s*[.!?。！？]\s*", between))


def _doubled_word(text: str, lang: str) -> bool:
    """Any word said twice in a row, however short or whatever stands between ("big, big"): a
    translation that doubles a word where its source does is faithful, not broken."""
    if is_cjk(lang):
        return bool(re.search(r"([^\W\d_]{2,4})[、，,]\1", text[:SCAN_CHARS]))  # いろいろ is one word
    tokens = [m.group().casefold() for m in _TOKEN.finditer(text[:SCAN_CHARS])]
    return any(a == b and not a.isdigit() for a, b in pairwise(tokens))


_LEGIT_DOUBLES = frozenset({"that", "had", "very", "bye", "ha", "knock", "tsk", "чем", "пока", "очень", "много",
                            "долго", "чуть", "тук", "nyet", "well", "long", "more", "again"})


def repetition_flags(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Flag]:
    """``repetition``: a phrase repeated back to back in the target (or source) but not in the other side.

    Major in the target; in the source it is minor: a slip of the source, which the translation
    rightly left out, is worth a look but is no reason to reject the translation."""
    flags = []
    for side, text, lang, other, other_lang in (("target", tgt, tgt_lang, src, src_lang),
                                                 ("source", src, src_lang, tgt, tgt_lang)):
        found = repeated_phrase(text, lang) if text else None
        if found and not (other and (repeated_phrase(other, other_lang) or _doubled_word(other, other_lang))):
            severity, note = ("major", "") if side == "target" else ("minor", " (a slip of the source itself)")
            flags.append(Flag("repetition", severity, f"the {side} repeats a phrase back to back: {_clip(found)!r}"
                              + note))
    return flags


# --- content ---------------------------------------------------------------------------

def number_flags(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Flag]:
    from align.review.numbers import compare_numbers, weekday_mismatch

    check = compare_numbers(src[:SCAN_CHARS], tgt[:SCAN_CHARS], src_lang, tgt_lang)
    weekday = weekday_mismatch(src[:SCAN_CHARS], tgt[:SCAN_CHARS], src_lang, tgt_lang)
    if check.ok and not weekday:
        return []
    # A number written differently on each side is an error, and so is one dropped or added where the
    # other side writes its numbers; one dropped alone is as often a rephrasing ("100 percent" -> "絶対に").
    # Another weekday is minor: news moves a date across time zones (an American Tuesday evening is a
    # Wednesday in Tokyo) as often as a translator slips.
    reasons = [r for r in (None if check.ok else check.reason(),
                           weekday and weekday + " (a time zone's shift, or a slip: worth a look)") if r]
    return [Flag("number_mismatch", "major" if check.changed else "minor", "; ".join(reasons))]


def name_check(src: str, tgt: str, src_lang: str, tgt_lang: str, lexicon=None):
    """align/review/names.py's ``NameCheck`` of the pair, on the scanned prefix of each side; ``lexicon``:
    what the document shows about its words (``names.Lexicon``: katakana names and loanwords, common nouns)."""
    from align.review.names import Lexicon, compare_names

    return compare_names(src[:SCAN_CHARS], tgt[:SCAN_CHARS], src_lang, tgt_lang, lexicon or Lexicon())


def name_flags(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Flag]:
    check = name_check(src, tgt, src_lang, tgt_lang)
    if check.ok and not check.bare:
        return []
    # A source name the target lacks, or keeps only the first word of, is lost content; a target name the
    # source lacks is as often an explanation the translator added ("Prime Minister Theresa May").
    return [Flag("name_mismatch", "major" if check.missing or check.bare else "minor", check.reason())]


# Words a translation may write for a name it has written before: personal pronouns and "the same" (同氏, 同社).
_STAND_INS = {
    "en": re.compile(r"(?i)\b(?:he|she|they|him|her|them|his|hers|their|theirs)\b"),
    "ru": re.compile(r"(?i)(?<![^\W\d_])(?:он|она|они|оно|его|её|ее|их|ему|ей|им|ним|ней|нему|неё|нее|них|ими|ними"
                     r"|ею|нею|свой|своя|своё|свое|свои|своего|своей|своему|своим|своих|своими|свою)(?![^\W\d_])"),
    "ja": re.compile(r"彼|同氏|同社|同国|同州|同市|同党|同紙|同局|同省|同チーム|同クラブ|両氏|両者|同大"),
}


def stand_in(text: str, lang: str) -> bool:
    """Whether ``text`` has a word that may stand for a name written elsewhere (``_STAND_INS``); False for a
    language with no list."""
    pattern = _STAND_INS.get(base_lang(lang))
    return bool(pattern and pattern.search(text))


def truncated(src: str, tgt: str) -> bool:
    """The source ends a sentence and the target stops without ending punctuation, nor on the close
    of a quotation it opened (「北朝鮮と上手くやれている」 is said in full, whatever it leaves out), nor
    on the verb that ends a Japanese sentence inside a quotation both sides carry on into the next
    line, where the 。 may come with the quotation's close ("They're just being playful. / 「ただ遊んで
    いるつもりだ). A comma there («Свиньи игривы,) still leaves the sentence unfinished."""
    core = tgt.rstrip()
    carried = _runs_on(src) and _runs_on(tgt) and core[-1:] in _JA_SENTENCE_ENDS
    return (_ends_sentence(src) or _closes_quote(src)) and not _ends_sentence(tgt) \
        and not core.endswith((":", "：", "-", "—")) and not _closes_quote(tgt) and not carried


def _runs_on(text: str) -> bool:
    """Whether ``text`` opens a quotation it does not close (straight quotes: an odd number)."""
    text = text[:SCAN_CHARS]
    return text.count('"') % 2 == 1 or any(text.count(opening) > text.count(closing)
                                            for opening, closing in _QUOTES)


def _closes_quote(text: str) -> bool:
    """Whether ``text`` ends on the closing mark of a quotation or bracket it opens."""
    core = text.rstrip()
    return any(core.endswith(closing) and opening in core[:-1] for opening, closing in _BRACKETS)


# Words no sentence (nor headline) ends on, even before its full stop ("…of the.", "…уехал в."):
# articles, prepositions, conjunctions, and prepositions of several words or long ones ("…such as.",
# "…драма с участием."; "против", "после" and "мимо" are left out: "Депутаты голосовали против." is a sentence).
_NEVER_LAST = {
    "en": r"the|a|an|of|and|or|but|nor|than|whose|their|its|our|your|my|such as|according to|due to|as well as"
          r"|including|prior to|along with|thanks to|in order to|even though|although|whereas|despite|regarding|amid",
    "ru": r"в|во|на|с|со|к|ко|по|о|об|обо|от|до|из|за|для|без|при|про|через|над|под|у|между|перед|и|а|но|или|либо"
          r"|чтобы|если|котор(?:ый|ая|ое|ые|ого|ой|ому|ым|ых|ую|ыми)|с участием|при участии|по словам|по мнению|в ходе"
          r"|в рамках|в течение|во время|при поддержке|в отношении|в связи с|в качестве|в составе|со стороны"
          r"|по сравнению с|согласно|благодаря|ради|из-за|из-под|среди|кроме|вместо|возле|сквозь|вопреки|насч[её]т",
    "uk": r"в|у|на|з|із|до|від|за|для|без|при|про|через|над|під|і|й|та|а|але|або|щоб|якщо",
}
# Without the full stop the list is longer: "what it was made from." ends a sentence, "…from" does not.
# English adds only words that never close a phrasal verb ("weighs in", "signed up for").
_NEVER_LAST_UNCLOSED = {"en": r"from|with|by|into|onto", "ru": r"что|когда|не|ни", "uk": r"що"}
# ... and before a full stop, "…привели к тому." and "…рассказал о том." announce a clause that never comes
_NEVER_LAST_CLOSED = {"ru": r"к тому|о том"}


def _last_word(lang: str, words: str) -> re.Pattern:
    start = r"\b" if lang == "en" else r"(?:^|\s)"  # Cyrillic lists: a word after a space, or the whole text
    return re.compile(rf"(?i){start}(?:{words})$")


_DANGLING = {
    **{lang: _last_word(lang, f"{words}|{_NEVER_LAST_UNCLOSED[lang]}") for lang, words in _NEVER_LAST.items()},
    # ... and a word cut after a small tsu (アタッ), which no word ends on, or after に対 / に関 (…訪問者に対)
    "ja": re.compile(r"(?:が|を|(?<!ま)で|は|に|と|の|も|から|より|ので|による|として|について|における|に対する"
                     r"|に対|に関|(?<=..)[ッっ])$"
                     # a kana standing alone after a comma (…私は私達で、そ), one katakana of a name (ドリー・メ)
                     r"|[、，,][\u3040-\u30ff]$|・[\u30a0-\u30ff]$"),
}
_DANGLING_CLOSED = {
    **{lang: _last_word(lang, "|".join(filter(None, (words, _NEVER_LAST_CLOSED.get(lang)))))
       for lang, words in _NEVER_LAST.items()},
    # A Japanese word cut in two and closed anyway: a small tsu (ブラッ), a kana standing alone after
    # punctuation (、こ), an object particle with no verb (…を), a verb of two kanji stopped on the
    # stem of する (発見さ, 確認し), where the sentence would go on (発見された, 確認した), or one kana
    # after a particle (運転手はそ。), a clause left hanging on its continuative form (…誇りに思っており。), a topic
    # and nothing said of it (…ことは。), a phrase that needs a predicate (…傾向により。) or a quotation's と
    # (…見たと。), or
    # a noun's possessive の with no noun after it (…金曜日夜の。; a sentence ends on の after a verb, 行くの。,
    # and on a pronoun's in speech, 私の。), or the prefix 約 with no figure after it (…ゴールから約。; 契約。 is a word).
    "ja": re.compile(r"[ッっ]$|(?:^|[、，,\s「『（(])[\u3040-\u30ff]$|を$|[\u4e00-\u9fff]{2}[さし]$|(?<![\u4e00-\u9fff])約$"
                     r"|[\u4e00-\u9fffァ-ヺー][はがを](?![よねさな]$)[\u3040-\u309f]$|[てで][おあ]り$"
                     # the topic with nothing said of it (…対象になることは。), not the exclamation …だとは。
                     r"|(?<![だるたいうすくぐつむぶぬ]と)(?<!それで)は$"
                     # a phrase that introduces what its predicate says, with no predicate (…買う傾向により。), and a
                     # verb then the quotative or conditional と with nothing after it (…出ると。, …見たと。)
                     r"|(?:により|によって|に対して|に関して|において|について|にとって|とともに|として)$"
                     r"|[るたうくすつぬむぶぐ]と$"
                     r"|[\u4e00-\u9fffァ-ヺーA-Za-z0-9](?<![私僕俺君誰彼])(?<!彼女)(?<!自分)の$"),
}
_FULL_STOP = re.compile(r"[.。．｡]$")
_QUOTES = (("「", "」"), ("『", "』"), ("«", "»"), ("“", "”"))


def dangling_end(text: str, lang: str) -> str | None:
    """The end of ``text`` when the text was cut off there, else None: a last word no sentence ends on
    ("…arrested on suspicion of", "…в мужской тюрьме и", "ミッドフィールドで"), even before a full stop
    where none ends on it then either ("…of the.", "…уехал в."), or a Japanese word cut in two and
    closed with 。 ("…受賞したこともあるブラッ。", "…トンプソン氏は、こ。")."""
    lang = base_lang(lang)
    core = text.rstrip()
    if not core:
        return None
    if not _ends_sentence(core):
        pattern = _DANGLING.get(lang)
        found = pattern.search(core) if pattern else None
        return found.group().strip() if found else None
    closed = _DANGLING_CLOSED.get(lang)
    if closed is None or not _FULL_STOP.search(core):
        return None
    body = core[:-1].rstrip()
    found = closed.search(body) if len(body) > 3 else None  # "あっ。" is a whole sentence
    return "…" + core[-12:].lstrip() if found else None


# The kana a finished Japanese sentence ends on before its 。: verbs (う-row, た), adjectives, copulas, tone.
_JA_SENTENCE_ENDS = frozenset("うくぐすつぬぶむるたいだずねよかわなのさんろぞえみ")
_WEAK_END = {"en": re.compile(r"(?i)\b(?:to|in|on|for|at|with|from|by|about|into|as|that)$")}


def weak_end(text: str, lang: str) -> str | None:
    """The end of ``text`` where sentences rarely end, though some do: a Japanese sentence closed on
    anything but the ending of a verb or an adjective (…午後3時に。, …チェルシ。, …発見さ。), an
    English one on a preposition (…what it came for.). None otherwise. Only with a target shorter
    than predicted is it the sign of a cut."""
    lang = base_lang(lang)
    core = text.rstrip()
    if not _FULL_STOP.search(core) or len(core) < 5:
        return None
    body = core[:-1].rstrip()
    if lang == "ja":
        last = body[-1:]
        weak = bool(last) and last not in _JA_SENTENCE_ENDS and last not in _CLOSERS and last not in _TERMINAL
    else:
        weak = lang in _WEAK_END and bool(_WEAK_END[lang].search(body))
    return "…" + core[-12:].lstrip() if weak else None


_LAST_KATAKANA = re.compile(r"([ァ-ヺヽヾー]+)[。．｡]?$")


def cut_katakana(text: str, lang: str, lexicon) -> str | None:
    """The end of a Japanese ``text`` that stops inside a katakana word, else None: its last word is
    written nowhere else in the document, and a longer word of the document starts with it
    (…そこはチェルシ。 where the document writes チェルシー). ``lexicon``: ``names.Lexicon``."""
    if base_lang(lang) != "ja":
        return None
    core = unicodedata.normalize("NFKC", text.rstrip())
    found = _LAST_KATAKANA.search(core)
    if not found or len(found.group(1)) == len(core.rstrip("。．｡")):
        return None
    whole = lexicon.cut_katakana(found.group(1))
    return f"…{core[-12:].lstrip()} ({found.group(1)} for {whole}?)" if whole else None


def unclosed_bracket(src: str, tgt: str) -> str | None:
    """The bracket a target opens and never closes, whatever follows it, where the source opens and closes
    its own: "…からMWP (Member of" was cut inside it. Full-width and plain brackets count as one kind (a
    Chinese line opens with （ and closes with ) as often as not)."""
    def left_open(text: str) -> int:
        text = text[:SCAN_CHARS]
        return text.count("(") + text.count("（") - text.count(")") - text.count("）")

    source = src[:SCAN_CHARS]
    if left_open(src) or not ("(" in source or "（" in source) or left_open(tgt) <= 0:
        return None
    start = max(tgt.rfind("("), tgt.rfind("（"))
    return _clip(tgt[start:], 24) if start > max(tgt.rfind(")"), tgt.rfind("）")) else None


def unclosed_quote(src: str, tgt: str, tgt_lang: str) -> str | None:
    """The 「quotation」 a Japanese or Chinese target opens and never closes where the source opens and
    closes its own (a target cut inside a quote), else None. Elsewhere a quote runs on into the next
    sentence («Вы помните ее ответ? / Она сказала…»), and a source without quotes proves nothing."""
    if not is_cjk(tgt_lang):
        return None

    def counts(text: str, straight_closes: bool = False) -> list[tuple[str, int]]:
        """Quotations left open per opening mark; ``straight_closes``: a straight quote may close a “,
        as Chinese text often does (“无可替代的古乐器")."""
        text = text[:SCAN_CHARS]
        straight, found = text.count('"'), []
        for opening, closing in _QUOTES:  # „…“ closes with the English opening quote
            n = text.count(opening) - text.count(closing) - (text.count("„") if opening == "“" else 0)
            if straight_closes and opening == "“" and n > 0:
                closed = min(n, straight)
                n, straight = n - closed, straight - closed
            found.append((opening, n))
        return found + [('"', straight % 2)]

    if any(n for _, n in counts(src)) or not any(q in src for q in '"«“„「『'):
        return None
    opened = [opening for opening, n in counts(tgt, straight_closes=True) if n > 0]
    return _clip(tgt[tgt.rfind(opened[0]):], 24) if opened else None


# Words no statement opens on: a Russian relative or "что"/"кто" clause (Что в машину…, Который…, Кто
# высказывает…), "whereas" (Тогда как последние…), a reflexive participle in an oblique case whose phrase a comma
# closes, as it does after the participle's noun (…президента Джоко, баллотирующегося на новый срок…, погрязла:
# Баллотирующегося на новый срок…, погрязла), a Japanese "or" (もしくは夜に…). "Что касается", "Что ж(е)", "Что
# интересно," and "Кто-то" open one, and a question may open on anything. (The participles that became adjectives,
# Бывшего, Следующего, Будущего, open sentences and are not reflexive; a plural one may stand for people,
# Собравшихся встретил мэр; a phrase set before its noun takes no comma: Находящегося в розыске мужчину задержали.)
_HEADLESS = {
    "ru": re.compile(r"(?:Что(?!-|\s+(?:же?|касается)\b|\s+\w+о,)|Кто(?!-)|Котор(?:ый|ая|ое|ые|ого|ой|ому|ом|ым|ых|ую|ыми)"
                     r"|Тогда как|[А-ЯЁ][а-яё]+(?:ющ|ящ|ущ|ащ|вш)(?:его|ему|ей|ую)ся\b(?=[^,.!?;]*,))\b"),
    "ja": re.compile(r"(?:もしくは|または|あるいは|ならびに|および|及び)(?![、，,])"),  # または、: "alternatively,"
}
# A quotation that opens in lower case: the rest of a sentence whose start was cut (see ``headless``).
_LOWER_QUOTE = re.compile(r"[«„“\"]\s*[a-zа-яё]")


# Russian sets a subordinate clause apart with a comma, always (Прежде чем отдать передачу, он…): a sentence that
# opens on one and has no comma has lost its main clause. Not "Потому что…" or "Хотя…", which stand alone in speech,
# nor a question ("Когда он приедет?").
_SUBORDINATE_ONLY = {
    "ru": re.compile(r"[«\"„]?(?:Прежде чем|Перед тем,? как|После того,? как|Для того,? чтобы|Так как|Если|Когда"
                     r"|Как только|Несмотря на то,? что|Поскольку|В то время как|С тех пор,? как|Чтобы)\s"),
}


def subordinate_only(tgt: str, tgt_lang: str) -> str | None:
    """The opening of a target that is a subordinate clause alone, its main clause lost (…Прежде чем отдать
    передачу Стерлингу на дальнюю штангу.), else None: after the opening, three words or more, none of , ? !."""
    pattern = _SUBORDINATE_ONLY.get(base_lang(tgt_lang))
    core = tgt.strip()[:SCAN_CHARS]
    opening = pattern.match(core) if pattern else None
    rest = core[opening.end():] if opening else ""
    return _clip(core, 24) if opening and len(rest.split()) >= 3 and not re.search("[,?!]", rest) else None


def headless(src: str, tgt: str, tgt_lang: str) -> str | None:
    """The opening of a target that starts mid-sentence, its beginning lost, else None: it opens on a
    word no statement opens on (Что в машину…, もしくは夜に…) or on a quotation in lower case, or closes a
    quotation it never opened (…предел», — говорится) where the source quotes and opens every quotation it closes."""
    core = tgt.lstrip(" \"'«„“「『")
    pattern = _HEADLESS.get(base_lang(tgt_lang))
    if pattern and pattern.match(core) and not core.rstrip().endswith(("?", "？")):
        return _clip(tgt, 24)
    # a quotation that opens in lower case («для разрешения…, «а потом…) is the rest of a sentence whose start was cut,
    # where the source opens its own (a line that goes on from the one before opens in lower case on both sides)
    if _LOWER_QUOTE.match(tgt.lstrip()) and not re.match(r"\W*[a-zа-яё]", src):
        return _clip(tgt, 24)
    closes = [closing for opening, closing in _QUOTES if _closes_unopened(tgt, opening, closing)
              # where marks are typed loosely, a pair written the wrong way round (”吴（音译）“) is no lost start
              and not (base_lang(tgt_lang) in QUOTES_LOOSELY_CLOSED and opening in tgt[tgt.find(closing):])]
    if closes and _quotes_whole(src):
        return _clip(tgt[:tgt.find(closes[0]) + 1], 24)
    return None


def _quotes_whole(text: str) -> bool:
    """Whether ``text`` quotes something and opens every quotation it closes (straight quotes: in pairs):
    a quotation that runs on from the previous line proves nothing about its translation."""
    text = text[:SCAN_CHARS]
    return any(opening in text for opening, _ in _QUOTES + (('"', '"'),)) and text.count('"') % 2 == 0 and \
        not any(_closes_unopened(text, opening, closing) for opening, closing in _QUOTES)


def _closes_unopened(text: str, opening: str, closing: str) -> bool:
    """Whether ``text`` closes a quotation before opening one, by its own mark or a straight quote
    (its start was elsewhere)."""
    text = text[:SCAN_CHARS]
    at = text.find(closing)
    return at >= 0 and opening not in text[:at] and '"' not in text[:at]


# Traces of a word taken out of a sentence, none of which the dev sets' human lines show. Japanese: a case
# particle right after another (大統領はのインフラ, 倍増はのAI), after punctuation (、はボロボロ, 、の番組,
# 、によれば), after a word that needs a noun (代表であるは), or opening the sentence (のスター、…), an honorific with
# no name before it (見たと氏は);
# Russian: a preposition followed by another or by punctuation (над благодаря; a verb after it, в превышает,
# would need a tagger), a verb of saying that
# closes the sentence with nothing said, or after a quotation with no one who says it (», — рассказывает.), a word
# that announces a clause with none after it (сообщение о том.);
# any language: two clause marks with nothing between them, a plain space beside a no-break space; where quotation
# marks are set tight, a quotation closed on a space («Парламент »).
# Russian verbs of saying (he, she; заявил[а]): each needs what was said, and who said it.
_RU_SAYING = ("заявил|сказал|сообщил|отметил|добавил|подчеркнул|пояснил|уточнил|признал|считает|говорит|утверждает"
              "|полагает|рассказывает|рассказал|пишет|написал|сообщает|отмечает|добавляет|поясняет")
_LOST_WORD = {
    "ja": ((re.compile(r"[\u4e00-\u9fffァ-ヺー][はがを][のはがを]|(?:^|[、，「『（])(?:[はがを](?![\u3040-\u309f])"
                       r"|[のでへ](?![\u3040-\u309f、，])|に(?:よ[るれり]|つ[いき]|対し|関し|おい|とって))|^[のにでとへや](?![\u3040-\u309f、，])"),
            "a particle stands where its word should be"),
           # …の代表であるはジャカルタで / 熱帯暴風雨としてを横切り / マケドニアにとってやNATO: a verb or copula that
           # modifies a noun, or a particle that introduces one, then a case particle: the noun between is gone
           (re.compile(r"(?:である|だった|した|する|いる|ある|れる|れた|った|ない|にとって|について|に対して|に関して"
                       r"|として)(?:(?<!て)[はを]|(?<=て)[やがを])(?![\u3040-\u309f])"),
            "a particle follows a word that needs a noun after it"),
           # …景色を見たと氏は述べた。/ 氏を含む…: the name before the honorific is gone
           (re.compile(r"(?:^|[、。，「『（]|(?<=[はがをにとでもへや]))(?:氏|さん)(?=[はがをにのもと、。）」]|$)"),
            "an honorific (氏, さん) has no name before it")),
    "ru": ((re.compile(r"(?i)(?<!\w)(?:в|во|на|с|со|к|ко|по|о|об|от|до|из|за|для|без|при|про|через|над|под|у|между"
                       r"|перед|благодаря|после|около|вокруг|против)\s+(?:(?:в|во|на|с|со|к|ко|по|о|об|от|из|за|для"
                       r"|без|при|про|через|над|под|у|благодаря)\s|[,.;:»)])"
                       # …сделано в, сказал Ли: set tight; not за or без, which stand alone (будет за, и без),
                       # nor a list's в) or с); членство в и ЕС: not от и до, с и без
                       r"|(?<=\s)(?:в|во|на|с|со|к|ко|о|об|от|из|для|при|про|через|у|между|перед)[,;:»]"
                       r"|(?<=\s)(?:в|во|на|к|ко|о|об|из|у|для|при|про|через)\s+(?:и|а|но|или)\s"
                       # По словам, в церкви…: whose words is gone ("По сообщениям," means "reportedly")
                       r"|(?<!\w)по\s+(?:словам|мнению)\s*[,.;:»)]"),
            "a preposition has no noun after it"),
           # …Иванов, противник референдума, заявил. / …на 65-й минуте, казалось. / 70 процентов утверждают. /
           # …утверждает, и наложила вето: what was said is gone
           (re.compile(r"(?:,\s+|(?<![,—–»\"”] )(?<=\w )(?<!так )(?<!это )(?=\w+(?:ют|ят|ли)\.$)|(?=\w+, (?:и|а|но) ))"
                       rf"(?:{_RU_SAYING}|казалось|оказалось|выяснилось|утверждают|считают|говорят"
                       r"|заявляют|сообщают|полагают|заявили|сказали|сообщили|отметили)[аои]?(?:\.$|, (?:и|а|но) )"),
            "a verb of saying ends the sentence with nothing said"),
           # Джо Аллева, поблагодарил…: a comma parts a named subject from its verb, where an apposition was
           # (директор по спорту…); К сожалению, а обещание…: an introductory word, then a conjunction, where a
           # clause was
           (re.compile(r"(?:^|[.!?]\s)(?:[А-ЯЁ][а-яё]+\s){1,2}[А-ЯЁ][а-яё]+,\s+[а-яё]+(?:ил|ал|ял|ел|ёл|ул|ыл)[аои]?\s"
                       r"|(?i:к сожалению|однако|кроме того|впрочем|например|между тем|в частности)"
                       r",\s+(?:а|но|и|или)\s"),
            "a comma stands where the words between two parts of the sentence were"),
           # …, Трамп подчеркнул.: a verb that needs what is said, last after the name of who said it
           (re.compile(r"(?<!\w)(?!(?:Он|Она|Они|Мы|Вы|Я)\s)[А-ЯЁ][а-яё]+\s(?:подчеркнул|отметил|заявил|сообщил|добавил"
                       r"|пояснил|уточнил|указал)[аи]?\.$"), "a verb of saying ends the sentence with nothing said"),
           # «…», — рассказывает.: who said it is gone
           (re.compile(rf"[—–]\s+(?:{_RU_SAYING})[ао]?\.$"), "a verb of saying has no one who says"),  # заявили: "it was said"
           # сообщение о том. / перед тем. / Тот факт, становится…: what the word announces is gone ("вместе с
           # тем," means "yet", "в том числе" "including")
           (re.compile(r"(?i)(?<!\w)(?:(?<!вместе )(?:о|об|в|во|на|перед|за|с|к|по|при|про|до|после|от|из|над|под)"
                       r"\s+(?:том|тем|тех|той)|тот факт|то обстоятельство)(?:\s*(?:[.;:!?»)]|$)|\s*,\s+(?!(?:\w+\s+)?"
                       r"(?:ч[теёь]\w*|к(?:то|ого|ому|ем|ак\w*|отор\w*|уда|огда)|где|почему|сколько|зачем|откуда|будто"
                       r"|если|насколько|ли|чей)\b))"),
            "a word that announces a clause (о том, перед тем) has none after it")),
}
_EMPTY_CLAUSE = ((re.compile(r"[,，、;；:：] ?[,，、;；.。]"), "two clause marks stand with nothing between them"),
                 # …за судью \xa0— это…: a plain space and a no-break space side by side, where a word was
                 (re.compile(r"\S(?: \u00a0|\u00a0 )"), "a space and a no-break space stand where a word was"))
# A quotation closed on a space, where its last word was («Парламент »), in languages that set no space inside
# their quotation marks (French writes « Parlement », German opens with »).
_SPACED_CLOSE = ((re.compile(r"\w\s+[»”」』]"), "a quotation closes on a space where its last word was"),
                 # …and a colon or semicolon set after a space (Канье : рэппер), where French would set one
                 (re.compile(r"\w\s+[:;](?=\s|$)"), "a space stands before a colon where a word was"))
_TIGHT_QUOTES = CYRILLIC_LANGS | CJK_LANGS | {"en"}


def lost_word(text: str, lang: str) -> tuple[str, str] | None:
    """Where a word is missing from ``text`` (its surroundings) and the trace it left, else None."""
    text = text[:SCAN_CHARS]
    spaced = _SPACED_CLOSE if base_lang(lang) in _TIGHT_QUOTES else ()
    for pattern, why in _LOST_WORD.get(base_lang(lang), ()) + _EMPTY_CLAUSE + spaced:
        if found := pattern.search(text):
            return _clip(text[max(found.start() - 6, 0):found.end() + 6], 24), why
    at = _unopened_bracket(text)
    return (_clip(text[max(at - 6, 0):at + 7], 24), "a bracket closes that never opened") if at is not None else None


def _unopened_bracket(text: str) -> int | None:
    """Where ``text`` first closes a bracket it never opened (…членов Ассамблеи, или WMP), в то время…),
    else None; "1)" and "a)" number a list, ":)" smiles."""
    closing = re.search(r"[)）]", text)
    if closing is None or re.search(r"[(（]|(?:^|\s)\w ?$|[:;]-?$", text[:closing.start()]):
        return None
    return closing.start()


def text_flags(src: str, tgt: str, src_lang: str, tgt_lang: str, names: bool = True,
               codes: tuple[Sequence[str], Sequence[str]] = ((), ())) -> list[Flag]:
    """Every text-only check of a two-sided unit (no similarity, no length statistics);
    ``names=False`` leaves the name check to a caller that weighs it with other evidence;
    ``codes``: the inline code kinds of a TMX unit's source and target (align/review/codes.py)."""
    flags: list[Flag] = []
    for side, text in (("source", src), ("target", tgt)):
        if len(text) > OVERSIZED_CHARS:
            flags.append(Flag("oversized", "major", f"the {side} has {len(text):,} characters; a translation "
                              "unit should hold a sentence or a paragraph"))
    flags += language_flags(src, tgt, src_lang, tgt_lang)
    untranslated = any(f.name == "untranslated" for f in flags)
    if not untranslated:
        flags += number_flags(src, tgt, src_lang, tgt_lang)
        flags += name_flags(src, tgt, src_lang, tgt_lang) if names else []
        flags += tag_flags(src[:SCAN_CHARS], tgt[:SCAN_CHARS], *codes)
    flags += repetition_flags(src, tgt, src_lang, tgt_lang)
    if (lost := lost_word(tgt, tgt_lang)) and not untranslated and not lost_word(src, src_lang):
        flags.append(Flag("partial_omission", "major", f"the target reads {lost[0]!r}: {lost[1]}, "
                          "where a word of the translation was lost"))
    flags += noise_flags(tgt, tgt_lang, "target", src)
    flags += noise_flags(src, src_lang, "source", tgt)
    if is_boilerplate(tgt[:SCAN_CHARS]) or is_boilerplate(src[:SCAN_CHARS]):
        flags.append(Flag("boilerplate", "minor", "a credit, byline, link, date or page control, "
                          "not a sentence worth keeping in a translation memory"))
    return flags


def monolingual_flags(text: str, lang: str) -> list[Flag]:
    """The checks that make sense on one text without its counterpart."""
    flags: list[Flag] = []
    if len(text) > OVERSIZED_CHARS:
        flags.append(Flag("oversized", "major", f"the text has {len(text):,} characters"))
    found = detected_language(text, lang, third=True)
    if found is not None and found != base_lang(lang):
        flags.append(Flag("wrong_language", "major", f"the text reads as {lang_name(found)}, not {lang_name(lang)}"))
    elif found is None and _letters(text)[0] >= 4 and _script_mismatch(text, lang):
        flags.append(Flag("wrong_language", "minor", f"{_clip(text, 30)!r} is not written in {lang_name(lang)} "
                          "script (an untranslated name or byline?)"))
    phrase = repeated_phrase(text, lang)
    if phrase:
        flags.append(Flag("repetition", "major", f"the text repeats a phrase back to back: {_clip(phrase)!r}"))
    flags += noise_flags(text, lang, "text", None)
    if is_boilerplate(text[:SCAN_CHARS]):
        flags.append(Flag("boilerplate", "minor", "a credit, byline, link, date or page control"))
    return flags


def _script_mismatch(text: str, lang: str) -> bool:
    """Mostly Latin letters in a CJK or Cyrillic text: "Iseri Nori" in a Japanese article."""
    letters, cjk = _letters(text)
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if is_cjk(lang):
        return cjk == 0 and latin >= 0.8 * letters
    if base_lang(lang) in CYRILLIC_LANGS:
        return latin >= 0.8 * letters
    return False
