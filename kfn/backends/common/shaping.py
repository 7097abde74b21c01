"""Argument checks every backend's shape functions share, so each gives the same clear error."""

from __future__ import annotations

import math

PAD_MODES = (
    "constant",
    "edge",
    "linear_ramp",
    "maximum",
    "mean",
    "median",
    "minimum",
    "reflect",
    "symmetric",
    "wrap",
    "empty",
)


def check_reshape(shape: tuple, newshape) -> tuple:
    """`newshape` as a tuple, checked against the number of elements of `shape`."""
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    if any(not isinstance(d, int) for d in newshape) or None in shape:
        return newshape  # symbolic sizes: left to the framework
    if newshape.count(-1) > 1:
        raise ValueError(f"kfn.ops.reshape: only one dimension can be -1, got newshape={newshape}")
    total = math.prod(shape)
    known = math.prod(d for d in newshape if d != -1)
    if (-1 in newshape and (known == 0 or total % known)) or (
        -1 not in newshape and known != total
    ):
        raise ValueError(
            f"kfn.ops.reshape: cannot reshape a tensor of shape {shape} ({total} elements) "
            f"to {newshape}"
        )
    return newshape


def check_squeeze(shape: tuple, axis) -> None:
    if axis is None:
        return
    for a in (axis,) if isinstance(axis, int) else axis:
        if shape[a] not in (1, None):
            raise ValueError(
                f"kfn.ops.squeeze: axis {a} has size {shape[a]}, only axes of size 1 can be "
                f"squeezed (input shape {shape})"
            )


def check_broadcast_to(shape: tuple, target: tuple) -> None:
    if len(shape) > len(target):
        raise ValueError(
            f"kfn.ops.broadcast_to: cannot broadcast shape {shape} to the lower-rank shape {target}"
        )
    for have, want in zip(reversed(shape), reversed(target)):
        if have not in (1, want) and None not in (have, want):
            raise ValueError(f"kfn.ops.broadcast_to: cannot broadcast shape {shape} to {target}")


def check_split(name: str, size, indices_or_sections, axis) -> None:
    if isinstance(indices_or_sections, int) and size is not None and size % indices_or_sections:
        raise ValueError(
            f"kfn.ops.{name}: indices_or_sections={indices_or_sections} does not divide axis "
            f"{axis} of size {size}; use kfn.ops.array_split for uneven parts"
        )


def split_points(size, indices_or_sections):
    """Split indices with negative ones counted from the end (ints pass through)."""
    if isinstance(indices_or_sections, int) or size is None:
        return indices_or_sections
    return [int(i) + size if int(i) < 0 else int(i) for i in indices_or_sections]


def split_bounds(size: int, indices_or_sections) -> list[tuple[int, int]]:
    """(start, stop) of each part, as `np.array_split` cuts them (parts may be empty)."""
    if isinstance(indices_or_sections, int):
        sections = indices_or_sections
        if sections <= 0:
            raise ValueError(
                f"kfn.ops.split: the number of sections must be positive, got {sections}"
            )
        base, extra = divmod(size, sections)
        sizes = [base + 1] * extra + [base] * (sections - extra)
        starts = [sum(sizes[:i]) for i in range(len(sizes))]
        return [(s, s + n) for s, n in zip(starts, sizes)]
    cuts = [int(i) if int(i) >= 0 else size + int(i) for i in indices_or_sections]
    cuts = [min(max(c, 0), size) for c in cuts]
    bounds = [0] + cuts + [size]
    return [(a, max(a, b)) for a, b in zip(bounds[:-1], bounds[1:])]


def pad_pairs(pad_width, ndim: int) -> tuple:
    """NumPy's pad_width forms (n, (n,), (before, after), one pair per axis) as one
    (before, after) pair per axis."""
    if isinstance(pad_width, int):
        pairs = [(pad_width, pad_width)] * ndim
    else:
        widths = [tuple(p) if isinstance(p, list | tuple) else p for p in pad_width]
        if all(isinstance(p, int) for p in widths):
            if len(widths) not in (1, 2):
                raise ValueError(f"kfn.ops.pad: cannot read pad_width={pad_width!r}")
            pairs = [(widths[0], widths[-1])] * ndim
        else:
            pairs = [(p[0], p[-1]) if len(p) in (1, 2) else p for p in widths]
            if len(pairs) == 1:
                pairs = pairs * ndim
    if len(pairs) != ndim:
        raise ValueError(
            f"kfn.ops.pad: pad_width needs one (before, after) pair per axis ({ndim}), got {pad_width}"
        )
    if any(len(p) != 2 or min(p) < 0 for p in pairs):
        raise ValueError(
            f"kfn.ops.pad: pad widths must be pairs of non-negative ints, got {pad_width}"
        )
    return tuple(tuple(int(v) for v in p) for p in pairs)


def check_pad_mode(mode: str, constant_values) -> None:
    if mode not in PAD_MODES:
        raise ValueError(f"kfn.ops.pad: mode must be one of {PAD_MODES}, got {mode!r}")
    if mode != "constant" and constant_values is not None:
        raise ValueError(
            f"kfn.ops.pad: constant_values only applies to mode='constant', got mode={mode!r}"
        )


def check_complex(name: str, dtype: str) -> None:
    if not dtype.startswith("complex"):
        raise ValueError(f"kfn.ops.{name}: x must be complex, got {dtype}")


def check_real_pairs(name: str, shape: tuple, dtype: str) -> None:
    if dtype not in ("float32", "float64"):
        raise ValueError(f"kfn.ops.{name}: x must be float32 or float64, got {dtype}")
    if not shape or shape[-1] != 2:
        raise ValueError(
            f"kfn.ops.{name}: the last axis of x must have size 2 (real, imaginary), got shape {shape}"
        )


def complex_of(dtype: str) -> str:
    return "complex128" if dtype == "float64" else "complex64"


def pad_source_indices(size: int, before: int, after: int, mode: str):
    """For each position of an axis padded by (before, after), the index in the original axis
    it copies, under NumPy's non-constant modes (edge, reflect, symmetric, wrap). Backends
    without NumPy's pad modes gather with these indices, which also carries gradients."""
    import numpy as np

    positions = np.arange(-before, size + after)
    if mode == "edge":
        return np.clip(positions, 0, size - 1)
    if mode == "wrap":
        return np.mod(positions, size)
    if mode == "reflect":
        if size == 1:
            return np.zeros_like(positions)
        period = 2 * (size - 1)
        folded = np.mod(positions, period)
        return np.where(folded < size, folded, period - folded)
    if mode == "symmetric":
        period = 2 * size
        folded = np.mod(positions, period)
        return np.where(folded < size, folded, period - 1 - folded)
    raise NotImplementedError(
        f"kfn.ops.pad: mode={mode!r} is not supported on this backend; supported: "
        "constant, edge, reflect, symmetric, wrap"
    )


def convolution_window(n: int, m: int, mode: str) -> tuple[int, int]:
    """(start, length) of np.convolve's `mode` output inside the full convolution of lengths
    n and m."""
    if mode == "full":
        return 0, n + m - 1
    if mode == "same":
        return (min(n, m) - 1) // 2, max(n, m)
    if mode == "valid":
        return min(n, m) - 1, max(n, m) - min(n, m) + 1
    raise ValueError(f"mode must be 'full', 'same' or 'valid', got {mode!r}")
