"""The alignment view: filters, the toolbar of corrections, the parallel view and the current bead's editor.

The parallel view is page text: one row per bead, source and target side by
side, every sentence apart with its number (``align_ui.parallel`` writes the
HTML, escaping every user text). The current bead is highlighted, and its
editor (note, split, sentence text) opens right under it. Corrections are
buttons with keyboard shortcuts; the frequent ones sit in one toolbar, the
rest in *More corrections*, whose shortcuts work while it is closed.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from align.pairing.passages import OneSidedRun, as_sentence, one_sided_runs
from align.project.bead_edits import BeadRow
from align.project.store import Project
from align.types import Document
from align_ui import parallel, workbench
from align_ui.state import (
    bead_edit,
    counts_line,
    current_bead,
    edit,
    flash,
    go_to,
    history_step,
    md,
    pair_data,
    realign,
    remember_seen,
    run_edit,
    save_note,
    save_text,
    show_flashes,
    state,
)

FILTERS = {"low": "under P", "not11": "not 1-1", "unconfirmed": "unconfirmed", "flagged": "flagged"}
JUMP_KEYS = {"low": "L", "not11": "N", "unconfirmed": "U", "flagged": "F"}


def filter_bar() -> workbench.Filters:
    """Which beads the view lists: the chosen kinds (all of them at once), P for the probability filter.

    Drawn by full runs only; a fragment's run reads the same choice with ``chosen_filters``."""
    with st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center", gap="small",
                      key="filter_bar"):
        st.text_input("Find", key="f_find", on_change=follow_bead, placeholder="Find text", width=180,
                      label_visibility="collapsed", help="beads with this text in a sentence (any side) or in "
                                                         "their note; case and full-width forms ignored")
        st.caption("Show only", width="content")
        st.pills("Show only", list(FILTERS), selection_mode="multi", key="filters", format_func=FILTERS.get,
                          on_change=follow_bead, label_visibility="collapsed",
                          help="beads of every chosen kind (none chosen: every bead); under P: probability "
                               "under P (a confirmed bead counts as 1, a rejected one as 0); flagged: "
                               "rejected or with a note")
        with st.popover(f"P = {state.get('f_threshold', workbench.LOW):.2f}", type="tertiary",
                        help="the probability of *under P* and of *Next low probability*"):
            st.slider("P", 0.0, 1.0, workbench.LOW, 0.05, key="f_threshold",
                                  help=f"the marks: green ≥ {workbench.HIGH:g}, yellow ≥ {workbench.MEDIUM:g}, "
                                       "red below")
    return chosen_filters()


def chosen_filters() -> workbench.Filters:
    """The filters as the filter bar's widgets hold them."""
    chosen = set(state.get("filters") or ())
    return workbench.Filters(low_confidence="low" in chosen, threshold=state.get("f_threshold", workbench.LOW),
                             not_one_to_one="not11" in chosen, unconfirmed="unconfirmed" in chosen,
                             flagged="flagged" in chosen, find=state.get("f_find") or "")


def follow_bead() -> None:
    """After a change of filters or of the bead number: show the page holding the current bead."""
    state["_page_to"] = state.get("bead_no", 1) - 1


def in_view(rows: list, shown: list):
    """The current bead (or row), moved to the next one the filters show where they hide it (a bead just
    confirmed under "unconfirmed"), or to the last shown: the toolbar and its keys act on what is on screen."""
    current = state["bead_no"] - 1
    if shown and all(r.position != current for r in shown):
        nearest = next((r for r in shown if r.position > current), shown[-1])
        state["bead_no"] = nearest.position + 1
        state["_page_to"] = nearest.position
    return rows[state["bead_no"] - 1]


def _page_turned(key: str, firsts: list[int]) -> None:
    """The pager's on_change: the first bead (or row) of the page opened becomes current, so that the keys act
    on a bead in view."""
    page = state.get(key, 1)
    if 1 <= page <= len(firsts):
        state["_select_bead"] = firsts[page - 1]


def page_key(name: str = "page") -> str:
    """The key of the pagination ``name`` (the alignment's, the review queue's) as it stands."""
    return f"{name}_{state.get(f'_{name}_turns', 0)}"


