"""liblosses benchmarks: liblosses through Python and through C (the raw call), NumPy and, when
installed, PyTorch CPU and JAX (jit, CPU), timed in one run on this machine, with the floors
measured in the same run: the read bandwidth of all cores together, and for compute-bound rows
the library's block math alone over the same elements. Writes a Markdown table of medians and
ratios and a targets table whose reasons come from each row's own numbers (make bench ->
bench/RESULTS.md).

Timing belongs here, never in a test. Usage: python3 bench/run.py [--out FILE] [--quick]
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
sys.path.insert(0, HERE)
import losses  # noqa: E402
import metric_learning  # noqa: E402  (bench/metric_learning.py)
import detection  # noqa: E402  (bench/detection.py)
import image_quality  # noqa: E402  (bench/image_quality.py)
import damsm  # noqa: E402  (bench/damsm.py)
import distributions  # noqa: E402  (bench/distributions.py)
import ctc  # noqa: E402  (bench/ctc.py)
import fid as fid_bench  # noqa: E402  (bench/fid.py)
import gemm as gemm_bench  # noqa: E402  (bench/gemm.py)

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

try:
    import jax
    jax.config.update("jax_enable_x64", True)  # float64 rows stay float64
    jax.config.update("jax_platforms", "cpu")
    import jax.numpy as jnp
except ImportError:
    jax = None

ELEMENTWISE_SIZES = [10, 10**6, 10**7]
CLASS_SHAPES = [(1, 10), (256, 10), (4096, 1000)]
DTYPES = {"float32": np.float32, "float64": np.float64}


def median_seconds(fn, budget=0.3):
    """Median time of one call. Fast calls are timed in batches so the clock's resolution and
    the loop's own cost do not dominate."""
    fn()
    start = time.perf_counter()
    fn()
    once = time.perf_counter() - start
    batch = max(1, int(2e-4 / max(once, 1e-9)))
    samples = []
    deadline = time.perf_counter() + budget
    while len(samples) < 7 or (time.perf_counter() < deadline and len(samples) < 2000):
        t0 = time.perf_counter()
        for _ in range(batch):
            fn()
        samples.append((time.perf_counter() - t0) / batch)
    return float(np.median(samples))


