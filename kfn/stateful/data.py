"""Preparing data as Keras's utilities do: one-hot class ids, normalized rows, padded
sequences, and the (x, y, sample_weight) form of a batch."""

from __future__ import annotations

import numpy as np

from kfn import ops


def to_categorical(x, num_classes=None):
    """Class ids to one-hot rows (the class axis last), as Keras: a NumPy array (float64) for
    array-likes, a tensor (`ops.one_hot`) for tensors. A trailing axis of size 1 is dropped.

    Ids must lie in [0, num_classes): others raise ValueError (NumPy indexing would silently
    wrap a negative id to the last class)."""
    if ops.is_tensor(x):
        shape = tuple(x.shape)
        if len(shape) > 1 and shape[-1] == 1:
            x = ops.reshape(x, shape[:-1])
        if num_classes is None:
            num_classes = int(ops.convert_to_numpy(ops.max(x))) + 1
        return ops.one_hot(x, num_classes)
    ids = np.asarray(x)
    if ids.size and not np.issubdtype(ids.dtype, np.integer):
        if not np.all(np.equal(np.mod(ids, 1), 0)):
            raise ValueError(f"to_categorical: x must hold integer class ids, got {ids.dtype}")
    ids = ids.astype("int64")
    shape = ids.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    ids = ids.reshape(-1)
    if not num_classes:
        num_classes = int(ids.max()) + 1 if ids.size else 0
    if ids.size and (ids.min() < 0 or ids.max() >= num_classes):
        raise ValueError(
            f"to_categorical: class ids must be in [0, {num_classes}), got ids from "
            f"{ids.min()} to {ids.max()}"
        )
    categorical = np.zeros((ids.size, num_classes))
    categorical[np.arange(ids.size), ids] = 1
    return categorical.reshape((*shape, num_classes))


def normalize(x, axis=-1, order=2):
    """`x` divided by its `order`-norm along `axis` (zero norms left as 1), as Keras: NumPy in,
    NumPy out; a tensor in, a tensor out."""
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis if axis is not None else -1)
    return ops.normalize(x, axis=axis, order=order)


_PADDINGS = ("pre", "post")


def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
):
    """Sequences of different lengths to one array `(len(sequences), maxlen, ...)`, as Keras:
    shorter ones padded with `value`, longer ones cut, at the start ("pre") or end ("post").

    Args:
        sequences: a list of sequences (lists or arrays; their items may be arrays too).
        maxlen: the length of the result (default: the longest sequence).
        dtype: the result's dtype (a string dtype for text).
        padding, truncating: "pre" or "post".
        value: the padding value.
    """
    for argument, given in (("padding", padding), ("truncating", truncating)):
        if given not in _PADDINGS:
            raise ValueError(f"pad_sequences: {argument} must be 'pre' or 'post', got {given!r}")
    if not hasattr(sequences, "__len__"):
        raise ValueError("pad_sequences: sequences must be a list of sequences")
    lengths, sample_shape = [], ()
    for index, sequence in enumerate(sequences):
        try:
            lengths.append(len(sequence))
        except TypeError:
            raise ValueError(
                f"pad_sequences: sequences[{index}] is not a sequence: {sequence!r}"
            ) from None
        if len(sequence) and not sample_shape:
            sample_shape = np.asarray(sequence).shape[1:]
    if maxlen is None:
        maxlen = max(lengths, default=0)
    is_text = np.issubdtype(np.dtype(dtype), np.str_) or np.issubdtype(np.dtype(dtype), np.object_)
    if isinstance(value, str) and not is_text:
        raise ValueError(
            f"pad_sequences: dtype {dtype!r} cannot hold the string padding value {value!r}; "
            "use dtype=object or a string dtype"
        )
    out = np.full((len(sequences), maxlen, *sample_shape), value, dtype=dtype)
    for index, sequence in enumerate(sequences):
        if not len(sequence) or not maxlen:
            continue
        kept = np.asarray(sequence, dtype=dtype)
        kept = kept[-maxlen:] if truncating == "pre" else kept[:maxlen]
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"pad_sequences: sequences[{index}] has items of shape {kept.shape[1:]}, "
                f"expected {sample_shape} as the others"
            )
        if padding == "post":
            out[index, : len(kept)] = kept
        else:
            out[index, -len(kept) :] = kept
    return out


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """`(x,)`, `(x, y)` or `(x, y, sample_weight)`, as Keras packs a batch (a lone non-tuple
    `x` comes back as it is)."""
    if y is None:
        return (x,) if isinstance(x, list | tuple) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """`(x, y, sample_weight)` of a batch, with None for what it lacks."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if len(data) == 1:
        return (data[0], None, None)
    if len(data) == 2:
        return (data[0], data[1], None)
    if len(data) == 3:
        return data
    raise ValueError(
        "unpack_x_y_sample_weight: expected x, (x,), (x, y) or (x, y, sample_weight), got a "
        f"tuple of {len(data)} items"
    )
