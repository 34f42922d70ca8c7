"""Many document pairs at once: a streamed list of pairs in, one output and one manifest line per pair out.

``jobs`` says which pairs to align and where each output goes, ``work`` aligns
one pair wherever it runs, ``manifest`` records what is done (so a run can be
resumed), ``engines`` runs the pairs in this process or on a Ray cluster, and
``report`` sums a run up.
"""
