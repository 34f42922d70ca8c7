"""Bitext mining inside one mixed-language document.

A page often carries an original and its translation side by side: an
English headline above its Japanese rendering, a Russian lead quoted before
the Japanese article that translates it. This stage finds those parallel
passages and aligns them sentence by sentence:

1. lines that look like boilerplate (credits, bylines, share buttons) and
   repeated paragraphs are set aside and reported, not mined;
2. the remaining sentences are grouped into paragraphs (a blank line, or a
   line that holds a whole paragraph) and language runs;
3. every sentence is embedded once and cross-language candidates are scored
   with the ratio margin of LASER/WikiMatrix (cosine relative to the
   k nearest neighbours of both sentences in the other language);
4. mutual-best links, over the whole document or between two runs that
   follow each other, that lie close together become candidate passage
   pairs, scored by their margins, their coverage, how well their lengths
   fit, and, on a page whose sure pairs stand side by side, whether the two
   passages do; they are kept greedily by score so that a passage
   translates at most one passage per other language, and two passages
   kept as translations of a third are paired too;
5. each passage pair is aligned with ``align_documents``, cut to its first
   and last pair, and its confident beads are reported as sentence pairs;
   sentences outside every pair of passages are reported as without
   counterpart.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import combinations, product
from typing import Sequence

import numpy as np

from align.embed import Encoder
from align.lang import UNDETERMINED, chars_per_english_char, lang_name
from align.mining.margins import MarginTable, SegmentMargins, neighbourhood
from align.pairing.pipeline import align_documents
from align.pairing.search import MAX_WINDOW
from align.pairing.unrelated import stranger_sentences
from align.text.boilerplate import duplicate_key, is_boilerplate, is_prose
from align.text.langtag import detect_language
from align.text.segment import paragraph_starts
from align.types import Alignment, Bead, Document


@dataclass(frozen=True)
class MiningConfig:
    """Thresholds, calibrated on the seeds and on ``bench/mining.py``."""

    k: int = 4                    # neighbours in the ratio margin
    link_margin: float = 1.01     # a mutual-best link must beat its neighbourhood by this ratio
    neighbour_link_margin: float = 1.0  # the same between two runs that follow each other
    max_skip: int = 2             # sentences a passage may leave out between two links
    margin_centre: float = 1.035  # the mean link margin at which a passage pair is a coin toss
    margin_scale: float = 0.01
    margin_per_link: float = 0.005
    adjacent_margin: float = 0.05  # added to pairs of passages that follow each other, on a page that does so
    facing_share: float = 0.9     # of the sure pairs on such a page, those that do
    length_slack: float = 0.5     # |log| of length over expected length that passes unpenalised
    length_scale: float = 0.5
    min_passage_score: float = 0.5
    min_pair_score: float = 0.4   # beads below this are not reported as pairs
    gap_margin: float = 1.0       # sentences left out on both sides of a gap pair at this margin


@dataclass(frozen=True)
class Passage:
    """Consecutive sentences of one language; ``segments`` index the document."""

    lang: str
    first_line: int
    last_line: int
    segments: tuple[int, ...]

    @property
    def lines(self) -> str:
        return f"{self.first_line}" if self.first_line == self.last_line else f"{self.first_line}-{self.last_line}"


@dataclass(frozen=True)
class SentencePair:
    """One bead of a parallel passage; ``line_a``/``line_b`` are its first lines.

    A bead may join several sentences on a side, so ``lines_a``/``lines_b``
    list every document line it covers, for readers who want the whole
    span, and ``segments_a``/``segments_b`` every document segment: a line
    may hold a whole paragraph.
    """

    lang_a: str
    text_a: str
    lang_b: str
    text_b: str
    score: float
    line_a: int
    line_b: int
    lines_a: tuple[int, ...] = ()
    lines_b: tuple[int, ...] = ()
    segments_a: tuple[int, ...] = ()
    segments_b: tuple[int, ...] = ()


@dataclass
class ParallelPassage:
    """Two passages that translate each other, and the beads between them.

    ``alignment`` links two sub-documents made of the passages' segments;
    ``score`` is the passage-level confidence in [0, 1].
    """

    a: Passage
    b: Passage
    score: float
    alignment: Alignment | None = None
    pairs: list[SentencePair] = field(default_factory=list)

    def oriented(self, source_lang: str | None = None) -> Alignment | None:
        """The alignment with the original as its source.

        The miner pairs passages in the order it found them. ``source_lang``, when
        one of the two languages, names the original; when None, the passage that
        comes first in the file is taken as it (a page quotes an original, then
        translates it). A pair in two other languages stays as found.
        """
        if self.alignment is None:
            return None
        if source_lang is None:
            flip = self.b.first_line < self.a.first_line
        else:
            flip = self.b.lang == source_lang and self.a.lang != source_lang
        return self.alignment.reversed() if flip else self.alignment


@dataclass
class MiningReport:
    document: Document
    inventory: dict[str, dict[str, int]]
    parallels: list[ParallelPassage]
    pairs: list[SentencePair]
    duplicates: list[list[int]]
    unmatched: list[Passage]
    boilerplate: list[int]
    monolingual: bool
    message: str = ""

    def to_frame(self):
        import pandas as pd

        columns = ["lang_a", "text_a", "lang_b", "text_b", "score", "line_a", "line_b"]
        return pd.DataFrame([[getattr(p, c) for c in columns] for p in self.pairs], columns=columns)


# --- Paragraphs and runs ----------------------------------------------------------

@dataclass
class _Layout:
    """Mined segments grouped into paragraphs, and paragraphs into language runs."""

    doc: Document
    mined: list[int]                    # document segment indices, in order
    paragraph: list[int]                # per mined position
    run: list[int]                      # per mined position
    paragraphs: list[list[int]]         # mined positions per paragraph
    position: dict[int, int]            # mined position per document segment index

    @classmethod
    def build(cls, doc: Document, mined: list[int]) -> "_Layout":
        """A blank line, a change of language or a line of several sentences starts a paragraph.

        Consecutive lines of one sentence each are a paragraph written one
        sentence a line; a line that holds several sentences is a paragraph
        written as one line, and its neighbours are other paragraphs.
        """
        opens = paragraph_starts(doc.text, doc.segments)
        paragraph, run, paragraphs = [], [], []
        for pos, index in enumerate(mined):
            seg = doc.segments[index]
            if pos:
                prev = doc.segments[mined[pos - 1]]
                same_lang = prev.lang == seg.lang
                opened = any(opens[mined[pos - 1] + 1:index + 1])
                if not same_lang or opened or seg.line - prev.line > 1 + doc.text.count("\n", prev.start, prev.end):
                    paragraphs.append([])
                if not same_lang:
                    run.append(run[-1] + 1)
                else:
                    run.append(run[-1])
            else:
                paragraphs.append([])
                run.append(0)
            paragraphs[-1].append(pos)
            paragraph.append(len(paragraphs) - 1)
        return cls(doc, mined, paragraph, run, paragraphs, {index: pos for pos, index in enumerate(mined)})

    def facing(self, a: Passage, b: Passage) -> bool:
        """Whether nothing in either language, and at most one paragraph in another, stands between."""
        first, second = sorted((a, b), key=lambda p: self.position[p.segments[0]])
        between = range(self.position[first.segments[-1]] + 1, self.position[second.segments[0]])
        return not between or (self.paragraph[between[0]] == self.paragraph[between[-1]] and
                                self.doc.segments[self.mined[between[0]]].lang not in (a.lang, b.lang))

    def passage(self, first_para: int, last_para: int) -> Passage:
        return _passage(self.doc, [self.mined[p] for para in self.paragraphs[first_para:last_para + 1] for p in para])


def _passage(doc: Document, segments: Sequence[int]) -> Passage:
    lines = [doc.segments[i].line for i in segments]
    return Passage(doc.segments[segments[0]].lang, min(lines), max(lines), tuple(segments))


# --- Scoring ---------------------------------------------------------------------

def _margin_confidence(margin: float, config: MiningConfig) -> float:
    return float(1 / (1 + np.exp(-(margin - config.margin_centre) / config.margin_scale)))


def _neighbour_runs(layout: _Layout, pos_a: list[int], pos_b: list[int]) -> list[tuple[list[int], list[int]]]:
    """Runs of the two languages that follow each other, or have one paragraph of a third between them.

    A paragraph followed by its translation is the commonest layout of a
    bilingual page; a second translation may stand between them. Returns
    the runs' indices into ``pos_a`` and ``pos_b``.
    """
    runs: dict[int, tuple[int, list[int]]] = {}
    for side, positions in enumerate((pos_a, pos_b)):
        for k, pos in enumerate(positions):
            runs.setdefault(layout.run[pos], (side, []))[1].append(k)
    paragraphs_in_run = Counter(layout.run[para[0]] for para in layout.paragraphs)
    order = sorted(runs)
    return [(runs[r][1], runs[q][1]) if runs[r][0] == 0 else (runs[q][1], runs[r][1])
            for r, q in zip(order, order[1:])
            if runs[r][0] != runs[q][0] and (q - r == 1 or q - r == 2 and paragraphs_in_run[r + 1] == 1)]


@dataclass(frozen=True)
class _Candidate:
    """Two passages joined by a group of links, and what speaks for them."""

    a: Passage
    b: Passage
    coverage: float     # links per sentence of the shorter passage, at most 1
    support: float      # the links' mean margin, raised for each further link
    facing: bool        # the passages follow each other (see ``_Layout.facing``)
    length: float       # log of b's length over the length a translation of a would have

    def score(self, adjacency: float, config: MiningConfig) -> float:
        """Coverage times margin confidence, less when the lengths do not fit.

        A translation is about as long as its original (Gale and Church);
        a headline that shares a name with the paragraph next to it is not
        that paragraph's translation.
        """
        misfit = max(abs(self.length) - config.length_slack, 0.0) / config.length_scale
        return self.coverage * _margin_confidence(self.support + adjacency * self.facing, config) * \
            float(np.exp(-misfit * misfit / 2))


def _candidate_pairs(layout: _Layout, pos_a: list[int], pos_b: list[int], links,
                     config: MiningConfig) -> list[_Candidate]:
    """Links that follow each other in both languages, grouped into passage pairs.

    Two links belong to one passage pair when both sides stay in their
    language run and move forward by at most ``max_skip + 1`` sentences: a
    translation may leave a sentence or two out, but it does not jump. A
    stray link (a sentence whose best match lies elsewhere) may fall between
    two links of a passage pair; it starts a group of its own rather than
    cutting the pair in two, so every open group is a place to continue.
    """
    def follows(last: tuple[int, int, float], i: int, j: int) -> bool:
        pi, pj, _ = last
        return (layout.run[pos_a[i]] == layout.run[pos_a[pi]] and layout.run[pos_b[j]] == layout.run[pos_b[pj]]
                and 0 <= j - pj and max(i - pi, j - pj) <= config.max_skip + 1)

    groups: list[list[tuple[int, int, float]]] = []
    for i, j, m in sorted(links):
        open_groups = [g for g in groups if follows(g[-1], i, j)]
        if open_groups:
            min(open_groups, key=lambda g: i - g[-1][0] + j - g[-1][1]).append((i, j, m))
        else:
            groups.append([(i, j, m)])
    out = []
    for group in groups:
        pa = [layout.paragraph[pos_a[i]] for i, _, _ in group]
        pb = [layout.paragraph[pos_b[j]] for _, j, _ in group]
        a, b = layout.passage(min(pa), max(pa)), layout.passage(min(pb), max(pb))
        coverage = min(len(group) / min(len(a.segments), len(b.segments)), 1.0)
        mean_margin = float(np.mean([m for _, _, m in group]))
        # Each further link in a row is evidence of its own: a run of modest
        # margins is as convincing as a single strong one.
        support = mean_margin + config.margin_per_link * (len(group) - 1)
        length = np.log(_chars(layout.doc, b) / _chars(layout.doc, a) * chars_per_english_char(a.lang)
                        / chars_per_english_char(b.lang))
        out.append(_Candidate(a, b, coverage, support, layout.facing(a, b), float(length)))
    return out


def _chars(doc: Document, passage: Passage) -> int:
    return max(sum(len(doc.segments[i].scoring_text) for i in passage.segments), 1)


def _adjacency(candidates: list[_Candidate], chance: float, config: MiningConfig) -> float:
    """How much following each other speaks for a passage pair in this document.

    On a page that puts each paragraph next to its translation, most pairs
    sure on their links alone face each other (``facing_share``); on a page
    that quotes its translations anywhere, they do as often as two runs of
    their languages are neighbours (``chance``). The bonus is scaled by how
    likely the first kind of page is, given the sure pairs (even odds
    before them). Where runs are neighbours as often as on such a page
    (two runs in all), facing says nothing and the odds stay even.
    """
    q, odds = config.facing_share, 1.0
    chance = min(chance, q)
    for candidate in candidates:
        if candidate.score(0.0, config) >= config.min_passage_score:
            odds *= q / chance if candidate.facing else (1 - q) / (1 - chance)
    return config.adjacent_margin * odds / (1 + odds)


# --- The stage -------------------------------------------------------------------

def mine_document(doc: Document, encoder: Encoder, config: MiningConfig = MiningConfig()) -> MiningReport:
    """Find the passages of ``doc`` that translate each other, and align them."""
    lines = doc.text.split("\n")
    used_lines = sorted({s.line for s in doc.segments})
    keys = {n: duplicate_key(lines[n - 1]) for n in used_lines}
    counts: dict[str, list[int]] = {}
    for n in used_lines:
        counts.setdefault(keys[n], []).append(n)
    boilerplate = [n for n in used_lines if is_boilerplate(lines[n - 1], len(counts[keys[n]]))]
    duplicates = [group for group in counts.values()
                  if len(group) > 1 and keys[group[0]] and group[0] not in boilerplate]
    excluded = set(boilerplate) | {n for group in duplicates for n in group[1:]}

    inventory: dict[str, dict[str, int]] = {}
    for seg in doc.segments:
        entry = inventory.setdefault(seg.lang, {"sentences": 0, "characters": 0})
        entry["sentences"] += 1
        entry["characters"] += len(seg.text)

    mined = [i for i, s in enumerate(doc.segments)
             if s.line not in excluded and s.lang != UNDETERMINED and is_prose(s.text)]
    doc = _fold_stray_tags(doc, mined)
    layout = _Layout.build(doc, mined)
    langs = sorted({doc.segments[i].lang for i in mined}, key=lambda l: -sum(
        len(doc.segments[i].text) for i in mined if doc.segments[i].lang == l))
    report = MiningReport(doc, inventory, [], [], duplicates, [], boilerplate, len(langs) < 2)
    if len(langs) < 2:
        name = lang_name(langs[0]) if langs else "no text"
        report.message = f"only {name} found: no parallel passages"
        return report

    vectors = encoder.encode([doc.segments[i].scoring_text for i in mined])
    by_lang = {lang: [p for p, i in enumerate(mined) if doc.segments[i].lang == lang] for lang in langs}
    # A language of fewer than k sentences leaves the others too few neighbours: unrelated sentences stand in.
    strangers = (encoder.encode(stranger_sentences(langs)) if min(map(len, by_lang.values()), default=0) < config.k
                 else None)
    candidates, margins, run_pairs, neighbour_pairs = [], SegmentMargins(), 0, 0
    for la, lb in combinations(langs, 2):
        pos_a, pos_b = by_lang[la], by_lang[lb]
        third = [vectors[by_lang[lc]] for lc in langs if lc not in (la, lb)]
        a, b = vectors[pos_a], vectors[pos_b]
        table = MarginTable(a, b, neighbourhood(a, b, third, config.k, strangers),
                            neighbourhood(b, a, third, config.k, strangers))
        margins.add([mined[p] for p in pos_a], [mined[p] for p in pos_b], table)
        neighbours = _neighbour_runs(layout, pos_a, pos_b)
        run_pairs += len({layout.run[p] for p in pos_a}) * len({layout.run[p] for p in pos_b})
        neighbour_pairs += len(neighbours)
        # Best among two neighbouring runs is a link too: a sentence near its
        # translation may have a look-alike elsewhere on the page.
        links = {(i, j): m for i, j, m in table.mutual_links(config.link_margin)}
        for rows, cols in neighbours:
            links.update({(i, j): m for i, j, m in table.mutual_links(config.neighbour_link_margin, rows, cols)})
        candidates += _candidate_pairs(layout, pos_a, pos_b, [(i, j, m) for (i, j), m in links.items()], config)

    taken: dict[tuple[str, str], set[int]] = {}
    adjacency = _adjacency(candidates, neighbour_pairs / run_pairs, config)
    chosen = _chosen([(c.score(adjacency, config), c.a, c.b) for c in candidates], config.min_passage_score, taken)
    chosen += _chosen(_through_third(chosen, langs), config.min_passage_score, taken)
    report.parallels = [p for score, a, b in chosen if (p := _aligned(doc, a, b, score, encoder, margins, config))]
    report.parallels.sort(key=lambda p: (p.a.first_line, p.b.first_line))
    report.pairs = [pair for p in report.parallels for pair in p.pairs]
    report.unmatched = _unmatched(layout, report.parallels)
    if not report.parallels:
        names = ", ".join(lang_name(l) for l in langs)
        report.message = f"{names} found, but no passage translates another"
    return report


def _chosen(candidates: list[tuple[float, Passage, Passage]], min_score: float,
            taken: dict[tuple[str, str], set[int]]) -> list[tuple[float, Passage, Passage]]:
    """The best candidates first, each kept unless a kept one already pairs one of its sentences
    with the other language: a passage translates at most one passage per language."""
    out = []
    for score, a, b in sorted(candidates, key=lambda c: -c[0]):
        if score < min_score:
            break
        side_a, side_b = taken.setdefault((a.lang, b.lang), set()), taken.setdefault((b.lang, a.lang), set())
        if side_a & set(a.segments) or side_b & set(b.segments):
            continue
        side_a.update(a.segments)
        side_b.update(b.segments)
        out.append((score, a, b))
    return out


def _through_third(chosen: list[tuple[float, Passage, Passage]],
                   langs: list[str]) -> list[tuple[float, Passage, Passage]]:
    """Two passages that translate the same passage translate each other.

    Two translations of one original are further apart than each is from
    the original (each translator chose words of their own), so their own
    links are often too weak; the original vouches for them, as much as
    the weaker of the two pairs does.
    """
    out = []
    for (score_1, *pair_1), (score_2, *pair_2) in combinations(chosen, 2):
        for (x, u), (y, v) in product((pair_1, pair_1[::-1]), (pair_2, pair_2[::-1])):
            if x.lang == y.lang and u.lang != v.lang and set(x.segments) & set(y.segments):
                a, b = sorted((u, v), key=lambda p: langs.index(p.lang))
                out.append((min(score_1, score_2), a, b))
    return out


_SCRIPTS = (("cyrillic", re.compile(r"[\u0400-\u04ff]")), ("cjk", re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")),
            ("latin", re.compile(r"[A-Za-z\u00c0-\u024f]")))


def _script(text: str) -> str:
    counts = {name: len(rx.findall(text)) for name, rx in _SCRIPTS}
    return max(counts, key=counts.__getitem__) if any(counts.values()) else ""


def _fold_stray_tags(doc: Document, mined: list[int], few: int = 2) -> Document:
    """Retag a language that holds only a sentence or two written in the
    script of a larger language present (an English line tagged Danish):
    a tagging slip, not a translation, and it would pair with its neighbours.
    """
    sizes: dict[str, int] = {}
    scripts: dict[str, dict[str, int]] = {}
    for i in mined:
        seg = doc.segments[i]
        sizes[seg.lang] = sizes.get(seg.lang, 0) + 1
        by_script = scripts.setdefault(seg.lang, {})
        by_script[_script(seg.text)] = by_script.get(_script(seg.text), 0) + 1
    main_script = {lang: max(s, key=s.__getitem__) for lang, s in scripts.items()}
    retag = {}
    for lang, size in sizes.items():
        bigger = [other for other in sizes if sizes[other] > max(size, few) and
                  main_script[other] == main_script[lang]]
        if size <= few and bigger:
            larger = max(bigger, key=sizes.__getitem__)
            # A slip reads as the larger language once that is what is expected; a paragraph that still reads as
            # its own (the German translation of an English lead) is a translation, and stays: renamed, it was lost.
            own = [i for i in mined if doc.segments[i].lang == lang]
            if 2 * sum(detect_language(doc.segments[i].text, larger) == lang for i in own) <= len(own):
                retag[lang] = larger
    if not retag:
        return doc
    kept = set(mined)
    segments = [replace(s, lang=retag[s.lang]) if i in kept and s.lang in retag else s
                for i, s in enumerate(doc.segments)]
    return Document(doc.name, doc.text, segments, doc.encoding)


def _aligned(doc: Document, a: Passage, b: Passage, score: float, encoder: Encoder,
             margins: SegmentMargins, config: MiningConfig) -> ParallelPassage | None:
    """Align two passages; keep the beads that are links, not guesses.

    The aligner's confidence is calibrated on whole documents and runs low
    on passages of a few sentences, so a bead also counts as confident when
    its sentences stand out from their neighbourhood (the ratio margin).
    Sentences left out before the first pair or after the last do not
    belong to the parallel passage (a paragraph without counterpart on the
    next line); with none paired, there is no parallel passage.
    """
    alignment = align_documents(_sub_document(doc, a), _sub_document(doc, b), encoder)
    margin = lambda src, tgt: margins.best([a.segments[i] for i in src], [b.segments[j] for j in tgt])  # noqa: E731
    all_beads = _paired_gaps(alignment.beads, margin, config.gap_margin, lambda m: _margin_confidence(m, config))
    paired = [k for k, bead in enumerate(all_beads) if bead.src and bead.tgt]
    if not paired:
        return None
    beads = [all_beads[k] for k in paired]
    confidences = [max(float(bead.score), _margin_confidence(margin(bead.src, bead.tgt), config))
                   for bead in beads]
    # When the passages' first (last) sentences pair up, that bead has
    # nowhere else to go either: the passage score stands beside it.
    ends = (score if paired[0] == 0 else 0.0, score if paired[-1] == len(all_beads) - 1 else 0.0)
    kept = all_beads[paired[0]:paired[-1] + 1]
    first_a, first_b = min(i for bead in kept for i in bead.src), min(j for bead in kept for j in bead.tgt)
    a = _passage(doc, [a.segments[i] for bead in kept for i in bead.src])
    b = _passage(doc, [b.segments[j] for bead in kept for j in bead.tgt])
    alignment = Alignment(_sub_document(doc, a), _sub_document(doc, b),
                          [replace(bead, src=tuple(i - first_a for i in bead.src),
                                   tgt=tuple(j - first_b for j in bead.tgt)) for bead in kept], alignment.model)
    pairs = []
    for bead, confidence in zip(beads, _flanked(confidences, ends, config.min_pair_score)):
        if confidence >= config.min_pair_score:
            bead = replace(bead, src=tuple(i - first_a for i in bead.src), tgt=tuple(j - first_b for j in bead.tgt))
            text_a, text_b = alignment.texts(bead)
            segments_a = tuple(a.segments[i] for i in bead.src)
            segments_b = tuple(b.segments[j] for j in bead.tgt)
            lines_a = tuple(sorted({doc.segments[i].line for i in segments_a}))
            lines_b = tuple(sorted({doc.segments[j].line for j in segments_b}))
            pairs.append(SentencePair(a.lang, text_a, b.lang, text_b, round(confidence, 4),
                                      lines_a[0], lines_b[0], lines_a, lines_b, segments_a, segments_b))
    return ParallelPassage(a, b, round(score, 4), alignment, pairs)


def _sub_document(doc: Document, passage: Passage) -> Document:
    return Document(f"{doc.name}:{passage.lines}", doc.text, [doc.segments[i] for i in passage.segments],
                    doc.encoding)


def _paired_gaps(beads: list[Bead], margin, floor: float, confidence) -> list[Bead]:
    """Pair the sentences the aligner left out on both sides of the same gap.

    Inside a passage pair, a gap with left-out sentences on both sides is
    most often a translation the aligner found too loose to pair (on a
    passage of a sentence or two its own statistics are thin); they have
    nowhere else to go. As many on one side as on the other are paired in
    order, one sentence against a few (a sentence split in two on one side)
    becomes one bead, when each pair is at least as close as its
    neighbourhood (ratio margin ``floor``); the gap is left as it was
    otherwise. A bead made so has ``confidence(margin)`` as its probability.
    """
    out: list[Bead] = []
    gap: list[Bead] = []
    for bead in [*beads, None]:
        if bead is not None and not (bead.src and bead.tgt):
            gap.append(bead)
            continue
        src = tuple(i for g in gap for i in g.src)
        tgt = tuple(j for g in gap for j in g.tgt)
        if len(src) == len(tgt):
            pairs = [((i,), (j,)) for i, j in zip(src, tgt)]
        else:
            pairs = [(src, tgt)] if src and tgt and min(len(src), len(tgt)) == 1 and \
                max(len(src), len(tgt)) <= MAX_WINDOW else []
        if pairs and all(margin(s, t) >= floor for s, t in pairs):
            gap = [Bead(s, t, confidence(margin(s, t))) for s, t in pairs]
        out += gap + ([bead] if bead is not None else [])
        gap = []
    return out


def _flanked(confidences: list[float], ends: tuple[float, float], threshold: float) -> list[float]:
    """Raise a weak bead that lies between two confident ones to the weaker of them.

    The alignment is monotone: when the beads before and after a pair are
    right, the sentences between them have nowhere else to go, so a pair
    there is as sure as its neighbours even when its own similarity is low
    (a free translation, a sentence with a number or a name only). ``ends``
    stand for confident beads before the first and after the last one.
    """
    padded = [ends[0], *confidences, ends[1]]
    sure = [n for n, c in enumerate(padded) if c >= threshold]
    for before, after in zip(sure, sure[1:]):
        for n in range(before + 1, after):
            padded[n] = max(padded[n], min(padded[before], padded[after]))
    return padded[1:-1]


def _unmatched(layout: _Layout, parallels: Sequence[ParallelPassage]) -> list[Passage]:
    """Runs of sentences of one language that no parallel passage holds."""
    linked = {i for p in parallels for pair in (p.a, p.b) for i in pair.segments}
    runs: list[list[int]] = []
    for pos, index in enumerate(layout.mined):
        if index in linked:
            continue
        if runs and runs[-1][-1] == pos - 1 and layout.run[pos - 1] == layout.run[pos]:
            runs[-1].append(pos)
        else:
            runs.append([pos])
    return [_passage(layout.doc, [layout.mined[p] for p in run]) for run in runs]


# --- Presentation ----------------------------------------------------------------
