"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, and the spatial ones: Cropping,
ZeroPadding and UpSampling in 1, 2 and 3 dimensions.

None of them has variables: `init` only checks the input, `apply` moves values around. The
batch axis is kept as it is, and `output_spec` is closed-form, with None for sizes not known
until the data arrives.
"""

from __future__ import annotations

import dataclasses
import math
import numbers

from kfn import ops
from kfn.backends import config
from kfn.pure.layers.base import InputError, InputSpec, Layer, autocast_dtype, register
from kfn.state.spec import TensorSpec

# What UpSampling2D's `interpolation` may be (kfn.ops.image.resize's methods).
_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area")


# ---------------------------------------------------------------------------- arguments


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _data_format(layer: str, value) -> str:
    """`value` checked, or the configured default (`kfn.config.image_data_format`) for None."""
    standard = value.lower() if isinstance(value, str) else value
    if standard is not None and standard not in ("channels_last", "channels_first"):
        raise ValueError(
            f'{layer}: data_format must be "channels_last", "channels_first" or None, got {value!r}'
        )
    return config.standardize_data_format(standard)


def _int_tuple(layer: str, argument: str, value, count: int, minimum: int) -> tuple:
    """An int (the same for every axis) or `count` ints, each >= `minimum`, as a tuple."""
    if _is_int(value):
        values = (int(value),) * count
    elif isinstance(value, list | tuple) and len(value) == count and all(map(_is_int, value)):
        values = tuple(int(v) for v in value)
    else:
        values = None
    if values is None or any(v < minimum for v in values):
        raise ValueError(
            f"{layer}: {argument} must be an int or a tuple of {count} ints, each >= {minimum}, "
            f"got {value!r}"
        )
    return values


def _pairs(layer: str, argument: str, value, count: int) -> tuple:
    """(before, after) amounts (>= 0) for `count` axes: for one axis a pair, from an int (both
    sides) or a pair; for more, a tuple of pairs, from an int (all sides), `count` ints (both
    sides of each axis) or `count` pairs."""
    if count == 1:
        return _int_tuple(layer, argument, value, 2, 0)
    if _is_int(value):
        value = (value,) * count
    if not isinstance(value, list | tuple) or len(value) != count:
        raise ValueError(
            f"{layer}: {argument} must be an int, a tuple of {count} ints or a tuple of "
            f"{count} (before, after) pairs, got {value!r}"
        )
    return tuple(_int_tuple(layer, f"{argument}[{i}]", v, 2, 0) for i, v in enumerate(value))


# ---------------------------------------------------------------------------- shared rules


class _Reshaping(Layer):
    """What the layers of this file share: no variables; the input checked by `input_spec`
    (and the layer's own rules) at `init`; the output shape given by `_output_shape`."""

    def init(self, key, spec):
        self.output_spec(spec)  # checks the input
        return {"trainable": {}, "non_trainable": {}}

    def output_spec(self, spec):
        shape = tuple(spec.shape)
        rule = self.input_spec(spec)
        if rule is not None:
            rule.check(shape)
        return TensorSpec(self._output_shape(shape), autocast_dtype(self, spec.dtype))

    def _output_shape(self, shape: tuple) -> tuple:
        raise NotImplementedError


class _Spatial(_Reshaping):
    """Layers that act on each spatial axis of (batch, *spatial, channels) inputs (or
    (batch, channels, *spatial) for "channels_first"); `rank` is the number of spatial axes."""

    rank = 1

    def __post_init__(self):
        super().__post_init__()
        if hasattr(self, "data_format"):
            value = _data_format(type(self).__name__, self.data_format)
            object.__setattr__(self, "data_format", value)

    def input_spec(self, spec=None):
        return InputSpec(ndim=self.rank + 2)

    def _spatial_axes(self) -> tuple:
        first = getattr(self, "data_format", "channels_last") == "channels_first"
        start = 2 if first else 1
        return tuple(range(start, start + self.rank))

    def _output_shape(self, shape):
        out = list(shape)
        for index, axis in enumerate(self._spatial_axes()):
            if shape[axis] is not None:
                out[axis] = self._spatial_size(index, shape[axis], shape)
        return tuple(out)

    def _spatial_size(self, index: int, size: int, shape: tuple) -> int:
        raise NotImplementedError

    def _per_axis(self, value) -> tuple:
        """One (before, after) pair per spatial axis (1-D layers hold a single pair)."""
        return (value,) if self.rank == 1 else value


# ---------------------------------------------------------------------------- Flatten, Reshape


@register
@dataclasses.dataclass(frozen=True)
class Flatten(_Reshaping):
    """Flattens each sample: (batch, d1, d2, ...) becomes (batch, d1 * d2 * ...).

    Args:
        data_format: "channels_last" or "channels_first" (default: the configured
            `kfn.config.image_data_format()`). Channels-first inputs are flattened in
            channels-last order, so a model gives the same features in either layout.

    A (batch,) input becomes (batch, 1). No variables.

    Example:
        >>> kfn.layers.Flatten()(kfn.ops.ones((2, 3, 4))).shape
        (2, 12)
    """

    data_format: str | None = None

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "data_format", _data_format("Flatten", self.data_format))

    def input_spec(self, spec=None):
        return InputSpec(min_ndim=1)

    def _output_shape(self, shape):
        rest = shape[1:]
        return (shape[0], None if None in rest else math.prod(rest))

    def apply(self, variables, inputs, training=False, key=None):
        rank = len(inputs.shape)
        if self.data_format == "channels_first" and rank > 2:
            inputs = ops.transpose(inputs, (0, *range(2, rank), 1))
        size = self._output_shape(tuple(inputs.shape))[1]
        return ops.reshape(inputs, (ops.shape(inputs)[0], -1 if size is None else size)), {}


