"""Write a file so that readers see the old file or the whole new one, never a part."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import BinaryIO, Callable, TypeVar

from align.errors import AlignError

T = TypeVar("T")


def write_atomic(path: str | os.PathLike, write_fn: Callable[[BinaryIO], T]) -> T:
    """Call ``write_fn`` on a binary temp file beside ``path``, then rename it over ``path``.

    The temp file lives in the same directory so ``os.replace`` is atomic; it is
    removed on any error, so an interrupted export leaves no partial file.
    Returns what ``write_fn`` returns.
    """
    path = Path(path)
    directory = path.parent
    tmp = directory / f".{path.name}.{secrets.token_hex(8)}.tmp"
    try:
        # os.open with 0o666 lets the umask decide the mode, as for a plain open();
        # tempfile would leave the result readable by its owner only.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileNotFoundError:
        raise AlignError(f"cannot write {path}: directory {directory} does not exist") from None
    except PermissionError:
        raise AlignError(f"cannot write {path}: directory {directory} is not writable") from None
    except OSError as exc:
        raise AlignError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with open(fd, "wb") as stream:
            result = write_fn(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):  # disk full, target is a directory, ...
            raise AlignError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise
    return result
