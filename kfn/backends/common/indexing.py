"""Rules every backend's indexing, sorting and searching ops share: checks of static arguments
and the parsing of NumPy-style `get_item` keys, so errors read the same on every backend."""

from __future__ import annotations

import dataclasses
import numbers
from typing import Any

import numpy as np

from kfn.backends.common import dtypes
from kfn.backends.common.reductions import canonical_axis


def check_integer(name: str, dtype: str, argument: str = "indices") -> None:
    if not dtypes.is_int(dtype):
        raise TypeError(f"kfn.ops.{name}: {argument} must be a tensor of integers, got {dtype}")


def check_rank(name: str, shape, minimum: int, argument: str = "x") -> None:
    if len(shape) < minimum:
        raise ValueError(
            f"kfn.ops.{name}: {argument} must have at least {minimum} dimension"
            f"{'s' if minimum > 1 else ''}, got shape {tuple(shape)}"
        )


def check_side(name: str, side) -> None:
    if side not in ("left", "right"):
        raise ValueError(f"kfn.ops.{name}: side must be 'left' or 'right', got {side!r}")


def check_kth(kth, size) -> int:
    """`argpartition`'s kth as a non-negative int below `size` (the length of the axis)."""
    if not isinstance(kth, numbers.Integral) or isinstance(kth, bool):
        raise TypeError(f"kfn.ops.argpartition: kth must be an int, got {kth!r}")
    if size is not None and not -size <= kth < size:
        raise ValueError(
            f"kfn.ops.argpartition: kth={kth} is out of bounds for an axis of size {size}"
        )
    return int(kth) % size if size else int(kth)


def check_top_k(shape, k) -> int:
    check_rank("top_k", shape, 1)
    if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 0:
        raise ValueError(f"kfn.ops.top_k: k must be an int >= 0, got {k!r}")
    if shape[-1] is not None and k > shape[-1]:
        raise ValueError(
            f"kfn.ops.top_k: k={k} is larger than the last axis of x (shape {tuple(shape)})"
        )
    return int(k)


def check_in_top_k(targets_shape, predictions_shape, k) -> None:
    if len(predictions_shape) != 2 or len(targets_shape) != 1:
        raise ValueError(
            "kfn.ops.in_top_k: expected targets of shape (batch,) and predictions of shape "
            f"(batch, classes), got {tuple(targets_shape)} and {tuple(predictions_shape)}"
        )
    if None not in (targets_shape[0], predictions_shape[0]):
        if targets_shape[0] != predictions_shape[0]:
            raise ValueError(
                "kfn.ops.in_top_k: targets and predictions have different batch sizes: "
                f"{tuple(targets_shape)} and {tuple(predictions_shape)}"
            )
    if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 0:
        raise ValueError(f"kfn.ops.in_top_k: k must be an int >= 0, got {k!r}")


def check_select(condlist, choicelist) -> None:
    if len(condlist) != len(choicelist):
        raise ValueError(
            f"kfn.ops.select: condlist and choicelist must have the same length, got "
            f"{len(condlist)} and {len(choicelist)}"
        )
    if not condlist:
        raise ValueError("kfn.ops.select: condlist must not be empty")


def check_condition(dtype: str, position: int) -> None:
    if dtype != "bool":
        raise TypeError(
            f"kfn.ops.select: condlist[{position}] must be a tensor of bools, got {dtype}"
        )


def check_take_along_axis(x_shape, indices_shape, axis) -> None:
    expected = 1 if axis is None else len(x_shape)
    if len(indices_shape) != expected:
        raise ValueError(
            f"kfn.ops.take_along_axis: indices must have rank {expected} "
            f"({'1-D with axis=None' if axis is None else 'the rank of x'}), got shape "
            f"{tuple(indices_shape)}"
        )


def check_sorted_sequence(name: str, shape) -> None:
    if len(shape) != 1:
        raise ValueError(
            f"kfn.ops.{name}: the sorted sequence must be 1-D, got shape {tuple(shape)}"
        )


def diagonal_axes(name: str, shape, axis1, axis2) -> tuple[int, int]:
    """`diagonal`'s axes, normalized and checked."""
    check_rank(name, shape, 2)
    ndim = len(shape)
    a1 = canonical_axis(name, axis1, ndim, "axis1")
    a2 = canonical_axis(name, axis2, ndim, "axis2")
    if a1 == a2:
        raise ValueError(f"kfn.ops.{name}: axis1 and axis2 must differ, got {axis1} and {axis2}")
    return a1, a2


def diagonal_length(rows, columns, offset: int):
    """The length of the `offset`-th diagonal of a rows x columns matrix (None if unknown)."""
    if rows is None or columns is None:
        return None
    if offset >= 0:
        return max(0, min(rows, columns - offset))
    return max(0, min(rows + offset, columns))


