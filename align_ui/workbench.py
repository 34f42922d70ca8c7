"""What the Streamlit workbench shows, computed without Streamlit.

The app script only lays out widgets; the filters and pages, the steps
between beads, the map's points, the edit history as a reviewer reads it,
the mixed-file passages, the score histogram, reading pasted or uploaded
text and the export bytes are plain functions tested here (the parallel
view's HTML is ``align_ui.parallel``).
"""
from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from align.embed import centred_on_document
from align.errors import InputError
from align.lang import joiner
from align.pairing import probability
from align.project.bead_edits import BeadRow
from align.project.export import export_project
from align.project.version_sets import seen_rows
from align.review.model import SEVERITIES
from align.text import decode, segment
from align.types import Document

PAGE_SIZE = 50
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What an upload may be: every kind align.text.decode reads.
UPLOAD_HELP = ("Plain text in any encoding (UTF-8/16, Shift_JIS, EUC-JP, CP1251…), an HTML page, a Word document "
               "(.docx), an e-book (.epub), a PDF with text, or subtitles (.srt, .vtt, .ass): each is read as the "
               "text a reader of it reads.")
EXPORT_FORMATS = ("tmx", "csv", "jsonl", "tsv", "beads")
PROJECT_EXPORT_FORMATS = ("tmx", "csv", "jsonl", "tsv")  # the bead format holds one pair
SET_EXPORT_FORMATS = ("tmx", "csv", "jsonl", "tsv", "beads")  # a set: a tu per row, a column per version
EXPORT_MIME = {"tmx": "application/x-tmx+xml", "csv": "text/csv", "jsonl": "application/jsonl",
               "tsv": "text/tab-separated-values", "beads": "text/plain"}
# A bead's score is the probability that it is exactly right; align.pairing.probability holds the one scale
# (green at HIGH or more, yellow at MEDIUM or more, red below) that the table, the map and re-alignment use.
# LOW is where the "beads under P" filter and the "Next low probability" jump start: every bead that is not
# green, so that L visits the yellow ones too (at 0.5 it went past beads of 0.5-0.9, which by their calibrated
# probability are wrong one time in ten to one in two).
HIGH, MEDIUM = probability.HIGH, probability.MEDIUM
LOW = HIGH


# What "Jump to next" can look for, and the filters can keep.
KINDS = {"low": "low probability", "not11": "not 1-1", "unconfirmed": "unconfirmed", "flagged": "flagged"}


def is_kind(row: BeadRow, kind: str, threshold: float = LOW) -> bool:
    """Whether a bead is of one of the ``KINDS``: ``low`` is a probability under ``threshold`` (a
    reviewer's decision sets it: a confirmed bead is no longer low), flagged means rejected or carrying a note."""
    if kind == "low":
        return probability.reviewed(row.score, row.status) < threshold
    if kind == "not11":  # a bead "2-1"; a row of a version set "1-1-0"
        return any(n != "1" for n in row.kind.split("-"))
    if kind == "unconfirmed":
        return row.status != "confirmed"
    if kind == "flagged":
        return row.status == "rejected" or bool(row.note)
    raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class Filters:
    """Which beads the table shows; all off shows every bead. ``low_confidence``: the beads under
    probability ``threshold``."""

    low_confidence: bool = False
    threshold: float = LOW
    not_one_to_one: bool = False
    unconfirmed: bool = False
    flagged: bool = False
    find: str = ""  # text that a sentence of the bead (any side or version) or its note holds

    def keep(self, row: BeadRow) -> bool:
        wanted = {"low": self.low_confidence, "not11": self.not_one_to_one, "unconfirmed": self.unconfirmed,
                  "flagged": self.flagged}
        return all(is_kind(row, kind, self.threshold) for kind, on in wanted.items() if on)


def next_of_kind(rows: Sequence[BeadRow], after: int, kind: str, threshold: float = LOW) -> int | None:
    """The 0-based position of the next bead of ``kind`` after position ``after``, wrapping round; None if none."""
    n = len(rows)
    for step in range(1, n + 1):
        k = (after + step) % n
        if is_kind(rows[k], kind, threshold):
            return k
    return None


def step(shown: Sequence[BeadRow], current: int, forward: bool) -> int | None:
    """The 0-based position of the shown bead after (or before) position ``current``; None at the end.

    ``shown`` are the beads the filters keep, in order: *Next bead* walks
    through them, so "unconfirmed only" and J visit the unconfirmed beads.
    """
    if forward:
        return next((r.position for r in shown if r.position > current), None)
    return next((r.position for r in reversed(shown) if r.position < current), None)


