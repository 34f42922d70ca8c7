"""The parallel view as HTML: one row per bead (or per row of a version set), its versions side by side,
every sentence apart.

Pure functions of the beads and documents, tested without Streamlit. Every
piece of user text (sentences, notes, language tags) goes through
``html.escape``: the page shows it as typed, never as markup. Sentences carry
their 1-based number in their document; beads their 1-based number in the
pair, the numbers the toolbar, the map and the history use. A version set's row
is drawn by the same builder (``columns_html``) with one column per version.
"""
from __future__ import annotations

import html
import os
from collections.abc import Sequence

from align.pairing import probability
from align.project.bead_edits import BeadRow, SetRow
from align.text.visible import visible_html
from align.types import Document
from align_ui.workbench import short_text, titled

_SIDE_NAMES = {"src": "source", "tgt": "target"}
STATUS_MARK = {"confirmed": ("✓", "confirmed"), "rejected": ("✗", "rejected"), "automatic": ("", "automatic")}

# One stylesheet for the view, sent once a run (st.html of a lone <style> takes no room on the page).
# Colours are translucent so a dark theme reads as well as a light one.
_BAND_COLOURS = {name: colour for name, _, _, colour in probability.BANDS}
CSS = """
<style>
.bw-head, .bw-bead {display: grid; grid-template-columns: 2.6rem repeat(var(--bw-n, 2), minmax(0, 1fr)) 6.6rem;
  column-gap: 1rem; line-height: 1.45;}
.bw-many {column-gap: 0.7rem;}
.bw-head {font-size: 0.8rem; font-weight: 600; opacity: 0.7; padding: 0 0.5rem 0.2rem;
  border-bottom: 2px solid rgba(128, 128, 128, 0.35);}
.bw-bead {padding: 0.35rem 0.5rem; border-bottom: 1px solid rgba(128, 128, 128, 0.25);
  border-left: 3px solid transparent; border-radius: 2px;}
.bw-bead.bw-current {background: rgba(255, 190, 0, 0.14); border-left-color: #e6a800;}
.bw-bead.bw-rejected .bw-side {opacity: 0.6;}
.bw-side {min-width: 0; overflow-wrap: anywhere;}
.bw-s {display: flex; gap: 0.45rem; align-items: baseline;}
.bw-s + .bw-s {border-top: 1px dashed rgba(128, 128, 128, 0.45); margin-top: 0.2rem; padding-top: 0.2rem;}
.bw-n {flex: none; min-width: 1.9rem; text-align: right; font-size: 0.7rem; font-variant-numeric: tabular-nums;
  color: rgba(110, 110, 110, 0.95); padding: 0 0.2rem; border-radius: 0.3rem;
  background: rgba(128, 128, 128, 0.12);}
.bw-t {min-width: 0; flex: 0 1 auto;}
.bw-lang {flex: none; font-size: 0.68rem; padding: 0 0.25rem; border: 1px solid rgba(128, 128, 128, 0.5);
  border-radius: 0.25rem; margin-left: 0.3rem; opacity: 0.8;}
.bw-empty {font-style: italic; opacity: 0.55;}
.unseen {font-size: 0.68rem; font-family: monospace; color: #b35c00; background: rgba(230, 140, 0, 0.15);
  border-radius: 0.2rem; padding: 0 0.15rem; margin: 0 0.05rem;}
.bw-meta {font-size: 0.78rem; display: flex; flex-direction: column; align-items: flex-start; gap: 0.15rem;}
.bw-p {color: #fff; font-weight: 600; padding: 0 0.4rem; border-radius: 0.6rem;
  font-variant-numeric: tabular-nums;}
.bw-kind {opacity: 0.75;}
.bw-sev {font-weight: 600; white-space: nowrap;}
.bw-status-confirmed {color: #2e9d4f; font-weight: 600;}
.bw-status-rejected {color: #d43d2a; font-weight: 600;}
.bw-status-automatic {opacity: 0.6;}
.bw-note {grid-column: 2 / -2; font-size: 0.85rem; margin-top: 0.25rem; padding: 0.1rem 0.4rem;
  border-left: 3px solid rgba(100, 130, 220, 0.7); background: rgba(100, 130, 220, 0.08);}
.bw-pick {font: inherit; font-size: 0.85rem; font-variant-numeric: tabular-nums; color: inherit;
  align-self: start; min-height: 1.9rem; padding: 0.1rem 0.3rem; border-radius: 0.5rem; cursor: pointer;
  border: 1px solid transparent; background: transparent;}
.bw-pick:hover {border-color: rgba(128, 128, 128, 0.5);}
.bw-pick:focus-visible {outline: 2px solid #e6a800;}
.bw-current .bw-pick {background: #ff4b4b; border-color: #ff4b4b; color: #fff;}
.st-key-parallel .stHtml {margin: 0;}
.st-key-editor {margin: 0.2rem 0 0.6rem;}
.st-key-toolbar .st-key-confirm, .st-key-toolbar .st-key-merge_prev, .st-key-toolbar .st-key-undo
  {margin-left: 0.6rem;}
</style>
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def probability_mark(score: float, status: str = "automatic") -> str:
    """The bead's probability as one mark: the number on its band's colour (green, yellow, red). Once a
    person has decided, it is theirs (1 confirmed, 0 rejected), as exports and filters count it; the
    aligner's own figure stays in the title."""
    shown = probability.reviewed(score, status)
    band = probability.band(shown)
    title = (f"probability that this bead is exactly right ({band})" if status == "automatic"
             else f"{status} by a reviewer (or made by hand: a merge, a split, a moved sentence); its score "
                  f"before that: {score:.2f}")
    return (f'<span class="bw-p" style="background:{_BAND_COLOURS[band]}" '
            f'title="{_esc(title)}">{shown:.2f}</span>')