def check_unravel_shape(shape) -> tuple[int, ...]:
    try:
        shape = tuple(int(d) for d in shape)
    except TypeError:
        raise TypeError(
            f"kfn.ops.unravel_index: shape must be a sequence of ints, got {shape!r}"
        ) from None
    if any(d < 0 for d in shape):
        raise ValueError(f"kfn.ops.unravel_index: shape must not have negative sizes, got {shape}")
    return shape


def check_unique_axis(shape, axis):
    if axis is None:
        return None
    return canonical_axis("unique", axis, len(shape))


# ---------------------------------------------------------------------------- get_item keys

NEWAXIS, ELLIPSIS, INTEGER, SLICE, BOOLS, INTEGERS = (
    "newaxis",
    "...",
    "int",
    "slice",
    "bools",
    "ints",
)


@dataclasses.dataclass
class Index:
    """One entry of a parsed key: its `kind`, its `value`, the first dimension of x it indexes
    (None for a new axis) and how many dimensions of x it consumes."""

    kind: str
    value: Any
    dim: int | None
    consumes: int


def parse_key(key, shape, describe_array) -> list[Index]:
    """A NumPy indexing key for a tensor of `shape` as a list of `Index`, with the Ellipsis
    expanded into full slices and lists turned into NumPy arrays.

    `describe_array(entry)` returns `(dtype, ndim)` for a tensor or array entry, or None for
    anything else. Static ints are checked against the shape (IndexError, as NumPy).
    """
    if not isinstance(key, tuple):
        key = (key,)
    entries = []
    for entry in key:
        if isinstance(entry, list):
            entry = np.asarray(entry)
            if entry.dtype.kind == "f" and entry.size == 0:
                entry = entry.astype(np.int64)  # `x[[]]` selects nothing, as NumPy
        described = describe_array(entry) if not isinstance(entry, slice | int) else None
        if entry is None:
            entries.append(Index(NEWAXIS, None, None, 0))
        elif entry is Ellipsis:
            entries.append(Index(ELLIPSIS, None, None, 0))
        elif isinstance(entry, slice):
            entries.append(Index(SLICE, entry, None, 1))
        elif isinstance(entry, bool | np.bool_):
            raise IndexError("kfn.ops.get_item: a bool on its own is not a supported index")
        elif isinstance(entry, numbers.Integral):
            entries.append(Index(INTEGER, int(entry), None, 1))
        elif described is not None:
            dtype, ndim = described
            if dtype == "bool":
                entries.append(Index(BOOLS, entry, None, ndim))
            elif dtypes.is_int(dtype):
                kind = INTEGER if ndim == 0 else INTEGERS
                entries.append(Index(kind, entry, None, 1))
            else:
                raise IndexError(
                    f"kfn.ops.get_item: arrays used as indices must hold ints or bools, got {dtype}"
                )
        else:
            raise IndexError(
                f"kfn.ops.get_item: unsupported index {entry!r} (expected ints, slices, None, "
                "Ellipsis, or int or bool tensors)"
            )
    if sum(e.kind == ELLIPSIS for e in entries) > 1:
        raise IndexError("kfn.ops.get_item: an index can only have a single Ellipsis")
    used = sum(e.consumes for e in entries)
    if used > len(shape):
        raise IndexError(
            f"kfn.ops.get_item: too many indices for a tensor of rank {len(shape)} "
            f"({used} were indexed)"
        )
    expanded = []
    for e in entries:
        if e.kind == ELLIPSIS:
            expanded += [Index(SLICE, slice(None), None, 1) for _ in range(len(shape) - used)]
            used = len(shape)
        else:
            expanded.append(e)
    dim = 0
    for e in expanded:
        e.dim = None if e.kind == NEWAXIS else dim
        dim += e.consumes
        if e.kind == INTEGER and isinstance(e.value, int) and shape[e.dim] is not None:
            size = shape[e.dim]
            if not -size <= e.value < size:
                raise IndexError(
                    f"kfn.ops.get_item: index {e.value} is out of bounds for axis {e.dim} of "
                    f"size {size}"
                )
    return expanded


def positive_step(index: slice, size: int) -> slice:
    """The slice that selects, from the reversed axis, what `index` (a slice with a negative
    step) selects from the axis, in the same order."""
    start, stop, step = index.indices(size)
    count = len(range(start, stop, step))
    if count == 0:
        return slice(0, 0)
    first = size - 1 - start
    return slice(first, first + (count - 1) * -step + 1, -step)


def advanced_indices_adjacent(entries: list[Index]) -> bool:
    """Whether the array (and int) indices of a key are next to each other, in which case
    NumPy puts their broadcast dimensions where they are; otherwise it puts them first."""
    positions = [i for i, e in enumerate(entries) if e.kind in (INTEGER, INTEGERS, BOOLS)]
    return positions == list(range(positions[0], positions[-1] + 1))
