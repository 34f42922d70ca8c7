"""Language tags for text: script evidence first, langdetect when it helps.

Statistical detectors are poor on titles, names and bylines, and slow; the
script of the letters settles most cases (kana is Japanese, Hangul is
Korean) for free, and a caller-supplied ``prior`` (the document's language)
decides what a few words cannot.
"""
from __future__ import annotations

import re
from functools import lru_cache

from align.lang import UNDETERMINED, writes_letters

_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_CYRILLIC = "\u0400-\u052f"
_KANA = "\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HAN = "\u3005-\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"

_SCRIPT_RE = re.compile(
    f"(?P<latin>[{_LATIN}]+)|(?P<cyrillic>[{_CYRILLIC}]+)|(?P<cjk>[{_KANA}{_HAN}]+)"
    f"|(?P<hangul>[{_HANGUL}]+)|(?P<other>[^\\W\\d_]+)"
)
_KANA_RE = re.compile(f"[{_KANA}]")
# Markup and addresses are letters of no language: a web page's ``<img src=…>`` must not outweigh the
# Japanese sentence after it.
_MARKUP_RE = re.compile(r"</?[A-Za-z][^<>]{0,300}>|&[A-Za-z]{2,8};|&#x?[0-9A-Fa-f]{1,6};|(?:https?|ftp)://\S+|www\.\S+")
_HAN_RE = re.compile(f"[{_HAN}]")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

# Scripts that name their language outright.
_SCRIPT_LANGS = (
    ("\u0370", "\u03ff", "el"), ("\u0590", "\u05ff", "he"), ("\u0e00", "\u0e7f", "th"),
    ("\u10a0", "\u10ff", "ka"), ("\u0530", "\u058f", "hy"), ("\u0980", "\u09ff", "bn"),
    ("\u0b80", "\u0bff", "ta"), ("\u0c00", "\u0c7f", "te"), ("\u0c80", "\u0cff", "kn"),
    ("\u0d00", "\u0d7f", "ml"), ("\u0a80", "\u0aff", "gu"), ("\u0a00", "\u0a7f", "pa"),
    # Scripts of languages langdetect has no profile for, which it would call "und" or another language.
    ("\u0e80", "\u0eff", "lo"), ("\u1000", "\u109f", "my"), ("\u1780", "\u17ff", "km"),
    ("\u1200", "\u137f", "am"), ("\u0f00", "\u0fff", "bo"), ("\u0d80", "\u0dff", "si"),
    ("\u0b00", "\u0b7f", "or"), ("\u0780", "\u07bf", "dv"), ("\u1800", "\u18af", "mn"),
)
# Scripts shared by several languages langdetect knows: restrict it to them.
_SCRIPT_CANDIDATES = (
    ("\u0600", "\u06ff", ("ar", "fa", "ur")),
    ("\u0900", "\u097f", ("hi", "mr", "ne")),
)
# langdetect's labels for the languages of these scripts.
_CYRILLIC_LABELS = ("ru", "uk", "bg", "mk")
_CJK_LABELS = ("ja", "zh-cn", "zh-tw")
# langdetect's defaults (7 trials over 10,000 characters) cost ~4 ms a call;
# a sentence or paragraph needs far less.
_LANGDETECT_TRIALS = 3
_LANGDETECT_MAX_CHARS = 1000
# How much more likely the expected language is a priori: enough to win on
# headlines langdetect finds ambiguous, too little to override clear text.
_FAVOUR = 10.0

# A few words are too little for langdetect; below this the prior decides (in Latin
# text, or English, unless function words say otherwise).
_FEW_WORDS = 5
# Up to this many words (a headline, a caption), langdetect must be this sure to
# overrule the document's language ("Welsh AMs worried about…" reads 0.67 Afrikaans).
_SHORT_LINE_WORDS = 10
_SURE_OF_SHORT = 0.9
# Function words distinctive of one language each (shared ones left out),
# enough to settle ordinary sentences without langdetect.
_STOPWORDS = {
    "en": "the of and to is was that with for are this have has it by from which were be been "
          "not but they their his her will would said who an at on about like what when there could "
          "should its than into after",
    "de": "der die das und ist nicht ein eine mit sich auf dem den des von zu im für auch werden "
          "wird sind wurde nach bei aus oder dass noch wie über wir ich uns war hat sehr",
    "fr": "le les et est des une du dans pour qui pas sur au aux par ce il elle sont avec ont été "
          "mais cette ses leur",
    "es": "el los las y es del por para su al como más pero sus fue está son entre este esta",
    "it": "di che è gli della delle dei nel nella sono non anche come più questo alla degli lo",
    "pt": "o os do da dos das em um uma não ao seu sua são pelo pela foi",
    "nl": "het een van niet op te zijn voor ook aan er maar om hij wordt werd bij naar dit deze",
}
_STOPWORD_LANG = {word: lang for lang, words in _STOPWORDS.items() for word in words.split()
                  if sum(word in other.split() for other in _STOPWORDS.values()) == 1}

