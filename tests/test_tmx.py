"""TMX 1.4 export and import: validity, escaping, language tags, streaming, hostile input."""
from __future__ import annotations

import io
import logging
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import DATA, make_document
from lxml import etree
from translate.storage import tmx as tt_tmx

from align import __version__
from align.errors import AlignError, FormatError
from align.formats import write_alignment
from align.formats.tmx import (
    DOCTYPE,
    MAX_UNIT_ELEMENTS,
    TranslationUnit,
    alignment_units,
    bcp47,
    read_tmx,
    rewrite_tmx,
    write_tmx,
)
from align.types import Alignment, Bead

DTD_PATH = DATA / "formats" / "tmx14.dtd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NASTY = "Fish & chips < 3 > 2 \"quoted\" 'single' <script>alert('x')</script> &amp;"


@pytest.fixture
def alignment() -> Alignment:
    src = make_document("en.txt", ["Hello.", "Second one.", NASTY, "Only in English."], "en")
    tgt = make_document("zh.txt", ["你好。", "第二", "个。", "鱼和薯条"], "zh-cn")
    beads = [Bead((0,), (0,), 0.98765, 0.71234), Bead((1,), (1, 2), 0.5), Bead((2,), (3,), 0.25), Bead((3,), (), 0.0)]
    return Alignment(src, tgt, beads)


@pytest.fixture
def dtd():
    return etree.DTD(str(DTD_PATH))


def _tmx_bytes(alignment: Alignment, include_omissions: bool = False) -> bytes:
    out = io.BytesIO()
    write_tmx(alignment_units(alignment, include_omissions), out, srclang=alignment.src.lang)
    return out.getvalue()


def _write(tmp_path: Path, data: bytes | str, name: str = "in.tmx") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_export_is_valid_tmx14(alignment, dtd):
    data = _tmx_bytes(alignment)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">")
    tree = etree.parse(io.BytesIO(data))
    assert dtd.validate(tree), dtd.error_log

    header = tree.find("header")
    assert header.get("creationtool") == "align"
    assert header.get("creationtoolversion") == __version__
    assert header.get("datatype") == "plaintext"
    assert header.get("segtype") == "sentence"
    assert header.get("adminlang") == "en"
    assert header.get("srclang") == "en"
    assert header.get("o-tmf") == "align"
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate"))

    tus = tree.findall("body/tu")
    assert len(tus) == 3  # the 1-0 bead is left out
    assert len({tu.get("tuid") for tu in tus}) == 3
    assert all(tuv.get(XML_LANG) in {"en", "zh-CN"} for tuv in tree.iter("tuv"))
    assert [tu.findtext("prop[@type='x-score']") for tu in tus] == ["0.9877", "0.5000", "0.2500"]
    assert [tu.findtext("prop[@type='x-bead']") for tu in tus] == ["[0]:[0]", "[1]:[1, 2]", "[2]:[3]"]
    # x-similarity only where the similarity is known
    assert [tu.findtext("prop[@type='x-similarity']") for tu in tus] == ["0.7123", None, None]
    # Chinese is joined without a space, as Alignment.texts does.
    assert [tuv.findtext("seg") for tuv in tus[1].iter("tuv")] == ["Second one.", "第二个。"]


def test_creationdate_is_utc():
    out = io.BytesIO()
    moment = datetime(2024, 3, 5, 14, 7, 9, tzinfo=timezone.utc)
    write_tmx([TranslationUnit({"en": "a", "de": "b"})], out, "en", created=moment)
    assert etree.fromstring(out.getvalue()).find("header").get("creationdate") == "20240305T140709Z"


def test_omissions_only_on_request(alignment, dtd):
    tree = etree.parse(io.BytesIO(_tmx_bytes(alignment, include_omissions=True)))
    assert dtd.validate(tree), dtd.error_log
    last = tree.findall("body/tu")[-1]
    assert [tuv.get(XML_LANG) for tuv in last.iter("tuv")] == ["en"]
    assert last.findtext("prop[@type='x-bead']") == "[3]:[]"


@pytest.mark.parametrize("code, tag", [("en", "en"), ("zh-cn", "zh-CN"), ("zh_TW", "zh-TW"),
                                       ("und", "und"), ("sr-latn", "sr-Latn"), ("JA", "ja")])
