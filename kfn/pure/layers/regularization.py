"""Regularization layers: Dropout, SpatialDropout1D/2D/3D, GaussianDropout, GaussianNoise,
AlphaDropout, ActivityRegularization.

The random ones (`uses_key = True`) are the identity unless `training` is True and their
rate (or stddev) is positive; only then do they need `key`, an RNG key (the stateful layer
passes a fresh one from its SeedGenerator on every training call). None has variables.

Example:
    >>> dropout = kfn.pure.layers.Dropout(0.5)
    >>> y, _ = dropout.apply({}, x, training=True, key=kfn.random.key(0))
"""

from __future__ import annotations

import dataclasses
import math
import numbers

from kfn import ops
from kfn.backends import config
from kfn.pure import regularizers
from kfn.pure.layers.base import InputError, InputSpec, Layer, register
from kfn.pure.layers.core import same_spec

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _check_fraction(layer: str, argument: str, value, upper_inclusive: bool = True) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{layer}: {argument} must be a number, got {value!r}")
    if not (0 <= value <= 1 if upper_inclusive else 0 <= value < 1):
        interval = "[0, 1]" if upper_inclusive else "[0, 1)"
        raise ValueError(f"{layer}: {argument} must be in {interval}, got {value!r}")


def _check_noise_shape(layer: str, noise_shape):
    if noise_shape is None:
        return None
    if isinstance(noise_shape, str) or not hasattr(noise_shape, "__iter__"):
        raise ValueError(
            f"{layer}: noise_shape must be a tuple of positive ints or None, got {noise_shape!r}"
        )
    noise_shape = tuple(noise_shape)
    for dim in noise_shape:
        if dim is not None and (isinstance(dim, bool) or not isinstance(dim, int) or dim <= 0):
            raise ValueError(
                f"{layer}: noise_shape must be a tuple of positive ints or None, "
                f"got {noise_shape!r}"
            )
    return noise_shape


def _require_key(layer: str, key):
    if key is None:
        raise ValueError(
            f"{layer}: training=True needs an RNG key: pass key=kfn.random.key(seed) to "
            "apply (the stateful layer passes one from its SeedGenerator)"
        )
    return key


def _concrete_noise_shape(noise_shape, shape) -> tuple:
    """`noise_shape` with its None entries taken from the input `shape`."""
    shape = tuple(shape)
    if noise_shape is None:
        return shape
    if len(noise_shape) != len(shape) or any(
        n is not None and n not in (1, s) for n, s in zip(noise_shape, shape)
    ):
        raise InputError(
            f"expected inputs that noise_shape {noise_shape} broadcasts to, got input shape {shape}"
        )
    return tuple(s if n is None else n for n, s in zip(noise_shape, shape))


def _dropout(layer: str, inputs, rate, noise_shape, key):
    """`inputs` with entries (or, by `noise_shape`, slices) zeroed with probability `rate`,
    the rest scaled by `1 / (1 - rate)`."""
    key = _require_key(layer, key)
    noise_shape = _concrete_noise_shape(noise_shape, inputs.shape)
    if rate == 1:
        return ops.zeros_like(inputs)
    return ops.random.dropout(inputs, rate, noise_shape=noise_shape, seed=key)


class _Random(Layer):
    """A layer that is the identity unless training; output spec = input spec."""

    supports_masking = True

    uses_key = True
    uses_training = True

    def output_spec(self, spec):
        return same_spec(self, spec)


@register
@dataclasses.dataclass(frozen=True)
class Dropout(_Random):
    """Dropout: in training, each entry is zeroed with probability `rate` and the others are
    scaled by `1 / (1 - rate)`, so the expected sum is unchanged; the identity otherwise.

    Args:
        rate: the fraction of entries to drop, in [0, 1] (1 drops everything).
        noise_shape: the shape of the keep mask, broadcast to the inputs; None entries take
            the input's size. `(batch, 1, features)` drops the same features at every step.
        seed: an int seed for the stateful layer's SeedGenerator (the pure form takes `key`).

    Example:
        >>> dropout = kfn.pure.layers.Dropout(0.5)
        >>> y, _ = dropout.apply({}, kfn.ops.ones((2, 4)), training=True, key=kfn.random.key(0))
        >>> # entries are 0. or 2.
    """

    rate: float
    noise_shape: tuple | None = None
    seed: int | None = None

    def __post_init__(self):
        super().__post_init__()
        _check_fraction("Dropout", "rate", self.rate)
        object.__setattr__(self, "noise_shape", _check_noise_shape("Dropout", self.noise_shape))

    def apply(self, variables, inputs, training=False, key=None):
        if not training or self.rate == 0:
            return inputs, {}
        return _dropout("Dropout", inputs, self.rate, self.noise_shape, key), {}


