"""review/sources.py: every input of `align review` opened as a Source, with or without the CLI."""
import pytest
from conftest import FakeEncoder

from align.errors import AlignError
from align.review.sources import open_source


def test_an_align_pair_tsv_is_judged_row_by_row(tmp_path):
    table = tmp_path / "en-fr.tsv"
    table.write_text("bead\tsrc_ids\ttgt_ids\tsrc_lang\ttgt_lang\tsrc_text\ttgt_text\n"
                     "0\t[0]\t[0]\ten\tfr\tOne cat.\tone cat.\n"
                     "1\t[1]\t[]\ten\tfr\tTwo dogs.\t\n", encoding="utf-8")
    source = open_source(str(table), FakeEncoder())
    assert (source.src_lang, source.tgt_lang) == ("en", "fr")
    rows = list(source.judged())
    assert [(src, tgt) for src, tgt, _ in rows] == [("One cat.", "one cat."), ("Two dogs.", "")]
    assert "omission" in rows[1][2].flag_names and rows[1][2].severity != "ok"
    assert len(list(source.units(None))) == 2  # the omission keeps its source side


def test_languages_given_override_the_table(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("src_text,tgt_text,src_lang,tgt_lang\nOne cat.,one cat.,en,fr\n", encoding="utf-8")
    assert open_source(str(table), FakeEncoder(), "en-GB", "fr-CA").tgt_lang == "fr-CA"


@pytest.mark.parametrize("name, body, message", [
    ("memo.docx", b"PK\x03\x04", "cannot tell the format"),
    ("gold.beads", b"[0]:[0]\n", "cannot tell the format"),
    ("rows.jsonl", b'{"src_text": "a", "tgt_text": "b"}\n[1, 2]\n', "line 2: not a JSON object"),
    ("rows.tsv", "src_text\ttgt_text\n".encode("cp1251") + "Привет\tмир\n".encode("cp1251"), "not UTF-8"),
    ("rows.csv", b"a,b\n1,2\n", "no column src_text, tgt_text"),
    ("empty.tsv", b"", "no rows to review"),
])
def test_bad_inputs_are_one_line_errors(tmp_path, name, body, message):
    path = tmp_path / name
    path.write_bytes(body)
    with pytest.raises(AlignError, match=message):
        open_source(str(path), FakeEncoder())


def test_a_missing_project_pair_is_an_error(tmp_path):
    with pytest.raises(AlignError, match="no project"):
        open_source("project:none", FakeEncoder(), projects_dir=tmp_path)


def test_a_table_without_a_known_extension_is_read_by_its_content(tmp_path):
    table = tmp_path / "pair-output"
    table.write_text('{"src_lang": "en", "tgt_lang": "fr", "src_text": "One cat.", "tgt_text": "un chat."}\n',
                     encoding="utf-8")
    source = open_source(str(table), FakeEncoder())
    assert (source.src_lang, source.tgt_lang) == ("en", "fr")
    assert [(src, tgt) for src, tgt, _ in source.judged()] == [("One cat.", "un chat.")]