@register
@dataclasses.dataclass(frozen=True)
class Reshape(_Reshaping):
    """Reshapes each sample to `target_shape`: (batch, ...) becomes (batch, *target_shape).

    Args:
        target_shape: the shape of one sample (no batch axis); one entry may be -1, inferred
            from the input's size.

    No variables.

    Example:
        >>> kfn.layers.Reshape((-1, 2))(kfn.ops.ones((5, 3, 4))).shape
        (5, 6, 2)
    """

    target_shape: tuple

    def __post_init__(self):
        super().__post_init__()
        target = self.target_shape
        if not isinstance(target, list | tuple) or not all(map(_is_int, target)):
            raise ValueError(f"Reshape: target_shape must be a tuple of ints, got {target!r}")
        target = tuple(int(d) for d in target)
        if any(d < -1 for d in target) or target.count(-1) > 1:
            raise ValueError(
                "Reshape: target_shape must hold sizes >= 0 and at most one -1 (an inferred "
                f"size), got {target}"
            )
        object.__setattr__(self, "target_shape", target)

    def _output_shape(self, shape):
        return (shape[0], *self._sample_shape(shape))

    def _sample_shape(self, shape) -> tuple:
        """`target_shape` with its -1 resolved (None when the input's size is unknown)."""
        target, rest = self.target_shape, shape[1:]
        if None in rest:
            return tuple(None if d == -1 else d for d in target)
        size, known = math.prod(rest), math.prod(d for d in target if d != -1)
        if -1 not in target:
            if size != known:
                raise InputError(
                    f"expected input with {known} values per sample for target_shape {target}, "
                    f"got {size} (input shape {shape})"
                )
            return target
        if known == 0 or size % known:
            raise InputError(
                f"expected input with a multiple of {known} values per sample for "
                f"target_shape {target}, got {size} (input shape {shape})"
            )
        return tuple(size // known if d == -1 else d for d in target)

    def apply(self, variables, inputs, training=False, key=None):
        sample = self._sample_shape(tuple(inputs.shape))
        sample = tuple(-1 if d is None else d for d in sample)
        return ops.reshape(inputs, (ops.shape(inputs)[0], *sample)), {}


# ---------------------------------------------------------------------------- Permute, RepeatVector


@register
@dataclasses.dataclass(frozen=True)
class Permute(_Reshaping):
    """Permutes the axes of each sample (the batch axis stays first).

    Args:
        dims: the new order of the sample axes, numbered from 1: (2, 1) swaps the two axes
            of (batch, a, b) inputs, giving (batch, b, a).

    No variables.

    Example:
        >>> kfn.layers.Permute((2, 1))(kfn.ops.ones((4, 10, 64))).shape
        (4, 64, 10)
    """

    dims: tuple

    def __post_init__(self):
        super().__post_init__()
        dims = self.dims
        if (
            not isinstance(dims, list | tuple)
            or not all(map(_is_int, dims))
            or sorted(dims) != list(range(1, len(dims) + 1))
        ):
            raise ValueError(
                "Permute: dims must be a permutation of 1, 2, ..., n (the sample axes; the "
                f"batch axis 0 is left out), got {dims!r}"
            )
        object.__setattr__(self, "dims", tuple(int(d) for d in dims))

    def input_spec(self, spec=None):
        return InputSpec(ndim=len(self.dims) + 1)

    def _output_shape(self, shape):
        return (shape[0], *(shape[d] for d in self.dims))

    def apply(self, variables, inputs, training=False, key=None):
        return ops.transpose(inputs, (0, *self.dims)), {}


@register
@dataclasses.dataclass(frozen=True)
class RepeatVector(_Reshaping):
    """Repeats each sample `n` times: (batch, features) becomes (batch, n, features).

    Args:
        n: the number of repetitions.

    No variables.

    Example:
        >>> kfn.layers.RepeatVector(3)(kfn.ops.ones((2, 32))).shape
        (2, 3, 32)
    """

    n: int

    def __post_init__(self):
        super().__post_init__()
        if not _is_int(self.n) or self.n < 1:
            raise ValueError(f"RepeatVector: n must be a positive integer, got {self.n!r}")

    def input_spec(self, spec=None):
        return InputSpec(ndim=2)

    def _output_shape(self, shape):
        return (shape[0], self.n, shape[1])

    def apply(self, variables, inputs, training=False, key=None):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1), {}


