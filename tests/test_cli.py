"""The command line as a user drives it: results, exit codes and bad input."""
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys

import pytest
from conftest import REPO
from lxml import etree

from align.cli.main import main
from align.formats.beads import read_beads


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_tag_prints_line_lang_text(capsys, sample):
    code, out, err = run(capsys, "tag", sample / "welsh.ja.txt", "--format", "tsv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["line", "lang", "text"]
    assert rows[1] == ["1", "ja", "恥さらしを危惧するウェールズ議会議員 (AM)"]
    # Paragraph 2 (line 3) holds two sentences.
    assert [r[0] for r in rows[2:4]] == ["3", "3"]
    assert {r[1] for r in rows[1:]} == {"ja"}


def test_tag_presplit_keeps_one_row_per_line(capsys, data):
    path = data / "bench" / "ntrex_en-ru_dev" / "001.tgt"
    code, out, _ = run(capsys, "tag", path, "--presplit")
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = out.splitlines()[1:]
    assert code == 0
    assert len(rows) == sum(1 for line in lines if line.strip())
    assert all(row.split("\t")[1] == "ru" for row in rows)


@pytest.mark.slow  # loads the model
def test_pair_presplit_reproduces_gold_format(capsys, data, tmp_path):
    folder = data / "bench" / "ntrex_en-ru_dev"
    out_file = tmp_path / "001.beads"
    code, _, err = run(capsys, "pair", folder / "001.src", folder / "001.tgt", "--presplit",
                       "--format", "beads", "-o", out_file)
    assert code == 0, err
    hyp = read_beads(out_file)
    gold = read_beads(folder / "001.gold")
    assert [i for b in hyp for i in b.src] == list(range(sum(len(b.src) for b in gold)))
    assert len(set((b.src, b.tgt) for b in hyp) & set((b.src, b.tgt) for b in gold)) / len(gold) > 0.9
    # Exactly the gold syntax, line by line.
    assert all(line.startswith("[") and "]:[" in line for line in out_file.read_text().splitlines())


@pytest.mark.slow  # loads the model
def test_pair_writes_valid_tmx(capsys, sample, data, tmp_path):
    out_file = tmp_path / "welsh.tmx"
    code, _, err = run(capsys, "pair", sample / "welsh.en.txt", sample / "welsh.ru.txt", "--format", "tmx",
                       "-o", out_file)
    assert code == 0, err
    tree = etree.parse(str(out_file), etree.XMLParser(resolve_entities=False, no_network=True))
    assert etree.DTD(str(data / "formats" / "tmx14.dtd")).validate(tree)
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tree.iter("tuv")}
    assert langs == {"en", "ru"}
    assert len(tree.findall(".//tu")) >= 14


@pytest.mark.slow  # loads the model
def test_pair_says_where_a_passage_is_missing(capsys, data, tmp_path):
    folder = data / "bench" / "ntrex_en-ru_dev"
    src, tgt = (folder / "001.src").read_text(encoding="utf-8"), (folder / "001.tgt").read_text(encoding="utf-8")
    lines = tgt.splitlines(keepends=True)
    (tmp_path / "a.en").write_text(src, encoding="utf-8")
    (tmp_path / "b.ru").write_text("".join(lines[:30] + lines[55:]), encoding="utf-8")  # 25 target lines lost
    lost = {i for b in read_beads(folder / "001.gold") if b.tgt and all(30 <= j < 55 for j in b.tgt) for i in b.src}
    code, _, err = run(capsys, "pair", tmp_path / "a.en", tmp_path / "b.ru", "--presplit", "-o", tmp_path / "o.tsv")
    assert code == 0, err
    said = re.findall(r"align: source sentences (\d+)-(\d+) \((\d+)\) have no counterpart in the target "
                      r"\(beads \d+-\d+\): a passage the target lacks\?", err)
    assert len(said) == 1, err
    first, last, count = map(int, said[0])
    assert count == last - first + 1 and len(lost & set(range(first - 1, last))) >= 0.9 * len(lost)


@pytest.mark.slow  # loads the model
def test_pair_of_documents_that_translate_nothing_of_each_other_says_so(capsys, data, tmp_path):
    # Two news articles, each with its own translation elsewhere: nothing of one is in the other.
    folder = data / "bench" / "ntrex_en-ja_dev"
    code, _, err = run(capsys, "pair", folder / "001.src", folder / "003.tgt", "--presplit", "-o", tmp_path / "o.tsv")
    assert code == 0, err
    said = re.findall(r"align: (\d+) of (\d+) source sentences and (\d+) of (\d+) target sentences have no "
                      r"counterpart: the two documents do not seem to be translations of each other", err)
    assert len(said) == 1 and len(err.strip().splitlines()) == 1, err
    rows = list(csv.DictReader((tmp_path / "o.tsv").open(encoding="utf-8"), delimiter="\t"))
    links = [float(r["score"]) for r in rows if r["kind"] not in ("1-0", "0-1")]
    assert len(links) <= 0.2 * len(rows) and sum(links) / max(len(links), 1) < 0.5  # no confident chance links
    # Asked to, the pair is an error: the same reason, no output.
    code, _, err = run(capsys, "pair", folder / "001.src", folder / "003.tgt", "--presplit", "-o", tmp_path / "x.tsv",
                       "--fail-unpaired")
    assert code == 1 and not (tmp_path / "x.tsv").exists(), err
    assert re.fullmatch(r"align: error: \d+ of \d+ source sentences .* do not seem to be translations of each "
                        r"other\n", err), err
    code, _, err = run(capsys, "pair", folder / "001.src", folder / "001.tgt", "--presplit", "-o", tmp_path / "y.tsv",
                       "--fail-unpaired")
    assert code == 0 and (tmp_path / "y.tsv").exists(), err  # a real pair is aligned as ever


