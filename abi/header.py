"""include/losses.h as data: each function's return type and (type, name) parameters, and the
enum constants, parsed with pycparser; its #defines and its losses. Shared by the generator
(abi/generate.py) and the tests."""
import functools
import os
import re
import subprocess
import tempfile

from pycparser import c_ast, c_parser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = os.path.join(ROOT, "include", "losses.h")


def normalise(c_type):
    """One spelling per type: 'float const * _Nullable' and 'const float *' are the same."""
    c_type = re.sub(r"\b_Nullable\b|\b_Nonnull\b", "", c_type)
    pointer = c_type.count("*")
    words = c_type.replace("*", " ").split()
    const = "const " if "const" in words else ""
    base = " ".join(w for w in words if w != "const")
    return f"{const}{base}" + (" " + "*" * pointer if pointer else "")


def type_of(node):
    if isinstance(node, c_ast.PtrDecl):
        return normalise(type_of(node.type) + " *")
    quals = " ".join(node.quals) + " " if getattr(node, "quals", None) else ""
    return normalise(quals + " ".join(node.type.names))


@functools.lru_cache(maxsize=1)
def parse():
    """({name: (return type, [(type, parameter name)])}, {constant: value})."""
    with tempfile.TemporaryDirectory() as fake:
        with open(os.path.join(fake, "stdint.h"), "w") as f:
            f.write("typedef int int32_t; typedef long long int64_t;\n")
        source = subprocess.run(["gcc", "-E", "-P", "-nostdinc", "-I", fake, "-D__attribute__(x)=", HEADER],
                                check=True, capture_output=True, text=True).stdout
    functions, constants = {}, {}
    for node in c_parser.CParser().parse(source).ext:
        if isinstance(node, c_ast.Decl) and isinstance(node.type, c_ast.FuncDecl):
            params = node.type.args.params if node.type.args else []
            functions[node.name] = (type_of(node.type.type),
                                    [(type_of(p.type), p.name) for p in params if type_of(p.type) != "void"])
        elif isinstance(node, c_ast.Decl) and isinstance(node.type, c_ast.Enum):
            for e in node.type.values.enumerators:
                constants[e.name] = int(e.value.value)
    return functions, constants


@functools.lru_cache(maxsize=1)
def defines():
    """{macro: value} of the header's numeric object-like #defines (versions, defaults)."""
    values = {}
    for m in re.finditer(r"^#define\s+(LOSSES_\w+)\s+(.+?)\s*(?:/\*.*)?$", open(HEADER).read(), re.M):
        text = m.group(2).strip()
        try:
            values[m.group(1)] = int(text)
        except ValueError:
            try:
                values[m.group(1)] = float(text)
            except ValueError:
                values[m.group(1)] = text
    return values


# Pairs written by hand, outside the generated tables: FID's statistics update reads features of
# either dtype into a state of doubles in both (count, mean, co-moment), which no generic suite's
# state table describes. Sources/LossesExport/Unpaired exports them, bindings/python/losses/
# fid_statistics.py declares them, Tests/python/test_fid.py tests them.
HAND_WRITTEN = {"fid_statistics_update"}
# Their C functions, and the one export without an f32/f64 pair.
HAND_WRITTEN_FUNCTIONS = {f"losses_{name}_{dtype}" for name in HAND_WRITTEN for dtype in ("f32", "f64")} | {
    "losses_fid_statistics_merge"}


def losses():
    """{loss name: [(type, parameter name)] of its f32 variant}, in header order: every function
    declared as a losses_<name>_f32 / losses_<name>_f64 pair (but HAND_WRITTEN)."""
    functions, _ = parse()
    found = {}
    for name, (_, params) in functions.items():
        if name[len("losses_"):-4] in HAND_WRITTEN:
            continue
        if name.endswith("_f32") and name[:-4] + "_f64" in functions:
            found[name[len("losses_"):-4]] = params
    return found


def is_state(c_type, name):
    """A non-const tensor pointer that is neither `out` nor a gradient: a table an update reads
    and writes in place (center_loss_update's centres; oim_update's lookup table and queue)."""
    return normalise(c_type) == "float *" and name != "out" and not name.startswith("grad_")


def updates():
    """The update entries of the header: those with a state table. They have no reduction, out or
    gradient; every other entry is a loss (or a loss's target gradient)."""
    return {name for name, params in losses().items() if any(is_state(t, n) for t, n in params)}


def metrics():
    """The metric entries of the header: those with `out` and no gradient output and no state table
    (wasserstein_distance, inception_score, ...). They may have no reduction and no grad_output;
    how many values `out` holds follows from each metric's layout."""
    found = set()
    for name, params in losses().items():
        names = [n for _, n in params]
        if ("out" in names and not any(n.startswith("grad_") for n in names)
                and not any(is_state(t, n) for t, n in params)):
            found.add(name)
    return found
