"""Reading input text: bytes from a file or stdin, decoded and normalised.

Decoding is the step users never see until it goes wrong, so every refusal
names the file and says what is wrong with it in one line.
"""
from __future__ import annotations

import codecs
import io
import logging
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from align.errors import InputError
from align.text import ebook, markup, pdf, subtitles, word

log = logging.getLogger(__name__)

MAX_LINE_CHARS = 100_000
MB = 1 << 20
# The most bytes one input may have (a file, stdin, pasted text); --max-input-mb changes it per command.
MAX_INPUT_BYTES = 200 * MB
_READ_CHUNK = MB

# Legacy encodings we always try besides the detector's guesses: on two or
# three sentences charset-normalizer often ranks the wrong Cyrillic or
# Japanese code page first, or leaves the right one out.
_LEGACY_CANDIDATES = ("cp1251", "koi8-r", "shift_jis", "cp932", "euc_jp")

# When several decodings fit, the preferred name for the same bytes: plain
# Shift_JIS over its Microsoft superset, and so on.
_PREFERENCE = ("utf-8", "shift_jis", "euc_jp", "cp932", "cp1252", "cp1251", "koi8-r",
               "gb18030", "big5")
_JAPANESE = frozenset({"shift_jis", "euc_jp", "cp932"})
_KANA_RE = re.compile(r"[\u3041-\u30fa]")
_NEAR_TIE = 0.002

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f]")
# Controls that do not occur in text files (line and page breaks do).
_BINARY_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f]")
_LINE_SEPARATORS_RE = re.compile(r"\r\n?|[\u2028\u2029]")
_MAX_CONTROL_SHARE = 0.05
_SCORE_SAMPLE_CHARS = 20_000
_UTF8_CONTINUATION = bytes(range(0x80, 0xC0))
_ORDINARY = frozenset(
    [chr(c) for c in range(0x20, 0x7F)] + list("\t\n\r\f\u00a0«»№–—‘’‚“”„…•")
    + [chr(c) for c in range(0xA1, 0xC0) if c not in (0xA4, 0xA6)] + ["×", "÷"]
    + [chr(c) for c in range(0x3000, 0x3040) if c != 0x3020]
    + [chr(c) for c in range(0x3041, 0x30FF)]
    + [chr(c) for c in range(0xFF01, 0xFF66)]
)
_GARBAGE = frozenset({"Cc", "Co", "Cn", "Cs", "So", "Sk"})
_RU_VOWELS = frozenset("аеёиоуыэюя")
# Words mixing Latin and Cyrillic, or punctuation glued to the start of a
# lowercase word: what a wrong Western or Mac code page makes of capitals.
_MISREAD_RE = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]"
                         r"|(?<!\w)[—–“”„…’‘•][а-яё]")


@dataclass(frozen=True)
class SourceText:
    """A decoded, normalised input and where it came from."""

    name: str
    text: str
    encoding: str