@pytest.mark.slow  # loads the model
def test_batch_fails_a_pair_that_is_no_pair_when_asked(capsys, data, tmp_path):
    folder = data / "bench" / "ntrex_en-ja_dev"
    listing = tmp_path / "pairs.tsv"
    listing.write_text(f"{folder / '001.src'}\t{folder / '001.tgt'}\tright\n"
                       f"{folder / '001.src'}\t{folder / '003.tgt'}\twrong\n", encoding="utf-8")
    code, _, err = run(capsys, "batch", "--list", listing, "--out-dir", tmp_path / "out", "--presplit",
                       "--fail-unpaired")
    assert code == 4, err
    assert (tmp_path / "out" / "right.tsv").exists() and not (tmp_path / "out" / "wrong.tsv").exists()
    report = (tmp_path / "out" / "align-batch.report.txt").read_text(encoding="utf-8")
    assert re.search(r"003\.tgt.*\d+ of \d+ source sentences and \d+ of \d+ target sentences have no counterpart: "
                     r"the two documents do not seem to be translations of each other", report), report


def test_eval_prints_strict_and_lax(capsys, data):
    gold = data / "bench" / "ntrex_en-ja_dev"
    code, out, _ = run(capsys, "eval", "--gold-dir", gold, "--hyp-dir", gold, "--format", "json")
    scores = json.loads(out)
    assert code == 0
    assert scores["strict"]["f1"] == 1.0 and scores["lax"]["f1"] == 1.0


@pytest.mark.slow  # loads the model
def test_batch_aligns_matching_names(capsys, sample, tmp_path):
    src_dir, tgt_dir, out_dir = tmp_path / "en", tmp_path / "ru", tmp_path / "out"
    src_dir.mkdir(); tgt_dir.mkdir()
    (src_dir / "welsh.txt").write_bytes((sample / "welsh.en.txt").read_bytes())
    (tgt_dir / "welsh.txt").write_bytes((sample / "welsh.ru.txt").read_bytes())
    (src_dir / "unmatched.txt").write_text("Nothing pairs with me.")
    code, _, err = run(capsys, "batch", "--src-dir", src_dir, "--tgt-dir", tgt_dir, "--out-dir", out_dir,
                       "--format", "jsonl")
    assert code == 0, err
    records = [json.loads(line) for line in (out_dir / "welsh.jsonl").read_text().splitlines()]
    assert records[0]["src_ids"] == [0] and records[0]["tgt_ids"] == [0]
    assert not (out_dir / "unmatched.jsonl").exists()


@pytest.mark.slow  # loads the model
def test_pair_reads_stdin(capsys, monkeypatch, sample):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((sample / "welsh.en.txt").read_bytes())))
    code, out, err = run(capsys, "pair", "-", sample / "welsh.ja.txt", "--format", "beads")
    assert code == 0, err
    assert out.splitlines()[0] == "[0]:[0]"


# ---- bad input: one line on stderr, exit 1 (2 for usage), no partial file ----

def _fails_cleanly(capsys, tmp_path, *argv, code=1, words=()):
    out_file = tmp_path / "out.tsv"
    result, out, err = run(capsys, *argv, "-o", out_file)
    assert result == code
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("align: error:")
    assert "Traceback" not in err
    for word in words:
        assert word in err
    assert not out_file.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_empty_file(capsys, tmp_path, sample):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _fails_cleanly(capsys, tmp_path, "pair", empty, sample / "welsh.ja.txt", words=("empty",))


def test_binary_file(capsys, tmp_path, sample):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    _fails_cleanly(capsys, tmp_path, "pair", sample / "welsh.en.txt", binary, words=("binary",))


def test_undecodable_bytes(capsys, tmp_path, sample):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Hello \xff\xfe\xfa\x80\x81 world " * 3 + bytes(range(0x80, 0x100)))
    _fails_cleanly(capsys, tmp_path, "pair", bad, sample / "welsh.ja.txt")


def test_a_web_page_with_nothing_to_read(capsys, tmp_path, sample):
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><head><title>T</title></head><body><script>go()</script></body></html>")
    _fails_cleanly(capsys, tmp_path, "pair", page, sample / "welsh.ja.txt", words=("HTML page with no text",))


def test_huge_single_line(capsys, tmp_path, sample):
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"a" * 50_000_000)
    _fails_cleanly(capsys, tmp_path, "pair", huge, sample / "welsh.ja.txt", words=("limit",))


def test_mismatched_presplit_files(capsys, tmp_path, sample):
    empty = tmp_path / "empty.tgt"
    empty.write_text("\n\n")
    _fails_cleanly(capsys, tmp_path, "pair", sample / "welsh.en.txt", empty, "--presplit")


def test_unknown_model(capsys, tmp_path, sample):
    _fails_cleanly(capsys, tmp_path, "pair", sample / "welsh.en.txt", sample / "welsh.ja.txt",
                   "--model", "no-such-model-xyz", words=("no-such-model-xyz",))


def test_missing_file(capsys, tmp_path, sample):
    _fails_cleanly(capsys, tmp_path, "pair", tmp_path / "nope.txt", sample / "welsh.ja.txt", words=("nope.txt",))


