"""The README points into docs/ for the history of every number: those links must not rot when either side moves."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def github_anchor(heading: str) -> str:
    """The fragment GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors_of(page: Path) -> set[str]:
    return {github_anchor(line.lstrip("#")) for line in page.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")}


def test_github_anchor_matches_githubs_rule():
    assert github_anchor(" Beads the first look did not have") == "beads-the-first-look-did-not-have"
    assert github_anchor("Thorough alignment and the Text+Berg gap") == "thorough-alignment-and-the-textberg-gap"
    assert github_anchor("Posterior decoding, measured again") == "posterior-decoding-measured-again"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_reach_a_file_and_heading(page):
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif fragment and linked.suffix == ".md" and fragment not in anchors_of(linked):
            broken.append(f"{target}: no heading #{fragment}")
    assert not broken, broken


def test_readme_sends_history_to_docs():
    """The README stays a user's page: the round-by-round history lives in docs/ and is linked from it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in ("docs/review-rounds.md", "docs/alignment-experiments.md", "docs/text-notes.md"):
        assert f"]({doc}" in readme
    assert "Seventeenth round" not in readme
