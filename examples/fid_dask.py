"""liblosses past one machine: FID statistics of many shards with dask.distributed.

Each partition of a dask array of features is folded into its own FID statistics by liblosses
(count, mean and co-moment in double), the partial statistics are merged pairwise in a tree
(Chan's formula: exact up to round-off, in any order), and the distance is computed from the
merged statistics. The same statistics computed in one pass over all the features agree to
round-off; the script checks that and prints both distances.

Here the cluster is a LocalCluster of worker processes on this machine; pointed at a real
scheduler (Client("tcp://...")) the same code spreads the shards over many machines, with only
the D + D^2 doubles of each shard's statistics travelling back.

Run: make test-dask   (installs dask[distributed] into a venv), or
     PYTHONPATH=bindings/python python3 examples/fid_dask.py
"""
import numpy as np

import losses

D, ROWS, SHARDS = 64, 40_000, 16


def shard_statistics(block):
    """One partition's statistics: (count, mean, comoment), plain arrays (they pickle small)."""
    s = losses.FIDStatistics(block.shape[1]).update(block)
    return float(s.count), s.mean, s.comoment


def merge(a, b):
    s = losses.FIDStatistics(a[1].shape[0])
    s.count[()], s.mean[:], s.comoment[:] = a
    losses.fid_statistics_merge(s.count, s.mean, s.comoment, b[0], b[1], b[2])
    return float(s.count), s.mean, s.comoment


def distributed_statistics(client, features):
    """Maps the accumulation over the partitions, then merges the partial statistics in a tree."""
    import dask.array as da
    array = da.from_array(features, chunks=(features.shape[0] // SHARDS, features.shape[1]))
    partial = client.compute([__import__("dask").delayed(shard_statistics)(block)
                              for block in array.to_delayed().ravel()])
    partial = client.gather(partial)
    while len(partial) > 1:  # a tree: log2(shards) rounds
        partial = [merge(partial[i], partial[i + 1]) if i + 1 < len(partial) else partial[i]
                   for i in range(0, len(partial), 2)]
    return partial[0]


def covariance(stats):
    count, mean, comoment = stats
    return mean, comoment / (count - 1)


def main(workers=2):
    from dask.distributed import Client, LocalCluster
    rng = np.random.default_rng(7)
    mixing = rng.standard_normal((D, D)) / np.sqrt(D)
    real = (rng.standard_normal((ROWS, D)) @ mixing).astype(np.float32)
    fake = (rng.standard_normal((ROWS, D)) @ (mixing * 1.1) + 0.05).astype(np.float32)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        spread = [distributed_statistics(client, x) for x in (real, fake)]
    whole = [losses.FIDStatistics(D).update(x) for x in (real, fake)]
    for part, one in zip(spread, whole):
        assert part[0] == float(one.count)
        np.testing.assert_allclose(part[1], one.mean, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(part[2], one.comoment, rtol=1e-10, atol=1e-9)
    distributed = losses.fid_from_stats(*covariance(spread[0]), *covariance(spread[1]))
    one_pass = losses.fid_from_stats(whole[0].mean, whole[0].covariance(), whole[1].mean, whole[1].covariance())
    direct = losses.fid(real, fake)
    print(f"FID of {ROWS} x {D} features, {SHARDS} shards on {workers} dask workers: {distributed:.12g}")
    print(f"one pass over all the features:                         {one_pass:.12g}")
    print(f"losses.fid on the arrays:                               {direct:.12g}")
    assert abs(distributed - one_pass) <= 1e-9 * abs(one_pass)
    return distributed, one_pass


if __name__ == "__main__":
    main()