@pytest.mark.slow  # loads the model
def test_unwritable_output(capsys, tmp_path, sample):
    code, _, err = run(capsys, "pair", sample / "welsh.en.txt", sample / "welsh.ja.txt",
                       "-o", tmp_path / "no" / "such" / "dir" / "out.tsv")
    assert code == 1
    assert err.startswith("align: error:") and len(err.strip().splitlines()) == 1


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["pair", "only-one-file"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("align: error:") and len(err.strip().splitlines()) == 1
    assert "align pair --help" in err


@pytest.mark.slow
def test_installed_command_and_module_entry_point(tmp_path, sample):
    """`python -m align` works and a failure prints no traceback."""
    ok = subprocess.run([sys.executable, "-m", "align", "pair", str(sample / "welsh.en.txt"),
                         str(sample / "welsh.ru.txt"), "--format", "beads"],
                        capture_output=True, text=True, cwd=REPO, timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[0] == "[0]:[0]"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    bad = subprocess.run([sys.executable, "-m", "align", "tag", str(empty)], capture_output=True, text=True,
                         cwd=REPO, timeout=120)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1


@pytest.mark.slow  # loads the model
def test_multi_prints_common_rows(capsys, sample, data, tmp_path):
    files = [sample / f"welsh.{lang}.txt" for lang in ("ja", "en", "ru")]
    code, out, err = run(capsys, "multi", *files, "--format", "beads")
    assert code == 0, err
    rows = out.splitlines()
    assert rows[0] == "[0]:[0]:[0]"
    # Japanese splits English sentence 9 in two, Russian splits sentence 13.
    assert "[9, 10]:[9]:[9]" in rows and "[14]:[13]:[13, 14]" in rows
    assert len(rows) == 16
    tmx_file = tmp_path / "welsh.tmx"
    assert run(capsys, "multi", *files, "--format", "tmx", "-o", tmx_file)[0] == 0
    tree = etree.parse(str(tmx_file), etree.XMLParser(resolve_entities=False, no_network=True))
    assert etree.DTD(str(data / "formats" / "tmx14.dtd")).validate(tree)
    assert all(len(tu.findall("tuv")) == 3 for tu in tree.iter("tu"))


def test_multi_usage_errors(capsys, sample):
    with pytest.raises(SystemExit) as exc:
        main(["multi", str(sample / "welsh.en.txt")])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["multi", str(sample / "welsh.en.txt"), str(sample / "welsh.ja.txt"), "--langs", "en"])
    assert exc.value.code == 2


@pytest.mark.slow  # loads the model
def test_doc_tsv_pairs_seed_passages(capsys, data):
    seed = data / "seeds" / "000_6a4c371f80c1ad39.txt"
    code, out, err = run(capsys, "doc", seed, "--format", "tsv")
    assert code == 0, err
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows[0] == ["lang_a", "text_a", "lang_b", "text_b", "score"]
    assert all(len(row) == 5 for row in rows)
    langs = {frozenset((row[0], row[2])) for row in rows[1:]}
    assert langs == {frozenset(("ja", "en")), frozenset(("ja", "ru"))}
    texts = {row[1] for row in rows[1:]} | {row[3] for row in rows[1:]}
    assert any(t.startswith("Putin’s state visit to North Korea") for t in texts)
    assert any(t.startswith("Россия и КНДР меняют военный баланс") for t in texts)


@pytest.mark.slow  # loads the model
def test_doc_reports_every_seed_and_says_when_monolingual(capsys, data):
    seeds = sorted((data / "seeds").glob("*.txt"))
    code, out, err = run(capsys, "doc", *seeds, "--format", "json")
    assert code == 0, err
    reports = json.loads(out)
    assert len(reports) == 5
    assert reports[0]["parallels"]
    assert all(r["monolingual"] for r in reports[1:])
    code, text, _ = run(capsys, "doc", seeds[1])
    assert "only Japanese found" in text


def test_doc_one_line_file(capsys, tmp_path):
    one = tmp_path / "one.txt"
    one.write_text("Just one English line here.\n")
    code, out, err = run(capsys, "doc", one)
    assert code == 0, err
    assert "no parallel passages" in out
    code, out, err = run(capsys, "doc", one, "--format", "tsv")
    assert code == 0 and out.splitlines() == ["lang_a\ttext_a\tlang_b\ttext_b\tscore"]
    assert f"{one}: only English found: no parallel passages" in err


@pytest.mark.slow  # loads the model
def test_project_round_trip_matches_pair(capsys, sample, tmp_path):
    folder = tmp_path / "projects"
    en, ja = sample / "welsh.en.txt", sample / "welsh.ja.txt"
    assert run(capsys, "project", "--dir", folder, "create", "demo")[0] == 0
    code, out, err = run(capsys, "project", "--dir", folder, "import", "demo", en, ja)
    assert code == 0, err
    assert out.startswith("pair 1: welsh.en.txt (en, 16 sentences) + welsh.ja.txt (ja, 17 sentences)")
    code, out, _ = run(capsys, "project", "--dir", folder, "status", "demo")
    assert code == 0 and "0%" in out
    _, from_project, _ = run(capsys, "project", "--dir", folder, "export", "demo", "--format", "beads")
    _, from_pair, _ = run(capsys, "pair", en, ja, "--format", "beads")
    assert from_project == from_pair
    _, confirmed, _ = run(capsys, "project", "--dir", folder, "export", "demo", "--format", "beads",
                          "--confirmed-only")
    assert confirmed == ""
    assert run(capsys, "project", "--dir", folder, "list")[1].split() == ["demo"]


def test_project_bad_names_and_files(capsys, tmp_path):
    folder = tmp_path / "projects"
    folder.mkdir()
    code, _, err = run(capsys, "project", "--dir", folder, "create", "../evil")
    assert code == 1 and err.startswith("align: error:") and not (tmp_path / "evil.alignproject").exists()
    (folder / "junk.alignproject").write_bytes(bytes(range(256)))
    code, _, err = run(capsys, "project", "--dir", folder, "status", "junk")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    code, _, err = run(capsys, "project", "--dir", folder, "status", "missing")
    assert code == 1 and "missing" in err


@pytest.mark.slow  # loads the model
def test_project_import_of_one_mixed_file_stores_each_parallel_passage(capsys, data, tmp_path):
    folder = tmp_path / "projects"
    run(capsys, "project", "--dir", folder, "create", "news")
    seed = sorted((data / "seeds").glob("000_*.txt"))[0]
    code, out, err = run(capsys, "project", "--dir", folder, "import", "news", seed)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) >= 2  # the English headline and the Russian lead, each with its Japanese
    assert any("(en," in line and "(ja," in line for line in lines)
    assert any("(ru," in line and "(ja," in line for line in lines)
    code, _, err = run(capsys, "project", "--dir", folder, "import", "news", sorted((data / "seeds").glob("001_*"))[0])
    assert code == 1 and "only Japanese found" in err


