"""Bead format, tabular exports, the writer registry and atomic writes."""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA, make_document

from align.errors import AlignError, FormatError
from align.formats import WRITERS, check_output, open_units, write_alignment, write_atomic
from align.formats.beads import format_bead, read_beads, write_beads
from align.types import Alignment, Bead

GOLD_FILES = sorted(DATA.glob("bench/*/*.gold"))


@pytest.fixture
def alignment() -> Alignment:
    src = make_document("en.txt", ["He said \"hi\",\tthen left.", "Line\nbreak", "NA", "Dropped."], "en")
    tgt = make_document("ru.txt", ["Он сказал «привет», потом ушёл.", "Перенос", "НД"], "ru")
    beads = [Bead((0,), (0,), 0.91237, 0.81234), Bead((1,), (1,), 0.5, 0.4), Bead((2,), (2,), 0.25),
             Bead((3,), (), 0.0)]
    return Alignment(src, tgt, beads)


# --- beads -----------------------------------------------------------------

@pytest.mark.parametrize("bead, line", [
    (Bead((0,), (0,)), "[0]:[0]"),
    (Bead((0, 1), (2,)), "[0, 1]:[2]"),
    (Bead((), (3,)), "[]:[3]"),
    (Bead((4, 5, 6), ()), "[4, 5, 6]:[]"),
])
def test_format_bead(bead, line):
    assert format_bead(bead) == line
    assert read_beads([line]) == [Bead(bead.src, bead.tgt)]


def test_beads_round_trip(alignment):
    out = io.BytesIO()
    write_beads(alignment.beads, out)
    assert out.getvalue() == b"[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[]\n"
    parsed = read_beads(out.getvalue().decode().splitlines())
    assert [(b.src, b.tgt) for b in parsed] == [(b.src, b.tgt) for b in alignment.beads]


def test_read_beads_tolerates_spacing_blank_lines_and_vecalign_cost():
    lines = ["[0,1] : [ 2 ]\n", "\n", "[2]:[3]:0.123456\n", "[]:[4]"]
    assert read_beads(lines) == [Bead((0, 1), (2,)), Bead((2,), (3,)), Bead((), (4,))]


@pytest.mark.parametrize("bad", ["[0]-[1]", "[0]:[a]", "[0, ]:[1]", "[-1]:[0]", "0:1", "[0]:[1]:x"])
def test_read_beads_names_the_bad_line(tmp_path, bad):
    path = tmp_path / "doc.gold"
    path.write_text(f"[0]:[0]\n{bad}\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"doc\.gold line 2:"):
        read_beads(path)


def test_read_beads_missing_file(tmp_path):
    with pytest.raises(FormatError, match="missing.gold"):
        read_beads(tmp_path / "missing.gold")


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bench_gold_files_reformat_byte_identical(gold):
    out = io.BytesIO()
    write_beads(read_beads(gold), out)
    assert out.getvalue() == gold.read_bytes()


# --- tabular ---------------------------------------------------------------

def test_registry_has_every_format():
    assert set(WRITERS) == {"beads", "tsv", "csv", "jsonl", "tmx"}


def test_unknown_format_is_an_align_error(alignment):
    with pytest.raises(AlignError, match="unknown output format 'xlsx'"):
        write_alignment(alignment, "xlsx", io.BytesIO())


def test_tsv_is_one_line_per_bead_and_reads_back(alignment, tmp_path):
    path = tmp_path / "out.tsv"
    assert write_alignment(alignment, "tsv", path) == []
    lines = path.read_text(encoding="utf-8").split("\n")
    assert len(lines) == 1 + len(alignment.beads) + 1 and lines[-1] == ""
    assert all(line.count("\t") == 9 for line in lines[:-1])
    assert lines[0].split("\t")[4:6] == ["score", "similarity"]
    assert [line.split("\t")[5] for line in lines[1:-1]] == ["0.8123", "0.4", "", ""]  # empty: not known
    frame = pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False)
    assert list(frame.columns) == list(alignment.to_frame().columns)
    assert frame["src_text"].tolist() == ['He said "hi", then left.', "Line break", "NA", "Dropped."]
    assert frame["tgt_text"].tolist()[3] == ""
    assert [json.loads(ids) for ids in frame["tgt_ids"]] == [[0], [1], [2], []]
    assert frame["score"].tolist() == [0.9124, 0.5, 0.25, 0.0]


