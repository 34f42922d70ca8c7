"""Faults: a killed import, two processes editing one project, and fuzzed input.

The reliability promises of the project store and the readers, tested by
breaking things: SIGKILL at many points of an import (the project opens, is
intact, and holds all of the import or none of it); two processes making
conflicting edits (every edit succeeds or is a conflict, and no acknowledged
edit is lost); and property-based fuzzing of the TMX reader, the text
decoder and the bead editor (only a one-line ``AlignError`` may escape).
``bench/faults.py`` runs the first two at a larger scale.
"""
from __future__ import annotations

import importlib.util
import io
import json
import os
import pickle
import sqlite3
import sys
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import FakeEncoder, make_document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from align.errors import AlignError
from align.formats.tmx import TranslationUnit, read_tmx, write_tmx
from align.project import bead_edits
from align.project.bead_edits import BeadRow, Change, EditError
from align.project.store import Project, project_path
from align.text.decode import decode_text, normalize_text
from align.types import Alignment, Bead

_spec = importlib.util.spec_from_file_location("bench_faults",
                                               Path(__file__).resolve().parents[1] / "bench" / "faults.py")
faults = sys.modules["bench_faults"] = importlib.util.module_from_spec(_spec)  # dataclasses look it up there
_spec.loader.exec_module(faults)

