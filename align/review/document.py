"""Review of one document as it stands: its own sentences as text, and the passages translated inside it as pairs.

A news page that is mostly one language, machine-translated, with quoted
originals (the seeds) has no second file to align with. Its sentences are
reviewed without a counterpart (fragments, broken punctuation, text left in
another language), the parallel passages mined in it are reviewed as pairs,
and both go into one queue, worst first.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from align.embed import Encoder
from align.mining.mine import mine_document
from align.review.judge import review_pairs, review_texts, worst_first
from align.review.model import BeadReview
from align.types import Document


@dataclass(frozen=True)
class Finding:
    """One reviewed item of a document: a sentence (``tgt`` empty) or a mined pair, with where it stands."""

    review: BeadReview
    where: str
    src: str
    tgt: str = ""


def review_document(doc: Document, encoder: Encoder) -> list[Finding]:
    """Every sentence in the document's main language and every mined pair, in document order.

    ``review.index`` numbers the findings in that order, so ``worst_first`` on
    the reviews gives the queue.
    """
    sentences = [s for s in doc.segments if s.text.strip() and s.lang == doc.lang]
    findings = [(review, f"line {s.line}", s.text, "")
                for review, s in zip(review_texts([s.text for s in sentences], doc.lang), sentences)]
    report = mine_document(doc, encoder)
    by_direction: dict[tuple[str, str], list] = {}
    for pair in report.pairs:
        by_direction.setdefault((pair.lang_a, pair.lang_b), []).append(pair)
    for (lang_a, lang_b), pairs in by_direction.items():
        reviews = review_pairs([(p.text_a, p.text_b) for p in pairs], lang_a, lang_b, encoder)
        findings += [(review, f"lines {p.line_a}/{p.line_b}", p.text_a, p.text_b)
                     for review, p in zip(reviews, pairs)]
    findings.sort(key=lambda f: _line(f[1]))
    return [Finding(replace(review, index=k), where, src, tgt) for k, (review, where, src, tgt) in enumerate(findings)]


def queue(findings: list[Finding]) -> list[Finding]:
    """The findings worst first."""
    order = {f.review.index: f for f in findings}
    return [order[r.index] for r in worst_first(f.review for f in findings)]


def _line(where: str) -> int:
    return int(where.split()[1].split("/")[0])
