"""damsm_loss, the Python pair of AttnGAN's two DAMSM losses: it returns exactly what the two
header entries return, takes AttnGAN's (N, D, 17, 17) region maps as they come, and refuses
features whose batch or width disagree before calling the library."""
import numpy as np
import pytest

import losses


def _batch(rng, n=4, d=5, h=3, w=3, t=4):
    return dict(img_features=rng.normal(size=(n, d, h, w)), img_global=rng.normal(size=(n, d)),
                words_emb=rng.normal(size=(n, d, t)), sent_emb=rng.normal(size=(n, d)),
                cap_lens=np.array([4, 1, 3, 2][:n]))


def test_the_pair_is_the_two_entries():
    a = _batch(np.random.default_rng(1))
    classes = np.array([0, 1, 0, 2])
    (w, s), (gv, gx, ge, gy) = losses.damsm_loss(**a, class_ids=classes, gamma1=5.0, return_grad=True)
    w_want, (gv_want, ge_want) = losses.damsm_words_loss(a["img_features"].reshape(4, 5, 9), a["words_emb"],
                                                         a["cap_lens"], classes, gamma1=5.0, return_grad=True)
    s_want, (gx_want, gy_want) = losses.damsm_sentence_loss(a["img_global"], a["sent_emb"], classes, return_grad=True)
    assert w == w_want and s == s_want
    assert gv.shape == a["img_features"].shape  # the (N, D, H, W) maps keep their shape
    np.testing.assert_array_equal(gv.reshape(4, 5, 9), gv_want)
    for got, want in ((gx, gx_want), (ge, ge_want), (gy, gy_want)):
        np.testing.assert_array_equal(got, want)
    assert losses.damsm_loss(**a, class_ids=classes, gamma1=5.0) == (w, s)


def test_mismatched_features_are_refused():
    a = _batch(np.random.default_rng(2))
    with pytest.raises(ValueError, match="same N and D"):
        losses.damsm_words_loss(a["img_features"], a["words_emb"][:, :4], a["cap_lens"])
    with pytest.raises(ValueError, match="same N and D"):
        losses.damsm_words_loss(a["img_features"][:3], a["words_emb"], a["cap_lens"])
    with pytest.raises(ValueError, match="both be"):
        losses.damsm_sentence_loss(a["img_global"], a["sent_emb"][:, :4])
    with pytest.raises(ValueError, match="cap_lens"):
        losses.damsm_words_loss(a["img_features"], a["words_emb"], a["cap_lens"][:3])
    with pytest.raises(TypeError, match="integers"):
        losses.damsm_words_loss(a["img_features"], a["words_emb"], a["cap_lens"].astype(float))
    with pytest.raises(ValueError, match=r"cap_lens\[1\] = 5 is out of range"):
        losses.damsm_words_loss(a["img_features"], a["words_emb"], [4, 5, 1, 1])