# ALIGN_FUZZ_EXAMPLES=5000 searches harder than CI does.
FUZZ = settings(max_examples=int(os.environ.get("ALIGN_FUZZ_EXAMPLES", "200")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _one_line_align_error(exc: BaseException) -> None:
    """What may escape a reader: an AlignError whose message is one line."""
    assert isinstance(exc, AlignError), f"{type(exc).__name__} escaped: {exc!r}"
    assert "\n" not in str(exc) and "\r" not in str(exc), f"message of more than one line: {str(exc)!r}"
    assert str(exc).strip(), "an empty message"


# -- an import killed at any point -----------------------------------------------------------

KILLS = 20


@pytest.fixture(scope="module")
def import_alignments():
    """Three versions of 300 sentences aligned with the fake encoder: two pairs, stored in one call."""
    alignments = faults.import_alignments(FakeEncoder())
    assert len(alignments) == 2 and all(len(a.beads) >= 250 for a in alignments)
    return alignments


def _after_the_kill(folder: Path, alignments) -> str:
    """Check what a killed import left, on the file itself; returns 'no project', 'empty' or 'imported'."""
    path = project_path(folder, "imp")
    if not path.exists():  # killed before the project was linked into place: nothing else either
        assert not folder.exists() or not list(folder.glob("*.alignproject"))
        return "no project"
    with Project.open(folder, "imp") as project:  # opening recovers the WAL and runs quick_check
        db = sqlite3.connect(path)
        try:
            assert [r[0] for r in db.execute("PRAGMA integrity_check")] == ["ok"]
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
            assert db.execute("SELECT count(*) FROM pairs p WHERE NOT EXISTS "
                              "(SELECT 1 FROM beads b WHERE b.pair_id = p.id)").fetchone()[0] == 0, \
                "a pair without beads"
            documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            db.close()
        pairs = [pair for pair, _, _ in project.pairs()]
        assert len(pairs) in (0, len(alignments)), f"a partial import: {len(pairs)} of {len(alignments)} pairs"
        assert documents == 2 * len(pairs)
        if not pairs:
            return "empty"
        for pair, alignment in zip(pairs, alignments):
            assert [(r.src, r.tgt) for r in project.beads(pair)] == [(b.src, b.tgt) for b in alignment.beads]
            assert project.documents(pair)[1].text == alignment.tgt.text
        return "imported"


@pytest.mark.slow
def test_an_import_killed_at_any_point_leaves_all_of_it_or_nothing(tmp_path, import_alignments):
    """SIGKILL at 20 points spread over a timed import: the project opens intact, with both pairs or none."""
    data = tmp_path / "import.pickle"
    data.write_bytes(pickle.dumps(import_alignments))
    killed, full = faults.run_import(tmp_path / "whole", "imp", data, delay=None)
    assert not killed and _after_the_kill(tmp_path / "whole", import_alignments) == "imported"
    full = max(full, faults.time_import(tmp_path, import_alignments, data, runs=2))  # the first is often quick
    outcomes = []
    for k in range(KILLS):
        folder = tmp_path / f"kill{k}"
        killed, _ = faults.run_import(folder, "imp", data, delay=1.2 * full * k / (KILLS - 1))
        outcomes.append((killed, _after_the_kill(folder, import_alignments)))
        if outcomes[-1][1] != "no project":  # and the project still takes the import
            with Project.open(folder, "imp") as project:
                again = project.add_alignments(import_alignments)
                assert [len(project.beads(p)) for p in again] == [len(a.beads) for a in import_alignments]
    print(f"import {full * 1000:.0f} ms; {sum(k for k, _ in outcomes)} of {KILLS} killed; after the kill: "
          + ", ".join(f"{o} {sum(x == o for _, x in outcomes)}" for o in ("no project", "empty", "imported")))
    assert outcomes[0][0], "the first kill, right when the child was ready, did not kill it"


def test_the_import_checks_can_fail(tmp_path):
    """What the test and the bench look for is seen: half an import, a pair without beads."""
    src = make_document("a.txt", [f"Line {i}." for i in range(5)], "en")
    alignments = [Alignment(src, make_document(f"{lang}.txt", [f"line {i}." for i in range(5)], lang),
                            [Bead((i,), (i,), 0.9) for i in range(5)], "fake") for lang in ("fr", "de")]
    with Project.create(tmp_path / "half", "imp") as project:
        project.add_alignments(alignments[:1])
    with pytest.raises(AssertionError, match="a partial import: 1 of 2"):
        _after_the_kill(tmp_path / "half", alignments)
    assert faults.check_import(tmp_path / "half", "imp", alignments).partial
    with Project.create(tmp_path / "beadless", "imp") as project:
        project.add_alignments(alignments[:1])
        project.add_pair(alignments[1].src, alignments[1].tgt)
    with pytest.raises(AssertionError, match="a pair without beads"):
        _after_the_kill(tmp_path / "beadless", alignments)
    found = faults.check_import(tmp_path / "beadless", "imp", alignments)
    assert found.pairs == 2 and found.pairs_without_beads == 1 and found.partial and not found.broken


# -- two processes editing one project ---------------------------------------------------------

@pytest.mark.slow
def test_two_processes_editing_the_same_beads_lose_no_acknowledged_edit(tmp_path):
    """200 edits each on the same 8 beads: each succeeds or is a conflict, and the file is their replay."""
    report = faults.run_edits(tmp_path, edits=200, seed=1)
    print({w: (report.attempted[w], report.succeeded[w], report.conflicts[w]) for w in report.attempted})
    assert report.attempted == {"A": 200, "B": 200}
    assert report.errors == []
    for worker in "AB":
        assert report.succeeded[worker] + report.conflicts[worker] == 200
    assert sum(report.conflicts.values()) > 0, "the two processes never got in each other's way"
    assert report.lost == [] and report.stale == []
    assert report.integrity == "ok"


def test_the_edit_checks_can_fail(tmp_path):
    """A note changed behind the edits' back, and two writes claiming one revision, are lost edits."""
    folder = tmp_path / "edits"
    pair, initial = faults.edit_project(folder)
    with Project.open(folder, "edits") as project:
        base = project.revision(pair)
        written = project.set_note(pair, initial[0].id, "A0", version=initial[0].version)
        undone = project.merge_next(pair, initial[1].id, version=initial[1].version)
        assert project.undo(pair, revision=undone[0].version)
    log = [{"worker": "A", "i": 0, "op": "set_note", "bead": initial[0].id, "read_version": initial[0].version,
            "note": "A0", "revision": written[0].version, "result": "ok"},
           {"worker": "A", "i": 1, "op": "merge_next", "bead": initial[1].id, "read_version": initial[1].version,
            "revision": undone[0].version, "result": "ok"},
           {"worker": "A", "i": 2, "op": "undo", "read_revision": undone[0].version,
            "revision": undone[0].version + 1, "result": "ok"}]
    clean = faults.check_edits(folder, "edits", pair, initial, base, [json.loads(json.dumps(log))])
    assert (clean.lost, clean.stale, clean.errors) == ([], [], [])
    assert clean.succeeded == {"A": 3}
    db = sqlite3.connect(project_path(folder, "edits"))
    db.execute("UPDATE beads SET note = 'B7' WHERE id = ?", (initial[0].id,))
    db.commit()
    db.close()
    assert any(f"bead {initial[0].id}" in line for line in faults.check_edits(folder, "edits", pair, initial,
                                                                             base, [log]).lost)
    twice = [log[0], {**log[0], "i": 3, "note": "A3"}]
    assert any("claimed by 2" in line for line in faults.check_edits(folder, "edits", pair, initial,
                                                                     base, [twice]).lost)


# -- the TMX reader ------------------------------------------------------------------------

def _valid_tmx() -> bytes:
    units = [TranslationUnit({"en": "Good morning.", "ja": "おはようございます。"}, {"x-score": "0.9"}),
             TranslationUnit({"en": "A <b> & 'quote'", "ru": "Цитата \"в\" кавычках"}),
             TranslationUnit({"en": "Three", "de": "Drei", "fr": "Trois"})]
    stream = io.BytesIO()
    write_tmx(units, stream, srclang="en", created=datetime(2024, 1, 2, tzinfo=timezone.utc))
    return stream.getvalue()


VALID_TMX = _valid_tmx()
# Pieces that make a TMX file interesting to a parser: markup, entities, DTDs, encodings.
TMX_PIECES = [b"<", b">", b"</", b"/>", b"&", b";", b"&amp;", b"&lol;", b"&#0;", b"&#x110000;", b"]]>",
              b"<![CDATA[", b"<!--", b"-->", b"<?xml version='1.0' encoding='latin-1'?>",
              b"<!DOCTYPE tmx [<!ENTITY e 'x'>]>", b"<!ENTITY % p SYSTEM 'file:///etc/passwd'>",
              b"<tu>", b"</tu>", b"<tuv xml:lang='en'><seg>x</seg></tuv>", b"<seg>", b"</seg>",
              b"<prop type='x'>", b"<bpt i='1'>", b"xml:lang", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf",
              b"\xe3\x81", b"\n", b'"', b"'", b"="]


def _read_all(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.getbasetemp() / "fuzz.tmx"
    path.write_bytes(data)
    try:
        units = list(read_tmx(path))
    except Exception as exc:  # noqa: BLE001 - the property is about what escapes
        _one_line_align_error(exc)
    else:
        for unit in units:
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in unit.variants.items())
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in unit.props.items())


@FUZZ
@given(data=st.binary(max_size=2000))
@example(data=b"<\x00")  # libxml2's message ended with a line break
def test_tmx_reader_on_arbitrary_bytes(tmp_path_factory, data):
    _read_all(tmp_path_factory, data)


@st.composite
def mutated_tmx(draw) -> bytes:
    """The valid file with a few bytes flipped, pieces inserted, runs deleted, or cut short."""
    data = bytearray(VALID_TMX)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate"]))
        at = draw(st.integers(0, len(data)))
        if kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(TMX_PIECES), st.binary(min_size=1, max_size=8)))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif kind == "truncate":
            del data[at:]
        elif kind == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(1, 200))]
    return bytes(data)