def turn_page(number: int, name: str = "page") -> None:
    """Open page ``number`` on this run: a new pagination widget starting there (its state is its own)."""
    if state.get(page_key(name), 1) != number:
        state[f"_{name}_turns"] = state.get(f"_{name}_turns", 0) + 1
        state[f"_{name}_default"] = number


@st.fragment
def pair_alignment(project: Project, project_name: str, pair_id: int) -> None:
    """The alignment view of a pair as a fragment: a correction, a step or a pick reruns this view alone (the
    sidebar and the choice of view stay as they are), so it shows at once on a pair of any size. It reads the
    pair itself, as it stands after the correction, and says what the correction said."""
    with st.container(key="view_messages"):  # always there: what follows keeps its place in the tree
        show_flashes()
    revision = project.revision(pair_id)
    rows, (src_doc, tgt_doc) = pair_data(project, pair_id, revision)
    if not rows:  # emptied meanwhile (re-aligned in another tab): the page's run says so
        st.rerun()
    current_bead(rows)
    alignment_view(project, project_name, pair_id, rows, src_doc, tgt_doc, revision, project.status(pair_id))


def alignment_view(project: Project, project_name: str, pair_id: int, rows: list[BeadRow], src_doc: Document,
                   tgt_doc: Document, revision: int, status) -> None:
    """The view of the current bead (``state["bead_no"]``, set and clamped by ``current_bead``) among its
    neighbours, under the filters of the filter bar."""
    filters = chosen_filters()
    shown = workbench.filter_rows(rows, filters, (src_doc, tgt_doc))
    pages = workbench.page_count(len(shown))
    bead = in_view(rows, shown)
    if "_page_to" in state:  # a jump, a click on a row or on the map, a new filter: the current bead's page
        wanted = state.pop("_page_to")
        at = next((k for k, r in enumerate(shown) if r.position == wanted), None)
        turn_page(workbench.page_of(at) if at is not None else 1)
    if state.get(page_key(), 1) > pages:
        turn_page(pages)

    remember_seen(project_name, pair_id, bead, revision)
    toolbar(project, pair_id, rows, shown, bead, filters.threshold)

    on_page = pager(rows, shown, pages, "bead", status)
    run = next((r for r in one_sided_runs(rows) if r.first_bead <= bead.position <= r.last_bead), None)
    lone = LoneRun(run, rows[run.first_bead:run.last_bead + 1], len(rows)) if run else None
    parallel_list(project, pair_id, on_page, bead, src_doc, tgt_doc, revision, lone)
    history = history_expander()
    if history.open:
        with history:
            st.dataframe(workbench.history_rows(project.history(pair_id), rows), hide_index=True, width="stretch")


def history_expander():
    """The "Edit history" expander; its table is drawn only while it is open (a run after a correction
    does not rebuild it for nothing)."""
    return st.expander("Edit history", key="history", on_change="rerun")