def filter_rows(rows: Sequence[BeadRow], filters: Filters, docs: Sequence[Document] = ()) -> list[BeadRow]:
    """The rows the filters keep; ``docs`` (one per cell: source and target, or a set's versions) are what
    ``filters.find`` looks in."""
    kept = [r for r in rows if filters.keep(r)]
    wanted = searchable(filters.find)
    if not wanted:
        return kept
    texts = [[searchable(s.text) for s in doc.segments] for doc in docs]
    return [r for r in kept if wanted in searchable(r.note)
            or any(wanted in texts[v][i] for v, cell in enumerate(r.cells) if v < len(texts) for i in cell)]


def searchable(text: str) -> str:
    """Text as a search compares it: compatibility forms folded (full-width Ｌａｔｉｎ, half-width ｶﾅ), case
    ignored, runs of spaces as one."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


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


def confirm_above(rows: Sequence[BeadRow], position: int) -> list[BeadRow]:
    """The beads *Confirm all above* would confirm from bead ``position`` (0-based): the automatic ones up to it."""
    return [r for r in rows[:position + 1] if r.status == "automatic"]


def confirm_message(rows: Sequence[BeadRow]) -> str:
    """What confirming ``rows`` means before it is done: ``Confirms 212 beads; expect about 3 errors among them.``"""
    return probability.confirm_message(r.score for r in rows)


def bead_holding(rows: Sequence[BeadRow], side: str, index: int) -> int | None:
    """The 0-based position of the bead holding sentence ``index`` of ``side``, or of the nearest after it."""
    for row in rows:
        if row.side(side) and max(row.side(side)) >= index:
            return row.position
    return len(rows) - 1 if rows else None


def path_points(rows: Sequence[BeadRow]) -> list[dict]:
    """One point per bead for the dot plot: its middle sentence on each side, numbered from 1.

    A side with no sentence (an omission) sits half a sentence after the
    previous bead on that side, so the path stays readable.
    """
    points, last = [], {"src": 0.5, "tgt": 0.5}
    for row in rows:
        place = {}
        for side in ("src", "tgt"):
            ids = row.side(side)
            place[side] = sum(ids) / len(ids) + 1 if ids else last[side] + 0.5
            last[side] = max(ids) + 1 if ids else last[side]
        shown = probability.reviewed(row.score, row.status)  # as the view's marks: a decision sets it
        points.append({"bead": row.position + 1, "source": place["src"], "target": place["tgt"],
                       "score": round(shown, 3), "band": probability.band(shown), "kind": row.kind,
                       "status": row.status})
    return points


def seen_from(rows: Sequence, a: int, b: int) -> list[BeadRow]:
    """Rows of a version set seen from versions ``a`` and ``b``: a bead for each row with text in either,
    numbered (``position``) as the row, so the map and the pair views name it as the set does."""
    return [BeadRow(r.id, r.position, tuple(r.cells[a]), tuple(r.cells[b]), r.score, r.status, r.note, r.version)
            for r in seen_rows(rows, a, b)]


def similarity_cells(src_vectors: np.ndarray, tgt_vectors: np.ndarray, cells: int = 60) -> list[dict]:
    """The sentence similarity matrix in at most ``cells`` x ``cells`` blocks, each its highest cosine.

    Vectors are centred on their document first (as the aligner does), so
    that unrelated sentences sit near zero and the path stands out. Blocks
    are computed a band of rows at a time: memory stays small for 5,000 x 5,000.
    """
    if not len(src_vectors) or not len(tgt_vectors):
        return []
    (a, _), (b, _) = centred_on_document(src_vectors), centred_on_document(tgt_vectors)
    step_a, step_b = math.ceil(len(a) / cells), math.ceil(len(b) / cells)
    out = []
    for i in range(0, len(a), step_a):
        band = a[i:i + step_a] @ b.T
        for j in range(0, len(b), step_b):
            out.append({"source": i, "target": j, "source_end": min(len(a), i + step_a) - 1,
                        "target_end": min(len(b), j + step_b) - 1,
                        "similarity": round(float(band[:, j:j + step_b].max()), 3)})
    return out


_SIDE_NAME = {"src": "source", "tgt": "target"}
_WHERE = {"next": "the next bead", "prev": "the previous bead"}


def _detail(key: str, value, args: dict, numbers: dict[int, int], labels: Sequence[str] = ()) -> str | None:
    """One argument of an edit as a reviewer reads it; None for one said by another. ``labels`` name the
    versions of a set (its edits name a version by its index)."""
    side = args.get("side")
    side = labels[side] if isinstance(side, int) and 0 <= side < len(labels) else _SIDE_NAME.get(side, side)
    if key in ("bead", "row"):  # the internal id: named by its number at the time (kept since), or now
        now = numbers.get(value)
        if "number" not in args:  # an edit recorded before the number was kept
            return f"{key} {now}" if now is not None else f"a {key} no longer there"
        then = args["number"]
        return f"{key} {then}" + ("" if now == then else " (no longer there)" if now is None else f" (now {now})")
    if key == "number":
        return None
    if key == "cuts":
        return "first part keeps " + ", ".join(f"{n} {label}" for n, label in zip(value, labels or value))
    if key == "seen":
        return None
    if key == "index":
        return f"{side} sentence {value + 1}"
    if key == "side":
        return None if "index" in args else f"{side} side"
    if key == "to":
        return f"to {_WHERE.get(value, value)}"
    if key == "from_":
        return f"from {_WHERE.get(value, value)}"
    if key == "direction":
        return f"with {_WHERE.get(value, value)}"
    if key in ("src_at", "tgt_at"):
        return f"{value} {_SIDE_NAME[key[:3]]} in the first part"
    if key in ("note", "text"):
        return None if value is None else f"{key} {short_text(str(value))!r}"
    if key in ("beads", "rows"):
        return f"{value} {key[:-1]}{'s' if value != 1 else ''}"
    if key == "which":
        return f"its {value} sentence"
    return f"{key} {value}"


# The store's names of its edits, as a reviewer says them (the history's "edit" column, undo's message).
EDIT_NAMES = {"align": "align", "realign": "re-align", "merge_next": "merge", "merge_prev": "merge",
              "merge_row": "merge rows", "split": "split", "split_row": "split a row", "pop": "move a sentence",
              "move_sentence": "move a sentence",
              "shift": "pull a sentence", "insert_empty": "empty counterpart", "detach_sentence": "empty counterpart",
              "add_sentence": "type a missing sentence", "confirm": "confirm", "reject": "reject",
              "unconfirm": "unconfirm", "confirm_up_to": "confirm all above", "decide": "decide",
              "decide_row": "decide", "set_status_of": "decide several", "decide_numbers": "decide several",
              "set_note": "note", "set_row_note": "note", "edit_segment_text": "correct a sentence",
              "join_segments": "join two sentences"}


def edit_name(op: str) -> str:
    return EDIT_NAMES.get(op, op.replace("_", " "))


def history_rows(history, rows: Sequence[BeadRow] = (), labels: Sequence[str] = ()) -> list[dict]:
    """The edit history, newest first, as a reviewer reads it.

    An edit names its bead by the number (1-based) the view showed when it was
    made, and, with the pair's current ``rows``, by its number now where that
    differs (an edit recorded before numbers were kept: by its number now).
    Sentences are named by their 1-based number in their document.
    """
    numbers = {r.id: r.position + 1 for r in rows}
    out = []
    for entry in reversed(history):
        details = (_detail(k, v, entry.args, numbers, labels) for k, v in entry.args.items())
        out.append({"#": entry.id, "when (UTC)": entry.created.replace("T", " ").rstrip("Z"),
                    "edit": edit_name(entry.op), "details": ", ".join(d for d in details if d),
                    "undone": entry.undone})
    return out


def stepped(history, undo: bool, labels: Sequence[str] = ()) -> tuple[str, int | None] | None:
    """What an undo (or redo) takes back (or applies again), said as the history says it, and the 0-based
    place of the bead (or row) it named; None where there is nothing to step. Said because the edit may lie
    off screen: a bead far down the pair changed with nothing to show it."""
    entry = (next((e for e in reversed(history) if not e.undone), None) if undo
             else next((e for e in history if e.undone), None))
    if entry is None:
        return None
    number = entry.args.get("number")
    as_then = {entry.args.get(k): number for k in ("bead", "row")}  # named by its number when it was made
    details = ", ".join(d for d in (_detail(k, v, entry.args, as_then, labels) for k, v in entry.args.items()) if d)
    what = f"{'Undone' if undo else 'Redone'}: {edit_name(entry.op)}" + (f", {details}" if details else "")
    return what, (number - 1 if isinstance(number, int) else None)


def counted(count: int, noun: str) -> str:
    """``count`` with its noun, singular for one: "1 bead", "16 beads", "1,200 rows"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def titled(name: str, lang: str) -> str:
    """A document's file name with its language, once: a unit's side saved from ``memory.tmx`` is already
    called "memory.tmx (en)"."""
    return name if name.endswith(f"({lang})") else f"{name} ({lang})"


