"""TensorFlow backend: kfn.ops.numpy indexing, sorting, searching and selection.

TensorFlow lacks kernels for bool and some narrow integer types (more of them on GPU): those
are computed in int64 and cast back. Its sorts do not order NaN, so floats are sorted and
searched through integer keys with NumPy's order. NumPy's advanced indexing (int and bool
tensors in a key) is built from `tf.gather_nd`. Everything here traces under `tf.function`,
including outputs whose size depends on the values (`nonzero`, `unique`, bool masks).
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from kfn.backends.common import dtypes, indexing, reductions
from kfn.backends.tensorflow import core
from kfn.backends.tensorflow.numpy.reductions import _FLOATS, _NARROW, _ordered, _unordered

_BITS = {tf.float16: tf.int16, tf.bfloat16: tf.int16, tf.float32: tf.int32, tf.float64: tf.int64}


def _tensor(x):
    return core.convert_to_tensor(x)


def _dtype(x) -> str:
    return dtypes.standardize_dtype(x.dtype)


def _shape(x) -> tuple:
    return tuple(x.shape.as_list())


def _indices(name, indices, argument="indices"):
    indices = _tensor(indices)
    indexing.check_integer(name, _dtype(indices), argument)
    return tf.cast(indices, tf.int64)


def _wrap_negative(indices, size):
    return tf.where(indices < 0, indices + tf.cast(size, indices.dtype), indices)


def _flat_axis(name, x, axis):
    if axis is None:
        return tf.reshape(x, [-1]), 0
    return x, reductions.canonical_axis(name, axis, x.shape.rank)


def _moveaxis(x, source, destination):
    return tf.experimental.numpy.moveaxis(x, source, destination)


def _order_key(x):
    """x as a tensor that TensorFlow's sorts order as NumPy orders x: floats become integers
    with the same order, NaN last and -0.0 equal to 0.0; narrow types become int64."""
    if x.dtype not in _FLOATS:
        return _ordered(x)
    canonical = tf.where(tf.math.is_nan(x), tf.constant(math.nan, x.dtype), x + 0)
    bits = tf.bitcast(canonical, _BITS[x.dtype])
    key = tf.where(bits < 0, tf.bitwise.bitwise_xor(bits, bits.dtype.max), bits)
    return tf.cast(key, tf.int32) if key.dtype == tf.int16 else key


def _out_of_range(name, error):
    raise IndexError(f"kfn.ops.{name}: an index is out of range ({error.message})") from None


def _stable_argsort(x, axis):
    return tf.argsort(_order_key(x), axis=axis, stable=True)


# ---------------------------------------------------------------------------- gathering


def take(x, indices, axis=None):
    x, indices = _tensor(x), _indices("take", indices)
    x, axis = _flat_axis("take", x, axis)
    # Out-of-range indices are an error on the CPU (GPU kernels give zeros).
    try:
        return tf.gather(x, _wrap_negative(indices, tf.shape(x)[axis]), axis=axis)
    except tf.errors.InvalidArgumentError as error:
        _out_of_range("take", error)


def take_along_axis(x, indices, axis=None):
    x, indices = _tensor(x), _indices("take_along_axis", indices)
    indexing.check_take_along_axis(_shape(x), _shape(indices), axis)
    x, axis = _flat_axis("take_along_axis", x, axis)
    indices = _wrap_negative(indices, tf.shape(x)[axis])
    # Move the axis last, broadcast the other axes together, then gather per row.
    x, indices = _moveaxis(x, axis, -1), _moveaxis(indices, axis, -1)
    batch = tf.broadcast_dynamic_shape(tf.shape(x)[:-1], tf.shape(indices)[:-1])
    x = tf.broadcast_to(x, tf.concat([batch, tf.shape(x)[-1:]], 0))
    indices = tf.broadcast_to(indices, tf.concat([batch, tf.shape(indices)[-1:]], 0))
    try:
        out = tf.gather(x, indices, batch_dims=x.shape.rank - 1)
    except tf.errors.InvalidArgumentError as error:
        _out_of_range("take_along_axis", error)
    return _moveaxis(out, -1, axis)


def _describe(entry):
    if core.is_tensor(entry):
        return _dtype(entry), entry.shape.rank
    if isinstance(entry, np.ndarray | np.generic):
        return _dtype(entry), entry.ndim
    return None


def get_item(x, key):
    x = _tensor(x)
    entries = indexing.parse_key(key, _shape(x), _describe)
    if not any(e.kind in (indexing.INTEGERS, indexing.BOOLS) for e in entries):
        # Basic indexing: a strided slice.
        return x[tuple(_basic(e.value) for e in entries)]
    return _advanced(x, entries)


def _basic(value):
    return int(value) if isinstance(value, np.ndarray) else value


def _advanced(x, entries):
    """NumPy's advanced indexing: slices and new axes first, then one gather_nd over the
    indexed axes, whose broadcast shape lands where NumPy puts it."""
    adjacent = indexing.advanced_indices_adjacent(entries)
    basic, arrays, positions = [], [], []
    dim = 0  # the dimension of the sliced tensor each entry lands on
    for e in entries:
        if e.kind == indexing.NEWAXIS:
            basic.append(None)
            dim += 1
        elif e.kind == indexing.SLICE:
            basic.append(e.value)
            dim += 1
        elif e.kind == indexing.BOOLS:
            mask = tf.cast(_tensor(e.value), tf.bool)
            masked = _shape(x)[e.dim : e.dim + e.consumes]
            if None not in masked and _shape(mask) != tuple(masked):
                raise IndexError(
                    f"kfn.ops.get_item: a bool index of shape {_shape(mask)} does not match "
                    f"the indexed dimensions {tuple(masked)}"
                )
            coordinates = tf.where(mask)  # a bool mask selects its nonzero coordinates
            for j in range(e.consumes):
                basic.append(slice(None))
                arrays.append(coordinates[:, j])
                positions.append(dim)
                dim += 1
        else:
            basic.append(slice(None))
            arrays.append(tf.cast(_tensor(e.value), tf.int64))
            positions.append(dim)
            dim += 1
    sliced = x[tuple(basic)]
    sizes = tf.shape(sliced, out_type=tf.int64)
    arrays = [_wrap_negative(a, sizes[p]) for a, p in zip(arrays, positions)]
    static = [a.shape.as_list() for a in arrays]
    if all(None not in s for s in static):
        shape = np.broadcast_shapes(*(tuple(s) for s in static))
    else:
        shape = tf.shape(arrays[0])
        for a in arrays[1:]:
            shape = tf.broadcast_dynamic_shape(shape, tf.shape(a))
    coordinates = tf.stack([tf.broadcast_to(a, shape) for a in arrays], axis=-1)
    rest = [d for d in range(sliced.shape.rank) if d not in positions]
    try:
        out = tf.gather_nd(tf.transpose(sliced, positions + rest), coordinates)
    except tf.errors.InvalidArgumentError as error:
        _out_of_range("get_item", error)
    if adjacent:
        # NumPy keeps the broadcast dimensions where the (adjacent) indices were.
        where = sum(1 for d in rest if d < positions[0])
        broadcast_rank = coordinates.shape.rank - 1
        order = list(range(broadcast_rank, broadcast_rank + where))
        order += list(range(broadcast_rank)) + list(range(broadcast_rank + where, out.shape.rank))
        out = tf.transpose(out, order)
    return out


def nonzero(x):
    x = _tensor(x)
    indexing.check_rank("nonzero", _shape(x), 1)
    found = x if x.dtype == tf.bool else tf.not_equal(x, tf.zeros_like(x))
    indices = tf.cast(tf.where(found), tf.int32)
    return tuple(tf.unstack(indices, num=x.shape.rank, axis=1))


def select(condlist, choicelist, default=0):
    indexing.check_select(condlist, choicelist)
    conditions = [_tensor(c) for c in condlist]
    for i, condition in enumerate(conditions):
        indexing.check_condition(_dtype(condition), i)
    *choices, default = core.promote(*choicelist, default)
    shape = tf.shape(default)
    for t in (*conditions, *choices):
        shape = tf.broadcast_dynamic_shape(shape, tf.shape(t))
    out = tf.broadcast_to(default, shape)
    # The first true condition wins: apply them from last to first.
    for condition, choice in reversed(list(zip(conditions, choices))):
        out = tf.where(condition, choice, out)
    return out


# ---------------------------------------------------------------------------- sorting, searching


def sort(x, axis=-1):
    x, axis = _flat_axis("sort", _tensor(x), axis)
    if x.dtype not in _FLOATS:
        return _unordered(tf.sort(_ordered(x), axis=axis), x.dtype)
    # NaNs sort last, as in NumPy: sort them as +inf, then put NaN back in the last places.
    nan = tf.math.is_nan(x)
    ordered = tf.sort(tf.where(nan, tf.constant(math.inf, x.dtype), x), axis=axis)
    nan_count = tf.reduce_sum(tf.cast(nan, tf.int32), axis=axis, keepdims=True)
    size = tf.shape(x)[axis]
    shape = [1] * x.shape.rank
    shape[axis] = -1
    position = tf.reshape(tf.range(size), shape)
    return tf.where(position >= size - nan_count, tf.constant(math.nan, x.dtype), ordered)


def argsort(x, axis=-1):
    x, axis = _flat_axis("argsort", _tensor(x), axis)
    return _stable_argsort(x, axis)


def argpartition(x, kth, axis=-1):
    x, axis = _flat_axis("argpartition", _tensor(x), axis)
    indexing.check_kth(kth, x.shape[axis])
    # A full sort is a valid partition (TensorFlow has no partial one).
    return _stable_argsort(x, axis)


def _search(sequence_keys, value_keys, side):
    flat = tf.reshape(value_keys, [1, -1])
    out = tf.searchsorted(sequence_keys[None], flat, side=side, out_type=tf.int32)
    return tf.reshape(out, tf.shape(value_keys))


def searchsorted(sorted_sequence, values, side="left"):
    indexing.check_side("searchsorted", side)
    sorted_sequence, values = core.promote(sorted_sequence, values)
    indexing.check_sorted_sequence("searchsorted", _shape(sorted_sequence))
    return _search(_order_key(sorted_sequence), _order_key(values), side)


def digitize(x, bins):
    x, bins = core.promote(x, bins)
    indexing.check_sorted_sequence("digitize", _shape(bins))
    if bins.shape[0] == 0:
        return tf.zeros(tf.shape(x), tf.int32)
    keys, bin_keys = _order_key(x), _order_key(bins)
    # Increasing bins: bins[i-1] <= x < bins[i]; decreasing: bins[i-1] > x >= bins[i].
    increasing = _search(bin_keys, keys, "right")
    decreasing = tf.shape(bins)[0] - _search(tf.reverse(bin_keys, [0]), keys, "left")
    return tf.where(bin_keys[-1] >= bin_keys[0], increasing, decreasing)


def top_k(x, k, sorted=True):
    x = _tensor(x)
    k = indexing.check_top_k(_shape(x), k)
    values, indices = tf.math.top_k(_ordered(x), k=k, sorted=True)
    return _unordered(values, x.dtype), indices


def in_top_k(targets, predictions, k):
    targets, predictions = _indices("in_top_k", targets, "targets"), _tensor(predictions)
    indexing.check_in_top_k(_shape(targets), _shape(predictions), k)
    predictions = _ordered(predictions)
    classes = tf.shape(predictions, out_type=tf.int64)[-1]
    valid = (targets >= 0) & (targets < classes)
    safe = tf.where(valid, targets, tf.zeros_like(targets))
    target_values = tf.gather(predictions, safe[:, None], batch_dims=1)
    if predictions.dtype in _FLOATS:  # a NaN prediction is never in the top k
        infinity = tf.constant(-math.inf, predictions.dtype)
        target_values = tf.where(tf.math.is_nan(target_values), infinity, target_values)
    rank = tf.reduce_sum(tf.cast(predictions > target_values, tf.int32), axis=-1)
    return valid & (rank < k)


def unique(
    x,
    sorted=True,
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    size=None,
    fill_value=None,
):
    x = _tensor(x)
    axis = indexing.check_unique_axis(_shape(x), axis)
    source = tf.reshape(x, [-1]) if axis is None else x
    along = 0 if axis is None else axis
    # tf.unique keeps first occurrences in order; they are sorted below.
    if axis is None:
        found, inverse = tf.unique(_ordered(source))
    else:
        found, inverse = tf.raw_ops.UniqueV2(x=_ordered(source), axis=[axis])
    count = tf.shape(found)[along]
    length = tf.shape(source)[along]
    index = tf.math.unsorted_segment_min(tf.range(length), inverse, count)
    counts = tf.math.unsorted_segment_sum(tf.ones_like(inverse), inverse, count)
    if axis is None:
        order = _stable_argsort(tf.gather(source, index), 0)
    else:
        order = _lexicographic_order(tf.gather(source, index, axis=axis), axis)
    values = tf.gather(source, tf.gather(index, order), axis=along)
    index, counts = tf.gather(index, order), tf.gather(counts, order)
    inverse = tf.gather(tf.math.invert_permutation(order), inverse)
    if axis is None:
        inverse = tf.reshape(inverse, tf.shape(x))
    if size is not None:
        fill = 0 if fill_value is None else fill_value
        values = _pad(values, size, along, fill)
        index, counts = _pad(index, size, 0, 0), _pad(counts, size, 0, 0)
    extras = [(return_index, index), (return_inverse, inverse), (return_counts, counts)]
    extras = [tf.cast(e, tf.int32) for wanted, e in extras if wanted]
    return (values, *extras) if extras else values


def _lexicographic_order(slices, axis):
    """The stable order that sorts the slices of `slices` along `axis` lexicographically."""
    rows = tf.reshape(_moveaxis(slices, axis, 0), [tf.shape(slices)[axis], -1])
    columns = rows.shape[1]
    order = tf.range(tf.shape(rows)[0])
    if columns is None:
        raise NotImplementedError(
            "kfn.ops.unique: on the tensorflow backend, unique along an axis needs the other "
            "dimensions of x to be known when tracing; reshape x to a static shape first."
        )
    # Radix order: stable sorts by each column, the last one first.
    for column in reversed(range(columns)):
        keys = tf.gather(rows[:, column], order)
        order = tf.gather(order, _stable_argsort(keys, 0))
    return order


def _pad(values, size, axis, fill):
    """`values` truncated or padded with `fill` to `size` entries along `axis`."""
    count = tf.shape(values)[axis]
    values = tf.gather(values, tf.range(tf.minimum(count, size)), axis=axis)
    paddings = [[0, 0]] * values.shape.rank
    paddings[axis] = [0, tf.maximum(size - count, 0)]
    out = tf.pad(values, paddings, constant_values=tf.cast(fill, values.dtype))
    shape = out.shape.as_list()
    shape[axis] = size
    return tf.ensure_shape(out, shape)


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = core.promote(x1, x2)
    keys = tf.sort(tf.reshape(_order_key(x2), [-1]))
    found_keys = _order_key(x1)
    position = _search(keys, found_keys, "left")
    # One more (any) key, so that reading at `position` is in range when nothing is found.
    candidate = tf.gather(tf.pad(keys, [[0, 1]]), position)
    found = (position < tf.shape(keys)[0]) & tf.equal(candidate, found_keys)
    if x1.dtype in _FLOATS:
        found &= ~tf.math.is_nan(x1)  # NaN is never found, as in NumPy
    return ~found if invert else found


def unravel_index(indices, shape):
    indices = _tensor(indices)
    indexing.check_integer("unravel_index", _dtype(indices))
    shape = indexing.check_unravel_shape(shape)
    compute = tf.int32 if indices.dtype == tf.int32 else tf.int64
    coordinates = tf.unravel_index(
        tf.cast(tf.reshape(indices, [-1]), compute), tf.constant(shape, compute)
    )
    return tuple(
        tf.cast(tf.reshape(c, tf.shape(indices)), indices.dtype)
        for c in tf.unstack(coordinates, num=len(shape))
    )


# ---------------------------------------------------------------------------- triangles, diagonals


def _triangle(name, x, k, lower):
    x = _tensor(x)
    indexing.check_rank(name, _shape(x), 1)
    if x.shape.rank == 1:  # a 1-D x stands for the square matrix of copies of it (as NumPy)
        x = tf.broadcast_to(x, tf.concat([tf.shape(x), tf.shape(x)], 0))
    rows = tf.range(tf.shape(x)[-2])[:, None]
    columns = tf.range(tf.shape(x)[-1])[None, :]
    keep = columns - rows <= k if lower else columns - rows >= k
    return tf.where(keep, x, tf.zeros_like(x))


def tril(x, k=0):
    return _triangle("tril", x, k, lower=True)


def triu(x, k=0):
    return _triangle("triu", x, k, lower=False)


def _diagonal(name, x, offset, axis1, axis2):
    axis1, axis2 = indexing.diagonal_axes(name, _shape(x), axis1, axis2)
    others = [d for d in range(x.shape.rank) if d not in (axis1, axis2)]
    moved = tf.transpose(x, others + [axis1, axis2])
    shape = _shape(moved)
    if indexing.diagonal_length(shape[-2], shape[-1], offset) == 0:
        # tf.linalg.diag_part rejects offsets outside the matrix; NumPy gives an empty result.
        return tf.zeros(tf.concat([tf.shape(moved)[:-2], [0]], 0), x.dtype)
    return tf.linalg.diag_part(moved, k=offset)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return _diagonal("diagonal", _tensor(x), offset, axis1, axis2)


def diag(x, k=0):
    x = _tensor(x)
    if x.shape.rank == 1:
        return tf.linalg.diag(x, k=k)
    if x.shape.rank == 2:
        return _diagonal("diag", x, k, 0, 1)
    raise ValueError(f"kfn.ops.diag: x must be 1-D or 2-D, got shape {_shape(x)}")


def diagflat(x, k=0):
    return tf.linalg.diag(tf.reshape(_tensor(x), [-1]), k=k)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    dtype = core.to_native_dtype(reductions.sum_dtype(_dtype(x)))
    compute = tf.int64 if dtype in _NARROW else dtype
    diagonal = _diagonal("trace", tf.cast(x, compute), offset, axis1, axis2)
    return tf.cast(tf.reduce_sum(diagonal, axis=-1), dtype)
