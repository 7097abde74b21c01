"""TensorFlow backend: kfn.ops.numpy shape manipulation, joining and splitting.

Works inside tf.function on tensors whose batch size is unknown: sizes come from tf.shape.
"""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.common import dtypes, shaping
from kfn.backends.tensorflow import core


def _tensor(x):
    return core.convert_to_tensor(x)


def _axes(axis, ndim):
    return [a % ndim for a in ((axis,) if isinstance(axis, int) else axis)]


def _moveaxis(x, source, destination):
    return tf.experimental.numpy.moveaxis(x, source, destination)


# ---------------------------------------------------------------------------- shape


def reshape(x, newshape):
    x = _tensor(x)
    newshape = shaping.check_reshape(tuple(x.shape.as_list()), newshape)
    return tf.reshape(x, newshape)


def ravel(x):
    return tf.reshape(_tensor(x), [-1])


def expand_dims(x, axis):
    x = _tensor(x)
    rank = x.shape.rank + (1 if isinstance(axis, int) else len(axis))
    for a in sorted(_axes(axis, rank)):
        x = tf.expand_dims(x, a)
    return x


def squeeze(x, axis=None):
    x = _tensor(x)
    shaping.check_squeeze(tuple(x.shape.as_list()), axis)
    return tf.squeeze(x, axis=None if axis is None else _axes(axis, x.shape.rank))


def transpose(x, axes=None):
    return tf.transpose(_tensor(x), perm=None if axes is None else list(axes))


def swapaxes(x, axis1, axis2):
    x = _tensor(x)
    perm = list(range(x.shape.rank))
    a, b = axis1 % len(perm), axis2 % len(perm)
    perm[a], perm[b] = perm[b], perm[a]
    return tf.transpose(x, perm)


def moveaxis(x, source, destination):
    return _moveaxis(_tensor(x), source, destination)


def broadcast_to(x, shape):
    x = _tensor(x)
    shaping.check_broadcast_to(tuple(x.shape.as_list()), tuple(shape))
    return tf.broadcast_to(x, shape)


def ndim(x):
    return _tensor(x).shape.rank


def size(x):
    x = _tensor(x)
    count = x.shape.num_elements()
    return count if count is not None else tf.size(x)


def view(x, dtype=None):
    x = _tensor(x)
    if dtype is None:
        return x
    target = core.to_native_dtype(dtype)
    ratio = target.size / x.dtype.size
    if ratio == 1:
        return tf.bitcast(x, target)
    if ratio < 1:
        # Each element becomes several: bitcast adds an axis, merged into the last one.
        out = tf.bitcast(x, target)
        return tf.reshape(out, tf.concat([tf.shape(x)[:-1], [-1]], 0))
    # Several elements become one: group them on a new last axis first.
    grouped = tf.reshape(x, tf.concat([tf.shape(x)[:-1], [-1, int(ratio)]], 0))
    return tf.bitcast(grouped, target)


def view_as_real(x):
    x = _tensor(x)
    shaping.check_complex("view_as_real", dtypes.standardize_dtype(x.dtype))
    return tf.stack([tf.math.real(x), tf.math.imag(x)], axis=-1)


def view_as_complex(x):
    x = _tensor(x)
    shaping.check_real_pairs(
        "view_as_complex", tuple(x.shape.as_list()), dtypes.standardize_dtype(x.dtype)
    )
    return tf.complex(x[..., 0], x[..., 1])


# ---------------------------------------------------------------------------- joining


def concatenate(xs, axis=0):
    return tf.concat(core.promote(*xs), axis=axis)


def stack(x, axis=0):
    return tf.stack(core.promote(*x), axis=axis)


def _at_least(x, rank):
    # NumPy's atleast_2d / atleast_3d layouts.
    if x.shape.rank >= rank:
        return x
    if rank == 2:
        return tf.reshape(x, [1, -1])
    if x.shape.rank == 2:
        return x[:, :, None]
    return tf.reshape(x, [1, -1, 1])


def hstack(xs):
    xs = core.promote(*xs)
    return tf.concat(xs, axis=0 if xs[0].shape.rank == 1 else 1)


