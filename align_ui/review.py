"""The review queue: beads (or rows of a version set) whose translation looks wrong, worst first, with
reasons and decisions.

Decisions are the project's edits (accept = confirm, reject, fix a text), so
they are saved at once with history and can be undone like any correction.
The bead shown is the current bead of the workbench (the one the URL names);
a click in the queue makes a bead current, and a decision moves on to the next
bead of the queue. A pair and a version set share this view (``review_view``):
a set's rows are reviewed version by version against a base version
(``align.review.sets``), and what differs is only which store methods decide
and fix (``Actions``).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

from align.errors import AlignError
from align.project.bead_edits import SIDES, BeadRow, SetRow
from align.project.store import Project
from align.project.version_sets import VersionSet
from align.review.sets import compared_versions
from align.types import Document
from align_ui import parallel, workbench
from align_ui.alignment import page_key, row_list, turn_page
from align_ui.state import (
    chosen_model,
    md,
    open_queue,
    review_of,
    run_edit,
    select_bead,
    set_review_of,
    state,
)


@dataclass(frozen=True)
class Actions:
    """What a decision does in the store, for a pair's beads or a set's rows; ``v`` is a cell's index
    (0 source, 1 target; a set's version)."""

    decide: Callable[..., list]  # (row id, status, note, version=)
    edit_text: Callable[..., list]  # (v, sentence index, text, version=)
    add_sentence: Callable[..., list]  # (row id, v, text, version=)
    accept_clean: Callable[[list[int]], list]  # (row ids)


def review_panel(project: Project, pair_id: int, rows: list[BeadRow], src_doc: Document, tgt_doc: Document,
                 revision: int, folder: str, project_name: str) -> None:
    """A pair's review: its beads checked as they stand, the target fixed against the source."""
    st.caption("Every bead is checked for omissions and additions, low similarity, length, numbers, names, "
               "placeholders and tags, untranslated or wrong-language text and machine-translation noise; "
               "thresholds come from this pair itself. Worst first.")
    content_key = hash((tuple((r.src, r.tgt) for r in rows), tuple(s.text for s in src_doc.segments),
                        tuple(s.text for s in tgt_doc.segments)))
    try:
        reviews = review_of(chosen_model(), folder, project_name, pair_id, content_key)
    except AlignError as exc:
        st.error(md(str(exc)))
        return
    actions = Actions(
        decide=lambda row_id, status, note, version: project.decide(pair_id, row_id, status, note, version=version),
        edit_text=lambda v, index, text, version: project.edit_segment_text(pair_id, SIDES[v], index, text,
                                                                            version=version),
        add_sentence=lambda row_id, v, text, version: project.add_sentence(pair_id, row_id, SIDES[v], text,
                                                                           version=version),
        accept_clean=lambda ids: project.set_status_of(pair_id, ids, "confirmed", revision=revision))
    review_view(rows, reviews, [src_doc, tgt_doc], ["source", "target"], revision, actions, "bead")


def set_review_panel(project: Project, vset: VersionSet, rows: list[SetRow], docs: list[Document],
                     revision: int) -> None:
    """A version set's review: each row's versions checked against a base version (the first unless chosen),
    each compared version fixed against it."""
    labels, set_id = vset.labels, vset.id
    base_key, versions_key = f"review_base_{set_id}", f"review_versions_{set_id}"
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.caption("Check against", width="content")
        base = st.segmented_control("Base version", list(range(len(labels))), key=base_key, required=True,
                                    default=0, format_func=lambda v: labels[v], label_visibility="collapsed")
        base = base if base is not None and base < len(labels) else 0
        st.caption("the versions", width="content")
        chosen = st.pills("Versions checked", list(range(len(labels))), selection_mode="multi", key=versions_key,
                          default=None, format_func=lambda v: labels[v], label_visibility="collapsed",
                          help="none chosen: every version but the base")
    versions = tuple(compared_versions(len(docs), base, chosen or None))
    st.caption(md(f"Each row's {', '.join(labels[v] for v in versions) or 'versions'} checked against its "
                  f"{labels[base]} for omissions and additions, low similarity, length, numbers, names, "
                  "untranslated or wrong-language text and machine-translation noise, as a pair of those two "
                  "versions; thresholds come from this set. A reason names the version it was found in. "
                  "Worst first."))
    if not versions:
        st.info("Choose a version to check other than the base.")
        return
    content_key = hash((tuple(r.cells for r in rows), tuple(tuple(s.text for s in d.segments) for d in docs)))
    try:
        reviews = set_review_of(chosen_model(), str(project.path.parent), project.name, set_id, base, versions,
                                content_key)
    except AlignError as exc:
        st.error(md(str(exc)))
        return
    actions = Actions(
        decide=lambda row_id, status, note, version: project.decide_row(set_id, row_id, status, note,
                                                                        version=version),
        edit_text=lambda v, index, text, version: project.edit_version_text(set_id, v, index, text, version=version),
        add_sentence=lambda row_id, v, text, version: project.add_version_sentence(set_id, row_id, v, text,
                                                                                   version=version),
        accept_clean=lambda ids: project.decide_rows(set_id, _numbers(rows, ids), "confirmed", revision=revision))
    shown = [base, *versions]
    review_view(rows, reviews, [docs[v] for v in shown], [labels[v] for v in shown], revision, actions, "row",
                cells=shown)


def review_view(rows: Sequence, reviews, docs: Sequence[Document], labels: Sequence[str], revision: int,
                actions: Actions, noun: str, cells: Sequence[int] | None = None) -> None:
    """The counts, the queue, the current bead (or row) with its reasons and decisions, and the bulk accept of
    clean ones. ``docs`` and ``labels`` are the columns shown, ``cells`` the row's cell each one is (default:
    all, in order); the first is the reference, the others can be fixed."""
    cells = list(range(len(docs))) if cells is None else list(cells)
    for column, (sev, (count, undecided)) in zip(st.columns(4), workbench.severity_counts(rows, reviews).items()):
        column.metric(f"{workbench.SEVERITY_MARK[sev]} {sev}", count, f"{undecided} to decide" if count else None,
                      delta_color="off", delta_arrow="off")
    # Three named buttons: a slider showed the chosen level alone, on an unmarked track.
    floor = st.segmented_control(f"Show {noun}s from", workbench.SEVERITIES[1:], default="minor", required=True,
                                 key="review_floor", on_change=open_queue)
    seen = [_seen_cells(r, cells) for r in rows]
    queue = workbench.review_queue(rows, reviews, floor)
    if state.pop("_open_queue", False) and queue:
        select_bead(workbench.queue_start(queue, state["bead_no"]) - 1)
    row = rows[state["bead_no"] - 1]
    following = workbench.next_in_queue(queue, row.position + 1)
    after = following - 1 if following is not None else None
    in_queue = {q["#"]: q for q in queue}
    on_page = [rows[q["#"] - 1] for q in queue_page(queue, row.position, noun)]

    def decisions(in_list=None) -> None:  # row_list passes the row it is drawn under
        _decide(row, in_queue.get(row.position + 1), reviews, seen[row.position], docs, labels, cells,
                revision, actions, noun, after, in_list is not None)

    langs = [doc.lang for doc in docs]  # each a pass over the document: once per run

    def entry_html(r, current: bool) -> str:
        sides = [parallel.side_html(doc, cell, lang, f"v{k}", label)
                 for k, (doc, cell, lang, label) in enumerate(zip(docs, seen[r.position].cells, langs, labels))]
        return parallel.queue_html(in_queue[r.position + 1], sides, current, show_reasons=not current, noun=noun)

    if not queue:
        st.success("Nothing to review at this level.")
    elif all(q["status"] != "automatic" for q in queue):
        st.success(f"Every {noun} in the queue at this level is decided.")
    if on_page:
        row_list(on_page, row.position, parallel.set_header_html(docs, langs, labels, "severity"), entry_html,
                 decisions, noun)
    if not any(r.position == row.position for r in on_page):  # drawn under the page instead of in it
        decisions()
    st.divider()
    bulk = st.columns([3, 1])
    min_confidence = bulk[0].slider(f"Accept every clean, undecided {noun} with an alignment probability of at "
                                    "least P", 0.0, 1.0, workbench.HIGH, 0.05, key="bulk_min")
    clean = workbench.clean_beads(rows, reviews, min_confidence)
    chosen = set(clean)
    bulk[0].caption(workbench.confirm_message([r for r in rows if r.id in chosen])
                    .replace(" bead", f" {noun}"))  # before the click
    label = f"Accept {workbench.counted(len(clean), 'clean ' + noun)}"
    if bulk[1].button(label, key="bulk_accept", disabled=not clean):
        run_edit(actions.accept_clean, clean)


def queue_page(queue: list[dict], current: int, noun: str) -> list[dict]:
    """The page of the queue shown (``workbench.PAGE_SIZE`` entries, so a long queue stays quick): the one
    holding the current bead when it has just become current (a click, J, a decision moving on), else the
    one chosen."""
    size = workbench.PAGE_SIZE  # read here, not bound at import: a test sets a small one
    pages = workbench.page_count(len(queue), size)
    at = next((k for k, q in enumerate(queue) if q["#"] == current + 1), None)
    if state.get("_review_current") != current and at is not None:
        turn_page(workbench.page_of(at, size), "review_page")
    state["_review_current"] = current
    if state.get(page_key("review_page"), 1) > pages:
        turn_page(pages, "review_page")
    if pages == 1:
        return queue
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        number = st.pagination(pages, key=page_key("review_page"), max_visible_pages=9,
                               default=min(state.get("_review_page_default", 1), pages))
        on_page = workbench.page(queue, number, size)
        st.caption("In the queue: " + workbench.shown_caption(noun, (number - 1) * size, len(on_page), len(queue),
                                                              len(queue)), width="content")
    return on_page


def _decide(row, entry: dict | None, reviews, seen: SetRow, docs: Sequence[Document], labels: Sequence[str],
            cells: Sequence[int], revision: int, actions: Actions, noun: str, after: int | None,
            under_entry: bool) -> None:
    """The current bead's (or row's) status line with *Next in the queue*, its flags, its texts to fix, the
    note and the decisions; drawn under its entry in the queue, or under the queue when it is not on the
    page shown."""
    with st.container(key="editor"):  # the picker scrolls the current entry and this into view
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.markdown(f"**{noun.title()} {row.position + 1}** · "
                        + (f"{entry['severity']} · {md(entry['flags'])}" if entry else "not in the queue")
                        + f" · status {row.status}", width="content")
            if st.button("Next in the queue", key="review_next", shortcut="J", disabled=after is None,
                         icon=":material/arrow_downward:"):
                select_bead(after)
        for flag in reviews[row.position].flags if row.position < len(reviews) else ():
            st.text(f"• {flag.name} ({flag.severity}): {flag.reason}")
        fixes, missing = _texts(row, seen, docs, labels, revision, under_entry)
        note = st.text_input("Note (saved with the decision)", value=row.note,
                             key=f"review_note_{row.id}_{revision}")
        move_on = (lambda written: state.__setitem__("_select_bead", after)) if after is not None else None
        decide = st.columns(3)
        if decide[0].button("Accept", key="review_accept", shortcut="Y"):
            run_edit(actions.decide, row.id, "confirmed", note, version=row.version, on_success=move_on)
        if decide[1].button("Reject", key="review_reject", shortcut="X"):
            run_edit(actions.decide, row.id, "rejected", note, version=row.version, on_success=move_on)
        changed = {(k, j): text for (k, j), text in fixes.items() if text != docs[k].segments[j].text}
        typed = {k: text for k, text in missing.items() if text.strip()}
        # Never disabled: a text typed is known only once its field loses focus, and the click that does
        # that was spent on a disabled button (the fix needed two clicks).
        if decide[2].button("Save the fix and accept", key="review_fix",
                            help="save the corrected sentences or the missing translation typed above, and accept"):
            if changed or typed:
                run_edit(fix_and_accept, actions, row, note, {(cells[k], j): t for (k, j), t in changed.items()},
                         {cells[k]: t for k, t in typed.items()}, on_success=move_on)
            else:
                st.info("Nothing to save: correct a sentence or type the missing translation above first.")


def _numbers(rows: Sequence[SetRow], ids: Sequence[int]) -> list[int]:
    """The 1-based numbers of the rows with these ids, as ``decide_rows`` takes them."""
    wanted = set(ids)
    return [r.position + 1 for r in rows if r.id in wanted]


def _seen_cells(row, cells: Sequence[int]) -> SetRow:
    """The row with only the cells shown, in the order shown (the queue's columns)."""
    return SetRow(row.id, row.position, tuple(row.cells[v] for v in cells), row.score, row.status, row.note,
                  row.version)


def _texts(row, seen: SetRow, docs: Sequence[Document], labels: Sequence[str], revision: int,
           under_entry: bool) -> tuple[dict[tuple[int, int], str], dict[int, str]]:
    """The row's columns: the first, the reference, as page text (unless its queue entry right above shows it), every other
    column's sentences as fields to fix, and a field for the missing translation where a column has none.
    Returns the texts typed, by (column, sentence) and by column."""
    columns = st.columns(len(docs))
    st.html(parallel.CSS)
    fixes, missing = {}, {}
    for k, (column, doc, label, ids) in enumerate(zip(columns, docs, labels, seen.cells)):
        if k == 0:
            column.caption(md(f"Checked against: {label} ({doc.lang})" + (", above" if under_entry else "")))
            if not under_entry:
                column.html(parallel.side_html(doc, ids, doc.lang, f"v{k}", label))
            continue
        column.caption(md(f"Fix the {label} ({doc.lang}) here"))
        for j in ids:
            fixes[k, j] = column.text_area(f"{label} sentence {j + 1}", doc.segments[j].text,
                                           key=f"fix_{k}_{j}_{revision}")
        if not ids and seen.cells[0]:
            missing[k] = column.text_area(f"Missing translation: type it to add it to the {label}",
                                          key=f"missing_{k}_{row.id}_{revision}")
    return fixes, missing


def fix_and_accept(actions: Actions, row, note: str, changed: dict[tuple[int, int], str],
                   missing: dict[int, str]) -> None:
    """Save the corrected sentences and the typed translations of ``row``, then accept it with ``note``.

    From the last sentence back (a line break splits a sentence and shifts the later ones); each edit is
    made on the row as the one before left it."""
    version = row.version
    for (v, j), text in sorted(changed.items(), reverse=True):
        version = _version_of(actions.edit_text(v, j, text, version=version), row.id, version)
    for v, text in sorted(missing.items()):
        version = _version_of(actions.add_sentence(row.id, v, text, version=version), row.id, version)
    actions.decide(row.id, "confirmed", note, version=version)


def _version_of(written: list, row_id: int, version: int) -> int:
    """The version the edit gave the row ``row_id``, or ``version`` if it did not write it."""
    return next((r.version for r in written if r.id == row_id), version)