# ---------------------------------------------------------------------------- Cropping


class _Cropping(_Spatial):
    def __post_init__(self):
        super().__post_init__()
        value = _pairs(type(self).__name__, "cropping", self.cropping, self.rank)
        object.__setattr__(self, "cropping", value)

    def _spatial_size(self, index, size, shape):
        before, after = self._per_axis(self.cropping)[index]
        if before + after >= size:
            axis = self._spatial_axes()[index]
            raise InputError(
                f"expected input dimension {axis} larger than its cropping {(before, after)}, "
                f"got {size} (input shape {shape})"
            )
        return size - before - after

    def apply(self, variables, inputs, training=False, key=None):
        self._output_shape(tuple(inputs.shape))  # a crop larger than the input is an error
        index = [slice(None)] * len(inputs.shape)
        for axis, (before, after) in zip(self._spatial_axes(), self._per_axis(self.cropping)):
            index[axis] = slice(before, -after if after else None)
        return ops.get_item(inputs, tuple(index)), {}


@register
@dataclasses.dataclass(frozen=True)
class Cropping1D(_Cropping):
    """Crops the steps axis of (batch, steps, features) inputs.

    Args:
        cropping: how many steps to remove at the start and at the end: an int (both) or a
            pair (start, end).

    No variables.

    Example:
        >>> kfn.layers.Cropping1D((1, 2))(kfn.ops.ones((2, 6, 3))).shape
        (2, 3, 3)
    """

    cropping: int | tuple = (1, 1)


