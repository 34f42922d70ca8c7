"""Which pairs a batch aligns, and where each one's output goes.

A list of pairs may hold millions of lines, so it is read lazily, line by
line, and may be read again (the merged TMX walks it a second time).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from align.errors import AlignError

# Files the batch itself writes into the output folder; no pair may take these names.
MANIFEST_NAME = "align-batch.manifest.jsonl"
REPORT_NAMES = ("align-batch.report.json", "align-batch.report.txt")
RESERVED_NAMES = frozenset((MANIFEST_NAME, *REPORT_NAMES))


@dataclass(frozen=True)
class PairJob:
    """One pair to align: its two inputs and its output's name inside the output folder.

    A line of the list that names no pair becomes a job with its ``problem``:
    it is reported as a failed pair, and the run goes on.
    """

    number: int
    src: Path
    tgt: Path
    output: str
    problem: str | None = None


class PairList:
    """The pairs of a list file: ``SRC TGT [OUTPUT]`` per line, tab- or space-separated.

    Relative paths are taken from the list's folder; ``#`` starts a comment.
    The output name defaults to the source file's stem plus the format.
    """

    def __init__(self, path: Path, fmt: str):
        if not path.is_file():
            raise AlignError(f"{path}: no such file")
        self.path, self.fmt = path, fmt
        self.total = sum(1 for _ in self)  # a pass over the list first, so that the progress bar has its total

    def __iter__(self) -> Iterator[PairJob]:
        base, number = self.path.parent, 0
        with open(self.path, "rb") as lines:
            for line_number, raw in enumerate(lines, 1):
                try:
                    line = raw.decode("utf-8-sig" if line_number == 1 else "utf-8")
                except UnicodeDecodeError as exc:  # this line fails, as a malformed one does; the others go on
                    number += 1
                    yield PairJob(number, Path(), Path(), f"line-{line_number}",
                                  f"{self.path.name} line {line_number}: not UTF-8 text (byte "
                                  f"0x{raw[exc.start]:02X} at column {exc.start + 1}); save the list as UTF-8")
                    continue
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                number += 1
                yield self._job(number, line_number, line, base)

    def _job(self, number: int, line_number: int, line: str, base: Path) -> PairJob:
        parts = line.rstrip("\r\n").split("\t") if "\t" in line else line.split()
        where = f"{self.path.name} line {line_number}"
        if len(parts) not in (2, 3):
            return PairJob(number, Path(), Path(), f"line-{line_number}",
                           f"{where}: expected 'SRC TGT [OUTPUT]', got {len(parts)} fields")
        src, tgt = (p if p.is_absolute() else base / p for p in map(Path, parts[:2]))
        try:
            return PairJob(number, src, tgt, output_name(parts[2] if len(parts) == 3 else src.stem, self.fmt))
        except AlignError as exc:
            return PairJob(number, src, tgt, f"line-{line_number}", f"{where}: {exc}")


class FolderPairs:
    """The files of two folders paired by name (``a.txt`` with ``a.txt`` or ``a.md``), sorted by name."""

    def __init__(self, src_dir: Path, tgt_dir: Path, fmt: str):
        for folder in (src_dir, tgt_dir):
            if not folder.is_dir():
                raise AlignError(f"{folder}: not a folder")
        targets = {p.stem: p for p in tgt_dir.iterdir() if p.is_file()}
        self.pairs = [(p, targets[p.stem]) for p in sorted(src_dir.iterdir()) if p.is_file() and p.stem in targets]
        if not self.pairs:
            raise AlignError(f"no file names in {src_dir} match any in {tgt_dir}")
        self.fmt, self.total = fmt, len(self.pairs)

    def __iter__(self) -> Iterator[PairJob]:
        for number, (src, tgt) in enumerate(self.pairs, 1):
            yield PairJob(number, src, tgt, output_name(src.stem, self.fmt))


def output_name(name: str, fmt: str) -> str:
    """``name`` with the format's extension, refused if it would leave the output folder."""
    path = Path(name if name.endswith(f".{fmt}") else f"{name}.{fmt}")
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise AlignError(f"output name {name!r} must stay inside the output folder")
    if path.as_posix() in RESERVED_NAMES:
        raise AlignError(f"output name {name!r} is the batch's own {path.name}; give the pair another name")
    return path.as_posix()
