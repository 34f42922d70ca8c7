"""How the workbench holds up on a big pair: what one rerun and one correction cost.

Builds a project with N beads (synthetic documents, no encoder), then times
what the app does on every rerun of the alignment view (read the beads and
documents, filter, the page's parallel view, the edit history), what the map
view adds (its points and chart), the corrections a reviewer makes (merge,
split a sentence, undo, a note) and what the view does after one instead of
reading the beads again (the store's patch applied to the list), plus the
similarity map from random unit vectors. ``--project DIR`` keeps the project
in DIR (named ``bench``), to open in the workbench.

``--browser`` times what a reviewer waits for instead: the workbench started
as a user starts it (``align workbench``), headless Chromium at 1366 x 768 on
the middle bead, and each correction pressed as its key. Two times per key,
the median of ``--repeat`` presses: *shown*, from the key to the page showing
the change (the bead's new status, kind or the next bead highlighted), and
*done*, until the run is over and nothing stale is left on the page. Needs
``/usr/bin/chromium`` and the playwright package, as the browser test does.

    python bench/workbench.py            # 5,000 beads
    python bench/workbench.py --beads 20000
    python bench/workbench.py --browser --beads 1000 5000
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
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


def build(folder: Path | str, n: int) -> int:
    """Project ``bench`` in ``folder``: a pair of ``n`` one-to-one beads of random probability; its id."""
    src, tgt = synthetic("src", n, "en"), synthetic("tgt", n, "fr")
    with Project.create(folder, "bench") as project:
        pair = project.add_pair(src, tgt)
        beads = [Bead((i,), (i,), float(np.random.default_rng(i).random())) for i in range(n)]
        project.save_alignment(pair, Alignment(src, tgt, beads, "x"))
    return pair


# The keys pressed, in order, and what the page shows once each is done (a JavaScript test on the
# current bead, ``c``). Each correction is undone by the next key, so the pair ends as it began.
KEYS = [
    ("confirm (Y)", "y", "c.querySelector('.bw-status-confirmed')"),
    ("undo the confirm (Z)", "z", "c.querySelector('.bw-status-automatic')"),
    ("merge with next (Shift+Down)", "Shift+ArrowDown", "c.querySelector('.bw-kind').textContent === '2-2'"),
    ("undo the merge (Z)", "z", "c.querySelector('.bw-kind').textContent === '1-1'"),
    ("next bead (J)", "j", "c.dataset.bead === String(MIDDLE + 1)"),
    ("previous bead (K)", "k", "c.dataset.bead === String(MIDDLE)"),
]


def _serve(folder: Path, log) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, ALIGN_PROJECTS_DIR=str(folder), ALIGN_CACHE_DIR=str(folder / "cache"))
    server = subprocess.Popen([sys.executable, "-m", "align", "workbench", "--no-browser", "--port", str(port),
                               "--dir", str(folder)], cwd=Path(__file__).resolve().parents[1], env=env,
                              stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return server, url
        except OSError:
            time.sleep(0.25)
    raise SystemExit("the workbench did not start")


def browser(sizes: list[int], repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    for n in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            pair = build(folder, n)
            middle = n // 2
            with open(folder / "server.log", "wb") as log:
                server, url = _serve(folder, log)
            try:
                with sync_playwright() as pw:
                    chrome = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                args=["--no-sandbox", "--disable-gpu"])
                    page = chrome.new_page(viewport={"width": 1366, "height": 768})
                    page.set_default_timeout(60_000)
                    start = time.perf_counter()
                    page.goto(f"{url}/?project=bench&pair={pair}&bead={middle}")
                    page.wait_for_selector(f".bw-current[data-bead='{middle}']")
                    _settled(page)
                    print(f"-- in the browser ({n} beads, bead {middle}; median of {repeat})")
                    print(f"{'first page drawn':<44}{(time.perf_counter() - start) * 1000:>9.0f} ms")
                    page.evaluate("() => window.addEventListener('keydown', () => "
                                  "{ window.__key = performance.now(); }, true)")
                    times: dict[str, list[tuple[float, float]]] = {}
                    for _ in range(repeat):
                        for label, key, shown in KEYS:
                            times.setdefault(label, []).append(_press(page, key, shown, middle))
                    for label, found in times.items():
                        print(f"{label:<34}shown {statistics.median(t for t, _ in found):>6.0f} ms, "
                              f"done {statistics.median(t for _, t in found):>6.0f} ms")
                    chrome.close()
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=20)


def _settled(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", state="attached")
    page.wait_for_selector("[data-testid='stSkeleton']", state="detached")
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")


def _press(page, key: str, shown: str, middle: int) -> tuple[float, float]:
    """Milliseconds from ``key`` to the page showing it (``shown`` true), and to the run being over."""
    page.locator(".bw-head").click()  # the keys go to the page, not to a field
    page.keyboard.press(key)
    test = f"() => {{ const MIDDLE = {middle}; const c = document.querySelector('.bw-current'); " \
           f"if (c && ({shown})) {{ window.__shown = performance.now(); return true; }} return false; }}"
    page.wait_for_function(test, polling="raf")
    _settled(page)
    done = page.evaluate("() => performance.now()")
    key_at, shown_at = page.evaluate("() => [window.__key, window.__shown]")
    return shown_at - key_at, done - key_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beads", type=int, nargs="+", default=[5000])
    parser.add_argument("--project", type=Path, help="keep the project in this folder (as 'bench')")
    parser.add_argument("--browser", action="store_true", help="time corrections in the workbench in Chromium")
    parser.add_argument("--repeat", type=int, default=5, help="presses of each key in the browser (default 5)")
    args = parser.parse_args()
    if args.browser:
        browser(args.beads, args.repeat)
        return
    for n in args.beads:
        store(n, args.project)


def store(n: int, keep: Path | None) -> None:
    src, tgt = synthetic("src", n, "en"), synthetic("tgt", n, "fr")
    with tempfile.TemporaryDirectory() as scratch, Project.create(keep or scratch, "bench") as project:
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
        revision = project.revision(pair)
        timed("merge with next", lambda: project.merge_next(pair, middle.id), 1)
        (patch,) = project.patches(pair, revision, revision + 1)
        timed("the beads after it: its patch on the list", lambda: patch.apply(rows))
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
