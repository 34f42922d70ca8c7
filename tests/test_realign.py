"""Re-alignment that never makes things worse: regions, keep_stable, the change list (handmade beads)."""
import pytest

from align.pairing.realign import describe, keep_stable, reconcile, regions
from align.project.bead_edits import BeadRow


def beads(*spec):
    """``([src], [tgt], score[, status[, note]])`` tuples as stored rows."""
    return [BeadRow(k + 1, k, tuple(s[0]), tuple(s[1]), s[2], *s[3:]) for k, s in enumerate(spec)]


def shape(rows):
    return [(list(r.src), list(r.tgt)) for r in rows]


def test_regions_run_between_shared_boundaries():
    old = beads(([0], [0], 0.9), ([1], [1], 0.9), ([2], [], 0.3), ([3], [2], 0.9))
    new = beads(([0], [0], 0.9), ([1, 2], [1], 0.8), ([3], [2], 0.9))
    assert [(r.old_start, r.old_stop, r.new_start, r.new_stop) for r in regions(old, new)] == [(1, 3, 1, 2)]
    assert regions(old, old) == []
    # Two disagreements that touch at a shared boundary are two regions.
    old = beads(([0], [], 0.5), ([], [0], 0.5), ([1, 2], [1], 0.5))
    new = beads(([0], [0], 0.9), ([1], [1], 0.9), ([2], [], 0.4))
    assert [(r.old_start, r.old_stop) for r in regions(old, new)] == [(0, 2), (2, 3)]
    with pytest.raises(ValueError):
        regions(old, new[:2])


def test_a_probable_one_to_one_stays_when_the_new_path_splits_it():
    old = beads(([0], [0], 0.97), ([1], [1], 0.95), ([2], [2], 0.4))
    new = beads(([0], [0], 0.97), ([1], [], 0.5), ([], [1], 0.5), ([2], [2], 0.6))
    kept = keep_stable(old, new)
    assert shape(kept) == [([0], [0]), ([1], [1]), ([2], [2])]
    assert kept[1] is old[1]  # the stored bead itself, with its id, score and similarity
    assert kept[2] is new[3]  # an unchanged bead comes from the new path (its fresh probability)


def test_a_clearly_better_new_path_wins():
    old = beads(([0], [0], 0.92), ([1], [1], 0.91), ([2], [2], 0.95))
    new = beads(([0, 1], [0, 1], 0.99), ([2], [2], 0.95))
    assert shape(keep_stable(old, new)) == [([0, 1], [0, 1]), ([2], [2])]
    # ... but only when clearly better: a margin asked for on the mean probability
    assert shape(keep_stable(old, new, better_by=0.1)) == shape(old)


def test_improbable_or_touched_old_beads_give_way():
    new = beads(([0, 1], [0], 0.6), ([2], [1], 0.9))
    low = beads(([0], [0], 0.7), ([1], [], 0.95), ([2], [1], 0.9))
    assert shape(keep_stable(low, new)) == shape(new)  # one of them under HIGH
    noted = beads(([0], [0], 0.95, "automatic", "check"), ([1], [], 0.95), ([2], [1], 0.9))
    assert shape(keep_stable(noted, new)) == shape(new)  # a person wrote a note: not untouched
    rejected = beads(([0], [0], 0.95, "rejected"), ([1], [], 0.95), ([2], [1], 0.9))
    assert shape(keep_stable(rejected, new)) == shape(new)
    assert not reconcile(rejected, new)[0].keep_old


def test_confirmed_beads_never_move():
    old = beads(([0], [0], 0.2, "confirmed"), ([1], [1], 0.3))
    new = beads(([0, 1], [0, 1], 0.99))
    choice, = reconcile(old, new)
    assert choice.keep_old and choice.reason == "confirmed"
    assert keep_stable(old, new) == old


def test_describe_lists_each_change_with_bead_numbers_as_before():
    old = beads(*[([k], [k], 0.9) for k in range(13)], ([13], [13], 0.5), ([14], [], 0.2), ([15], [14], 0.9))
    new = beads(*[([k], [k], 0.9) for k in range(13)], ([13, 14], [13], 0.8), ([15], [14], 0.9))
    assert describe(old, new) == ["beads 14-15: [13]:[13] + [14]:[] → [13, 14]:[13]"]
    assert describe(new, old) == ["bead 14: [13, 14]:[13] → [13]:[13] + [14]:[]"]
    assert describe(old, old) == []


def test_a_rejected_bead_the_new_path_finds_again_is_named():
    from align.pairing.realign import merge, report

    old = beads(([0], [0], 0.9), ([1], [1], 0.95, "rejected", "wrong"), ([2], [2], 0.3, "rejected"))
    new = beads(([0], [0], 0.9), ([1], [1], 0.9), ([2, 3], [2], 0.6))
    old.append(BeadRow(4, 3, (3,), (), 0.5))
    choices = reconcile(old, new)
    done = report(old, new, merge(old, new, choices), choices)
    # Bead 2 came back as it was (re-alignment holds confirmed beads, not rejected ones, and found nothing
    # better): said, where "nothing changed" let the reviewer believe the rejection had been acted on.
    assert done.rejected == ("bead 2 [1]:[1], which you rejected, is what the aligner finds again: correct it "
                             "by hand (split, merge, move a sentence)",)
    assert done.summary() == "1 change; 1 rejected bead found again as it was"
