"""What a bead's probability means to a user: colour bands, thresholds, expected errors.

``Bead.score`` is the probability that a bead is exactly right (the same
sentences on both sides). Everything that turns it into a decision lives
here, so the command line, the workbench, its map and re-alignment use one
scale: ``--min-score`` keeps beads at or above a probability, the workbench
colours beads green at ``HIGH`` or more and yellow at ``MEDIUM`` or more,
and re-alignment leaves alone what was ``HIGH`` and untouched.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

from align.errors import AlignError
from align.types import Alignment

HIGH = 0.9    # green: most likely right; re-alignment keeps such untouched beads
MEDIUM = 0.5  # yellow from here up to HIGH; red below
BANDS = (("high", HIGH, "🟢", "#2e9d4f"), ("medium", MEDIUM, "🟡", "#e6b400"), ("low", 0.0, "🔴", "#d43d2a"))


def band(p: float) -> str:
    """``high`` (≥ HIGH), ``medium`` (≥ MEDIUM) or ``low``."""
    return next(name for name, floor, _, _ in BANDS if p >= floor) if p >= 0 else "low"


def mark(p: float) -> str:
    """The band's coloured mark (🟢, 🟡, 🔴)."""
    return next(m for name, _, m, _ in BANDS if name == band(p))


def colours() -> tuple[list[str], list[str]]:
    """Band names and their colours, high first, for a chart's colour scale."""
    return [name for name, *_ in BANDS], [colour for *_, colour in BANDS]


def check(p: float, what: str = "--min-score") -> float:
    """``p`` if it is a probability, else an ``AlignError`` naming ``what``."""
    if not (isinstance(p, (int, float)) and math.isfinite(p) and 0.0 <= p <= 1.0):
        raise AlignError(f"{what} must be a probability between 0 and 1, not {p!r}")
    return float(p)


def reviewed(score: float, status: str = "automatic") -> float:
    """The probability a bead is right once a person has decided: 1 if confirmed, 0 if rejected."""
    return 1.0 if status == "confirmed" else 0.0 if status == "rejected" else score


def expected_errors(probabilities: Iterable[float]) -> float:
    """How many of these beads are expected to be wrong: the sum of (1 − p)."""
    return sum(1.0 - p for p in probabilities)


def confirm_message(probabilities: Iterable[float]) -> str:
    """What confirming these beads means, said before the user does it.

    ``Confirms 212 beads; expect about 3 errors among them``.
    """
    probabilities = list(probabilities)
    n, errors = len(probabilities), expected_errors(probabilities)
    if not n:
        return "Confirms no bead."
    beads = "bead" if n == 1 else "beads"
    if errors < 0.5:
        return f"Confirms {n} {beads}; expect less than one error among them."
    rounded = round(errors)
    return f"Confirms {n} {beads}; expect about {rounded} error{'s' if rounded != 1 else ''} among them."


def at_least(alignment: Alignment, min_score: float) -> Alignment:
    """The alignment with only the beads whose probability is at least ``min_score``."""
    return replace(alignment, beads=[b for b in alignment.beads if b.score >= min_score])


def kept_message(kept: int, total: int, min_score: float) -> str:
    """``kept 412 of 430 beads at probability ≥ 0.90; 18 left out``."""
    shown = f"{min_score:.2f}" if round(min_score, 2) == min_score else f"{min_score:g}"  # 0.999 is not 1.00
    return (f"kept {kept} of {total} bead{'s' if total != 1 else ''} at probability ≥ {shown}; "
            f"{total - kept} left out")
