import io
import sys

import pytest
from conftest import DATA

from align.errors import InputError
from align.text.decode import (
    MAX_LINE_CHARS,
    MB,
    decode_text,
    load_pasted,
    load_text,
    normalize_text,
    read_bytes,
)

BENCH = DATA / "bench" / "ntrex_en-ja-ru_raw_dev"
JA = "ウェールズ議会の名称を変更するという計画がその発端となっている。\nあらゆる所属政党の議員は、これは馬鹿げた事態を招きうると懸念している。"
RU = "Проблематичное решение связано с планами изменить название Ассамблеи.\nЧленов Ассамблеи беспокоят возможные шутки."


def _bench_lines(lang):
    path = BENCH / f"{lang}.txt"
    return path.read_text("utf-8").splitlines()


@pytest.mark.parametrize("encoding", ["shift_jis", "euc_jp", "cp932", "utf-16-le", "utf-16-be"])
def test_japanese_encodings(encoding):
    data = JA.encode(encoding)
    if encoding.startswith("utf-16"):
        data = "\ufeff".encode(encoding) + data
    text, found = decode_text(data, "ja.txt")
    assert normalize_text(text) == JA
    assert found in ({"cp932": "shift_jis"}.get(encoding, encoding), "utf-16")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [JA, RU], ids=["ja", "ru"])
def test_utf16_without_a_bom_is_read_whatever_the_script(encoding, text):
    # Japanese or Russian text has few NUL bytes: it was refused as binary.
    found_text, found = decode_text(text.encode(encoding), "x.txt")
    assert (normalize_text(found_text), found) == (text, encoding)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_cyrillic_encodings(encoding):
    text, found = decode_text(RU.encode(encoding), "ru.txt")
    assert (text, found) == (RU, encoding)


@pytest.mark.parametrize("encoding", ["shift_jis", "euc_jp", "cp1251", "koi8-r"])
def test_short_bench_samples_decode_exactly(encoding):
    lang = "ru" if encoding in ("cp1251", "koi8-r") else "ja"
    lines = _bench_lines(lang)
    for start in range(0, len(lines), 25):
        sample = "\n".join(lines[start:start + 2])
        try:
            data = sample.encode(encoding)
        except UnicodeEncodeError:
            continue
        assert decode_text(data, "x")[0] == sample


def test_utf8_with_and_without_bom():
    assert decode_text("naïve\n".encode(), "a") == ("naïve\n", "utf-8")
    text, found = decode_text(b"\xef\xbb\xbf" + "naïve".encode(), "a")
    assert (text, found) == ("naïve", "utf-8-sig")


def test_utf16_bom_is_stripped_by_normalize():
    text, found = decode_text("\ufeffПривет".encode("utf-16-be"), "a")
    assert found == "utf-16" and normalize_text(text) == "Привет"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", "\ufeff  ".encode("utf-16")])
def test_empty_and_whitespace_only(data):
    with pytest.raises(InputError, match="empty.txt is empty"):
        decode_text(data, "empty.txt")


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    bytes(range(256)) * 4,
])
def test_binary_is_refused(data):
    with pytest.raises(InputError, match="pic.png looks binary"):
        decode_text(data, "pic.png")


def test_a_translation_memory_is_no_text_to_align(tmp_path):
    from align.pairing.pipeline import read_document
    from align_ui.workbench import document_from_bytes

    memory = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">'
              '<header srclang="en"/><body><tu><tuv xml:lang="en"><seg>Hello.</seg></tuv></tu></body></tmx>\n')
    (path := tmp_path / "mem.tmx").write_text(memory, encoding="utf-8")
    with pytest.raises(InputError, match=r"mem.tmx: a TMX translation memory, not a text to align; `align review"):
        read_document(path)
    with pytest.raises(InputError, match="a TMX translation memory"):  # an upload in the workbench too
        document_from_bytes(memory.encode("utf-8"), "mem.tmx")
    with pytest.raises(InputError, match="an XLIFF translation memory"):
        read_document(_written(tmp_path / "f.xlf", '<xliff version="1.2"><file/></xliff>'))
    # Text that only mentions the format is text.
    assert read_document(_written(tmp_path / "t.txt", "The <tmx> element is the root of a TMX file.\n")).segments


