"""Numbers, names and brackets that both versions write alike: evidence of where beads end that needs no encoder.

A translation keeps ``1849``, ``8839,8`` and ``Reinagl`` as they are. When
a sentence boundary falls elsewhere in the translation (a 2-2 bead), or a
free rendering leaves the encoder unsure, the link that keeps each such
anchor on both sides is the likelier one (hunalign and Moore's aligner
lean on identical tokens for the same reason). Only anchors found on both
sides of the document count: a number one version alone writes says
nothing about where it went.
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence

import numpy as np

# Anchors are counted in this many hashed buckets, so that the cost of a bead stays a fixed amount of work.
BUCKETS = 64

_NUMBER = re.compile(r"\d{2,}")  # single digits recur everywhere (lists, dates) and anchor nothing
_WORD = re.compile(r"[^\W\d_]{3,}")
_OPENING, _CLOSING = "([（［", ")]）］"


def _value(digits: str) -> str:
    """A run of digits of any script as ASCII without leading zeros (``٠٢٥`` → ``25``); no ``int()``, which
    refuses runs of over 4,300 digits."""
    return "".join(str(unicodedata.decimal(ch)) for ch in digits).lstrip("0") or "0"


def sentence_anchors(src_texts: Sequence[str], tgt_texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """Per sentence, float32 ``(N, BUCKETS)`` counts of the anchors both sides share, or None if they share none.

    An anchor is a number of two digits or more (by value, so ``٢٥`` and
    ``25`` agree) or a capitalised word of three letters or more that
    neither side also writes in lower case: a name, not a sentence's first
    word (``The``, ``Para``) nor, in German, a noun the other side would
    have to share to count.
    """
    lower = {word for text in (*src_texts, *tgt_texts) for word in _WORD.findall(text) if word.islower()}

    def anchors(text: str) -> list[str]:
        numbers = [_value(digits) for digits in _NUMBER.findall(text)]
        return numbers + [word for word in _WORD.findall(text) if word[0].isupper() and word.lower() not in lower]

    src, tgt = [anchors(t) for t in src_texts], [anchors(t) for t in tgt_texts]
    shared = {a for sentence in src for a in sentence} & {a for sentence in tgt for a in sentence}
    if not shared:
        return None

    def counts(sentences: list[list[str]]) -> np.ndarray:
        out = np.zeros((len(sentences), BUCKETS), dtype=np.float32)
        for i, sentence in enumerate(sentences):
            for anchor in sentence:
                if anchor in shared:
                    out[i, zlib.crc32(anchor.encode()) % BUCKETS] += 1
        return out

    return counts(src), counts(tgt)


def bracket_depths(src_texts: Sequence[str], tgt_texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """Per sentence, float32 ``(N,)`` and ``(M,)``: the brackets it opens less those it closes; None if
    every sentence of both sides is balanced.

    A parenthesis opened in one sentence and closed in a later one (a
    citation ``(Alpine Journal , 1956 ) , p.310``, an aside over two
    sentences) binds them: a translation keeps the aside, so a link whose
    sides leave brackets open by different amounts is cut in the wrong
    place. A bracket a translator adds or drops inside one sentence
    (``«Рапид» (Вена)``, ``（20岁）``) is balanced there and says nothing.
    """
    def depths(texts: Sequence[str]) -> np.ndarray:
        return np.array([sum(map(text.count, _OPENING)) - sum(map(text.count, _CLOSING)) for text in texts],
                        dtype=np.float32)

    src, tgt = depths(src_texts), depths(tgt_texts)
    return (src, tgt) if src.any() or tgt.any() else None
