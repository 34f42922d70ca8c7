"""Runs of one-sided beads told as one finding: a passage one version lacks."""
from align.pairing.passages import no_pair, one_sided_runs, report
from align.types import Bead


def _beads(shapes):
    """Beads of the given (source, target) sizes, numbering sentences on."""
    beads, i, j = [], 0, 0
    for a, b in shapes:
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
    return beads


def test_a_long_run_on_one_side_is_a_passage_that_side_has_alone():
    beads = _beads([(1, 1)] * 3 + [(1, 0)] * 6 + [(2, 1)] + [(0, 1)] * 2 + [(1, 1)])
    runs = one_sided_runs(beads)
    assert [(r.first_bead, r.last_bead, r.src, r.tgt) for r in runs] == [(3, 8, (3, 4, 5, 6, 7, 8), ())]
    assert runs[0].describe() == ("source sentences 4-9 (6) have no counterpart in the target (beads 4-9): "
                                  "a passage the target lacks?")
    assert one_sided_runs(beads, min_sentences=2)[1].describe(("en", "ru")) == (
        "ru sentences 5-6 (2) have no counterpart in the en (beads 11-12): a passage the en lacks?")


def test_a_run_with_both_sides_is_text_each_version_has_alone():
    beads = _beads([(1, 1), (1, 0), (1, 0), (0, 1), (0, 1), (0, 1), (1, 1)])
    (run,) = one_sided_runs(beads)
    assert (run.src, run.tgt) == ((1, 2), (1, 2, 3))
    assert run.describe(noun="row") == ("source sentences 2-3 (2) and target sentences 2-4 (3) have no counterpart "
                                        "(rows 2-6): text that only one version has, on each side")


def test_short_runs_and_linked_documents_say_nothing():
    assert one_sided_runs(_beads([(1, 1), (1, 0), (0, 1), (1, 1)] * 5)) == []
    assert one_sided_runs([]) == [] and report([]) == []


def test_a_run_at_either_end_counts_and_the_report_is_capped():
    beads = _beads([(0, 1)] * 5 + [(1, 1)] + [(1, 0)] * 5)
    assert [(r.first_bead, r.last_bead) for r in one_sided_runs(beads)] == [(0, 4), (6, 10)]
    many = _beads(([(1, 0)] * 5 + [(1, 1)]) * 13)
    lines = report(many, shown=10)
    assert len(lines) == 11 and lines[-1] == "and 3 more such runs"


def test_documents_that_share_next_to_nothing_are_said_to_be_no_pair_in_one_line():
    # 90% of each side alone, in runs between chance links: one line instead of a run per stretch.
    beads = _beads(([(1, 0)] * 9 + [(0, 1)] * 8 + [(1, 1)]) * 5)
    assert no_pair(beads) == ("45 of 50 source sentences and 40 of 45 target sentences have no counterpart: "
                              "the two documents do not seem to be translations of each other")
    assert report(beads) == [no_pair(beads)]
    assert no_pair(beads, ("a.txt", "b.txt")).startswith("45 of 50 a.txt sentences and 40 of 45 b.txt sentences")
    # A passage one version lacks, however long, leaves the other version linked: its run is told as before.
    lacking = _beads([(1, 1)] * 10 + [(1, 0)] * 60)
    assert no_pair(lacking) is None and report(lacking)[0].startswith("source sentences 11-70 (60)")
    # So does a document with two in five sentences of a side linked, and a few sentences alone.
    assert no_pair(_beads([(1, 0), (0, 1)] * 2 + [(1, 1)] * 3)) is None
    assert no_pair(_beads([(1, 0), (0, 1)] * 4)) is None


def test_a_review_tells_a_run_of_one_sided_units_once():
    from align.review.model import BeadReview
    from align.review.report import ReportCollector

    units = ([("a", "b")] * 3 + [("source only", "")] * 6 + [("a", "b")] + [("x", "")] * 2 + [("", "y")] * 3
             + [("a", "b")] + [("", "<i>z</i>")] * 4)
    collector = ReportCollector()
    for index, (src, tgt) in enumerate(units):
        collector.add(BeadReview(index, (), "ok", 1.0, {}), src, tgt)
    assert collector.lone_runs() == [
        "units 3-8 (6 in a row) have no target: a passage the target lacks?",
        "units 10-14 (5 in a row) have one side empty, 2 the target and 3 the source: text that only one side has, "
        "on each side"]
    collector.add(BeadReview(len(units), (), "ok", 1.0, {}), "", "w")  # the open run at the end counts too
    assert collector.lone_runs()[-1] == "units 16-20 (5 in a row) have no source: a passage the source lacks?"
    assert "<p class='major'>Units 3-8 (6 in a row) have no target" in collector.html("t")