_RU_ONLY = re.compile("[ыэёЫЭЁ]")
_RU_WORDS = frozenset("что это он как его был было только уже когда если они её мы".split())
_BG_WORDS = frozenset("е са ще във със като който която това тази беше са".split())


def detect_language(text: str, prior: str | None = None) -> str:
    """An ISO 639-1 code (langdetect's spelling, e.g. ``zh-cn``) for ``text``.

    ``prior`` is the language to assume when the text is too short to say
    (usually the document's or paragraph's language); it is used only if it
    fits the script. Text without letters is ``und``. HTML/XML tags, entities
    and web addresses are not evidence; a line of nothing else keeps them.
    """
    words = _MARKUP_RE.sub(" ", text)
    return _detect(words if _SCRIPT_RE.search(words) else text, prior)


@lru_cache(maxsize=8192)
def _detect(text: str, prior: str | None) -> str:
    weights = {"latin": 0, "cyrillic": 0, "cjk": 0, "hangul": 0, "other": 0}
    for match in _SCRIPT_RE.finditer(text):
        script = match.lastgroup
        # A CJK character carries about a word's worth of meaning.
        weights[script] += len(match.group()) * (3 if script in ("cjk", "hangul") else 1)
    if not any(weights.values()):
        return UNDETERMINED
    script = max(weights, key=weights.__getitem__)
    if script == "hangul":
        return "ko"
    if script == "cjk":
        return _cjk_language(text, prior)
    if script == "cyrillic":
        return _cyrillic_language(text, prior)
    if script == "latin":
        return _latin_language(text, prior)
    return _other_language(text, prior)


def _cjk_language(text: str, prior: str | None) -> str:
    if _KANA_RE.search(text):
        return "ja"
    votes = {"ja": 0.0, "zh-cn": 0.0, "zh-tw": 0.0}
    for ch in _HAN_RE.findall(text):
        for lang, share in _han_votes(ch):
            votes[lang] += share
    votes["zh-cn"] += text.count("，") * 0.5
    best = max(votes.values())
    if best == 0:
        # Characters common to all three: only context can tell.
        return prior if prior in _CJK_LABELS else "zh-cn"
    tied = [lang for lang in _CJK_LABELS if votes[lang] == best]
    return prior if prior in tied else tied[0]


@lru_cache(maxsize=None)
def _han_votes(ch: str) -> tuple[tuple[str, float], ...]:
    """Which writing systems use ``ch``, from the standard character sets.

    JIS X 0208 level 1 (common Japanese kanji), GB2312 (simplified) and
    Big5 (traditional): a character outside one of them is evidence against
    that language; one in all three says nothing.
    """
    users = []
    if ch == "々" or _in_jis_level1(ch):
        users.append("ja")
    if _encodes(ch, "gb2312"):
        users.append("zh-cn")
    if _encodes(ch, "big5"):
        users.append("zh-tw")
    if len(users) in (0, 3):
        return ()
    return tuple((lang, 1 / len(users)) for lang in users)


def _in_jis_level1(ch: str) -> bool:
    try:
        encoded = ch.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and encoded < b"\x98\x73"


