"""The workbench's alignment map, as an Altair chart, and what a click on it picks.

Kept apart from the app script so the chart can be built and its click
read back in a test without a browser. Altair comes with Streamlit.
"""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from align.pairing import probability
from align.project.bead_edits import BeadRow
from align_ui.workbench import bead_holding

# The legend names each band by its probabilities: "≥ 0.9", "≥ 0.5", "< 0.5".
_BAND_LEGEND = (f"{{'high': '≥ {probability.HIGH:g}', 'medium': '≥ {probability.MEDIUM:g}', "
                f"'low': '< {probability.MEDIUM:g}'}}[datum.label]")


def alignment_map(points: list[dict], cells: list[dict], current_bead: int,
                  names: tuple[str, str] = ("source", "target")) -> alt.LayerChart:
    """Beads as dots along the path, coloured by probability band, over the similarity blocks when given.

    Beads and sentences are numbered from 1, as everywhere in the workbench:
    ``points`` come from ``workbench.path_points``, ``cells`` (0-based, from
    ``workbench.similarity_cells``) are shifted here. ``current_bead`` is
    ringed. Clicking a dot selects ``pick`` (its bead); clicking a block
    selects ``cell`` (its first source sentence, 1-based). ``names`` title the
    axes (two versions of a set: ``("en", "ja")``).
    """
    # Each axis runs from half a sentence before sentence 1 to half one after the last, ticks on whole numbers.
    ends = {side: max([p[side] for p in points] + [c[f"{side}_end"] + 1 for c in cells] + [1]) + 0.5
            for side in ("source", "target")}
    x_scale = alt.Scale(domain=[0.5, ends["source"]], nice=False, zero=False)
    y_scale = alt.Scale(domain=[0.5, ends["target"]], nice=False, zero=False, reverse=True)
    whole = alt.Axis(tickMinStep=1, format="d")
    y_axis = alt.Y("target:Q", title=f"{names[1]} sentence", scale=y_scale, axis=whole)
    x_axis = alt.X("source:Q", title=f"{names[0]} sentence", scale=x_scale, axis=whole)
    frame = pd.DataFrame(points, columns=["bead", "source", "target", "score", "band", "kind", "status"])
    bands, colours = probability.colours()
    base = alt.Chart(frame).encode(x=x_axis, y=y_axis)
    path = base.mark_line(color="#9e9e9e", strokeWidth=1)
    dots = base.mark_circle(size=60, opacity=0.9).encode(
        color=alt.Color("band:N", title="probability", sort=bands, scale=alt.Scale(domain=bands, range=colours),
                        legend=alt.Legend(labelExpr=_BAND_LEGEND)),
        tooltip=["bead", "kind", "score", "status"],
    ).add_params(alt.selection_point(name="pick", fields=["bead"], on="click"))
    here = base.mark_point(size=300, color="black", strokeWidth=2).transform_filter(
        alt.datum.bead == current_bead)
    layers = [path, dots, here]
    if cells:
        blocks = pd.DataFrame(cells)
        for column in ("source", "target", "source_end", "target_end"):
            blocks[column] += 1
        blocks["x0"], blocks["x1"] = blocks["source"] - 0.5, blocks["source_end"] + 0.5
        blocks["y0"], blocks["y1"] = blocks["target"] - 0.5, blocks["target_end"] + 0.5
        heat = alt.Chart(blocks).mark_rect(opacity=0.8).encode(
            x=alt.X("x0:Q", title=f"{names[0]} sentence", scale=x_scale, axis=whole), x2="x1:Q",
            y=alt.Y("y0:Q", title="target sentence", scale=y_scale, axis=whole), y2="y1:Q",
            color=alt.Color("similarity:Q", title="similarity", scale=alt.Scale(scheme="greys", domain=[0, 1])),
            tooltip=["source", "target", "similarity"],
        ).add_params(alt.selection_point(name="cell", fields=["source"], on="click"))
        layers.insert(0, heat)
    return alt.layer(*layers).resolve_scale(color="independent").properties(height=420)


def picked_bead(selection: dict, rows: Sequence[BeadRow], count: int | None = None) -> int | None:
    """The 0-based position of the bead a click on the map chose, or None when nothing is chosen.

    ``selection`` is the chart event's ``selection``: ``{"pick": [{"bead": 5}]}``
    for a dot, ``{"cell": [{"source": 120}]}`` for a block (both numbered from 1).
    ``count`` is how many beads (or set rows) there are, when ``rows`` shows some of them only.
    """
    for point in selection.get("pick") or []:
        if "bead" in point:
            return max(1, min(int(point["bead"]), len(rows) if count is None else count)) - 1
    for point in selection.get("cell") or []:
        if "source" in point:
            return bead_holding(rows, "src", int(point["source"]) - 1)
    return None