def _written(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_undecodable_bytes_are_refused():
    garbage = bytes([0x98, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0xff, 0xfe, 0x98] * 20)
    with pytest.raises(InputError, match="bad.txt is not UTF-8"):
        decode_text(garbage, "bad.txt")


def test_huge_line_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * 50_000_000)
    with pytest.raises(InputError) as info:
        load_text(path)
    assert str(info.value) == (f"line 1 of {path} has 50,000,000 characters; the limit is 100,000"
                               " — is this really a text file?")


def test_long_multibyte_line_under_the_limit_is_accepted():
    line = "あ" * (MAX_LINE_CHARS - 1)  # three times as many bytes as characters
    assert decode_text(line.encode(), "ok.txt")[0] == line


def test_long_line_counted_in_characters_after_decoding():
    with pytest.raises(InputError, match="line 2 of u16.txt has 100,001 characters"):
        decode_text(("x\n" + "я" * (MAX_LINE_CHARS + 1)).encode("utf-16"), "u16.txt")


def test_normalize_text():
    raw = "\ufeffa\r\nb\rc\u2028d\u2029e\x00f\x07g\th\x1b"
    assert normalize_text(raw) == "a\nb\nc\nd\nefg\th"


def test_read_bytes_from_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(RU.encode("koi8-r"))))
    assert read_bytes("-") == RU.encode("koi8-r")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("a\r\nb".encode())))
    source = load_text("-")
    assert (source.name, source.text, source.encoding) == ("<stdin>", "a\nb", "utf-8")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_bytes(tmp_path / "nope.txt")


def test_input_over_the_limit_is_refused_while_it_is_read(tmp_path, monkeypatch):
    # /dev/zero never ends: only a limit checked while reading stops it.
    with pytest.raises(InputError) as info:
        read_bytes("/dev/zero", max_bytes=MB)
    assert str(info.value) == "/dev/zero is larger than the input limit of 1 MB"
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)
    assert read_bytes(path, max_bytes=5000) == b"word " * 1000
    with pytest.raises(InputError, match="big.txt is larger than the input limit"):
        load_text(path, max_bytes=4999)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"word " * 1000)))
    with pytest.raises(InputError, match="<stdin> is larger than the input limit"):
        read_bytes("-", max_bytes=4999)


def test_pasted_text_has_the_size_and_line_limits_of_a_file():
    assert load_pasted("a\r\nb", "pasted").text == "a\nb"
    with pytest.raises(InputError, match="line 2 of pasted has 100,001 characters; the limit is 100,000"):
        load_pasted("x\n" + "я" * (MAX_LINE_CHARS + 1), "pasted")
    with pytest.raises(InputError, match="pasted is larger than the input limit of 1,000 bytes"):
        load_pasted("я" * 600, "pasted", max_bytes=1000)  # 1,200 bytes in UTF-8
    with pytest.raises(InputError, match="pasted looks binary"):
        load_pasted("abc\x00\x01\x02def" * 10, "pasted")


# ---- a saved web page: the text its reader sees ----

PAGE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>ニュース | サイト</title>
<style>p { color: red; }</style><script>var x = "<p>not text</p>";</script></head>
<body>
<nav><ul><li><a href="/">ホーム</a></li><li><a href="/intl">国際</a></li></ul></nav>
<!-- the article -->
<article><h1>首相が東京を訪問</h1>
<p>首相は東京を訪
  問した。会談は2時間&amp;続いた。</p>
