"""Fails unless every C target of a sanitizer or fuzzing build is instrumented: each object file
of CLossesMath and CLossesSupport must reference every given symbol prefix (__asan_report,
__tsan_, __sanitizer_cov). A Swift-only -sanitize flag leaves the C code, the SIMD math
included, unchecked.   python3 instrumented.py BUILD_DIR PREFIX..."""
import glob
import os
import subprocess
import sys


def main(build, prefixes):
    missing = []
    objects = []
    for target in ("CLossesMath", "CLossesSupport"):
        found = glob.glob(os.path.join(build, f"{target}.build", "*.o"))
        if not found:
            missing.append(f"{target}: no object files under {build}")
        objects += found
    for path in objects:
        symbols = subprocess.run(["nm", path], check=True, capture_output=True, text=True).stdout
        for prefix in prefixes:
            if prefix not in symbols:
                missing.append(f"{os.path.relpath(path, build)}: no {prefix}* symbol")
    if missing:
        print("not instrumented:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1
    print(f"{len(objects)} C objects instrumented ({', '.join(prefixes)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
