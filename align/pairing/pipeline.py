"""The stages wired together: read -> tag -> split -> embed -> align.

The CLI, the benchmark and the workbench call these functions; each stage
stays usable on its own.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from align.embed import Encoder, centred, centred_on_document
from align.errors import InputError
from align.lang import joiner
from align.pairing.anchors import bracket_depths, sentence_anchors
from align.pairing.search import (
    MAX_WINDOW,
    UNRELATED_MIN,
    AlignerConfig,
    FirstLook,
    Paragraphs,
    Strangers,
    TextEvidence,
    align_embeddings,
    first_look,
    mean_windows,
    with_length_spread,
)
from align.pairing.unrelated import stranger_windows
from align.text import decode, segment
from align.text.segment import paragraph_starts
from align.types import Alignment, Bead, Document

log = logging.getLogger(__name__)

# First-pass posteriors under which a link is widened by ``--thorough`` (see widened_runs).
BELOW = 0.2
# Share of beads that are not 1-1 in the first path from which a free or short translation is aligned thoroughly.
HARD_SHARE = 1 / 3
# Sentences, source and target together, under which a document counts as short (see thorough_unasked).
SHORT_DOCUMENT = 200


def read_document(source: str | Path, *, presplit: bool = False, lang: str | None = None,
                  max_bytes: int = decode.MAX_INPUT_BYTES) -> Document:
    """Decode a file (or ``-`` for stdin) of at most ``max_bytes`` and split it into tagged sentences."""
    loaded = decode.load_text(source, max_bytes)
    decode.refuse_memory(loaded.text, loaded.name)
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


def widened_runs(beads: Sequence[Bead], below: float = BELOW) -> tuple[set, set]:
    """Every run ``(start, size)`` reaching at most one sentence beyond a bead that is not a sure 1-1.

    Hard documents and ``--thorough`` encode these on top of the plausible
    runs: a 2-2 bead taken as two 1-1s, or a merge cut one sentence off,
    may be a run that averaged embeddings made implausible. About three
    times a free translation's characters, for up to 2.7 points of F1 on
    loosely translated documents with many merges.
    """
    runs: tuple[set, set] = (set(), set())
    for bead in beads:
        if bead.kind == "1-1" and bead.score >= below:
            continue
        for ids, side in ((bead.src, runs[0]), (bead.tgt, runs[1])):
            if ids:
                first, last = max(min(ids) - 1, 0), max(ids) + 1
                side.update((i, a) for i in range(first, last) for a in range(2, MAX_WINDOW + 1) if i + a - 1 <= last)
    return runs


def align_documents(src: Document, tgt: Document, encoder: Encoder, config: AlignerConfig = AlignerConfig(),
                    fixed: Sequence[Bead] = (), refine: bool = True, thorough: bool = False) -> Alignment:
    """Align two documents sentence by sentence.

    A first look uses averaged embeddings for runs of sentences; the runs
    that plausible paths link as a whole are re-encoded from their joined
    text (see ``first_look``) and the path is searched with them.
    ``thorough`` also re-encodes every run around the first path's merges,
    omissions and unsure links (``widened_runs``): a little more accurate
    on free translation, at about three times the encoding. ``fixed``
    beads are kept untouched.
    """
    problem = search_problem(src, tgt, encoder, config, fixed, refine, thorough)
    return Alignment(src, tgt, align_embeddings(*problem.arguments()), model=getattr(encoder, "name", ""))


@dataclass(frozen=True)
class SearchProblem:
    """What the final search takes, in ``align_embeddings``'s order: window embeddings with the plausible
    runs re-encoded, sentence lengths, the configuration fitted to the document, confirmed beads, the
    texts' evidence, stand-ins for unrelated sentences, and the first look's beads (None without one)."""

    src_win: np.ndarray
    tgt_win: np.ndarray
    src_chars: list[int]
    tgt_chars: list[int]
    config: AlignerConfig
    fixed: Sequence[Bead]
    evidence: TextEvidence
    strangers: Strangers
    earlier: list[Bead] | None

    def arguments(self) -> tuple:
        return (self.src_win, self.tgt_win, self.src_chars, self.tgt_chars, self.config, self.fixed, self.evidence,
                self.strangers, self.earlier)


def search_problem(src: Document, tgt: Document, encoder: Encoder, config: AlignerConfig,
                   fixed: Sequence[Bead] = (), refine: bool = True, thorough: bool = False) -> SearchProblem:
    """Everything ``align_documents`` searches with, kept apart so that ``bench/calibrate.py`` can read the
    features of the same beads (``beads_with_features``) instead of deriving them again."""
    if src.segments and tgt.segments:  # one sentence's embedding says the dimension (and is needed anyway)
        check_memory(len(src.segments) + len(tgt.segments), encoder.encode([src.segments[0].text]).shape[1])
    (src_win, src_centre), (tgt_win, tgt_centre) = window_embeddings(src, encoder), window_embeddings(tgt, encoder)
    evidence = text_evidence(src, tgt)
    src_chars = [len(s.scoring_text) for s in src.segments]
    tgt_chars = [len(s.scoring_text) for s in tgt.segments]
    strangers, earlier = None, None
    if min(len(src_chars), len(tgt_chars)) < UNRELATED_MIN:  # too few sentences to say what unrelated is
        strangers = stranger_windows(encoder, (src.lang, tgt.lang), (tgt_centre, src_centre))
    if refine:
        look = first_look(src_win, tgt_win, src_chars, tgt_chars, config, fixed, evidence=evidence,
                          strangers=strangers)
        config = with_length_spread(config, look, src_chars, tgt_chars)
        earlier = look.beads
        src_runs, tgt_runs = look.runs
        if thorough or thorough_unasked(look, config):
            wider = widened_runs(look.beads)
            src_runs, tgt_runs = src_runs | wider[0], tgt_runs | wider[1]
        log.info("%s / %s: re-encoding %d + %d joined runs that plausible paths link",
                 src.name, tgt.name, len(src_runs), len(tgt_runs))
        add_exact_windows(src_win, src_centre, src, encoder, src_runs)
        add_exact_windows(tgt_win, tgt_centre, tgt, encoder, tgt_runs)
    return SearchProblem(src_win, tgt_win, src_chars, tgt_chars, config, fixed, evidence, strangers, earlier)


# What aligning holds per sentence and embedding dimension, in bytes: window embeddings of up to five
# sentences and their norms, and the band's costs kept for the forward-backward pass. bench/run.py's long
# documents grow by 21 KB a sentence at 384 dimensions (449 MB at 2,098 sentences, 1,101 MB at 40,911).
BYTES_PER_SENTENCE_DIMENSION = 56
MEMORY_SHARE = 0.8  # of the memory available now, the most a pair may be expected to take


def check_memory(sentences: int, dimension: int) -> None:
    """An ``InputError`` before the work when aligning would need more memory than the machine has free: a
    50 MB document had taken 7.5 GB and was still growing, the next pair of a batch never started."""
    need = sentences * dimension * BYTES_PER_SENTENCE_DIMENSION
    free = available_memory()
    if free is not None and need > MEMORY_SHARE * free:
        raise InputError(f"{sentences:,} sentences need about {need / 2**30:.1f} GB of memory to align, and "
                         f"{free / 2**30:.1f} GB are free: split the documents (by chapter, say) or use a machine "
                         "with more memory")


def available_memory() -> int | None:
    """Bytes of memory free for a new task now (Linux's MemAvailable), or None where it cannot be told."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def thorough_unasked(look: FirstLook, config: AlignerConfig = AlignerConfig()) -> bool:
    """Whether a document is aligned thoroughly whatever was asked: its first path is a third or more merges
    and omissions, and it is a free translation (its link scale past close translation's) or a short one.

    A free translation's averaged runs are too far from their exact embeddings for the run posteriors to
    see every 2-2 bead. A long close translation with as many merges (Text+Berg's tokenized, partly OCR'd
    yearbook) gains nothing from it once numbers and names are evidence, at three times the encoding; a
    short one (a passage of ``align doc``) has thin statistics, and widening it costs little.
    """
    merged_or_alone = sum(b.kind != "1-1" for b in look.beads)
    if merged_or_alone < HARD_SHARE * len(look.beads):
        return False
    sentences = sum(len(b.src) + len(b.tgt) for b in look.beads)
    return look.link_scale > config.close_scale or sentences < SHORT_DOCUMENT


def text_evidence(src: Document, tgt: Document) -> TextEvidence:
    """Paragraphs, shared numbers and names, and brackets left open: where the texts themselves say beads end."""
    src_texts, tgt_texts = [s.scoring_text for s in src.segments], [s.scoring_text for s in tgt.segments]
    return TextEvidence(paragraph_evidence(src, tgt), sentence_anchors(src_texts, tgt_texts),
                        bracket_depths(src_texts, tgt_texts))


def paragraph_evidence(src: Document, tgt: Document) -> Paragraphs:
    """Which sentences open a paragraph on each side, where both documents have comparable paragraphs.

    A side without paragraphs (one block) says nothing about where beads
    end, nor does one whose every sentence opens a paragraph: a file that
    sets each sentence apart with a blank line would make every merged bead
    look as if it crossed a paragraph. The evidence is used only where both
    sides have at least two paragraphs, some of more than one sentence, and
    neither side has more than twice as many as the other.
    """
    opens = [paragraph_starts(doc.text, doc.segments) for doc in (src, tgt)]
    counts = [sum(side) for side in opens]
    if min(counts) < 2 or max(counts) > 2 * min(counts):
        return None
    if any(all(o for o, seg in zip(side, doc.segments) if seg.text.strip()) for side, doc in zip(opens, (src, tgt))):
        return None
    return opens[0], opens[1]
