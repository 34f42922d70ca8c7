"""Write a file so that readers see the old file or the whole new one, never a part.

``check_output`` says up front whether a path can be written, so a command
refuses a bad output before it spends minutes on work it cannot save.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import signal
import stat
import threading
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, TypeVar

from align.errors import AlignError

T = TypeVar("T")


# The first bytes of an SQLite database: an alignment project, an embedding cache. No export writes one.
_SQLITE_MAGIC = b"SQLite format 3\x00"


def check_output(path: str | os.PathLike, force: bool = False, inputs: Iterable[str | os.PathLike] = ()) -> None:
    """Refuse, with a one-line ``AlignError``, an output path ``write_atomic`` would fail on or should not replace.

    A character device or a FIFO (``/dev/null``, ``/dev/stdout``, a named pipe)
    is fine: it is written to, not replaced. A symbolic link is refused unless
    ``force`` (the link itself is then replaced, never what it points to).
    Never replaced, ``force`` or not: one of the command's ``inputs`` (``align
    pair en.txt ja.txt -o en.txt`` would put a table where the text was) and a
    database (``-o projects/p1.alignproject`` would put an export where the
    project, its history and its decisions were).
    """
    path = Path(path)
    if _is_stream(path):
        return
    if path.is_dir():
        raise AlignError(f"cannot write {path}: it is a directory")
    if path.is_file() and not path.is_symlink():  # a link is replaced itself, never what it points to
        for source in inputs:
            if same_file(path, source):
                raise AlignError(f"cannot write {path}: it is an input of this command; name another output")
        if _starts_with(path, _SQLITE_MAGIC):
            raise AlignError(f"cannot write {path}: it is a database (an alignment project or a cache), "
                             "which an export never replaces; name another output")
    if path.is_symlink() and not force:
        raise AlignError(f"cannot write {path}: it is a symbolic link; --force replaces the link itself")
    directory = path.parent
    if not directory.exists():
        raise AlignError(f"cannot write {path}: directory {directory} does not exist")
    if not directory.is_dir():
        raise AlignError(f"cannot write {path}: {directory} is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise AlignError(f"cannot write {path}: directory {directory} is not writable")


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two paths name one existing file (a missing one is no file: reading it says so)."""
    try:
        return Path(b).is_file() and os.path.samefile(a, b)
    except OSError:
        return False


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(magic)) == magic
    except OSError:  # unreadable: replacing it fails later with its own message
        return False


def distinct_outputs(paths: Iterable[str | os.PathLike | None]) -> None:
    """Refuse two outputs of one command that name the same file: the second would silently replace the first."""
    seen: list[Path] = []
    for path in (Path(p) for p in paths if p is not None):
        if _is_stream(path):
            continue
        if any(path.resolve() == other.resolve() for other in seen):
            raise AlignError(f"{path} is named for two outputs of this command; name each its own file")
        seen.append(path)


def check_output_dir(folder: str | os.PathLike) -> None:
    """Create ``folder`` (and its parents) for outputs, or refuse it in one line."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise AlignError(f"cannot write into {folder}: it is not a directory") from None
    except OSError as exc:
        raise AlignError(f"cannot create {folder}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AlignError(f"cannot write into {folder}: directory is not writable")


def write_atomic(path: str | os.PathLike, write_fn: Callable[[BinaryIO], T], force: bool = False) -> T:
    """Call ``write_fn`` on a binary temp file beside ``path``, then rename it over ``path``.

    The temp file lives in the same directory so ``os.replace`` is atomic; it is
    removed on any error and on SIGTERM, so an interrupted export leaves no
    partial file. An existing file keeps its permissions. A character device or
    FIFO is written to directly (replacing ``/dev/null`` would break the system).
    ``force`` allows replacing a symbolic link (see ``check_output``).
    Returns what ``write_fn`` returns.
    """
    path = Path(path)
    check_output(path, force)
    if _is_stream(path):
        with open(path, "wb") as stream:
            return write_fn(stream)
    directory = path.parent
    tmp = directory / f".{path.name}.{secrets.token_hex(8)}.tmp"
    mode = _permissions(path)
    with _sigterm_as_exit():
        try:
            # os.open with 0o666 lets the umask decide the mode of a new file, as for a plain
            # open(); tempfile would leave the result readable by its owner only.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileNotFoundError:
            raise AlignError(f"cannot write {path}: directory {directory} does not exist") from None
        except PermissionError:
            raise AlignError(f"cannot write {path}: directory {directory} is not writable") from None
        except OSError as exc:
            raise AlignError(f"cannot write {path}: {exc.strerror}") from None
        try:
            with open(fd, "wb") as stream:
                if mode is not None:
                    os.fchmod(stream.fileno(), mode)
                result = write_fn(stream)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(tmp, path)
        except BaseException as exc:
            tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError):  # disk full, target is a directory, ...
                raise AlignError(f"cannot write {path}: {exc.strerror or exc}") from exc
            raise
    _fsync_directory(directory)
    return result


def _permissions(path: Path) -> int | None:
    """The permission bits of an existing regular file (not set-id bits: the writer may be someone else)."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return None
    return mode & 0o777 if stat.S_ISREG(mode) else None


def _is_stream(path: Path) -> bool:
    """Whether ``path`` (followed through links) is a character device or a FIFO."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; some file systems cannot sync a directory, which is no error."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _sigterm_as_exit():
    """SIGTERM raises SystemExit while the temp file exists, so that ``write_atomic`` removes it.

    Only where the default action (die at once) is in force and only in the
    main thread, where Python runs signal handlers; the old handler is back after.
    """
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def exit_(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, exit_)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