def shown_caption(noun: str, first: int, on_page: int, shown: int, total: int) -> str:
    """What the list shows, as a reader says it: "16 beads shown", "1 bead shown (filtered from 16)", "Beads
    51–100 of the 5,000 shown" (``first`` is the 0-based place of the page's first item among those shown)."""
    if on_page == shown:  # everything shown is on this page
        text = f"{counted(shown, noun)} shown"
    elif on_page == 1:  # the last page holds one
        text = f"{noun.title()} {first + 1:,} of the {shown:,} shown"
    else:
        text = f"{noun.title()}s {first + 1:,}–{first + on_page:,} of the {shown:,} shown"
    return text + ("" if shown == total else f" (filtered from {total:,})")


def short_text(text: str, limit: int = 60) -> str:
    """The first ``limit`` characters of ``text`` on one line, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


SEVERITY_MARK = {"ok": "⚪", "minor": "🟡", "major": "🟠", "critical": "🔴"}


def review_queue(rows: Sequence, reviews, at_least: str = "minor") -> list[dict]:
    """Beads (or rows of a version set) whose review found something at ``at_least`` or worse, worst first,
    each with its severity, flags, quality, status and reasons (the view draws the texts of the page shown).

    ``reviews`` are ``align.review.judge.BeadReview``, one per row in order.
    Within a severity, the lowest quality comes first; decided rows stay in the
    queue (their status shows) so a reviewer can revisit them.
    """
    floor = SEVERITIES.index(at_least)
    found = [(review, rows[review.index]) for review in reviews
             if review.index < len(rows) and SEVERITIES.index(review.severity) >= max(1, floor)]
    found.sort(key=lambda item: (-SEVERITIES.index(item[0].severity), item[0].score, item[1].position))
    return [{"#": row.position + 1, "severity": f"{SEVERITY_MARK[review.severity]} {review.severity}",
             "flags": review.flag_names.replace(";", ", "), "quality": round(review.score, 2),
             "status": row.status, "reasons": " · ".join(dict.fromkeys(f.reason for f in review.flags))}
            for review, row in found]


def severity_counts(rows: Sequence, reviews) -> dict[str, tuple[int, int]]:
    """Per severity, how many beads (or rows) the review put there and how many of those wait for a decision:
    a count that never falls as the reviewer works says nothing about what is left."""
    counts = {sev: [0, 0] for sev in SEVERITIES}
    for review in reviews:
        if review.index < len(rows):
            counts[review.severity][0] += 1
            counts[review.severity][1] += rows[review.index].status == "automatic"
    return {sev: (total, undecided) for sev, (total, undecided) in counts.items()}


def queue_start(queue: list[dict], current: int) -> int:
    """Where the review opens (numbers from 1): on bead (or row) ``current`` when it waits in the queue, so
    that Y, X and J act on what the reviewer was looking at; else on the worst undecided entry (a reload
    opened on the bead just rejected); else, every entry decided, on the current one or the first."""
    waiting = [q["#"] for q in queue if q["status"] == "automatic"]
    if current in waiting or (not waiting and current in {q["#"] for q in queue}):
        return current
    return waiting[0] if waiting else queue[0]["#"]


def next_in_queue(queue: list[dict], current: int) -> int | None:
    """The number of the queue's next undecided entry after bead (or row) ``current`` (1-based), from the top
    again past the end, so that an entry above the one the review opened on is not left behind; None when
    every other entry is decided."""
    order = [q["#"] for q in queue]
    at = order.index(current) if current in order else -1
    rest = queue[at + 1:] + queue[:max(at, 0)]
    return next((q["#"] for q in rest if q["status"] == "automatic"), None)


def clean_beads(rows: Sequence, reviews, min_confidence: float) -> list[int]:
    """Ids of undecided beads (or set rows) with no review flag and an alignment probability of at least
    ``min_confidence``."""
    return [rows[r.index].id for r in reviews
            if r.index < len(rows) and r.severity == "ok" and rows[r.index].status == "automatic"
            and rows[r.index].score >= min_confidence]


def probabilities(rows: Sequence) -> list[float]:
    """Each bead's (or row's) probability as the view's marks show it: 1 once confirmed, 0 once rejected."""
    return [probability.reviewed(r.score, r.status) for r in rows]