def side_html(doc: Document, ids: Sequence[int], doc_lang: str, side: str, name: str | None = None) -> str:
    """A bead side (or a row's cell): each sentence apart, numbered as in its document (1-based); a language
    tag where a sentence is tagged otherwise than its document. ``name`` names the side in its titles
    (``source``/``target`` for ``src``/``tgt``, else the version's label)."""
    name = name or _SIDE_NAMES.get(side, side)
    if not ids:
        return f'<div class="bw-side bw-{_esc(side)}"><span class="bw-empty">(no {_esc(name)} sentence)</span></div>'
    parts = []
    for i in ids:
        seg = doc.segments[i]
        tag = f'<span class="bw-lang">{_esc(seg.lang)}</span>' if seg.lang != doc_lang else ""
        # dir="auto": a sentence in Arabic or Hebrew reads right to left, its number on its right
        parts.append(f'<div class="bw-s" dir="auto"><span class="bw-n" title="{_esc(name)} '
                     f'sentence {i + 1}">{i + 1}</span><span class="bw-t" lang="{_esc(seg.lang)}">'
                     f'{visible_html(seg.text)}</span>{tag}</div>')
    return f'<div class="bw-side bw-{_esc(side)}">{"".join(parts)}</div>'


def _grid(n: int) -> str:
    """The row's columns: ``n`` texts and the probability (2 by default, in the stylesheet)."""
    return "" if n == 2 else f' style="--bw-n: {n}"'


def columns_html(sides: Sequence[str], number: int, score: float, kind: str, status: str, note: str,
                 current: bool = False, show_note: bool = True, noun: str = "bead") -> str:
    """One row of the parallel view: its number (a button that selects it), its sides' HTML (``side_html``)
    in columns, then the probability mark, the kind and the status, and the note under the texts. ``number``
    is the row's 1-based number; ``noun`` what it is (bead, row)."""
    note_html = f'<div class="bw-note" title="note" dir="auto">{_esc(note)}</div>' if show_note and note else ""
    mark = probability_mark(score, status)
    return _row_html(sides, number, status, f'<span>{mark} <span class="bw-kind">{_esc(kind)}'
                     '</span></span>', note_html, current, noun)


def queue_html(entry: dict, sides: Sequence[str], current: bool = False, show_reasons: bool = True,
               noun: str = "bead") -> str:
    """One entry of the review queue (``workbench.review_queue``) as a row of the parallel view: its number,
    its columns' sentences in full, its severity, quality and status, and its flags and reasons under the
    texts (left out on the current entry, whose editor lists them flag by flag)."""
    reasons = (f'<div class="bw-note bw-reasons" title="reasons"><b>{_esc(entry["flags"])}</b>: '
               f'{_esc(entry["reasons"])}</div>') if show_reasons else ""
    meta = (f'<span class="bw-sev">{_esc(entry["severity"])}</span>'
            f'<span class="bw-kind" title="quality of the translation, 0 to 1">quality {entry["quality"]:.2f}</span>')
    return _row_html(sides, entry["#"], entry["status"], meta, reasons, current, noun, "bw-queued")


