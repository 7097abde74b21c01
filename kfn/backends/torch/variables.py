"""PyTorch backend: variable storage. A trainable variable is a torch.nn.Parameter, so
torch.optim and DDP drive it; a non-trainable one is a plain tensor (a module buffer).
Assignment writes in place, so modules and optimizers keep seeing the same object."""

from __future__ import annotations

import torch

from kfn.backends.torch import core


def create(value, trainable, name):
    tensor = core.convert_to_tensor(value).detach().clone()
    if trainable and (tensor.is_floating_point() or tensor.is_complex()):
        return torch.nn.Parameter(tensor, requires_grad=True)
    return tensor


def read(storage):
    return storage


def write(storage, value):
    """The storage, updated in place with `value`."""
    value = core.convert_to_tensor(value, storage.dtype)
    with torch.no_grad():
        if value.shape != storage.shape:
            storage.data = value.detach().clone()
        else:
            storage.copy_(value)
    return storage


def set_trainable(storage, trainable):
    if isinstance(storage, torch.nn.Parameter):
        storage.requires_grad_(bool(trainable))
    return storage