def score_histogram(scores: Sequence[float], bins: int = 10) -> dict[str, int]:
    """Bead counts per score band of width 1/bins, labelled by the band's range, in order."""
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, max(0, int(s * bins)))] += 1
    return {f"{k / bins:.1f}–{(k + 1) / bins:.1f}": c for k, c in enumerate(counts)}


def passage_languages(passages) -> list[str]:
    """The languages of mixed-file passage pairs, in the order they first appear in the file."""
    sides = sorted((side.first_line, side.lang) for p in passages for side in (p.a, p.b))
    return list(dict.fromkeys(lang for _, lang in sides))


def passage_preview(passage, doc: Document, source_lang: str | None, chars: int = 80) -> dict:
    """What a reviewer needs to pick a passage pair: both sides' lines and first ``chars`` characters,
    the source first."""
    sides = [passage.a, passage.b]
    if passage.a.lang != source_lang and passage.b.lang == source_lang:
        sides.reverse()

    def text(side) -> str:
        return short_text(joiner(side.lang).join(doc.segments[i].text for i in side.segments), chars)

    return {"source": f"{sides[0].lang}, lines {sides[0].lines}", "source text": text(sides[0]),
            "target": f"{sides[1].lang}, lines {sides[1].lines}", "target text": text(sides[1]),
            "score": round(passage.score, 2)}