def test_csv_keeps_text_whole_and_reads_back(alignment):
    out = io.BytesIO()
    write_alignment(alignment, "csv", out)
    frame = pd.read_csv(io.BytesIO(out.getvalue()), keep_default_na=False)
    assert frame["src_text"].tolist() == [s.text for s in alignment.src.segments]
    assert frame["tgt_text"].tolist()[:3] == [s.text for s in alignment.tgt.segments]
    assert frame["src_ids"].map(json.loads).tolist() == [[0], [1], [2], [3]]
    assert frame["similarity"].tolist() == ["0.8123", "0.4", "", ""]  # read as text: empty where not known


def test_jsonl_one_object_per_bead_non_ascii_as_is(alignment):
    out = io.BytesIO()
    write_alignment(alignment, "jsonl", out)
    raw = out.getvalue().decode("utf-8")
    assert "привет" in raw and "\\u" not in raw
    records = [json.loads(line) for line in raw.splitlines()]
    assert len(records) == 4
    assert records[0]["similarity"] == 0.8123
    # Beads count from 1 as the workbench and `align project` count them; sentence ids from 0 as the bead format.
    assert records[3] == {"bead": 4, "src_ids": [3], "tgt_ids": [], "kind": "1-0", "score": 0.0,
                          "similarity": None, "src_lang": "en", "tgt_lang": "ru", "src_text": "Dropped.", "tgt_text": ""}
    frame = pd.read_json(io.StringIO(raw), lines=True)
    assert frame["src_text"].tolist() == [s.text for s in alignment.src.segments]


def test_writers_leave_the_stream_open(alignment):
    for fmt in WRITERS:
        out = io.BytesIO()
        write_alignment(alignment, fmt, out)
        assert not out.closed and out.getvalue()


# --- atomic writes ----------------------------------------------------------

def test_write_atomic_replaces_the_file_with_umask_mode(tmp_path):
    path = tmp_path / "out.txt"
    path.write_bytes(b"old")
    old_umask = os.umask(0o022)
    try:
        assert write_atomic(path, lambda f: f.write(b"new")) == 3
    finally:
        os.umask(old_umask)
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o644
    assert os.listdir(tmp_path) == ["out.txt"]


def test_failing_writer_leaves_no_file_and_no_temp(tmp_path, alignment):
    def failing(stream):
        stream.write(b"partial")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_atomic(tmp_path / "out.tmx", failing)
    assert os.listdir(tmp_path) == []

    same_language = Alignment(alignment.src, alignment.src, alignment.beads)
    with pytest.raises(AlignError):
        write_alignment(same_language, "tmx", tmp_path / "out.tmx")
    assert os.listdir(tmp_path) == []


def test_failing_writer_keeps_the_old_file(tmp_path):
    path = tmp_path / "out.tsv"
    path.write_bytes(b"old")
    with pytest.raises(ValueError):
        write_atomic(path, lambda f: (f.write(b"x"), int("x")))
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.tsv"]


def test_missing_directory_is_an_align_error(tmp_path):
    with pytest.raises(AlignError, match="does not exist"):
        write_atomic(tmp_path / "nowhere" / "out.tsv", lambda f: None)


