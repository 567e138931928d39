"""One process of a 2-process DistributedDataParallel training run (gloo, CPU), for
test_torch_ddp.py: a small MLP on a fixed synthetic dataset, each rank training on its own half
of every batch, with the loss from liblosses (losses.torch) or from PyTorch.

    python ddp_train.py <liblosses|pytorch> <output.pt>   (RANK, WORLD_SIZE, MASTER_ADDR,
                                                           MASTER_PORT in the environment)
Rank 0 saves the final parameters.
"""
import sys

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

import losses.torch as lt


def main(which, output):
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(10, 16), torch.nn.Tanh(), torch.nn.Linear(16, 4)).double()
    ddp = DistributedDataParallel(model)
    optimizer = torch.optim.SGD(ddp.parameters(), lr=0.1, momentum=0.9)
    data = torch.Generator().manual_seed(1)
    x = torch.randn(256, 10, generator=data, dtype=torch.float64)
    labels = torch.randint(0, 4, (256,), generator=data)
    soft = torch.softmax(torch.randn(256, 4, generator=data, dtype=torch.float64), dim=1)
    if which == "liblosses":
        cross_entropy, mse = lt.CrossEntropyLoss(label_smoothing=0.1), lt.MSELoss()
    else:
        cross_entropy, mse = torch.nn.CrossEntropyLoss(label_smoothing=0.1), torch.nn.MSELoss()
    for step in range(40):
        batch = slice((step % 8) * 32, (step % 8) * 32 + 32)
        mine = slice(batch.start + rank * 32 // world, batch.start + (rank + 1) * 32 // world)
        logits = ddp(x[mine])
        loss = cross_entropy(logits, labels[mine]) + 0.5 * mse(torch.softmax(logits, dim=1), soft[mine])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if rank == 0:
        torch.save({name: p.detach().clone() for name, p in model.named_parameters()}, output)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
