"""Errors the user can act on. The CLI prints their message on one line."""


class AlignError(Exception):
    """Base class: a failure the user can fix; exit status 1."""

    exit_code = 1


class InputError(AlignError):
    """The input cannot be read as text (empty, binary, undecodable, too large)."""


class ModelError(AlignError):
    """The requested encoder cannot be loaded."""


class FormatError(AlignError):
    """A file in a structured format (TMX, beads) is malformed or unsafe."""


def describe_failure(exc: BaseException) -> str:
    """One line naming the file and the cause of an OS or database failure, for the user."""
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return f"database error: {exc}"