def vstack(xs):
    return tf.concat([_at_least(x, 2) for x in core.promote(*xs)], axis=0)


def dstack(xs):
    return tf.concat([_at_least(_at_least(x, 2), 3) for x in core.promote(*xs)], axis=2)


def append(x1, x2, axis=None):
    x1, x2 = core.promote(x1, x2)
    if axis is None:
        return tf.concat([tf.reshape(x1, [-1]), tf.reshape(x2, [-1])], axis=0)
    return tf.concat([x1, x2], axis=axis)


# ---------------------------------------------------------------------------- splitting


def _split(x, indices_or_sections, axis):
    size = x.shape[axis]
    bounds = shaping.split_bounds(size, indices_or_sections)
    return tf.split(x, [stop - start for start, stop in bounds], axis=axis)


def split(x, indices_or_sections, axis=0):
    x = _tensor(x)
    shaping.check_split("split", x.shape[axis], indices_or_sections, axis)
    return _split(x, indices_or_sections, axis)


def array_split(x, indices_or_sections, axis=0):
    return _split(_tensor(x), indices_or_sections, axis)


def hsplit(x, indices_or_sections):
    x = _tensor(x)
    return split(x, indices_or_sections, axis=1 if x.shape.rank > 1 else 0)


def vsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=2)


# ---------------------------------------------------------------------------- rearranging


def flip(x, axis=None):
    x = _tensor(x)
    axes = list(range(x.shape.rank)) if axis is None else _axes(axis, x.shape.rank)
    return tf.reverse(x, axes)


def fliplr(x):
    return tf.reverse(_tensor(x), [1])


def flipud(x):
    return tf.reverse(_tensor(x), [0])


def rot90(array, k=1, axes=(0, 1)):
    x = _tensor(array)
    first, second = (a % x.shape.rank for a in axes)
    k = k % 4
    if k == 0:
        return x
    if k == 2:
        return tf.reverse(x, [first, second])
    swapped = swapaxes(x, first, second)
    # k=1 reverses the second axis then swaps; k=3 swaps then reverses it.
    return (
        swapaxes(tf.reverse(x, [second]), first, second)
        if k == 1
        else tf.reverse(swapped, [second])
    )


def roll(x, shift, axis=None):
    x = _tensor(x)
    if axis is None:
        return tf.reshape(tf.roll(tf.reshape(x, [-1]), shift, axis=0), tf.shape(x))
    return tf.roll(x, shift, axis=axis)


def tile(x, repeats):
    x = _tensor(x)
    repeats = [repeats] if isinstance(repeats, int) else list(repeats)
    # NumPy's alignment: missing axes on either side are added at the front.
    while x.shape.rank < len(repeats):
        x = x[None]
    repeats = [1] * (x.shape.rank - len(repeats)) + repeats
    return tf.tile(x, repeats)


def repeat(x, repeats, axis=None):
    x = _tensor(x)
    if not isinstance(repeats, int):
        repeats = tf.cast(core.convert_to_tensor(repeats), tf.int32)
    if axis is None:
        return tf.repeat(tf.reshape(x, [-1]), repeats, axis=0)
    return tf.repeat(x, repeats, axis=axis)


def pad(x, pad_width, mode="constant", constant_values=None):
    x = _tensor(x)
    pad_width = shaping.pad_pairs(pad_width, x.shape.rank)
    shaping.check_pad_mode(mode, constant_values)
    if mode == "constant":
        value = 0 if constant_values is None else constant_values
        return tf.pad(x, pad_width, mode="CONSTANT", constant_values=core.cast(value, x.dtype))
    for axis, (before, after) in enumerate(pad_width):
        if before or after:
            source = shaping.pad_source_indices(x.shape[axis], before, after, mode)
            x = tf.gather(x, source, axis=axis)
    return x


def diff(a, n=1, axis=-1):
    a = _tensor(a)
    moved = _moveaxis(a, axis, -1)
    for _ in range(n):
        moved = (
            moved[..., 1:] - moved[..., :-1]
            if moved.dtype != tf.bool
            else tf.not_equal(moved[..., 1:], moved[..., :-1])
        )
    return _moveaxis(moved, -1, axis)