@register
@dataclasses.dataclass(frozen=True)
class Cropping2D(_Cropping):
    """Crops the height and width axes of images.

    Args:
        cropping: an int (every side), a pair (height, width) of symmetric amounts, or a
            pair of pairs ((top, bottom), (left, right)).
        data_format: "channels_last" ((batch, height, width, channels)) or "channels_first"
            ((batch, channels, height, width)); default the configured image data format.

    No variables.

    Example:
        >>> kfn.layers.Cropping2D(((1, 0), (2, 2)))(kfn.ops.ones((2, 5, 6, 3))).shape
        (2, 4, 2, 3)
    """

    cropping: int | tuple = ((0, 0), (0, 0))
    data_format: str | None = None
    rank = 2


@register
@dataclasses.dataclass(frozen=True)
class Cropping3D(_Cropping):
    """Crops the three spatial axes of volumes.

    Args:
        cropping: an int (every side), three symmetric amounts, or three pairs
            ((start, end) for each spatial axis).
        data_format: "channels_last" ((batch, d1, d2, d3, channels)) or "channels_first"
            ((batch, channels, d1, d2, d3)); default the configured image data format.

    No variables.

    Example:
        >>> kfn.layers.Cropping3D(1)(kfn.ops.ones((2, 4, 4, 4, 3))).shape
        (2, 2, 2, 2, 3)
    """

    cropping: int | tuple = ((1, 1), (1, 1), (1, 1))
    data_format: str | None = None
    rank = 3


# ---------------------------------------------------------------------------- ZeroPadding


class _ZeroPadding(_Spatial):
    def __post_init__(self):
        super().__post_init__()
        value = _pairs(type(self).__name__, "padding", self.padding, self.rank)
        object.__setattr__(self, "padding", value)

    def _spatial_size(self, index, size, shape):
        return size + sum(self._per_axis(self.padding)[index])

    def apply(self, variables, inputs, training=False, key=None):
        widths = [(0, 0)] * len(inputs.shape)
        for axis, pair in zip(self._spatial_axes(), self._per_axis(self.padding)):
            widths[axis] = pair
        return ops.pad(inputs, tuple(widths)), {}


@register
@dataclasses.dataclass(frozen=True)
class ZeroPadding1D(_ZeroPadding):
    """Pads the steps axis of (batch, steps, features) inputs with zeros.

    Args:
        padding: how many zeros to add at the start and at the end: an int (both) or a
            pair (start, end).
        data_format: "channels_last" ((batch, steps, features)) or "channels_first"
            ((batch, features, steps)); default the configured image data format.

    No variables.

    Example:
        >>> kfn.layers.ZeroPadding1D((1, 2))(kfn.ops.ones((2, 3, 4))).shape
        (2, 6, 4)
    """

    padding: int | tuple = 1
    data_format: str | None = None


@register
@dataclasses.dataclass(frozen=True)
class ZeroPadding2D(_ZeroPadding):
    """Pads the height and width axes of images with zeros.

    Args:
        padding: an int (every side), a pair (height, width) of symmetric amounts, or a pair
            of pairs ((top, bottom), (left, right)).
        data_format: "channels_last" ((batch, height, width, channels)) or "channels_first"
            ((batch, channels, height, width)); default the configured image data format.

    No variables.

    Example:
        >>> kfn.layers.ZeroPadding2D(((1, 0), (2, 2)))(kfn.ops.ones((2, 3, 3, 1))).shape
        (2, 4, 7, 1)
    """

    padding: int | tuple = (1, 1)
    data_format: str | None = None
    rank = 2


@register
@dataclasses.dataclass(frozen=True)
class ZeroPadding3D(_ZeroPadding):
    """Pads the three spatial axes of volumes with zeros.

    Args:
        padding: an int (every side), three symmetric amounts, or three pairs
            ((start, end) for each spatial axis).
        data_format: "channels_last" ((batch, d1, d2, d3, channels)) or "channels_first"
            ((batch, channels, d1, d2, d3)); default the configured image data format.

    No variables.

    Example:
        >>> kfn.layers.ZeroPadding3D(1)(kfn.ops.ones((2, 2, 2, 2, 3))).shape
        (2, 4, 4, 4, 3)
    """

    padding: int | tuple = ((1, 1), (1, 1), (1, 1))
    data_format: str | None = None
    rank = 3