@pytest.mark.slow  # loads the model
def test_project_import_of_three_versions_stores_one_version_set(capsys, sample, tmp_path):
    from align.project.store import Project

    folder = tmp_path / "projects"
    run(capsys, "project", "--dir", folder, "create", "three")
    code, _, err = run(capsys, "project", "--dir", folder, "export", "three", "--all", "--format", "csv", "-o",
                       tmp_path / "none.csv")  # an empty project: a header alone, said so
    assert code == 0 and "project 'three' has no pair to export: the file holds no units" in err
    files = [sample / f"welsh.{lang}.txt" for lang in ("en", "ja", "ru")]
    code, out, err = run(capsys, "project", "--dir", folder, "import", "three", *files)
    assert code == 0, err
    assert out.startswith("version set 1: welsh.en.txt (en, ") and "welsh.ru.txt (ru, " in out
    with Project.open(folder, "three") as project:
        assert project.pairs() == []
        (info,) = project.version_sets()
        assert info.languages == ("en", "ja", "ru")
        rows = project.rows(info.id)
        assert f", {len(rows)} rows" in out
        # Every sentence of every version in exactly one row, in order; any two versions derive from the rows.
        for v, doc in enumerate(project.version_documents(info.id)):
            assert [i for row in rows for i in row.cells[v]] == list(range(len(doc)))
        assert [b.src for b in project.pair_view(info.id, 1, 2).beads if b.src] == [r.cells[1] for r in rows
                                                                                   if r.cells[1]]
    code, _, err = run(capsys, "project", "--dir", folder, "import", "three", *files, "--lang", "en")
    assert code == 1 and "one per file" in err


def test_project_version_set_rows_corrections_and_export_from_the_command_line(capsys, tmp_path):
    from conftest import make_document

    from align.formats.tmx import read_tmx
    from align.pairing.multi import MultiAlignment, Row
    from align.project.store import Project

    folder = tmp_path / "projects"
    docs = [make_document("t.en.txt", ["One.", "Two.", "Three."], "en"),
            make_document("t.ja.txt", ["一。", "二。", "三。"], "ja"),
            make_document("t.ru.txt", ["Один.", "Два.", "Три.", "Сноска."], "ru")]
    rows = [Row(((0,), (0,), (0,)), 0.9), Row(((1,), (1,), (1,)), 0.8), Row(((2,), (2,), (2,)), 0.9),
            Row(((), (), (3,)), 0.2)]  # the ru footnote has a row of its own
    with Project.create(folder, "tri") as project:
        project.add_version_set(MultiAlignment(docs, rows, model="fake"))

    def project_cli(*argv):
        return run(capsys, "project", "--dir", folder, *argv)

    code, out, err = project_cli("status", "tri")
    assert code == 0, err
    assert out.splitlines()[1].split() == ["1", "4", "4", "0", "0", "0%", "en,", "ja,", "ru:", "t.en.txt", "/",
                                           "t.ja.txt", "/", "t.ru.txt"]
    code, out, _ = project_cli("rows", "tri")
    assert out.splitlines()[:4] == ["row 1  automatic  0.90  [0]:[0]:[0]", "  en  One.", "  ja  一。", "  ru  Один."]
    code, out, _ = project_cli("rows", "tri", "--versions", "ja,ru")  # the pair view of ja and ru
    assert [line for line in out.splitlines() if line.startswith("row")] == [
        "row 1  automatic  0.90  [0]:[0]", "row 2  automatic  0.80  [1]:[1]", "row 3  automatic  0.90  [2]:[2]",
        "row 4  automatic  0.20  []:[3]"]
    # A merge made in the en-ja view is a merge of the row: en-ru sees it too.
    code, out, err = project_cli("merge", "tri", "1", "--versions", "en,ja")
    assert code == 0, err
    assert out.strip() == "version set 1: merged row 1 with the next; now 3 rows (undo takes it back)"
    code, out, _ = project_cli("rows", "tri", "--set", "1", "--versions", "en,ru")
    assert out.splitlines()[0] == "row 1  confirmed  0.80  [0, 1]:[0, 1]"
    code, out, err = project_cli("split", "tri", "1", "en=1,ja=1,ru=1")
    assert code == 0, err
    code, out, err = project_cli("move", "tri", "1", "ru")  # ru's "Один." to row 2
    assert code == 0, err
    code, out, _ = project_cli("decide", "tri", "accept", "2", "--note", "ok")
    assert out.strip() == "row 2: confirmed"
    with Project.open(folder, "tri") as project:
        assert [(r.cells, r.status) for r in project.rows(1)] == [
            (((0,), (0,), ()), "confirmed"), (((1,), (1,), (0, 1)), "confirmed"), (((2,), (2,), (2,)), "automatic"),
            (((), (), (3,)), "automatic")]
    code, out, _ = project_cli("history", "tri")
    assert [line.split()[2] for line in out.strip().splitlines()] == ["align", "merge_row", "split_row",
                                                                      "move_sentence", "decide_rows"]
    assert project_cli("undo", "tri", "--set", "1")[1].strip() == "version set 1: undo done"
    code, _, err = project_cli("export", "tri", "--set", "1", "--format", "tmx", "-o", tmp_path / "tri.tmx")
    assert code == 0, err
    units = list(read_tmx(tmp_path / "tri.tmx"))
    assert [sorted(u.variants) for u in units] == [["en", "ja"], ["en", "ja", "ru"], ["en", "ja", "ru"]]
    assert units[1].variants == {"en": "Two.", "ja": "二。", "ru": "Один. Два."}
    code, out, err = project_cli("export", "tri", "--all", "--format", "csv")
    assert code == 0 and "version set 1 (en, ja, ru) left out" in err
    # Wrong numbers and versions are one-line errors.
    assert "no row 9" in project_cli("merge", "tri", "9")[2]
    assert "no version 'fr'" in project_cli("rows", "tri", "--versions", "en,fr")[2]
    assert "AT takes one count per version (en, ja, ru)" in project_cli("split", "tri", "1", "1,1")[2]
    assert "no next row" in project_cli("merge", "tri", "4")[2]