def test_parent_is_a_file_is_an_align_error(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(AlignError, match="cannot write"):
        write_atomic(tmp_path / "file" / "out.tsv", lambda f: None)


def test_unwritable_directory_is_an_align_error(tmp_path, monkeypatch):
    real_open = os.open

    def denied(path, *args, **kwargs):
        if Path(path).parent == tmp_path:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    # Patched rather than chmod-ed: a test run as root may write anywhere.
    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(AlignError, match="not writable"):
        write_atomic(tmp_path / "out.tsv", lambda f: None)


def test_any_table_as_tsv_keeps_one_line_per_row(tmp_path):
    from align.formats.tabular import write_frame

    frame = pd.DataFrame([(1, "a\tb\u2028c\r\nd", 0.5)], columns=["line", "text", "score"])
    out = io.BytesIO()
    write_frame(frame, "tsv", out)
    assert out.getvalue().decode().splitlines() == ["line\ttext\tscore", "1\ta b c  d\t0.5"]


# --- output paths, checked before any work ------------------------------------

def _refusal(path, force=False) -> str:
    with pytest.raises(AlignError) as info:
        check_output(path, force)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_check_output_refuses_what_cannot_be_written(tmp_path):
    (tmp_path / "file").write_text("")
    assert "does not exist" in _refusal(tmp_path / "missing" / "r.html")
    assert "is not a directory" in _refusal(tmp_path / "file" / "out.tsv")
    assert "is a directory" in _refusal(tmp_path)
    assert "is a directory" in _refusal("")  # an empty name is the current directory
    check_output(tmp_path / "new.tsv")
    check_output(tmp_path / "file")  # an existing file is replaced
    assert os.listdir(tmp_path) == ["file"]  # checking writes nothing


def test_check_output_refuses_an_unwritable_directory(tmp_path, monkeypatch):
    # Patched rather than chmod-ed: a test run as root may write anywhere.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    assert "directory" in _refusal(tmp_path / "out.tsv") and "not writable" in _refusal(tmp_path / "out.tsv")


def test_symlink_is_refused_unless_forced_and_then_the_link_is_replaced(tmp_path):
    target = tmp_path / "target.txt"
    target.write_bytes(b"precious")
    link = tmp_path / "out.tsv"
    link.symlink_to(target)
    assert "symbolic link" in _refusal(link) and "--force" in _refusal(link)
    with pytest.raises(AlignError, match="symbolic link"):
        write_atomic(link, lambda f: f.write(b"new"))
    assert link.is_symlink() and target.read_bytes() == b"precious"
    write_atomic(link, lambda f: f.write(b"new"), force=True)
    assert not link.is_symlink() and link.read_bytes() == b"new"
    assert target.read_bytes() == b"precious"  # what the link pointed to is never written


@pytest.mark.parametrize("mode", [0o444, 0o640])
def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(tmp_path, mode):
    path = tmp_path / "out.tsv"
    path.write_bytes(b"old")
    path.chmod(mode)
    write_atomic(path, lambda f: f.write(b"new"))
    assert path.read_bytes() == b"new" and path.stat().st_mode & 0o7777 == mode


def test_write_atomic_writes_into_a_fifo_instead_of_replacing_it(tmp_path):
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    # A daemon, joined with a bound: should the write never open the pipe, the test fails instead of hanging.
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    check_output(fifo)
    assert write_atomic(fifo, lambda f: f.write(b"through the pipe")) == 16
    reader.join(timeout=60)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and os.listdir(tmp_path) == ["pipe"]


def test_write_atomic_syncs_the_directory_after_the_rename(tmp_path, monkeypatch):
    import stat

    synced = []
    real_fsync = os.fsync

    def spy(fd):
        synced.append((stat.S_ISDIR(os.fstat(fd).st_mode), (tmp_path / "out.tsv").exists()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    write_atomic(tmp_path / "out.tsv", lambda f: f.write(b"x"))
    assert synced == [(False, False), (True, True)]  # the file's data, then its new name


SIGTERM_DURING_WRITE = """
import os, signal, sys, time
from align.formats.atomic import write_atomic

def write(stream):
    stream.write(b"partial")
    stream.flush()
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(60)  # the signal ends this at once; without a handler it ends the process

write_atomic(sys.argv[1], write)
"""


def test_sigterm_during_a_write_removes_the_temp_file_and_keeps_the_old_one(tmp_path):
    import signal
    import subprocess
    import sys

    from conftest import REPO

    path = tmp_path / "out.tsv"
    path.write_bytes(b"old")
    done = subprocess.run([sys.executable, "-c", SIGTERM_DURING_WRITE, str(path)], cwd=REPO,
                          capture_output=True, timeout=120)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert os.listdir(tmp_path) == ["out.tsv"] and path.read_bytes() == b"old"


def test_sigterm_handler_is_installed_only_while_writing_and_only_over_the_default(tmp_path):
    import signal
    import threading

    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    seen = []

    def write(stream):
        seen.append(signal.getsignal(signal.SIGTERM))

    write_atomic(tmp_path / "out.tsv", write)
    assert seen[-1] is not signal.SIG_DFL and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL

    def own(signum, frame):
        pass

    signal.signal(signal.SIGTERM, own)
    try:
        write_atomic(tmp_path / "out.tsv", write)  # a program's own handler is left alone
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    assert seen[-1] is own

    thread = threading.Thread(target=write_atomic, args=(tmp_path / "thread.tsv", write))
    thread.start()
    thread.join()
    assert seen[-1] is signal.SIG_DFL and (tmp_path / "thread.tsv").exists()  # signals belong to the main thread


# --- spreadsheet formulas in TSV and CSV --------------------------------------

FORMULAS = ['=HYPERLINK("http://x","y")', "-5 degrees", "+1 555 0100", "@SUM(A1:A9)", "  =1+1", "\t=1", "\rtext",
            "'=already quoted"]


@pytest.fixture
def formula_alignment() -> Alignment:
    texts = [*FORMULAS, "Plain text.", "5 - 3 = 2"]
    src = make_document("en.txt", texts, "en")
    tgt = make_document("de.txt", [f"Text {n}." for n in range(len(texts))], "de")
    return Alignment(src, tgt, [Bead((n,), (n,), 0.5) for n in range(len(texts))])


def test_csv_and_tsv_neutralise_formulas_in_text_and_read_back(formula_alignment, tmp_path):
    from align.formats.tabular import read_rows

    for fmt in ("csv", "tsv"):
        path = tmp_path / f"out.{fmt}"
        write_alignment(formula_alignment, fmt, path)
        dialect = {"sep": "\t", "quoting": csv.QUOTE_NONE} if fmt == "tsv" else {}
        cells = pd.read_csv(path, keep_default_na=False, **dialect)["src_text"].tolist()
        # In TSV a tab or CR becomes a space first: " text" is no formula, " =1" still is.
        assert [cell.startswith("'") for cell in cells[:len(FORMULAS)]] == [True] * 6 + [fmt == "csv", True]
        assert cells[len(FORMULAS):] == ["Plain text.", "5 - 3 = 2"]
        assert cells[0] == '\'=HYPERLINK("http://x","y")' and cells[1] == "'-5 degrees"
        assert cells[-3] == "''=already quoted"
        back = [row["src_text"] for row in read_rows(path)]
        expected = [text.replace("\t", " ").replace("\r", " ") if fmt == "tsv" else text
                    for text in (s.text for s in formula_alignment.src.segments)]
        assert back == expected
    raw = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert raw[1].endswith(',"\'=HYPERLINK(""http://x"",""y"")","Text 0."')  # quoted, as OWASP advises
    assert raw[1].startswith("1,")  # numbers stay numbers


def test_numbers_and_jsonl_are_not_touched(tmp_path):
    from align.formats.tabular import write_frame

    frame = pd.DataFrame([(-0.5, "-5 degrees", "-1")], columns=["score", "text", "kind"])
    for fmt, expected in (("tsv", "-0.5\t'-5 degrees\t-1"), ("csv", '-0.5,"\'-5 degrees","-1"')):
        out = io.BytesIO()
        write_frame(frame, fmt, out)
        assert out.getvalue().decode().splitlines()[1] == expected
    out = io.BytesIO()
    write_frame(frame, "jsonl", out)
    assert json.loads(out.getvalue()) == {"score": -0.5, "text": "-5 degrees", "kind": "-1"}
    out = io.BytesIO()
    write_frame(frame.rename(columns={"kind": "ja"}), "tsv", out, text_columns={"text", "ja"})
    assert out.getvalue().decode().splitlines()[1] == "-0.5\t'-5 degrees\t'-1"  # a version's text column


# --- reading units back: open_units ------------------------------------------

def _written(alignment, fmt, path) -> Path:
    write_alignment(alignment, fmt, path, one_sided_units=True)
    return path


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl", "tmx"])
def test_every_output_of_align_pair_reads_back_as_the_same_units(alignment, tmp_path, fmt):
    units = list(open_units(_written(alignment, fmt, tmp_path / f"out.{fmt}")))
    texts = [{"en": s.text, "ru": t.text} for s, t in zip(alignment.src.segments, alignment.tgt.segments)]
    if fmt == "tsv":  # a TSV cell holds no tab or line break
        texts[:2] = [{"en": 'He said "hi", then left.', "ru": texts[0]["ru"]}, {"en": "Line break", "ru": "Перенос"}]
    assert [u.variants for u in units] == [*texts, {"en": "Dropped."}]  # a one-sided bead keeps its one side
    assert [u.props for u in units] == [
        {"x-score": "0.9124", "x-bead": "[0]:[0]", "x-similarity": "0.8123"},
        {"x-score": "0.5000", "x-bead": "[1]:[1]", "x-similarity": "0.4000"},
        {"x-score": "0.2500", "x-bead": "[2]:[2]"},
        {"x-score": "0.0000", "x-bead": "[3]:[]"}]
    assert all(u.notes == () for u in units)


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl", "tmx"])
def test_a_reviewed_pair_reads_back_with_status_note_and_its_languages_as_bcp47(tmp_path, fmt):
    from dataclasses import replace

    src = make_document("zh.txt", ["你好。", "再见。"], "zh-cn")
    tgt = make_document("pt.txt", ["Olá.", "Tchau."], "pt_br")
    beads = [replace(Bead((0,), (0,), 0.9), status="confirmed", note="checked, fine"),
             replace(Bead((1,), (1,), 0.4), status="automatic")]
    units = list(open_units(_written(Alignment(src, tgt, beads), fmt, tmp_path / f"out.{fmt}")))
    assert [u.variants for u in units] == [{"zh-CN": "你好。", "pt-BR": "Olá."}, {"zh-CN": "再见。", "pt-BR": "Tchau."}]
    assert [u.props.get("x-status") for u in units] == ["confirmed", "automatic"]
    assert [u.notes for u in units] == [("checked, fine",), ()]


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl", "tmx"])
def test_a_file_without_a_known_extension_is_read_by_its_content(alignment, tmp_path, fmt):
    from align.formats.units import units_format

    written = _written(alignment, fmt, tmp_path / f"out.{fmt}")
    for name in ("corpus", "corpus.out"):
        unnamed = tmp_path / name
        unnamed.write_bytes(written.read_bytes())
        assert units_format(unnamed) == fmt
        assert list(open_units(unnamed)) == list(open_units(written))


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "tmx"])
def test_a_project_export_keeps_each_pairs_languages_and_names_the_pair(alignment, tmp_path, fmt):
    from align.formats import write_project

    other = Alignment(make_document("de.txt", ["Hallo."], "de"), make_document("fr.txt", ["Salut."], "fr"),
                      [Bead((0,), (0,), 0.7)])
    path = tmp_path / f"project.{fmt}"
    write_project({1: alignment, 2: other}, fmt, path, one_sided_units=True)
    units = list(open_units(path))
    assert [u.props["x-pair"] for u in units] == ["1"] * 4 + ["2"]
    assert units[-1].variants == {"de": "Hallo.", "fr": "Salut."}
    assert [set(u.variants) for u in units[:3]] == [{"en", "ru"}] * 3


@pytest.mark.parametrize("name, body, message", [
    # no file of units at all
    ("out.tsv", b"", "empty file"),
    ("corpus", b"  \n\n", "empty file"),
    ("corpus", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "cannot tell the format"),
    ("memo.docx", b"PK\x03\x04\x14\x00\x06\x00", "cannot tell the format"),
    ("notes", "Just some prose.\nNothing tabular.\n".encode(), "cannot tell the format"),
    ("out.beads", b"[0]:[0]\n[1, 2]:[1]\n", "a bead file holds sentence numbers"),
    ("corpus", b"[0]:[0]\n[1, 2]:[1]\n", "a bead file holds sentence numbers"),
    ("page", b"<html><body>hi</body></html>", "root element is <html>, not <tmx>"),
    # a TMX or table, broken
    ("broken.tmx", b'<?xml version="1.0"?>\n<tmx version="1.4"><body><tu><tuv', "broken.tmx line"),
    ("out.tsv", "src_text\ttgt_text\nПривет\tмир\n".encode("cp1251"), "not UTF-8"),
    ("out.jsonl", b'{"src_text": "a"}\n', "no column tgt_text"),
    ("out.csv", b"src_text,tgt_text\na,b\n", "no src_lang/tgt_lang"),
    ("out.tsv", b"src_lang\ttgt_lang\tsrc_text\ttgt_text\nen\tEN\ta\tb\n", "both sides are tagged 'en'"),
    ("out.csv", b"src_lang,tgt_lang,src_text,tgt_text,score\nen,fr,a,b,high\n", "row 1: score 'high' is not a number"),
])
def test_what_open_units_cannot_read_is_a_one_line_align_error(tmp_path, name, body, message):
    path = tmp_path / name
    path.write_bytes(body)
    with pytest.raises(AlignError, match=message) as caught:
        list(open_units(path))
    assert "\n" not in str(caught.value)


def test_open_units_fails_when_called_not_when_first_read(tmp_path):
    (tmp_path / "notes").write_text("prose\n", encoding="utf-8")
    with pytest.raises(AlignError, match="no such file"):
        open_units(tmp_path / "missing.tmx")
    with pytest.raises(AlignError, match="cannot tell"):
        open_units(tmp_path / "notes")


def test_a_utf16_tmx_without_extension_is_read(alignment, tmp_path):
    written = _written(alignment, "tmx", tmp_path / "out.tmx")
    unnamed = tmp_path / "memory"
    text = written.read_text(encoding="utf-8").replace("encoding='utf-8'", "encoding='UTF-16'", 1)
    assert "UTF-16" in text
    unnamed.write_bytes(text.encode("utf-16"))
    assert list(open_units(unnamed)) == list(open_units(written))
