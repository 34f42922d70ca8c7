"""The *New pair* view: two texts, one mixed text, or several versions, into the open project."""
from __future__ import annotations

import streamlit as st

from align.errors import AlignError, InputError
from align.project import imports
from align.project.store import Project
from align_ui import workbench
from align_ui.state import (
    chosen_model,
    flash,
    get_encoder,
    md,
    mixed_passages,
    read_paste,
    read_upload,
    set_owner,
    state,
)


def read_input(label: str, key: str):
    """An uploaded or pasted document, its language shown; errors are shown, not raised."""
    limit_mb = workbench.MAX_UPLOAD_BYTES // (1024 * 1024)
    upload = st.file_uploader(f"{label} file (up to {limit_mb} MB)", key=f"upload_{key}",
                              help=workbench.UPLOAD_HELP)
    pasted = st.text_area(f"…or paste the {label.lower()} text", key=f"paste_{key}", height=150)
    doc = None
    try:
        if upload is not None:
            doc = read_upload(upload.getvalue(), upload.name)
        elif pasted.strip():
            doc = read_paste(pasted, f"{label.lower()}.txt")
    except InputError as exc:
        st.error(md(str(exc)))
    if doc is not None:
        detected = doc.lang
        lang = st.text_input(f"{label} language", value=detected, key=f"lang_{key}_{doc.name}",
                             help="detected from the text; type another code (e.g. en, ja, ru) to override")
        if lang.strip() and lang.strip() != detected:
            doc = workbench.with_language(doc, lang.strip())
        st.caption(md(f"{len(doc)} sentences, language: {doc.lang}"
                      + ("" if doc.lang == detected else f" (detected: {detected})")))
    return doc


def import_and_show(run_import, what: str) -> None:
    """Run an import into the project with a progress bar; select the first new pair."""
    progress = st.progress(0.0, "Loading the encoder")
    try:
        encoder = get_encoder(chosen_model())
        progress.progress(0.3, f"Aligning {what}")
        new_pairs = run_import(encoder)
        progress.progress(1.0, "Done")
    except AlignError as exc:
        st.error(md(str(exc)))
        return
    state["_select_pair"] = new_pairs[0]
    state["_select_view"] = "Alignment"
    flash("success", f"Aligned {what} into pair{'s' if len(new_pairs) > 1 else ''} "
                     f"{', '.join(map(str, new_pairs))}.")
    st.rerun()


def new_pair_panel(project: Project) -> None:
    """Upload or paste, align with a progress bar, store, and open the first new pair in the alignment view."""
    # The chosen tab is kept in the session (key, on_change): an upload or a message never throws it back.
    two, mixed, versions = st.tabs(["Two texts", "One mixed text", "Several versions"], key="new_pair_tab",
                                   on_change="rerun")
    with two:
        left, right = st.columns(2)
        with left:
            src_in = read_input("Source", "src")
        with right:
            tgt_in = read_input("Target", "tgt")
        if st.button("Align", key="align", disabled=src_in is None or tgt_in is None):
            import_and_show(lambda enc: imports.import_pair(project, src_in, tgt_in, enc), "the two texts")
    with mixed:
        st.caption("One file holding a text and its translations side by side (a news page quoting its "
                   "sources, a bilingual leaflet): each parallel passage found becomes a pair.")
        upload = st.file_uploader("Mixed file", key="upload_mixed", help=workbench.UPLOAD_HELP)
        if upload is not None:
            try:
                report = mixed_passages(chosen_model(), upload.getvalue(), upload.name)
            except AlignError as exc:
                st.error(md(str(exc)))
            else:
                mixed_passages_panel(project, report)
    with versions:
        st.caption("Three or more translations of one text, aligned together; each is stored as a pair "
                   "with the first, and the pairs agree with each other.")
        uploads = st.file_uploader("Version files (the first is the pivot)", key="upload_versions",
                                   accept_multiple_files=True, help=workbench.UPLOAD_HELP)
        docs = []
        for up in uploads or []:
            try:
                docs.append(read_upload(up.getvalue(), up.name))
            except InputError as exc:
                st.error(md(str(exc)))
        if docs:
            st.caption(", ".join(f"{d.name}: {len(d)} sentences, {d.lang}" for d in docs))
        if st.button("Align the versions", key="align_versions", disabled=len(docs) < 3):
            with st.spinner(f"Aligning {len(docs)} versions…"):
                try:
                    set_id = imports.import_versions(project, docs, get_encoder(chosen_model()))
                except AlignError as exc:
                    st.error(md(str(exc)))
                else:  # the new set opens at once, on its rows, as a new pair does
                    state["_select_pair"] = set_owner(set_id)
                    state["_select_view"] = "Alignment"
                    flash("success", f"Aligned {len(docs)} versions into version set {set_id} "
                                     f"(rows across all of them: 'align project rows {project.name} --set {set_id}').")
                    st.rerun()


def mixed_passages_panel(project: Project, report) -> None:
    """The passage pairs found in a mixed file, each with the start of both sides; the reviewer says
    which language is the original (the source) and which pairs to add."""
    passages = [p for p in report.parallels if p.alignment is not None]
    langs = workbench.passage_languages(passages)
    source = st.radio("Source (the original)", langs, key="mixed_source", horizontal=True,
                      format_func=lambda lang: md(lang),
                      help="each passage pair is stored with this language as its source, where it has it; "
                           "the first language of the file is chosen until you say otherwise")
    previews = [{"#": k, **workbench.passage_preview(p, report.document, source)}
                for k, p in enumerate(passages, 1)]
    st.dataframe(previews, hide_index=True, width="stretch",
                 column_config={"source text": st.column_config.TextColumn(width="large"),
                                "target text": st.column_config.TextColumn(width="large")})
    aside = workbench.set_aside(report)
    if aside:
        with st.expander(f"Set aside, not offered as pairs: {len(aside)} (repeated paragraphs, passages without "
                         "a counterpart, boilerplate)", key="set_aside"):
            st.dataframe(aside, hide_index=True, width="stretch",
                         column_config={"set aside": st.column_config.TextColumn(width="medium"),
                                        "lines": st.column_config.TextColumn(width="small"),
                                        "text": st.column_config.TextColumn(width="large")})
    numbers = st.multiselect("Passage pairs to add", [p["#"] for p in previews], default=[p["#"] for p in previews],
                             key="passages", format_func=lambda k: f"{k}: {previews[k - 1]['source']} ↔ "
                                                                   f"{previews[k - 1]['target']}")
    if st.button("Add the chosen passages", key="add_passages", disabled=not numbers):
        alignments = [passages[k - 1].oriented(source) for k in numbers]
        import_and_show(lambda enc: project.add_alignments(alignments), "the passages")
