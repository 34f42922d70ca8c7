"""A version set in the workbench: its rows across every version side by side, corrected in place, and exported.

A set (three or more versions aligned together, ``align.project.version_sets``)
is opened from the sidebar like a pair (``?set=`` in the URL). Its alignment
view is the pair's: one row per set row with a column per version, drawn by
``align_ui.parallel``; the same toolbar and shortcuts act on the current row
through the store's set corrections, each checked against the row's version
as the reviewer saw it, and undoable. Its map is the pair's map, drawn between
any two of its versions, and its review is the pair's review, each row's
versions checked against a base version (``align_ui.review``).
"""
from __future__ import annotations

import streamlit as st

from align.project.bead_edits import SetRow
from align.project.store import Project
from align.project.version_sets import VersionSet
from align.types import Document
from align_ui import parallel, workbench
from align_ui.alignment import (
    chosen_filters,
    close_panel,
    correction_button,
    filter_bar,
    history_expander,
    in_view,
    jump_buttons,
    open_panel,
    page_key,
    pager,
    panel_toggle,
    row_list,
    step_buttons,
    turn_page,
)
from align_ui.new_pair import new_pair_panel
from align_ui.review import set_review_panel
from align_ui.state import (
    counts_line,
    current_bead,
    edit,
    flash,
    history_step,
    md,
    open_queue,
    remember_seen,
    row_edit,
    run_edit,
    save_note,
    set_data,
    set_owner,
    show_flashes,
    state,
)
from align_ui.views import download, map_view

VIEWS = ["Alignment", "Map", "Review", "Export", "New pair"]


def set_page(project: Project, project_name: str, vset: VersionSet, say=show_flashes) -> None:
    """Everything below the sidebar's chooser when a version set is open; ``say`` shows the messages
    (the app's, at the top of the page), except in the alignment view, whose fragment says them."""
    set_id = vset.id
    revision = project.set_revision(set_id)
    rows, docs = set_data(project, set_id, revision)
    status = project.version_set_status(set_id)
    if state.get("_select_view") in VIEWS:
        state["view"] = state.pop("_select_view")
    if state.get("view") not in VIEWS:
        state["view"] = VIEWS[0]
    head = st.columns([5, 6], vertical_alignment="center")
    with head[0]:
        view = st.segmented_control("View", VIEWS, key="view", required=True, label_visibility="collapsed",
                                    on_change=open_queue,
                                    help="Alignment: every version side by side, corrected in place. Map: the "
                                         "path of the rows between two versions. Review: the rows whose "
                                         "translations look wrong against a base version, worst first. Export: TMX "
                                         "(a unit per row, a variant per language) and tables (a column per "
                                         "version). New pair: add texts to the project.")
    if not rows:
        say()
        st.info("This version set has no rows.")
        st.stop()
    current_bead(rows, "row")
    if view == "Alignment":  # a fragment, as a pair's: corrections, steps and picks rerun the view alone
        with head[1]:
            filter_bar()
        set_alignment(project, project_name, vset)
        return
    say()
    if view == "New pair":
        new_pair_panel(project)
    elif view == "Export":
        counts_line(status, "row")
        set_export_view(project, vset)
    elif view == "Review":
        counts_line(status, "row")
        set_review_panel(project, vset, rows, docs, revision)
    else:
        counts_line(status, "row")
        set_map(vset, rows, docs)


@st.fragment
def set_alignment(project: Project, project_name: str, vset: VersionSet) -> None:
    """The alignment view of a set as a fragment (as ``alignment.pair_alignment`` for a pair): it reads the
    set as it stands after a correction and says what the correction said."""
    with st.container(key="view_messages"):  # always there: what follows keeps its place in the tree
        show_flashes()
    revision = project.set_revision(vset.id)
    rows, docs = set_data(project, vset.id, revision)
    if not rows:  # emptied meanwhile: the page's run says so
        st.rerun()
    current_bead(rows, "row")
    set_alignment_view(project, project_name, vset, rows, docs, revision, project.version_set_status(vset.id))


