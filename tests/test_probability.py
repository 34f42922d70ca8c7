"""Bead probabilities as a user meets them: bands, --min-score, expected errors."""
import pytest
from conftest import make_document

from align.errors import AlignError
from align.pairing import probability
from align.types import Alignment, Bead


def test_bands_and_marks_share_one_scale():
    assert [probability.band(p) for p in (1.0, 0.9, 0.899, 0.5, 0.49, 0.0, float("nan"))] == [
        "high", "high", "medium", "medium", "low", "low", "low"]
    assert [probability.mark(p) for p in (0.95, 0.6, 0.1)] == ["🟢", "🟡", "🔴"]
    names, colours = probability.colours()
    assert names == ["high", "medium", "low"] and len(colours) == 3


def test_expected_errors_and_the_confirm_message():
    assert probability.expected_errors([1.0, 0.9, 0.8]) == pytest.approx(0.3)
    assert probability.confirm_message([0.99] * 200 + [0.9] * 12) == (
        "Confirms 212 beads; expect about 3 errors among them.")
    assert probability.confirm_message([0.2]) == "Confirms 1 bead; expect about 1 error among them."
    assert probability.confirm_message([0.99, 0.98]) == "Confirms 2 beads; expect less than one error among them."
    assert probability.confirm_message([]) == "Confirms no bead."


def test_at_least_and_what_it_reports():
    doc = make_document("d", ["A.", "B.", "C."], "en")
    alignment = Alignment(doc, doc, [Bead((0,), (0,), 0.95), Bead((1,), (1,), 0.5), Bead((2,), (2,), 0.9)])
    assert [b.src for b in probability.at_least(alignment, 0.9).beads] == [(0,), (2,)]
    assert len(alignment.beads) == 3  # the original is left as it was
    assert probability.kept_message(412, 430, 0.9) == "kept 412 of 430 beads at probability ≥ 0.90; 18 left out"
    assert probability.kept_message(0, 1, 0.999) == "kept 0 of 1 bead at probability ≥ 0.999; 1 left out"
    assert probability.reviewed(0.2, "confirmed") == 1.0 and probability.reviewed(0.99, "rejected") == 0.0
    assert probability.check(0) == 0.0 and probability.check(1) == 1.0
    for bad in (1.01, -0.1, float("nan")):
        with pytest.raises(AlignError, match="between 0 and 1"):
            probability.check(bad)
