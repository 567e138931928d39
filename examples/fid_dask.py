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


def make_shard(kind, index):
    """One shard of features, as a worker would load it (here: drawn from a seed of its own).
    kind 0 is "real", kind 1 "generated" (scaled and shifted)."""
    rng = np.random.default_rng([kind, index])
    mixing = np.random.default_rng(7).standard_normal((D, D)) / np.sqrt(D)
    x = rng.standard_normal((ROWS // SHARDS, D)) @ (mixing * (1.1 if kind else 1.0)) + (0.05 if kind else 0.0)
    return x.astype(np.float32)


def distributed_statistics(client, kind):
    """A dask array whose partitions are loaded on the workers; the accumulation mapped over the
    partitions, then the partial statistics merged in a tree."""
    import dask
    import dask.array as da
    shards = [da.from_delayed(dask.delayed(make_shard)(kind, i), (ROWS // SHARDS, D), np.float32)
              for i in range(SHARDS)]
    array = da.concatenate(shards)
    partial = client.gather(client.compute([dask.delayed(shard_statistics)(block)
                                            for block in array.to_delayed().ravel()]))
    while len(partial) > 1:  # a tree: log2(shards) rounds
        partial = [merge(partial[i], partial[i + 1]) if i + 1 < len(partial) else partial[i]
                   for i in range(0, len(partial), 2)]
    return partial[0]


def covariance(stats):
    count, mean, comoment = stats
    return mean, comoment / (count - 1)


def main(workers=2):
    from dask.distributed import Client, LocalCluster
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        spread = [distributed_statistics(client, kind) for kind in (0, 1)]
    # The same features in one process, for the one-pass statistics.
    real, fake = (np.concatenate([make_shard(kind, i) for i in range(SHARDS)]) for kind in (0, 1))
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
