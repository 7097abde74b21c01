"""Activation layers: Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax.

Each is a frozen dataclass of its Keras arguments with `init(key, *input_specs)` and
`apply(variables, inputs, training=False, key=None) -> (outputs, new_non_trainable)`; only
PReLU has a variable (`alpha`). The functions come from `kfn.pure.activations`.
"""

from __future__ import annotations

import dataclasses
import numbers
import warnings
from collections.abc import Callable

from kfn import ops
from kfn.pure import activations
from kfn.pure.layers.base import (
    InputError,
    Layer,
    constraint_field,
    initializer_field,
    register,
    regularizer_field,
)
from kfn.pure.layers.core import axes_spec, same_spec
from kfn.state.spec import TensorSpec


def _non_negative(layer: str, argument: str, value, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
        raise ValueError(f"{layer}: {argument} must be a number >= 0, got {value!r}")


class _Elementwise(Layer):
    """An activation layer: no variables, output shape and dtype those of the input."""

    def output_spec(self, spec):
        return same_spec(self, spec)


@register
@dataclasses.dataclass(frozen=True)
class Activation(_Elementwise):
    """Applies an activation function: `activation(inputs)`.

    Args:
        activation: the function, or the name of one in `kfn.activations` ("relu", "gelu").

    Example:
        >>> layer = kfn.pure.layers.Activation("relu")
        >>> y, _ = layer.apply(layer.init(None), kfn.ops.convert_to_tensor([-3.0, 2.0]))
        >>> # [0., 2.]
    """

    supports_masking = True

    activation: Callable = dataclasses.field(metadata={"kind": "activations"})

    def apply(self, variables, inputs, training=False, key=None):
        return self.activation(inputs), {}


@register
@dataclasses.dataclass(frozen=True)
class ReLU(_Elementwise):
    """Rectified linear unit: `min(x, max_value)` for `x > threshold`, else
    `negative_slope * (x - threshold)`.

    Args:
        max_value: a number >= 0 capping the output; None for no cap.
        negative_slope: a number >= 0, the slope below the threshold.
        threshold: a number >= 0, below which values are damped.

    Example:
        >>> layer = kfn.pure.layers.ReLU(max_value=6.0)
        >>> y, _ = layer.apply({}, kfn.ops.convert_to_tensor([-1.0, 3.0, 9.0]))  # [0., 3., 6.]
    """

    supports_masking = True

    max_value: float | None = None
    negative_slope: float = 0.0
    threshold: float = 0.0

    def __post_init__(self):
        super().__post_init__()
        _non_negative("ReLU", "max_value", self.max_value, allow_none=True)
        _non_negative("ReLU", "negative_slope", self.negative_slope)
        _non_negative("ReLU", "threshold", self.threshold)

    def apply(self, variables, inputs, training=False, key=None):
        outputs = activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )
        return outputs, {}


@register
@dataclasses.dataclass(frozen=True)
class LeakyReLU(_Elementwise):
    """Leaky rectified linear unit: `x` for `x >= 0`, else `negative_slope * x`.

    Args:
        negative_slope: a number >= 0 (default 0.3, as Keras's layer; the function
            `kfn.activations.leaky_relu` defaults to 0.2).
        alpha: the legacy (Keras 2) name of `negative_slope`; accepted with a warning and
            stored as `negative_slope`.

    Example:
        >>> layer = kfn.pure.layers.LeakyReLU(negative_slope=0.5)
        >>> y, _ = layer.apply({}, kfn.ops.convert_to_tensor([-4.0, 2.0]))  # [-2., 2.]
    """

    supports_masking = True

    negative_slope: float = 0.3
    alpha: float | None = dataclasses.field(default=None, kw_only=True)

    def __post_init__(self):
        super().__post_init__()
        if self.alpha is not None:
            warnings.warn(
                "LeakyReLU: the argument `alpha` is deprecated; use `negative_slope`",
                stacklevel=3,
            )
            object.__setattr__(self, "negative_slope", self.alpha)
            object.__setattr__(self, "alpha", None)
        _non_negative("LeakyReLU", "negative_slope", self.negative_slope)

    def apply(self, variables, inputs, training=False, key=None):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope), {}

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("alpha", None)
        return config