@FUZZ
@given(data=mutated_tmx())
def test_tmx_reader_on_mutated_valid_tmx(tmp_path_factory, data):
    _read_all(tmp_path_factory, data)


def test_the_mutations_start_from_a_file_the_reader_accepts(tmp_path):
    path = tmp_path / "valid.tmx"
    path.write_bytes(VALID_TMX)
    assert [sorted(u.variants) for u in read_tmx(path)] == [["en", "ja"], ["en", "ru"], ["de", "en", "fr"]]


# -- the text decoder ----------------------------------------------------------------------

TEXT_PIECES = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\r\n", b"\r", b"\n", b"\xe2\x80\xa8",
               "Привет, мир. ".encode("cp1251"), "こんにちは。".encode("shift_jis"), "日本語".encode("euc_jp"),
               "Grüße".encode("latin-1"), b"ascii text. ", "中文".encode("gb18030"), b"\x1b", b"\x0c"]


@st.composite
def text_bytes(draw) -> bytes:
    """Bytes that look like text more often than random bytes do: pieces in legacy encodings and BOMs."""
    parts = draw(st.lists(st.one_of(st.sampled_from(TEXT_PIECES), st.binary(max_size=16)), max_size=40))
    return b"".join(parts)


def _decode(data: bytes) -> None:
    try:
        text, encoding = decode_text(data, "in.txt")
    except Exception as exc:  # noqa: BLE001
        _one_line_align_error(exc)
        return
    assert isinstance(text, str) and text.strip() and isinstance(encoding, str)
    normal = normalize_text(text)
    assert "\r" not in normal and "\u2028" not in normal


