"""Placeholders and inline tags (align/review/codes.py): what software strings must carry over."""
from __future__ import annotations

from align.review.codes import placeholders, tag_flags
from align.review.signals import text_flags


def test_placeholders_of_every_common_syntax_are_found():
    found = placeholders('Open {0} and {name}, {{ count }}, ${home}, %s, %1$d, %.2f, %@, %ld, %(user)s, '
                         '<b>Save</b><br/> <a href="x">link</a>')
    assert found == {"{0}": 1, "{name}": 1, "{{count}}": 1, "${home}": 1, "%s": 1, "%1$d": 1, "%.2f": 1, "%@": 1,
                     "%ld": 1, "%(user)s": 1, "<b>": 1, "</b>": 1, "<br/>": 1, "<a>": 1, "</a>": 1}


def test_percent_signs_and_comparisons_in_prose_are_no_placeholders():
    for text in ("50% of people, 5 % and 100%.", "a < b and c > d", "20%percent", "Рост на 5 %, а не на 7%.",
                 "売上は前年比50％増。", "{ not a placeholder }"):
        assert not placeholders(text), text


def test_a_lost_moved_or_doubled_placeholder():
    assert tag_flags("Delete {0} files?", "Удалить {0} файлов?") == []
    assert tag_flags("%1$s sent %2$s", "%2$s отправил %1$s") == []                   # moved: fine
    lost = tag_flags("Open the file %s and press Enter.", "Откройте файл и нажмите Enter.")
    assert lost[0].name == "tag_mismatch" and lost[0].severity == "major" and "%s" in lost[0].reason
    doubled = tag_flags("<b>Save</b>", "<b>Сохранить</b></b>")
    assert "</b>" in doubled[0].reason and "not as often" in doubled[0].reason


def test_inline_codes_are_counted_by_kind():
    assert tag_flags("a", "b", ("bpt", "ept"), ("bpt", "ept")) == []
    flags = tag_flags("a", "b", ("bpt", "ept", "ph"), ("bpt", "ept"))
    assert flags[0].reason == "inline codes differ: the source holds 1 <bpt>, 1 <ept>, 1 <ph>, the target 1 <bpt>, 1 <ept>"


def test_every_unit_gets_the_check():
    flags = text_flags("Click {0} to continue.", "Нажмите, чтобы продолжить.", "en", "ru")
    assert [f.name for f in flags if f.name == "tag_mismatch"] == ["tag_mismatch"]
