"""The parallel view as HTML: one row per bead, source and target side by side, every sentence apart.

Pure functions of the beads and documents, tested without Streamlit. Every
piece of user text (sentences, notes, language tags) goes through
``html.escape``: the page shows it as typed, never as markup. Sentences carry
their 1-based number in their document; beads their 1-based number in the
pair, the numbers the toolbar, the map and the history use.
"""
from __future__ import annotations

import html
import os
from collections.abc import Sequence

from align.pairing import probability
from align.project.bead_edits import BeadRow
from align.types import Document
from align_ui.workbench import short_text

STATUS_MARK = {"confirmed": ("✓", "confirmed"), "rejected": ("✗", "rejected"), "automatic": ("", "automatic")}

# One stylesheet for the view, sent once a run (st.html of a lone <style> takes no room on the page).
# Colours are translucent so a dark theme reads as well as a light one.
_BAND_COLOURS = {name: colour for name, _, _, colour in probability.BANDS}
CSS = """
<style>
.bw-head, .bw-bead {display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) 6.6rem;
  column-gap: 1rem; line-height: 1.45;}
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
.bw-meta {font-size: 0.78rem; display: flex; flex-direction: column; align-items: flex-start; gap: 0.15rem;}
.bw-p {color: #fff; font-weight: 600; padding: 0 0.4rem; border-radius: 0.6rem;
  font-variant-numeric: tabular-nums;}
.bw-kind {opacity: 0.75;}
.bw-status-confirmed {color: #2e9d4f; font-weight: 600;}
.bw-status-rejected {color: #d43d2a; font-weight: 600;}
.bw-status-automatic {opacity: 0.6;}
.bw-note {grid-column: 1 / 3; font-size: 0.85rem; margin-top: 0.25rem; padding: 0.1rem 0.4rem;
  border-left: 3px solid rgba(100, 130, 220, 0.7); background: rgba(100, 130, 220, 0.08);}
.st-key-parallel [class*="st-key-pick_"] button {min-height: 1.9rem; padding: 0.1rem 0.3rem; width: 100%;
  margin-top: 0.2rem; font-variant-numeric: tabular-nums;}
.st-key-editor {margin: 0.2rem 0 0.6rem;}
.st-key-toolbar .st-key-confirm, .st-key-toolbar .st-key-merge_prev, .st-key-toolbar .st-key-undo
  {margin-left: 0.6rem;}
</style>
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def probability_mark(score: float) -> str:
    """The bead's probability as one mark: the number on its band's colour (green, yellow, red)."""
    band = probability.band(score)
    return (f'<span class="bw-p" style="background:{_BAND_COLOURS[band]}" '
            f'title="probability that this bead is exactly right ({band})">{score:.2f}</span>')


def side_html(doc: Document, ids: Sequence[int], doc_lang: str, side: str) -> str:
    """A bead side: each sentence apart, numbered as in its document (1-based); a language tag
    where a sentence is tagged otherwise than its document."""
    if not ids:
        name = "source" if side == "src" else "target"
        return f'<div class="bw-side bw-{side}"><span class="bw-empty">(no {name} sentence)</span></div>'
    parts = []
    for i in ids:
        seg = doc.segments[i]
        tag = f'<span class="bw-lang">{_esc(seg.lang)}</span>' if seg.lang != doc_lang else ""
        parts.append(f'<div class="bw-s"><span class="bw-n" title="{"source" if side == "src" else "target"} '
                     f'sentence {i + 1}">{i + 1}</span><span class="bw-t" lang="{_esc(seg.lang)}">'
                     f'{_esc(seg.text)}</span>{tag}</div>')
    return f'<div class="bw-side bw-{side}">{"".join(parts)}</div>'


def bead_html(row: BeadRow, src: Document, tgt: Document, src_lang: str, tgt_lang: str,
              current: bool = False, show_note: bool = True) -> str:
    """One bead as a row of the parallel view; ``src_lang``/``tgt_lang`` are the documents' languages
    (passed in: working them out is a pass over the document)."""
    mark, word = STATUS_MARK.get(row.status, ("", row.status))
    classes = " ".join(filter(None, ["bw-bead", "bw-current" if current else "", f"bw-{_esc(row.status)}"]))
    note = (f'<div class="bw-note" title="note">{_esc(row.note)}</div>'
            if show_note and row.note else "")
    return (f'<div class="{classes}" data-bead="{row.position + 1}">'
            f"{side_html(src, row.src, src_lang, 'src')}{side_html(tgt, row.tgt, tgt_lang, 'tgt')}"
            f'<div class="bw-meta"><span>{probability_mark(row.score)} <span class="bw-kind">{row.kind}</span>'
            f'</span><span class="bw-status-{_esc(row.status)}">{mark} {_esc(word)}</span></div>{note}</div>')


def header_html(src: Document, tgt: Document, src_lang: str, tgt_lang: str) -> str:
    """The column heads: each side's file name and language."""
    return (f'<div class="bw-head"><div>Source · {_esc(os.path.basename(src.name))} ({_esc(src_lang)})</div>'
            f'<div>Target · {_esc(os.path.basename(tgt.name))} ({_esc(tgt_lang)})</div>'
            '<div>probability</div></div>')


def cut_label(doc: Document, ids: Sequence[int], at: int, side: str) -> str:
    """What cutting a bead side after its first ``at`` sentences keeps in the first part, by sentence number."""
    name = "source" if side == "src" else "target"
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