@FUZZ
@given(data=st.binary(max_size=3000))
def test_decoder_on_arbitrary_bytes(data):
    _decode(data)


@FUZZ
@given(data=text_bytes())
def test_decoder_on_text_like_bytes(data):
    _decode(data)


@FUZZ
@given(data=text_bytes())
def test_load_text_on_a_file_of_any_bytes(tmp_path_factory, data):
    from align.text.decode import load_text

    path = tmp_path_factory.getbasetemp() / "fuzz.txt"
    path.write_bytes(data)
    try:
        loaded = load_text(path)
    except Exception as exc:  # noqa: BLE001
        _one_line_align_error(exc)
    else:
        assert loaded.text.strip() and "\r" not in loaded.text


# -- the bead editor -----------------------------------------------------------------------

@st.composite
def bead_lists(draw, max_beads: int = 8) -> list[BeadRow]:
    """A valid bead list: each side's sentences 0..n-1 covered once, in order, no bead empty on both sides."""
    rows, src, tgt = [], 0, 0
    for k in range(draw(st.integers(1, max_beads))):
        ns, nt = draw(st.sampled_from([(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3)]))
        rows.append(BeadRow(100 + k, k, tuple(range(src, src + ns)), tuple(range(tgt, tgt + nt)),
                            draw(st.floats(0, 1)), draw(st.sampled_from(bead_edits.STATUSES)),
                            draw(st.sampled_from(["", "n", "a\nb"])), draw(st.integers(0, 5)),
                            draw(st.one_of(st.none(), st.floats(-1, 1)))))
        src, tgt = src + ns, tgt + nt
    return rows


def _sentences(rows, side: str) -> int:
    return sum(len(r.side(side)) for r in rows)


def _apply(rows: list[BeadRow], change: Change) -> list[BeadRow]:
    """What the store makes of a change (the later beads follow it: ``bead_edits.apply``)."""
    assert isinstance(change, Change)
    assert 0 <= change.start <= change.stop <= len(rows), change
    return bead_edits.apply(rows, change)


def _check_cover(rows: list[BeadRow], n_src: int, n_tgt: int) -> None:
    """Every sentence of each side in exactly one bead, in order, and no bead without a sentence."""
    assert [i for r in rows for i in r.src] == list(range(n_src))
    assert [i for r in rows for i in r.tgt] == list(range(n_tgt))
    assert all(r.src or r.tgt for r in rows)
    assert all(r.status in bead_edits.STATUSES for r in rows)


SIDE = st.sampled_from(["src", "tgt", "both", ""])
DIRECTION = st.sampled_from(["next", "prev", "up"])