def test_bcp47(code, tag):
    assert bcp47(code) == tag


def test_registry_writes_the_same_units(alignment):
    out = io.BytesIO()
    assert write_alignment(alignment, "tmx", out) == [
        "1 one-sided bead (a sentence without counterpart) left out of the TMX; "
        "ask for one-sided units to write each as a unit in one language"]
    assert out.getvalue().count(b"<tu ") == 3


def test_same_language_on_both_sides_is_refused(alignment):
    same = Alignment(alignment.src, alignment.src, alignment.beads)
    with pytest.raises(AlignError, match="two languages"):
        alignment_units(same)


def test_unit_without_text_is_refused():
    with pytest.raises(ValueError, match="no text"):
        write_tmx([TranslationUnit({})], io.BytesIO(), "en")


def test_special_characters_round_trip_with_both_readers(alignment, tmp_path):
    path = _write(tmp_path, _tmx_bytes(alignment))
    assert b"<script>" not in path.read_bytes()
    ours = [(u.variants["en"], u.variants["zh-CN"]) for u in read_tmx(path)]
    assert ours == [("Hello.", "你好。"), ("Second one.", "第二个。"), (NASTY, "鱼和薯条")]

    store = tt_tmx.tmxfile.parsefile(str(path))
    assert [(u.source, u.target) for u in store.units] == ours
    assert store.getsourcelanguage() == "en"
    assert [u.props for u in read_tmx(path)][2] == {"x-score": "0.2500", "x-bead": "[2]:[3]"}


def test_forbidden_characters_are_replaced_and_reported(tmp_path, caplog, dtd):
    units = [TranslationUnit({"en": "ok", "de": "gut"}),
             TranslationUnit({"en": "bell\x07 and \x01", "de": "end\uffff lone\ud800 fine\t\n"},
                             {"x-note": "nul\x00"})]
    out = io.BytesIO()
    with caplog.at_level(logging.WARNING, logger="align.formats.tmx"):
        replaced = write_tmx(units, out, "en")
    assert [(r.tuid, r.where, r.char) for r in replaced] == [
        ("2", "prop x-note", "\x00"), ("2", "en", "\x07"), ("2", "en", "\x01"),
        ("2", "de", "\uffff"), ("2", "de", "\ud800")]
    assert str(replaced[1]) == "tu 2 (en): U+0007 replaced with U+FFFD"
    assert "5 character(s)" in caplog.text

    assert dtd.validate(etree.parse(io.BytesIO(out.getvalue())))
    back = list(read_tmx(_write(tmp_path, out.getvalue())))
    assert back[1].variants == {"en": "bell\ufffd and \ufffd", "de": "end\ufffd lone\ufffd fine\t\n"}
    assert back[1].props == {"x-note": "nul\ufffd"}


def test_registry_writer_reports_replacements_as_text(alignment):
    src = make_document("en.txt", ["bad\x0b"], "en")
    tgt = make_document("de.txt", ["gut"], "de")
    warnings = write_alignment(Alignment(src, tgt, [Bead((0,), (0,), 1.0)]), "tmx", io.BytesIO())
    assert warnings == ["tu 1 (en): U+000B replaced with U+FFFD"]


def test_three_languages_in_one_unit(tmp_path, dtd):
    unit = TranslationUnit({"en": "Good morning", "ja": "おはようございます", "ru": "Доброе утро"},
                           {"x-source": "greetings"})
    path = tmp_path / "three.tmx"
    with path.open("wb") as stream:
        write_tmx([unit], stream, srclang="en")
    tree = etree.parse(str(path))
    assert dtd.validate(tree), dtd.error_log
    assert [tuv.get(XML_LANG) for tuv in tree.iter("tuv")] == ["en", "ja", "ru"]
    assert list(read_tmx(path)) == [unit]
    tt_unit = tt_tmx.tmxfile.parsefile(str(path)).units[0]
    assert (tt_unit.source, tt_unit.target) == ("Good morning", "おはようございます")


