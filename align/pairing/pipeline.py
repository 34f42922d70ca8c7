"""The stages wired together: read -> tag -> split -> embed -> align.

The CLI, the benchmark and the workbench call these functions; each stage
stays usable on its own.
"""
from __future__ import annotations

import logging
import math
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from align.embed import Encoder, centred, centred_on_document
from align.errors import InputError
from align.lang import joiner
from align.pairing.search import MAX_WINDOW, RAW_POSTERIOR, AlignerConfig, align_embeddings, mean_windows
from align.text import decode, segment
from align.types import Alignment, Bead, Document

log = logging.getLogger(__name__)

# First-pass posteriors under which a link, or a merged bead, is re-encoded from joined text (see uncertain_runs).
BELOW = 0.2
MERGED_BELOW = 0.8
# Characters of joined runs, as a share of the documents' own, that widening unlikely merged beads may add.
EXTENSION_BUDGET = 0.1
# Share of beads that are not 1-1 in the first path from which a document is aligned thoroughly.
HARD_SHARE = 1 / 3


def read_document(source: str | Path, *, presplit: bool = False, lang: str | None = None,
                  max_bytes: int = decode.MAX_INPUT_BYTES) -> Document:
    """Decode a file (or ``-`` for stdin) of at most ``max_bytes`` and split it into tagged sentences."""
    loaded = decode.load_text(source, max_bytes)
    segments = segment.segment_text(loaded.text, lang=lang, presplit=presplit)
    if not any(s.text.strip() for s in segments):
        raise InputError(f"{loaded.name}: no text to align")
    return Document(loaded.name, loaded.text, segments, loaded.encoding)


def document_from_text(text: str, name: str = "<text>", *, presplit: bool = False,
                       lang: str | None = None) -> Document:
    """Same as ``read_document`` for text already in memory (pasted, tests)."""
    normalized = decode.normalize_text(text)
    return Document(name, normalized, segment.segment_text(normalized, lang=lang, presplit=presplit))


