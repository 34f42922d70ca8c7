"""What the Streamlit workbench shows, computed without Streamlit.

The app script only lays out widgets; the table rows of a page, the
filters, the confidence labels, the score histogram, reading pasted or
uploaded text and the export bytes are plain functions tested here.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Sequence

from . import ingest, segment
from .edits import BeadRow
from .errors import InputError
from .formats import write_alignment
from .types import CJK_LANGS, Document

PAGE_SIZE = 50
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
EXPORT_FORMATS = ("tmx", "csv", "jsonl", "tsv", "beads")
EXPORT_MIME = {"tmx": "application/x-tmx+xml", "csv": "text/csv", "jsonl": "application/jsonl",
               "tsv": "text/tab-separated-values", "beads": "text/plain"}
# Confidence bands: below LOW is suspicious, above HIGH is most likely right.
LOW, HIGH = 0.3, 0.6


@dataclass(frozen=True)
class Filters:
    """Which beads the table shows; all off shows every bead."""

    low_confidence: bool = False
    threshold: float = LOW
    not_one_to_one: bool = False
    unconfirmed: bool = False

    def keep(self, row: BeadRow) -> bool:
        if self.low_confidence and row.score >= self.threshold:
            return False
        if self.not_one_to_one and row.kind == "1-1":
            return False
        if self.unconfirmed and row.status == "confirmed":
            return False
        return True


def filter_rows(rows: Sequence[BeadRow], filters: Filters) -> list[BeadRow]:
    return [r for r in rows if filters.keep(r)]


def page_count(n_items: int, page_size: int = PAGE_SIZE) -> int:
    """At least one page, so an empty table still has a page 1."""
    return max(1, math.ceil(n_items / page_size))


def page(items: Sequence, number: int, page_size: int = PAGE_SIZE) -> list:
    """Items of page ``number`` (1-based), clamped to the pages that exist."""
    number = min(max(1, number), page_count(len(items), page_size))
    start = (number - 1) * page_size
    return list(items[start:start + page_size])


def page_of(index: int, page_size: int = PAGE_SIZE) -> int:
    """The 1-based page holding the item at 0-based ``index``."""
    return index // page_size + 1


def confidence_label(score: float) -> str:
    """A coloured mark a reviewer can scan for, with the score."""
    mark = "🔴" if score < LOW else "🟡" if score < HIGH else "🟢"
    return f"{mark} {score:.2f}"


def side_text(doc: Document, ids: Sequence[int]) -> str:
    glue = "" if doc.lang in CJK_LANGS else " "
    return glue.join(doc.segments[i].text for i in ids)


def table_rows(rows: Sequence[BeadRow], src: Document, tgt: Document) -> list[dict]:
    """One display row per bead; ``#`` is the 1-based bead number the correction panel asks for."""
    return [{"#": r.position + 1, "kind": r.kind, "confidence": confidence_label(r.score), "score": r.score,
             "status": r.status, "source": side_text(src, r.src), "target": side_text(tgt, r.tgt),
             "note": r.note} for r in rows]


def score_histogram(scores: Sequence[float], bins: int = 10) -> dict[str, int]:
    """Bead counts per score band of width 1/bins, labelled by the band's range, in order."""
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, max(0, int(s * bins)))] += 1
    return {f"{k / bins:.1f}–{(k + 1) / bins:.1f}": c for k, c in enumerate(counts)}


def document_from_bytes(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> Document:
    """An uploaded file as a segmented document; ``InputError`` for too big, empty or binary input."""
    if len(data) > max_bytes:
        raise InputError(f"{name} is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB")
    text, encoding = ingest.decode_text(data, name)
    return _segmented(ingest.normalize_text(text), name, encoding)


def document_from_paste(text: str, name: str) -> Document:
    """Pasted text as a segmented document; ``InputError`` when there is nothing to align."""
    if len(text.encode("utf-8")) > MAX_UPLOAD_BYTES:
        raise InputError(f"{name} is longer than {MAX_UPLOAD_BYTES / 1e6:.0f} MB; upload a file instead")
    return _segmented(ingest.normalize_text(text), name, "utf-8")


def _segmented(text: str, name: str, encoding: str) -> Document:
    if not text.strip():
        raise InputError(f"{name} is empty")
    segments = segment.segment_text(text)
    if not any(s.text.strip() for s in segments):
        raise InputError(f"{name}: no text to align")
    return Document(name, text, segments, encoding)


def export_bytes(project, pair_id: int, fmt: str, confirmed_only: bool = False) -> tuple[bytes, list[str]]:
    """Exactly what ``write_alignment`` writes for the pair, and its warnings."""
    buffer = io.BytesIO()
    warnings = write_alignment(project.alignment(pair_id, confirmed_only), fmt, buffer)
    return buffer.getvalue(), warnings