def elementwise_workloads(dtype, n, rng):
    x = (rng.standard_normal(n) * 2).astype(dtype)
    y = rng.standard_normal(n).astype(dtype)
    t = (rng.uniform(size=n) > 0.5).astype(dtype)
    cases = {
        "mse_loss": (lambda: losses.mse_loss(x, y), lambda: losses.mse_loss(x, y, return_grad=True),
                     lambda: np.mean((x - y) ** 2), lambda: (np.mean((x - y) ** 2), 2 * (x - y) / n)),
        "huber_loss": (
            lambda: losses.huber_loss(x, y), lambda: losses.huber_loss(x, y, return_grad=True),
            lambda: np.mean(np.where(np.abs(x - y) < 1, 0.5 * (x - y) ** 2, np.abs(x - y) - 0.5)),
            lambda: (np.mean(np.where(np.abs(x - y) < 1, 0.5 * (x - y) ** 2, np.abs(x - y) - 0.5)),
                     np.clip(x - y, -1, 1) / n)),
        "binary_cross_entropy_with_logits": (
            lambda: losses.binary_cross_entropy_with_logits(x, t),
            lambda: losses.binary_cross_entropy_with_logits(x, t, return_grad=True),
            lambda: np.mean(t * np.logaddexp(0, -x) + (1 - t) * np.logaddexp(0, x)),
            lambda: (np.mean(t * np.logaddexp(0, -x) + (1 - t) * np.logaddexp(0, x)),
                     (1 / (1 + np.exp(-x)) - t) / n)),
    }
    jax_cases = {}
    if jax is not None:
        xj, yj, tj = jnp.asarray(x), jnp.asarray(y), jnp.asarray(t)

        def huber(a, b):
            d = jnp.abs(a - b)
            return jnp.mean(jnp.where(d < 1, 0.5 * d * d, d - 0.5))

        def bcel(a, b):
            return jnp.mean(jnp.maximum(a, 0) - a * b + jnp.log1p(jnp.exp(-jnp.abs(a))))

        for name, fn, other in (("mse_loss", lambda a, b: jnp.mean((a - b) ** 2), yj), ("huber_loss", huber, yj),
                                ("binary_cross_entropy_with_logits", bcel, tj)):
            jax_cases[name] = jax_pair(fn, xj, other)
    torch_cases = {}
    if torch is not None:
        xt, yt, tt = torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(t)
        for name, fn, args in (("mse_loss", F.mse_loss, (yt,)), ("huber_loss", F.huber_loss, (yt,)),
                               ("binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits, (tt,))):
            xg = xt.clone().requires_grad_(True)

            def backward(fn=fn, args=args, xg=xg):
                xg.grad = None
                fn(xg, *args).backward()

            torch_cases[name] = (lambda fn=fn, args=args: fn(xt, *args), backward)
    prealloc = {name: lambda name=name, g=np.empty_like(x), other=(t if "entropy" in name else y):
                getattr(losses, name)(x, other, return_grad=True, grad_out=g) for name in cases}
    return cases, torch_cases, jax_cases, prealloc


def jax_pair(fn, *args):
    """(value, value and gradient w.r.t. the first argument), each jit-compiled and waited for."""
    value, both = jax.jit(fn), jax.jit(jax.value_and_grad(fn))
    return (lambda: value(*args).block_until_ready(),
            lambda: jax.block_until_ready(both(*args)))


def class_workloads(dtype, n, c, rng):
    x = rng.standard_normal((n, c)).astype(dtype)
    y = rng.integers(0, c, n)

    def numpy_value():
        m = x.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.exp(x - m).sum(axis=1))
        return np.mean(lse - x[np.arange(n), y])

    def numpy_grad():
        m = x.max(axis=1, keepdims=True)
        p = np.exp(x - m)
        p /= p.sum(axis=1, keepdims=True)
        value = np.mean(-np.log(p[np.arange(n), y]))
        p[np.arange(n), y] -= 1
        return value, p / n

    cases = {"cross_entropy": (lambda: losses.cross_entropy(x, y), lambda: losses.cross_entropy(x, y, return_grad=True),
                               numpy_value, numpy_grad)}
    torch_cases = {}
    if torch is not None:
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)
        xg = xt.clone().requires_grad_(True)

        def backward():
            xg.grad = None
            F.cross_entropy(xg, yt).backward()

        torch_cases["cross_entropy"] = (lambda: F.cross_entropy(xt, yt), backward)
    jax_cases = {}
    if jax is not None:
        xj, yj = jnp.asarray(x), jnp.asarray(y)

        def ce(a, labels):
            return jnp.mean(jax.nn.logsumexp(a, axis=1) - jnp.take_along_axis(a, labels[:, None], axis=1)[:, 0])

        jax_cases["cross_entropy"] = jax_pair(ce, xj, yj)
    g = np.empty_like(x)
    prealloc = {"cross_entropy": lambda: losses.cross_entropy(x, y, return_grad=True, grad_out=g)}
    return cases, torch_cases, jax_cases, prealloc


def raw_call_times():
    """The raw C call's timings {(loss, dtype, shape, grad, what): seconds} ("seconds" on all
    cores, "one_thread"), the math floors {(loss, dtype, shape, grad): seconds} and the bandwidths,
    from bench/raw_call.c."""
    binary = os.path.join(ROOT, ".build", "tests", "raw_call")
    out = subprocess.run([binary], check=True, capture_output=True, text=True).stdout
    times, floors, machine = {}, {}, {}
    for line in out.splitlines():
        record = json.loads(line)
        if "bandwidth_bytes_per_second" in record:
            machine = record
        elif "math_floor" in record:
            floors[record["math_floor"], record["dtype"], record["shape"], record["grad"]] = record["seconds"]
        else:
            times[record["loss"], record["dtype"], record["shape"], record["grad"], record["what"]] = record["seconds"]
    return times, floors, machine