def _encodes(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _cyrillic_language(text: str, prior: str | None) -> str:
    lower = text.lower()
    if "ў" in lower:
        return "be"
    if any(ch in lower for ch in "їєґ"):
        return "uk"
    if "і" in lower:
        return "be" if _RU_ONLY.search(text) else "uk"
    if any(ch in lower for ch in "ђћ"):
        return "sr"
    if any(ch in lower for ch in "ѓќѕ"):
        return "mk"
    if any(ch in lower for ch in "јљњџ"):
        return "sr"
    if any(ch in lower for ch in "әғқңөұүһ"):
        return "kk"
    if _RU_ONLY.search(text):
        return "ru"
    words = _WORD_RE.findall(lower)
    if any(word in _RU_WORDS for word in words):
        return "ru"
    # An initial ("Е. Н. Петрова") is no Bulgarian "е" (is).
    bulgarian = sum((word.lower() in _BG_WORDS and not (len(word) == 1 and word.isupper())) or "ъ" in word[:-1]
                    for word in _WORD_RE.findall(text))
    if bulgarian >= 2:
        return "bg"
    fallback = prior if prior in _CYRILLIC_LABELS else "ru"
    if len(words) >= 8 and bulgarian:
        # Macedonian and Ukrainian would have shown their own letters above.
        return _langdetect(text, ("ru", "bg"), favour=fallback)
    return fallback


def _latin_language(text: str, prior: str | None) -> str:
    words = _WORD_RE.findall(text.lower())
    votes: dict[str, int] = {}
    for word in words:
        lang = _STOPWORD_LANG.get(word)
        if lang:
            votes[lang] = votes.get(lang, 0) + 1
    ranked = sorted(votes.items(), key=lambda item: -item[1])
    latin_prior = prior if prior and prior not in _CJK_LABELS + _CYRILLIC_LABELS + ("ko",) else None
    # Function words overrule the document's language only in text that language can write: "um" made a German
    # line ("Seid um fünf Uhr bereit.") Portuguese. A name's letters ("Müller said the…") never unsettle the prior.
    overruling = ranked and latin_prior and ranked[0][0] != latin_prior
    if ranked and (len(ranked) == 1 or ranked[0][1] >= 3 * ranked[1][1]) and \
            not (overruling and not writes_letters(ranked[0][0], text)):
        # One function word settles a short sentence, two a longer one.
        if ranked[0][1] >= 2 or _FEW_WORDS <= len(words) < 10:
            return ranked[0][0]
    if len(words) < _FEW_WORDS:
        return latin_prior or "en"
    # A headline of a few words is too little for langdetect to overrule the document (or, in a document
    # of one line, English, as under _FEW_WORDS words) unless it is sure.
    sure = _SURE_OF_SHORT if len(words) < _SHORT_LINE_WORDS else 0.0
    found = _langdetect(text, None, favour=latin_prior or "en", sure=sure)
    if found == UNDETERMINED:  # e.g. a URL
        return latin_prior or "en"
    if latin_prior and not writes_letters(found, text) and writes_letters(latin_prior, text):
        return latin_prior  # a letter the language found never writes
    return found


def _other_language(text: str, prior: str | None) -> str:
    for first, last, lang in _SCRIPT_LANGS:
        if any(first <= ch <= last for ch in text):
            return lang
    for first, last, langs in _SCRIPT_CANDIDATES:
        if any(first <= ch <= last for ch in text):
            favour = prior if prior in langs else None
            # As in Latin text, a few words are too little for langdetect (it calls a Hindi question Marathi, sure).
            if favour and len(text.split()) < _FEW_WORDS:
                return favour
            return _langdetect(text, langs, favour=favour)
    return _langdetect(text, None, favour=prior)


def _langdetect(text: str, candidates: tuple[str, ...] | None, favour: str | None, sure: float = 0.0) -> str:
    """langdetect restricted to ``candidates``, leaning towards ``favour``; another language wins only
    with a probability of at least ``sure``."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.set_max_text_length(_LANGDETECT_MAX_CHARS)
    detector.n_trial = _LANGDETECT_TRIALS
    langs = candidates or tuple(detector.langlist)
    priors = {lang: 1.0 for lang in langs}
    if favour in priors:
        priors[favour] = _FAVOUR
    detector.set_prior_map(priors)
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return favour or UNDETERMINED
    return favour if favour and best.lang != favour and best.prob < sure else best.lang


@lru_cache(maxsize=1)
def _factory():
    """langdetect's profiles, loaded once on first use (about a second)."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0  # the detector samples n-grams at random
    return factory


# --- runs of different languages within one line ---------------------------

_OPENERS = "([{（［｛「『【〔〈《“‘«"
_CLOSERS = ")]}）］｝」』】〕〉》”’»"
_GLUE_TO_PREVIOUS = _CLOSERS + ".,;:!?。、，．！？：；…"
# A foreign stretch this big is a phrase of its own, not a borrowed word.
_RUN_MIN_WORDS = 3
_RUN_MIN_LETTERS = 20
_EDGE_RUN_MIN_WORDS = 2
_EDGE_RUN_MIN_LETTERS = 8


def split_runs(line: str, prior: str | None = None) -> list[tuple[int, int, str]]:
    """Split a line into ``(start, end, lang)`` runs where the script changes.

    Only substantial foreign stretches become runs of their own: a title
    followed by its translation, say, but not ``AM (Assembly Member)`` or a
    brand name inside a Japanese sentence. Runs cover the whole line;
    punctuation and spaces go with the run they follow, opening brackets
    and glued digits with the run they precede.
    """
    blocks = _script_blocks(line)
    if len(blocks) < 2:
        return [(0, len(line), detect_language(line, prior))] if line else []
    kept = _independent_blocks(line, blocks)
    runs: list[tuple[int, int]] = []
    start = 0
    for prev, nxt in zip(kept, kept[1:]):
        cut = _cut_between(line, prev[1], nxt[0])
        runs.append((start, cut))
        start = cut
    runs.append((start, len(line)))
    tagged = [(s, e, detect_language(line[s:e], prior)) for s, e in runs]
    merged = [tagged[0]]
    for s, e, lang in tagged[1:]:
        if lang == merged[-1][2]:
            merged[-1] = (merged[-1][0], e, lang)
        else:
            merged.append((s, e, lang))
    return _embedded_folded(line, merged)


_ENDS_SENTENCE = re.compile(r"[.!?。！？…][\"'”’」』)）»]*$")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)  # a link between two sentences ends the first


