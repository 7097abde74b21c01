"""torch backend: kfn.ops.numpy.elementwise."""

from __future__ import annotations

import torch

from kfn.backends.torch import core


def add(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return torch.add(x1, x2)


def absolute(x):
    return torch.abs(core.convert_to_tensor(x))
