"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot.

Each takes one argument, a list of tensors (Keras's convention: `Add()([a, b])`), so `init`
receives a list of specs and `apply` a list of tensors. None has variables: `init` checks
that the inputs fit together. The elementwise layers broadcast as Keras does: the sample
shapes (batch axis aside) are aligned on the right and sizes of 1 stretch; an input of lower
rank gets new axes of size 1 after its batch axis; batch sizes must agree.
"""

from __future__ import annotations

import dataclasses
import string

from kfn import ops
from kfn.backends.common import creation, dtypes
from kfn.pure.layers.base import InputError, Layer, autocast_dtype, register
from kfn.state.spec import TensorSpec


def _same_batch(shapes) -> None:
    known = [s for s in shapes if s and s[0] is not None]
    for shape in known[1:]:
        if shape[0] != known[0][0]:
            raise InputError(
                f"expected inputs of the same batch size, got shapes {known[0]} and {shape}"
            )


class _Merge(Layer):
    """A list of inputs in, one output out, no variables. The elementwise layers fold the
    (broadcast) inputs with `_combine`; Concatenate and Dot have their own `_output_shape`
    (which also checks the inputs) and `apply`."""

    supports_masking = True

    # How many inputs the layer takes: at least `min_inputs`, at most `max_inputs` (None: any).
    min_inputs = 2
    max_inputs = None

    def init(self, key, specs):
        self.output_spec(specs)  # checks the inputs
        return {"trainable": {}, "non_trainable": {}}

    def output_spec(self, specs):
        specs = self._checked_list(specs)
        shapes = [tuple(s.shape) for s in specs]
        _same_batch(shapes)
        shape = self._output_shape(shapes)
        return TensorSpec(shape, self._output_dtype([autocast_dtype(self, s.dtype) for s in specs]))

    def _checked_list(self, inputs) -> list:
        if not isinstance(inputs, list | tuple):
            shape = getattr(inputs, "shape", None)
            got = f"a single input of shape {tuple(shape)}" if shape is not None else repr(inputs)
            raise InputError(
                f"expected a list of inputs, got {got} (call it as {type(self).__name__}()([a, b]))"
            )
        count, low, high = len(inputs), self.min_inputs, self.max_inputs
        if count < low or (high is not None and count > high):
            wanted = f"exactly {low}" if low == high else f"at least {low}"
            raise InputError(f"expected a list of {wanted} inputs, got {count}")
        return list(inputs)

    def _output_shape(self, shapes) -> tuple:
        for i, shape in enumerate(shapes):
            for other in shapes[:i]:
                if _broadcast(other[1:], shape[1:]) is None:
                    raise InputError(
                        f"expected inputs of compatible shapes, got {other} and {shape}"
                    )
        sample = shapes[0][1:]
        for shape in shapes[1:]:
            sample = _broadcast(sample, shape[1:])
        batch = next((s[0] for s in shapes if s and s[0] is not None), None)
        return (batch, *sample)

    def _output_dtype(self, input_dtypes) -> str:
        return dtypes.result_type(*input_dtypes)

    def apply(self, variables, inputs, training=False, key=None):
        inputs = self._checked_list(inputs)
        ranks = [len(x.shape) for x in inputs]
        top = max(ranks)
        # Keras's broadcasting of lower ranks: new axes right after the batch axis.
        for i, rank in enumerate(ranks):
            for _ in range(top - rank):
                inputs[i] = ops.expand_dims(inputs[i], 1)
        return self._combine(inputs), {}

    def _combine(self, inputs):
        raise NotImplementedError

    def compute_mask(self, inputs, mask=None):
        """A position counts where it counts in any input (None unless every input has a
        mask), as in Keras."""
        if mask is None or any(m is None for m in _mask_list(self, inputs, mask)):
            return None
        return _fold(ops.logical_or, list(mask))


def _mask_list(layer, inputs, mask) -> list:
    if not isinstance(mask, list | tuple) or not isinstance(inputs, list | tuple):
        raise InputError(f"expected a list of masks for a list of inputs, got mask={mask!r}")
    if len(mask) != len(inputs):
        raise InputError(f"expected {len(inputs)} masks (one per input), got {len(mask)}")
    return list(mask)


def _broadcast(a: tuple, b: tuple) -> tuple | None:
    """The broadcast of two sample shapes aligned on the right (None: incompatible), with
    Keras's rule that an unknown size gives an unknown size."""
    if len(a) < len(b):
        a, b = b, a
    out = list(a[: len(a) - len(b)])
    for i, j in zip(a[len(a) - len(b) :], b):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1 or i == j:
            out.append(j if i == 1 else i)
        else:
            return None
    return tuple(out)


def _fold(function, inputs):
    output = inputs[0]
    for x in inputs[1:]:
        output = function(output, x)
    return output


def _masked_fold(layer, function, inputs, mask):
    """Maximum/Minimum with masks, as Keras computes them: a masked position takes the other
    operand's value, so only counted values compete."""
    if mask is None or all(m is None for m in _mask_list(layer, inputs, mask)):
        return _Merge.apply(layer, {}, inputs)
    inputs = layer._checked_list(inputs)
    output, output_mask = None, None
    for x, m in zip(inputs, mask):
        if m is not None:
            m = ops.broadcast_to(ops.expand_dims(ops.cast(m, "bool"), -1), tuple(x.shape))
        if output is None:
            output, output_mask = x, m
            continue
        if m is not None:
            x = ops.where(m, x, output)
        if output_mask is not None:
            output = ops.where(output_mask, output, x)
        output_mask = (
            ops.logical_or(output_mask, m) if m is not None and output_mask is not None else None
        )
        output = function(output, x)
    return output, {}


@register
@dataclasses.dataclass(frozen=True)
class Add(_Merge):
    """The elementwise sum of a list of inputs (of compatible shapes).

    No variables.

    Example:
        >>> kfn.layers.Add()([kfn.ops.ones((2, 3)), kfn.ops.ones((2, 3))])  # all 2.0
    """

    def _combine(self, inputs):
        return _fold(ops.add, inputs)


@register
@dataclasses.dataclass(frozen=True)
class Subtract(_Merge):
    """`inputs[0] - inputs[1]`, for a list of exactly two inputs.

    No variables.

    Example:
        >>> kfn.layers.Subtract()([kfn.ops.ones((2, 3)), kfn.ops.ones((2, 3))])  # all 0.0
    """

    max_inputs = 2

    def _combine(self, inputs):
        return ops.subtract(inputs[0], inputs[1])


@register
@dataclasses.dataclass(frozen=True)
class Multiply(_Merge):
    """The elementwise product of a list of inputs (of compatible shapes).

    No variables.

    Example:
        >>> kfn.layers.Multiply()([kfn.ops.full((2, 3), 2.0), kfn.ops.full((2, 3), 3.0)])  # 6.0
    """

    def _combine(self, inputs):
        return _fold(ops.multiply, inputs)


@register
@dataclasses.dataclass(frozen=True)
class Average(_Merge):
    """The elementwise mean of a list of inputs (of compatible shapes); integer inputs give
    floats.

    No variables.

    Example:
        >>> kfn.layers.Average()([kfn.ops.zeros((2, 3)), kfn.ops.ones((2, 3))])  # all 0.5
    """

    def _output_dtype(self, input_dtypes):
        return dtypes.to_float(dtypes.result_type(*input_dtypes))

    def _combine(self, inputs):
        return ops.divide(_fold(ops.add, inputs), len(inputs))


@register
@dataclasses.dataclass(frozen=True)
class Maximum(_Merge):
    """The elementwise maximum of a list of inputs (of compatible shapes).

    No variables.

    Example:
        >>> kfn.layers.Maximum()([kfn.ops.zeros((2, 3)), kfn.ops.ones((2, 3))])  # all 1.0
    """

    def apply(self, variables, inputs, training=False, key=None, mask=None):
        return _masked_fold(self, ops.maximum, inputs, mask)

    def _combine(self, inputs):
        return _fold(ops.maximum, inputs)


@register
@dataclasses.dataclass(frozen=True)
class Minimum(_Merge):
    """The elementwise minimum of a list of inputs (of compatible shapes).

    No variables.

    Example:
        >>> kfn.layers.Minimum()([kfn.ops.zeros((2, 3)), kfn.ops.ones((2, 3))])  # all 0.0
    """

    def apply(self, variables, inputs, training=False, key=None, mask=None):
        return _masked_fold(self, ops.minimum, inputs, mask)

    def _combine(self, inputs):
        return _fold(ops.minimum, inputs)


@register
@dataclasses.dataclass(frozen=True)
class Concatenate(_Merge):
    """Joins a list of inputs along `axis`; their other sizes must agree.

    Args:
        axis: the axis to join along (negative counts from the end; the batch axis is 0).

    No variables.

    Example:
        >>> kfn.layers.Concatenate(axis=1)([kfn.ops.ones((2, 2, 5)), kfn.ops.ones((2, 1, 5))]).shape
        (2, 3, 5)
    """

    axis: int = -1

    def __post_init__(self):
        super().__post_init__()
        if isinstance(self.axis, bool) or not isinstance(self.axis, int):
            raise ValueError(f"Concatenate: axis must be an integer, got {self.axis!r}")

    def _output_shape(self, shapes):
        first, rank = shapes[0], len(shapes[0])
        for shape in shapes[1:]:
            if len(shape) != rank:
                raise InputError(f"expected inputs of the same rank, got {first} and {shape}")
        if not -rank <= self.axis < rank:
            raise InputError(
                f"expected inputs with an axis {self.axis} to join along, got rank {rank} "
                f"(input shape {first})"
            )
        axis = self.axis % rank
        out = []
        for dim in range(rank):
            sizes = [s[dim] for s in shapes]
            if dim == axis:
                out.append(None if None in sizes else sum(sizes))
                continue
            known = [(size, shape) for size, shape in zip(sizes, shapes) if size is not None]
            for size, shape in known[1:]:
                if size != known[0][0]:
                    raise InputError(
                        f"expected inputs of the same shape except along axis {self.axis}, "
                        f"got {known[0][1]} and {shape}"
                    )
            out.append(known[0][0] if known else None)
        return tuple(out)

    def apply(self, variables, inputs, training=False, key=None):
        return ops.concatenate(self._checked_list(inputs), axis=self.axis), {}

    def compute_mask(self, inputs, mask=None):
        """The inputs' masks joined as the inputs are (an input without a mask counts
        everywhere), reduced over the last axis with `any`, as in Keras."""
        if mask is None or all(m is None for m in _mask_list(self, inputs, mask)):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                m = ops.ones_like(x, dtype="bool")
            elif len(m.shape) < len(x.shape):
                m = ops.broadcast_to(ops.expand_dims(ops.cast(m, "bool"), -1), tuple(x.shape))
            masks.append(m)
        return ops.any(ops.concatenate(masks, axis=self.axis), axis=-1)


@register
@dataclasses.dataclass(frozen=True)
class Dot(_Merge):
    """The dot product of two inputs' samples along one axis of each.

    For x of shape (batch, *a) and y of shape (batch, *b), the output holds, for each sample,
    the sums of products over x's axis `axes[0]` and y's axis `axes[1]`: its shape is
    (batch, *a without that axis, *b without that axis), or (batch, 1) when that leaves
    nothing (two (batch, n) inputs).

    Args:
        axes: the axis of both inputs (an int), or one axis per input (a pair). Negative
            axes count from the end; the batch axis 0 cannot be one of them.
        normalize: whether to L2-normalize the samples along those axes first, so the
            output is the cosine similarity.

    No variables.

    Example:
        >>> x, y = kfn.ops.ones((4, 5, 2)), kfn.ops.ones((4, 2, 5))
        >>> kfn.layers.Dot(axes=(1, 2))([x, y]).shape
        (4, 2, 2)
    """

    axes: int | tuple
    normalize: bool = False
    max_inputs = 2

    def __post_init__(self):
        super().__post_init__()
        axes = self.axes
        if isinstance(axes, list | tuple):
            if len(axes) != 2 or not all(
                isinstance(a, int) and not isinstance(a, bool) for a in axes
            ):
                raise ValueError(f"Dot: axes must be an int or a pair of ints, got {axes!r}")
            object.__setattr__(self, "axes", tuple(axes))
        elif isinstance(axes, bool) or not isinstance(axes, int):
            raise ValueError(f"Dot: axes must be an int or a pair of ints, got {axes!r}")

    def _resolved_axes(self, x_shape: tuple, y_shape: tuple) -> tuple:
        """The two axes as non-negative ints, checked against the input shapes."""
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        resolved = []
        for axis, shape in zip(pair, (x_shape, y_shape)):
            if len(shape) < 2:
                raise InputError(
                    f"expected inputs of rank >= 2, got shapes {x_shape} and {y_shape}"
                )
            if not -len(shape) <= axis < len(shape):
                raise InputError(
                    f"expected inputs with the axes {self.axes}, got shapes {x_shape} and {y_shape}"
                )
            resolved.append(axis % len(shape))
        if 0 in resolved:
            raise InputError(
                f"cannot take the dot product along the batch axis 0 (axes={self.axes}), got "
                f"shapes {x_shape} and {y_shape}"
            )
        return tuple(resolved)

    def _output_shape(self, shapes):
        x_shape, y_shape = shapes
        a, b = self._resolved_axes(x_shape, y_shape)
        if None not in (x_shape[a], y_shape[b]) and x_shape[a] != y_shape[b]:
            raise InputError(
                f"expected inputs of the same size along axes {(a, b)}, got {x_shape[a]} and "
                f"{y_shape[b]} (input shapes {x_shape} and {y_shape})"
            )
        rest = [d for i, d in enumerate(x_shape) if i != a]
        rest += [d for i, d in enumerate(y_shape) if i not in (0, b)]
        batch = x_shape[0] if x_shape[0] is not None else y_shape[0]
        rest[0] = batch
        return tuple(rest) if len(rest) > 1 else (batch, 1)

    def _output_dtype(self, input_dtypes):
        if self.normalize:
            input_dtypes = [dtypes.to_float(d) for d in input_dtypes]
        return creation.matmul_dtype(*input_dtypes)

    def compute_mask(self, inputs, mask=None):
        return None  # the reduced axes take the masked positions away, as in Keras

    def apply(self, variables, inputs, training=False, key=None):
        x, y = self._checked_list(inputs)
        a, b = self._resolved_axes(tuple(x.shape), tuple(y.shape))
        if self.normalize:
            x, y = ops.normalize(x, axis=a), ops.normalize(y, axis=b)
        # One letter per axis: the batch axis and the summed axis are shared.
        letters = iter(string.ascii_letters[2:])
        x_axes = ["a" if i == 0 else "b" if i == a else next(letters) for i in range(len(x.shape))]
        y_axes = ["a" if i == 0 else "b" if i == b else next(letters) for i in range(len(y.shape))]
        out_axes = [c for c in x_axes if c != "b"] + [c for c in y_axes[1:] if c != "b"]
        equation = f"{''.join(x_axes)},{''.join(y_axes)}->{''.join(out_axes)}"
        output = ops.einsum(equation, x, y)
        if len(out_axes) == 1:
            output = ops.expand_dims(output, -1)
        return output, {}
