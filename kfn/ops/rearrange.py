"""kfn.ops.rearrange: einops-style axis rearrangement (`keras.ops.rearrange`)."""

import math as _math
import re as _re

from kfn.ops import core as _core
from kfn.ops.dispatch import composite as _composite
from kfn.ops.numpy import shape as _shape


@_composite
def rearrange(tensor, pattern, **axes_lengths):
    """The axes of `tensor` reordered, split and merged as an einops pattern says.

    `pattern` reads `"input axes -> output axes"`: each side names the axes; `(h w)` is one
    axis made of `h` and `w` (split on the input side, merged on the output side), `...`
    stands for the axes not named, and `1` or `()` is an axis of size 1. Both sides name the
    same axes. The sizes of split axes come from `axes_lengths` (one per group may be
    inferred).

    Args:
        tensor: the input tensor.
        pattern: the einops rearrangement pattern.
        **axes_lengths: the sizes of axes that cannot be read from the shape of `tensor`.

    Returns:
        The rearranged tensor (a reshape and a transpose of `tensor`).

    Example:
        >>> images = kfn.ops.zeros((32, 30, 40, 3))
        >>> kfn.ops.rearrange(images, "b h w c -> b c h w").shape
        (32, 3, 30, 40)
        >>> kfn.ops.rearrange(images, "b (h h2) (w w2) c -> b h w (c h2 w2)", h2=2, w2=2).shape
        (32, 15, 20, 12)
    """
    tensor = _core.convert_to_tensor(tensor)
    if not isinstance(pattern, str) or pattern.count("->") != 1:
        raise ValueError(
            f"kfn.ops.rearrange: pattern must read 'input axes -> output axes', got {pattern!r}"
        )
    left, right = pattern.split("->")
    inputs, outputs = _axes(pattern, left), _axes(pattern, right)
    input_names, output_names = _flat(inputs), _flat(outputs)
    if ("..." in input_names) != ("..." in output_names):
        raise ValueError(
            f"kfn.ops.rearrange: '...' must be on both sides or neither, in {pattern!r}"
        )
    if set(input_names) != set(output_names):
        only_left = sorted(set(input_names) - set(output_names))
        only_right = sorted(set(output_names) - set(input_names))
        raise ValueError(
            f"kfn.ops.rearrange: both sides of {pattern!r} must name the same axes; only on "
            f"the input side: {only_left}, only on the output side: {only_right}"
        )
    unknown = sorted(set(axes_lengths) - set(input_names))
    if unknown:
        raise ValueError(
            f"kfn.ops.rearrange: axes_lengths names axes not in {pattern!r}: {unknown}"
        )
    shape = tuple(tensor.shape)
    named = len(inputs) - ("..." in input_names)
    if len(shape) < named or ("..." not in input_names and len(shape) != named):
        raise ValueError(
            f"kfn.ops.rearrange: the input side of {pattern!r} has {named} axes, the tensor "
            f"has shape {shape}"
        )
    # "..." becomes one named axis per dimension it covers.
    extra = [f"...{i}" for i in range(len(shape) - named)]
    inputs, outputs = _expand_ellipsis(inputs, extra), _expand_ellipsis(outputs, extra)
    sizes = dict(axes_lengths)
    for group, dim in zip(inputs, shape):
        _group_sizes(pattern, group, dim, sizes)
    order = _flat(inputs)
    if any(len(group) != 1 for group in inputs):
        tensor = _shape.reshape(tensor, _reshape_target([sizes[name] for name in order]))
    permutation = [order.index(name) for name in _flat(outputs)]
    if permutation != sorted(permutation):
        tensor = _shape.transpose(tensor, permutation)
    if any(len(group) != 1 for group in outputs):
        merged = [_group_size([sizes[name] for name in group]) for group in outputs]
        tensor = _shape.reshape(tensor, _reshape_target(merged))
    return tensor


_AXIS_TOKEN = _re.compile(r"\.\.\.|[()]|[^\s()]+")


def _axes(pattern, side):
    """One side of a rearrange pattern as a list of groups of axis names ("..." for the
    ellipsis, an empty group for a unit axis)."""
    groups, current = [], None
    for token in _AXIS_TOKEN.findall(side):
        if token == "(":
            if current is not None:
                raise ValueError(f"kfn.ops.rearrange: nested parentheses in {pattern!r}")
            current = []
        elif token == ")":
            if current is None:
                raise ValueError(f"kfn.ops.rearrange: unbalanced ')' in {pattern!r}")
            groups.append(current)
            current = None
        elif token == "1":
            if current is None:
                groups.append([])
        elif token == "..." or token.isidentifier():
            if token == "..." and current is not None:
                raise ValueError(
                    f"kfn.ops.rearrange: '...' inside parentheses is not supported, in {pattern!r}"
                )
            if current is None:
                groups.append([token])
            else:
                current.append(token)
        else:
            raise ValueError(
                f"kfn.ops.rearrange: {token!r} is not an axis name (names are identifiers; "
                f"'1' is a unit axis), in {pattern!r}"
            )
    if current is not None:
        raise ValueError(f"kfn.ops.rearrange: unbalanced '(' in {pattern!r}")
    names = _flat(groups)
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(
            f"kfn.ops.rearrange: axes named twice on one side of {pattern!r}: {repeated}"
        )
    return groups


def _flat(groups):
    return [name for group in groups for name in group]


def _expand_ellipsis(groups, extra):
    out = []
    for group in groups:
        out.extend([[name] for name in extra] if group == ["..."] else [group])
    return out


def _group_sizes(pattern, group, dim, sizes):
    """Record in `sizes` the sizes of the axes of one input group of dimension `dim`."""
    if not group:
        if dim not in (1, None):
            raise ValueError(
                f"kfn.ops.rearrange: a unit axis in {pattern!r} stands for a dimension of "
                f"size {dim}"
            )
        return
    missing = [name for name in group if name not in sizes]
    known = _math.prod(sizes[name] for name in group if name in sizes)
    if len(missing) > 1:
        raise ValueError(
            f"kfn.ops.rearrange: cannot infer the sizes of {missing} in ({' '.join(group)}) "
            f"of {pattern!r}; give all but one in axes_lengths"
        )
    if missing:
        if dim is None:
            if len(group) > 1:
                raise ValueError(
                    f"kfn.ops.rearrange: cannot split an axis of unknown size into "
                    f"({' '.join(group)}) without all its sizes, in {pattern!r}"
                )
            sizes[missing[0]] = None
            return
        if known == 0 or dim % known:
            raise ValueError(
                f"kfn.ops.rearrange: the dimension of size {dim} cannot be split into "
                f"({' '.join(group)}) with {', '.join(f'{n}={sizes[n]}' for n in group if n in sizes)}"
            )
        sizes[missing[0]] = dim // known
    elif dim is not None and known != dim:
        raise ValueError(
            f"kfn.ops.rearrange: ({' '.join(group)}) has size "
            f"{' * '.join(str(sizes[n]) for n in group)} = {known}, but the dimension is {dim} "
            f"in {pattern!r}"
        )


def _group_size(sizes):
    """The size of an axis merged from axes of `sizes` (None when one is unknown)."""
    return None if None in sizes else _math.prod(sizes)


def _reshape_target(sizes):
    if sizes.count(None) > 1:
        raise ValueError(
            f"kfn.ops.rearrange: more than one axis of unknown size in a reshape to {sizes}"
        )
    return tuple(-1 if s is None else s for s in sizes)
