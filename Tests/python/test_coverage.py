"""docs/coverage.md, the table of other libraries' losses and the liblosses entry for each, is
hand-written; this test keeps its claims true. Every liblosses name it gives must be a function of
include/losses.h (or one of the names of PENDING, being added on other branches of the same
issue); every loss of an installed copy of a listed library must have its row; and the summary
counts (in the page and in README.md) must be the page's own."""
import importlib
import inspect
import os
import re

import pytest

from header import losses as header_losses
from pytorch_set import is_functional_loss

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PAGE = os.path.join(ROOT, "docs", "coverage.md")
README = os.path.join(ROOT, "README.md")
# Names the page may claim before their branches are merged (issue 15). Once a name is in the
# header, test_pending_names_are_not_yet_in_the_header asks for it to be removed from here.
PENDING: set = set()
NONE = "—"
# What a library's module holds besides losses (the page says so under each table).
NOT_LOSSES = {"optax.losses": {"smooth_labels", "make_fenchel_young_loss"},
              "pytorch_metric_learning.losses": {"BaseLossWrapper", "BaseMetricLossFunction", "CrossBatchMemory",
                                                 "EmbeddingRegularizerMixin", "GenericPairLoss", "MultipleLosses",
                                                 "SelfSupervisedLoss", "WeightRegularizerMixin"},
              "kornia.losses": {"one_hot"}}


def sections():
    """{library: [(their names, our names)]}, one entry per table row of the page."""
    result, current = {}, None
    with open(PAGE, encoding="utf-8") as f:
        for line in f:
            heading = re.match(r"^## (.+?)\s*$", line)
            if heading:
                current = result.setdefault(heading.group(1), [])
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
            if current is None or len(cells) < 3 or set(cells[0]) <= {"-"} or not cells[0].startswith("`"):
                continue
            theirs = re.findall(r"`([^`]+)`", cells[0])
            ours = [] if cells[1] == NONE else re.findall(r"`([^`]+)`", cells[1])
            assert ours or cells[1] == NONE, f"{line.strip()}: the liblosses column must name functions or be {NONE}"
            current.append((theirs, ours))
    return result


SECTIONS = sections()


def counts(library):
    rows = SECTIONS[library]
    return sum(len(t) for t, _ in rows), sum(len(t) for t, o in rows if o)


def test_every_claimed_name_is_a_function_of_the_header():
    known = set(header_losses()) | PENDING
    for library, rows in SECTIONS.items():
        for theirs, ours in rows:
            for name in ours:
                assert name in known, f"{library} {theirs}: {name} is not in include/losses.h"


def test_pending_names_are_not_yet_in_the_header():
    merged = PENDING & set(header_losses())
    assert not merged, f"{sorted(merged)} are in include/losses.h now: remove them from PENDING"


def test_no_library_row_is_listed_twice():
    for library, rows in SECTIONS.items():
        names = [n for theirs, _ in rows for n in theirs]
        assert len(names) == len(set(names)), library


def _summary_rows(path):
    """{library: (listed, covered)} from a summary table: | `library` | listed | covered | ..."""
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\| \[?`([^`]+)`\]?[^|]* \| (\d+) \| (\d+) \|", line)
            if m:
                rows[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return rows


@pytest.mark.parametrize("path", [PAGE, README])
def test_the_summary_counts_are_the_pages_own(path):
    summary = _summary_rows(path)
    assert set(summary) == set(SECTIONS), (path, sorted(summary))
    for library, (listed, covered) in summary.items():
        assert (listed, covered) == counts(library), (path, library)


def _installed(module, select):
    try:
        m = importlib.import_module(module)
    except Exception:  # not installed here (or its backend is missing): nothing to compare
        pytest.skip(f"{module} is not importable")
    return {n for n in dir(m) if not n.startswith("_") and select(n, getattr(m, n))}


# The losses each installed library has, as the page lists them.
INSTALLED = {
    "torch.nn.functional": ("torch.nn.functional", is_functional_loss),
    "torchvision.ops": ("torchvision.ops", lambda n, v: inspect.isfunction(v) and n.endswith("_loss")),
    "optax.losses": ("optax.losses", lambda n, v: callable(v)),
    "keras.losses": ("keras.losses", lambda n, v: inspect.isclass(v) and n not in ("Loss", "Reduction")),
    "pytorch_metric_learning.losses": ("pytorch_metric_learning.losses", lambda n, v: inspect.isclass(v)),
    "kornia.losses": ("kornia.losses", lambda n, v: inspect.isfunction(v)),
}


@pytest.mark.parametrize("library", sorted(INSTALLED))
def test_every_loss_of_an_installed_library_has_its_row(library):
    module, select = INSTALLED[library]
    listed = {n for theirs, _ in SECTIONS[library] for n in theirs}
    missing = _installed(module, select) - listed - NOT_LOSSES.get(library, set())
    assert not missing, f"{library} has {sorted(missing)}, which docs/coverage.md does not list"


def test_the_torchmetrics_rows_name_its_metrics():
    names = {n for theirs, _ in SECTIONS["torchmetrics"] for n in theirs}
    available = _installed("torchmetrics", lambda n, v: inspect.isclass(v))
    for sub in ("image", "regression", "segmentation", "retrieval", "classification"):
        available |= _installed(f"torchmetrics.{sub}", lambda n, v: inspect.isclass(v))
    # FID, IS and KID need torch-fidelity to be importable from torchmetrics.image.
    unknown = names - available - {"FrechetInceptionDistance", "InceptionScore", "KernelInceptionDistance"}
    assert not unknown, sorted(unknown)