def toolbar(project: Project, pair_id: int, rows: list[BeadRow], shown: list[BeadRow], bead: BeadRow,
            threshold: float) -> None:
    """The frequent corrections in one row; moving sentences, jumps and bulk decisions under *More*.

    Buttons act in their callbacks, before the next run reads the pair: one
    run per correction, and the bead acted on is the one the reviewer saw.
    """
    current = bead.position

    correction = correction_button(bead_edit, project, pair_id)
    with st.container(horizontal=True, key="toolbar", vertical_alignment="center", gap="xsmall"):
        step_buttons(shown, current, "bead")
        correction("Confirm", "confirm", "confirm", "Y", icon=":material/check:", help="this bead is right")
        correction("Reject", "reject", "reject", "X", icon=":material/close:", help="this bead is wrong")
        correction("Merge", "merge_prev", "merge_prev", "Shift+Up", icon=":material/vertical_align_top:",
                   help="merge with the previous bead")
        correction("Merge", "merge_next", "merge_next", "Shift+Down", icon=":material/vertical_align_bottom:",
                   help="merge with the next bead")
        st.button("", key="undo", icon=":material/undo:", shortcut="Z", help="undo the last edit",
                  on_click=history_step, args=(project, pair_id, "undo"))
        st.button("", key="redo", icon=":material/redo:", shortcut="Shift+Z", help="redo what was undone",
                  on_click=history_step, args=(project, pair_id, "redo"))
        # The side the move keys (Alt+arrows, E) act on, shown where the keys are used: it sat in the closed
        # panel below, so Alt+↓ moved a sentence of a side the reviewer could not see chosen.
        moving = state.get("side") or "src"
        st.button(f"Moves: {'source' if moving == 'src' else 'target'}", key="switch_side", shortcut="W",
                  type="tertiary", on_click=switch_side,
                  help="the side whose sentence Alt+↑/↓, Alt+Shift+↑/↓ and E move; W switches it")

    with st.expander("More corrections: move a sentence (Alt+↑/↓), jump to the next of a kind (L N U F), "
                     "confirm all above (Shift+Y)…", key="more", icon=":material/build:"):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.caption("Move a sentence of the", width="content")
            side = st.segmented_control("Move on the", ["src", "tgt"], key="side", required=True, default="src",
                                        format_func={"src": "source side", "tgt": "target side"}.get,
                                        label_visibility="collapsed")
            correction("Last sentence → next bead", "pop_next", "pop", "Alt+Down", side, to="next")
            correction("First sentence → previous bead", "pop_prev", "pop", "Alt+Up", side, to="prev")
            correction("Pull one from next", "shift_next", "shift", "Alt+Shift+Down", side, from_="next")
            correction("Pull one from previous", "shift_prev", "shift", "Alt+Shift+Up", side, from_="prev")
            correction("Empty counterpart", "insert_empty", "insert_empty", "E", side,
                       help="the last sentence of this side gets a bead of its own, facing nothing")
        jump_buttons(rows, current, threshold, "bead")
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.caption("Decide", width="content")
            correction("Confirm all above", "confirm_up_to", "confirm_up_to", "Shift+Y")
            correction("Unconfirm", "unconfirm", "unconfirm", "Shift+U")
            if st.button("Re-align unconfirmed", key="realign", icon=":material/autorenew:",
                         help=f"confirmed beads stay; so do untouched beads of probability ≥ {workbench.HIGH:g} "
                              "unless the new path is clearly better there; the changes are listed"):
                with st.spinner("Re-aligning everything not confirmed…"):
                    run_edit(realign, project, pair_id)
        # Said before the click: what confirming everything down to this bead would take on trust.
        st.caption(f"Confirm all above: {workbench.confirm_message(workbench.confirm_above(rows, current))}")


def text_left(project: Project, pair_id: int, bead_id: int, version: int, side: str, index: int, key: str) -> None:
    """The sentence field's on_change: save its text. A text refused (only spaces) or the same once trimmed
    gives a fresh field showing what is stored, and a refusal is said under the field, not at the top of the
    page, out of sight."""
    before = project.revision(pair_id)
    problem = save_text(project, pair_id, bead_id, version, side, index, state.get(key, ""))
    if project.revision(pair_id) == before:
        state["_text_resets"] = state.get("_text_resets", 0) + 1
        if problem:
            state["_text_problem"] = problem


def switch_side() -> None:
    """W: the move keys act on the other side."""
    state["side"] = "tgt" if (state.get("side") or "src") == "src" else "src"


@dataclass(frozen=True)
class LoneRun:
    """The run of one-sided beads the current bead is in: the run, its beads, and how many beads the pair has."""

    run: OneSidedRun
    beads: list[BeadRow]
    count: int


def lone_run_notice(project: Project, pair_id: int, lone: LoneRun, revision: int) -> None:
    """What the run of sentences with no counterpart that the current bead is in is (a passage one version lacks),
    a button past it (stepping through a hundred one-sided beads one key at a time is no review) and one that
    confirms the whole run in one undoable edit, saying beforehand how many errors to expect among them."""
    run, pending = lone.run, [row for row in lone.beads if row.status == "automatic"]
    st.caption(md(as_sentence(run.describe())))
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        if pending:
            st.button(f"Confirm the run ({len(pending)})", key="confirm_run", type="tertiary",
                      help=workbench.confirm_message(pending), on_click=edit,
                      args=(project.set_status_of, pair_id, [row.id for row in pending], "confirmed"),
                      kwargs={"revision": revision})
        if run.last_bead + 1 < lone.count:
            st.button(f"Go past it, to bead {run.last_bead + 2}", key="past_run", type="tertiary", on_click=go_to,
                      args=(run.last_bead + 1,))


