"""examples/fid_dask.py on a LocalCluster: shards' statistics merged equal the one-pass result.
Runs where dask.distributed is installed (make test-dask makes a venv with it)."""
import os
import sys

import pytest

pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed: make test-dask runs this")

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))


def test_sharded_statistics_equal_one_pass():
    import fid_dask
    distributed, one_pass = fid_dask.main(workers=2)
    assert distributed == pytest.approx(one_pass, rel=1e-9)