@pytest.mark.slow  # loads the model
def test_project_decisions_undo_and_history_from_the_command_line(capsys, sample, tmp_path):
    from align.project.store import Project

    folder = tmp_path / "projects"
    run(capsys, "project", "--dir", folder, "create", "demo")
    run(capsys, "project", "--dir", folder, "import", "demo", sample / "welsh.en.txt", sample / "welsh.ja.txt")
    code, out, err = run(capsys, "project", "--dir", folder, "decide", "demo", "reject", "2", "--note", "names")
    assert code == 0, err
    code, out, err = run(capsys, "project", "--dir", folder, "decide", "demo", "accept", "1", "3")
    assert out.split("\n")[:2] == ["bead 1: confirmed", "bead 3: confirmed"]
    with Project.open(folder, "demo") as project:
        assert [(r.status, r.note) for r in project.beads(1)[:3]] == [
            ("confirmed", ""), ("rejected", "names"), ("confirmed", "")]
    # One command, one edit: undo takes back both decisions of "accept 1 3".
    assert run(capsys, "project", "--dir", folder, "undo", "demo")[1].strip() == "pair 1: undo done"
    with Project.open(folder, "demo") as project:
        assert [r.status for r in project.beads(1)[:3]] == ["automatic", "rejected", "automatic"]
    code, out, _ = run(capsys, "project", "--dir", folder, "history", "demo")
    assert [line.split()[2] for line in out.strip().splitlines()] == ["align", "decide", "decide"]
    assert out.strip().endswith("(undone)")
    # A decision that changes nothing says so and records no edit: an undo after it would take back the one before.
    code, out, err = run(capsys, "project", "--dir", folder, "decide", "demo", "reject", "2", "--note", "names")
    assert code == 0 and out.strip() == "nothing changed: the bead named is rejected already with that note"
    assert len(run(capsys, "project", "--dir", folder, "history", "demo")[1].strip().splitlines()) == 3
    # A batch with one bad number decides nothing.
    code, _, err = run(capsys, "project", "--dir", folder, "decide", "demo", "accept", "1", "99")
    assert code == 1 and "no bead 99" in err
    with Project.open(folder, "demo") as project:
        assert project.beads(1)[0].status == "automatic"
    # A range is one edit and one line: a run reported as a passage one version lacks is decided at once.
    code, out, err = run(capsys, "project", "--dir", folder, "decide", "demo", "accept", "3-14", "1", "--note", "gap")
    assert code == 0, err
    assert out.strip() == "13 beads (3-14, 1): confirmed"
    with Project.open(folder, "demo") as project:
        assert [(r.status, r.note) for r in project.beads(1)[:15]] == (
            [("confirmed", "gap"), ("rejected", "names")] + [("confirmed", "gap")] * 12 + [("automatic", "")])
    with pytest.raises(SystemExit) as exc:
        main(["project", "--dir", str(folder), "decide", "demo", "accept", "5-3"])
    assert exc.value.code == 2 and "'5-3': numbers start at 1, and a range runs upwards" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:  # a typo is refused before a billion numbers are listed
        main(["project", "--dir", str(folder), "decide", "demo", "accept", "1-1000000000"])
    assert exc.value.code == 2 and "a range holds at most 1,000,000 numbers" in capsys.readouterr().err
    # Undo goes back to the pair's first alignment and no further: undoing it would leave nothing to correct.
    for _ in range(2):
        assert run(capsys, "project", "--dir", folder, "undo", "demo")[1].strip() == "pair 1: undo done"
    code, out, _ = run(capsys, "project", "--dir", folder, "undo", "demo")
    assert code == 0
    assert out.strip() == "pair 1: undo - nothing to undo (its first alignment is where its history starts)"
    with Project.open(folder, "demo") as project:
        assert len(project.beads(1)) == 16 and {r.status for r in project.beads(1)} == {"automatic"}


@pytest.mark.slow  # loads the model
def test_project_export_all_pairs_in_one_file(capsys, sample, tmp_path):
    from align.formats.tmx import read_tmx
    from align.project.store import Project
    from align_ui import workbench

    folder = tmp_path / "projects"
    run(capsys, "project", "--dir", folder, "create", "three")
    files = [sample / f"welsh.{lang}.txt" for lang in ("en", "ja", "ru")]
    run(capsys, "project", "--dir", folder, "import", "three", *files[:2])  # pair 1: en-ja
    run(capsys, "project", "--dir", folder, "import", "three", *files)  # version set 1: en, ja, ru
    out = tmp_path / "all.tmx"
    code, _, err = run(capsys, "project", "--dir", folder, "export", "three", "--all", "--format", "tmx", "-o", out)
    assert code == 0, err
    units = list(read_tmx(out))
    pair_units = [u for u in units if "x-pair" in u.props]
    set_units = [u for u in units if "x-set" in u.props]
    assert {u.props["x-pair"] for u in pair_units} == {"1"} and {u.props["x-set"] for u in set_units} == {"1"}
    assert len(pair_units) + len(set_units) == len(units)
    assert {lang for u in pair_units for lang in u.variants} == {"en", "ja"}
    assert max(len(u.variants) for u in set_units) == 3  # a unit per row, a tuv per language
    code, csv_text, err = run(capsys, "project", "--dir", folder, "export", "three", "--all", "--format", "csv")
    assert next(csv.reader(io.StringIO(csv_text)))[:3] == ["pair", "bead", "src_ids"]
    assert "version set 1 (en, ja, ru) left out" in err
    with Project.open(folder, "three") as project:
        assert len(csv_text.strip().splitlines()) == 1 + sum(len(project.beads(p)) for p, _, _ in project.pairs())
        # The workbench's download is the same file.
        assert workbench.export_bytes(project, 1, "csv", whole_project=True)[0].decode() == csv_text
    code, _, err = run(capsys, "project", "--dir", folder, "export", "three", "--all", "--format", "beads")
    assert code == 1 and "cannot be written as 'beads'" in err
    code, _, err = run(capsys, "project", "--dir", folder, "export", "three")
    assert code == 1 and "--pair" in err


@pytest.mark.slow  # loads the model
def test_min_score_keeps_the_probable_beads_and_says_how_many_were_left_out(capsys, sample, tmp_path):
    en, ru = sample / "welsh.en.txt", sample / "welsh.ru.txt"
    code, out, err = run(capsys, "pair", en, ru, "--format", "jsonl", "--min-score", "0.9")
    assert code == 0, err
    kept = [json.loads(line) for line in out.splitlines()]
    assert all(r["score"] >= 0.9 for r in kept)
    _, everything, _ = run(capsys, "pair", en, ru, "--format", "jsonl")
    total = len(everything.splitlines())
    assert f"kept {len(kept)} of {total} beads at probability ≥ 0.90; {total - len(kept)} left out" in err
    # batch: the same beads, and one line for all pairs
    src_dir, tgt_dir = tmp_path / "en", tmp_path / "ru"
    src_dir.mkdir(), tgt_dir.mkdir()
    (src_dir / "welsh.txt").write_bytes(en.read_bytes())
    (tgt_dir / "welsh.txt").write_bytes(ru.read_bytes())
    code, _, err = run(capsys, "batch", "--src-dir", src_dir, "--tgt-dir", tgt_dir, "--out-dir", tmp_path / "out",
                       "--format", "jsonl", "--min-score", "0.9")
    assert code == 0, err
    assert (tmp_path / "out" / "welsh.jsonl").read_text(encoding="utf-8") == out
    assert f"kept {len(kept)} of {total} beads" in err


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "nan", "high"])
def test_min_score_outside_0_1_is_a_usage_error(capsys, sample, bad):
    with pytest.raises(SystemExit) as exc:
        main(["pair", str(sample / "welsh.en.txt"), str(sample / "welsh.ru.txt"), "--min-score", bad])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "probability between 0 and 1" in err


