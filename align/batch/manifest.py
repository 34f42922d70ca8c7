"""What a batch has done, one JSON line per pair, appended as each pair ends.

The manifest is what makes a run resumable: a pair whose line says it was
aligned from inputs with the same checksums, into an output that is still
there unchanged, is not aligned again. A line is appended only after its
output was renamed into place, so a run killed at any moment leaves either
a finished pair with its line or a pair that will be redone.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

OK, SKIPPED, FAILED = "ok", "skipped", "failed"


@dataclass(frozen=True)
class PairRecord:
    """The outcome of one pair: checksums, counts and timing when aligned, the reason when it failed."""

    output: str
    src: str
    tgt: str
    status: str
    reason: str = ""
    src_sha256: str = ""
    tgt_sha256: str = ""
    output_sha256: str = ""
    src_sentences: int = 0
    tgt_sentences: int = 0
    beads: int = 0
    beads_left_out: int = 0  # under --min-score
    low_probability_beads: int = 0
    mean_probability: float = 0.0
    seconds: float = 0.0
    worker: str = ""
    # Runs of 5+ sentences with no counterpart, a line each (align/pairing/passages.py): a passage one file
    # lacks, or two files that are no pair.
    passages: tuple[str, ...] = ()
    # What the output was made with (``BatchOptions.settings``): a resumed run with other options redoes the pair.
    settings: str = ""

    @property
    def done(self) -> bool:
        return self.status in (OK, SKIPPED)

    @property
    def sentences(self) -> int:
        return self.src_sentences + self.tgt_sentences

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> PairRecord:
        data = json.loads(line)
        known = {f.name for f in fields(cls)}
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known})


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_done(path: Path) -> dict[str, PairRecord]:
    """The last finished record of every output in a manifest; damaged lines (a crash mid-write) are skipped."""
    done: dict[str, PairRecord] = {}
    if not path.is_file():
        return done
    with open(path, encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            try:
                record = PairRecord.from_json(line)
            except (ValueError, TypeError):
                log.warning("%s line %d is damaged and was skipped; its pair will be aligned again", path, number)
                continue
            if record.status == OK:
                done[record.output] = record
            elif record.status == FAILED:
                done.pop(record.output, None)
    return done


def still_valid(record: PairRecord | None, src: Path, tgt: Path, output: Path) -> bool:
    """True when ``record`` says the pair was aligned from these very inputs into this unchanged output."""
    if record is None or record.status != OK:
        return False
    try:
        return (file_sha256(src) == record.src_sha256 and file_sha256(tgt) == record.tgt_sha256
                and file_sha256(output) == record.output_sha256)
    except OSError:
        return False


class ManifestWriter:
    """Appends records, each flushed and synced to disk before the next pair is counted as done."""

    def __init__(self, path: Path, resume: bool):
        self.path = path
        cut = resume and path.is_file() and path.stat().st_size and _last_byte(path) != b"\n"
        self._stream: IO[str] = open(path, "a" if resume else "w", encoding="utf-8")
        if cut:  # a crash mid-line: the damaged line stays alone on its line, and is skipped when read
            self._stream.write("\n")

    def write(self, record: PairRecord) -> None:
        self._stream.write(record.to_json() + "\n")
        self._stream.flush()
        os.fsync(self._stream.fileno())

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> ManifestWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _last_byte(path: Path) -> bytes:
    with open(path, "rb") as stream:
        stream.seek(-1, os.SEEK_END)
        return stream.read(1)