def set_aside(report) -> list[dict]:
    """What the passage search of a mixed file left out, so a reviewer sees nothing went missing unsaid: repeated
    paragraphs (the first copy is mined), passages in another language than the page's without a counterpart
    (as ``align doc`` reports them), and boilerplate lines; each with its lines and the start of its text."""
    doc = report.document
    lines = doc.text.split("\n")
    main = doc.lang
    found = [{"set aside": f"repeats line {group[0]}", "lines": str(n), "text": short_text(lines[n - 1])}
             for group in report.duplicates for n in group[1:]]
    found += [{"set aside": f"{p.lang}, no counterpart found", "lines": p.lines,
               "text": short_text(doc.segments[p.segments[0]].text)} for p in report.unmatched if p.lang != main]
    found += [{"set aside": "boilerplate", "lines": str(n), "text": short_text(lines[n - 1])}
              for n in report.boilerplate]
    return found


def with_language(doc: Document, lang: str) -> Document:
    """The document with every segment tagged ``lang``: the reviewer knows better than the detector."""
    return Document(doc.name, doc.text, [replace(s, lang=lang) for s in doc.segments], doc.encoding)


def document_from_bytes(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> Document:
    """An uploaded file as a segmented document; ``InputError`` for too big, empty or binary input."""
    loaded = decode.load_bytes(data, name, max_bytes)
    return _segmented(loaded.text, name, loaded.encoding)


def document_from_paste(text: str, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> Document:
    """Pasted text as a segmented document, held to the size and line limits of an upload."""
    pasted = decode.load_pasted(text, name, max_bytes)
    return _segmented(pasted.text, name, pasted.encoding)


def _segmented(text: str, name: str, encoding: str) -> Document:
    if not text.strip():
        raise InputError(f"{name} is empty")
    decode.refuse_memory(text, name)
    segments = segment.segment_text(text)
    if not any(s.text.strip() for s in segments):
        raise InputError(f"{name}: no text to align")
    return Document(name, text, segments, encoding)


def export_bytes(project, pair_id: int | None, fmt: str, confirmed_only: bool = False,
                 whole_project: bool = False, set_id: int | None = None,
                 one_sided_units: bool = False, min_score: float | None = None) -> tuple[bytes, list[str]]:
    """Exactly what ``align project export`` writes for the pair, the version set ``set_id`` (``--set``) or
    the whole project (``--all``), and its warnings; with ``min_score`` (``--min-score``), first how many
    beads that kept."""
    buffer = io.BytesIO()
    if whole_project:
        pair_id = set_id = None
    done = export_project(project, fmt, buffer, pair_id, confirmed_only, min_score=min_score, set_id=set_id,
                          one_sided_units=one_sided_units)
    kept = [probability.kept_message(done.kept, done.considered, min_score)] if min_score is not None else []
    return buffer.getvalue(), kept + done.warnings
