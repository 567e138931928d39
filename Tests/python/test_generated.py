"""The files generated from include/losses.h (abi/generate.py: the @_cdecl twins, the symbol
list, the ctypes table, the C test call table) are what the header says today."""
import os
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def test_generated_files_are_not_stale():
    result = subprocess.run([sys.executable, os.path.join(ROOT, "abi", "generate.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + "\nrun `make generate` and commit the result"


def test_the_check_notices_a_stale_file(tmp_path, monkeypatch):
    """The staleness check itself can fail: a generated file with one line changed is reported."""
    sys.path.insert(0, os.path.join(ROOT, "abi"))
    import generate

    outputs = generate.outputs()
    path = "abi/symbols.txt"
    monkeypatch.setattr(generate, "ROOT", str(tmp_path))
    for name, text in outputs.items():
        os.makedirs(os.path.dirname(os.path.join(tmp_path, name)), exist_ok=True)
        with open(os.path.join(tmp_path, name), "w") as f:
            f.write(text if name != path else text.replace("losses_mse_loss_f32\n", ""))
    assert generate.main(["--check"]) == 1
    assert generate.main([]) == 0 and generate.main(["--check"]) == 0
