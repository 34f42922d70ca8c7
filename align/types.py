"""The plain data that flows between the pipeline stages.

Every stage takes and returns these objects, so each stage can be tested and
replaced on its own, and the CLI and the workbench share one vocabulary.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property

from align.lang import UNDETERMINED, joiner


@dataclass(frozen=True)
class Segment:
    """One sentence (or pre-split line) as it stands in its document.

    ``start``/``end`` are character offsets into ``Document.text`` so a person
    can be shown where the sentence came from; ``line`` is 1-based.
    """

    text: str
    start: int
    end: int
    line: int
    lang: str = UNDETERMINED

    @cached_property
    def scoring_text(self) -> str:
        """NFKC-normalised, whitespace-collapsed copy used for scoring only."""
        return normalize_for_scoring(self.text)


def normalize_for_scoring(text: str) -> str:
    # NUL would silently truncate the string in C encoders; NFKC folds
    # full-width digits and Latin so lengths and embeddings compare fairly.
    text = unicodedata.normalize("NFKC", text.replace("\x00", " "))
    return " ".join(text.split())


@dataclass
class Document:
    """A decoded text and its segments, in reading order."""

    name: str
    text: str
    segments: list[Segment]
    encoding: str = "utf-8"
    # The main language, with the segment list it was counted on: asked for once per bead when an alignment
    # is written, counting it every time made writing 20,000 beads take minutes.
    _lang: tuple[int, int, str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def lang(self) -> str:
        """The language of most characters, the document's main language."""
        counted = (id(self.segments), len(self.segments))
        if self._lang is None or self._lang[:2] != counted:
            weight: dict[str, int] = {}
            for seg in self.segments:
                weight[seg.lang] = weight.get(seg.lang, 0) + len(seg.text)
            self._lang = (*counted, max(weight, key=weight.__getitem__) if weight else UNDETERMINED)
        return self._lang[2]

    def __len__(self) -> int:
        return len(self.segments)

    @classmethod
    def from_lines(cls, name: str, texts: list[str], lang: str) -> Document:
        """A document whose segments are the given lines, all in ``lang``: made by hand, no splitting or tagging."""
        segments, start = [], 0
        for line, text in enumerate(texts, 1):
            segments.append(Segment(text, start, start + len(text), line, lang))
            start += len(text) + 1
        return cls(name, "\n".join(texts), segments)


@dataclass(frozen=True)
class Bead:
    """A minimal group of source and target segments that translate each other.

    Either side may be empty (an omission). ``score`` is the probability that
    the bead is exactly right (the same sentences on both sides, no more, no
    less); ``similarity`` is how close in meaning its two sides are (the
    centred cosine, None for a one-sided bead or where it is not known), kept
    apart because review judges translations by it.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0
    similarity: float | None = None
    # A reviewer's decision and note, where a project holds the bead; None for an aligner's output.
    # Not part of equality: the same sentences are the same bead, whoever looked at it.
    status: str | None = field(default=None, compare=False)
    note: str = field(default="", compare=False)
    # Its number (1-based) in its project's pair, which an export of some beads only (confirmed, at least P) keeps.
    number: int | None = field(default=None, compare=False)

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"


@dataclass
class Alignment:
    """The beads that link two documents, in order, covering every segment once."""

    src: Document
    tgt: Document
    beads: list[Bead]
    model: str = ""

    def texts(self, bead: Bead) -> tuple[str, str]:
        """The joined source and target text of a bead, as in the documents."""
        return (
            joiner(self.src.lang).join(self.src.segments[i].text for i in bead.src),
            joiner(self.tgt.lang).join(self.tgt.segments[j].text for j in bead.tgt),
        )

    FRAME_COLUMNS = ("bead", "src_ids", "tgt_ids", "kind", "score", "similarity", "src_lang", "tgt_lang",
                     "src_text", "tgt_text")
    REVIEW_COLUMNS = ("status", "note")

    def reversed(self) -> Alignment:
        """The same beads with source and target exchanged."""
        return Alignment(self.tgt, self.src, [replace(b, src=b.tgt, tgt=b.src) for b in self.beads], self.model)

    @property
    def reviewed(self) -> bool:
        """Whether the beads carry a reviewer's status and notes (they come from a project)."""
        return any(bead.status is not None for bead in self.beads)

    def to_frame(self):
        """One row per bead, for export and display; ``similarity`` is None where it is not known.

        ``bead`` counts from 1, as the workbench and ``align project`` do (a bead from a project
        keeps its number there, where only some beads are exported); the sentence ids count from 0,
        as the bead format (Vecalign's) does.

        Beads from a project also carry their ``status`` and ``note`` columns, so a
        reviewer's work leaves the project with the text.
        """
        import pandas as pd

        rows = []
        for n, bead in enumerate(self.beads, 1):
            src_text, tgt_text = self.texts(bead)
            rows.append(
                {
                    "bead": bead.number or n,
                    "src_ids": list(bead.src),
                    "tgt_ids": list(bead.tgt),
                    "kind": bead.kind,
                    "score": round(bead.score, 4),
                    "similarity": None if bead.similarity is None else round(bead.similarity, 4),
                    "src_lang": self.src.lang,
                    "tgt_lang": self.tgt.lang,
                    "src_text": src_text,
                    "tgt_text": tgt_text,
                    "status": bead.status,
                    "note": bead.note,
                }
            )
        return pd.DataFrame(rows, columns=list(self.FRAME_COLUMNS + (self.REVIEW_COLUMNS if self.reviewed else ())))