def jump_buttons(rows: list, current: int, threshold: float, noun: str) -> None:
    """One button per kind of bead (or row) worth a look: the next one of that kind after ``current``."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.caption("Jump to the next", width="content")
        for kind, label in workbench.KINDS.items():
            found = workbench.next_of_kind(rows, current, kind, threshold)
            st.button(label, key=f"next_{kind}", shortcut=JUMP_KEYS[kind], type="tertiary",
                      on_click=go_to if found is not None else flash,
                      args=(found,) if found is not None else ("info", f"No {label} {noun}."))


def parallel_list(project: Project, pair_id: int, on_page: list[BeadRow], bead: BeadRow, src_doc: Document,
                  tgt_doc: Document, revision: int, lone: LoneRun | None) -> None:
    """The page's beads side by side; a bead's number selects it; the current one has its editor under it (and
    the run of one-sided beads it is in, ``lone``)."""
    src_lang, tgt_lang = src_doc.lang, tgt_doc.lang  # each a pass over the document: once per run
    sync_note(pair_id, bead)
    row_list(on_page, bead.position, parallel.header_html(src_doc, tgt_doc, src_lang, tgt_lang),
             lambda row, current: parallel.bead_html(row, src_doc, tgt_doc, src_lang, tgt_lang, current=current,
                                                     show_note=not current),
             lambda row: bead_editor(project, pair_id, row, src_doc, tgt_doc, revision, lone), "bead")


# Clicks on a row's number (a <button class="bw-pick"> in the page text) come back as this component's
# "pick" trigger: one element for the whole page instead of a Streamlit button per row, which is what
# keeps a correction's rerun short at any page size. The same element keeps the current row in sight:
# when another row becomes current (a key, a jump, a link's ?bead=), or a correction draws it anew, it and its
# editor are scrolled into view, the least that shows both; scrolling by hand to read is left alone until the
# next change. A panel opened under the editor is scrolled into view the same way.
_PICKER_JS = """
export default function (component) {
  const { setTriggerValue } = component;
  const pick = (event) => {
    const button = event.target instanceof Element ? event.target.closest("button.bw-pick[data-pick]") : null;
    if (button) setTriggerValue("pick", Number(button.dataset.pick));
  };
  let shown = null, drawn = null, opened = null, openedAt = 0, focused = null;
  const follow = () => {
    // A panel just opened under the editor (Split, Edit a sentence) is brought into view as it fills in, and
    // takes the focus itself, so that Tab goes into it rather than through every bead number above it, while
    // the keys still act on the page (focused in the text, a second T had been typed into the sentence).
    const panel = document.querySelector(".st-key-split_panel, .st-key-edit_panel");
    const which = panel ? panel.className.match(/st-key-(split|edit)_panel/)[0] + "@" + shown : null;
    if (which !== opened) { opened = which; openedAt = Date.now(); if (!which) focused = null; }
    if (panel && Date.now() - openedAt < 1500) {
      panel.scrollIntoView({ block: "nearest" });
      if (focused !== which) { focused = which; panel.tabIndex = -1; panel.focus({ preventScroll: true }); }
    }
    // Another current row, or the same one drawn anew by a correction (a merge that made it taller, an
    // undo): it and its editor are brought into view.
    const current = document.querySelector(".bw-current");
    if (!current || current === drawn) return;
    drawn = current;
    shown = current.dataset.bead;
    document.querySelector(".st-key-editor")?.scrollIntoView({ block: "nearest" });
    current.scrollIntoView({ block: "nearest" });
  };
  // Enter (which saves) or Escape in the note field, the "Go to" box or Find gives the keys back to the page: left
  // in the field, J, Y or X were typed into the note instead of acting, and Shift+↓ lowered the bead number
  // instead of merging.
  const leave = (event) => {
    const field = event.target instanceof Element
      ? event.target.closest(".st-key-editor input[type='text'], .st-key-bead_no input, .st-key-f_find input")
      : null;
    if (field && (event.key === "Enter" || event.key === "Escape")) setTimeout(() => field.blur(), 0);
    // In a sentence's text Enter is a line break (it splits the sentence): Escape alone leaves, and saves.
    const text = event.target instanceof Element ? event.target.closest(".st-key-edit_panel textarea") : null;
    if (text && event.key === "Escape") setTimeout(() => text.blur(), 0);
  };
  const observer = new MutationObserver(follow);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true,
                                    attributeFilter: ["class", "data-bead"] });
  follow();
  document.addEventListener("click", pick);
  document.addEventListener("keydown", leave);
  return () => { observer.disconnect(); document.removeEventListener("click", pick);
                 document.removeEventListener("keydown", leave); };
}
"""
_picker = st.components.v2.component("align_row_picker", js=_PICKER_JS)
PICKER_KEY = "row_picker"


def picked() -> None:
    """The picker's callback: the row whose number was clicked (1-based) becomes the current one."""
    number = (state.get(PICKER_KEY) or {}).get("pick")
    if isinstance(number, (int, float)) and number >= 1:
        go_to(int(number) - 1)