def _row_html(sides: Sequence[str], number: int, status: str, meta: str, below: str, current: bool, noun: str,
              kind_class: str = "") -> str:
    """The row both views draw: the number button, the sides, ``meta`` and the status, ``below`` under the
    texts (``meta`` and ``below`` are HTML, escaped by the caller)."""
    mark, word = STATUS_MARK.get(status, ("", status))
    classes = " ".join(filter(None, ["bw-bead", kind_class, "bw-many" if len(sides) > 2 else "",
                                     "bw-current" if current else "", f"bw-{_esc(status)}"]))
    aria = ' aria-current="true"' if current else ""
    pick = (f'<button type="button" class="bw-pick" data-pick="{number}" title="select {noun} {number}" '
            f'aria-label="{_esc(noun)} {number}"{aria}>{number}</button>')
    return (f'<div class="{classes}"{_grid(len(sides))} data-bead="{number}">{pick}{"".join(sides)}'
            f'<div class="bw-meta">{meta}<span class="bw-status-{_esc(status)}">{mark} {_esc(word)}</span></div>'
            f'{below}</div>')


def bead_html(row: BeadRow, src: Document, tgt: Document, src_lang: str, tgt_lang: str,
              current: bool = False, show_note: bool = True) -> str:
    """One bead as a row of the parallel view; ``src_lang``/``tgt_lang`` are the documents' languages
    (passed in: working them out is a pass over the document)."""
    sides = [side_html(src, row.src, src_lang, "src"), side_html(tgt, row.tgt, tgt_lang, "tgt")]
    return columns_html(sides, row.position + 1, row.score, row.kind, row.status, row.note, current, show_note)


def set_row_html(row: SetRow, docs: Sequence[Document], langs: Sequence[str], labels: Sequence[str],
                 current: bool = False, show_note: bool = True) -> str:
    """One row of a version set: a column per version (``labels`` name them), as ``bead_html`` draws a bead."""
    sides = [side_html(doc, cell, lang, f"v{v}", label)
             for v, (doc, cell, lang, label) in enumerate(zip(docs, row.cells, langs, labels))]
    return columns_html(sides, row.position + 1, row.score, row.kind, row.status, row.note, current, show_note,
                        noun="row")


def header_html(src: Document, tgt: Document, src_lang: str, tgt_lang: str) -> str:
    """The column heads: each side's file name and language."""
    return (f'<div class="bw-head"><div></div><div>Source · {_esc(titled(os.path.basename(src.name), src_lang))}</div>'
            f'<div>Target · {_esc(titled(os.path.basename(tgt.name), tgt_lang))}</div>'
            '<div>probability</div></div>')


def set_header_html(docs: Sequence[Document], langs: Sequence[str], labels: Sequence[str],
                    last: str = "probability") -> str:
    """The column heads of a version set (or the review queue's): each version's label, file name and language,
    then ``last``, the head of the marks' column."""
    heads = "".join(f"<div>{_esc(label)} · {_esc(titled(os.path.basename(doc.name), lang))}</div>"
                    for doc, lang, label in zip(docs, langs, labels))
    return f'<div class="bw-head{" bw-many" if len(docs) > 2 else ""}"{_grid(len(docs))}><div></div>{heads}<div>{_esc(last)}</div></div>'


def cut_label(doc: Document, ids: Sequence[int], at: int, side: str) -> str:
    """What cutting a bead side (or a row's cell) after its first ``at`` sentences keeps in the first part, by
    sentence number; ``side`` is ``src``, ``tgt`` or a version's label."""
    name = _SIDE_NAMES.get(side, side)
    if at == 0:
        return f"none: every {name} sentence goes to the second part"
    last = ids[at - 1]
    return f"{last + 1} · {short_text(doc.segments[last].text)}"


def split_parts(row: BeadRow, src_at: int, tgt_at: int) -> str:
    """The two beads a split makes, by sentence numbers: ``first part 5 ↔ 5, second part 6 ↔ –``."""
    def numbers(ids: Sequence[int]) -> str:
        return ", ".join(str(i + 1) for i in ids) or "–"

    return (f"first part {numbers(row.src[:src_at])} ↔ {numbers(row.tgt[:tgt_at])}, "
            f"second part {numbers(row.src[src_at:])} ↔ {numbers(row.tgt[tgt_at:])}")


def set_split_parts(row: SetRow, cuts: Sequence[int]) -> str:
    """The two rows a split makes, by sentence numbers: ``first part 5 · 5 · 4, second part 6 · – · 5``."""
    def numbers(ids: Sequence[int]) -> str:
        return ", ".join(str(i + 1) for i in ids) or "–"

    first = " · ".join(numbers(cell[:at]) for cell, at in zip(row.cells, cuts))
    second = " · ".join(numbers(cell[at:]) for cell, at in zip(row.cells, cuts))
    return f"first part {first}, second part {second}"
