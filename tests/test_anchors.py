"""Numbers, names and brackets both versions write alike, counted per sentence for the aligner."""
import numpy as np

from align.pairing.anchors import BUCKETS, bracket_depths, sentence_anchors


def _anchors(counts: np.ndarray) -> list[int]:
    return [int(row.sum()) for row in counts]


def test_numbers_by_value_and_names_both_sides_share():
    src = ["In 1849 Reinagl climbed 8839 m.", "The team rested.", "Reinagl left on 12 July."]
    tgt = ["En 1849, Reinagl grimpa 8 839 m.", "L'équipe se reposa le 12 juillet.", "Reinagl partit."]
    counts = sentence_anchors(src, tgt)
    assert counts is not None and counts[0].shape == (3, BUCKETS)
    # 1849 and Reinagl on both sides; 8839 is written 8 839 in French (two numbers, neither shared); 12 is shared.
    assert _anchors(counts[0]) == [2, 0, 2]
    assert _anchors(counts[1]) == [2, 1, 1]


def test_the_same_value_in_another_script_is_the_same_anchor():
    src_counts, tgt_counts = sentence_anchors(["حضر ٢٥ شخصا"], ["25 people came"])
    assert src_counts.sum() == tgt_counts.sum() == 1
    assert np.array_equal(src_counts, tgt_counts)


def test_common_words_and_single_digits_anchor_nothing():
    # "Para" opens a sentence in both languages but is written in lower case too: a word, not a name.
    # Single digits recur everywhere.
    src = ["Para ella, 3 libros.", "Es para mí."]
    tgt = ["Para ela, 3 livros.", "É para mim."]
    assert sentence_anchors(src, tgt) is None
    assert sentence_anchors(["Alone 1999."], ["Seul."]) is None  # found on one side only
    assert sentence_anchors([], ["Seul."]) is None


def test_documents_give_their_anchors_to_the_aligner():
    from align.pairing.pipeline import document_from_text, text_evidence

    src = document_from_text("Die Expedition erreichte 1953 den Gipfel. Hermann Buhl stieg allein auf.", lang="de")
    tgt = document_from_text("L'expédition atteignit le sommet en １９５３. Hermann Buhl monta seul.", lang="fr")
    evidence = text_evidence(src, tgt)
    assert evidence.paragraphs is None  # one paragraph a side: no paragraph evidence
    src_counts, tgt_counts = evidence.anchors
    # 1953 (full-width in the French: anchors are read from the scoring text) in the first sentences, Hermann and
    # Buhl in the second; the capitalised German words (Die, Expedition, Gipfel) the French does not write.
    assert [int(r.sum()) for r in src_counts] == [1, 2] and [int(r.sum()) for r in tgt_counts] == [1, 2]


def test_a_number_too_long_for_int_is_still_an_anchor():
    digits = "9" * 5000  # int() refuses strings of over 4,300 digits
    src_counts, tgt_counts = sentence_anchors([f"Code {digits}."], [f"Kod ٠{digits}."])
    assert src_counts.sum() == tgt_counts.sum() == 1


def test_brackets_left_open_are_counted_per_sentence():
    # A citation split over three sentences, as Text+Berg's hand segmentation splits it: the first opens the
    # bracket, the last closes it; full-width and square brackets count as parentheses.
    src = ["Darüber berichtete Davies ( « Alpine Journal » No .", "293 , Nov .", "1956 , S. 340-343 ) .",
           "Gut (sehr) ."]
    tgt = ["L' Alpine Journal （ n° 293 , novembre 1956 ） a publié [ une relation .", "] Fin ."]
    src_depth, tgt_depth = bracket_depths(src, tgt)
    assert src_depth.tolist() == [1, 0, -1, 0]
    assert tgt_depth.tolist() == [1, -1]


def test_brackets_a_translator_adds_inside_a_sentence_say_nothing():
    src = ["Rangers host Rapid Vienna on Thursday.", "Simpson, 20, was arrested."]
    tgt = ["«Рейнджерс» примут «Рапид» (Вена) в четверг.", "Симпсон（20岁）被捕。"]
    assert bracket_depths(src, tgt) is None
    assert bracket_depths([], []) is None
    # One side open is evidence enough: the other side is all balanced, which a link must then match.
    src_depth, tgt_depth = bracket_depths(["Ein ( Satz .", "Ende ) ."], ["Une phrase .", "Fin ."])
    assert src_depth.tolist() == [1, -1] and tgt_depth.tolist() == [0, 0]


def test_documents_give_their_brackets_to_the_aligner():
    from align.pairing.pipeline import document_from_text, text_evidence

    src = document_from_text("Die Route (siehe Karte. Sie führt über den Grat) ist lang. Wir stiegen ab.", lang="de")
    tgt = document_from_text("La route (voir la carte. Elle passe par l'arête) est longue. Nous descendîmes.",
                             lang="fr")
    src_depth, tgt_depth = text_evidence(src, tgt).brackets
    assert src_depth.tolist() == tgt_depth.tolist() == [1, -1, 0]