def row_list(on_page: list, current: int, header: str, row_html, editor, noun: str) -> None:
    """A page of beads (or set rows, or the review queue) as page text in three blocks: the rows above the
    current one, the current one with ``editor`` under it, the rows below. ``row_html(row, current)`` draws
    one row."""
    st.html(parallel.CSS)
    with st.container(key="parallel", gap=None):
        st.html(header)
        # Split where the current row stands in the page's own order (a review queue's is worst first).
        at = next((k for k, r in enumerate(on_page) if r.position == current), None)
        if at is None:
            above, here, below = [r for r in on_page if r.position < current], [], \
                [r for r in on_page if r.position > current]
        else:
            above, here, below = on_page[:at], [on_page[at]], on_page[at + 1:]
        # Both blocks are always there (an empty one is an empty <div>): stepping to the next bead keeps
        # every element in its place in the page, so none is drawn twice while the run goes on.
        st.html("".join(row_html(r, False) for r in above) or "<div></div>")
        for row in here:
            st.html(row_html(row, True))
            editor(row)
        st.html("".join(row_html(r, False) for r in below) or "<div></div>")
        if not here:
            st.caption(f"{noun.title()} {current + 1}, the current one, is not on this page"
                       + (" or is hidden by the filters." if on_page else f"; no {noun} is shown."))
        _picker(key=PICKER_KEY, on_pick_change=picked, height=0)


def bead_editor(project: Project, pair_id: int, bead: BeadRow, src_doc: Document, tgt_doc: Document,
                revision: int, lone: LoneRun | None = None) -> None:
    """The current bead's note (saved as it is typed), its split and its sentences' texts; above them, the run of
    one-sided beads it is in (``lone``)."""
    seen = state.get("seen") or {}
    version = seen.get("version", bead.version) if seen.get("id") == bead.id else bead.version
    key = note_key(pair_id, bead.id)
    if lone is not None:
        lone_run_notice(project, pair_id, lone, revision)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small", key="editor"):
        # In the view's fragment with the toolbar and the bead numbers, not in one of its own: a click right
        # after typing blurs the field, and the note's save and the click must come in one run.
        st.text_input(f"Note on bead {bead.position + 1}", key=key, live="300ms", on_change=save_note,
                      args=(project, pair_id, bead.id, version, key), label_visibility="collapsed",
                      placeholder=f"Note on bead {bead.position + 1}: saved as you type", width="stretch",
                      icon=":material/sticky_note_2:")
        owner = f"bead-{bead.id}"
        panel_toggle("Split", "split", "S", owner, disabled=len(bead.src) + len(bead.tgt) < 3,
                     icon=":material/content_cut:", help="cut this bead in two at a sentence boundary (S)")
        panel_toggle("Edit a sentence", "edit", "T", owner, icon=":material/edit:",
                     help="fix a typo, split a sentence at a line break, or join it with the next (T)")
    if open_panel(owner) == "split":
        with st.container(border=True, key="split_panel"):
            split_panel(project, pair_id, bead, src_doc, tgt_doc, version)
    elif open_panel(owner) == "edit":
        with st.container(border=True, key="edit_panel"):
            sentence_panel(project, pair_id, bead, src_doc, tgt_doc, version, revision)