def _embedded_folded(line: str, runs: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Foreign words inside a sentence folded into it: a run that does not end its sentence, a run in
    another language that does not end one either, then the first language again are one run
    ("Данные о каналах, таких как | PBS, C-SPAN | и Fox…", "訪問し、| Tu-160、Tu-22M | 3爆撃機を鑑賞した。").
    Cut there, a sentence became pieces tagged apart, each aligned on its own. A title followed by its
    translation (no return to the first language) stays two runs, and so does a link between two sentences
    (a credit's URL)."""
    out = list(runs)
    k = 0
    while k + 2 < len(out):
        (start, end, lang), (_, foreign_end, _), (_, after, back) = out[k:k + 3]
        if back == lang and not _URL.search(line[end:foreign_end]) and not any(
                _ENDS_SENTENCE.search(line[a:b].rstrip()) for a, b in ((start, end), (end, foreign_end))):
            out[k:k + 3] = [(start, after, lang)]
        else:
            k += 1
    return out


def _script_blocks(line: str) -> list[tuple[int, int, str]]:
    """Maximal stretches of one script, from first to last letter."""
    blocks: list[list] = []
    for match in _SCRIPT_RE.finditer(line):
        script = match.lastgroup
        if blocks and blocks[-1][2] == script:
            blocks[-1][1] = match.end()
        else:
            blocks.append([match.start(), match.end(), script])
    return [tuple(block) for block in blocks]


def _independent_blocks(line: str, blocks: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The blocks that stand as runs; the rest fold into their neighbours."""
    weight = {}
    for s, e, script in blocks:
        weight[script] = weight.get(script, 0) + (e - s) * (3 if script in ("cjk", "hangul") else 1)
    main = max(weight, key=weight.__getitem__)
    depths = _bracket_depths(line, [s for s, _, _ in blocks])
    kept = []
    for index, (s, e, script) in enumerate(blocks):
        if script == main or (depths[index] == 0 and _substantial(line, blocks, index)):
            if kept and kept[-1][2] == script:
                kept[-1] = (kept[-1][0], e, script)
            else:
                kept.append((s, e, script))
    return kept or [blocks[0]]


_SPACE_OR_CLOSER = re.compile("[ \t\u3000" + re.escape(_CLOSERS) + "]*")
_CLOSER = re.compile("[" + re.escape(_CLOSERS + "\"'") + "]*")  # right after a letter, a straight quote closes


def _substantial(line: str, blocks: list[tuple[int, int, str]], index: int) -> bool:
    """Whether a block outside brackets is long enough to stand as a run of its own."""
    s, e, script = blocks[index]
    after = _SPACE_OR_CLOSER.match(line, e).end()  # no copy of the rest: a line may hold thousands of blocks
    if after < len(line) and "\u3041" <= line[after] <= "\u309f":
        return False  # a Japanese particle follows: the foreign words are part of the sentence
    glued = _CLOSER.match(line, e).end()
    if glued < len(line) and "\uac00" <= line[glued] <= "\ud7a3":
        return False  # Korean glues its particle to them ("We will never give up"이라고): the same
    text = re.sub(r"\([^)]*\)|（[^）]*）", " ", line[s:e])
    if script in ("cjk", "hangul"):
        words, letters = len(text) // 2, len(text)
    else:
        words, letters = len(_WORD_RE.findall(text)), sum(ch.isalpha() for ch in text)
    at_edge = index == 0 or index == len(blocks) - 1
    if at_edge:
        return words >= _EDGE_RUN_MIN_WORDS and letters >= _EDGE_RUN_MIN_LETTERS
    return words >= _RUN_MIN_WORDS or letters >= _RUN_MIN_LETTERS


def _bracket_depths(line: str, positions: list[int]) -> list[int]:
    """How many brackets are open at each of ``positions`` (ascending), in one pass over ``line``:
    a line of thousands of blocks must not be rescanned from its start for each."""
    depths, depth, at = [], 0, 0
    for position in positions:
        for ch in line[at:position]:
            if ch in _OPENERS:
                depth += 1
            elif ch in _CLOSERS and depth:
                depth -= 1
        depths.append(depth)
        at = max(at, position)
    return depths


def _cut_between(line: str, prev_end: int, next_start: int) -> int:
    """Where the gap between two runs divides: after closing punctuation and
    spaces, before opening brackets and anything glued to the next run."""
    cut = next_start
    while cut > prev_end and not line[cut - 1].isspace() and line[cut - 1] not in _GLUE_TO_PREVIOUS:
        cut -= 1
    return cut
