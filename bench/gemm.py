"""Issue 12's measurement (make bench-gemm; make bench adds it to bench/RESULTS.md): the matrix
products of the metric-learning losses, the library's own kernel against OpenBLAS (Debian's
libopenblas-pthread-dev, static), timed by bench/gemm.c, and what linking OpenBLAS would add to
the shipped library, read from the two builds of bench/gemm_shim.c.

Usage: python3 bench/gemm.py [rounds]   (prints the Markdown section)
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TESTS = os.path.join(ROOT, ".build", "tests")
sys.path.insert(0, os.path.join(ROOT, "bindings", "python", "backend"))
import elf_versions  # noqa: E402  (the wheel's own ELF reader)

BINARY = os.path.join(TESTS, "gemm")
SHIM_OPENBLAS = os.path.join(TESTS, "gemm_shim_openblas.so")
SHIM_OWN = os.path.join(TESTS, "gemm_shim_own.so")


def available():
    return all(os.path.exists(p) for p in (BINARY, SHIM_OPENBLAS, SHIM_OWN))


def needed(path):
    """The DT_NEEDED entries of a shared object, in order (binutils' readelf)."""
    out = subprocess.run(["readelf", "-d", path], check=True, capture_output=True, text=True).stdout
    return [line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "(NEEDED)" in line]


def loads(path):
    """Whether the file loads with dlopen in a fresh process with an empty environment."""
    code = f"import ctypes; ctypes.CDLL({path!r}).shim_products"
    return subprocess.run([sys.executable, "-c", code], env={}, capture_output=True).returncode == 0


def cost():
    """Size (stripped), dependencies and glibc floor of each build of the shim."""
    out = {}
    for name, path in (("openblas", SHIM_OPENBLAS), ("own", SHIM_OWN)):
        stripped = path + ".stripped"
        subprocess.run(["strip", "-o", stripped, path], check=True)
        floor = elf_versions.glibc_floor(stripped)
        out[name] = dict(bytes=os.path.getsize(stripped), needed=needed(stripped), glibc=f"{floor[0]}.{floor[1]}",
                         loads=loads(stripped))
        os.remove(stripped)
    return out


def measure(rounds=31):
    """{"info": OpenBLAS's core and configuration, "rows": one per shape, implementation and
    thread count, "cost": cost()}."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="2")  # its pool; each variant sets 1 or 2
    out = subprocess.run([BINARY, str(rounds)], check=True, capture_output=True, text=True, env=env).stdout
    records = [json.loads(line) for line in out.splitlines()]
    info = dict(records[0], date=time.strftime("%Y-%m-%d", time.gmtime()), cpu=cpu())
    return dict(info=info, rows=records[1:], cost=cost())


def cpu():
    """The model name and the instruction set the kernel's copies choose from."""
    with open("/proc/cpuinfo") as f:
        lines = f.read().splitlines()
    name = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "unknown")
    flags = next((line.split(":", 1)[1].split() for line in lines if line.startswith("flags")), [])
    return name + (" (AVX-512)" if "avx512f" in flags else " (AVX2)" if "avx2" in flags else "")


def report(gemm):
    info, rows, sizes = gemm["info"], gemm["rows"], gemm["cost"]
    lines = ["", "## Matrix products: the library's kernel against OpenBLAS", "",
             "The products of batch_hard_triplet_loss, circle_loss_embeddings and ntxent_loss (`bench/gemm.c`, "
             f"issue 12), float64, on {info.get('cpu', 'this CPU')}, {info.get('date', 'date not recorded')}: the "
             "library's kernel (`Sources/CLossesMath/row_products.c` on the library's worker pool, as "
             "`RowProducts.swift` runs it: the Gram's upper triangle, then its mirror) against OpenBLAS "
             f"{info['openblas_config'].split()[1]} from Debian's static `libopenblas-pthread-dev` (its kernel for "
             f"this CPU: {info['openblas_core']}), with 1 and 2 threads; float32 `sgemm` for reference. Medians of "
             f"{info['rounds']} rounds, every variant once per round, and the fastest round (the steadier figure when "
             "other work shares the cores). GFLOP/s are the median's, counting the whole product (2·m·n·k), so a "
             "method that computes one triangle scores the speed of its result. `max |Δ|` is the largest difference "
             "from the kernel's result; `error` the largest against long double dot products (every 16th row); "
             "`same bits` whether 2 threads give the bits of 1. OpenBLAS is timed with its workers awake, its best "
             "case.", "",
             "| product | implementation | threads | ms | fastest ms | GFLOP/s | max \\|Δ\\| | error | same bits |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        same = "yes" if r["same_bits_as_one_thread"] else "no"
        lines.append(f"| {r['shape']} | {r['implementation']} | {r['threads']} | {r['ms']:.2f} | "
                     f"{r['fastest_ms']:.2f} | {r['gflops']:.1f} | {r['max_abs_diff']:.1e} | {r['worst_error']:.1e} | "
                     f"{same} |")
    own, blas = sizes["own"], sizes["openblas"]
    lines += ["", "What OpenBLAS would add to `liblosses.so` (`bench/gemm_shim.c` built as a shared object, "
              "stripped): the three calls the losses would make, linked from the static archive, against the "
              "library's own kernel.", "",
              "| built with | size | needs | glibc floor | loads (dlopen, empty environment) |",
              "|---|---|---|---|---|",
              f"| the library's kernel | {own['bytes'] / 1e3:.0f} kB | {', '.join(own['needed'])} | {own['glibc']} | "
              f"{'yes' if own['loads'] else 'no'} |",
              f"| OpenBLAS dgemm, dsyrk, sgemm | {blas['bytes'] / 1e6:.1f} MB | {', '.join(blas['needed'])} | "
              f"{blas['glibc']} | {'yes' if blas['loads'] else 'no'} |"]
    return lines


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 31
    print("\n".join(report(measure(rounds))))


if __name__ == "__main__":
    main()