def panel_toggle(label: str, panel: str, shortcut: str, owner: str, *, disabled: bool = False,
                 icon: str | None = None, help: str | None = None) -> None:
    """A button (and key) that opens a bead's or row's panel below its editor, or closes it again.

    A panel in the page rather than a popover: a key opens it, Tab and the arrow keys reach its
    choices, and it stays open while they are made.
    """
    is_open = open_panel(owner) == panel
    st.button(label, key=f"open_{panel}", icon=icon, shortcut=shortcut, disabled=disabled, help=help,
              type="primary" if is_open else "secondary",
              on_click=state.__setitem__, args=("_panel", None if is_open else (panel, owner)))


def close_panel(_written=None) -> None:
    state.pop("_panel", None)


def open_panel(owner: str) -> str | None:
    """The panel open under bead (or row) ``owner``; a panel closes when another bead becomes current."""
    opened = state.get("_panel")
    return opened[0] if opened and opened[1] == owner else None


def note_key(pair_id: int, bead_id: int) -> str:
    return f"note_{pair_id}_{bead_id}"


def sync_note(pair_id: int, bead: BeadRow) -> None:
    """Before a full run draws the editor: its note field shows the note as stored (after an undo, or
    another tab's change); what is typed is saved as it is typed, so nothing typed is lost here."""
    key = note_key(pair_id, bead.id)
    if state.get(key) != bead.note:
        state[key] = bead.note


@st.fragment
def split_panel(project: Project, pair_id: int, bead: BeadRow, src_doc: Document, tgt_doc: Document,
                version: int) -> None:
    """Pick the boundary by sentence on each side: the first part ends after the chosen sentence.

    A fragment: choosing reruns this panel only; the split itself reruns the page.
    """
    st.caption("The first part ends after the chosen sentence on each side; the rest makes the second part.")
    cuts = {}
    for side, doc, ids in (("src", src_doc, bead.src), ("tgt", tgt_doc, bead.tgt)):
        name = "source" if side == "src" else "target"
        cuts[side] = st.radio(f"First part ends after {name} sentence", list(range(len(ids) + 1)),
                              index=min(1, len(ids)), key=f"split_{side}_{bead.id}",
                              format_func=lambda at, doc=doc, ids=ids, side=side: md(
                                  parallel.cut_label(doc, ids, at, side)))
    st.caption(md(f"Sentences: {parallel.split_parts(bead, cuts['src'], cuts['tgt'])}"))
    if st.button("Split", key="split", icon=":material/content_cut:"):
        run_edit(project.split, pair_id, bead.id, cuts["src"], cuts["tgt"], version=version, on_success=close_panel)


def sentence_panel(project: Project, pair_id: int, bead: BeadRow, src_doc: Document, tgt_doc: Document,
                   version: int, revision: int) -> None:
    """A sentence of the bead, its text to correct. Not a fragment of its own, unlike the split: a text saved
    as its field is left must redraw the beads above it, which the alignment view's run does."""
    choices = [("src", i) for i in bead.src] + [("tgt", j) for j in bead.tgt]
    docs_by_side = {"src": src_doc, "tgt": tgt_doc}
    # The sentence chosen stays chosen when a save rewrites the bead (a new version, so a new chooser): it
    # went back to the first one, and the next button pressed acted on a sentence the reviewer had not chosen.
    kept = state.get("_sentence_chosen")
    chosen = st.selectbox("Sentence", choices, key=f"sentence_{bead.id}_{bead.version}",
                          index=choices.index(kept[1]) if kept and kept[0] == bead.id and kept[1] in choices else 0,
                          format_func=lambda c: f"{'source' if c[0] == 'src' else 'target'} sentence {c[1] + 1}: "
                                                f"{workbench.short_text(docs_by_side[c[0]].segments[c[1]].text)}")
    if chosen is None:
        return
    state["_sentence_chosen"] = (bead.id, chosen)
    seg_side, seg_index = chosen
    stored = docs_by_side[seg_side].segments[seg_index].text
    key = f"text_{seg_side}_{seg_index}_{revision}_{state.get('_text_resets', 0)}"
    # Saved when the field is left (Tab, a click elsewhere, Ctrl+Enter), as a note is: typed text was lost when
    # the reviewer moved on (J) without pressing Save. Z takes a save back.
    new_text = st.text_area("Text (a line break splits the sentence in two; saved when you leave the field)",
                            stored, height=150, key=key, on_change=text_left,
                            args=(project, pair_id, bead.id, version, seg_side, seg_index, key))
    if problem := state.pop("_text_problem", None):
        st.error(md(problem))
    with st.container(horizontal=True, gap="small"):
        if st.button("Save the text", key="save_text"):
            run_edit(project.edit_segment_text, pair_id, seg_side, seg_index, new_text, version=version)
        last = seg_index + 1 >= len(docs_by_side[seg_side].segments)
        beyond = not last and seg_index + 1 not in bead.side(seg_side)
        if st.button("Join with the next sentence" + (", of the next bead: merges the two beads" if beyond else ""),
                     key="join_next", disabled=last):
            run_edit(project.join_segments, pair_id, seg_side, seg_index, version=version)


