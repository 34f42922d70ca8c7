"""Progress bars on stderr, shown only to a person at a terminal."""
from __future__ import annotations

import sys

from tqdm.auto import tqdm


def shown(total: int) -> bool:
    """Bars are for a person at a terminal, and only for jobs long enough to wait on."""
    return sys.stderr.isatty() and total >= 200


def progress(total: int, desc: str, unit: str = "it"):
    """A tqdm bar that stays silent in pipes, CI and tests, and for tiny jobs."""
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False, disable=not shown(total))
