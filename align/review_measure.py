"""Pass 1 of the review: measure every unit, keeping numbers only (``SIGNALS``), never texts or vectors.

``Measurer`` embeds units chunk by chunk; each chunk is centred on the running
mean of everything seen so far and scored against its own units plus the
previous chunk's, so a stream of any length costs one chunk of vectors. Where a
side is short (or long) for its counterpart, its clauses are checked one by
one: when the longer side without one clause is closer to the other side than
the whole, that clause has no counterpart.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .margins import neighbourhood
from .review_signals import char_count
from .types import CJK_LANGS, normalize_for_scoring

# The document's mean vector is trusted as its centre only after a few sentences.
CENTRE_SHRINK = 4
# Every flag name, in the order ``x-flags`` and the CSV list them.
SIGNALS = ("cosine", "centred", "margin", "log_ratio", "src_chars", "tgt_chars", "partial_gain",
           "partial_side", "partial_part", "clause_gain", "clause_side", "clause_part", "duplicate_of")


@dataclass(frozen=True)
class ReviewConfig:
    """The knobs; defaults tuned on ``bench/review.py`` (three language pairs, several seeds)."""

    k: int = 4                       # neighbours in the similarity margin
    chunk: int = 2000                # units embedded and scored together
    min_calibration: int = 20        # fewer pairs than this: priors instead of the document's statistics
    margin_spread: float = 3.0       # low_similarity below median - this many robust SDs of the margins
    margin_critical_spread: float = 5.0
    margin_threshold_range: tuple[float, float] = (-0.05, 0.25)  # the calibrated threshold is kept inside
    length_smoothing: float = 8.0    # characters added to both sides before taking the log ratio
    length_minor_z: float = 3.0      # length_ratio (minor) beyond this many robust SDs of the log ratio
    length_major_z: float = 4.5
    min_length_scale: float = 0.12   # floor on the robust SD of the log ratio
    truncation_z: float = -1.0       # a truncated target is at least this much shorter than expected
    partial_gain: float = 0.02       # joined side must beat its best sentence by this much (centred cosine)
    clause_check_z: float = -1.0     # a side this much shorter than expected has its clauses checked one by one
    clause_gain: float = 0.05        # dropping a clause of the longer side raises the similarity this much
    # align/names.py still takes katakana loanwords and adjectives for names (a source name is
    # "missing" in 4-5% of clean en-ja/en-ru pairs and 40% of ja-ru): until it is quieter, a
    # missing name is advice (minor), not a rejection. Set "major" to gate on it.
    name_severity: str = "minor"



# --- pass 1: measure ------------------------------------------------------------------------

def _centred(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    out = vectors - centre
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


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

    def add(self, pairs: Sequence[tuple[str, str]],
            parts: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None) -> None:
        rows = np.full((len(pairs), len(SIGNALS)), np.nan, dtype=np.float32)
        col = {name: i for i, name in enumerate(SIGNALS)}
        sep, tep = self._joiner(self.src_lang), self._joiner(self.tgt_lang)
        for i, (src, tgt) in enumerate(pairs):
            rows[i, col["src_chars"]], rows[i, col["tgt_chars"]] = char_count(src), char_count(tgt)
        s, c = rows[:, col["src_chars"]], rows[:, col["tgt_chars"]]
        smooth = self.config.length_smoothing
        both = [i for i, (src, tgt) in enumerate(pairs) if src.strip() and tgt.strip()]
        rows[both, col["log_ratio"]] = np.log((c[both] + smooth) / (s[both] + smooth))
        self._hashes.append(np.array([_pair_hash(src, tgt) for src, tgt in pairs], dtype=np.int64))
        if both:
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
            self._clauses(rows, col, pairs, both, ac, bc)
            if parts is not None:
                self._partial(rows, col, [(k, i) for k, i in enumerate(both)], ac, bc, parts, sep, tep)
        self._rows.append(rows)

    def _centre(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self._sum_src is None:
            self._sum_src, self._sum_tgt = np.zeros(a.shape[1]), np.zeros(b.shape[1])
        self._sum_src += a.sum(axis=0)
        self._sum_tgt += b.sum(axis=0)
        self._seen += len(a)
        shrink = 1.0 / (self._seen + CENTRE_SHRINK)
        self.centres = (self._sum_src * shrink, self._sum_tgt * shrink)
        return _centred(a, self.centres[0]), _centred(b, self.centres[1])

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
        centred = np.vstack([_centred(v[None], self.centres[side]) for v, side in zip(vectors, sides)])
        at = 0
        for i, side, texts_, other, joined in jobs:
            sims = centred[at:at + len(texts_)] @ other
            at += len(texts_)
            gain = float(joined @ other - sims.max())
            if np.isnan(rows[i, col["partial_gain"]]) or gain < rows[i, col["partial_gain"]]:
                rows[i, col["partial_gain"]], rows[i, col["partial_side"]] = gain, side
                rows[i, col["partial_part"]] = int(sims.argmin())

    def _clauses(self, rows, col, pairs, both, ac, bc) -> None:
        """Leave-one-clause-out on pairs whose target is short (or long) for its source.

        When a clause of the longer side has no counterpart, the longer side
        without that clause is closer to the other side than the whole is.
        """
        ratios = rows[both, col["log_ratio"]]
        if len(both) >= self.config.min_calibration:
            median, scale = _robust(ratios)
        else:
            median, scale = math.log(_chars_per_unit(self.tgt_lang) / _chars_per_unit(self.src_lang)), 0.35
        z = (ratios - median) / max(scale, self.config.min_length_scale)
        jobs = []  # (row, vector row, side, variants)
        for k, (i, zi) in enumerate(zip(both, z)):
            for side, sign in ((0, -1), (1, 1)):
                if sign * zi > -self.config.clause_check_z:
                    lang = (self.src_lang, self.tgt_lang)[side]
                    chunks = clause_chunks(pairs[i][side], lang)
                    if len(chunks) > 1:
                        glue = self._joiner(lang)
                        jobs.append((i, k, side, [glue.join(chunks[:j] + chunks[j + 1:]) for j in range(len(chunks))]))
        if not jobs:
            return
        vectors = self.encoder.encode([normalize_for_scoring(v) for job in jobs for v in job[3]])
        at = 0
        for i, k, side, variants in jobs:
            part = _centred(vectors[at:at + len(variants)], self.centres[side])
            at += len(variants)
            other, whole = (bc[k], ac[k]) if side == 0 else (ac[k], bc[k])
            gains = part @ other - whole @ other
            rows[i, col["clause_gain"]], rows[i, col["clause_side"]] = float(gains.max()), side
            rows[i, col["clause_part"]] = int(gains.argmax())

    @staticmethod
    def _joiner(lang: str) -> str:
        return "" if lang in CJK_LANGS else " "

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
    glue = "" if lang in CJK_LANGS else " "
    if len(pieces) < 2:
        words = list(text) if lang in CJK_LANGS else text.split()
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


def _pair_hash(src: str, tgt: str) -> int:
    digest = hashlib.blake2b(f"{' '.join(src.split())}\x00{' '.join(tgt.split())}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "little", signed=True)


def _robust(values: np.ndarray) -> tuple[float, float]:
    median = float(np.median(values))
    return median, 1.4826 * float(np.median(np.abs(values - median)))



# Characters a language spends on what English says in one: the prior for tiny inputs.
_CHARS_PER_EN_CHAR = {"ja": 0.45, "zh": 0.3, "ko": 0.5, "ru": 1.05, "uk": 1.05, "de": 1.15, "fr": 1.15,
                      "es": 1.1, "it": 1.1, "pt": 1.1}


def _chars_per_unit(lang: str) -> float:
    return _CHARS_PER_EN_CHAR.get(lang.split("-")[0].lower(), 1.0)
