"""End to end in a real browser: the Streamlit workbench driven by Playwright and Debian's chromium.

The test starts ``align workbench`` on a free local port with a
private projects folder and embedding cache, then, as a reviewer would on a
1366 x 768 laptop screen: creates a project, uploads an English and a
Japanese file, aligns them, reads every sentence in the parallel view,
merges bead 1 with bead 2 and confirms it, rejects a bead and undoes it from
the keyboard, types a note and moves on (by a click on a bead's number),
reloads the page, jumps down the page (the current bead scrolls into view),
and downloads the pair as TMX. Then it deletes the pair from
the sidebar and restores it (beads, decisions and notes as they were), aligns
three versions (en, ja, ru) into one set, reads every sentence of its first
page in three columns, downloads the set as a TMX with a unit per row in
three languages, opens its map, and accepts a row in its review. After every
step it checks what the page shows and, where it matters, what the project
file on disk holds.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``) and the pip package
``playwright`` (its bundled driver is enough: never ``playwright install``).
Without them the test is skipped, except under ``CI`` where it fails.
Set ``ALIGN_SCREENSHOTS=DIR`` to keep the screenshots of each step in DIR.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import DATA
from lxml import etree

from align.formats.beads import format_bead
from align.formats.tmx import read_tmx
from align.project.store import Project
from align.types import Alignment, Bead
from align_ui.workbench import PAGE_SIZE

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # reported by the fixture: skipped locally, a failure under CI
    sync_playwright = expect = None

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DTD_PATH = DATA / "formats" / "tmx14.dtd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PROJECT = "browser demo"
# Milliseconds: a rerun after a click, and the first alignment (loads the encoder).
STEP_MS = 30_000
ALIGN_MS = 120_000
SERVER_START_S = 60


def _missing_tools() -> None:
    """Skip (or under CI fail) when the browser or the Playwright package is not there."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    if sync_playwright is None:
        missing.append("the playwright package (pip install playwright; no 'playwright install' needed)")
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run this test")
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, chars: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


@pytest.fixture
def app_url(tmp_path):
    """A Streamlit server for this test alone; killed with its process group at the end."""
    _missing_tools()
    port = _free_port()
    env = dict(os.environ, ALIGN_PROJECTS_DIR=str(tmp_path / "projects"),
               ALIGN_CACHE_DIR=str(tmp_path / "cache"), PYTHONUNBUFFERED="1")
    log_path = tmp_path / "streamlit.log"
    # As a user starts it: `align workbench`, which binds to 127.0.0.1.
    cmd = [sys.executable, "-m", "align", "workbench", "--no-browser", "--port", str(port),
           "--dir", str(tmp_path / "projects")]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"streamlit exited with {server.returncode}:\n{_tail(log_path)}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer within {SERVER_START_S} s:\n{_tail(log_path)}")
            time.sleep(0.25)
        yield url
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        print(f"--- streamlit log ({log_path}) ---\n{_tail(log_path)}")  # shown when the test fails


@pytest.fixture
def page(app_url):
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(STEP_MS)
            expect.set_options(timeout=STEP_MS)  # a first run after an edit compiles the app: slow on a busy machine
            page.goto(app_url)
            yield page
        finally:
            browser.close()


class Shots:
    """Screenshots of each step into tmp_path and, with ALIGN_SCREENSHOTS set, into that folder too."""

    def __init__(self, page, folder: Path):
        self.page, self.folder, self.count = page, folder, 0
        self.extra = Path(os.environ["ALIGN_SCREENSHOTS"]) if os.environ.get("ALIGN_SCREENSHOTS") else None
        folder.mkdir(parents=True, exist_ok=True)
        if self.extra:
            self.extra.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str, scroll_to=None) -> None:
        if scroll_to is not None:  # to the top of the view: Streamlit scrolls a <section>, not the page
            scroll_to.evaluate("element => element.scrollIntoView({block: 'start'})")
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=path)
        if self.extra:
            shutil.copy(path, self.extra / path.name)


