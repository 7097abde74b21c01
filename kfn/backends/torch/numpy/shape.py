"""PyTorch backend: kfn.ops.numpy shape manipulation, joining and splitting."""

from __future__ import annotations

import torch

from kfn.backends.common import dtypes, shaping
from kfn.backends.torch import core


def _tensor(x):
    return core.convert_to_tensor(x)


def _axes(axis, ndim):
    return tuple(a % ndim for a in ((axis,) if isinstance(axis, int) else axis))


# ---------------------------------------------------------------------------- shape


def reshape(x, newshape):
    x = _tensor(x)
    newshape = shaping.check_reshape(tuple(x.shape), newshape)
    return torch.reshape(x, newshape)


def ravel(x):
    return torch.ravel(_tensor(x))


def expand_dims(x, axis):
    x = _tensor(x)
    rank = x.ndim + (1 if isinstance(axis, int) else len(axis))
    for a in sorted(_axes(axis, rank)):
        x = torch.unsqueeze(x, a)
    return x


def squeeze(x, axis=None):
    x = _tensor(x)
    shaping.check_squeeze(tuple(x.shape), axis)
    if axis is None:
        return torch.squeeze(x)
    return torch.squeeze(x, dim=_axes(axis, x.ndim))


def transpose(x, axes=None):
    x = _tensor(x)
    axes = tuple(reversed(range(x.ndim))) if axes is None else tuple(axes)
    return x.permute(*axes)


def swapaxes(x, axis1, axis2):
    return torch.swapaxes(_tensor(x), axis1, axis2)


def moveaxis(x, source, destination):
    return torch.movedim(_tensor(x), source, destination)


def broadcast_to(x, shape):
    x = _tensor(x)
    shaping.check_broadcast_to(tuple(x.shape), tuple(shape))
    return torch.broadcast_to(x, tuple(shape))


def ndim(x):
    return _tensor(x).ndim


def size(x):
    return _tensor(x).numel()


def view(x, dtype=None):
    x = _tensor(x)
    if dtype is None:
        return x
    return x.view(core.to_native_dtype(dtype))


def view_as_real(x):
    x = _tensor(x)
    shaping.check_complex("view_as_real", dtypes.standardize_dtype(x.dtype))
    return torch.view_as_real(x.resolve_conj())


def view_as_complex(x):
    x = _tensor(x)
    shaping.check_real_pairs("view_as_complex", tuple(x.shape), dtypes.standardize_dtype(x.dtype))
    return torch.view_as_complex(x.contiguous())


# ---------------------------------------------------------------------------- joining


def concatenate(xs, axis=0):
    return torch.cat(core.promote(*xs), dim=axis)


def stack(x, axis=0):
    return torch.stack(core.promote(*x), dim=axis)


def hstack(xs):
    return torch.hstack(core.promote(*xs))


def vstack(xs):
    return torch.vstack(core.promote(*xs))


def dstack(xs):
    return torch.dstack(core.promote(*xs))


def append(x1, x2, axis=None):
    x1, x2 = core.promote(x1, x2)
    if axis is None:
        return torch.cat([x1.reshape(-1), x2.reshape(-1)])
    return torch.cat([x1, x2], dim=axis)


# ---------------------------------------------------------------------------- splitting


def _split(x, indices_or_sections, axis):
    size = x.shape[axis]
    return [
        torch.narrow(x, axis, start, stop - start)
        for start, stop in shaping.split_bounds(size, indices_or_sections)
    ]


def split(x, indices_or_sections, axis=0):
    x = _tensor(x)
    shaping.check_split("split", x.shape[axis], indices_or_sections, axis)
    return _split(x, indices_or_sections, axis)


def array_split(x, indices_or_sections, axis=0):
    return _split(_tensor(x), indices_or_sections, axis)


def hsplit(x, indices_or_sections):
    x = _tensor(x)
    return split(x, indices_or_sections, axis=1 if x.ndim > 1 else 0)


def vsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=2)


# ---------------------------------------------------------------------------- rearranging


def flip(x, axis=None):
    x = _tensor(x)
    dims = tuple(range(x.ndim)) if axis is None else _axes(axis, x.ndim)
    return torch.flip(x, dims)


def fliplr(x):
    return torch.fliplr(_tensor(x))


def flipud(x):
    return torch.flipud(_tensor(x))


def rot90(array, k=1, axes=(0, 1)):
    return torch.rot90(_tensor(array), k, tuple(axes))


def roll(x, shift, axis=None):
    x = _tensor(x)
    if axis is None:
        return torch.roll(x.reshape(-1), shift).reshape(x.shape)
    return torch.roll(x, shift, dims=axis)


def tile(x, repeats):
    x = _tensor(x)
    repeats = (repeats,) if isinstance(repeats, int) else tuple(repeats)
    return torch.tile(x, repeats)


def repeat(x, repeats, axis=None):
    x = _tensor(x)
    if not isinstance(repeats, int):
        repeats = core.convert_to_tensor(repeats).to(torch.int64)
    if axis is None:
        return torch.repeat_interleave(x.reshape(-1), repeats)
    return torch.repeat_interleave(x, repeats, dim=axis)


def pad(x, pad_width, mode="constant", constant_values=None):
    x = _tensor(x)
    pad_width = shaping.pad_pairs(pad_width, x.ndim)
    shaping.check_pad_mode(mode, constant_values)
    if mode == "constant":
        value = 0 if constant_values is None else constant_values
        # F.pad takes the last axis first.
        flat = [w for pair in reversed(pad_width) for w in pair]
        return torch.nn.functional.pad(x, flat, mode="constant", value=value)
    for axis, (before, after) in enumerate(pad_width):
        if before or after:
            source = shaping.pad_source_indices(x.shape[axis], before, after, mode)
            x = torch.index_select(x, axis, torch.as_tensor(source, device=x.device))
    return x


def diff(a, n=1, axis=-1):
    return torch.diff(_tensor(a), n=n, dim=axis)
