"""The review queue: beads whose translation looks wrong, worst first, with reasons and decisions.

Decisions are the project's edits (accept = confirm, reject, fix the target
text), so they are saved at once with history and can be undone like any
correction. The bead shown is the current bead of the workbench (the one
the URL names); a click in the queue makes a bead current, and a decision
moves on to the next bead of the queue.
"""
from __future__ import annotations

import streamlit as st

from align.errors import AlignError
from align.project.store import Project
from align.types import Document
from align_ui import parallel, workbench
from align_ui.state import (
    chosen_model,
    clear_selections,
    md,
    review_of,
    run_edit,
    select_bead,
    selection_key,
    state,
)


def review_panel(project: Project, pair_id: int, rows, src_doc: Document, tgt_doc: Document, revision: int,
                 folder: str, project_name: str) -> None:
    """The queue, the current bead with its reasons and decisions, and the bulk accept of clean beads."""
    st.caption("Every bead is checked for omissions and additions, low similarity, length, numbers, names, "
               "untranslated or wrong-language text and machine-translation noise; thresholds come from "
               "this pair itself. Worst first.")
    content_key = hash((tuple((r.src, r.tgt) for r in rows), tuple(s.text for s in src_doc.segments),
                        tuple(s.text for s in tgt_doc.segments)))
    try:
        reviews = review_of(chosen_model(), folder, project_name, pair_id, content_key)
    except AlignError as exc:
        st.error(md(str(exc)))
        return
    counts = {sev: sum(r.severity == sev for r in reviews) for sev in workbench.SEVERITIES}
    for column, (sev, count) in zip(st.columns(4), counts.items()):
        column.metric(f"{workbench.SEVERITY_MARK[sev]} {sev}", count)
    floor = st.select_slider("Show beads from", workbench.SEVERITIES[1:], value="minor", key="review_floor")
    queue = workbench.review_queue(rows, reviews, src_doc, tgt_doc, floor)
    if queue:
        picked_rows = st.dataframe(queue, hide_index=True, width="stretch", on_select="rerun",
                                   selection_mode="single-row", key=selection_key("queue"),
                                   column_config={"reasons": st.column_config.TextColumn("reasons", width="large")})
        if picked_rows.selection.rows:  # a click makes that bead current; the tick goes with the next run
            clear_selections()
            select_bead(queue[min(picked_rows.selection.rows[0], len(queue) - 1)]["#"] - 1)
    else:
        st.success("Nothing to review at this level.")
    bead = rows[state["bead_no"] - 1]
    order = [q["#"] for q in queue]
    later = order[order.index(bead.position + 1) + 1:] if bead.position + 1 in order else order
    after = later[0] - 1 if later else None

    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        in_queue = next((q for q in queue if q["#"] == bead.position + 1), None)
        st.markdown(f"**Bead {bead.position + 1}** · "
                    + (f"{in_queue['severity']} · {md(in_queue['flags'])}" if in_queue else "not in the queue")
                    + f" · status {bead.status}", width="content")
        if st.button("Next in the queue", key="review_next", shortcut="J", disabled=after is None,
                     icon=":material/arrow_downward:"):
            select_bead(after)
    for flag in reviews[bead.position].flags if bead.position < len(reviews) else ():
        st.text(f"• {flag.name} ({flag.severity}): {flag.reason}")
    pair_cols = st.columns(2)
    st.html(parallel.CSS)
    pair_cols[0].caption(md(f"Source ({src_doc.lang})"))
    pair_cols[0].html(parallel.side_html(src_doc, bead.src, src_doc.lang, "src"))
    pair_cols[1].caption(md(f"Target ({tgt_doc.lang}): fix it here"))
    fixes = {j: pair_cols[1].text_area(f"Target sentence {j + 1}", tgt_doc.segments[j].text,
                                       key=f"fix_{j}_{revision}") for j in bead.tgt}
    missing = pair_cols[1].text_area("Missing translation: type it to add it to the target",
                                     key=f"missing_{bead.id}_{revision}") if bead.src and not bead.tgt else ""
    note = st.text_input("Note (saved with the decision)", value=bead.note, key=f"review_note_{bead.id}_{revision}")
    move_on = (lambda written: state.__setitem__("_select_bead", after)) if after is not None else None
    decide = st.columns(3)
    if decide[0].button("Accept", key="review_accept", shortcut="Y"):
        run_edit(project.decide, pair_id, bead.id, "confirmed", note, version=bead.version, on_success=move_on)
    if decide[1].button("Reject", key="review_reject", shortcut="X"):
        run_edit(project.decide, pair_id, bead.id, "rejected", note, version=bead.version, on_success=move_on)
    changed = {j: text for j, text in fixes.items() if text != tgt_doc.segments[j].text}
    if decide[2].button("Save the fix and accept", key="review_fix", disabled=not (changed or missing.strip())):
        def fix_and_accept() -> None:
            for j, text in sorted(changed.items(), reverse=True):  # from the end: a split shifts later ids
                project.edit_segment_text(pair_id, "tgt", j, text)
            if missing.strip():
                project.add_sentence(pair_id, bead.id, "tgt", missing, version=bead.version)
            fixed = next(r for r in project.beads(pair_id) if r.id == bead.id)
            project.decide(pair_id, bead.id, "confirmed", note, version=fixed.version)
        run_edit(fix_and_accept, on_success=move_on)
    st.divider()
    bulk = st.columns([3, 1])
    min_confidence = bulk[0].slider("Accept every clean, undecided bead with an alignment probability of at least P",
                                    0.0, 1.0, workbench.HIGH, 0.05, key="bulk_min")
    clean = workbench.clean_beads(rows, reviews, min_confidence)
    chosen = set(clean)
    bulk[0].caption(workbench.confirm_message([r for r in rows if r.id in chosen]))  # before the click
    if bulk[1].button(f"Accept {len(clean)} clean beads", key="bulk_accept", disabled=not clean):
        run_edit(project.set_status_of, pair_id, clean, "confirmed", revision=revision)