def set_alignment_view(project: Project, project_name: str, vset: VersionSet, rows: list[SetRow],
                       docs: list[Document], revision: int, status) -> None:
    """The current row (``state["bead_no"]``) among its neighbours, every version in its column, under the
    filters of the filter bar."""
    filters = chosen_filters()
    shown = workbench.filter_rows(rows, filters, docs)
    pages = workbench.page_count(len(shown))
    row = in_view(rows, shown)
    if "_page_to" in state:
        wanted = state.pop("_page_to")
        at = next((k for k, r in enumerate(shown) if r.position == wanted), None)
        turn_page(workbench.page_of(at) if at is not None else 1)
    if state.get(page_key(), 1) > pages:
        turn_page(pages)

    remember_seen(project_name, set_owner(vset.id), row, revision)
    set_toolbar(project, vset, rows, shown, row, filters.threshold)

    on_page = pager(rows, shown, pages, "row", status)
    set_list(project, vset, on_page, row, docs)
    history = history_expander()
    if history.open:
        with history:
            st.dataframe(workbench.history_rows(project.set_history(vset.id), rows, vset.labels), hide_index=True,
                         width="stretch")


def set_toolbar(project: Project, vset: VersionSet, rows: list[SetRow], shown: list[SetRow], row: SetRow,
                threshold: float) -> None:
    """The pair's toolbar, with the same keys, acting on the current row of the set."""
    set_id, current, owner = vset.id, row.position, set_owner(vset.id)

    correction = correction_button(row_edit, project, set_id)
    with st.container(horizontal=True, key="toolbar", vertical_alignment="center", gap="xsmall"):
        step_buttons(shown, current, "row")
        correction("Confirm", "confirm", "decide_row", "Y", "confirmed", icon=":material/check:",
                   help="this row is right in every version")
        correction("Reject", "reject", "decide_row", "X", "rejected", icon=":material/close:",
                   help="this row is wrong")
        correction("Merge", "merge_prev", "merge_row", "Shift+Up", direction="prev",
                   icon=":material/vertical_align_top:", help="merge with the previous row, in every version")
        correction("Merge", "merge_next", "merge_row", "Shift+Down", direction="next",
                   icon=":material/vertical_align_bottom:", help="merge with the next row, in every version")
        st.button("", key="undo", icon=":material/undo:", shortcut="Z", help="undo the last edit of the set",
                  on_click=history_step, args=(project, set_id, "undo_set", owner))
        st.button("", key="redo", icon=":material/redo:", shortcut="Shift+Z", help="redo what was undone",
                  on_click=history_step, args=(project, set_id, "redo_set", owner))

    with st.expander("More corrections: move a sentence (Alt+↑/↓), jump to the next of a kind (L N U F), "
                     "confirm all above (Shift+Y)…", key="more", icon=":material/build:"):
        labels = vset.labels
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.caption("Move a sentence of", width="content")
            which = st.segmented_control("Move in version", list(range(len(labels))), key=f"version_{set_id}",
                                         required=True, default=0, format_func=lambda v: labels[v],
                                         label_visibility="collapsed")
            which = which if which is not None and which < len(labels) else 0
            correction("Last sentence → next row", "pop_next", "move_sentence", "Alt+Down", which, to="next")
            correction("First sentence → previous row", "pop_prev", "move_sentence", "Alt+Up", which, to="prev")
            correction("Row of its own", "insert_empty", "detach_sentence", "E", which, edge="last",
                       help="the last sentence of this version gets a row of its own, empty in the others")
        jump_buttons(rows, current, threshold, "row")
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.caption("Decide", width="content")
            st.button("Confirm all above", key="confirm_up_to", shortcut="Shift+Y", on_click=confirm_above,
                      args=(project, set_id, current))
            correction("Unconfirm", "unconfirm", "decide_row", "Shift+U", "automatic")
        st.caption(f"Confirm all above: {workbench.confirm_message(workbench.confirm_above(rows, current))}"
                   .replace(" bead", " row"))


def confirm_above(project: Project, set_id: int, position: int) -> None:
    """Confirm the automatic rows down to ``position`` in one edit, refused if the set changed since it was seen."""
    seen = state.get("seen") or {}
    if seen.get("pair") != set_owner(set_id) or seen.get("project") != project.name:
        flash("warning", "The view changed before the click; nothing was done.")
        return
    rows = project.rows(set_id)
    numbers = [r.position + 1 for r in workbench.confirm_above(rows, position)]
    if not numbers:
        flash("info", "Every row above is decided already.")
        return
    edit(project.decide_rows, set_id, numbers, "confirmed", revision=seen.get("revision"))


def set_list(project: Project, vset: VersionSet, on_page: list[SetRow], row: SetRow, docs: list[Document]) -> None:
    """The page's rows, a column per version; a row's number selects it; the current one has its editor."""
    langs, labels = vset.languages, vset.labels
    sync_row_note(vset.id, row)
    row_list(on_page, row.position, parallel.set_header_html(docs, langs, labels),
             lambda r, current: parallel.set_row_html(r, docs, langs, labels, current=current, show_note=not current),
             lambda r: row_editor(project, vset, r, docs), "row")


