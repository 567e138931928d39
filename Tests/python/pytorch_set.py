"""Which names of torch.nn.functional are losses: those named *_loss and the five whose names say
otherwise. One rule for the coverage page's test and the PyTorch adapter's (neither imports torch
here)."""

NAMED_OTHERWISE = ("binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "kl_div",
                   "linear_cross_entropy")


def is_functional_loss(name, value):
    return not name.startswith("_") and callable(value) and (name.endswith("_loss") or name in NAMED_OTHERWISE)