def load_text(source: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> SourceText:
    """Read, decode and normalise one input (a path, or ``-`` for stdin) of at most ``max_bytes``; a Word
    document, an e-book, a PDF, an HTML page or subtitles become the text a reader of them reads (``word``,
    ``ebook``, ``pdf``, ``markup``, ``subtitles``)."""
    name = "<stdin>" if str(source) == "-" else str(source)
    return load_bytes(read_bytes(source, max_bytes), name, max_bytes)


def load_bytes(data: bytes, name: str, max_bytes: int = MAX_INPUT_BYTES) -> SourceText:
    """``load_text`` for bytes already in memory (an upload)."""
    check_size(len(data), name, max_bytes)
    if data.startswith(ZIP_MAGIC):
        return _from_zip(data, name, max_bytes)
    if pdf.PDF_MAGIC in data[:1024]:  # the header may follow a little junk
        log.info("%s: a PDF, read as its running text", name)
        return SourceText(name=name, text=normalize_text(pdf.pdf_text(data, name)), encoding="pdf")
    text, encoding = decode_text(data, name, long_lines=markup.is_page(data[:4000].decode("utf-8", "ignore"), name))
    log.info("%s: decoded as %s", name, encoding)
    return SourceText(name=name, text=_readable(normalize_text(text), name), encoding=encoding)


def load_pasted(text: str, name: str, max_bytes: int = MAX_INPUT_BYTES) -> SourceText:
    """Text typed or pasted by a person, held to the size and line limits of a file, normalised."""
    check_size(len(text.encode("utf-8", "surrogatepass")), name, max_bytes)
    _check_text(text, name)
    return SourceText(name=name, text=_readable(normalize_text(text), name), encoding="utf-8")


ZIP_MAGIC = b"PK\x03\x04"


def _from_zip(data: bytes, name: str, max_bytes: int) -> SourceText:
    """A Word document's body or an e-book's chapters; ``InputError`` for any other zip, a damaged one or a
    zip bomb: parts unpacking past the input limit (the XML of a 300 MB Word document took 5.7 GB to read)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise InputError(f"{name}: a damaged zip archive ({exc})") from None
    with archive:
        if word.is_word(archive):
            kind, read = "docx", lambda: word.document_text(data, name)
        elif ebook.is_ebook(archive):
            kind, read = "epub", lambda: ebook.ebook_text(archive, name)
        else:
            raise InputError(f"{name}: a zip archive, not a text, a Word document (.docx) or an e-book (.epub)")
        if unpacked > max_bytes:
            raise InputError(f"{name}: a zip that unpacks to {unpacked / MB:,.0f} MB, more than the input limit "
                             f"of {max_bytes / MB:,.4g} MB")
        log.info("%s: %s, read as its text", name, "a Word document" if kind == "docx" else "an e-book")
        return SourceText(name=name, text=normalize_text(read()), encoding=kind)


def _readable(text: str, name: str) -> str:
    """What is read of a decoded text: an HTML page's visible text, subtitles' spoken text, else the text."""
    if markup.is_page(text, name):
        log.info("%s: an HTML page, read as the text it shows", name)
        return markup.page_text(text, name)
    if subtitles.is_subtitles(text, name):
        log.info("%s: subtitles, read as their cues' text", name)
        return subtitles.spoken_text(text, name)
    return text


# A TMX or XLIFF file: units already aligned, read by ``align review``; aligned as text, its markup became sentences.
_MEMORY = re.compile(r"\s*(?:<\?xml.*?\?>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                     r"<(tmx|xliff)\b", re.DOTALL | re.IGNORECASE)


def refuse_memory(text: str, name: str) -> None:
    """An ``InputError`` for a translation memory given where a text to align is wanted."""
    if found := _MEMORY.match(text[:4000]):
        kind = found.group(1).upper()
        hint = (f"; `align review {name}` checks its units and `--save-project NAME` makes a project pair of "
                "them") if kind == "TMX" else ""
        raise InputError(f"{name}: {'a' if kind == 'TMX' else 'an'} {kind} translation memory, not a text to "
                         f"align{hint}")


def check_size(size: int, name: str, max_bytes: int) -> None:
    """Refuse an input of ``size`` bytes over ``max_bytes``: the one message for files, stdin and pasted text."""
    if size > max_bytes:
        limit = f"{max_bytes / MB:,.4g} MB" if max_bytes >= MB else f"{max_bytes:,} bytes"
        raise InputError(f"{name} is larger than the input limit of {limit}")


def read_bytes(source: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The raw bytes of a file, or of stdin when ``source`` is ``-``; ``InputError`` past ``max_bytes``.

    Read in chunks and stopped as soon as the limit is passed, so an endless
    input (``/dev/zero``, a runaway pipe) costs ``max_bytes`` of memory, not all of it.
    """
    if str(source) == "-":
        return _read_limited(sys.stdin.buffer, "<stdin>", max_bytes)
    path = Path(source)
    try:
        with open(path, "rb") as stream:
            return _read_limited(stream, str(path), max_bytes)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a text file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _read_limited(stream, name: str, max_bytes: int) -> bytes:
    chunks, size = [], 0
    while chunk := stream.read(min(_READ_CHUNK, max_bytes + 1 - size)):
        size += len(chunk)
        check_size(size, name, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def decode_text(data: bytes, name: str, long_lines: bool = False) -> tuple[str, str]:
    """Decode ``data`` to text and say which encoding it was in.

    Refuses empty, binary, undecodable and absurdly long-lined input with an
    ``InputError`` naming ``name``; ``long_lines`` lets lines of any length
    through (an HTML page: a minified one is a line of hundreds of KB).
    """
    if not data.strip():
        raise InputError(f"{name} is empty")
    encoding = _bom_encoding(data) or _utf16_without_bom(data)
    if encoding is None:
        if b"\x00" in data:
            raise InputError(f"{name} looks binary (it contains NUL bytes), not text")
        # Before the detector, which would take minutes on a 50 MB line.
        if not long_lines:
            _check_byte_lines(data, name)
    text, encoding = _decode(data, name, encoding)
    _check_text(text, name, long_lines)
    return text, encoding


def normalize_text(text: str) -> str:
    """Line breaks to ``\\n`` and control characters removed, nothing else.

    The text is kept as written (it is what the user sees in the output);
    folding for comparison is ``types.normalize_for_scoring``'s job.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = _LINE_SEPARATORS_RE.sub("\n", text)
    return _CONTROL_RE.sub("", text)


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has NULs in every other byte."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    even_nuls = data[0::2].count(0) / (len(data) // 2)
    odd_nuls = data[1::2].count(0) / (len(data) // 2)
    if odd_nuls > 0.3 and even_nuls < 0.02:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.02:
        return "utf-16-be"
    # Japanese, Chinese or Russian text has few NULs: the byte order that decodes to lines of assigned,
    # non-control characters is the file's (read the other way, a line break is an unassigned U+0A00).
    readings = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:2 * _SCORE_SAMPLE_CHARS].decode(encoding)
        except UnicodeDecodeError:
            continue
        unreadable = sum(unicodedata.category(ch) in ("Cc", "Cn", "Cs", "Co") for ch in text if ch not in "\t\r\n")
        if "\n" in text and unreadable == 0:
            readings.append(encoding)
    return readings[0] if len(readings) == 1 else None


def _check_byte_lines(data: bytes, name: str) -> None:
    """Refuse a huge line from its byte length, without decoding the file.

    A line of N bytes has at most N characters, so only lines longer than the
    limit in bytes need their characters counted.
    """
    if len(data) <= MAX_LINE_CHARS:
        return
    for number, line in enumerate(data.split(b"\n"), start=1):
        if len(line) <= MAX_LINE_CHARS:
            continue
        for part in line.split(b"\r"):
            if len(part) > MAX_LINE_CHARS:
                # UTF-8 continuation bytes are not characters; for other
                # encodings this overcounts by at most 2x, still refusable.
                chars = len(part.translate(None, _UTF8_CONTINUATION))
                if chars > MAX_LINE_CHARS:
                    raise InputError(_long_line_message(number, name, chars))


def _check_text(text: str, name: str, long_lines: bool = False) -> None:
    if not text.strip().strip("\ufeff"):
        raise InputError(f"{name} is empty (only whitespace)")
    controls = len(_BINARY_CONTROL_RE.findall(text))
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{name} looks binary ({controls:,} control characters), not text")
    for number, line in enumerate(_LINE_SEPARATORS_RE.sub("\n", text).split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS and not long_lines:
            raise InputError(_long_line_message(number, name, len(line)))


def _long_line_message(number: int, name: str, chars: int) -> str:
    return (f"line {number} of {name} has {chars:,} characters; the limit is "
            f"{MAX_LINE_CHARS:,} — is this really a text file?")


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            raise InputError(f"{name} starts like {encoding} but does not decode as it") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad_offset = exc.start
    decodings = {}
    for candidate in _candidates(data):
        try:
            decodings[candidate] = data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    if not decodings:
        raise InputError(f"{name} is not UTF-8 (invalid byte at offset {bad_offset:,}) "
                         "and no other encoding fits it; convert it to UTF-8")
    best = _most_plausible(decodings)
    if _plausibility(decodings[best][:_SCORE_SAMPLE_CHARS]) < 0:
        raise InputError(f"{name} is not UTF-8 (invalid byte at offset {bad_offset:,}) "
                         f"and reads as garbage in every encoding tried; convert it to UTF-8")
    return decodings[best], best


def _candidates(data: bytes) -> list[str]:
    names = [match.encoding for match in from_bytes(data[:200_000])]
    names += _LEGACY_CANDIDATES
    seen: list[str] = []
    for enc in names:
        try:
            canonical = codecs.lookup(enc).name
        except LookupError:
            continue
        if canonical not in seen and not canonical.startswith(("utf_16", "utf-16", "utf_32", "utf-32")):
            seen.append(canonical)
    return seen


def _most_plausible(decodings: dict[str, str]) -> str:
    """The encoding whose text reads best, the more common one on near-ties.

    Related code pages (cp1251 and mac-cyrillic, EUC-JP and GB18030) often
    decode the same bytes into equally ordinary characters; then the more
    common encoding is the better bet. Japanese encodings only get that
    benefit when the text has kana, so Chinese GB text stays Chinese.
    """
    scores = {enc: _plausibility(text[:_SCORE_SAMPLE_CHARS]) for enc, text in decodings.items()}
    top = max(scores.values())

    def preference(enc: str) -> int:
        rank = _PREFERENCE.index(enc) if enc in _PREFERENCE else len(_PREFERENCE)
        if enc in _JAPANESE and not _KANA_RE.search(decodings[enc][:_SCORE_SAMPLE_CHARS]):
            rank += len(_PREFERENCE) + 1
        return rank

    close = [enc for enc in decodings if scores[enc] >= top - _NEAR_TIE]
    return min(close, key=preference)


def _plausibility(text: str) -> float:
    """How much ``text`` looks like real writing rather than mis-decoded bytes.

    The share of characters from the repertoire of ordinary text (ASCII,
    basic Russian, kana and kanji, common punctuation), less garbage
    (controls, misread words); half-width katakana, what EUC-JP read as
    Shift_JIS is full of, counts as neither. Both Cyrillic and
    accented Latin count only as far as they look like real words, because
    the wrong single-byte code page still yields letters: cp1251 read as
    koi8-r swaps case and scrambles vowels, and Russian read as cp1252 is
    whole words of accented letters.
    """
    if not text:
        return 0.0
    ordinary = bad = 0.0
    ascii_letters = accented = cyrillic = lower = vowels = 0
    for ch in text:
        if ch in _ORDINARY or "\u4e00" <= ch <= "\u9fff":
            ordinary += 1
            ascii_letters += ch.isascii() and ch.isalpha()
        elif "\u00c0" <= ch <= "\u00ff":
            accented += 1
        elif "\u0410" <= ch <= "\u044f" or ch in "Ёё":
            cyrillic += 1
            low = ch.lower()
            lower += ch == low
            vowels += low in _RU_VOWELS
        elif ch == "\ufffd" or unicodedata.category(ch) in _GARBAGE:
            bad += 1
    if cyrillic:
        # Plateaus: real text has some capitals and varies in vowel share.
        case_fit = min(1.0, lower / cyrillic / 0.85)
        vowel_fit = 1 - min(max(abs(vowels / cyrillic - 0.42) - 0.12, 0) / 0.3, 1)
        ordinary += cyrillic * case_fit * vowel_fit
    ordinary += min(accented, 0.25 * ascii_letters)
    bad += 2 * len(_MISREAD_RE.findall(text))
    return (ordinary - 3 * bad) / len(text)