@register
@dataclasses.dataclass(frozen=True)
class PReLU(Layer):
    """Parametric rectified linear unit: `x` for `x >= 0`, else `alpha * x`, with `alpha`
    learned.

    `alpha` has the shape of one sample (`input_shape[1:]`), with size 1 along
    `shared_axes`, so it is shared (broadcast) along those axes.

    Args:
        alpha_initializer: how `alpha` starts (default zeros: a plain relu).
        alpha_regularizer: a penalty on `alpha`, added to the losses.
        alpha_constraint: a projection of `alpha` applied after each update.
        shared_axes: an axis or axes (>= 1; negative counts from the end) along which
            `alpha` is shared, e.g. `[1, 2]` for one slope per channel of an image batch
            (batch, height, width, channels).

    Variables: `alpha` (input_shape[1:], size 1 on the shared axes).

    Example:
        >>> prelu = kfn.pure.layers.PReLU(shared_axes=[1, 2])
        >>> variables = prelu.init(None, kfn.TensorSpec((None, 8, 8, 3)))  # alpha (1, 1, 3)
        >>> y, _ = prelu.apply(variables, kfn.ops.ones((2, 8, 8, 3)))
    """

    supports_masking = True

    alpha_initializer: object = initializer_field("zeros")
    alpha_regularizer: object = regularizer_field()
    alpha_constraint: object = constraint_field()
    shared_axes: tuple | None = None

    def __post_init__(self):
        super().__post_init__()
        axes = self.shared_axes
        if axes is not None:
            axes = (axes,) if isinstance(axes, int) else tuple(axes)
            for axis in axes:
                if isinstance(axis, bool) or not isinstance(axis, int) or axis == 0:
                    raise ValueError(
                        "PReLU: shared_axes must be non-batch axes (ints other than 0), "
                        f"got {self.shared_axes!r}"
                    )
        object.__setattr__(self, "shared_axes", axes)

    def _shared(self, rank: int) -> set:
        shared = set()
        for axis in self.shared_axes or ():
            positive = axis + rank if axis < 0 else axis
            if not 1 <= positive < rank:
                raise InputError(
                    f"expected inputs with axis {axis} (from shared_axes) and a batch axis, "
                    f"got rank {rank}"
                )
            shared.add(positive)
        return shared

    def _alpha_shape(self, shape) -> tuple:
        shape = tuple(shape)
        if len(shape) < 2:
            raise InputError(
                f"expected input of rank >= 2, got rank {len(shape)} (input shape {shape})"
            )
        shared = self._shared(len(shape))
        alpha_shape = tuple(1 if i in shared else shape[i] for i in range(1, len(shape)))
        if None in alpha_shape:
            raise InputError(
                "needs the sizes of the input's non-shared, non-batch axes to be known, got "
                f"input shape {shape}"
            )
        return alpha_shape

    def input_spec(self, spec):
        shape = tuple(spec.shape)
        shared = self._shared(len(shape))
        return axes_spec(len(shape), {i: shape[i] for i in range(1, len(shape)) if i not in shared})

    def init(self, key, spec):
        alpha = self.alpha_initializer.sample(
            key, self._alpha_shape(spec.shape), self.variable_dtype
        )
        return {"trainable": {"alpha": alpha}, "non_trainable": {}}

    def apply(self, variables, inputs, training=False, key=None):
        alpha = variables["trainable"]["alpha"]
        outputs = ops.subtract(
            ops.relu(inputs), ops.multiply(alpha, ops.relu(ops.negative(inputs)))
        )
        return outputs, {}

    def output_spec(self, spec):
        self._alpha_shape(spec.shape)
        return TensorSpec(tuple(spec.shape), self.compute_dtype)


@register
@dataclasses.dataclass(frozen=True)
class ELU(_Elementwise):
    """Exponential linear unit: `x` for `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
        alpha: the scale of the negative part (default 1.0).

    Example:
        >>> y, _ = kfn.pure.layers.ELU(alpha=0.5).apply({}, kfn.ops.convert_to_tensor([-1.0]))
    """

    supports_masking = True

    alpha: float = 1.0

    def apply(self, variables, inputs, training=False, key=None):
        return activations.elu(inputs, alpha=self.alpha), {}


@register
@dataclasses.dataclass(frozen=True)
class Softmax(_Elementwise):
    """Softmax: `exp(x) / sum(exp(x))` over `axis`.

    Args:
        axis: an axis, or a list of axes normalized together.

    Call arguments:
        mask: optional, broadcastable to the inputs (each of its axes 1 or the input's
            size, rank at most the input's); True (or > 0.5) keeps a position. Masked
            positions get probability 0, even when a whole slice is masked.

    Example:
        >>> softmax = kfn.pure.layers.Softmax()
        >>> y, _ = softmax.apply({}, kfn.ops.convert_to_tensor([1.0, 2.0, 1.0]))
        >>> # [0.2119, 0.5761, 0.2119]
    """

    supports_masking = True

    axis: int | tuple = -1

    def __post_init__(self):
        super().__post_init__()
        axis = self.axis
        if isinstance(axis, list | tuple):
            axis = tuple(axis)
            if not axis:
                raise ValueError("Softmax: axis must be an int or a non-empty list of ints, got []")
        items = axis if isinstance(axis, tuple) else (axis,)
        if any(isinstance(a, bool) or not isinstance(a, int) for a in items):
            raise ValueError(f"Softmax: axis must be an int or a list of ints, got {self.axis!r}")
        object.__setattr__(self, "axis", axis)

    def apply(self, variables, inputs, mask=None, training=False, key=None):
        if mask is not None:
            mask = _boolean_mask(mask, inputs)
            inputs = ops.where(mask, inputs, _large_negative(ops.dtype(inputs)))
        if isinstance(self.axis, tuple) and len(self.axis) > 1:
            outputs = ops.exp(inputs - ops.logsumexp(inputs, axis=self.axis, keepdims=True))
        else:
            axis = self.axis[0] if isinstance(self.axis, tuple) else self.axis
            outputs = activations.softmax(inputs, axis=axis)
        if mask is not None:
            # A fully masked slice would otherwise come out uniform.
            outputs = ops.where(mask, outputs, ops.zeros_like(outputs))
        return outputs, {}


def _boolean_mask(mask, inputs):
    mask_shape, input_shape = tuple(mask.shape), tuple(inputs.shape)
    broadcastable = len(mask_shape) <= len(input_shape) and all(
        m is None or i is None or m in (1, i)
        for m, i in zip(reversed(mask_shape), reversed(input_shape))
    )
    if not broadcastable:
        raise InputError(
            "expected a mask broadcastable to the inputs (each mask axis 1 or the input's "
            f"size, no more axes than the inputs), got mask shape {mask_shape} "
            f"(input shape {input_shape})"
        )
    if ops.dtype(mask) != "bool":
        mask = ops.greater(mask, ops.cast(0.5, ops.dtype(mask)))
    return mask


def _large_negative(dtype: str) -> float:
    """What masked logits become: very negative, yet finite in the dtype."""
    return -3e4 if dtype == "float16" else -1e9
