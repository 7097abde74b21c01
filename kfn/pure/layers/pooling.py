"""Pooling layers: max and average pooling over windows, over everything (global) and to a
fixed output size (adaptive), in 1-D, 2-D and 3-D.

None has variables: `init` only checks the input; `apply(variables, inputs, ...)` returns
`(outputs, {})`.
"""

from __future__ import annotations

import dataclasses

from kfn import ops
from kfn.backends.common import convolution as window_rules
from kfn.backends.common import dtypes
from kfn.pure.layers.base import InputError, InputSpec, Layer, register
from kfn.pure.layers.convolution import (
    checked_shape,
    data_format_argument,
    document,
    padding_argument,
    spatial_of,
    window_tuple,
    with_spatial,
)
from kfn.state.spec import TensorSpec


@dataclasses.dataclass(frozen=True)
class _PoolingBase(Layer):
    """What the pooling layers share: `rank`, `mode` ("max" or "average") and `data_format`."""

    rank = 2
    mode = "max"

    def _check(self, spec) -> tuple:
        return checked_shape(spec, self.rank, self.data_format)

    def _dtype(self, spec) -> str:
        # Float inputs come autocast to the compute dtype; the mean of integers is a float,
        # their maximum an integer.
        if dtypes.is_float(spec.dtype):
            return self.compute_dtype
        return dtypes.to_float(spec.dtype) if self.mode == "average" else spec.dtype

    def _spatial_axes(self) -> tuple:
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def init(self, key, spec):
        self.output_spec(spec)  # the checks
        return {"trainable": {}, "non_trainable": {}}

    def input_spec(self, spec):
        return InputSpec(ndim=self.rank + 2)


# ---------------------------------------------------------------------------- windows

_POOLING_DOC = """{rank}-D {mode} pooling: the {mode} over sliding windows of each channel.

    Args:
        pool_size: the window size: an int or one per axis{default}.
        strides: the window step: an int or one per axis; None (default) uses pool_size.
        padding: "valid" (whole windows only) or "same" (output size ceil(n / stride); the
            padded positions never count{padding_note}).
        data_format: "channels_last", inputs (batch, {spatial}, channels), or
            "channels_first", inputs (batch, channels, {spatial}); None uses
            `kfn.config.image_data_format()`.

    Example:
        >>> pool = kfn.pure.layers.{name}(2)
        >>> y, _ = pool.apply({{}}, kfn.ops.ones({input}))  # shape {output}
"""


