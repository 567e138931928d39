"""include/losses.h as data: each function's return type and (type, name) parameters, and the
enum constants, parsed with pycparser. Shared by the agreement and bad-input tests."""
import functools
import os
import re
import subprocess
import tempfile

from pycparser import c_ast, c_parser

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
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
