"""Where reviewed units come from: a TMX, an 'align pair' output, a project pair or one document.

Each input becomes a ``Source``: its languages, its judged rows (source,
target, review) and its units for TMX output, behind functions so that a TMX
of any size is streamed, never held. ``align review`` and the workbench both
open inputs here.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from align.embed import Encoder
from align.errors import AlignError
from align.formats.units import cell_ids, table_rows, units_format
from align.lang import UNDETERMINED
from align.text.decode import MAX_INPUT_BYTES, check_size


@dataclass
class Source:
    """Reviewed units, whatever the input: judged rows, TMX units, and what to call them."""

    name: str
    src_lang: str
    tgt_lang: str
    judged: Callable[[], Iterator[tuple[str, str, object]]]
    units: Callable[[str | None], Iterator]
    details: str
    # Writes the reviewed units as TMX to a binary stream, without those at or above a severity when one
    # is given, and returns warnings. A TMX input is copied as it was, inline codes, notes and all.
    write_tmx: Callable[[BinaryIO, str | None], list[str]]
    # Whether each unit is a pair, where a run of units with one side empty is a passage one side lacks;
    # a document's own sentences, reviewed as text, have no other side to lack.
    paired: bool = True
    # Each unit's reviewer status and note, in order, where the input holds them (a project, a table it exported).
    decisions: list[tuple[str | None, str]] | None = None


def open_source(spec: str, encoder: Encoder, src_lang: str | None = None, tgt_lang: str | None = None,
                projects_dir: str | os.PathLike | None = None, pair_id: int | None = None,
                max_bytes: int = MAX_INPUT_BYTES, allow_dtd: bool = False, set_id: int | None = None,
                versions: str | None = None) -> Source:
    """Units to review from ``spec``: a ``.tmx``, an 'align pair' ``.tsv/.csv/.jsonl``, ``project:NAME`` or a ``.txt``.

    ``src_lang``/``tgt_lang`` override what the input says; ``projects_dir`` and
    ``pair_id`` choose the project pair (default: the projects folder, the only pair),
    or ``set_id`` a version set, seen as the pair of its ``versions`` (``A,B``; the first two by default).
    Tables and documents, held in memory, are refused over ``max_bytes``; a TMX is
    streamed, limited per unit instead, and read with a non-standard DTD only if ``allow_dtd``.
    """
    if spec.startswith("project:"):
        return _project_source(spec.split(":", 1)[1], projects_dir, pair_id, encoder, set_id, versions)
    if set_id is not None:
        raise AlignError("a version set (--set) is reviewed from a project: give project:NAME or --project NAME")
    if spec == "-":
        raise AlignError("review reads a file (a TMX, a table, a .txt) or project:NAME, not stdin: save the input "
                         "to a file first")
    path = Path(spec)
    if not path.is_file():
        raise AlignError(f"{path}: no such file")
    if path.suffix.lower() == ".txt":
        return _document_source(path, src_lang, tgt_lang, encoder, max_bytes)
    fmt = units_format(path)
    if fmt == "tmx":
        return _tmx_source(path, src_lang, tgt_lang, encoder, allow_dtd)
    if fmt in ("tsv", "csv", "jsonl"):
        check_size(path.stat().st_size, path.name, max_bytes)  # a regular file (is_file above): its size is true
        return _tabular_source(path, fmt, src_lang, tgt_lang, encoder)
    raise AlignError(f"{path.name}: cannot tell the format from the name or the content; review reads .tmx, "
                     ".tsv/.csv/.jsonl written by 'align pair', a .txt document, or project:NAME")


def _document_source(path: Path, src_lang: str | None, tgt_lang: str | None, encoder: Encoder,
                     max_bytes: int) -> Source:
    """A plain document: its sentences reviewed as text, the passages translated inside it as pairs."""
    from align.pairing.pipeline import read_document
    from align.review.document import review_document

    doc = read_document(path, lang=src_lang, max_bytes=max_bytes)
    findings = review_document(doc, encoder)
    others = sorted({lang for s in doc.segments if (lang := s.lang) != doc.lang})
    source = _in_memory(path.name, [(f.src, f.tgt) for f in findings], doc.lang, tgt_lang or
                        (others[0] if others else UNDETERMINED), [f.review for f in findings],
                        f"{len(findings)} sentences and mined pairs of one document")
    return replace(source, paired=False)


def _tmx_source(path: Path, src_lang: str | None, tgt_lang: str | None, encoder: Encoder,
                allow_dtd: bool) -> Source:
    from align.review.tmx import measure_tmx

    measured = measure_tmx(path, encoder, src_lang=src_lang, tgt_lang=tgt_lang, allow_dtd=allow_dtd)
    return Source(path.name, measured.src_lang, measured.tgt_lang, measured.judged, measured.annotated_units,
                  measured.calibration.describe(), measured.write_annotated)


def _in_memory(name: str, pairs, src_lang: str, tgt_lang: str, reviews, calibration: str,
               decisions=None) -> Source:
    """``decisions``: each pair's reviewer status and note where the input has them (a project, a table a
    project exported), carried by its unit as TMX carries them (``x-status``, ``<note>``)."""
    from align.formats.tmx import TranslationUnit, write_tmx
    from align.review.tmx import annotate

    def judged():
        return ((src, tgt, review) for (src, tgt), review in zip(pairs, reviews))

    def units(reject_at):
        for (src, tgt), review, (status, note) in zip(pairs, reviews, decisions or ((None, ""),) * len(pairs)):
            if reject_at is not None and review.at_least(reject_at):
                continue
            variants = {lang: text for lang, text in ((src_lang, src), (tgt_lang, tgt)) if text}
            if variants:
                props = annotate({"x-status": status} if status else {}, review.flag_names, review.score,
                                 review.severity)
                yield TranslationUnit(variants, props, (note,) if note else ())

    def write(stream: BinaryIO, reject_at: str | None) -> list[str]:
        return [str(r) for r in write_tmx(units(reject_at), stream, srclang=src_lang)]

    return Source(name, src_lang, tgt_lang, judged, units, calibration, write, decisions=decisions)


def _tabular_source(path: Path, fmt: str, src_lang: str | None, tgt_lang: str | None,
                    encoder: Encoder) -> Source:
    from align.review.judge import review_pairs
    from align.text.segment import segment_text

    rows = list(table_rows(path, fmt))
    if not rows:
        raise AlignError(f"{path.name}: no rows to review")
    src_lang = src_lang or rows[0].get("src_lang") or UNDETERMINED
    tgt_lang = tgt_lang or rows[0].get("tgt_lang") or UNDETERMINED
    pairs = [(str(r["src_text"] or ""), str(r["tgt_text"] or "")) for r in rows]

    def sentences(text, ids, lang):
        if len(cell_ids(ids)) < 2:
            return [text] if text else []
        return [s.text for s in segment_text(text, lang=lang) if s.text.strip()]

    parts = [(sentences(s, r.get("src_ids"), src_lang), sentences(t, r.get("tgt_ids"), tgt_lang))
             for (s, t), r in zip(pairs, rows)]
    reviews = review_pairs(pairs, src_lang, tgt_lang, encoder, parts=parts)
    decided = any("status" in r or "note" in r for r in rows)  # a project's export, not 'align pair' output
    decisions = [(str(r.get("status") or "") or None, str(r.get("note") or "")) for r in rows] if decided else None
    return _in_memory(path.name, pairs, src_lang, tgt_lang, reviews, f"{len(pairs)} beads", decisions)


def _project_source(name: str, projects_dir, pair_id: int | None, encoder: Encoder, set_id: int | None = None,
                    versions: str | None = None) -> Source:
    """A project's pair, or the pair view of two versions of a version set, reviewed as the workbench does."""
    from align.project.file import default_projects_dir
    from align.project.store import Project
    from align.review.judge import review_alignment

    with Project.open(projects_dir or default_projects_dir(), name) as project:
        if set_id is None:
            pair_id = project.chosen_pair(pair_id)
            alignment, title, unit = project.alignment(pair_id), f"project {name} pair {pair_id}", "beads"
        else:
            vset = project.version_set(set_id)
            a, b = vset.view(versions)
            alignment = project.pair_view(set_id, a, b)
            title, unit = f"project {name} set {set_id} ({vset.labels[a]}↔{vset.labels[b]})", "rows"
    reviews = review_alignment(alignment, encoder)
    texts = [alignment.texts(bead) for bead in alignment.beads]
    return _in_memory(title, texts, alignment.src.lang, alignment.tgt.lang, reviews, f"{len(texts)} {unit}",
                      [(bead.status, bead.note) for bead in alignment.beads])