# ---------------------------------------------------------------------------- UpSampling


class _UpSampling(_Spatial):
    def __post_init__(self):
        super().__post_init__()
        name = type(self).__name__
        if self.rank > 1:
            object.__setattr__(self, "size", _int_tuple(name, "size", self.size, self.rank, 1))
        elif not _is_int(self.size) or self.size < 1:  # one int, as Keras has it
            raise ValueError(f"{name}: size must be a positive integer, got {self.size!r}")

    def _factors(self) -> tuple:
        return (self.size,) if self.rank == 1 else self.size

    def _spatial_size(self, index, size, shape):
        return size * self._factors()[index]

    def apply(self, variables, inputs, training=False, key=None):
        for axis, factor in zip(self._spatial_axes(), self._factors()):
            if factor != 1:
                inputs = ops.repeat(inputs, factor, axis=axis)
        return inputs, {}


@register
@dataclasses.dataclass(frozen=True)
class UpSampling1D(_UpSampling):
    """Repeats each step of (batch, steps, features) inputs `size` times.

    Args:
        size: the upsampling factor.

    No variables.

    Example:
        >>> kfn.layers.UpSampling1D(2)(kfn.ops.ones((2, 3, 4))).shape
        (2, 6, 4)
    """

    size: int = 2


@register
@dataclasses.dataclass(frozen=True)
class UpSampling2D(_UpSampling):
    """Upsamples images by integer factors along height and width.

    Args:
        size: the factors (rows, columns), or one int for both.
        data_format: "channels_last" ((batch, height, width, channels)) or "channels_first"
            ((batch, channels, height, width)); default the configured image data format.
        interpolation: "nearest" (repeats rows and columns), or a resampling method of
            `kfn.ops.image.resize`: "bilinear", "bicubic", "lanczos3", "lanczos5", "area".

    No variables.

    Example:
        >>> kfn.layers.UpSampling2D((2, 3))(kfn.ops.ones((1, 2, 2, 3))).shape
        (1, 4, 6, 3)
    """

    size: int | tuple = (2, 2)
    data_format: str | None = None
    interpolation: str = "nearest"
    rank = 2

    def __post_init__(self):
        super().__post_init__()
        method = self.interpolation.lower() if isinstance(self.interpolation, str) else None
        if method not in _INTERPOLATIONS:
            raise ValueError(
                f"UpSampling2D: interpolation must be one of {', '.join(_INTERPOLATIONS)}, "
                f"got {self.interpolation!r}"
            )
        object.__setattr__(self, "interpolation", method)

    def apply(self, variables, inputs, training=False, key=None):
        if self.interpolation == "nearest":
            return super().apply(variables, inputs)
        shape = tuple(inputs.shape)
        if any(shape[a] is None for a in self._spatial_axes()):
            raise InputError(
                f"needs the input's height and width to be known to resize with interpolation "
                f"{self.interpolation!r}, got input shape {shape}"
            )
        size = tuple(shape[a] * f for a, f in zip(self._spatial_axes(), self.size))
        resized = ops.image.resize(
            inputs, size, interpolation=self.interpolation, data_format=self.data_format
        )
        return resized, {}


@register
@dataclasses.dataclass(frozen=True)
class UpSampling3D(_UpSampling):
    """Upsamples volumes by repeating their entries along the three spatial axes.

    Args:
        size: the factors (dim1, dim2, dim3), or one int for all three.
        data_format: "channels_last" ((batch, d1, d2, d3, channels)) or "channels_first"
            ((batch, channels, d1, d2, d3)); default the configured image data format.

    No variables.

    Example:
        >>> kfn.layers.UpSampling3D(2)(kfn.ops.ones((1, 1, 2, 1, 3))).shape
        (1, 2, 4, 2, 3)
    """

    size: int | tuple = (2, 2, 2)
    data_format: str | None = None
    rank = 3
