"""The map and export views of the workbench.

Both are fragments: showing the similarities behind the path, or choosing
another export format, reruns that view only. A click on the map opens its
bead in the alignment view (a whole run).
"""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from align.errors import AlignError
from align.pairing.passages import MIN_SENTENCES, as_sentence, no_pair, one_sided_runs
from align.project.bead_edits import BeadRow
from align.project.store import Project
from align.types import Document
from align_ui import charts, workbench
from align_ui.state import (
    chosen_model,
    clear_selections,
    flash,
    md,
    realign,
    run_edit,
    select_bead,
    selection_key,
    similarity_map,
    state,
)


@st.fragment
def map_view(rows: list[BeadRow], src_doc: Document, tgt_doc: Document, count: int | None = None,
             names: tuple[str, str] = ("source", "target"), noun: str = "bead") -> None:
    """The path of the beads over the sentences (both numbered from 1); a click opens that bead.

    A version set's map is drawn by the same code: ``rows`` are its rows seen from two versions
    (``names``), numbered as the set's rows (``count`` of them)."""
    map_col, side_col = st.columns([3, 2])
    with map_col:
        show_similarity = st.toggle("Show sentence similarities behind the path", key="similarity",
                                    help="loads the encoder; embeddings come from its cache")
        cells = similarity_map(chosen_model(), tuple(s.scoring_text for s in src_doc.segments),
                               tuple(s.scoring_text for s in tgt_doc.segments)) if show_similarity else []
        chart = charts.alignment_map(workbench.path_points(rows), cells, state["bead_no"], names)
        event = st.altair_chart(chart, on_select="rerun", key=selection_key("map"), width="stretch")
        st.caption(f"{noun.title()} {state['bead_no']}, the current one, is ringed. Click a {noun} (or a block of "
                   "similarities) to open it in the alignment.")
        picked = charts.picked_bead(event.selection, rows, count)
        if picked is not None:
            clear_selections()  # the next click on the same dot is a new click
            select_bead(picked, view="Alignment")
        lone_passages(rows, names, noun)
    with side_col:
        st.subheader(f"{noun.title()} probabilities")
        st.bar_chart(workbench.score_histogram(workbench.probabilities(rows)), x_label="probability",
                     y_label=f"{noun}s", color="#7a9e7e")


def lone_passages(rows: list[BeadRow], names: tuple[str, str], noun: str, shown: int = 20) -> None:
    """The runs of sentences with no counterpart (a passage one version lacks), each with a button to open it:
    on the path they are the flat or upright stretches, in the alignment a hundred one-sided rows."""
    unpaired = no_pair(rows, names)
    if unpaired:  # the runs would be the whole of both documents
        st.warning(md(as_sentence(unpaired)) + ": a wrong file, or two files that share a name by chance? "
                   "Their sentences are left alone rather than linked to whatever happens to be nearest.")
        return
    # Numbered as the rows are (a version set's rows seen from two versions skip those empty in both).
    runs = [replace(run, first_bead=rows[run.first_bead].position, last_bead=rows[run.last_bead].position)
            for run in one_sided_runs(rows)]
    if not runs:
        return
    st.markdown(f"**Sentences with no counterpart, {MIN_SENTENCES} or more in a row** ({len(runs)})")
    for run in runs[:shown]:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(md(as_sentence(run.describe(names, noun))))
            if st.button(f"Open {noun} {run.first_bead + 1}", key=f"lone_{run.first_bead}"):
                select_bead(run.first_bead, view="Alignment")
    if len(runs) > shown:
        st.caption(f"and {len(runs) - shown} more such runs")


