"""How the workbench holds up on a big pair: what one rerun and one correction cost.

Builds a project with N beads (synthetic documents, no encoder), then times
what the app does on every rerun of the alignment view (read the beads and
documents, filter, the page's parallel view, the edit history), what the map
view adds (its points and chart), the corrections a reviewer makes (merge,
split a sentence, undo, a note), plus the similarity map from random unit
vectors. ``--project DIR`` keeps the project in DIR (named ``bench``), to
open in the workbench.

    python bench/workbench.py            # 5,000 beads
    python bench/workbench.py --beads 20000
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align.project.store import Project  # noqa: E402
from align.types import Alignment, Bead, Document, Segment  # noqa: E402
from align_ui import charts, parallel, workbench  # noqa: E402


def synthetic(name: str, n: int, lang: str) -> Document:
    texts = [f"Sentence number {i} of {name}." for i in range(n)]
    segments, offset = [], 0
    for i, text in enumerate(texts):
        segments.append(Segment(text, offset, offset + len(text), i + 1, lang))
        offset += len(text) + 1
    return Document(name, "\n".join(texts), segments)


def timed(label: str, fn, repeat: int = 3):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<44}{best * 1000:>9.1f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beads", type=int, default=5000)
    parser.add_argument("--project", type=Path, help="keep the project in this folder (as 'bench')")
    args = parser.parse_args()
    n = args.beads
    src, tgt = synthetic("src", n, "en"), synthetic("tgt", n, "fr")
    with tempfile.TemporaryDirectory() as scratch, Project.create(args.project or scratch, "bench") as project:
        pair = project.add_pair(src, tgt)
        beads = [Bead((i,), (i,), float(np.random.default_rng(i).random())) for i in range(n)]
        timed("save the aligner's beads", lambda: project.save_alignment(pair, Alignment(src, tgt, beads, "x")), 1)
        print(f"-- one rerun of the app ({n} beads)")
        rows = timed("read beads", lambda: project.beads(pair))
        timed("read documents", lambda: project.documents(pair))
        shown = timed("filter low confidence", lambda: workbench.filter_rows(
            rows, workbench.Filters(low_confidence=True)))
        timed("parallel view of one page (HTML)", lambda: [
            parallel.bead_html(r, src, tgt, "en", "fr", current=k == 0) for k, r in enumerate(workbench.page(shown, 1))])
        timed("edit history", lambda: workbench.history_rows(project.history(pair), rows))
        timed("jump to next not 1-1 (none: full scan)", lambda: workbench.next_of_kind(rows, 0, "not11"))
        print(f"-- the map view ({n} beads)")
        points = timed("map points", lambda: workbench.path_points(rows))
        timed("map chart spec", lambda: charts.alignment_map(points, [], 1).to_dict())
        print("-- corrections (each one transaction, undoable)")
        middle = rows[n // 2]
        timed("merge with next", lambda: project.merge_next(pair, middle.id), 1)
        timed("undo", lambda: project.undo(pair), 1)
        timed("split a sentence in two", lambda: project.edit_segment_text(pair, "src", n // 2, "a\nb"), 1)
        timed("undo", lambda: project.undo(pair), 1)
        timed("confirm", lambda: project.confirm(pair, middle.id), 1)
        timed("note (saved as typed)", lambda: project.set_note(pair, middle.id, "check this"), 1)
        vectors = np.random.default_rng(0).normal(size=(n, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        print("-- similarity map")
        timed(f"similarity blocks {n} x {n}", lambda: workbench.similarity_cells(vectors, vectors), 1)


if __name__ == "__main__":
    main()