def test_inline_markup_keeps_text_drops_native_codes(tmp_path):
    path = _write(tmp_path, """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="en" datatype="html"/><body>
<tu><tuv lang="en"><seg>Press <bpt i="1">&lt;b&gt;</bpt>Start<ept i="1">&lt;/b&gt;</ept> now<ph>&lt;br/&gt;</ph>!</seg></tuv>
<tuv xml:lang="de"><seg><hi type="em">Jetzt</hi> <it pos="begin">&lt;i&gt;</it>Start<!-- c --> drücken!</seg></tuv></tu>
</body></tmx>""")
    assert list(read_tmx(path)) == [TranslationUnit({"en": "Press Start now!", "de": "Jetzt Start drücken!"},
                                                    codes={"en": ("bpt", "ept", "ph"), "de": ("it",)})]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>&lol9;</seg></tuv></tu></body></tmx>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>&xxe;</seg></tuv></tu></body></tmx>
"""
PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY % pe SYSTEM "file:///etc/passwd"> %pe;]>
<tmx version="1.4"><header/><body/></tmx>
"""


@pytest.mark.parametrize("text, entity", [(BILLION_LAUGHS, "lol"), (XXE, "xxe"), (PARAMETER_ENTITY, "pe")],
                         ids=["billion-laughs", "external-entity", "parameter-entity"])
def test_entity_declarations_are_refused_even_with_allow_dtd(tmp_path, text, entity):
    path = _write(tmp_path, text)
    with pytest.raises(FormatError, match=r"in\.tmx line 2: contains a DTD; refused \(use --allow-dtd"):
        list(read_tmx(path))
    with pytest.raises(FormatError, match=rf"in\.tmx line \d+: refusing a DTD that declares entities \({entity}"):
        list(read_tmx(path, allow_dtd=True))


def test_entity_bomb_in_an_attribute_is_stopped_by_the_parser(tmp_path):
    # Attributes of the root are expanded before its start event; libxml2's amplification limit holds.
    path = _write(tmp_path, BILLION_LAUGHS.replace('<tmx version="1.4">', '<tmx version="1.4" x="&lol9;">'))
    for allow_dtd in (False, True):
        with pytest.raises(FormatError, match=r"in\.tmx line \d+: "):
            list(read_tmx(path, allow_dtd=allow_dtd))


UNIT = '<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>Hi.</seg></tuv></tu></body></tmx>\n'


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE tmx [<!ELEMENT tmx ANY>]>',
    '<!DOCTYPE tmx SYSTEM "tmx14.dtd" [<!ATTLIST tmx x CDATA "y">]>',
    '<!DOCTYPE tmx SYSTEM "http://example.com/tmx14.dtd">',
    '<!DOCTYPE tmx SYSTEM "file:///etc/passwd">',
    '<!DOCTYPE tmx PUBLIC "-//LISA OSCAR:1998//DTD for TMX//EN" "tmx14.dtd">',
    '<!DOCTYPE tmx>',
], ids=["internal-subset", "standard-with-internal-subset", "remote", "local-file", "public-id", "bare"])
def test_any_dtd_but_tmx14_is_refused_unless_allowed(tmp_path, doctype):
    path = _write(tmp_path, f'<?xml version="1.0"?>\n{doctype}\n{UNIT}')
    with pytest.raises(FormatError) as info:
        list(read_tmx(path))
    assert str(info.value) == "in.tmx line 2: contains a DTD; refused (use --allow-dtd to read it without loading it)"
    assert [u.variants for u in read_tmx(path, allow_dtd=True)] == [{"en": "Hi."}]  # and nothing was fetched


@pytest.mark.parametrize("encoding", ["Shift_JIS", "EUC-JP", "UTF-16"])
def test_the_dtd_check_reads_prologs_in_any_encoding(tmp_path, encoding):
    def memory(doctype: str) -> bytes:
        return (f'<?xml version="1.0" encoding="{encoding}"?>\n{doctype}\n<tmx version="1.4"><header/><body>'
                '<tu><tuv xml:lang="ja"><seg>日本語</seg></tuv></tu></body></tmx>').encode(encoding)

    assert [u.variants for u in read_tmx(_write(tmp_path, memory(DOCTYPE)))] == [{"ja": "日本語"}]
    hidden = _write(tmp_path, memory('<!DOCTYPE tmx SYSTEM "tmx14.dtd" [<!ATTLIST tmx x CDATA "y">]>'))
    with pytest.raises(FormatError, match="in.tmx line 2: contains a DTD; refused"):
        list(read_tmx(hidden))