def test_project_export_min_score_counts_decisions(capsys, tmp_path):
    from conftest import make_document

    from align.project.store import Project
    from align.types import Alignment, Bead

    folder = tmp_path / "projects"
    src = make_document("en.txt", ["One.", "Two.", "Three.", "Four."], "en")
    tgt = make_document("fr.txt", ["Un.", "Deux.", "Trois.", "Quatre."], "fr")
    with Project.create(folder, "p") as project:
        pair = project.add_pair(src, tgt)
        project.save_alignment(pair, Alignment(src, tgt, [Bead((0,), (0,), 0.95), Bead((1,), (1,), 0.4),
                                                          Bead((2,), (2,), 0.97), Bead((3,), (3,), 0.6)]))
        ids = [r.id for r in project.beads(pair)]
        project.confirm(pair, ids[1])  # a person said so: certain
        project.reject(pair, ids[2])  # a person said no: wrong, whatever its score
    code, out, err = run(capsys, "project", "--dir", folder, "export", "p", "--format", "beads", "--min-score", "0.9")
    assert code == 0, err
    assert out.splitlines() == ["[0]:[0]", "[1]:[1]"]
    assert "kept 2 of 4 beads at probability ≥ 0.90; 2 left out" in err
    code, out, err = run(capsys, "project", "--dir", folder, "export", "p", "--all", "--format", "tsv",
                         "--min-score", "0.9", "--confirmed-only")
    assert code == 0, err
    assert len(out.splitlines()) == 2 and "kept 1 of 1 bead " in err


@pytest.mark.slow  # loads the model
def test_project_align_lists_what_changed(capsys, sample, tmp_path):
    from align.pairing.pipeline import document_from_text
    from align.pairing.realign import describe
    from align.project.store import Project
    from align.types import Alignment, Bead

    folder = tmp_path / "projects"
    first = {lang: [seg.text for seg in document_from_text((sample / f"welsh.{lang}.txt").read_text(
        encoding="utf-8")).segments[:4]] for lang in ("en", "ru")}
    src, tgt = (document_from_text("\n".join(first[lang]), f"welsh.{lang}.txt", presplit=True) for lang in first)
    odd = [Bead((0, 1), (0,), 0.1), Bead((), (1,), 0.1), Bead((2,), (2,), 0.1), Bead((3,), (3,), 0.1)]
    with Project.create(folder, "p") as project:
        pair = project.add_pair(src, tgt)
        project.save_alignment(pair, Alignment(src, tgt, odd, "manual"))
        before = project.beads(pair)
    code, out, err = run(capsys, "project", "--dir", folder, "align", "p")
    assert code == 0, err
    with Project.open(folder, "p") as project:
        after = project.beads(pair)
        assert [h.op for h in project.history(pair)] == ["align", "realign"]
    lines = out.splitlines()
    assert lines[0].startswith("pair 1: re-aligned around 0 confirmed beads: ")
    assert [line.strip() for line in lines[1:]] == describe(before, after)
    assert lines[1].startswith("  beads 1-2: [0, 1]:[0] + []:[1] → ")  # what the aligner makes of it may vary


def test_workbench_refuses_a_project_that_is_not_there(tmp_path, capsys):
    code, _, err = run(capsys, "workbench", "--dir", str(tmp_path), "--project", "nope", "--no-browser")
    assert code == 1 and "no project 'nope'" in err


def test_workbench_help_says_it_listens_on_this_machine_only(capsys):
    with pytest.raises(SystemExit):
        main(["workbench", "--help"])
    assert "127.0.0.1" in capsys.readouterr().out


def test_an_os_or_database_failure_is_one_line_not_a_traceback(capsys, monkeypatch):
    import sqlite3

    from align.cli import main as cli_main

    def denied(args, parser):
        raise PermissionError(13, "Permission denied", "/srv/in.txt")

    monkeypatch.setitem(cli_main.COMMANDS, "tag", denied)
    code, _, err = run(capsys, "tag", "x.txt")
    assert code == 1 and err.strip() == "align: error: /srv/in.txt: Permission denied"

    def locked(args, parser):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setitem(cli_main.COMMANDS, "tag", locked)
    code, _, err = run(capsys, "tag", "x.txt")
    assert code == 1 and err.strip() == "align: error: database error: database is locked"


def test_managing_pairs_from_the_command_line(capsys, tmp_path):
    from conftest import FakeEncoder, make_document

    from align.project.store import Project
    from align.types import Alignment, Bead

    folder = tmp_path / "projects"
    docs = make_document("en.txt", ["One.", "Two."], "en"), make_document("xx.txt", ["Un.", "Deux."], "en")
    with Project.create(folder, "p") as project:
        project.add_alignments([Alignment(*docs, [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9)], FakeEncoder.name)])

    def project_cmd(*argv):
        return run(capsys, "project", "--dir", folder, *argv)

    assert project_cmd("set-lang", "p", "tgt", "fr")[1].strip() == "pair 1: target language set to fr"
    assert project_cmd("rename", "p", "--tgt-name", "fr.txt")[1].strip() == "pair 1: en.txt ↔ fr.txt"
    assert project_cmd("swap", "p")[0] == 0
    with Project.open(folder, "p") as project:
        assert [d.lang for d in project.documents(1)] == ["fr", "en"]
    assert project_cmd("delete", "p", "--pair", "1")[0] == 0
    assert project_cmd("export", "p", "--all", "--format", "csv")[1].strip().count("\n") == 0  # header only
    assert project_cmd("restore", "p", "--pair", "1")[0] == 0
    assert project_cmd("export", "p", "--format", "csv")[1].strip().count("\n") == 2
    code, _, err = project_cmd("rename", "p")
    assert code == 1 and "--src-name" in err
    code, _, err = project_cmd("set-lang", "p", "tgt", "<script>")
    assert code == 1 and "not a language tag" in err


