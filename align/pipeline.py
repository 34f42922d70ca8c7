"""The stages wired together: read -> tag -> split -> embed -> align.

The CLI, the benchmark and the workbench call these functions; each stage
stays usable on its own.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from . import ingest, segment
from .aligner import MAX_WINDOW, AlignerConfig, align_embeddings, mean_windows
from .embed import Encoder
from .errors import InputError
from .types import CJK_LANGS, Alignment, Bead, Document

log = logging.getLogger(__name__)


def read_document(source: str | Path, *, presplit: bool = False, lang: str | None = None) -> Document:
    """Decode a file (or ``-`` for stdin) and split it into tagged sentences."""
    loaded = ingest.load_text(source)
    segments = segment.segment_text(loaded.text, lang=lang, presplit=presplit)
    if not any(s.text.strip() for s in segments):
        raise InputError(f"{loaded.name}: no text to align")
    return Document(loaded.name, loaded.text, segments, loaded.encoding)


def document_from_text(text: str, name: str = "<text>", *, presplit: bool = False,
                       lang: str | None = None) -> Document:
    """Same as ``read_document`` for text already in memory (pasted, tests)."""
    normalized = ingest.normalize_text(text)
    return Document(name, normalized, segment.segment_text(normalized, lang=lang, presplit=presplit))


def joiner(lang: str) -> str:
    """How sentences of a language are glued into one passage."""
    return "" if lang in CJK_LANGS else " "


def _centred(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    out = vectors - centre
    return out / np.maximum(np.linalg.norm(out, axis=-1, keepdims=True), 1e-12)


def window_embeddings(doc: Document, encoder: Encoder) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of runs of 1..MAX_WINDOW sentences, averaged from single sentences.

    The document's mean vector is removed first: small encoders put all
    sentences of a language in a narrow cone (unrelated ones score ~0.75),
    and centring spreads them out so that unrelated text scores near zero.
    Returns the windows and the centre, to treat later exact runs alike.
    """
    single = encoder.encode([s.scoring_text for s in doc.segments])
    centre = single.mean(axis=0) if len(single) > 1 else np.zeros_like(single[0])
    return mean_windows(_centred(single, centre)), centre


def add_exact_windows(windows: np.ndarray, centre: np.ndarray, doc: Document, encoder: Encoder,
                      starts: Iterable[int]) -> None:
    """Replace averaged runs starting at ``starts`` by embeddings of their joined text.

    Exact where the aligner is unsure, cheap everywhere else: averaging is
    close for most runs, and joined text costs several encoder calls.
    """
    texts = [s.scoring_text for s in doc.segments]
    glue = joiner(doc.lang)
    wanted = [(a, i) for i in sorted(set(starts)) for a in range(2, MAX_WINDOW + 1) if 0 <= i and i + a <= len(texts)]
    if wanted:
        vectors = _centred(encoder.encode([glue.join(texts[i:i + a]) for a, i in wanted]), centre)
        for (a, i), vector in zip(wanted, vectors):
            windows[a - 1, i] = vector


def uncertain_starts(beads: Sequence[Bead], reach: int = 1) -> tuple[set[int], set[int]]:
    """Source and target run starts near beads that are not 1-1 or not sure."""
    src_starts: set[int] = set()
    tgt_starts: set[int] = set()
    for k, bead in enumerate(beads):
        if bead.kind == "1-1" and bead.score >= 0.5:
            continue
        near = beads[max(0, k - reach):k + reach + 1]
        for ids, starts in ((sorted(i for b in near for i in b.src), src_starts),
                            (sorted(j for b in near for j in b.tgt), tgt_starts)):
            if ids:
                starts.update(range(ids[0] - MAX_WINDOW + 1, ids[-1] + 1))
    return src_starts, tgt_starts


def align_documents(src: Document, tgt: Document, encoder: Encoder, config: AlignerConfig = AlignerConfig(),
                    fixed: Sequence[Bead] = (), refine: bool = True) -> Alignment:
    """Align two documents sentence by sentence.

    A first pass uses averaged embeddings for runs of sentences; where it
    is unsure, runs are re-encoded from their joined text and the whole
    path is searched again. ``fixed`` beads are kept untouched.
    """
    (src_win, src_centre), (tgt_win, tgt_centre) = window_embeddings(src, encoder), window_embeddings(tgt, encoder)
    src_chars = [len(s.scoring_text) for s in src.segments]
    tgt_chars = [len(s.scoring_text) for s in tgt.segments]
    beads = align_embeddings(src_win, tgt_win, src_chars, tgt_chars, config, fixed)
    if refine:
        src_starts, tgt_starts = uncertain_starts(beads)
        add_exact_windows(src_win, src_centre, src, encoder, src_starts)
        add_exact_windows(tgt_win, tgt_centre, tgt, encoder, tgt_starts)
        beads = align_embeddings(src_win, tgt_win, src_chars, tgt_chars, config, fixed)
    return Alignment(src, tgt, beads, model=getattr(encoder, "name", ""))