def test_the_standard_doctype_our_writer_emits_is_read_as_is(tmp_path, alignment):
    data = _tmx_bytes(alignment)
    assert DOCTYPE.encode() in data
    assert len(list(read_tmx(_write(tmp_path, data)))) == 3
    assert len(list(read_tmx(_write(tmp_path, f"{DOCTYPE}\n{UNIT}")))) == 1


def test_a_unit_of_too_many_elements_is_refused_in_one_line(tmp_path):
    def memory(elements: int) -> str:
        return ('<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>a' + "<hi/>" * elements
                + '</seg></tuv></tu>\n<tu><tuv xml:lang="en"><seg>b</seg></tuv></tu></body></tmx>')

    assert len(list(read_tmx(_write(tmp_path, memory(MAX_UNIT_ELEMENTS - 10))))) == 2
    units = read_tmx(_write(tmp_path, memory(MAX_UNIT_ELEMENTS)))
    with pytest.raises(FormatError) as info:
        list(units)
    assert str(info.value) == (f"in.tmx line 1: refusing a translation unit of more than {MAX_UNIT_ELEMENTS:,} "
                               "elements; the file is broken or hostile")


@pytest.mark.parametrize("text, line", [
    ('<?xml version="1.0"?>\n<tmx version="1.4">\n<header/>\n<body>\n<tu><tuv xml:lang="en"><seg>a</tuv></tu>\n'
     '</body></tmx>\n', 5),
    ('<?xml version="1.0"?>\n<tmx version="1.4"><body>\n<tu><tuv xml:lang="en"><seg>&nbsp;</seg></tuv></tu>'
     '</body></tmx>\n', 3),
    ('<?xml version="1.0"?>\n<tmx version="1.4"><body>\n', 3),
])
def test_malformed_xml_is_a_format_error_with_line(tmp_path, text, line):
    with pytest.raises(FormatError, match=rf"^in\.tmx line {line}: "):
        list(read_tmx(_write(tmp_path, text)))


def test_a_parser_message_is_one_line(tmp_path):
    """libxml2's log messages end with a line break; found by tests/test_faults.py (b"<\\x00")."""
    with pytest.raises(FormatError) as caught:
        list(read_tmx(_write(tmp_path, b"<\x00")))
    assert str(caught.value) == "in.tmx line 1: Invalid character: Char 0x0 out of allowed range"


def test_units_before_the_error_are_still_yielded(tmp_path):
    path = _write(tmp_path, '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>a</seg></tuv></tu>'
                            '<tu><tuv xml:lang="en"><seg>b</tuv></tu></body></tmx>')
    units = read_tmx(path)
    assert next(units).variants == {"en": "a"}
    with pytest.raises(FormatError):
        next(units)


def test_every_unit_before_an_error_far_into_the_file_is_yielded(tmp_path):
    # Several parser chunks of good units, then a broken one: none of the good ones is lost.
    good = "".join(f'<tu><tuv xml:lang="en"><seg>unit {n}</seg></tuv></tu>' for n in range(5000))
    path = _write(tmp_path, f'<tmx version="1.4"><body>{good}<tu><tuv xml:lang="en"><seg>b</tuv></tu></body></tmx>')
    assert path.stat().st_size > 3 * (1 << 16)
    seen = []
    with pytest.raises(FormatError, match=r"in\.tmx line 1: Opening and ending tag mismatch"):
        for unit in read_tmx(path):
            seen.append(unit.variants["en"])
    assert seen == [f"unit {n}" for n in range(5000)]


def test_other_xml_is_refused(tmp_path):
    with pytest.raises(FormatError, match="root element is <xliff>, not <tmx>"):
        list(read_tmx(_write(tmp_path, "<xliff version='1.2'/>")))


def test_missing_file_is_an_align_error(tmp_path):
    with pytest.raises(AlignError, match="cannot read"):
        list(read_tmx(tmp_path / "nope.tmx"))


class _Sink(io.RawIOBase):
    """Counts bytes instead of keeping them, so the test measures streaming, not memory."""

    size = 0

    def writable(self):
        return True

    def write(self, data):
        self.size += len(data)
        return len(data)


