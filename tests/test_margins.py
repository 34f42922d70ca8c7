"""Blocked margin scores agree with the dense computation they replace."""
import numpy as np

from align.mining import margins
from align.mining.margins import MarginTable, neighbourhood, top_similarities


def _unit(rows: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(rows, 16)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_blocked_results_equal_dense(monkeypatch):
    monkeypatch.setattr(margins, "BLOCK_ROWS", 3)
    a, b, c = _unit(11, 1), _unit(7, 2), _unit(5, 3)
    dense = a @ b.T
    assert np.allclose(top_similarities(a, b, 4), -np.sort(-dense, axis=1)[:, :4], atol=1e-6)
    knn_a, knn_b = neighbourhood(a, b, [c], 4), neighbourhood(b, a, [c], 4)
    table = MarginTable(a, b, knn_a, knn_b)
    margin = dense / ((knn_a[:, None] + knn_b[None, :]) / 2)
    expected = [(i, int(j), float(margin[i, j])) for i, j in enumerate(margin.argmax(axis=1))
                if margin[:, j].argmax() == i]
    got = table.mutual_links(threshold=-10)
    assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in expected]
    assert np.allclose([m for *_, m in got], [m for *_, m in expected], atol=1e-5)


def test_translations_stand_out():
    a = _unit(6, 4)
    b = a[[2, 0, 1, 5, 4, 3]] + 0.1 * _unit(6, 5)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    table = MarginTable(a, b, neighbourhood(a, b, [], 2), neighbourhood(b, a, [], 2))
    assert {(i, j) for i, j, _ in table.mutual_links(1.0)} == {(2, 0), (0, 1), (1, 2), (5, 3), (4, 4), (3, 5)}


def test_tiny_languages_are_padded():
    a, b = _unit(3, 6), _unit(1, 7)
    knn = neighbourhood(a, b, [], 4)
    assert np.allclose(knn, (a @ b.T)[:, 0])


def test_best_among_some_rows_and_columns():
    """Two neighbouring passages: a pair may be each other's best there while a look-alike elsewhere wins."""
    a = _unit(4, 8)
    b = np.concatenate([a[[1, 0]], a[[0]] * 0.6 + _unit(1, 9) * 0.4, _unit(2, 10)])
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    table = MarginTable(a, b, neighbourhood(a, b, [], 2), neighbourhood(b, a, [], 2))
    assert (0, 2) not in {(i, j) for i, j, _ in table.mutual_links(-10)}
    assert (0, 2) in {(i, j) for i, j, _ in table.mutual_links(-10, rows=[0, 3], cols=[2, 3, 4])}


def test_strangers_fill_a_neighbourhood_of_too_few_sentences_and_no_other():
    a, b, strangers = _unit(1, 4), _unit(1, 5), _unit(6, 6)
    alone = neighbourhood(a, b, [], 4)
    assert np.allclose(alone, a @ b.T)  # its only neighbour is the one sentence it faces: a margin of 1
    filled = neighbourhood(a, b, [], 4, strangers)  # the 4 nearest of the one sentence and the strangers
    assert np.allclose(filled, np.sort(np.append((a @ strangers.T)[0], (a @ b.T)[0, 0]))[::-1][:4].mean())
    many = _unit(5, 7)
    assert np.allclose(neighbourhood(a, many, [], 4, strangers), neighbourhood(a, many, [], 4))  # enough already
