"""Review of a translation memory of any size, as streams over the file.

1. A byte scan counts the units and refuses any unit larger than ``MAX_UNIT_BYTES``
   before an XML parser sees it (lxml already refuses entity declarations and
   text nodes over 10 MB; a 2 GB unit split into many nodes would still be built
   as one tree). The reader then refuses a unit of more than
   ``formats.tmx.MAX_UNIT_ELEMENTS`` elements, which bytes alone do not bound
   in memory (a 10 MB unit of ``<hi/>`` is two million elements).
2. Pass 1 streams the units in chunks, embeds them and keeps only numbers per
   unit (``review.SIGNALS``): memory is a chunk of vectors plus ~76 bytes a unit.
3. The thresholds are calibrated on those numbers.
4. Pass 2 streams the units again and judges each one (``judged``), keeping its
   severity, score and flags as three small numbers, so the TMX outputs
   (``annotated_units``) are plain re-reads that judge nothing twice.
"""
from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from lxml import etree

from align.errors import AlignError, FormatError
from align.formats.tmx import TranslationUnit, read_tmx, rewrite_tmx, xml_events
from align.lang import base_lang
from align.progress import progress
from align.review.judge import Calibration, Measurer, calibrate, judge
from align.review.model import FLAG_NAMES, RANK, SEVERITIES, BeadReview, ReviewConfig

log = logging.getLogger(__name__)

MAX_UNIT_BYTES = 10_000_000
LANGUAGE_PEEK = 1000
# Each unit's flags are kept between passes as a bit mask over FLAG_NAMES.
_BIT = {name: 1 << i for i, name in enumerate(FLAG_NAMES)}


def scan_units(path: str | os.PathLike, limit: int = MAX_UNIT_BYTES) -> int:
    """The number of ``</tu>`` in the file; FormatError if any unit (or the text before one) exceeds ``limit``."""
    path = Path(path)
    count, last_end, offset, tail = 0, 0, 0, b""
    try:
        with open(path, "rb") as stream:
            while block := stream.read(1 << 20):
                data = tail + block
                base = offset - len(tail)
                at = data.find(b"</tu>")
                while at >= 0:
                    end = base + at + 5
                    if end - last_end > limit:
                        _too_large(path, end, limit)
                    count, last_end = count + 1, end
                    at = data.find(b"</tu>", at + 5)
                offset += len(block)
                if offset - last_end > limit:
                    _too_large(path, offset, limit)
                tail = data[-4:]
    except OSError as exc:
        raise AlignError(f"cannot read {path}: {exc.strerror or exc}") from None
    return count


def _too_large(path: Path, at: int, limit: int) -> None:
    raise FormatError(f"{path.name}: refusing a translation unit larger than {limit / 1e6:,.0f} MB "
                      f"(still open at byte {at:,}); no sentence needs that much, so the file is broken or hostile")


def _header_srclang(path: Path) -> str | None:
    """The header's srclang, read with the same safe parser settings as ``read_tmx``."""
    try:
        for event, element in xml_events(path):
            if event != "start":
                continue
            if element.tag == "header":
                return element.get("srclang")
            if element.tag in ("body", "tu"):
                return None
    except etree.XMLSyntaxError:
        return None
    return None


def pick(variants: dict, lang: str, default=""):
    """The variant for ``lang``: exact tag (any case) first, else the same base language
    (also for ``TranslationUnit.codes``, with ``default=()``)."""
    for key, text in variants.items():
        if key.lower() == lang.lower():
            return text
    for key, text in variants.items():
        if base_lang(key) == base_lang(lang):
            return text
    return default


def tmx_languages(path: Path, src_lang: str | None, tgt_lang: str | None,
                  allow_dtd: bool = False) -> tuple[str, str]:
    """Source and target of the memory: as given, else the header's srclang and the commonest other language."""
    counts: Counter[str] = Counter()
    first: Counter[str] = Counter()
    for n, unit in enumerate(read_tmx(path, allow_dtd)):
        if n >= LANGUAGE_PEEK:
            break
        counts.update(base_lang(lang) for lang, text in unit.variants.items() if text.strip())
        if unit.variants:
            first[base_lang(next(iter(unit.variants)))] += 1
    if not counts:
        raise AlignError(f"{path.name}: no translation units with text to review")
    header = _header_srclang(path)
    src = src_lang or (base_lang(header) if header and base_lang(header) in counts else first.most_common(1)[0][0])
    others = [lang for lang, _ in counts.most_common() if lang != base_lang(src)]
    tgt = tgt_lang or (others[0] if others else None)
    if tgt is None:
        raise AlignError(f"{path.name}: every unit is in {src} only; review needs units in two languages "
                         "(or name them with --src-lang/--tgt-lang)")
    return src, tgt


