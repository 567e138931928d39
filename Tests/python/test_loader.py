"""The loader finds the library beside the package, through $LOSSES_LIBRARY, or in the build
folder, and says where it looked when it cannot."""
import os
import shutil
import subprocess
import sys

import losses

PACKAGE = os.path.dirname(losses.__file__)


def run_python(code, cwd, env_extra):
    env = {k: v for k, v in os.environ.items() if k != "LOSSES_LIBRARY"}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


def copy_package(tmp_path):
    target = tmp_path / "site" / "losses"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    return target


def test_environment_variable(tmp_path):
    copy_package(tmp_path)
    result = run_python("import losses; print(losses.library_path)", tmp_path,
                        {"PYTHONPATH": str(tmp_path / "site"), "LOSSES_LIBRARY": losses.library_path})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == os.path.abspath(losses.library_path)


def test_beside_the_package_comes_first(tmp_path):
    package = copy_package(tmp_path)
    shutil.copy(losses.library_path, package / "liblosses.so")
    result = run_python("import losses; print(losses.library_path)", tmp_path,
                        {"PYTHONPATH": str(tmp_path / "site"), "LOSSES_LIBRARY": "/nonexistent/liblosses.so"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(package / "liblosses.so")


def test_failure_says_where_it_looked(tmp_path):
    copy_package(tmp_path)
    result = run_python("import losses", tmp_path,
                        {"PYTHONPATH": str(tmp_path / "site"), "LOSSES_LIBRARY": "/nonexistent/liblosses.so"})
    assert result.returncode != 0
    assert "could not load the shared library" in result.stderr
    assert "/nonexistent/liblosses.so (no such file)" in result.stderr
    assert "LOSSES_LIBRARY" in result.stderr


def test_library_loads_without_the_swift_toolchain(tmp_path):
    """A bare environment (no Swift paths at all) still loads the library and computes."""
    copy_package(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path / "site") + os.pathsep + os.path.dirname(
        os.path.dirname(__import__("numpy").__file__)), "LOSSES_LIBRARY": losses.library_path}
    result = subprocess.run([sys.executable, "-c", "import losses; print(losses.mse_loss([3.0], [1.0]))"],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "4.0"


def test_a_library_of_another_abi_is_refused(tmp_path):
    """A package written for ABI 2 refuses today's library (ABI 1) at import, naming both."""
    package = copy_package(tmp_path)
    native = package / "_native.py"
    text = native.read_text()
    assert "ABI_VERSION = 1" in text
    native.write_text(text.replace("ABI_VERSION = 1", "ABI_VERSION = 2", 1))
    result = run_python("import losses", tmp_path,
                        {"PYTHONPATH": str(tmp_path / "site"), "LOSSES_LIBRARY": losses.library_path})
    assert result.returncode != 0
    assert "has ABI version 1, this package needs 2" in result.stderr


def test_an_older_library_of_the_same_abi_is_refused_by_version(tmp_path):
    """A library of the same ABI but older than the package (an installed one found by its
    SONAME, say) lacks functions added since: the import says so instead of failing on a symbol."""
    package = copy_package(tmp_path)
    declarations = package / "_declarations.py"
    text = declarations.read_text()
    assert "VERSION_NUMBER = " in text
    declarations.write_text(text.replace("VERSION_NUMBER = ", "VERSION_NUMBER = 99999 or ", 1))
    result = run_python("import losses", tmp_path,
                        {"PYTHONPATH": str(tmp_path / "site"), "LOSSES_LIBRARY": losses.library_path})
    assert result.returncode != 0
    assert f"is version {losses.__version__}, this package needs 9.99.99 or newer" in result.stderr


def test_the_soname_through_the_dynamic_linker_comes_last(tmp_path):
    """A copied package with no library beside it and no $LOSSES_LIBRARY finds an installed
    library by its SONAME (here through LD_LIBRARY_PATH, as ld.so.cache would after
    `make install`), and reports the file the dynamic linker chose."""
    copy_package(tmp_path)
    installed = tmp_path / "prefix" / "lib"
    installed.mkdir(parents=True)
    shutil.copy(losses.library_path, installed / "liblosses.so.1")
    code = "import losses; print(losses.library_path); print(losses.mse_loss([1.0, 2.0], [0.0, 0.0]))"
    result = run_python(code, tmp_path, {"PYTHONPATH": str(tmp_path / "site"), "LD_LIBRARY_PATH": str(installed)})
    assert result.returncode == 0, result.stderr
    path, value = result.stdout.split()
    assert path == str(installed / "liblosses.so.1")
    assert float(value) == 2.5
    # Without it, the error lists every place looked, the SONAME last.
    result = run_python("import losses", tmp_path, {"PYTHONPATH": str(tmp_path / "site"), "LD_LIBRARY_PATH": ""})
    assert result.returncode != 0
    assert "liblosses.so.1 (" in result.stderr.splitlines()[-2]


def test_readme_states_the_glibc_the_library_needs():
    """The newest GLIBC_ symbol version the library needs, read from its ELF version section,
    is the floor the README promises: a stated fact, checked."""
    from elf_versions import glibc_floor

    newest = "%d.%d" % glibc_floor(losses.library_path)
    readme = open(os.path.join(os.path.dirname(PACKAGE), "..", "..", "README.md")).read()
    assert f"It needs glibc {newest} or newer" in readme, newest