def sleef_comparison():
    """Rows of bench/sleef_compare.c: the block math against SLEEF, speed and ulp."""
    binary = os.path.join(ROOT, ".build", "tests", "sleef_compare")
    if not os.path.exists(binary):
        return []
    out = subprocess.run([binary], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def bare_ctypes_call():
    """One ctypes call of losses_mse_loss_f32 on 10 elements with the pointers in hand (what any
    ctypes binding pays before its own Python work), and the pieces of the Python layer's own
    work, each timed alone: {"bare", "pointer", "allocation", "prepare", "result"} in seconds."""
    from losses import _arrays
    from losses.regression import _KERNELS
    x, y, o = np.ones(10, np.float32), np.zeros(10, np.float32), np.empty((), np.float32)
    kernel = _KERNELS["mse_loss", "f"]
    px, py, po = _arrays.data_pointer(x), _arrays.data_pointer(y), _arrays.data_pointer(o)
    return {"bare": median_seconds(lambda: kernel(px, py, None, 10, 1, po, None, None)),
            "pointer": median_seconds(lambda: _arrays.data_pointer(x)),
            "allocation": median_seconds(lambda: np.empty((), np.float32)),
            "prepare": median_seconds(lambda: _arrays.prepare_pointwise("mse_loss", x, y, None, 1, False, None, None,
                                                                        None)),
            "result": median_seconds(lambda: _arrays.result(o, None, 1, False))}


def fmt(seconds):
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    return f"{seconds * 1e3:.2f} ms"


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
            "torch": torch.__version__ if torch is not None else "not installed",
            "torch_threads": torch.get_num_threads() if torch is not None else None,
            "liblosses": losses.__version__, "threads": os.environ.get("LOSSES_NUM_THREADS", "all cores")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    parser.add_argument("--quick", action="store_true", help="shorter timing budget")
    parser.add_argument("--render", action="store_true",
                        help="rewrite the report from the last run's measurements (.build/bench.json), measuring nothing")
    args = parser.parse_args()
    saved = os.path.join(ROOT, ".build", "bench.json")
    if args.render:
        with open(saved) as f:
            write(args.out, **json.load(f))
        return
    budget = 0.1 if args.quick else 0.3
    rng = np.random.default_rng(0)
    raw, math_floors, bandwidth = raw_call_times()
    all_cores = bandwidth["bandwidth_all_cores"]
    rows = []
    for dtype_name, dtype in DTYPES.items():
        workloads = [(str(n), n * dtype().itemsize, *elementwise_workloads(dtype, n, rng)) for n in ELEMENTWISE_SIZES]
        workloads += [(f"{n}x{c}", n * c * dtype().itemsize, *class_workloads(dtype, n, c, rng)) for n, c in CLASS_SHAPES]
        for shape, input_bytes, cases, torch_cases, jax_cases, prealloc in workloads:
            large = input_bytes >= 4 * 10**6
            for loss, (value, with_grad, np_value, np_grad) in cases.items():
                for grad in (0, 1):
                    ours = median_seconds(with_grad if grad else value, budget)
                    reference = median_seconds(np_grad if grad else np_value, budget)
                    theirs = median_seconds(torch_cases[loss][grad], budget) if loss in torch_cases else None
                    jaxed = median_seconds(jax_cases[loss][grad], budget) if loss in jax_cases else None
                    preallocated = median_seconds(prealloc[loss], budget) if grad and large else None
                    # Bytes the loss must move: elementwise losses read input and target and
                    # write the gradient; cross entropy reads the logits and writes the gradient.
                    reads = input_bytes * (1 if loss == "cross_entropy" else 2)
                    memory = (reads + (input_bytes if grad else 0)) / all_cores
                    math = math_floors.get((loss, dtype_name, shape, grad))
                    rows.append(dict(loss=loss, dtype=dtype_name, shape=shape, grad=grad, python=ours,
                                     c=raw.get((loss, dtype_name, shape, grad, "seconds")),
                                     c1=raw.get((loss, dtype_name, shape, grad, "one_thread")),
                                     numpy=reference, torch=theirs, jax=jaxed, prealloc=preallocated,
                                     floor=max(memory, math or 0), bound="math" if math and math > memory else "memory",
                                     large=large))
            print(f"measured {dtype_name} {shape}", file=sys.stderr)
    metric = metric_learning.rows(median_seconds, budget, rng)
    print("measured metric learning", file=sys.stderr)
    boxes = detection.rows(median_seconds, budget, rng)
    print("measured detection", file=sys.stderr)
    image = image_quality.rows(median_seconds, budget, rng)
    print("measured image quality", file=sys.stderr)
    retrieval = damsm.rows(median_seconds, budget, rng)
    print("measured DAMSM", file=sys.stderr)
    divergence = distributions.rows(median_seconds, budget, rng)
    print("measured distributions", file=sys.stderr)
    sequences = ctc.rows(median_seconds, budget, rng)
    print("measured CTC", file=sys.stderr)
    frechet = fid_bench.rows(rng)
    print("measured FID", file=sys.stderr)
    gemm = gemm_bench.measure() if gemm_bench.available() else None
    if gemm:
        print("measured matrix products", file=sys.stderr)
    measured = dict(rows=rows, bandwidth=bandwidth, bare=bare_ctypes_call(), info=machine(), sleef=sleef_comparison(),
                    metric=metric, gemm=gemm, boxes=boxes, image=image, retrieval=retrieval,
                    divergence=divergence, frechet=frechet, sequences=sequences)
    with open(saved, "w") as f:
        json.dump(measured, f)
    write(args.out, **measured)


def write(path, rows, bandwidth, bare, info, sleef, metric=(), gemm=None, boxes=(), image=(), retrieval=(),
          divergence=(), frechet=(), sequences=()):
    peers = "PyTorch " + info["torch"] + (f" ({info['torch_threads']} threads)" if info["torch_threads"] else "")
    peers += f", JAX {jax.__version__} (jit, CPU)" if jax is not None else ", JAX not installed"
    lines = ["# liblosses benchmarks", "",
             f"Machine: {info['cpu']}, {info['cores']} cores; Python {info['python']}, NumPy {info['numpy']}, "
             f"{peers}; liblosses {info['liblosses']} ({info['threads']}).", "",
             f"Read bandwidth measured in this run: {bandwidth['bandwidth_bytes_per_second'] / 1e9:.1f} GB/s on one "
             f"core, {bandwidth['bandwidth_all_cores'] / 1e9:.1f} GB/s on all {bandwidth['cores']} together (two "
             "4·10^7-element float32 arrays summed, past every cache; rows of 10^6 elements fit in cache and can run "
             "below this floor). A row's floor is the larger of its bytes at the all-core "
             "bandwidth and, for the transcendental rows, the library's own block math alone over the same elements "
             "on all cores (`math`). `× floor` is the raw C call over that floor.", "",
             "Timings on this shared 2-core machine vary by 30-50% from run to run (every peer's too), so targets "
             "near their thresholds can flip between runs; the raw C column is the steadiest.", "",
             "Medians. `value` is the loss alone, `+grad` the loss and its gradient w.r.t. the input (PyTorch: "
             "forward and backward; JAX: `jit(value_and_grad)`). Ratios above 1 mean liblosses (through Python) "
             "is faster. `1 thread` is the raw C call with one thread (large rows).", "",
             "| loss | dtype | shape | | liblosses C | 1 thread | liblosses Python | NumPy | PyTorch | JAX "
             "| vs NumPy | vs PyTorch | vs JAX | × floor |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = lambda peer: f"{peer / r['python']:.1f}×" if peer else "—"  # noqa: E731
        floor = f"{r['c'] / r['floor']:.2f} ({r['bound']})" if r["large"] and r["c"] else ""
        lines.append(f"| {r['loss']} | {r['dtype']} | {r['shape']} | {'+grad' if r['grad'] else 'value'} | "
                     f"{fmt(r['c'])} | {fmt(r['c1']) if r['c1'] else ''} | {fmt(r['python'])} | {fmt(r['numpy'])} | "
                     f"{fmt(r['torch'])} | {fmt(r['jax'])} | {ratio(r['numpy'])} | {ratio(r['torch'])} | "
                     f"{ratio(r['jax'])} | {floor} |")
    lines += ["", "## Targets", "", "Each reason is assembled from the row's own measurements above.", ""]
    lines += targets(rows, bare)
    if metric:
        lines += metric_learning.report(metric, fmt)
    if boxes:
        lines += detection.report(boxes, fmt)
    if image:
        lines += image_quality.report(image, fmt)
    if retrieval:
        lines += damsm.report(retrieval, fmt)
    if divergence:
        lines += distributions.report(divergence, fmt)
    if sequences:
        lines += ctc.report(sequences, fmt)
    if frechet:
        lines += fid_bench.report(frechet, fmt)
    if gemm:
        lines += gemm_bench.report(gemm)
    if sleef:
        lines += ["", "## Vector math against SLEEF", "",
                  "liblosses' block functions (the copy this CPU runs) against SLEEF 3.5's 1-ulp functions "
                  "(`bench/sleef_compare.c`): nanoseconds per value on one core over 4096 in-cache values, and "
                  "the largest error against glibc's long double functions over 10^6 random inputs.", "",
                  "| function | dtype | implementation | ns per value | max ulp |", "|---|---|---|---|---|"]
        for r in sleef:
            lines.append(f"| {r['function']} | {r['dtype']} | {r['implementation']} | {r['ns_per_value']:.2f} | "
                         f"{r['max_ulp']:.3f} |")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def find(rows, loss, dtype, shape, grad):
    return next(r for r in rows if (r["loss"], r["dtype"], r["shape"], r["grad"]) == (loss, dtype, shape, grad))


def evidence(r, peer=None):
    """Why a row is where it is, from its own numbers: the Python layer's share (raw C against
    Python), the gradient allocation's share, thread scaling and the floor ratio."""
    parts = []
    if r["c"]:
        parts.append(f"raw C {fmt(r['c'])} vs Python {fmt(r['python'])}")
        if peer and r["c"] <= peer < r["python"]:
            parts.append("the kernel alone meets it: the Python layer's cost decides")
    if r["prealloc"]:
        cost = r["python"] - r["prealloc"]
        parts.append(f"with grad_out= preallocated {fmt(r['prealloc'])} (" +
                     (f"the new gradient array costs {fmt(cost)})" if cost > 0 else "no measurable allocation cost)"))
    if r["c1"] and r["c"]:
        parts.append(f"1 thread {fmt(r['c1'])}, all cores {r['c1'] / r['c']:.1f}× faster")
    if r["large"] and r["c"]:
        ratio = r["c"] / r["floor"]
        if ratio < 0.9 and r["bound"] == "memory":
            verdict = "; below its memory floor: the data is cache-resident, so what limits it is not known"
        elif ratio <= 1.3:
            verdict = "; at its floor, so the floor itself is the limit"
        else:
            verdict = "; what the rest above the floor is spent on is not known"
        parts.append(f"{ratio:.2f}× its {r['bound']} floor{verdict}")
    return "; ".join(parts) or "not known"


def targets(rows, bare):
    out = ["| target | measured | met | why not (this row's measurements) |", "|---|---|---|---|"]

    def line(target, measured, met, why):
        out.append(f"| {target} | {measured} | {'yes' if met else 'no'} | {'' if met else why} |")

    parts, bare = bare, bare["bare"]
    small = find(rows, "mse_loss", "float32", "10", 0)["python"]
    line("Python call, mse_loss 10 float32 ≤ 3 µs and ≤ 2.5× a bare ctypes call", f"{fmt(small)} "
         f"(bare ctypes {fmt(bare)}, {small / bare:.1f}×)", small <= 3e-6 and small <= 2.5 * bare,
         f"the Python layer adds {fmt(small - bare)} to the bare ctypes call; timed alone in this run: argument "
         f"checks and output allocation (prepare_pointwise) {fmt(parts['prepare'])}, of which the 0-d output "
         f"{fmt(parts['allocation'])}; three pointer reads {fmt(3 * parts['pointer'])}; the result "
         f"{fmt(parts['result'])}; the rest is the calls between them")
    ce = find(rows, "cross_entropy", "float32", "1x10", 0)["python"]
    line("Python call, cross_entropy 1×10 float32 ≤ 4 µs", fmt(ce), ce <= 4e-6,
         f"the Python layer adds {fmt(ce - bare)} over a bare ctypes call")
    for peer in ("torch", "jax"):
        name = {"torch": "PyTorch", "jax": "JAX jit"}[peer]
        slow = [r for r in rows if r[peer] and r[peer] / r["python"] < 1.0]
        line(f"no row below 1.0× {name}", f"{len(slow)} of {sum(1 for r in rows if r[peer])} rows below",
             not slow, "see *Rows behind a peer* below")
    for loss, shape in (("binary_cross_entropy_with_logits", "1000000"), ("binary_cross_entropy_with_logits", "10000000"),
                        ("cross_entropy", "4096x1000")):
        for grad in (0, 1):
            r = find(rows, loss, "float64", shape, grad)
            if r["torch"]:
                speedup = r["torch"] / r["python"]
                line(f"{loss} float64 {shape} {'+grad' if grad else 'value'} ≥ 2× PyTorch", f"{speedup:.1f}×",
                     speedup >= 2, evidence(r, r["torch"] / 2))
    for grad, want in ((0, 2), (1, 3)):
        r = find(rows, "cross_entropy", "float32", "4096x1000", grad)
        if r["torch"]:
            speedup = r["torch"] / r["python"]
            line(f"cross_entropy float32 4096×1000 {'+grad' if grad else 'value'} ≥ {want}× PyTorch", f"{speedup:.1f}×",
                 speedup >= want, evidence(r, r["torch"] / want))
    for bound, limit in (("math", 1.5), ("memory", 1.3)):
        floored = [r for r in rows if r["large"] and r["c"] and r["bound"] == bound]
        over = [r for r in floored if r["c"] / r["floor"] > limit]
        worst = max((r["c"] / r["floor"] for r in floored), default=0)
        line(f"every {'compute' if bound == 'math' else 'memory'}-bound row within {limit}× of its {bound} floor",
             f"{len(floored) - len(over)} of {len(floored)} rows (worst {worst:.2f}×)", not over,
             "<br>".join(f"{r['loss']} {r['dtype']} {r['shape']} {'+grad' if r['grad'] else 'value'}: "
                         f"{r['c'] / r['floor']:.2f}×; {evidence(r)}" for r in over))
    behind = [r for r in rows if any(r[p] and r[p] / r["python"] < 1.0 for p in ("torch", "jax"))]
    if behind:
        out += ["", "## Rows behind a peer", "", "| row | vs PyTorch | vs JAX | this row's measurements |",
                "|---|---|---|---|"]
        for r in behind:
            peer = min(p for p in (r["torch"], r["jax"]) if p)
            ratio = lambda t: f"{t / r['python']:.2f}×" if t else "—"  # noqa: E731
            out.append(f"| {r['loss']} {r['dtype']} {r['shape']} {'+grad' if r['grad'] else 'value'} | "
                       f"{ratio(r['torch'])} | {ratio(r['jax'])} | {evidence(r, peer)} |")
    out += ["", "Rows within their floor targets are not listed. Large inputs (2^18 elements and more) use every "
            "core (LOSSES_NUM_THREADS to choose); every loss's results are bitwise the same for any thread count "
            "and on every CPU (Tests/c/digest.c, in `make test`)."]
    return out


if __name__ == "__main__":
    main()