def settle(page, timeout: int = STEP_MS) -> None:
    """Wait until the script run is over and every element is drawn; a traceback on the page fails.

    Call it after waiting for what the action changes: right after a click the
    rerun may not have started yet, so "not running" alone proves nothing.
    """
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           state="attached", timeout=timeout)
    page.wait_for_selector("[data-testid='stSkeleton']", state="detached", timeout=timeout)
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, exceptions.first.inner_text()


def counts(page):
    """The counts line above the beads: ``15 beads · 1 confirmed (7%) · 0 rejected``."""
    return page.locator(".st-key-counts")


def count_of(n, what: str):
    """What ``counts`` shows when ``n`` beads (rows) are ``what``: a pattern for ``to_have_text``."""
    return re.compile(rf"(^|\D){n} {what}\b")


def choose(page, label: str, option) -> None:
    """Pick ``option`` (a string, matched exactly, or a regex) from the selectbox labelled ``label``."""
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=isinstance(option, str)).click()


def uploader(page, key: str, label: str):
    """The file input of the ``st.file_uploader`` of widget ``key``, checked to show ``label``."""
    found = page.locator(f".st-key-{key}")
    expect(found.get_by_test_id("stWidgetLabel")).to_have_text(label)
    return found.locator("input[type=file]")


def button(page, key: str, label: str):
    """The button of widget ``key``, checked to show ``label``.

    Found by its key (Streamlit's ``st-key-*`` class) rather than its accessible
    name, which also holds the keyboard shortcut the button may show.
    """
    found = page.locator(f".st-key-{key}").get_by_role("button")
    expect(found).to_contain_text(label)
    return found


def download_tmx(page, shot, name: str, filename: str, folder: Path):
    """Open the Export view, download the TMX (named ``filename``) and return it parsed, checked against the DTD."""
    page.locator(".st-key-view").get_by_role("radio", name="Export", exact=True).click()
    expect(page.get_by_label("Format", exact=True)).to_be_visible()
    settle(page)
    download_button = button(page, "download", "Download TMX")
    shot(name)
    with page.expect_download() as download_info:
        download_button.click()
    download = download_info.value
    assert download.suggested_filename == filename
    download.save_as(folder / filename)
    tree = etree.parse(str(folder / filename), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                load_dtd=False))
    if DTD_PATH.exists():
        dtd = etree.DTD(str(DTD_PATH))
        assert dtd.validate(tree), dtd.error_log
    return tree


def _undone(folder: Path, pair_id: int) -> int:
    with Project.open(folder, PROJECT) as project:
        return sum(entry.undone for entry in project.history(pair_id))


def _wait_for_note(folder: Path, pair_id: int, index: int, text: str, seconds: float = STEP_MS / 1000) -> None:
    """Until the project file holds ``text`` as the note of bead ``index``: Enter saves it in a run of the
    script that may not have started when ``settle`` looks, and a key pressed during it was lost (CI, once)."""
    deadline = time.monotonic() + seconds
    while True:
        with Project.open(folder, PROJECT) as project:
            if project.beads(pair_id)[index].note == text:
                return
        assert time.monotonic() < deadline, f"the note {text!r} was not saved"
        time.sleep(0.2)


def test_review_in_browser(page, tmp_path):
    shot = Shots(page, tmp_path / "screenshots")
    folder = tmp_path / "projects"
    try:
        _review(page, shot, folder, tmp_path)
    except BaseException:
        shot("failure")
        raise