@dataclass
class TmxReview:
    """A measured translation memory: per-unit numbers from pass 1 and the document's calibration."""

    path: Path
    src_lang: str
    tgt_lang: str
    units: int
    signals: np.ndarray
    calibration: Calibration
    config: ReviewConfig
    allow_dtd: bool = False
    severity: np.ndarray = field(init=False)
    score: np.ndarray = field(init=False)
    flags: np.ndarray = field(init=False)
    judged_all: bool = field(default=False, init=False)

    def __post_init__(self):
        self.severity = np.zeros(self.units, dtype=np.int8)
        self.score = np.zeros(self.units, dtype=np.float32)
        self.flags = np.zeros(self.units, dtype=np.int32)

    def _pairs(self) -> Iterator[tuple[int, TranslationUnit, str, str]]:
        for index, unit in enumerate(read_tmx(self.path, self.allow_dtd)):
            if index >= self.units:
                break
            yield index, unit, pick(unit.variants, self.src_lang), pick(unit.variants, self.tgt_lang)

    def judged(self) -> Iterator[tuple[str, str, BeadReview]]:
        """Pass 2: (source, target, review) per unit, in file order."""
        with progress(self.units, "reviewing", "unit") as bar:
            for index, unit, src, tgt in self._pairs():
                codes = (pick(unit.codes, self.src_lang, ()), pick(unit.codes, self.tgt_lang, ()))
                review = judge(index, src, tgt, self.signals[index], self.calibration, self.config, codes=codes)
                self.severity[index] = RANK[review.severity]
                self.score[index] = review.score
                self.flags[index] = sum(_BIT.get(name, 0) for name in {f.name for f in review.flags})
                bar.update(1)
                yield src, tgt, review
        self.judged_all = True

    def annotated_units(self, reject_at: str | None = None) -> Iterator[TranslationUnit]:
        """The units' text as read, with ``x-flags``, ``x-score`` and ``x-severity`` props; without rejected
        ones when ``reject_at`` is a severity (what a project imports; ``write_annotated`` writes the file)."""
        self._judge_all()
        for index, unit, _, _ in self._pairs():
            if reject_at is None or self.severity[index] < RANK[reject_at]:
                yield TranslationUnit(unit.variants, annotate(unit.props, *self._verdict(index)), unit.notes,
                                      unit.codes)

    def write_annotated(self, stream, reject_at: str | None = None) -> list[str]:
        """The memory itself, copied unit by unit with the review's props set (``formats.tmx.rewrite_tmx``):
        header, attributes, notes, props and inline codes stay as they were; rejected units are left out
        when ``reject_at`` is a severity. Returns warnings (none)."""
        self._judge_all()

        def props(index: int) -> dict[str, str] | None:
            if index >= self.units or (reject_at is not None and self.severity[index] >= RANK[reject_at]):
                return None
            return review_props(*self._verdict(index))

        rewrite_tmx(self.path, stream, props, self.allow_dtd, renamed=KEPT_AS)
        return []

    def _judge_all(self) -> None:
        if not self.judged_all:
            for _ in self.judged():
                pass

    def _verdict(self, index: int) -> tuple[str, float, str]:
        names = ";".join(name for name in FLAG_NAMES if self.flags[index] & _BIT[name])
        return names, float(self.score[index]), SEVERITIES[self.severity[index]]


# A unit's props the review's own replace, kept under another name: an alignment's score.
KEPT_AS = {"x-score": "x-align-score"}


def review_props(flags: str, score: float, severity: str) -> dict[str, str]:
    """The props a review sets on a unit, as written in CSV too."""
    return {"x-flags": flags, "x-score": f"{score:.4f}", "x-severity": severity}


def annotate(props: dict[str, str], flags: str, score: float, severity: str) -> dict[str, str]:
    """A unit's props plus the review's; an alignment score already there is kept as ``x-align-score``."""
    out = {KEPT_AS.get(kind, kind): value for kind, value in props.items()}
    out.update(review_props(flags, score, severity))
    return out


def measure_tmx(path: str | os.PathLike, encoder, config: ReviewConfig = ReviewConfig(),
                src_lang: str | None = None, tgt_lang: str | None = None, allow_dtd: bool = False) -> TmxReview:
    """Pass 1 over a TMX file: check it, find its languages, measure every unit, calibrate.

    ``allow_dtd`` reads a file whose DOCTYPE is not TMX's own, without loading it (see ``read_tmx``).
    """
    path = Path(path)
    if not path.is_file():
        raise AlignError(f"{path}: no such file")
    total = scan_units(path)
    src, tgt = tmx_languages(path, src_lang, tgt_lang, allow_dtd)
    log.info("%s: %d units, reviewing %s→%s", path.name, total, src, tgt)
    measurer = Measurer(src, tgt, encoder, config)
    chunk: list[tuple[str, str]] = []
    count = 0
    with progress(total, "measuring", "unit") as bar:
        for unit in read_tmx(path, allow_dtd):
            chunk.append((pick(unit.variants, src), pick(unit.variants, tgt)))
            if len(chunk) >= config.chunk:
                measurer.add(chunk)
                bar.update(len(chunk))
                count, chunk = count + len(chunk), []
        if chunk:
            measurer.add(chunk)
            count += len(chunk)
    if count == 0:
        raise AlignError(f"{path.name}: no translation units to review")
    signals = measurer.finish()
    calibration = calibrate(signals, src, tgt, config, getattr(encoder, "name", ""), measurer.lexicon)
    return TmxReview(path, src, tgt, count, signals, calibration, config, allow_dtd)
