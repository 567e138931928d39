"""The DAMSM rows of `make bench`: AttnGAN's words and sentence losses at its DAMSM batch size
(B = 48, cfg/DAMSM/bird.yml and coco.yml), D = 256, 17 x 17 regions, captions of up to 18 words
(the birds' WORDS_NUM), float32; value and value+gradient (w.r.t. both features) through
liblosses' Python call against AttnGAN's released code transcribed into torch
(Tests/vectors/attngan.py: the loop over captions of `words_loss`, `func_attention`, `sent_loss`),
run in float32 with autograd, as AttnGAN trains. Its value is checked against liblosses' first.

Run alone: python3 bench/damsm.py (prints the section)."""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "bindings", "python"))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "Tests", "vectors"))
import losses  # noqa: E402
import tables  # noqa: E402  (bench/tables.py: the times and targets tables every section prints)

try:
    import torch
    from attngan import attngan_per_sample, attngan_sent_scores, attngan_words_scores
except ImportError:
    torch = None

B, D, R, T = 48, 256, 17 * 17, 18
GAMMAS = (4.0, 5.0, 10.0)


def _inputs(rng):
    return dict(img_features=rng.standard_normal((B, D, R)).astype(np.float32),
                words_emb=rng.standard_normal((B, D, T)).astype(np.float32),
                img_global=rng.standard_normal((B, D)).astype(np.float32),
                sent_emb=rng.standard_normal((B, D)).astype(np.float32),
                cap_lens=rng.integers(5, T + 1, size=B), class_ids=rng.integers(0, 200, size=B))


def _cases(a):
    """{loss: {peer: (value call, value+gradient call)}}."""
    cases = {
        "damsm_words_loss": {"liblosses": (
            lambda: losses.damsm_words_loss(a["img_features"], a["words_emb"], a["cap_lens"], a["class_ids"]),
            lambda: losses.damsm_words_loss(a["img_features"], a["words_emb"], a["cap_lens"], a["class_ids"],
                                            return_grad=True))},
        "damsm_sentence_loss": {"liblosses": (
            lambda: losses.damsm_sentence_loss(a["img_global"], a["sent_emb"], a["class_ids"]),
            lambda: losses.damsm_sentence_loss(a["img_global"], a["sent_emb"], a["class_ids"], return_grad=True))},
    }
    if torch is None:
        return cases
    g1, g2, g3 = GAMMAS
    v, e = (torch.from_numpy(a[k]).clone().requires_grad_(True) for k in ("img_features", "words_emb"))
    x, y = (torch.from_numpy(a[k]).clone().requires_grad_(True) for k in ("img_global", "sent_emb"))
    words = lambda: attngan_per_sample(attngan_words_scores(v, e, a["cap_lens"], a["class_ids"], g1, g2, g3)).mean()
    sentence = lambda: attngan_per_sample(attngan_sent_scores(x, y, a["class_ids"], g3)).mean()

    def backward(value, leaves):
        for leaf in leaves:
            leaf.grad = None
        value().backward()

    def no_grad(value):
        with torch.no_grad():
            return value()

    for loss, value, leaves in (("damsm_words_loss", words, (v, e)), ("damsm_sentence_loss", sentence, (x, y))):
        # float32 torch against liblosses (double inside, rounded once): a few 1e-6 relative.
        got, expected = float(no_grad(value)), float(cases[loss]["liblosses"][0]())
        assert abs(got - expected) <= 1e-4 * max(1.0, abs(expected)), (loss, got, expected)
        cases[loss]["AttnGAN (torch)"] = (lambda value=value: no_grad(value),
                                          lambda value=value, leaves=leaves: backward(value, leaves))
    return cases


def rows(median_seconds, budget, rng):
    """[{loss, shape, grad, liblosses, liblosses 1 thread, AttnGAN (torch)}] in seconds (None where
    torch is not installed)."""
    result = []
    for loss, cases in _cases(_inputs(rng)).items():
        shape = f"B={B} D={D} R={R} T≤{T}" if loss == "damsm_words_loss" else f"B={B} D={D}"
        for grad in (0, 1):
            row = dict(loss=loss, dtype="float32", shape=shape, grad=grad)
            for name in ("liblosses", "AttnGAN (torch)"):
                row[name] = median_seconds(cases[name][grad], budget) if name in cases else None
            threads = losses.get_num_threads()
            losses.set_num_threads(1)
            try:
                row["liblosses 1 thread"] = median_seconds(cases["liblosses"][grad], budget)
            finally:
                losses.set_num_threads(threads)
            row["threads"] = threads
            result.append(row)
    return result


def report(rows, fmt):
    """The Markdown section: times and ratios against the released code in torch."""
    torch_threads = f"{torch.get_num_threads()} threads" if torch is not None else "not installed"
    lines = ["", "## DAMSM (AttnGAN)", "",
             f"damsm_words_loss and damsm_sentence_loss at AttnGAN's DAMSM batch (B = {B}), class ids drawn from "
             "200 classes, float32: value, and value+gradient w.r.t. both features, through liblosses' Python call "
             "against AttnGAN's released code (its loop over captions) in float32 torch with autograd "
             f"({torch_threads}), whose value is checked against liblosses' before it is timed. liblosses computes "
             "every attention map in double, on every core; the gradient pass computes each pair's maps again. "
             "Ratios above 1 mean liblosses is faster.", ""]
    lines += tables.times(rows, fmt, ["AttnGAN (torch)"], extra=["liblosses 1 thread"])
    return lines


if __name__ == "__main__":
    import run  # bench/run.py: the timer and the format of every section

    print("\n".join(report(rows(run.median_seconds, 0.3, np.random.default_rng(7)), run.fmt)))