def window_embeddings(doc: Document, encoder: Encoder) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of runs of 1..MAX_WINDOW sentences, averaged from single sentences.

    The document's mean vector is removed first: small encoders put all
    sentences of a language in a narrow cone (unrelated ones score ~0.75),
    and centring spreads them out so that unrelated text scores near zero.
    The mean of a few sentences is mostly those sentences, so it is shrunk
    towards zero for short documents. Returns the windows and the centre,
    to treat later exact runs alike.
    """
    single = encoder.encode([s.scoring_text for s in doc.segments])
    if len(single) == 0:
        return np.zeros((MAX_WINDOW, 1, 1), np.float32), np.zeros(1, np.float32)
    vectors, centre = centred_on_document(single)
    return mean_windows(vectors), centre


def add_exact_windows(windows: np.ndarray, centre: np.ndarray, doc: Document, encoder: Encoder,
                      runs: Iterable[tuple[int, int]]) -> None:
    """Replace averaged runs ``(start, size)`` by embeddings of their joined text.

    Exact where the aligner is unsure, cheap everywhere else: averaging is
    close for most runs, and joined text costs several encoder calls.
    """
    texts = [s.scoring_text for s in doc.segments]
    glue = joiner(doc.lang)
    wanted = sorted((i, a) for i, a in set(runs) if i + a <= len(texts))
    if wanted:
        vectors = centred(encoder.encode([glue.join(texts[i:i + a]) for i, a in wanted]), centre)
        for (i, a), vector in zip(wanted, vectors):
            windows[a - 1, i] = vector


def uncertain_runs(beads: Sequence[Bead], src_chars: Sequence[int], tgt_chars: Sequence[int],
                   below: float = BELOW, merged_below: float = MERGED_BELOW, budget: float = EXTENSION_BUDGET,
                   thorough: bool = False) -> tuple[set, set]:
    """Source and target runs ``(start, size)`` worth encoding exactly.

    Exact embeddings of joined text only change decisions where another
    segmentation is plausible: a merged bead (is the merge real?), an
    omission or an unlikely link (should it join a neighbour?). A merged
    bead that is itself unlikely (posterior under ``merged_below``) may
    also be cut elsewhere, so runs reaching one sentence beyond it are
    encoded too: that is where 2-2 beads taken as two 1-1s are caught.
    Those extensions go to the least likely beads first, up to ``budget``
    times the documents' characters (no limit when ``thorough``), so a
    free translation gets more encodings than a close one, within a
    bounded cost. Every other run keeps its averaged embedding.
    """
    runs: tuple[set, set] = (set(), set())

    def cover(bead: Bead, margin: int) -> tuple[set, set]:
        found: tuple[set, set] = (set(), set())
        for ids, side in ((bead.src, 0), (bead.tgt, 1)):
            if ids:
                first, last = max(min(ids) - margin, 0), max(ids) + margin
                found[side].update((i, a) for i in range(first, last) for a in range(2, MAX_WINDOW + 1)
                                   if i + a - 1 <= last)
        return found

    def cost(found: tuple[set, set]) -> int:
        return sum(sum(chars[i:i + a]) for side, chars in zip(found, (src_chars, tgt_chars)) for i, a in side)

    def is_merged(bead: Bead) -> bool:
        return len(bead.src) > 1 or len(bead.tgt) > 1

    merged = [b for b in beads if is_merged(b)]
    for bead in beads:
        if bead.kind != "1-1" or bead.score < below:
            new = cover(bead, 0 if is_merged(bead) else 1)
            runs[0].update(new[0])
            runs[1].update(new[1])
    allowance = math.inf if thorough else budget * (sum(src_chars) + sum(tgt_chars))
    for bead in sorted((b for b in merged if thorough or b.score < merged_below), key=lambda b: b.score):
        wider = cover(bead, 1)
        new = (wider[0] - runs[0], wider[1] - runs[1])
        allowance -= cost(new)
        if allowance < 0:
            break
        runs[0].update(new[0])
        runs[1].update(new[1])
    return runs


def align_documents(src: Document, tgt: Document, encoder: Encoder, config: AlignerConfig = AlignerConfig(),
                    fixed: Sequence[Bead] = (), refine: bool = True, thorough: bool = False) -> Alignment:
    """Align two documents sentence by sentence.

    A first pass uses averaged embeddings for runs of sentences; where it
    is unsure, runs are re-encoded from their joined text and the whole
    path is searched again (see ``uncertain_runs``). ``thorough`` widens
    the runs around every merged bead, as hard documents get on their own:
    more accurate on documents with many n-m beads, about twice the
    encoding. ``fixed`` beads are kept untouched.
    """
    (src_win, src_centre), (tgt_win, tgt_centre) = window_embeddings(src, encoder), window_embeddings(tgt, encoder)
    src_chars = [len(s.scoring_text) for s in src.segments]
    tgt_chars = [len(s.scoring_text) for s in tgt.segments]
    if not refine:
        return Alignment(src, tgt, align_embeddings(src_win, tgt_win, src_chars, tgt_chars, config, fixed),
                         model=getattr(encoder, "name", ""))
    # The first pass's own posteriors say where to look again, whatever the calibration.
    first = align_embeddings(src_win, tgt_win, src_chars, tgt_chars, replace(config, calibration=RAW_POSTERIOR), fixed)
    # A document whose first path is full of merges and omissions is a free translation or a hard
    # one: it gets every widening, as with ``thorough``, while close translations keep to the budget.
    hard = sum(b.kind != "1-1" for b in first) >= HARD_SHARE * len(first)
    src_runs, tgt_runs = uncertain_runs(first, src_chars, tgt_chars, thorough=thorough or hard)
    log.info("%s / %s: re-encoding %d + %d joined runs where the first pass was unsure",
             src.name, tgt.name, len(src_runs), len(tgt_runs))
    add_exact_windows(src_win, src_centre, src, encoder, src_runs)
    add_exact_windows(tgt_win, tgt_centre, tgt, encoder, tgt_runs)
    beads = align_embeddings(src_win, tgt_win, src_chars, tgt_chars, config, fixed)
    return Alignment(src, tgt, beads, model=getattr(encoder, "name", ""))
