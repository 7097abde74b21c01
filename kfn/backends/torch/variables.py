"""PyTorch backend: variable storage. A trainable variable is a torch.nn.Parameter, so
torch.optim and DDP drive it; a non-trainable one is a plain tensor (a module buffer).
Assignment writes in place, so modules and optimizers keep seeing the same object."""

from __future__ import annotations

import contextlib

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
    """The storage for the new trainability: a Parameter is frozen or unfrozen in place (as
    torch users freeze weights); a buffer made trainable becomes a Parameter."""
    if isinstance(storage, torch.nn.Parameter):
        storage.requires_grad_(bool(trainable))
        return storage
    if trainable and (storage.is_floating_point() or storage.is_complex()):
        return torch.nn.Parameter(storage.detach(), requires_grad=True)
    return storage


@contextlib.contextmanager
def init_scope():
    """Where variables are created: on the innermost real device (not the meta device that
    abstract evaluation uses), outside autograd."""
    real = [d for d in core._device_stack if d.type != "meta"]
    device = real[-1] if real else core._DEFAULT_DEVICE
    core._device_stack.append(device)
    try:
        with torch.no_grad():
            yield
    finally:
        core._device_stack.pop()


def register_conversion(variable_class) -> None:
    """Let torch functions read a kfn.Variable wherever they take a tensor
    (`torch.matmul(x, variable)`), through the `__torch_function__` protocol."""

    def unwrap(value):
        if isinstance(value, variable_class):
            return value.value
        if isinstance(value, list | tuple):
            return type(value)(unwrap(v) for v in value)
        return value

    def torch_function(cls, func, types, args=(), kwargs=None):
        return func(*unwrap(args), **{k: unwrap(v) for k, v in (kwargs or {}).items()})

    variable_class.__torch_function__ = classmethod(torch_function)