MAX_PAGE_BUTTONS = 5
PAGE_BUTTON_PX = 60  # what the pagination needs per button (the arrows one each) to show them all


def pager(rows: list, shown: list, pages: int, noun: str, status) -> list:
    """The page chooser, the counts and the "go to" box above a bead (or row) list; returns the items on the
    page shown."""
    with st.container(horizontal=True, vertical_alignment="center", gap="medium", key="pages"):
        firsts = [r.position for r in shown[::workbench.PAGE_SIZE]]
        # Its width given, or it shrinks to fit what shares the row and hides pages ("2 … 3", page 1 out of reach).
        width = PAGE_BUTTON_PX * (min(pages, MAX_PAGE_BUTTONS) + 2) if pages > 1 else "content"
        page_number = st.pagination(pages, key=page_key(), default=min(state.get("_page_default", 1), pages),
                                    max_visible_pages=MAX_PAGE_BUTTONS, on_change=_page_turned,
                                    args=(page_key(), firsts), width=width)
        on_page = workbench.page(shown, page_number)
        st.caption(workbench.shown_caption(noun, (page_number - 1) * workbench.PAGE_SIZE, len(on_page), len(shown),
                                           len(rows)), width="content")
        st.space("stretch")
        counts_line(status, noun)
        # The box and its label in a block of their own: where the row wraps, they wrap together.
        with st.container(horizontal=True, vertical_alignment="center", gap="small", width="content"):
            st.caption(f"Go to {noun}", width="content")
            st.number_input(f"{noun.title()} (1–{len(rows)})", 1, len(rows), key="bead_no",
                            on_change=follow_bead, width=120, label_visibility="collapsed",
                            help=f"{noun} number, 1 to {len(rows)}")
    return on_page


def correction_button(on_click, *target):
    """A toolbar button maker: ``correction(label, key, op, shortcut, *args)`` calls ``on_click(*target, op, *args)``."""
    def correction(label: str, key: str, op: str, shortcut: str, *args, help: str | None = None,
                   icon: str | None = None, **kwargs) -> None:
        st.button(label, key=key, icon=icon, shortcut=shortcut, help=help, on_click=on_click,
                  args=(*target, op, *args), kwargs=kwargs)
    return correction


def step_buttons(shown: list, current: int, noun: str) -> None:
    """Previous and next (K, J) through the beads or rows the filters show.

    Icons only where they say it all (arrows, undo, redo): the toolbar fits a laptop screen.
    """
    before, after = workbench.step(shown, current, False), workbench.step(shown, current, True)
    st.button("", key="prev_bead", icon=":material/arrow_upward:", shortcut="K", disabled=before is None,
              help=f"previous {noun} (of those the filters show)", on_click=go_to, args=(before,))
    st.button("", key="next_bead", icon=":material/arrow_downward:", shortcut="J", disabled=after is None,
              help=f"next {noun} (of those the filters show)", on_click=go_to, args=(after,))
