import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
sys.path.insert(0, os.path.join(ROOT, "Tests", "vectors"))
sys.path.insert(0, os.path.join(ROOT, "abi"))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python", "backend"))