def _window_examples(rank: int) -> dict:
    sizes = {1: (8,), 2: (8, 8), 3: (4, 4, 4)}[rank]
    return {"input": (2, *sizes, 3), "output": (2, *(n // 2 for n in sizes), 3)}


_max_pooling_doc = document(
    _POOLING_DOC, _window_examples, mode="max", default=" (default 2)", padding_note=""
)
_average_pooling_doc = document(
    _POOLING_DOC, _window_examples, mode="average", default="", padding_note=" toward a mean"
)


@dataclasses.dataclass(frozen=True)
class _Pooling(_PoolingBase):
    pool_size: int | tuple
    strides: int | tuple | None = None
    padding: str = "valid"
    data_format: str | None = None

    def __post_init__(self):
        super().__post_init__()
        layer = type(self).__name__
        pool_size = window_tuple(layer, "pool_size", self.pool_size, self.rank)
        strides = pool_size if self.strides is None else self.strides
        object.__setattr__(self, "pool_size", pool_size)
        object.__setattr__(self, "strides", window_tuple(layer, "strides", strides, self.rank))
        object.__setattr__(
            self, "padding", padding_argument(layer, self.padding, ("valid", "same"))
        )
        object.__setattr__(self, "data_format", data_format_argument(layer, self.data_format))

    def apply(self, variables, inputs, training=False, key=None):
        pool = ops.max_pool if self.mode == "max" else ops.average_pool
        return pool(inputs, self.pool_size, self.strides, self.padding, self.data_format), {}

    def output_spec(self, spec):
        shape = self._check(spec)
        sizes = []
        for n, k, s in zip(spatial_of(shape, self.data_format), self.pool_size, self.strides):
            size = None if n is None else window_rules.conv_output_size(n, k, s, 1, self.padding)
            if size is not None and size <= 0:
                raise InputError(
                    f"expected spatial dimensions of at least pool_size {self.pool_size} with "
                    f"padding 'valid', got input shape {shape}"
                )
            sizes.append(size)
        channels = shape[-1] if self.data_format == "channels_last" else shape[1]
        return TensorSpec(with_spatial(shape, sizes, channels, self.data_format), self._dtype(spec))


@dataclasses.dataclass(frozen=True)
class _MaxPooling(_Pooling):
    pool_size: int | tuple = 2


@dataclasses.dataclass(frozen=True)
class _AveragePooling(_Pooling):
    mode = "average"


@_max_pooling_doc
@register
@dataclasses.dataclass(frozen=True)
class MaxPooling1D(_MaxPooling):
    rank = 1


@_max_pooling_doc
@register
@dataclasses.dataclass(frozen=True)
class MaxPooling2D(_MaxPooling):
    rank = 2


@_max_pooling_doc
@register
@dataclasses.dataclass(frozen=True)
class MaxPooling3D(_MaxPooling):
    rank = 3


@_average_pooling_doc
@register
@dataclasses.dataclass(frozen=True)
class AveragePooling1D(_AveragePooling):
    rank = 1


@_average_pooling_doc
@register
@dataclasses.dataclass(frozen=True)
class AveragePooling2D(_AveragePooling):
    rank = 2


@_average_pooling_doc
@register
@dataclasses.dataclass(frozen=True)
class AveragePooling3D(_AveragePooling):
    rank = 3


# ---------------------------------------------------------------------------- global

_GLOBAL_DOC = """Global {mode} pooling: the {mode} of each channel over all its positions ({spatial}).

    Args:
        data_format: "channels_last", inputs (batch, {spatial}, channels), or
            "channels_first", inputs (batch, channels, {spatial}); None uses
            `kfn.config.image_data_format()`.
        keepdims: keep the pooled axes (with size 1); the output is (batch, channels)
            otherwise.{mask}

    Example:
        >>> pool = kfn.pure.layers.{name}()
        >>> y, _ = pool.apply({{}}, kfn.ops.ones({input}))  # shape {output}
"""

_MASK_DOC = """

    A call may pass `mask` (batch, steps), True where a step counts: the mean is then over
    the unmasked steps only."""


def _global_examples(rank: int) -> dict:
    sizes = {1: (8,), 2: (8, 8), 3: (4, 4, 4)}[rank]
    return {"input": (2, *sizes, 3), "output": (2, 3)}


_global_max_doc = document(_GLOBAL_DOC, _global_examples, mode="max", mask="")
_global_average_doc = document(_GLOBAL_DOC, _global_examples, mode="average", mask="")


@dataclasses.dataclass(frozen=True)
class _GlobalPooling(_PoolingBase):
    data_format: str | None = None
    keepdims: bool = False

    def __post_init__(self):
        super().__post_init__()
        layer = type(self).__name__
        object.__setattr__(self, "data_format", data_format_argument(layer, self.data_format))

    def apply(self, variables, inputs, training=False, key=None):
        reduce = ops.max if self.mode == "max" else ops.mean
        return reduce(inputs, axis=self._spatial_axes(), keepdims=self.keepdims), {}

    def output_spec(self, spec):
        shape = self._check(spec)
        channels = shape[-1] if self.data_format == "channels_last" else shape[1]
        if self.keepdims:
            shape = with_spatial(shape, (1,) * self.rank, channels, self.data_format)
        else:
            shape = (shape[0], channels)
        return TensorSpec(shape, self._dtype(spec))


@dataclasses.dataclass(frozen=True)
class _GlobalAveragePooling(_GlobalPooling):
    mode = "average"


@_global_max_doc
@register
@dataclasses.dataclass(frozen=True)
class GlobalMaxPooling1D(_GlobalPooling):
    rank = 1


@_global_max_doc
@register
@dataclasses.dataclass(frozen=True)
class GlobalMaxPooling2D(_GlobalPooling):
    rank = 2


@_global_max_doc
@register
@dataclasses.dataclass(frozen=True)
class GlobalMaxPooling3D(_GlobalPooling):
    rank = 3


@document(_GLOBAL_DOC, _global_examples, mode="average", mask=_MASK_DOC)
@register
@dataclasses.dataclass(frozen=True)
class GlobalAveragePooling1D(_GlobalAveragePooling):
    rank = 1
    supports_masking = True  # it takes the steps' mask, and passes none on

    def compute_mask(self, inputs, mask=None):
        return None

    def apply(self, variables, inputs, training=False, key=None, mask=None):
        if mask is None:
            return super().apply(variables, inputs)
        steps = 1 if self.data_format == "channels_last" else 2
        keep = ops.expand_dims(ops.cast(mask, "bool"), 2 if steps == 1 else 1)
        total = ops.sum(ops.where(keep, inputs, 0), axis=steps, keepdims=self.keepdims)
        count = ops.sum(ops.cast(keep, ops.dtype(inputs)), axis=steps, keepdims=self.keepdims)
        return ops.true_divide(total, count), {}


@_global_average_doc
@register
@dataclasses.dataclass(frozen=True)
class GlobalAveragePooling2D(_GlobalAveragePooling):
    rank = 2


@_global_average_doc
@register
@dataclasses.dataclass(frozen=True)
class GlobalAveragePooling3D(_GlobalAveragePooling):
    rank = 3


# ---------------------------------------------------------------------------- adaptive

_ADAPTIVE_DOC = """{rank}-D adaptive {mode} pooling: the {mode} over windows chosen so that
    the output has `output_size` (as torch's adaptive pooling: output position i covers the
    inputs [floor(i * n / out), ceil((i + 1) * n / out)) of an axis of size n).

    Args:
        output_size: the output's spatial size: an int or one per axis.
        data_format: "channels_last", inputs (batch, {spatial}, channels), or
            "channels_first", inputs (batch, channels, {spatial}); None uses
            `kfn.config.image_data_format()`.

    Example:
        >>> pool = kfn.pure.layers.{name}(2)
        >>> y, _ = pool.apply({{}}, kfn.ops.ones({input}))  # shape {output}
"""


def _adaptive_examples(rank: int) -> dict:
    sizes = {1: (7,), 2: (7, 7), 3: (5, 5, 5)}[rank]
    return {"input": (2, *sizes, 3), "output": (2, *(2,) * rank, 3)}


_adaptive_max_doc = document(_ADAPTIVE_DOC, _adaptive_examples, mode="max")
_adaptive_average_doc = document(_ADAPTIVE_DOC, _adaptive_examples, mode="average")


@dataclasses.dataclass(frozen=True)
class _AdaptivePooling(_PoolingBase):
    output_size: int | tuple
    data_format: str | None = None

    def __post_init__(self):
        super().__post_init__()
        layer = type(self).__name__
        object.__setattr__(
            self, "output_size", window_tuple(layer, "output_size", self.output_size, self.rank)
        )
        object.__setattr__(self, "data_format", data_format_argument(layer, self.data_format))

    def apply(self, variables, inputs, training=False, key=None):
        pool = ops.adaptive_max_pool if self.mode == "max" else ops.adaptive_average_pool
        return pool(inputs, self.output_size, self.data_format), {}

    def output_spec(self, spec):
        shape = self._check(spec)
        for n in spatial_of(shape, self.data_format):
            if n is None:
                raise InputError(
                    f"needs the input's spatial dimensions to be known, got input shape {shape}"
                )
        channels = shape[-1] if self.data_format == "channels_last" else shape[1]
        return TensorSpec(
            with_spatial(shape, self.output_size, channels, self.data_format), self._dtype(spec)
        )


@dataclasses.dataclass(frozen=True)
class _AdaptiveAveragePooling(_AdaptivePooling):
    mode = "average"


@_adaptive_max_doc
@register
@dataclasses.dataclass(frozen=True)
class AdaptiveMaxPooling1D(_AdaptivePooling):
    rank = 1


@_adaptive_max_doc
@register
@dataclasses.dataclass(frozen=True)
class AdaptiveMaxPooling2D(_AdaptivePooling):
    rank = 2


@_adaptive_max_doc
@register
@dataclasses.dataclass(frozen=True)
class AdaptiveMaxPooling3D(_AdaptivePooling):
    rank = 3


@_adaptive_average_doc
@register
@dataclasses.dataclass(frozen=True)
class AdaptiveAveragePooling1D(_AdaptiveAveragePooling):
    rank = 1


@_adaptive_average_doc
@register
@dataclasses.dataclass(frozen=True)
class AdaptiveAveragePooling2D(_AdaptiveAveragePooling):
    rank = 2


@_adaptive_average_doc
@register
@dataclasses.dataclass(frozen=True)
class AdaptiveAveragePooling3D(_AdaptiveAveragePooling):
    rank = 3


# Keras's other names for the same layers.
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
MaxPool3D = MaxPooling3D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
AvgPool3D = AveragePooling3D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