class _SpatialDropout(_Random):
    """Dropout of whole feature maps: the keep mask has size 1 on the spatial axes."""

    rank = 1  # spatial dimensions

    def __post_init__(self):
        super().__post_init__()
        name = type(self).__name__
        _check_fraction(name, "rate", self.rate)
        data_format = getattr(self, "data_format", "channels_last")
        if data_format is None:
            data_format = config.image_data_format()
            object.__setattr__(self, "data_format", data_format)
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                f"{name}: data_format must be 'channels_last' or 'channels_first', "
                f"got {data_format!r}"
            )

    def apply(self, variables, inputs, training=False, key=None):
        self._check_rank(inputs.shape)
        if not training or self.rate == 0:
            return inputs, {}
        noise_shape = self._noise_shape(inputs.shape)
        return _dropout(type(self).__name__, inputs, self.rate, noise_shape, key), {}

    def _check_rank(self, shape) -> None:
        shape = tuple(shape)
        if len(shape) != self.rank + 2:
            raise InputError(
                f"expected input of rank {self.rank + 2}, got rank {len(shape)} "
                f"(input shape {shape})"
            )

    def _noise_shape(self, shape):
        shape = tuple(shape)
        if getattr(self, "data_format", "channels_last") == "channels_first":
            return (shape[0], shape[1]) + (1,) * self.rank
        return (shape[0],) + (1,) * self.rank + (shape[-1],)

    def input_spec(self, spec):
        return InputSpec(ndim=self.rank + 2)

    def output_spec(self, spec):
        self._check_rank(spec.shape)
        return same_spec(self, spec)


@register
@dataclasses.dataclass(frozen=True)
class SpatialDropout1D(_SpatialDropout):
    """Dropout of whole channels of a sequence (batch, steps, channels): in training each
    channel of each sample is zeroed with probability `rate` at every step, the rest scaled
    by `1 / (1 - rate)`; the identity otherwise.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        seed: an int seed for the stateful layer's SeedGenerator.

    Example:
        >>> layer = kfn.pure.layers.SpatialDropout1D(0.5)
        >>> y, _ = layer.apply({}, kfn.ops.ones((2, 5, 3)), training=True, key=kfn.random.key(0))
    """

    rate: float
    seed: int | None = None

    rank = 1


@register
@dataclasses.dataclass(frozen=True)
class SpatialDropout2D(_SpatialDropout):
    """Dropout of whole feature maps of images: in training each channel of each sample is
    zeroed with probability `rate` everywhere, the rest scaled by `1 / (1 - rate)`; the
    identity otherwise.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        data_format: "channels_last" (batch, rows, cols, channels) or "channels_first"
            (batch, channels, rows, cols); default `kfn.config.image_data_format()`.
        seed: an int seed for the stateful layer's SeedGenerator.

    Example:
        >>> layer = kfn.pure.layers.SpatialDropout2D(0.5)
        >>> y, _ = layer.apply({}, kfn.ops.ones((2, 4, 4, 3)), training=True, key=kfn.random.key(0))
    """

    rate: float
    data_format: str | None = None
    seed: int | None = None

    rank = 2


@register
@dataclasses.dataclass(frozen=True)
class SpatialDropout3D(_SpatialDropout):
    """Dropout of whole feature volumes: in training each channel of each sample is zeroed
    with probability `rate` everywhere, the rest scaled by `1 / (1 - rate)`; the identity
    otherwise.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        data_format: "channels_last" (batch, d1, d2, d3, channels) or "channels_first"
            (batch, channels, d1, d2, d3); default `kfn.config.image_data_format()`.
        seed: an int seed for the stateful layer's SeedGenerator.

    Example:
        >>> layer = kfn.pure.layers.SpatialDropout3D(0.5, data_format="channels_first")
        >>> y, _ = layer.apply({}, kfn.ops.ones((2, 3, 4, 4, 4)), training=True, key=kfn.random.key(0))
    """

    rate: float
    data_format: str | None = None
    seed: int | None = None

    rank = 3


@register
@dataclasses.dataclass(frozen=True)
class GaussianDropout(_Random):
    """Multiplicative Gaussian noise: in training `inputs * n` with `n` normal of mean 1 and
    standard deviation `sqrt(rate / (1 - rate))`; the identity otherwise.

    Args:
        rate: the drop probability it imitates, in [0, 1). (Keras accepts 1 and then fails
            when called in training; here it is refused at construction.)
        seed: an int seed for the stateful layer's SeedGenerator.

    Example:
        >>> layer = kfn.pure.layers.GaussianDropout(0.2)
        >>> y, _ = layer.apply({}, kfn.ops.ones((2, 3)), training=True, key=kfn.random.key(0))
    """

    rate: float
    seed: int | None = None

    def __post_init__(self):
        super().__post_init__()
        _check_fraction("GaussianDropout", "rate", self.rate, upper_inclusive=False)

    def apply(self, variables, inputs, training=False, key=None):
        if not training or self.rate == 0:
            return inputs, {}
        key = _require_key("GaussianDropout", key)
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = ops.random.normal(
            tuple(inputs.shape), mean=1.0, stddev=stddev, dtype=self.compute_dtype, seed=key
        )
        return ops.multiply(inputs, noise), {}