@st.composite
def corrections(draw, rows: list[BeadRow]):
    """One call of a ``bead_edits`` function with arguments valid or not, and the sentence counts after it."""
    i = draw(st.integers(0, len(rows) - 1))
    n_src, n_tgt = _sentences(rows, "src"), _sentences(rows, "tgt")
    name = draw(st.sampled_from(["merge", "split", "move", "pull", "detach", "resegment", "set_status",
                                 "set_status_of", "confirm_up_to", "set_note", "decide"]))
    if name == "merge":
        return name, (rows, i, draw(DIRECTION)), (n_src, n_tgt)
    if name == "split":
        return name, (rows, i, draw(st.integers(-1, 4)), draw(st.integers(-1, 4))), (n_src, n_tgt)
    if name in ("move", "pull"):
        return name, (rows, i, draw(SIDE), draw(DIRECTION)), (n_src, n_tgt)
    if name == "detach":
        return name, (rows, i, draw(SIDE), draw(st.sampled_from(["first", "last", "middle"]))), (n_src, n_tgt)
    if name == "resegment":
        side = draw(st.sampled_from(["src", "tgt"]))
        n = n_src if side == "src" else n_tgt
        index, removed, added = draw(st.integers(-2, n + 1)), draw(st.integers(-1, 3)), draw(st.integers(-1, 3))
        counts = {"src": n_src, "tgt": n_tgt}
        counts[side] += added - removed
        return name, (rows, side, index, removed, added), (counts["src"], counts["tgt"])
    status = draw(st.sampled_from([*bead_edits.STATUSES, "maybe"]))
    if name == "set_status":
        return name, (rows, i, status), (n_src, n_tgt)
    if name == "set_status_of":
        ids = draw(st.lists(st.one_of(st.sampled_from([r.id for r in rows]), st.integers(0, 200)), max_size=5))
        return name, (rows, ids, status, draw(st.one_of(st.none(), st.text(max_size=5)))), (n_src, n_tgt)
    if name == "confirm_up_to":
        return name, (rows, i), (n_src, n_tgt)
    if name == "set_note":
        return name, (rows, i, draw(st.text(max_size=10))), (n_src, n_tgt)
    return name, (rows, i, status, draw(st.text(max_size=10))), (n_src, n_tgt)


@FUZZ
@given(data=st.data())
def test_every_correction_keeps_each_sentence_in_one_bead_in_order(data):
    """A sequence of corrections: each one is a Change that keeps the cover, or an EditError."""
    rows = data.draw(bead_lists())
    counts = (_sentences(rows, "src"), _sentences(rows, "tgt"))
    for _ in range(data.draw(st.integers(1, 6))):
        name, args, after = data.draw(corrections(rows))
        try:
            change = getattr(bead_edits, name)(*args)
        except Exception as exc:  # noqa: BLE001
            _one_line_align_error(exc)
            assert isinstance(exc, EditError), f"{name} raised {type(exc).__name__}: {exc}"
            _check_cover(rows, *counts)  # a refusal changes nothing
            continue
        rows = [replace(r, position=k) for k, r in enumerate(_apply(rows, change))]
        counts = after
        _check_cover(rows, *counts)


@FUZZ
@given(old=bead_lists(), new=bead_lists())
def test_diff_turns_one_bead_list_into_the_other(old, new):
    """Up to what ``diff`` compares (sentences, status, score, similarity; ids and notes are the store's)."""
    def key(rows):
        return [(r.src, r.tgt, r.status, r.score, r.similarity) for r in rows]

    change = bead_edits.diff(old, new)
    assert key(_apply(old, change)) == key(new)
    assert list(change.new) == new[change.start:change.start + len(change.new)]


# -- bench/faults.py ---------------------------------------------------------------------------

def test_the_bench_explains_itself_and_fails_on_a_lost_edit(monkeypatch, capsys):
    with pytest.raises(SystemExit) as exited:
        faults.main(["--help"])
    assert exited.value.code == 0
    assert "--kills N" in capsys.readouterr().out
    lost = faults.EditReport({"A": 2, "B": 2}, {"A": 2, "B": 1}, {"A": 0, "B": 1}, lost=["bead 7: lost"])
    monkeypatch.setattr(faults, "run_edits", lambda work, edits, seed: lost)
    assert faults.main(["--kills", "0", "--edits", "2"]) == 1
    out = capsys.readouterr().out
    assert "lost edits                1" in out and "bead 7: lost" in out and out.endswith("FAILED\n")
    monkeypatch.setattr(faults, "run_edits", lambda work, edits, seed: faults.EditReport({"A": 2}, {"A": 2}, {"A": 0}))
    assert faults.main(["--kills", "0", "--edits", "2"]) == 0
    assert capsys.readouterr().out.endswith("ok\n")