@st.fragment
def export_view(project: Project, pair_id: int) -> None:
    """What ``align project export`` writes, for the pair or the whole project."""
    whole = st.checkbox("Every pair of the project", key="export_whole",
                        help="TMX units carry an x-pair prop; tables get a 'pair' column")
    fmt = st.selectbox("Format", workbench.PROJECT_EXPORT_FORMATS if whole else workbench.EXPORT_FORMATS,
                       key="export_format", width=320)
    confirmed_only = st.checkbox("Confirmed beads only", key="export_confirmed")
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        probable = st.checkbox("Beads at probability of at least", key="export_probable",
                               help="a memory of high precision, as --min-score writes it: a confirmed bead "
                                    "counts as 1, a rejected one as 0")
        min_score = st.number_input("P", 0.0, 1.0, workbench.HIGH, 0.01, key="export_min_score", width=110,
                                    label_visibility="collapsed", disabled=not probable)
    one_sided = fmt == "tmx" and st.checkbox(
        "Write one-sided beads as one-language units", key="export_one_sided",
        help="a sentence without counterpart: left out of the TMX (and counted below) unless this is ticked")
    stem = (f"{project.name}-{'all' if whole else f'pair{pair_id}'}{'-confirmed' if confirmed_only else ''}"
            f"{f'-p{min_score:g}' if probable else ''}")
    download(project, fmt, stem, pair_id=pair_id, confirmed_only=confirmed_only, whole_project=whole,
             one_sided_units=one_sided, min_score=min_score if probable else None)


def download(project: Project, fmt: str, stem: str, **export) -> None:
    """The export's warnings and its download button; an export that cannot be written is one line."""
    try:
        data, warnings = workbench.export_bytes(project, fmt=fmt, **export)
    except AlignError as exc:  # e.g. TMX of two documents tagged with the same language
        st.error(md(str(exc)))
        return
    for warning in warnings:
        st.caption(md(warning))
    st.download_button(f"Download {fmt.upper()}", data, file_name=f"{stem}.{fmt}",
                       mime=workbench.EXPORT_MIME[fmt], key="download")


def manage_pair(project: Project, pair_id: int, src_doc: Document, tgt_doc: Document) -> None:
    """Rename, swap, set a language, delete: what ``align project rename/swap/set-lang/delete`` do."""
    with st.expander("Manage this pair"):
        src_name = st.text_input("Source name", src_doc.name, key=f"rename_src_{pair_id}")
        tgt_name = st.text_input("Target name", tgt_doc.name, key=f"rename_tgt_{pair_id}")
        if st.button("Rename", key="rename_pair"):
            run_edit(project.rename_pair, pair_id, src_name, tgt_name)
        # The options' labels never change: a radio whose labels change (a new language, a swap) kept its
        # key but showed no choice in the browser. The language now is in the field's placeholder.
        side = st.radio("Set the language of the", ["src", "tgt"], key="lang_side", horizontal=True,
                        format_func={"src": "source", "tgt": "target"}.get)
        now = (src_doc if side == "src" else tgt_doc).lang
        lang = st.text_input("Language tag", key="lang_tag", placeholder=f"now {now}; e.g. en, ja, pt-BR")
        if st.button("Set the language and re-align", key="set_lang", disabled=not lang.strip()):
            with st.spinner("Re-aligning…"):
                run_edit(set_language_and_realign, project, pair_id, side, lang.strip())
        if st.button("Swap source and target", key="swap_pair", help="beads and history turn around too"):
            # The name fields follow their documents: left as typed, a rename would swap the names back.
            run_edit(project.swap_pair, pair_id, on_success=lambda _: [
                state.pop(f"rename_{side}_{pair_id}", None) for side in ("src", "tgt")])
        if st.button("Delete this pair", key="delete_pair", help="hidden from lists and exports; restore below"):
            run_edit(project.delete_pair, pair_id, on_success=lambda _: flash(
                "info", f"Pair {pair_id} deleted; 'Deleted pairs' in the sidebar brings it back."))


def restore_pairs(project: Project) -> None:
    """The deleted pairs, each with a button that brings it back as it was."""
    deleted = project.deleted_pairs()
    if not deleted:
        return
    with st.expander(f"Deleted pairs ({len(deleted)})"):
        for pid, src, tgt in deleted:
            if st.button(md(f"Restore {pid}: {src} ↔ {tgt}"), key=f"restore_{pid}"):
                run_edit(project.restore_pair, pid, on_success=lambda _, pid=pid: reopen(pid))


def reopen(pair_id: int) -> None:
    """A restored pair opens at once, and says so: nothing else on the page would show it came back."""
    state["_select_pair"] = pair_id
    flash("success", f"Pair {pair_id} restored, with its beads, decisions and notes.")


def set_language_and_realign(project: Project, pair_id: int, side: str, lang: str) -> None:
    project.set_language(pair_id, side, lang)
    realign(project, pair_id)