def _review(page, shot: Shots, folder: Path, tmp_path: Path) -> None:
    expect(page.get_by_text("Choose or create a project in the sidebar.")).to_be_visible()
    settle(page)

    # -- a new project, selected at once ------------------------------------------------
    page.get_by_label("New project name").fill(PROJECT)
    button(page, "create_project", "Create project").click()
    expect(page.get_by_text(f"Project '{PROJECT}' created.")).to_be_visible()
    expect(page.get_by_text("This project has no pair yet: add one here.")).to_be_visible()
    settle(page)
    shot("project-created")

    # -- two files uploaded and aligned -------------------------------------------------
    uploader(page, "upload_src", "Source file (up to 5 MB)").set_input_files(SAMPLE / "welsh.en.txt")
    expect(page.get_by_text(re.compile(r"^\d+ sentences, language: en$"))).to_be_visible()
    settle(page)
    uploader(page, "upload_tgt", "Target file (up to 5 MB)").set_input_files(SAMPLE / "welsh.ja.txt")
    expect(page.get_by_text(re.compile(r"^\d+ sentences, language: ja$"))).to_be_visible()
    settle(page)
    align_button = button(page, "align", "Align")
    expect(align_button).to_be_enabled()
    shot("files-uploaded")

    align_button.click()
    # The new pair is selected at once: its counts appear when alignment and saving are done.
    expect(counts(page)).to_have_text(re.compile(r"^\d+ beads"), timeout=ALIGN_MS)
    settle(page)
    expect(page.get_by_text(re.compile(r"^Aligned .* into pair \d+\.$"))).to_be_visible()
    with Project.open(folder, PROJECT) as project:
        ((pair_id, src_name, tgt_name),) = project.pairs()
        n_beads = project.status(pair_id).beads
        beads_on_page = project.beads(pair_id)[:PAGE_SIZE]
        first, second = beads_on_page[:2]
        src_doc, tgt_doc = project.documents(pair_id)
    assert (Path(src_name).name, Path(tgt_name).name) == ("welsh.en.txt", "welsh.ja.txt")
    assert n_beads >= 10  # the sample has 15-17 sentences a side
    expect(counts(page)).to_have_text(count_of(n_beads, "beads"))
    expect(counts(page)).to_have_text(count_of(0, "confirmed"))

    # -- the parallel view: every sentence of the first page in full, as page text --------
    rows = page.locator(".bw-bead")
    expect(rows).to_have_count(min(n_beads, PAGE_SIZE))
    for bead in beads_on_page:
        row = page.locator(f".bw-bead[data-bead='{bead.position + 1}']")
        texts = row.locator(".bw-src .bw-t").all_inner_texts(), row.locator(".bw-tgt .bw-t").all_inner_texts()
        # One block per sentence, each in full, numbered as in its document.
        assert texts[0] == [src_doc.segments[i].text for i in bead.src], texts[0]
        assert texts[1] == [tgt_doc.segments[j].text for j in bead.tgt], texts[1]
        assert row.locator(".bw-src .bw-n").all_inner_texts() == [str(i + 1) for i in bead.src]
        assert row.locator(".bw-p").count() == 1  # one mark for the probability
    # Readable on a laptop: nothing wider than the window, each side about a third of it.
    widths = page.evaluate("""() => [document.documentElement.scrollWidth,
        document.querySelector('[data-testid=stMain]').scrollWidth,
        document.querySelector('[data-testid=stMain]').clientWidth,
        document.querySelector('.bw-src').getBoundingClientRect().width]""")
    assert widths[0] <= 1366 and widths[1] <= widths[2], widths
    assert widths[3] > 300, widths
    expect(page.locator(".bw-head")).to_contain_text("Target · welsh.ja.txt (ja)")
    shot("aligned")

    merged_src, merged_tgt = first.src + second.src, first.tgt + second.tgt
    merged_kind = f"{len(merged_src)}-{len(merged_tgt)}"

    # -- bead 1 merged with bead 2, then confirmed --------------------------------------
    current = page.locator(".bw-current")
    expect(page.get_by_label(f"Bead (1–{n_beads})", exact=True)).to_have_value("1")
    expect(current).to_have_attribute("data-bead", "1")
    expect(current.locator(".bw-kind")).to_have_text(first.kind)
    button(page, "merge_next", "Merge").click()
    expect(counts(page)).to_have_text(count_of(n_beads - 1, "beads"))
    settle(page)
    expect(page.get_by_label(f"Bead (1–{n_beads - 1})", exact=True)).to_have_value("1")
    expect(current.locator(".bw-kind")).to_have_text(merged_kind)
    # The message of the alignment went with the first correction (the view's run says the messages).
    expect(page.get_by_text(re.compile(r"^Aligned .* into pair \d+\.$"))).to_have_count(0)
    expect(current.locator(".bw-status-confirmed")).to_be_visible()  # made by hand: the reviewer's decision
    # The merged bead's sentences, each apart: the ones of both beads.
    assert current.locator(".bw-src .bw-t").all_inner_texts() == [src_doc.segments[i].text for i in merged_src]
    assert current.locator(".bw-tgt .bw-t").all_inner_texts() == [tgt_doc.segments[j].text for j in merged_tgt]
    shot("merged")

    button(page, "confirm", "Confirm").click()
    expect(counts(page)).to_have_text(count_of(1, "confirmed"))
    settle(page)
    expect(current.locator(".bw-status-confirmed")).to_have_text("✓ confirmed")
    expect(counts(page)).to_have_text(count_of(n_beads - 1, "beads"))
    shot("confirmed")

    # -- corrections from the keyboard: J to the next bead, X rejects it, Z takes it back --
    page.locator(".bw-head").click()  # the keys go to the page, not to a field
    page.keyboard.press("j")
    expect(current).to_have_attribute("data-bead", "2")
    settle(page)
    page.keyboard.press("x")
    expect(counts(page)).to_have_text(count_of(1, "rejected"))
    settle(page)
    expect(current.locator(".bw-status-rejected")).to_have_text("✗ rejected")
    with Project.open(folder, PROJECT) as project:
        assert project.beads(pair_id)[1].status == "rejected"
    page.keyboard.press("z")
    expect(counts(page)).to_have_text(count_of(0, "rejected"))
    settle(page)
    expect(current).to_have_attribute("data-bead", "2")
    with Project.open(folder, PROJECT) as project:
        assert project.beads(pair_id)[1].status == "automatic"
    # T opens the bead's sentence editor under it, and closes it again (S does the same for a split).
    page.keyboard.press("t")
    expect(page.locator(".st-key-edit_panel")).to_be_visible()
    expect(page.locator(".st-key-edit_panel")).to_be_focused()  # Tab goes into it, not through the beads above
    settle(page)
    page.locator(".st-key-edit_panel textarea").click()
    with Project.open(folder, PROJECT) as project:
        first_text = project.documents(pair_id)[0].segments[project.beads(pair_id)[1].src[0]].text
    page.keyboard.press("Control+End")
    page.keyboard.type(" (checked)")
    page.keyboard.press("Escape")  # leaves the text, which saves it: moving on (J) had lost it
    expect(current.locator(".bw-src")).to_contain_text("(checked)")
    settle(page)
    with Project.open(folder, PROJECT) as project:
        assert project.documents(pair_id)[0].segments[project.beads(pair_id)[1].src[0]].text == first_text + \
            " (checked)"
    page.keyboard.press("z")  # the keys are the page's again: undo takes the save back
    expect(current.locator(".bw-src")).not_to_contain_text("(checked)")
    settle(page)
    with Project.open(folder, PROJECT) as project:
        assert project.documents(pair_id)[0].segments[project.beads(pair_id)[1].src[0]].text == first_text
    page.keyboard.press("t")
    expect(page.locator(".st-key-edit_panel")).to_have_count(0)
    settle(page)
    page.keyboard.press("t")  # open, and T again closes it: nothing typed into the sentence
    expect(page.locator(".st-key-edit_panel")).to_be_focused()
    settle(page)
    page.keyboard.press("t")
    expect(page.locator(".st-key-edit_panel")).to_have_count(0)
    settle(page)
    # Text typed, then a toolbar button: the text is saved, and the button is never refused as "changed
    # elsewhere" (this tab's own save moved the bead on) nor takes the text with it. Streamlit may drop a click
    # that lands while the field's own run redraws the page: a second click then does it.
    page.keyboard.press("t")
    expect(page.locator(".st-key-edit_panel")).to_be_focused()
    settle(page)
    page.locator(".st-key-edit_panel textarea").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" (seen)")
    button(page, "confirm", "Confirm").click()
    expect(current.locator(".bw-src")).to_contain_text("(seen)")
    settle(page)
    if not current.locator(".bw-status-confirmed").count():
        button(page, "confirm", "Confirm").click()
    expect(current.locator(".bw-status-confirmed")).to_be_visible()
    settle(page)
    expect(page.get_by_text(re.compile("changed elsewhere"))).to_have_count(0)
    for _ in range(2):  # each Z waited for in the project file: a key pressed as a run ends may be dropped
        undone = _undone(folder, pair_id)
        for wait_s in (10, 20):  # pressed again once if nothing was undone
            page.keyboard.press("z")
            deadline = time.monotonic() + wait_s
            while _undone(folder, pair_id) == undone and time.monotonic() < deadline:
                time.sleep(0.2)
            if _undone(folder, pair_id) > undone:
                break
        settle(page)
    with Project.open(folder, PROJECT) as project:
        assert project.documents(pair_id)[0].segments[project.beads(pair_id)[1].src[0]].text == first_text
        assert project.beads(pair_id)[1].status == "automatic"
    if page.locator(".st-key-edit_panel").count():
        page.keyboard.press("t")
        expect(page.locator(".st-key-edit_panel")).to_have_count(0)
        settle(page)

    # -- a note typed on bead 2 is saved as it is typed: moving on and reloading keep it ---
    note_text = "check the <b>names</b> & numbers"
    page.locator("[class*='st-key-note_'] input").fill(note_text)
    page.locator(".bw-pick[data-pick='3']").click()  # bead 3, before any pause or Enter
    expect(current).to_have_attribute("data-bead", "3")
    settle(page)
    expect(page.locator(".bw-bead[data-bead='2'] .bw-note")).to_have_text(note_text)  # as text, not markup
    with Project.open(folder, PROJECT) as project:
        assert project.beads(pair_id)[1].note == note_text
    shot("note")

    # -- a reload starts a new session: the URL reopens the project, pair and bead, ------
    # -- and the edits come back from the project file ----------------------------------
    assert f"pair={pair_id}" in page.url and "bead=3" in page.url
    page.reload()
    settle(page)
    expect(page.get_by_role("combobox", name="Project")).to_have_value(PROJECT)
    expect(page.get_by_role("combobox", name="Pair")).to_have_value(
        re.compile(rf"^{pair_id}: .*welsh\.en\.txt ↔ .*welsh\.ja\.txt$"))
    expect(counts(page)).to_have_text(count_of(n_beads - 1, "beads"))
    expect(counts(page)).to_have_text(count_of(1, "confirmed"))
    expect(current).to_have_attribute("data-bead", "3")
    settle(page)
    first_row = page.locator(".bw-bead[data-bead='1']")
    expect(first_row.locator(".bw-kind")).to_have_text(merged_kind)
    expect(first_row.locator(".bw-status-confirmed")).to_be_visible()
    page.locator(".bw-pick[data-pick='2']").click()
    expect(current).to_have_attribute("data-bead", "2")
    settle(page)
    expect(page.locator("[class*='st-key-note_'] input")).to_have_value(note_text)
    shot("reloaded")
    # Enter saves the note and gives the keys back to the page: J then moves on, and types nothing.
    page.locator("[class*='st-key-note_'] input").press("End")
    page.keyboard.type(" (dates too)")
    page.keyboard.press("Enter")
    note_text += " (dates too)"
    _wait_for_note(folder, pair_id, 1, note_text)
    settle(page)
    page.keyboard.press("j")
    expect(current).to_have_attribute("data-bead", "3")
    settle(page)
    with Project.open(folder, PROJECT) as project:
        assert project.beads(pair_id)[1].note == note_text  # J typed nothing into it

    # -- the current bead stays in sight: a jump down the page scrolls it and its editor into view ---
    go_to = page.get_by_label(f"Bead (1–{n_beads - 1})", exact=True)
    for number in (n_beads - 2, 2):
        go_to.fill(str(number))
        go_to.press("Enter")
        expect(current).to_have_attribute("data-bead", str(number))
        settle(page)
        expect(current).to_be_in_viewport()
        expect(page.locator(".st-key-editor")).to_be_in_viewport()
        if number == n_beads - 2:  # at the foot of the window: a panel opened under the editor comes into view
            page.keyboard.press("t")  # Enter in the box gave the keys back to the page
            expect(page.locator(".st-key-edit_panel textarea")).to_be_in_viewport(ratio=1)
            settle(page)
            page.keyboard.press("t")
            expect(page.locator(".st-key-edit_panel")).to_have_count(0)
            settle(page)
    page.keyboard.press("j")  # not typed into the box: the next bead
    expect(current).to_have_attribute("data-bead", "3")
    settle(page)
    page.keyboard.press("k")
    expect(current).to_have_attribute("data-bead", "2")
    settle(page)

    with Project.open(folder, PROJECT) as project:
        rows = project.beads(pair_id)
        status = project.status(pair_id)
        alignment = project.alignment(pair_id)
    assert (status.beads, status.confirmed) == (n_beads - 1, 1)
    assert rows[0].status == "confirmed"
    assert (rows[0].src, rows[0].tgt) == (merged_src, merged_tgt)
    assert len(rows[0].src) >= 2 or len(rows[0].tgt) >= 2
    assert all(r.status == "automatic" for r in rows[1:])
    assert [r.note for r in rows[:3]] == ["", note_text, ""]

    # -- TMX export ----------------------------------------------------------------------
    tmx_path = tmp_path / f"{PROJECT}-pair{pair_id}.tmx"
    tree = download_tmx(page, shot, "export", tmx_path.name, tmp_path)
    root = tree.getroot()
    assert (root.tag, root.get("version")) == ("tmx", "1.4")
    header = root.find("header")
    assert header is not None and header.get("srclang") == "en"
    # A unit in one language is no use to a translation memory: omission beads are left out.
    both_sides = [b for b in alignment.beads if b.src and b.tgt]
    tus = root.findall("body/tu")
    assert len(tus) == len(both_sides) > 0
    for tu in tus:
        segs = {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in tu.iter("tuv")}
        assert set(segs) == {"en", "ja"} and all(text and text.strip() for text in segs.values()), segs

    units = list(read_tmx(tmx_path))
    assert units[0].props["x-bead"] == format_bead(alignment.beads[0])
    merged = Alignment(src_doc, tgt_doc, []).texts(Bead(tuple(merged_src), tuple(merged_tgt)))
    assert units[0].variants == {"en": merged[0], "ja": merged[1]}

    from translate.storage import tmx as tt_tmx  # translate-toolkit, a test dependency

    store = tt_tmx.tmxfile.parsefile(str(tmx_path))
    assert store.getsourcelanguage() == "en"
    assert [(u.source, u.target) for u in store.units] == [(u.variants["en"], u.variants["ja"]) for u in units]

    # -- the pair deleted from the sidebar, then restored as it was -----------------------
    page.locator(".st-key-view").get_by_role("radio", name="Alignment", exact=True).click()
    expect(page.locator(".bw-current")).to_have_attribute("data-bead", "2")
    settle(page)
    page.get_by_text("Manage this pair", exact=True).click()
    delete = button(page, "delete_pair", "Delete this pair")
    deleted = page.get_by_text(f"Pair {pair_id} deleted; 'Deleted pairs' in the sidebar brings it back.")
    delete.click()
    try:
        expect(deleted).to_be_visible(timeout=10_000)
    except AssertionError:
        # About one run in sixty (once on CI) this click, right after the expander opens, is lost: the store
        # shows no deletion and the page no rerun. Not root-caused; a user clicks again, and so does the test,
        # but only when the store proves the first click did nothing.
        with Project.open(folder, PROJECT) as project:
            assert [p[0] for p in project.pairs()] == [pair_id] and project.deleted_pairs() == []
        delete.click()
        expect(deleted).to_be_visible()
    expect(page.get_by_text("This project has no pair yet: add one here.")).to_be_visible()
    settle(page)
    with Project.open(folder, PROJECT) as project:
        assert project.pairs() == [] and [p[0] for p in project.deleted_pairs()] == [pair_id]
    page.get_by_text("Deleted pairs (1)", exact=True).click()
    restore = page.locator(f".st-key-restore_{pair_id}").get_by_role("button")
    expect(restore).to_be_visible()
    shot("pair-deleted")
    restore.click()
    expect(page.get_by_role("combobox", name="Pair")).to_have_value(
        re.compile(rf"^{pair_id}: .*welsh\.en\.txt ↔ .*welsh\.ja\.txt$"))
    expect(counts(page)).to_have_text(count_of(n_beads - 1, "beads"))
    settle(page)
    expect(page.get_by_text(re.compile(r"^Deleted pairs"))).to_have_count(0)
    expect(page.locator(".bw-bead[data-bead='1'] .bw-status-confirmed")).to_be_visible()
    with Project.open(folder, PROJECT) as project:
        assert [p[0] for p in project.pairs()] == [pair_id] and project.deleted_pairs() == []
        assert [(r.id, r.src, r.tgt, r.status, r.note) for r in project.beads(pair_id)] == [
            (r.id, r.src, r.tgt, r.status, r.note) for r in rows]  # beads, decisions and notes as they were

    # -- a renamed pair stays open: the chooser's label changes under the browser's feet --
    with Project.open(folder, PROJECT) as project:  # a second pair, so that pair 1 opening by mistake shows
        (second_pair,) = project.add_alignments([project.alignment(pair_id)])
    page.reload()
    expect(page.get_by_role("combobox", name="Pair")).to_have_value(re.compile(rf"^{pair_id}: "))
    settle(page)
    choose(page, "Pair or version set", re.compile(rf"^{second_pair}: "))
    expect(page.locator(".bw-head")).to_contain_text("Target · welsh.ja.txt (ja)")
    settle(page)
    page.get_by_text("Manage this pair", exact=True).click()
    # this pair's field, by its key: the other pair's can linger in the page for a moment after the switch
    page.locator(f".st-key-rename_tgt_{second_pair} input").fill("welsh.ja.renamed.txt")
    button(page, "rename_pair", "Rename").click()
    expect(page.locator(".bw-head")).to_contain_text("Target · welsh.ja.renamed.txt (ja)")
    settle(page)
    page.locator(".st-key-view").get_by_role("radio", name="Map", exact=True).click()  # the next click, any
    expect(page.get_by_role("combobox", name="Pair")).to_have_value(
        re.compile(rf"^{second_pair}: .*welsh\.en\.txt ↔ welsh\.ja\.renamed\.txt$"))
    settle(page)
    assert f"pair={second_pair}" in page.url
    with Project.open(folder, PROJECT) as project:
        assert [Path(name).name for name in project.pairs()[0][1:]] == ["welsh.en.txt", "welsh.ja.txt"]

    # -- three versions as one set: a column per version, every sentence, a 3-language TMX --
    page.locator(".st-key-view").get_by_role("radio", name="New pair", exact=True).click()
    expect(page.get_by_role("tab", name="Several versions")).to_be_visible()
    settle(page)
    page.get_by_role("tab", name="Several versions").click()
    expect(page.get_by_role("tab", name="Several versions")).to_have_attribute("aria-selected", "true")
    settle(page)
    uploader(page, "upload_versions", "Version files (the first is the pivot)").set_input_files(
        [SAMPLE / "welsh.en.txt", SAMPLE / "welsh.ja.txt", SAMPLE / "welsh.ru.txt"])
    expect(page.get_by_text(re.compile(r"welsh\.ru\.txt: \d+ sentences, ru$"))).to_be_visible()
    settle(page)
    button(page, "align_versions", "Align the versions").click()
    expect(page.get_by_text(re.compile(r"^Aligned 3 versions into version set \d+ "))).to_be_visible(timeout=ALIGN_MS)
    settle(page)
    with Project.open(folder, PROJECT) as project:
        (vset,) = project.version_sets()
        set_rows = project.rows(vset.id)
        versions = project.version_documents(vset.id)
    # The new set is open at once, on its rows.
    expect(page.get_by_role("combobox", name="Pair")).to_have_value(re.compile(rf"^set {vset.id}: en · ja · ru$"))
    expect(counts(page)).to_have_text(count_of(len(set_rows), "rows"))
    settle(page)
    assert f"set={vset.id}" in page.url and "row=1" in page.url
    head = page.locator(".bw-head")
    for label, doc in zip(vset.labels, versions):
        expect(head).to_contain_text(f"{label} · {Path(doc.name).name}")
    expect(page.locator(".bw-bead")).to_have_count(min(len(set_rows), PAGE_SIZE))
    for set_row in set_rows[:PAGE_SIZE]:
        row = page.locator(f".bw-bead[data-bead='{set_row.position + 1}']")
        assert row.locator(".bw-side").count() == 3
        for v, (doc, cell) in enumerate(zip(versions, set_row.cells)):
            assert row.locator(f".bw-v{v} .bw-t").all_inner_texts() == [doc.segments[i].text for i in cell]
    widths = page.evaluate("""() => [document.documentElement.scrollWidth,
        document.querySelector('[data-testid=stMain]').scrollWidth,
        document.querySelector('[data-testid=stMain]').clientWidth]""")
    assert widths[0] <= 1366 and widths[1] <= widths[2], widths
    shot("version-set", scroll_to=head)
    # A row's number picks it, as a bead's does.
    page.locator(".bw-pick[data-pick='2']").click()
    expect(page.locator(".bw-current")).to_have_attribute("data-bead", "2")
    settle(page)

    set_tree = download_tmx(page, shot, "set-export", f"{PROJECT}-set{vset.id}.tmx", tmp_path)
    set_units = set_tree.getroot().findall("body/tu")
    langs = [{tuv.get(XML_LANG) for tuv in tu.iter("tuv")} for tu in set_units]
    full = [r for r in set_rows if all(r.cells)]
    assert full and sum(lang == {"en", "ja", "ru"} for lang in langs) == len(full)  # one unit per row, 3 languages
    assert len(set_units) == sum(sum(bool(c) for c in r.cells) >= 2 for r in set_rows)
    first = next(tu for tu, lang in zip(set_units, langs) if len(lang) == 3)
    texts = {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in first.iter("tuv")}
    assert texts["ru"] == " ".join(versions[2].segments[i].text for i in full[0].cells[2])

    # -- the set's map, between two of its versions ---------------------------------------
    page.locator(".st-key-view").get_by_role("radio", name="Map", exact=True).click()
    versions_chosen = page.locator(f".st-key-map_versions_{vset.id}")
    expect(versions_chosen.get_by_role("button", name="ja", exact=True)).to_be_visible()
    expect(page.get_by_text("Row 2, the current one, is ringed.", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    settle(page)
    shot("set-map")

    # -- the set's review: each row's versions against the first, decided as a pair's beads are --
    page.locator(".st-key-view").get_by_role("radio", name="Review", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Each row's ja, ru checked against its en"))).to_be_visible(timeout=ALIGN_MS)
    expect(page.get_by_text(re.compile(r"^Row \d+ · "))).to_be_visible()
    settle(page)
    # It opens on the first row of the queue, or stays on row 2 where the queue is empty or holds it.
    queued = [q.get_attribute("data-bead") for q in page.locator(".bw-queued").all()]
    current = "2" if not queued or "2" in queued else queued[0]
    expect(page.get_by_text(re.compile(rf"^Row {current} · "))).to_be_visible()
    shot("set-review")
    button(page, "review_accept", "Accept").click()
    expect(counts(page)).to_have_text(count_of(1, "confirmed"))
    settle(page)
    with Project.open(folder, PROJECT) as project:
        assert project.rows(vset.id)[int(current) - 1].status == "confirmed"
    # The queue is page text, a row's number a button as in the parallel view: a click makes that row current.
    queued = page.locator(".bw-queued")
    if queued.count():  # what the encoder flags in the sample
        number = queued.first.get_attribute("data-bead")
        queued.first.locator(".bw-pick").click()
        expect(page.get_by_text(re.compile(rf"^Row {number} · "))).to_be_visible()
        expect(page.locator(f".bw-queued.bw-current[data-bead='{number}']")).to_be_visible()
        settle(page)