# ---- outputs: checked before any work, written safely ----

def _symlink(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("precious")
    link = tmp_path / "link.tsv"
    link.symlink_to(target)
    return link, target


@pytest.mark.parametrize("command, words", [
    (["pair", "{src}", "{tgt}", "-o", "{tmp}/missing/out.tsv"], "does not exist"),
    (["pair", "{src}", "{tgt}", "-o", "{tmp}/link.tsv"], "symbolic link"),
    (["tag", "{src}", "-o", "{tmp}"], "is a directory"),
    (["doc", "{src}", "-o", "{tmp}/missing/out.txt"], "does not exist"),
    (["multi", "{src}", "{tgt}", "{src}", "-o", "{tmp}/missing/out.tsv"], "does not exist"),
    (["project", "--dir", "{tmp}", "export", "demo", "-o", "{tmp}/missing/out.tmx"], "does not exist"),
    (["batch", "--src-dir", "{sample}", "--tgt-dir", "{sample}", "--out-dir", "{tmp}/target.txt"], "not a directory"),
], ids=["pair", "pair-symlink", "tag", "doc", "multi", "project-export", "batch-out-dir-is-a-file"])
def test_every_output_is_refused_before_any_work(capsys, tmp_path, sample, command, words):
    _symlink(tmp_path)
    argv = [part.format(src=sample / "welsh.en.txt", tgt=sample / "welsh.ru.txt", tmp=tmp_path, sample=sample)
            for part in command]
    # Not marked slow: loading the model (work) would fail the test (conftest).
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith("align: error: cannot ") and len(err.splitlines()) == 1 and words in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.tsv", "target.txt"]


def test_an_input_or_a_project_is_never_replaced_by_an_output(capsys, tmp_path, sample):
    en, ru = tmp_path / "en.txt", tmp_path / "ru.txt"
    en.write_bytes((sample / "welsh.en.txt").read_bytes())
    ru.write_bytes((sample / "welsh.ru.txt").read_bytes())
    assert run(capsys, "project", "--dir", tmp_path, "create", "p1")[0] == 0
    project = tmp_path / "p1.alignproject"
    kept = {path: path.read_bytes() for path in (en, ru, project)}
    for argv, words in [
        (["pair", en, ru, "-o", en], "it is an input of this command"),
        (["tag", ru, "-o", ru], "it is an input of this command"),
        (["multi", en, ru, en, "--format", "tsv", "-o", ru], "it is an input of this command"),
        (["review", en, "-o", en], "it is an input of this command"),
        (["review", en, "-o", tmp_path / "a.tsv", "--report-html", tmp_path / "a.tsv"], "named for two outputs"),
        (["project", "--dir", tmp_path, "export", "p1", "--format", "tsv", "-o", project], "it is a database"),
        (["pair", en, ru, "-o", project, "--force"], "it is a database"),
    ]:
        code, out, err = run(capsys, *argv)  # refused before any work: no model is loaded (conftest)
        assert code == 1 and words in err and len(err.splitlines()) == 1, (argv, err)
    assert {path: path.read_bytes() for path in kept} == kept


def test_mistakes_of_arguments_are_named_before_any_work(capsys, tmp_path, sample):
    en = sample / "welsh.en.txt"
    copy = tmp_path / "copy.txt"
    copy.write_bytes(en.read_bytes())
    for argv, words in [
        (["pair", en, en], "is given as both source and target"),
        (["pair", "-", "-"], "stdin (-) can be read once"),
        (["review", "-"], "not stdin"),
        (["eval", "--gold-dir", tmp_path / "nope", "--hyp-dir", tmp_path], "no folder"),
        # TMX needs two languages: said before the alignment, not after it (no model is loaded: conftest).
        (["pair", en, copy, "--format", "tmx"], "TMX needs two languages, but both documents are tagged 'en'"),
        (["project", "--dir", tmp_path, "status", "nope"], "no project named 'nope' in"),
        (["project", "--dir", tmp_path / "missing", "list"], "no folder"),
        (["project", "--dir", copy, "list"], "is not a folder of projects"),
    ]:
        code, out, err = run(capsys, *argv)
        assert code == 1 and words in err and len(err.splitlines()) == 1, (argv, err)
    assert run(capsys, "project", "--dir", tmp_path, "create", "p")[0] == 0
    code, _, err = run(capsys, "project", "--dir", tmp_path, "decide", "p", "--pair", "7", "accept", "1")
    assert code == 1 and "no pair 7 in project 'p'" in err  # was "pair 7 has beads 1 to 0"


def test_a_list_of_pairs_is_never_replaced_by_one_of_its_outputs(capsys, tmp_path, sample):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(f"{sample / 'welsh.en.txt'}\t{sample / 'welsh.ru.txt'}\tpairs.tsv\n")
    code, _, err = run(capsys, "batch", "--list", pairs, "--out-dir", tmp_path)
    assert code == 4 and "pairs.tsv: it is an input of this command" in err  # a failed pair, before any model
    assert pairs.read_text().startswith(str(sample))


def test_batch_refuses_a_symlinked_output_as_a_failed_pair_before_aligning_it(capsys, tmp_path, sample):
    for folder in ("en", "ru", "out"):
        (tmp_path / folder).mkdir()
    (tmp_path / "en" / "welsh.txt").write_bytes((sample / "welsh.en.txt").read_bytes())
    (tmp_path / "ru" / "welsh.txt").write_bytes((sample / "welsh.ru.txt").read_bytes())
    (tmp_path / "out" / "welsh.tsv").symlink_to(tmp_path / "en" / "welsh.txt")
    code, _, err = run(capsys, "batch", "--src-dir", tmp_path / "en", "--tgt-dir", tmp_path / "ru",
                       "--out-dir", tmp_path / "out")
    assert code == 4 and "welsh.tsv: it is a symbolic link" in err  # no model loaded: this test is not slow
    assert (tmp_path / "out" / "welsh.tsv").is_symlink()
    code, _, err = run(capsys, "batch", "--src-dir", tmp_path / "en", "--tgt-dir", tmp_path / "ru",
                       "--out-dir", tmp_path / "new" / "out", "--format", "tmx", "--model", "no-such-model-xyz")
    assert code == 1 and "no-such-model-xyz" in err  # a missing --out-dir is made, then the work starts
    assert (tmp_path / "new" / "out").is_dir()


def test_force_replaces_a_symlinked_output_not_its_target(capsys, tmp_path, sample):
    link, target = _symlink(tmp_path)
    assert run(capsys, "tag", sample / "welsh.en.txt", "-o", link)[0] == 1
    code, _, err = run(capsys, "tag", sample / "welsh.en.txt", "-o", link, "--force")
    assert code == 0, err
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("line\tlang\ttext\n")
    assert target.read_text() == "precious"


def test_output_to_a_named_pipe_is_written_through(capsys, tmp_path, sample):
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    # A daemon, joined with a bound: should the write never open the pipe, the test fails instead of hanging.
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run(capsys, "tag", sample / "welsh.en.txt", "-o", fifo)
    reader.join(timeout=60)
    assert code == 0, err
    assert received[0].startswith(b"line\tlang\ttext\n1\t")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_max_input_mb_stops_an_endless_input(capsys, tmp_path, sample):
    code, out, err = run(capsys, "tag", "/dev/zero", "--max-input-mb", "1")
    assert code == 1 and out == ""
    assert err == "align: error: /dev/zero is larger than the input limit of 1 MB\n"
    big = tmp_path / "big.txt"
    big.write_text("A sentence. " * 1000)
    _fails_cleanly(capsys, tmp_path, "pair", big, sample / "welsh.ja.txt", "--max-input-mb", "0.01",
                   words=("big.txt is larger than the input limit of 10,485 bytes",))
    assert run(capsys, "tag", big, "--max-input-mb", "0.02")[0] == 0


@pytest.mark.parametrize("bad", ["0", "-1", "inf", "nan", "lots"])
def test_max_input_mb_must_be_a_positive_number(capsys, sample, bad):
    with pytest.raises(SystemExit) as info:
        main(["tag", str(sample / "welsh.en.txt"), "--max-input-mb", bad])
    assert info.value.code == 2 and "is not a positive number of megabytes" in capsys.readouterr().err


FORCE = ("--force", "symbolic link (the link itself, not what it points to)")
MAX_INPUT = ("--max-input-mb MB", "(default 200)")


@pytest.mark.parametrize("command, says", [
    *(([command], option) for command in ("tag", "pair", "batch", "doc", "multi", "review")
      for option in (FORCE, MAX_INPUT)),
    (["project", "export"], FORCE),
    (["project", "import"], MAX_INPUT),
])
def test_help_names_the_shared_options(capsys, command, says):
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert all(words in text for words in says)


def test_a_killed_workbench_stops_its_server(tmp_path, monkeypatch):
    # kill (SIGTERM) on 'align workbench' had left the Streamlit server serving on the port, orphaned.
    events = []

    class Server:
        def __init__(self, command, env):
            self.running = True

        def wait(self, timeout=None):
            if self.running:
                os.kill(os.getpid(), signal.SIGTERM)  # as `kill PID` from another terminal
            return -15

        def poll(self):
            return None if self.running else -15

        def terminate(self):
            events.append("terminated")
            self.running = False

    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(subprocess, "Popen", Server)
    with pytest.raises(SystemExit) as stopped:
        main(["workbench", "--no-browser", "--dir", str(tmp_path), "--port", "8610"])
    assert stopped.value.code == 128 + signal.SIGTERM and events == ["terminated"]
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is this command's alone


def test_the_workbench_starts_on_this_machine_without_the_developer_toolbar(tmp_path, monkeypatch, capsys):
    started = []

    class Server:
        def __init__(self, command, env):
            started.append((command, env))

        def wait(self, timeout=None):
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr(subprocess, "Popen", Server)
    assert main(["workbench", "--no-browser", "--dir", str(tmp_path), "--port", "8610"]) == 0
    (command, env), = started
    options = dict(zip(command[command.index("run") + 2::2], command[command.index("run") + 3::2]))
    assert options["--server.address"] == "127.0.0.1" and options["--server.port"] == "8610"
    assert options["--client.toolbarMode"] == "minimal"  # no "Deploy" button
    assert env["ALIGN_PROJECTS_DIR"] == str(tmp_path.resolve())
    assert env["ALIGN_DEVICE"] == "cpu"
    assert "http://127.0.0.1:8610" in capsys.readouterr().err


def test_a_workbench_asked_for_a_gpu_that_is_not_there_does_not_start(tmp_path, monkeypatch, capsys):
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("the server was started"))
    assert main(["workbench", "--no-browser", "--dir", str(tmp_path), "--device", "cuda"]) == 1
    err = capsys.readouterr().err
    assert "sees no GPU" in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow  # loads the model
def test_a_word_document_pairs_with_subtitles_as_their_texts_do(capsys, sample, tmp_path):
    import docx

    paragraphs = [p for p in (sample / "welsh.en.txt").read_text("utf-8").split("\n") if p.strip()]
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(tmp_path / "welsh.en.docx")
    lines = [line for line in (sample / "welsh.ja.txt").read_text("utf-8").split("\n") if line.strip()]
    cues = [f"{k}\n00:00:{k:02d},000 --> 00:00:{k:02d},900\n{line}\n" for k, line in enumerate(lines, 1)]
    (tmp_path / "welsh.ja.srt").write_text("\n".join(cues), "utf-8")
    texts = run(capsys, "pair", sample / "welsh.en.txt", sample / "welsh.ja.txt", "--format", "beads")
    containers = run(capsys, "pair", tmp_path / "welsh.en.docx", tmp_path / "welsh.ja.srt", "--format", "beads")
    assert texts[0] == containers[0] == 0, containers[2]
    assert containers[1] == texts[1] and containers[1].count("\n") >= 10