<p>Line one<br>line &lt;two&gt; &#x41;</p>
<div hidden>secret</div><table><tr><td>cell a</td><td>cell b</td></tr></table>
</article></body></html>
"""


def test_a_web_page_is_read_as_the_text_it_shows(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.encode("shift_jis"))
    loaded = load_text(page)
    assert loaded.encoding == "shift_jis"
    # No script, style, head, menu, hidden block or comment:
    assert loaded.text == ("首相が東京を訪問\n\n首相は東京を訪問した。会談は2時間&続いた。\n\n"
                           "Line one\nline <two> A\n\ncell a\n\ncell b\n")
    assert load_pasted(PAGE, "pasted").text == loaded.text


def test_a_web_page_splits_as_its_text_does(tmp_path):
    from align.pairing.pipeline import read_document
    from align.text.segment import paragraph_starts

    page, plain = tmp_path / "page.htm", tmp_path / "plain.txt"
    page.write_text("<html><body><p>Dr. Smith arrived.\nHe left at 5 p.m. today.</p><p>Second paragraph.</p>"
                    "</body></html>", "utf-8")
    plain.write_text("Dr. Smith arrived. He left at 5 p.m. today.\n\nSecond paragraph.\n", "utf-8")
    from_page, from_text = read_document(page), read_document(plain)
    assert [s.text for s in from_page.segments] == [s.text for s in from_text.segments] == [
        "Dr. Smith arrived.", "He left at 5 p.m. today.", "Second paragraph."]
    assert paragraph_starts(from_page.text, from_page.segments) == [True, False, True]
    assert paragraph_starts(from_text.text, from_text.segments) == [True, False, True]


def test_a_hostile_page_expands_no_entity_and_runs_nothing(tmp_path):
    page = tmp_path / "x.html"
    page.write_text('<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body>'
                    '<p>before &xxe; after</p><script>alert(1)</script><iframe src="file:///etc/passwd"></iframe>'
                    '</body></html>', "utf-8")
    text = load_text(page).text
    assert text == "before &xxe; after\n"  # no script, no frame, and not the doctype's "]>" either


@pytest.mark.parametrize("page", ["<!DOCTYPE html>", "<html><body><script>x()</script><nav>Home</nav></body></html>"])
def test_a_page_with_nothing_to_read_is_refused(tmp_path, page):
    path = tmp_path / "blank.html"
    path.write_text(page, "utf-8")
    with pytest.raises(InputError, match="blank.html: an HTML page with no text"):
        load_text(path)


def test_a_page_body_scraped_alone_is_read_as_a_page():
    scraped = '<p>First paragraph.</p><p class="lead">Second <b>bold</b> one.</p><div>Third.</div>'
    assert load_pasted(scraped, "body.txt").text == "First paragraph.\n\nSecond bold one.\n\nThird.\n"


def test_text_that_mentions_tags_is_not_a_page():
    for text in ("Write <html> first, then <body>.\n", "<b>Bold</b> is inline, not a page.\n"):
        assert load_pasted(text, "t").text == text


# ---- a Word document: its body text ----

def _word_document(path, build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    document.save(path)
    return path.read_bytes()


def test_a_word_document_is_read_as_its_body_text(tmp_path):
    def build(document):
        document.sections[0].header.paragraphs[0].text = "Page header"
        document.add_heading("首相が東京を訪問", 1)
        document.add_paragraph("Dr. Smith arrived. He left at 5 p.m. today.")
        document.add_paragraph("   ")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).merge(table.cell(0, 1)).text = "Merged cell."
        table.cell(1, 0).text, table.cell(1, 1).text = "Cell a.", "Cell b."
        paragraph = document.add_paragraph("Line one")
        paragraph.add_run().add_break()
        paragraph.add_run("line two.")

    path = tmp_path / "letter.docx"
    _word_document(path, build)
    loaded = load_text(path)
    assert loaded.encoding == "docx"
    # No header, no blank paragraph, a merged cell once:
    assert loaded.text == ("首相が東京を訪問\n\nDr. Smith arrived. He left at 5 p.m. today.\n\nMerged cell.\n\n"
                           "Cell a.\n\nCell b.\n\nLine one\nline two.\n")
    from align_ui.workbench import document_from_bytes

    uploaded = document_from_bytes(path.read_bytes(), "letter.docx")
    assert [s.text for s in uploaded.segments][:3] == ["首相が東京を訪問", "Dr. Smith arrived.",
                                                       "He left at 5 p.m. today."]


def test_damaged_empty_and_oversized_word_documents_are_refused(tmp_path):
    import zipfile

    from align.text.decode import load_bytes

    bomb = _word_document(tmp_path / "bomb.docx", lambda d: d.add_paragraph("a" * 3_000_000))
    assert len(bomb) < 100_000
    with pytest.raises(InputError, match="bomb.docx: a zip that unpacks to [34] MB, more than the input limit of 2 MB"):
        load_bytes(bomb, "bomb.docx", max_bytes=2 << 20)
    empty = tmp_path / "empty.docx"
    _word_document(empty, lambda d: d.add_paragraph(""))
    with pytest.raises(InputError, match="empty.docx: a Word document with no text"):
        load_text(empty)
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(InputError, match="damaged.docx: a damaged Word document"):
        load_text(damaged)
    sheet = tmp_path / "sheet.xlsx"
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match=r"sheet.xlsx: a zip archive, not a text, a Word document \(.docx\) or an"):
        load_text(sheet)


def test_a_word_document_expands_no_entity(tmp_path):
    import zipfile

    path = tmp_path / "good.docx"
    _word_document(path, lambda d: d.add_paragraph("Before XXE after."))
    hostile = tmp_path / "hostile.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                body = data.decode("utf-8").split("?>", 1)[1].replace("XXE", "&xxe;")
                data = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                        + body).encode("utf-8")
            target.writestr(info, data)
    assert "root:" not in load_text(hostile).text


# ---- subtitles: their cues' text ----

SRT = """1
00:00:05,500 --> 00:00:07,000
very tired.