def note_key(set_id: int, row_id: int) -> str:
    return f"note_set{set_id}_{row_id}"


def sync_row_note(set_id: int, row: SetRow) -> None:
    """The note field shows the note as stored (as ``alignment.sync_note``)."""
    key = note_key(set_id, row.id)
    if state.get(key) != row.note:
        state[key] = row.note


def row_editor(project: Project, vset: VersionSet, row: SetRow, docs: list[Document]) -> None:
    """The current row's note (saved as it is typed) and its split."""
    seen = state.get("seen") or {}
    version = seen.get("version", row.version) if seen.get("id") == row.id else row.version
    key = note_key(vset.id, row.id)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small", key="editor"):
        st.text_input(f"Note on row {row.position + 1}", key=key, live="300ms", on_change=save_note,
                      args=(project, vset.id, row.id, version, key, "set_row_note"), label_visibility="collapsed",
                      placeholder=f"Note on row {row.position + 1}: saved as you type", width="stretch",
                      icon=":material/sticky_note_2:")
        owner = f"row-{row.id}"
        panel_toggle("Split", "split", "S", owner, disabled=sum(map(len, row.cells)) < 2,
                     icon=":material/content_cut:", help="cut this row in two at a sentence boundary of each version (S)")
    if open_panel(owner) == "split":
        with st.container(border=True, key="split_panel"):
            split_panel(project, vset, row, docs, version)


@st.fragment
def split_panel(project: Project, vset: VersionSet, row: SetRow, docs: list[Document], version: int) -> None:
    """The boundary by sentence in each version: the first part ends after the chosen sentence."""
    st.caption("The first part ends after the chosen sentence in each version; the rest makes the second part.")
    cuts = []
    for v, (label, doc, ids) in enumerate(zip(vset.labels, docs, row.cells)):
        cuts.append(st.radio(f"First part ends after {label} sentence", list(range(len(ids) + 1)),
                             index=min(1, len(ids)), key=f"split_{v}_{row.id}", horizontal=len(ids) < 3,
                             format_func=lambda at, doc=doc, ids=ids, label=label: md(
                                 parallel.cut_label(doc, ids, at, label))))
    st.caption(md(f"Sentences: {parallel.set_split_parts(row, cuts)}"))
    if st.button("Split", key="split", icon=":material/content_cut:"):
        run_edit(project.split_row, vset.id, row.id, cuts, version=version, on_success=close_panel)


@st.fragment
def set_map(vset: VersionSet, rows: list[SetRow], docs: list[Document]) -> None:
    """The map of the set between two versions (the first two unless chosen), rows numbered as in the set.

    A fragment: choosing other versions redraws the map alone."""
    labels = vset.labels
    key = f"map_versions_{vset.id}"
    if not isinstance(state.get(key), list) or len(state[key]) != 2:
        state[key] = [0, 1]
    st.pills("Versions on the map", list(range(len(labels))), selection_mode="multi", key=key,
             format_func=lambda v: labels[v], on_change=_two_versions, args=(key,),
             help="two versions: the first across, the second down; a third choice replaces the first of the two")
    a, b = state[key]
    map_view(workbench.seen_from(rows, a, b), docs[a], docs[b], count=len(rows), names=(labels[a], labels[b]),
             noun="row")


def _two_versions(key: str) -> None:
    """Keep two versions on the map: a third one chosen replaces the first of the two."""
    before = state.get(f"_{key}_last", [0, 1])
    chosen = sorted(state.get(key) or [])
    if len(chosen) == 3:
        chosen = sorted([before[-1]] + [v for v in chosen if v not in before])
    state[key] = chosen if len(chosen) == 2 else before
    state[f"_{key}_last"] = state[key]


@st.fragment
def set_export_view(project: Project, vset: VersionSet) -> None:
    """What ``align project export --set`` writes: TMX with a unit per row, or a table with a column per version."""
    fmt = st.selectbox("Format", workbench.SET_EXPORT_FORMATS, key="export_format", width=320,
                       help="TMX: one unit per row, a variant per language; tables: a column per version")
    confirmed_only = st.checkbox("Confirmed rows only", key="export_confirmed")
    download(project, fmt, f"{project.name}-set{vset.id}{'-confirmed' if confirmed_only else ''}",
             pair_id=None, confirmed_only=confirmed_only, set_id=vset.id)
