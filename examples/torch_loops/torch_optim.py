"""A kfn model inside a torch.nn.Module, trained with torch.optim and loss.backward().

    KFN_BACKEND=torch python examples/torch_loops/torch_optim.py

On the torch backend every kfn layer is an nn.Module whose trainable variables are
nn.Parameters, so the usual torch loop drives it. Prints the loss every 50 steps and, last, a
JSON line with the first and final losses.
"""

from __future__ import annotations

import json

import numpy as np
import torch

import kfn
from kfn import layers


class Regressor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.body = kfn.Sequential(
            [
                layers.Dense(32, activation="relu"),
                layers.BatchNormalization(),
                layers.Dense(1),
            ]
        )

    def forward(self, x, training=False):
        return self.body(x, training=training)


def train(steps=200):
    kfn.random.set_seed(0)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.normal(size=(256, 8)).astype(np.float32))
    y = torch.sin(x.sum(dim=1, keepdim=True))
    net = Regressor()
    net(x)  # build
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
    losses = []
    for i in range(steps):
        optimizer.zero_grad()
        loss = torch.mean((net(x, training=True) - y) ** 2)
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
        if i % 50 == 0:
            print(f"step {i:4d}  loss {losses[-1]:.4f}")
    with torch.no_grad():
        inference = float(torch.mean((net(x) - y) ** 2))
    return {"first": losses[0], "last": losses[-1], "inference": inference}


if __name__ == "__main__":
    print(json.dumps(train()))
