"""NumPy backend: kfn.ops.numpy shape manipulation, joining and splitting."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import dtypes, shaping
from kfn.backends.numpy import core


def _tensor(x):
    return core.convert_to_tensor(x)


# ---------------------------------------------------------------------------- shape


def reshape(x, newshape):
    x = _tensor(x)
    newshape = shaping.check_reshape(tuple(x.shape), newshape)
    return np.reshape(x, newshape)


def ravel(x):
    return np.ravel(_tensor(x))


def expand_dims(x, axis):
    return np.expand_dims(_tensor(x), axis)


def squeeze(x, axis=None):
    x = _tensor(x)
    shaping.check_squeeze(tuple(x.shape), axis)
    return np.squeeze(x, axis=axis)


def transpose(x, axes=None):
    return np.transpose(_tensor(x), axes)


def swapaxes(x, axis1, axis2):
    return np.swapaxes(_tensor(x), axis1, axis2)


def moveaxis(x, source, destination):
    return np.moveaxis(_tensor(x), source, destination)


def broadcast_to(x, shape):
    x = _tensor(x)
    shaping.check_broadcast_to(tuple(x.shape), tuple(shape))
    return np.broadcast_to(x, tuple(shape))


def ndim(x):
    return int(np.ndim(_tensor(x)))


def size(x):
    return int(np.size(_tensor(x)))


def view(x, dtype=None):
    x = _tensor(x)
    if dtype is None:
        return x
    return x.view(core.to_native_dtype(dtype))


def view_as_real(x):
    x = _tensor(x)
    shaping.check_complex("view_as_real", dtypes.standardize_dtype(x.dtype))
    return np.stack([np.real(x), np.imag(x)], axis=-1)


def view_as_complex(x):
    x = _tensor(x)
    shaping.check_real_pairs("view_as_complex", tuple(x.shape), dtypes.standardize_dtype(x.dtype))
    target = core.to_native_dtype(shaping.complex_of(dtypes.standardize_dtype(x.dtype)))
    return (x[..., 0] + 1j * x[..., 1]).astype(target)


# ---------------------------------------------------------------------------- joining


def concatenate(xs, axis=0):
    xs = core.promote(*xs)
    return np.concatenate(xs, axis=axis)


def stack(x, axis=0):
    return np.stack(core.promote(*x), axis=axis)


def hstack(xs):
    return np.hstack(core.promote(*xs))


def vstack(xs):
    return np.vstack(core.promote(*xs))


def dstack(xs):
    return np.dstack(core.promote(*xs))


def append(x1, x2, axis=None):
    x1, x2 = core.promote(x1, x2)
    return np.append(x1, x2, axis=axis)


# ---------------------------------------------------------------------------- splitting


def split(x, indices_or_sections, axis=0):
    x = _tensor(x)
    shaping.check_split("split", x.shape[axis], indices_or_sections, axis)
    return np.split(x, indices_or_sections, axis=axis)


def array_split(x, indices_or_sections, axis=0):
    return np.array_split(_tensor(x), indices_or_sections, axis=axis)


def hsplit(x, indices_or_sections):
    x = _tensor(x)
    return split(x, indices_or_sections, axis=1 if x.ndim > 1 else 0)


def vsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=2)


# ---------------------------------------------------------------------------- rearranging


def flip(x, axis=None):
    return np.flip(_tensor(x), axis=axis)


def fliplr(x):
    return np.fliplr(_tensor(x))


def flipud(x):
    return np.flipud(_tensor(x))


def rot90(array, k=1, axes=(0, 1)):
    return np.rot90(_tensor(array), k=k, axes=tuple(axes))


def roll(x, shift, axis=None):
    return np.roll(_tensor(x), shift, axis=axis)


def tile(x, repeats):
    return np.tile(_tensor(x), repeats)


def repeat(x, repeats, axis=None):
    return np.repeat(_tensor(x), repeats, axis=axis)


def pad(x, pad_width, mode="constant", constant_values=None):
    x = _tensor(x)
    pad_width = shaping.pad_pairs(pad_width, x.ndim)
    shaping.check_pad_mode(mode, constant_values)
    if mode == "constant":
        value = 0 if constant_values is None else constant_values
        return np.pad(x, pad_width, mode="constant", constant_values=core.cast(value, x.dtype))
    return np.pad(x, pad_width, mode=mode)


def diff(a, n=1, axis=-1):
    return np.diff(_tensor(a), n=n, axis=axis)
