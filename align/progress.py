"""Progress bars on stderr, shown only to a person at a terminal."""
from __future__ import annotations

import sys

from tqdm.auto import tqdm


def progress(total: int, desc: str, unit: str = "it"):
    """A tqdm bar that stays silent in pipes, CI and tests, and for tiny jobs."""
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
                disable=not sys.stderr.isatty() or total < 200)
