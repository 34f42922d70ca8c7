"""Pass 1 of the review: measure every unit, keeping numbers only (``SIGNALS``), never texts or vectors.

``Measurer`` embeds units chunk by chunk; each chunk is centred on the running
mean of everything seen so far and scored against its own units plus the
previous chunk's, so a stream of any length costs one chunk of vectors.

Omissions leave three traces, each measured here:

- length: ``LengthModel`` predicts the target's length from the source's length
  and make-up (a source full of digits, Latin names or kanji translates to a
  different length than plain prose), fitted on the document itself; the
  residual says how much shorter or longer a target is than its own document's
  translations of similar sources;
- a window of the source that the target does not cover: where the target is
  short, the source is re-embedded without each window of about a third of it;
  when one such source is closer to the target than the whole, that window is
  what the target left out;
- a name: where a name of the source has no counterpart in the target
  (align/review/names.py), the source without it is compared with the target the same way.

Where a target is long for its source, its clauses are checked one by one the
same way: a clause whose removal brings the target closer to the source was added.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from typing import Sequence

import numpy as np

from align.embed import centred, shrunk_centre
from align.lang import chars_per_english_char, is_cjk, joiner
from align.mining.margins import neighbourhood
from align.review.model import ReviewConfig
from align.review.names import Lexicon, LexiconLearner
from align.review.signals import SCAN_CHARS, char_count, name_check
from align.types import normalize_for_scoring

# What pass 1 keeps of every unit, in the order of the rows ``Measurer.finish`` returns.
SIGNALS = ("cosine", "centred", "margin", "log_ratio", "length_resid", "src_chars", "tgt_chars", "partial_gain",
           "partial_side", "partial_part", "clause_gain", "clause_side", "clause_part", "window_gain", "window_part",
           "name_gain", "duplicate_of")


# --- pass 1: measure ------------------------------------------------------------------------

class Measurer:
    """Embeds units chunk by chunk and keeps only numbers per unit (``SIGNALS``), never texts or vectors.

    Each chunk is centred on the running mean of everything seen so far and
    scored against its own units plus the previous chunk's, so a stream of any
    length costs one chunk of vectors in memory.
    """

    def __init__(self, src_lang: str, tgt_lang: str, encoder, config: ReviewConfig = ReviewConfig()):
        self.src_lang, self.tgt_lang, self.encoder, self.config = src_lang, tgt_lang, encoder, config
        self._sum_src = self._sum_tgt = None
        self._seen = 0
        self._context: tuple[np.ndarray, np.ndarray] | None = None
        self._rows: list[np.ndarray] = []
        self._hashes: list[np.ndarray] = []
        self.length = LengthModel(config.length_ridge, config.length_smoothing)
        # The length residuals' centre and spread, from the last chunk big enough to say.
        self._resid_stats: tuple[float, float] | None = None
        # What the document shows about its words: katakana names and loanwords, common nouns.
        self.words = LexiconLearner(src_lang, tgt_lang)

    def add(self, pairs: Sequence[tuple[str, str]],
            parts: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None) -> None:
        rows = np.full((len(pairs), len(SIGNALS)), np.nan, dtype=np.float32)
        col = {name: i for i, name in enumerate(SIGNALS)}
        sep, tep = joiner(self.src_lang), joiner(self.tgt_lang)
        for i, (src, tgt) in enumerate(pairs):
            rows[i, col["src_chars"]], rows[i, col["tgt_chars"]] = char_count(src), char_count(tgt)
        s, c = rows[:, col["src_chars"]], rows[:, col["tgt_chars"]]
        smooth = self.config.length_smoothing
        both = [i for i, (src, tgt) in enumerate(pairs) if src.strip() and tgt.strip()]
        rows[both, col["log_ratio"]] = np.log((c[both] + smooth) / (s[both] + smooth))
        self._hashes.append(np.array([_pair_hash(src, tgt) for src, tgt in pairs], dtype=np.int64))
        if both:
            resid = self.length.residuals([pairs[i][0] for i in both], rows[both, col["log_ratio"]])
            if self.length.count >= self.config.length_model_min:
                rows[both, col["length_resid"]] = resid
            a = self.encoder.encode([normalize_for_scoring(pairs[i][0]) for i in both])
            b = self.encoder.encode([normalize_for_scoring(pairs[i][1]) for i in both])
            rows[both, col["cosine"]] = (a * b).sum(axis=1)
            ac, bc = self._centre(a, b)
            rows[both, col["centred"]] = (ac * bc).sum(axis=1)
            ctx_a, ctx_b = (ac, bc) if self._context is None else (np.vstack([ac, self._context[0]]),
                                                                    np.vstack([bc, self._context[1]]))
            knn_a = neighbourhood(ac, ctx_b, [], self.config.k)
            knn_b = neighbourhood(bc, ctx_a, [], self.config.k)
            rows[both, col["margin"]] = rows[both, col["centred"]] - (knn_a + knn_b) / 2
            self._context = (ac, bc)
            self._omissions(rows, col, pairs, both, ac, bc, self._length_z(rows[both], col))
            if parts is not None:
                self._partial(rows, col, [(k, i) for k, i in enumerate(both)], ac, bc, parts, sep, tep)
        self._rows.append(rows)

    def _length_z(self, rows: np.ndarray, col: dict[str, int]) -> np.ndarray:
        """How far each unit's length is from what this document predicts, in robust SDs (as far as seen)."""
        resid, ratios = rows[:, col["length_resid"]], rows[:, col["log_ratio"]]
        if not np.isnan(resid).any():
            if len(resid) >= self.config.min_calibration:
                self._resid_stats = _robust(resid)
            if self._resid_stats is not None:
                median, scale = self._resid_stats
                return (resid - median) / max(scale, self.config.min_length_scale)
        if len(ratios) >= self.config.min_calibration:
            median, scale = _robust(ratios)
        else:
            median, scale = math.log(chars_per_english_char(self.tgt_lang) / chars_per_english_char(self.src_lang)), 0.35
        return (ratios - median) / max(scale, self.config.min_length_scale)

    def _centre(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self._sum_src is None:
            self._sum_src, self._sum_tgt = np.zeros(a.shape[1]), np.zeros(b.shape[1])
        self._sum_src += a.sum(axis=0)
        self._sum_tgt += b.sum(axis=0)
        self._seen += len(a)
        self.centres = (shrunk_centre(self._sum_src, self._seen), shrunk_centre(self._sum_tgt, self._seen))
        return centred(a, self.centres[0]), centred(b, self.centres[1])

    def _partial(self, rows, col, positions, ac, bc, parts, sep, tep) -> None:
        """For beads joining several sentences on one side: does every sentence earn its place?"""
        jobs = []  # (row, vector row, side, texts of the joined side, the other side's centred vector)
        for k, i in positions:
            src_parts, tgt_parts = parts[i]
            if len(src_parts) > 1:
                jobs.append((i, 0, list(src_parts), bc[k], ac[k]))
            if len(tgt_parts) > 1:
                jobs.append((i, 1, list(tgt_parts), ac[k], bc[k]))
        if not jobs:
            return
        texts = [normalize_for_scoring(t) for job in jobs for t in job[2]]
        sides = [job[1] for job in jobs for _ in job[2]]
        vectors = self.encoder.encode(texts)
        units = np.vstack([centred(v[None], self.centres[side]) for v, side in zip(vectors, sides)])
        at = 0
        for i, side, texts_, other, joined in jobs:
            sims = units[at:at + len(texts_)] @ other
            at += len(texts_)
            gain = float(joined @ other - sims.max())
            if np.isnan(rows[i, col["partial_gain"]]) or gain < rows[i, col["partial_gain"]]:
                rows[i, col["partial_gain"]], rows[i, col["partial_side"]] = gain, side
                rows[i, col["partial_part"]] = int(sims.argmin())

    def _omissions(self, rows, col, pairs, both, ac, bc, z) -> None:
        """Leave-a-part-out checks: source windows where the target is short or a name is missing,
        target clauses where it is long, the source without its missing names.

        When a part of one side has no counterpart, that side without the part is
        closer to the other side than the whole is.
        """
        self.words.add([(pairs[i][0][:SCAN_CHARS], pairs[i][1][:SCAN_CHARS]) for i in both])
        jobs = []  # (row, vector row, signal, side, variants)
        for k, (i, zi) in enumerate(zip(both, z)):
            src, tgt = pairs[i]
            check = name_check(src, tgt, self.src_lang, self.tgt_lang, self.lexicon)
            self.words.add_rendered(check.matched)
            names = check.missing
            if names:
                jobs.append((i, k, "name", 0, [without_names(src, names)]))
            if zi < self.config.clause_check_z or names:
                variants = [variant for variant, _ in source_windows(src, self.src_lang, self.config)]
                if variants:
                    jobs.append((i, k, "window", 0, variants))
            if zi > -self.config.clause_check_z:
                chunks = clause_chunks(tgt, self.tgt_lang)
                if len(chunks) > 1:
                    glue = joiner(self.tgt_lang)
                    jobs.append((i, k, "clause", 1, [glue.join(chunks[:j] + chunks[j + 1:]) for j in range(len(chunks))]))
        self.words.add_rendered((), settle=True)
        if not jobs:
            return
        vectors = self.encoder.encode([normalize_for_scoring(v) for job in jobs for v in job[4]])
        at = 0
        for i, k, signal, side, variants in jobs:
            part = centred(vectors[at:at + len(variants)], self.centres[side])
            at += len(variants)
            other, whole = (bc[k], ac[k]) if side == 0 else (ac[k], bc[k])
            gains = part @ other - whole @ other
            rows[i, col[f"{signal}_gain"]] = float(gains.max())
            if signal == "clause":
                rows[i, col["clause_side"]] = side
            if signal != "name":
                rows[i, col[f"{signal}_part"]] = int(gains.argmax())

    @property
    def lexicon(self) -> Lexicon:
        """What the units so far show about the document's words (align/review/names.py ``Lexicon``)."""
        return self.words.lexicon

    def finish(self) -> np.ndarray:
        """All units' signals, one row each (columns ``SIGNALS``), duplicates marked."""
        rows = np.vstack(self._rows) if self._rows else np.zeros((0, len(SIGNALS)), np.float32)
        hashes = np.concatenate(self._hashes) if self._hashes else np.zeros(0, np.int64)
        if len(hashes):
            _, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
            earlier = first[inverse]
            dup = earlier != np.arange(len(hashes))
            rows[dup, SIGNALS.index("duplicate_of")] = earlier[dup]
        return rows


_CLAUSE_BREAK = re.compile(r"(?<=[,;:、，；：])\s*|\s+(?=[–—]\s)")


def clause_chunks(text: str, lang: str, smallest: float = 0.15) -> list[str]:
    """``text`` cut at clause punctuation into pieces of at least ``smallest`` of its length.

    Text without such punctuation is cut into thirds at word boundaries (CJK:
    anywhere), so a long sentence is always checked piece by piece.
    """
    text = " ".join(text.split())
    if len(text) < 20:
        return [text]
    pieces = [p for p in _CLAUSE_BREAK.split(text) if p.strip()]
    glue = joiner(lang)
    if len(pieces) < 2:
        words = list(text) if is_cjk(lang) else text.split()
        third = max(len(words) // 3, 1)
        pieces = [glue.join(words[i:i + third]) for i in range(0, len(words), third)] if len(words) >= 6 else [text]
    out: list[str] = []
    for piece in pieces:
        if out and len(out[-1]) < smallest * len(text):
            out[-1] = out[-1] + glue + piece
        else:
            out.append(piece)
    if len(out) > 1 and len(out[-1]) < smallest * len(text):
        last = out.pop()
        out[-1] = out[-1] + glue + last
    return out


def source_windows(text: str, lang: str, config: ReviewConfig = ReviewConfig()) -> list[tuple[str, str]]:
    """``(text without the window, the window)`` for windows of ``config.window_size`` of the words
    (CJK: characters) of ``text`` (its scanned prefix), every ``config.window_step`` of its length;
    none below six words."""
    text = text[:SCAN_CHARS]
    units = list("".join(text.split())) if is_cjk(lang) else text.split()
    glue = joiner(lang)
    if len(units) < 6:
        return []
    width = max(1, round(config.window_size * len(units)))
    step = max(1, round(config.window_step * len(units)))
    starts = list(range(0, len(units) - width + 1, step))
    if starts[-1] != len(units) - width:
        starts.append(len(units) - width)
    return [(glue.join(units[:a] + units[a + width:]), glue.join(units[a:a + width])) for a in starts]


def without_names(text: str, names: Sequence[str]) -> str:
    """``text`` (NFKC, as align/review/names.py reads it) with every word of ``names`` taken out."""
    text = unicodedata.normalize("NFKC", text)
    for name in names:
        for word in re.split(r"[\s・=]+", name):
            if len(word) > 1:
                text = text.replace(word, "" if word[0] >= "\u3040" else " ")  # no spaces in Japanese
    return " ".join(text.split())


# What a source is made of, as shares of its characters: each class translates at its own rate.
_CHAR_CLASSES = tuple(re.compile(pattern) for pattern in (
    r"[A-Z]", r"[a-z]", r"\d", r"[ぁ-ゖ]", r"[ァ-ヺー]", r"[\u4e00-\u9fff]", r"[А-ЯЁ]", r"[а-яё]", r"[^\w\s]"))


def length_features(text: str, smoothing: float) -> list[float]:
    """Intercept, log length, and the share of capitals, small letters, digits, hiragana, katakana,
    kanji, Cyrillic capitals and small letters, and punctuation in ``text``."""
    size = char_count(text) + smoothing
    return [1.0, math.log(size)] + [len(pattern.findall(text)) / size for pattern in _CHAR_CLASSES]


class LengthModel:
    """The log length ratio a document's translations show, predicted from the source.

    A ridge regression on :func:`length_features`, with Huber weights so that the
    omissions and additions it exists to find do not bend it, fitted on the
    document itself: chunk by chunk, each chunk fitted together with the
    weighted sums of the chunks before it, so a stream costs a few small matrices.
    """

    HUBER = 2.0  # residuals beyond this many robust SDs weigh less

    def __init__(self, ridge: float, smoothing: float):
        self.ridge, self.smoothing = ridge, smoothing
        size = 2 + len(_CHAR_CLASSES)
        self._xtx, self._xty = np.zeros((size, size)), np.zeros(size)
        self.count = 0
        self.coef = np.zeros(size)

    def residuals(self, sources: Sequence[str], log_ratios: np.ndarray) -> np.ndarray:
        """Fit on these units too, and return their residuals (observed less predicted log ratio)."""
        x = np.array([length_features(text, self.smoothing) for text in sources])
        y = np.asarray(log_ratios, dtype=np.float64)
        penalty = self.ridge * np.eye(x.shape[1])
        penalty[0, 0] = 1e-9
        weights = np.ones(len(y))
        for _ in range(5):
            self.coef = np.linalg.solve(self._xtx + x.T @ (x * weights[:, None]) + penalty,
                                        self._xty + x.T @ (weights * y))
            resid = y - x @ self.coef
            median, spread = _robust(resid)
            far = np.abs(resid - median) / max(self.HUBER * spread, 1e-6)
            weights = np.minimum(1.0, 1.0 / np.maximum(far, 1e-12))
        self._xtx += x.T @ (x * weights[:, None])
        self._xty += x.T @ (weights * y)
        self.count += len(y)
        return resid


def _pair_hash(src: str, tgt: str) -> int:
    digest = hashlib.blake2b(f"{' '.join(src.split())}\x00{' '.join(tgt.split())}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "little", signed=True)


def _robust(values: np.ndarray) -> tuple[float, float]:
    median = float(np.median(values))
    return median, 1.4826 * float(np.median(np.abs(values - median)))


