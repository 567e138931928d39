"""r_precision's Python surface beyond the vectors: bool relevance, refused shapes and dtypes,
the tie rule's consequence, and out=."""
import numpy as np
import pytest

import losses


def test_bool_and_integer_relevance_agree():
    rng = np.random.default_rng(3)
    s, rel = rng.normal(size=(5, 6)), rng.uniform(size=(5, 6)) < 0.4
    assert np.array_equal(losses.r_precision(s, rel, reduction="none"),
                          losses.r_precision(s, rel.astype(np.int8), reduction="none"), equal_nan=True)


def test_a_tie_ranks_the_lower_index_first():
    # Candidate 1 is relevant and tied with candidate 0: candidate 0 takes the one place.
    assert losses.r_precision([[1.0, 1.0, 0.0]], [[0, 1, 0]]) == 0.0
    assert losses.r_precision([[1.0, 1.0, 0.0]], [[1, 0, 0]]) == 1.0


def test_refused():
    s = np.zeros((2, 3))
    with pytest.raises(ValueError, match="relevance shape"):
        losses.r_precision(s, np.zeros((2, 2), bool))
    with pytest.raises(ValueError, match="scores must be"):
        losses.r_precision(np.zeros(3), np.zeros(3, bool))
    with pytest.raises(TypeError, match="bool or integers"):
        losses.r_precision(s, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="0 or 1"):
        losses.r_precision(s, [[0, 1, 0], [0, -1, 0]])


def test_out():
    out = np.full(2, 7.0)
    r = losses.r_precision([[0.3, 0.1], [0.0, 0.2]], [[1, 0], [0, 0]], reduction="none", out=out)
    assert r is out and out[0] == 1.0 and np.isnan(out[1])


def test_embeddings_is_r_precision_of_the_cosines():
    rng = np.random.default_rng(4)
    image, text = rng.normal(size=(6, 3)), rng.normal(size=(6, 5, 3))
    cos = losses.cosine_similarity(np.repeat(image, 5, 0), text.reshape(-1, 3), reduction="none").reshape(6, 5)
    relevance = np.zeros((6, 5), bool)
    relevance[:, 0] = True
    np.testing.assert_array_equal(losses.r_precision_embeddings(image, text, reduction="none"),
                                  losses.r_precision(cos, relevance, reduction="none"))


def test_embeddings_tie_with_the_true_caption_is_a_hit():
    image = np.array([[1.0, 0.0]])
    text = np.array([[[1.0, 0.0], [1.0, 0.0]]])  # caption 1 equals caption 0
    assert losses.r_precision_embeddings(image, text) == 1.0


def test_embeddings_refused():
    with pytest.raises(ValueError, match="text \\(N, K, D\\)"):
        losses.r_precision_embeddings(np.zeros((2, 3)), np.zeros((2, 4, 2)))
    with pytest.raises(ValueError, match="text \\(N, K, D\\)"):
        losses.r_precision_embeddings(np.zeros((2, 3)), np.zeros((3, 4, 3)))
    with pytest.raises(ValueError, match="eps"):
        losses.r_precision_embeddings(np.ones((2, 3)), np.ones((2, 4, 3)), eps=-1.0)
