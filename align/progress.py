"""Progress bars on stderr, shown only to a person at a terminal."""
from __future__ import annotations

import sys

from tqdm.auto import tqdm

# Items under which a job is over before a bar would help.
MIN_TOTAL = 200


def shown(total: int | None, min_total: int = MIN_TOTAL) -> bool:
    """Bars are for a person at a terminal, and only for jobs long enough to wait on (or of unknown length)."""
    return sys.stderr.isatty() and (total is None or total >= min_total)


def progress(total: int | None, desc: str, unit: str = "it", min_total: int = MIN_TOTAL):
    """A tqdm bar that stays silent in pipes, CI and tests, and for tiny jobs."""
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
                disable=not shown(total, min_total))