2
00:00:01,000 --> 00:00:03,000
Dr. Smith arrived
at the station.

3
00:00:03,500 --> 00:00:05,000
<i>He left at 5 p.m.</i> He was
"""


def test_subtitles_are_read_as_sentences_not_cues(tmp_path):
    from align.pairing.pipeline import read_document

    path = tmp_path / "film.srt"
    path.write_text(SRT, "utf-8")
    doc = read_document(path)
    # In time order, tags off; a cue that stops mid-sentence goes on in the next one.
    assert doc.text == "Dr. Smith arrived at the station.\nHe left at 5 p.m. He was very tired.\n"
    assert [s.text for s in doc.segments] == ["Dr. Smith arrived at the station.", "He left at 5 p.m.",
                                              "He was very tired."]
    assert load_pasted(SRT, "pasted.txt").text == doc.text  # SubRip known by its first cue, whatever the name


def test_webvtt_notes_and_styles_are_no_cues():
    vtt = ("WEBVTT\n\nSTYLE\n::cue { color: red }\n\ncue-1\n00:00.000 --> 00:01.000\nHello there.\n\nNOTE from the "
           "editor\nstill the note\n\ncue-2\n00:01.000 --> 00:02.000 align:start\n<v Bob>Yes.\n")
    assert load_pasted(vtt, "captions.vtt").text == "Hello there.\nYes.\n"  # no note, style or cue name


def test_a_broken_cue_s_timing_line_is_no_text():
    srt = ("1\n00:00:01,000 --> 00:00:02,000\nFirst cue.\n\n2\n00:00:03,000 -->\nNo end time.\n\n"
           "3\nxx:yy --> zz\nGarbage timing.\n")
    assert load_pasted(srt, "film.srt").text == "First cue.\nNo end time.\nGarbage timing.\n"


def test_a_caption_or_a_japanese_cue_is_a_line_of_its_own():
    cues = ["CARDIFF BAY, 1999", "We'll talk", "tomorrow.", "－帰るよ もう遅い", "夕食までいるって 言ってたじゃない"]
    srt = "\n".join(f"{k}\n00:00:0{k},000 --> 00:00:0{k},900\n{cue}\n" for k, cue in enumerate(cues, 1))
    assert load_pasted(srt, "film.srt").text == ("CARDIFF BAY, 1999\nWe'll talk tomorrow.\n－帰るよ もう遅い\n"
                                                 "夕食までいるって 言ってたじゃない\n")


@pytest.mark.parametrize("text, words", [("Just some text.\n", "not subtitles that can be read"),
                                         ("1\n00:00:01,000 --> 00:00:02,000\n\n", "subtitles with no text")])
def test_subtitles_that_cannot_be_read_are_refused(tmp_path, text, words):
    path = tmp_path / "film.srt"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError, match=f"film.srt: {words}"):
        load_text(path)


# ---- an e-book: its chapters in reading order ----

def _ebook(path, chapters: dict[str, str], spine: list[str], package_head: str = '<?xml version="1.0"?>'):
    import zipfile

    nav, aside = ' properties="nav"', ' linear="no"'
    items = "".join(f'<item id="{k}" href="text/{k}.xhtml" media-type="application/xhtml+xml"'
                    f'{nav if k == "nav" else ""}/>' for k in chapters)
    refs = "".join(f'<itemref idref="{k.lstrip("-")}"{aside if k.startswith("-") else ""}/>' for k in spine)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" '
                         'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile '
                         'full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                         '</rootfiles></container>')
        archive.writestr("OEBPS/content.opf", f'{package_head}<package xmlns="http://www.idpf.org/2007/opf" '
                         f'version="3.0"><metadata/><manifest>{items}</manifest><spine>{refs}</spine></package>')
        for key, body in chapters.items():
            archive.writestr(f"OEBPS/text/{key}.xhtml", '<?xml version="1.0" encoding="utf-8"?><html '
                             f'xmlns="http://www.w3.org/1999/xhtml"><head><title>{key}</title></head><body>{body}</body></html>')
    return path


def test_an_ebook_is_read_chapter_by_chapter_in_reading_order(tmp_path):
    book = _ebook(tmp_path / "novel.epub", {
        "nav": "<nav><ol><li>Contents</li></ol></nav>", "cover": '<img src="cover.jpg"/>',
        "one": "<h1>Chapter One</h1><p>It was raining. She left.</p>", "two": "<h1>Chapter Two</h1><p>He stayed.</p>",
        "notes": "<p>Translator's notes.</p>"}, ["cover", "nav", "one", "two", "-notes"])
    loaded = load_text(book)
    assert loaded.encoding == "epub"
    # The spine's order; no navigation, no chapter without text, no item outside the reading order (linear="no").
    assert loaded.text == "Chapter One\n\nIt was raining. She left.\n\nChapter Two\n\nHe stayed.\n"


def test_a_hostile_or_damaged_ebook_is_refused_or_read_without_expansion(tmp_path):
    import zipfile

    hostile = _ebook(tmp_path / "x.epub", {"one": "<p>Plain text.</p>"}, ["one"],
                     '<?xml version="1.0"?><!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    assert load_text(hostile).text == "Plain text.\n"
    empty = _ebook(tmp_path / "empty.epub", {"one": '<img src="a.png"/>'}, ["one"])
    with pytest.raises(InputError, match="empty.epub: an e-book with no text"):
        load_text(empty)
    missing = _ebook(tmp_path / "missing.epub", {"one": "<p>x</p>"}, ["one"])
    with zipfile.ZipFile(missing) as source, zipfile.ZipFile(tmp_path / "cut.epub", "w") as cut:
        for info in source.infolist():
            if not info.filename.endswith("one.xhtml"):
                cut.writestr(info, source.read(info.filename))
    with pytest.raises(InputError, match="cut.epub: a damaged e-book"):
        load_text(tmp_path / "cut.epub")


# ---- a PDF: its running text ----

def _pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF of Helvetica lines, one list of lines a page."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        shown = " ".join("(" + line.replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines)
        stream = f"BT /F1 11 Tf 72 760 Td 14 TL {shown} ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {len(objects)} 0 R >>")
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    table = "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    return out + (f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n{table}trailer\n<< /Size {len(objects) + 1} "
                  f"/Root 1 0 R >>\nstartxref\n{len(out)}\n%%EOF\n").encode("latin-1")


def test_a_pdf_is_read_as_its_running_text(tmp_path):
    body = "Page {} goes on with a sentence that is long enough to reach the margin of the page, and"
    pages = [["Annual Report", "Chapter One",
              "Dr. Smith arrived at the station early in the morning and he was tired be-",
              "cause of the long journey. He left at 5 p.m. and went home to his wife and", "children.",
              "A new paragraph starts here.", "1"]]
    ends = {2: "it ends here.", 3: "so it goes on.", 4: "that is all."}
    pages += [["Annual Report", body.format(k), ends[k], f"- {k} -"] for k in range(2, 5)]
    path = tmp_path / "report.pdf"
    path.write_bytes(_pdf(pages))
    loaded = load_text(path)
    assert loaded.encoding == "pdf"
    # No running header, no page number; a heading and each paragraph apart; a hyphenated word whole again.
    assert loaded.text.split("\n\n") == [
        "Chapter One",
        "Dr. Smith arrived at the station early in the morning and he was tired because of the long journey. He "
        "left at 5 p.m. and went home to his wife and children.",
        "A new paragraph starts here.",
        *(f"{body.format(k)} {ends[k]}" for k in range(2, 4)), f"{body.format(4)} {ends[4]}\n"]


def test_a_pdf_font_s_ligatures_radicals_and_script_switches_are_read_as_the_text_they_stand_for():
    from align.text.pdf import running_text

    assert running_text([["The ﬁnal oﬃce."]]) == "The final office.\n"
    assert running_text([["⼀部の市⺠は 2017 年に AM と⾔った。"]]) == "一部の市民は2017年にAMと言った。\n"
    assert running_text([["エリン‧ジョーンズ議⻑", "プライド ‧ カムリ党"]]) == \
        "エリン・ジョーンズ議長プライド・カムリ党\n"
    assert running_text([["", "  "]]) == ""


def test_scanned_damaged_and_locked_pdfs_are_refused(tmp_path):
    import pypdf

    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(_pdf([[]]))
    with pytest.raises(InputError, match="scan.pdf: a PDF with no text to extract .*OCR"):
        load_text(scanned)
    damaged = tmp_path / "cut.pdf"
    damaged.write_bytes(_pdf([["Some text."]])[:60])
    with pytest.raises(InputError, match="cut.pdf: a damaged PDF"):
        load_text(damaged)
    for name, user, owner in (("locked.pdf", "password", "password"), ("owner.pdf", "", "owner")):
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(_pdf([["Secret text."]]))))
        writer.encrypt(user, owner, algorithm="AES-256")
        with open(tmp_path / name, "wb") as stream:
            writer.write(stream)
    with pytest.raises(InputError, match="locked.pdf: a PDF locked by a password"):
        load_text(tmp_path / "locked.pdf")
    assert load_text(tmp_path / "owner.pdf").text == "Secret text.\n"  # an owner password alone opens in any viewer


def test_a_word_document_s_text_outside_plain_runs_is_read(tmp_path):
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    # A tracked insertion and deletion, an inline content control, a simple field, a symbol, a page break:
    paragraphs = [
        f'<w:p {w}><w:r><w:t>It takes effect</w:t></w:r><w:ins w:id="1" w:author="A"><w:r><w:t> on 1 March</w:t>'
        f'</w:r></w:ins><w:del w:id="2" w:author="A"><w:r><w:delText> in May</w:delText></w:r></w:del>'
        f'<w:r><w:t>.</w:t></w:r></w:p>',
        f'<w:p {w}><w:r><w:t xml:space="preserve">The client is </w:t></w:r><w:sdt><w:sdtContent><w:r><w:t>Acme Ltd'
        f'</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve"> of London, see page </w:t></w:r>'
        f'<w:fldSimple w:instr="PAGE"><w:r><w:t>7</w:t></w:r></w:fldSimple><w:r><w:t>.</w:t></w:r></w:p>',
        f'<w:p {w}><w:r><w:t>It was 20</w:t><w:sym w:font="Symbol" w:char="F0B0"/><w:t>C. One page ends.</w:t>'
        f'<w:br w:type="page"/><w:t>The next starts.</w:t></w:r></w:p>',
        f'<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>A block content control.</w:t></w:r></w:p></w:sdtContent></w:sdt>']

    def build(document):
        for xml in paragraphs:
            document.element.body.append(parse_xml(xml))

    path = tmp_path / "tracked.docx"
    _word_document(path, build)
    assert load_text(path).text == ("It takes effect on 1 March.\n\nThe client is Acme Ltd of London, see page 7.\n\n"
                                    "It was 20°C. One page ends.\nThe next starts.\n\nA block content control.\n")


def test_what_a_page_hides_is_not_read_and_what_it_shows_is_all_read(tmp_path):
    hidden = ('<p>Shown.</p><p style="display: none">Hidden by style.</p><dialog>Closed dialog.</dialog>'
              '<a class="sr-only" href="#main">Skip to content</a><p aria-hidden="true">Decor.</p>'
              '<p><ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>を勉強する。</p><p>soft\u00adhyphen</p>')
    assert load_pasted(f"<html><body>{hidden}</body></html>", "p").text == "Shown.\n\n漢字を勉強する。\n\nsofthyphen\n"
    deep = "<html><body>" + "<div>" * 1500 + "Deep." + "</div>" * 1500 + "<p>After the deep part.</p></body></html>"
    assert load_pasted(deep, "deep.html").text == "Deep.\n\nAfter the deep part.\n"
    minified = tmp_path / "minified.html"  # a saved page's line of 300,000 characters is no reason to refuse it
    minified.write_text("<!DOCTYPE html><html><head><script>" + "x=1;" * 75_000 + "</script></head><body><p>Read."
                        "</p></body></html>", "utf-8")
    assert load_text(minified).text == "Read.\n"


def test_a_file_named_as_a_page_is_read_as_one_whatever_tag_opens_it(tmp_path):
    fragment = tmp_path / "list.html"
    fragment.write_text("<span>Intro.</span><ul><li>First.</li><li>Second &amp; more.</li></ul>", "utf-8")
    assert load_text(fragment).text == "Intro.\n\nFirst.\n\nSecond & more.\n"


def test_a_narrow_column_s_ragged_lines_are_joined_and_its_heading_kept_apart():
    from align.text.pdf import running_text

    column = ["Члены Ассамблеи Уэльса", "не хотят «походить на", "маппетов»", "Среди некоторых членов",
              "Национальной ассамблеи", "зреет недовольство", "предложением принять", "для их наименования",
              "аббревиатуру MWP (от", "англ. Member of the Welsh", "Parliament — член", "Парламента Уэльса).",
              "Членов Ассамблеи из", "разных политических", "партий беспокоят", "возможные шутки."]
    paragraphs = running_text([column]).rstrip("\n").split("\n\n")
    assert paragraphs[0] == "Члены Ассамблеи Уэльса не хотят «походить на маппетов»"
    assert "партий беспокоят возможные шутки." in paragraphs[-1]
    assert "наименования аббревиатуру MWP (от англ. Member of the Welsh Parliament — член Парламента" in paragraphs[1]