@register
@dataclasses.dataclass(frozen=True)
class GaussianNoise(_Random):
    """Additive Gaussian noise: in training `inputs + n` with `n` normal of mean 0 and
    standard deviation `stddev`; the identity otherwise.

    Args:
        stddev: the noise's standard deviation, in [0, 1] (Keras's range).
        seed: an int seed for the stateful layer's SeedGenerator.

    Example:
        >>> layer = kfn.pure.layers.GaussianNoise(0.1)
        >>> y, _ = layer.apply({}, kfn.ops.ones((2, 3)), training=True, key=kfn.random.key(0))
    """

    stddev: float
    seed: int | None = None

    def __post_init__(self):
        super().__post_init__()
        _check_fraction("GaussianNoise", "stddev", self.stddev)

    def apply(self, variables, inputs, training=False, key=None):
        if not training or self.stddev == 0:
            return inputs, {}
        key = _require_key("GaussianNoise", key)
        noise = ops.random.normal(
            tuple(inputs.shape), mean=0.0, stddev=self.stddev, dtype=self.compute_dtype, seed=key
        )
        return ops.add(inputs, noise), {}


@register
@dataclasses.dataclass(frozen=True)
class AlphaDropout(_Random):
    """Alpha dropout, for self-normalizing (SELU) networks: in training, dropped entries are
    set to SELU's negative saturation value `-scale * alpha`, then all entries go through the
    affine map `a * x + b` that restores the mean and variance; the identity otherwise.

    With `p = -scale * alpha` and rate `r`: `a = ((1 - r) * (1 + r * p**2)) ** -0.5` and
    `b = -a * p * r`.

    Args:
        rate: the fraction of entries to drop, in [0, 1). (Keras accepts 1 and then fails
            when called in training; here it is refused at construction.)
        noise_shape: the shape of the keep mask, broadcast to the inputs; None entries take
            the input's size.
        seed: an int seed for the stateful layer's SeedGenerator.

    Example:
        >>> layer = kfn.pure.layers.AlphaDropout(0.1)
        >>> y, _ = layer.apply({}, kfn.ops.ones((2, 3)), training=True, key=kfn.random.key(0))
    """

    rate: float
    noise_shape: tuple | None = None
    seed: int | None = None

    def __post_init__(self):
        super().__post_init__()
        _check_fraction("AlphaDropout", "rate", self.rate, upper_inclusive=False)
        noise_shape = _check_noise_shape("AlphaDropout", self.noise_shape)
        object.__setattr__(self, "noise_shape", noise_shape)

    def apply(self, variables, inputs, training=False, key=None):
        if not training or self.rate == 0:
            return inputs, {}
        key = _require_key("AlphaDropout", key)
        noise_shape = _concrete_noise_shape(self.noise_shape, inputs.shape)
        dtype = ops.dtype(inputs)
        kept = ops.random.uniform(noise_shape, dtype="float32", seed=key) >= self.rate
        kept = ops.cast(kept, dtype)
        saturation = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * saturation**2)) ** -0.5
        b = -a * saturation * self.rate
        x = inputs * kept + saturation * (1 - kept)
        return a * x + b, {}


@register
@dataclasses.dataclass(frozen=True)
class ActivityRegularization(Layer):
    """Returns its input unchanged and adds the penalty `l1 * sum(|x|) + l2 * sum(x**2)` of
    it to the losses (collected by `kfn.pure.layers.base.collect_losses`, or returned by
    `stateless_call(..., return_losses=True)`).

    Args:
        l1: the L1 factor, >= 0.
        l2: the L2 factor, >= 0.

    Example:
        >>> layer = kfn.pure.layers.ActivityRegularization(l2=0.01)
        >>> with kfn.pure.layers.base.collect_losses() as losses:
        ...     y, _ = layer.apply({}, kfn.ops.ones((2, 3)))
        >>> # losses == [0.06]
    """

    supports_masking = True

    l1: float = 0.0
    l2: float = 0.0

    def __post_init__(self):
        super().__post_init__()
        try:
            penalty = regularizers.L1L2(l1=self.l1, l2=self.l2)
        except (TypeError, ValueError):
            raise ValueError(
                "ActivityRegularization: l1 and l2 must be numbers >= 0, "
                f"got l1={self.l1!r}, l2={self.l2!r}"
            ) from None
        # The penalty is the layer's activity regularizer: whoever runs the layer (the
        # stateful layer, a pure model) adds it to the losses.
        object.__setattr__(self, "activity_regularizer", penalty)

    def apply(self, variables, inputs, training=False, key=None):
        return inputs, {}

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return config

    def output_spec(self, spec):
        return same_spec(self, spec)
