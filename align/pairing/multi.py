"""Joint alignment of three or more versions of one text.

Every pair of versions is aligned on its own (``align_documents``), then the
pairwise beads are merged into common rows: a union-find over sentences
(nodes are ``(version, sentence)``) takes the beads one at a time, the best
supported first, and refuses a bead that would make a row overlap or cross
another row, or grow too large. A merged bead is first cut where a third
version keeps its sentences in separate rows. A bead is supported when a
third version links its two sides to exactly the same sentences, and contradicted when it
does not; supported beads go first, and a contradicted bead may only attach
sentences that nothing else placed, never join two rows. Confidence orders
beads of equal support.
The rows are then read off in document order, which is the same for every
version because no accepted row crosses another.

Every sentence of every version ends up in exactly one row, and a version
that omits something has an empty cell in that row. Pairwise beads the rows
overrule are reported in ``MultiAlignment.conflicts``.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from align import lang
from align.embed import Encoder
from align.errors import AlignError
from align.formats.beads import format_bead, format_cells
from align.formats.tabular import TEXT_COLUMNS, write_frame
from align.formats.tmx import left_out_warnings, version_units, write_tmx
from align.lang import joiner
from align.pairing.multi_rows import Rows
from align.pairing.pipeline import align_documents
from align.pairing.search import AlignerConfig
from align.types import Alignment, Bead, Document

log = logging.getLogger(__name__)

# Most sentences of one version a row may hold; the pairwise beads hold at most four.
MAX_CELL = 6

# A third version cuts a merged bead only with links at least this part as sure as the bead:
# two links, one on each side, against one bead.
CUT_EVIDENCE = 0.5

@dataclass(frozen=True)
class Row:
    """Sentences of every version that translate each other.

    ``cells[v]`` holds the 0-based sentence indices of version ``v``, empty
    where that version has nothing here. ``score`` is a confidence in [0, 1];
    ``conflict`` is set when a pairwise alignment disagreed with the row, and
    ``note`` says how. ``status`` and ``remark`` are a reviewer's decision and note, for a row read
    from a project (None and "" from the aligner); TMX carries them as ``x-status`` and ``<note>``, tables
    as ``status`` and ``note`` columns. ``number`` is the row's number in its set (from 1), where only some
    of its rows are written.
    """

    cells: tuple[tuple[int, ...], ...]
    score: float = 0.0
    conflict: bool = False
    note: str = ""
    status: str | None = None
    remark: str = ""
    number: int | None = None

    def versions(self) -> list[int]:
        """The versions with text in this row."""
        return [v for v, cell in enumerate(self.cells) if cell]


def version_labels(docs: Sequence[Document]) -> list[str]:
    """One name per version, its language; a repeated language gets ``_2``, ``_3``…"""
    return lang.version_labels(doc.lang for doc in docs)


@dataclass
class MultiAlignment:
    """Rows that link all versions at once, in document order for every version."""

    docs: list[Document]
    rows: list[Row]
    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pairwise: dict[tuple[int, int], Alignment] = field(default_factory=dict)
    model: str = ""

    @property
    def labels(self) -> list[str]:
        return version_labels(self.docs)

    def texts(self, row: Row) -> list[str]:
        """The joined text of each cell, empty where the version has nothing."""
        return [joiner(doc.lang).join(doc.segments[i].text for i in cell) for doc, cell in zip(self.docs, row.cells)]

    def pair_beads(self, a: int, b: int) -> list[Bead]:
        """The rows seen from versions ``a`` and ``b`` alone, as beads (rows empty in both are left out)."""
        return [Bead(row.cells[a], row.cells[b], row.score) for row in self.rows if row.cells[a] or row.cells[b]]

    def to_frame(self):
        """One row per row: ``row`` (from 1, as the workbench counts), one text column per version (named by
        ``labels``), ``ids``, ``score``, ``conflict``; rows from a project also carry their ``status`` and
        ``note``, so a reviewer's decisions leave the project with the text, as a pair's do."""
        import pandas as pd

        labels = self.labels
        records = []
        for number, row in enumerate(self.rows, 1):
            record = {"row": row.number or number, **dict(zip(labels, self.texts(row)))}
            record.update(ids=format_cells(row.cells), score=round(row.score, 4), conflict=row.conflict,
                          status=row.status, note=row.remark)
            records.append(record)
        reviewed = any(row.status is not None for row in self.rows)
        return pd.DataFrame(records, columns=["row", *labels, "ids", "score", "conflict",
                                              *(Alignment.REVIEW_COLUMNS if reviewed else ())])

    def write(self, fmt: str, stream: BinaryIO) -> list[str]:
        """The rows as ``fmt`` to a binary stream; returns the writer's warnings.

        ``beads``: one row per line, each version's indices joined by ``:``;
        ``tsv``/``csv``/``jsonl``: ``to_frame``, a column per version; ``tmx``: one
        ``tu`` per row with a ``tuv`` per version with text (``version_units``).
        """
        if fmt == "beads":
            stream.write("".join(format_cells(row.cells) + "\n" for row in self.rows).encode("utf-8"))
            return []
        if fmt == "tmx":
            srclang = self.docs[0].lang if self.docs else "*all*"
            return [str(r) for r in write_tmx(version_units(self), stream, srclang=srclang)] + \
                left_out_warnings({}, False, self.rows)
        if fmt in ("tsv", "csv", "jsonl"):
            return write_frame(self.to_frame(), fmt, stream, TEXT_COLUMNS | set(self.labels))
        raise AlignError(f"versions cannot be written as {fmt!r}; choose beads, tsv, csv, jsonl or tmx")


def align_versions(docs: Sequence[Document], encoder: Encoder,
                   config: AlignerConfig = AlignerConfig()) -> MultiAlignment:
    """Align every pair of versions, then merge the pairwise beads into common rows.

    Each pair is aligned as ``align pair`` would, length prior included: a version that is an excerpt of
    another gets its length ratio from the lines that translate each other (``search.document_log_ratio``),
    not from the totals, so the prior stays evidence there too.
    """
    docs = list(docs)
    if len(docs) < 2:
        raise ValueError(f"need at least two versions to align, got {len(docs)}")
    warnings = same_language_warnings(docs)
    for message in warnings:
        log.warning(message)
    pairwise = {(a, b): align_documents(docs[a], docs[b], encoder, config)
                for a, b in itertools.combinations(range(len(docs)), 2)}
    rows, conflicts = rows_from_beads([len(d) for d in docs],
                                      {pair: al.beads for pair, al in pairwise.items()}, version_labels(docs))
    return MultiAlignment(docs, rows, conflicts, warnings, pairwise, model=getattr(encoder, "name", ""))


def same_language_warnings(docs: Sequence[Document]) -> list[str]:
    by_lang: dict[str, list[str]] = {}
    for doc in docs:
        by_lang.setdefault(doc.lang, []).append(doc.name)
    return [f"{len(names)} versions are in the same language ({lang}): {', '.join(names)}; "
            "they are aligned like translations, and their columns are named "
            f"{lang}, {lang}_2…" for lang, names in by_lang.items() if len(names) > 1]


def rows_from_beads(sizes: Sequence[int], beads: dict[tuple[int, int], Sequence[Bead]],
                    labels: Sequence[str] | None = None, max_cell: int = MAX_CELL) -> tuple[list[Row], list[str]]:
    """Common rows from the beads of every pair of versions ``(a, b)``, ``a < b``.

    Pure: no documents or encoder, so the merging can be tested on hand-made beads.
    Returns the rows and the human-readable reports of overruled beads.
    """
    labels = list(labels or [str(v) for v in range(len(sizes))])
    rows = Rows(sizes, max_cell, labels)
    links = _Links(sizes, beads)
    conflicts: list[str] = []
    parts = []
    for (a, b), pair_beads in beads.items():
        for bead in (bead for bead in pair_beads if bead.src and bead.tgt):
            cut = links.split(a, b, bead)
            if [(part.src, part.tgt) for part in cut] != [(bead.src, bead.tgt)]:  # not its score or similarity
                conflicts.append(f"{labels[a]}↔{labels[b]} bead {format_bead(bead)} (confidence {bead.score:.2f}) "
                                 f"overruled: cut into {', '.join(map(format_bead, cut)) or 'nothing'}, "
                                 "as another version keeps its sentences apart")
            parts.extend((a, b, part) for part in cut)
    ranked = sorted(((links.support(a, b, part), part.score, a, b, part) for a, b, part in parts),
                    key=lambda t: (-t[0], -t[1], t[2], t[3], t[4].src, t[4].tgt))
    for support, score, a, b, bead in ranked:
        nodes = [(a, i) for i in bead.src] + [(b, j) for j in bead.tgt]
        problem = rows.union(nodes, join_groups=support >= 0)
        if problem:
            conflicts.append(f"{labels[a]}↔{labels[b]} bead {format_bead(bead)} (confidence {score:.2f}, "
                             f"{_support_words(support)}) overruled: {problem}")
    cells = rows.ordered(conflicts)
    index = {pair: _BeadIndex(pair_beads) for pair, pair_beads in beads.items()}
    return [_scored_row(c, index, labels) for c in cells], conflicts


def _support_words(support: int) -> str:
    if support > 0:
        return f"confirmed by {support} other version(s)"
    if support < 0:
        return f"contradicted by {-support} other version(s)"
    return "no other version to confirm it"


class _Links:
    """Which sentences of version ``c`` each sentence of another version is linked to, and how surely."""

    def __init__(self, sizes: Sequence[int], beads: dict[tuple[int, int], Sequence[Bead]]):
        self.n = len(sizes)
        self.linked: dict[tuple[int, int], dict[int, tuple[set[int], float]]] = {}
        for (a, b), pair_beads in beads.items():
            forward, backward = self.linked.setdefault((a, b), {}), self.linked.setdefault((b, a), {})
            for bead in pair_beads:
                for i in bead.src:
                    forward[i] = (set(bead.tgt), bead.score)
                for j in bead.tgt:
                    backward[j] = (set(bead.src), bead.score)

    def _via(self, v: int, ids: Sequence[int], c: int, surer_than: float = -1.0) -> set[int]:
        """The sentences of ``c`` that ``ids`` of ``v`` are linked to by beads surer than ``surer_than``."""
        table = self.linked.get((v, c), {})
        return set().union(*(table[i][0] for i in ids if i in table and table[i][1] > surer_than))

    def _agree(self, a: int, i: int, b: int, j: int, surer_than: float) -> bool:
        """No third version surely links ``a`` sentence ``i`` and ``b`` sentence ``j`` to different sentences."""
        for c in range(self.n):
            if c not in (a, b):
                left, right = self._via(a, (i,), c, surer_than), self._via(b, (j,), c, surer_than)
                if left and right and not left & right:
                    return False
        return True

    def split(self, a: int, b: int, bead: Bead) -> list[Bead]:
        """A merged bead cut into the parts the third versions keep apart.

        A pairwise alignment that meets two neighbouring sentences, or one
        that the other version left out, often takes them as one merged
        bead; a third version that has them as separate rows, or places the
        extra sentence elsewhere, says where to cut. Sentences of ``a`` and
        ``b`` stay together when no third version links them to different
        sentences by beads nearly as sure as this one (a much weaker link is
        more likely the mistake); a part with one side only is left for
        other beads to place.
        """
        if len(bead.src) + len(bead.tgt) <= 2:
            return [bead]
        nodes = [(0, i) for i in bead.src] + [(1, j) for j in bead.tgt]
        group = {node: node for node in nodes}

        def find(node):
            while group[node] != node:
                node = group[node]
            return node

        for i in bead.src:
            for j in bead.tgt:
                if self._agree(a, i, b, j, CUT_EVIDENCE * bead.score):
                    group[find((0, i))] = find((1, j))
        parts: dict = {}
        for node in nodes:
            parts.setdefault(find(node), []).append(node)
        beads = [Bead(tuple(i for side, i in part if side == 0), tuple(j for side, j in part if side == 1), bead.score)
                 for part in parts.values()]
        return [part for part in beads if part.src and part.tgt]

    def support(self, a: int, b: int, bead: Bead) -> int:
        """Third versions that link both sides of a bead to exactly the same sentences, minus those that do not.

        A third version that has nothing for either side neither confirms nor contradicts.
        """
        votes = 0
        for c in range(self.n):
            if c in (a, b):
                continue
            left, right = self._via(a, bead.src, c), self._via(b, bead.tgt, c)
            if left or right:
                votes += 1 if left == right else -1
        return votes


class _BeadIndex:
    """The beads of one pair, found by the sentences they hold."""

    def __init__(self, beads: Sequence[Bead]):
        self.beads = list(beads)
        self.by_src = {i: n for n, bead in enumerate(self.beads) for i in bead.src}
        self.by_tgt = {j: n for n, bead in enumerate(self.beads) for j in bead.tgt}

    def touching(self, src: Sequence[int], tgt: Sequence[int]) -> list[Bead]:
        found = {self.by_src[i] for i in src if i in self.by_src} | {self.by_tgt[j] for j in tgt if j in self.by_tgt}
        return [self.beads[n] for n in sorted(found)]


def _scored_row(cells: tuple[tuple[int, ...], ...], index: dict[tuple[int, int], _BeadIndex],
                labels: Sequence[str]) -> Row:
    """A row's confidence is that of the pairwise beads inside it; pairs that disagree make it a conflict.

    A pair disagrees when one of its beads reaches out of the row, or when
    it links nothing inside a row that has text in both of its versions.
    """
    scores, notes = [], []
    for (a, b), pair_index in index.items():
        if not (cells[a] or cells[b]):
            continue
        touching = pair_index.touching(cells[a], cells[b])
        inside = [bd for bd in touching if set(bd.src) <= set(cells[a]) and set(bd.tgt) <= set(cells[b])]
        scores.extend(bd.score for bd in inside)
        if len(inside) < len(touching):
            notes.append(f"{labels[a]}↔{labels[b]} aligned part of it elsewhere")
        elif cells[a] and cells[b] and not any(bd.src and bd.tgt for bd in inside):
            notes.append(f"{labels[a]}↔{labels[b]} left it unaligned")
    score = float(np.mean(scores)) if scores else 0.0
    if notes:
        score *= 0.5
    return Row(cells, score, bool(notes), "; ".join(notes))