def test_streaming_writer_writes_while_the_generator_runs(tmp_path):
    sink = _Sink()
    written_halfway = []

    def units(n):
        for i in range(n):
            if i == n // 2:
                written_halfway.append(sink.size)
            yield TranslationUnit({"en": f"sentence {i}", "de": f"Satz {i}"})

    assert write_tmx(units(100_000), sink, "en") == []
    assert written_halfway[0] > 1_000_000  # half the units were already on the stream
    assert sink.size > 2 * written_halfway[0] - 10_000

    path = tmp_path / "small.tmx"
    with path.open("wb") as stream:
        write_tmx(units(1000), stream, "en")
    assert sum(1 for _ in read_tmx(path)) == 1000


def test_an_unknown_encoding_in_the_prolog_is_one_line_not_a_crash(tmp_path):
    """Found by fuzzing: the DTD check read the declared encoding with expat, which raised LookupError."""
    path = tmp_path / "odd.tmx"
    path.write_bytes(b"<?xml version='1.0' encoding='tf-8'?>\n<tmx version=\"1.4\"><header/><body/></tmx>")
    with pytest.raises(AlignError) as caught:
        list(read_tmx(path))
    assert "\n" not in str(caught.value)


MEMORY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="Trados" creationtoolversion="9" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="en-US" datatype="rtf"><prop type="x-client">ACME</prop></header><body>
<tu tuid="7" creationid="anna"><note>checked</note><prop type="x-score">0.97</prop><prop type="x-flags">old</prop>
<tuv xml:lang="en-US"><prop type="x-origin">tm</prop><seg>Press <bpt i="1">&lt;b&gt;</bpt>Start<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
<tuv xml:lang="de"><seg><bpt i="1">&lt;b&gt;</bpt>Start<ept i="1">&lt;/b&gt;</ept> drücken.</seg></tuv></tu>
<tu tuid="8"><tuv xml:lang="en-US"><seg>Dropped.</seg></tuv><tuv xml:lang="de"><seg>Weg.</seg></tuv></tu>
<tu tuid="9"><tuv xml:lang="en-US"><seg>Kept.</seg></tuv><tuv xml:lang="de"><seg>Da.</seg></tuv></tu>
</body></tmx>
"""


def test_rewrite_copies_the_memory_and_sets_props_on_the_units_it_keeps(tmp_path):
    path = _write(tmp_path, MEMORY)
    out = io.BytesIO()
    written = rewrite_tmx(path, out, lambda i: None if i == 1 else {"x-flags": f"f{i}", "x-score": "0.5"},
                          renamed={"x-score": "x-align-score"})
    assert written == 2
    copy = _write(tmp_path, out.getvalue(), "copy.tmx")
    units = list(read_tmx(copy))
    assert [u.variants["en-US"] for u in units] == ["Press Start.", "Kept."]
    assert units[0].props == {"x-align-score": "0.97", "x-flags": "f0", "x-score": "0.5"}  # old x-flags replaced
    assert units[0].notes == ("checked",) and units[0].codes["de"] == ("bpt", "ept")
    root = etree.parse(str(copy)).getroot()
    assert root.find("header").get("creationtool") == "Trados" and root.find("header/prop").text == "ACME"
    tu = root.find("body/tu")
    assert (tu.get("tuid"), tu.get("creationid")) == ("7", "anna")
    assert [child.tag for child in tu] == ["note", "prop", "prop", "prop", "tuv", "tuv"]  # TMX's order
    assert tu.find("tuv/prop").text == "tm"
    assert len(tt_tmx.tmxfile.parsefile(str(copy)).units) == 2


def test_rewrite_refuses_what_the_reader_refuses(tmp_path):
    for text in (BILLION_LAUGHS, XXE, "<tmx version='1.4'><header/><body><tu>"):
        with pytest.raises(FormatError):
            rewrite_tmx(_write(tmp_path, text), io.BytesIO(), lambda i: {})
    with pytest.raises(FormatError, match="no TMX header before"):
        rewrite_tmx(_write(tmp_path, '<tmx version="1.4"><body/></tmx>'), io.BytesIO(), lambda i: {})
