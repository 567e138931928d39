"""The PyTorch adapter under torch.distributed: two processes (gloo, CPU) train the same model
with DistributedDataParallel, once with liblosses' losses and once with PyTorch's; the final
weights agree to float64 rounding. liblosses scales past one machine through the trainer's own
engine: the loss is local to each process, DDP all-reduces the gradients. Skipped without torch."""
import os
import socket
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")

HERE = os.path.dirname(os.path.abspath(__file__))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _train(which, output):
    port = str(_free_port())
    processes = []
    for rank in range(2):
        env = dict(os.environ, RANK=str(rank), WORLD_SIZE="2", MASTER_ADDR="127.0.0.1", MASTER_PORT=port,
                   OMP_NUM_THREADS="1", LOSSES_NUM_THREADS="1",
                   PYTHONPATH=os.pathsep.join([os.path.join(HERE, "..", "..", "bindings", "python"),
                                               os.environ.get("PYTHONPATH", "")]))
        processes.append(subprocess.Popen([sys.executable, os.path.join(HERE, "ddp_train.py"), which, str(output)],
                                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    return torch.load(output)


def test_ddp_training_with_liblosses_matches_pytorch(tmp_path):
    ours = _train("liblosses", tmp_path / "liblosses.pt")
    theirs = _train("pytorch", tmp_path / "pytorch.pt")
    assert ours.keys() == theirs.keys()
    for name in ours:
        torch.testing.assert_close(ours[name], theirs[name], rtol=1e-11, atol=1e-13, msg=lambda m: f"{name}: {m}")
    # The runs trained: the weights moved away from their initial values.
    torch.manual_seed(0)
    initial = torch.nn.Sequential(torch.nn.Linear(10, 16), torch.nn.Tanh(), torch.nn.Linear(16, 4)).double()
    moved = max((ours[n] - p.detach()).abs().max().item() for n, p in initial.named_parameters())
    assert moved > 1e-2
