"""Initializers: how a variable's first value is drawn.

Each initializer is a frozen dataclass of its Keras configuration with one pure method,
`sample(key, shape, dtype) -> tensor`, which draws from an explicit RNG key (or from its own
`seed` when one was given, as Keras does), and the Keras call form `init(shape, dtype=None)`,
which draws a key itself.

Example:
    >>> init = kfn.initializers.GlorotUniform(seed=1)
    >>> init((3, 4)).shape                                  # Keras style
    (3, 4)
    >>> init.sample(kfn.random.key(0), (3, 4), "float32")    # pure style
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from kfn import ops
from kfn.backends import config
from kfn.ops import random as random_ops
from kfn.pure import registry

_TRUNCATED_STDDEV = 0.87962566103423978  # std of a standard normal truncated at +-2


class Initializer:
    """Base of initializers: subclasses implement `sample`."""

    def sample(self, key, shape, dtype):
        """A tensor of `shape` and `dtype` drawn from the RNG `key` (pure)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement sample")

    def __call__(self, shape, dtype=None):
        """A tensor of `shape` (Keras style): draws a key from the initializer's seed, or from
        the process-wide generator when it has none."""
        dtype = config.floatx() if dtype is None else dtype
        return self.sample(random_ops.draw_key(getattr(self, "seed", None)), tuple(shape), dtype)

    def get_config(self) -> dict:
        if not dataclasses.is_dataclass(self):
            return {}
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def clone(self) -> Initializer:
        """A new initializer of the same configuration."""
        return type(self).from_config(self.get_config())

    def _key(self, key):
        seed = getattr(self, "seed", None)
        return random_ops.key(seed) if isinstance(seed, int) else key


@registry.register("initializers")
@dataclasses.dataclass(frozen=True)
class Zeros(Initializer):
    """All zeros.

    Example:
        >>> kfn.initializers.Zeros()((2,))  # [0.0, 0.0]
    """

    def sample(self, key, shape, dtype):
        return ops.zeros(tuple(shape), dtype=dtype)


@registry.register("initializers")
@dataclasses.dataclass(frozen=True)
class Ones(Initializer):
    """All ones.

    Example:
        >>> kfn.initializers.Ones()((2,))  # [1.0, 1.0]
    """

    def sample(self, key, shape, dtype):
        return ops.ones(tuple(shape), dtype=dtype)


@registry.register("initializers")
@dataclasses.dataclass(frozen=True)
class Constant(Initializer):
    """Every value equal to `value`.

    Example:
        >>> kfn.initializers.Constant(0.5)((2,))  # [0.5, 0.5]
    """

    value: float = 0.0

    def __post_init__(self):
        if isinstance(self.value, np.generic):
            object.__setattr__(self, "value", self.value.item())

    def sample(self, key, shape, dtype):
        return ops.full(tuple(shape), self.value, dtype=dtype)


@registry.register("initializers")
@dataclasses.dataclass(frozen=True)
class RandomNormal(Initializer):
    """Samples of a normal distribution.

    Example:
        >>> kfn.initializers.RandomNormal(stddev=0.02, seed=1)((3, 3))
    """

    mean: float = 0.0
    stddev: float = 0.05
    seed: int | None = None

    def sample(self, key, shape, dtype):
        return random_ops.normal(tuple(shape), self.mean, self.stddev, dtype, seed=self._key(key))


@registry.register("initializers")
@dataclasses.dataclass(frozen=True)
class RandomUniform(Initializer):
    """Samples of a uniform distribution over [minval, maxval).

    Example:
        >>> kfn.initializers.RandomUniform(-0.1, 0.1, seed=1)((3, 3))
    """

    minval: float = -0.05
    maxval: float = 0.05
    seed: int | None = None

    def sample(self, key, shape, dtype):
        return random_ops.uniform(
            tuple(shape), self.minval, self.maxval, dtype, seed=self._key(key)
        )


@registry.register("initializers")
@dataclasses.dataclass(frozen=True)
class TruncatedNormal(Initializer):
    """Samples of a normal distribution, redrawn beyond two standard deviations.

    Example:
        >>> kfn.initializers.TruncatedNormal(stddev=0.02, seed=1)((3, 3))
    """

    mean: float = 0.0
    stddev: float = 0.05
    seed: int | None = None

    def sample(self, key, shape, dtype):
        return random_ops.truncated_normal(
            tuple(shape), self.mean, self.stddev, dtype, seed=self._key(key)
        )


def compute_fans(shape, input_axes=None, output_axes=None) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight shape, as Keras computes them: for a convolution kernel
    (spatial..., in, out) the receptive field multiplies both."""
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return math.prod(shape[a] for a in input_axes), math.prod(shape[a] for a in output_axes)
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


@registry.register("initializers")
@dataclasses.dataclass(frozen=True)
class VarianceScaling(Initializer):
    """Samples scaled to the weight's fan: variance `scale / n`, with n the fan-in, fan-out
    or their average (`mode`), from a truncated normal, normal or uniform `distribution`.

    Example:
        >>> kfn.initializers.VarianceScaling(2.0, "fan_in", "truncated_normal", seed=1)((3, 3))
    """

    scale: float = 1.0
    mode: str = "fan_in"
    distribution: str = "truncated_normal"
    seed: int | None = None
    input_axes: tuple | None = None
    output_axes: tuple | None = None

    def __post_init__(self):
        if self.scale <= 0:
            raise ValueError(f"VarianceScaling: scale must be positive, got {self.scale}")
        if self.mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(
                f"VarianceScaling: mode must be 'fan_in', 'fan_out' or 'fan_avg', got {self.mode!r}"
            )
        distribution = self.distribution.lower()
        distribution = "truncated_normal" if distribution == "normal" else distribution
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError(
                "VarianceScaling: distribution must be 'uniform', 'truncated_normal' or "
                f"'untruncated_normal', got {self.distribution!r}"
            )
        object.__setattr__(self, "distribution", distribution)

    def sample(self, key, shape, dtype):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        scale = self.scale / max(1.0, n)
        key = self._key(key)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / _TRUNCATED_STDDEV
            return random_ops.truncated_normal(tuple(shape), 0.0, stddev, dtype, seed=key)
        if self.distribution == "untruncated_normal":
            return random_ops.normal(tuple(shape), 0.0, math.sqrt(scale), dtype, seed=key)
        limit = math.sqrt(3.0 * scale)
        return random_ops.uniform(tuple(shape), -limit, limit, dtype, seed=key)


class _FixedVarianceScaling(VarianceScaling):
    """A VarianceScaling with fixed scale, mode and distribution; the seed and the fan axes
    are set."""

    scale_mode_distribution: tuple = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        scale, mode, distribution = self.scale_mode_distribution
        super().__init__(
            scale=scale,
            mode=mode,
            distribution=distribution,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self) -> dict:
        return {"seed": self.seed, "input_axes": self.input_axes, "output_axes": self.output_axes}


@registry.register("initializers")
class GlorotUniform(_FixedVarianceScaling):
    """Uniform in [-limit, limit], limit = sqrt(6 / (fan_in + fan_out)) (Xavier uniform).

    Example:
        >>> kfn.initializers.GlorotUniform(seed=1)((3, 4))
    """

    scale_mode_distribution = (1.0, "fan_avg", "uniform")


@registry.register("initializers")
class GlorotNormal(_FixedVarianceScaling):
    """Truncated normal with stddev sqrt(2 / (fan_in + fan_out)) (Xavier normal)."""

    scale_mode_distribution = (1.0, "fan_avg", "truncated_normal")


@registry.register("initializers")
class HeUniform(_FixedVarianceScaling):
    """Uniform in [-limit, limit], limit = sqrt(6 / fan_in)."""

    scale_mode_distribution = (2.0, "fan_in", "uniform")


@registry.register("initializers")
class HeNormal(_FixedVarianceScaling):
    """Truncated normal with stddev sqrt(2 / fan_in)."""

    scale_mode_distribution = (2.0, "fan_in", "truncated_normal")


@registry.register("initializers")
class LecunUniform(_FixedVarianceScaling):
    """Uniform in [-limit, limit], limit = sqrt(3 / fan_in)."""

    scale_mode_distribution = (1.0, "fan_in", "uniform")


@registry.register("initializers")
class LecunNormal(_FixedVarianceScaling):
    """Truncated normal with stddev sqrt(1 / fan_in)."""

    scale_mode_distribution = (1.0, "fan_in", "truncated_normal")


@registry.register("initializers")
@dataclasses.dataclass(frozen=True)
class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix times `gain`, from the QR decomposition of a normal sample;
    higher-rank shapes are flattened to (prod(shape[:-1]), shape[-1]).

    Example:
        >>> kfn.initializers.Orthogonal(seed=1)((4, 4))
    """

    gain: float = 1.0
    seed: int | None = None

    def sample(self, key, shape, dtype):
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(f"Orthogonal: the shape must have at least 2 dimensions, got {shape}")
        rows, columns = math.prod(shape[:-1]), shape[-1]
        flat = (max(rows, columns), min(rows, columns))
        normal = random_ops.normal(flat, dtype="float32", seed=self._key(key))
        q, r = ops.qr(normal)
        # Signs from R's diagonal make the distribution uniform over orthogonal matrices.
        q = q * ops.sign(ops.diag(r))
        if rows < columns:
            q = ops.transpose(q)
        return ops.cast(self.gain * ops.reshape(q, shape), dtype)


@registry.register("initializers")
@dataclasses.dataclass(frozen=True)
class Identity(Initializer):
    """`gain` times the identity matrix (2-D shapes only).

    Example:
        >>> kfn.initializers.Identity()((2, 2))  # [[1, 0], [0, 1]]
    """

    gain: float = 1.0

    def sample(self, key, shape, dtype):
        shape = tuple(shape)
        if len(shape) != 2:
            raise ValueError(f"Identity: the shape must be 2-D, got {shape}")
        return ops.multiply(ops.eye(*shape, dtype=dtype), ops.convert_to_tensor(self.gain, dtype))


# Windows computed here; other scipy.signal window names need scipy.
_WINDOWS = {
    "hann": np.hanning,
    "hamming": np.hamming,
    "blackman": np.blackman,
    "bartlett": np.bartlett,
    "boxcar": np.ones,
}


def _window(name: str, length: int, periodic: bool) -> np.ndarray:
    """The window `name` of `length` samples, symmetric or periodic (scipy's `fftbins`)."""
    if name in _WINDOWS:
        symmetric = _WINDOWS[name]
        return symmetric(length + 1)[:-1] if periodic else symmetric(length)
    try:
        from scipy import signal
    except ImportError:
        raise ValueError(
            f"STFT: window {name!r} needs scipy (pip install scipy); without it the windows "
            f"are {', '.join(_WINDOWS)}"
        ) from None
    return np.asarray(signal.get_window(name, length, periodic))


@registry.register("initializers")
@dataclasses.dataclass(frozen=True)
class STFT(Initializer):
    """The kernel of a short-time Fourier transform as a convolution: for a shape
    `(frame_length, channels, fft_bins)`, `cos` (side="real") or `sin` (side="imag") of
    `-2 pi t f / (2 (fft_bins - 1))`, times the window and divided by its scaling.

    Args:
        side: "real" or "imag".
        window: a window name ("hann", "hamming", "blackman", "bartlett", "boxcar"; other
            `scipy.signal.get_window` names need scipy), an array of `frame_length`
            values, or None for no window.
        scaling: "density" (divide by the window's L2 norm), "spectrum" (by its sum) or
            None.
        periodic: a periodic window (for spectral analysis) instead of a symmetric one.

    Example:
        >>> kfn.initializers.STFT("real", "hann")((16, 1, 9)).shape
        (16, 1, 9)
    """

    side: str = "real"
    window: object = "hann"
    scaling: str | None = "density"
    periodic: bool = False

    def __post_init__(self):
        if self.side not in ("real", "imag"):
            raise ValueError(f"STFT: side must be 'real' or 'imag', got {self.side!r}")
        if isinstance(self.window, str):
            _window(self.window, 1, False)  # an unknown name fails here
        elif self.window is not None:
            object.__setattr__(self, "window", tuple(float(v) for v in np.ravel(self.window)))
        if self.scaling not in (None, "density", "spectrum"):
            raise ValueError(
                f"STFT: scaling must be None, 'density' or 'spectrum', got {self.scaling!r}"
            )

    def sample(self, key, shape, dtype):
        shape = tuple(shape)
        if len(shape) != 3:
            raise ValueError(
                f"STFT: the shape must be (frame_length, channels, fft_bins), got {shape}"
            )
        frame_length, _, bins = shape
        # A constant: computed once on the host, in float64.
        time = np.arange(frame_length, dtype=np.float64).reshape(frame_length, 1, 1)
        frequency = np.arange(bins, dtype=np.float64).reshape(1, 1, bins) / ((bins - 1) * 2)
        angle = -2.0 * np.pi * time * frequency
        kernel = np.cos(angle) if self.side == "real" else np.sin(angle)
        if self.window is not None:
            if isinstance(self.window, str):
                window = _window(self.window, frame_length, self.periodic)
            else:
                window = np.asarray(self.window, dtype=np.float64)
            if window.shape != (frame_length,):
                raise ValueError(
                    f"STFT: the window must have frame_length={frame_length} values, got "
                    f"shape {window.shape}"
                )
            window = window.reshape(frame_length, 1, 1)
            kernel = kernel * window
            if self.scaling == "density":
                kernel = kernel / np.sqrt(np.sum(np.square(window)))
            elif self.scaling == "spectrum":
                kernel = kernel / np.sum(np.abs(window))
        return ops.convert_to_tensor(np.broadcast_to(kernel, shape), dtype=dtype)


@dataclasses.dataclass(frozen=True, eq=False)
class _Tensor(Initializer):
    """A given value as the initializer (what `get` makes of a tensor or array)."""

    value: object

    def sample(self, key, shape, dtype):
        if tuple(shape) != tuple(self.value.shape):
            raise ValueError(
                f"the initial value has shape {tuple(self.value.shape)}, expected {tuple(shape)}"
            )
        return ops.cast(ops.convert_to_tensor(self.value), dtype)

    def get_config(self) -> dict:
        raise ValueError("an initializer made from a tensor cannot be serialized")


@dataclasses.dataclass(frozen=True, eq=False)
class _Function(Initializer):
    """A function `fn(shape, dtype=None)` as an initializer, so that layers can `sample` it."""

    function: object

    def sample(self, key, shape, dtype):
        return ops.convert_to_tensor(self.function(tuple(shape), dtype=dtype), dtype=dtype)

    def __call__(self, shape, dtype=None):
        return self.function(shape, dtype=dtype)

    def get_config(self) -> dict:
        raise ValueError(
            f"cannot serialize the initializer function {self.function!r}: only kfn's "
            "initializer classes are serializable; subclass kfn.initializers.Initializer "
            "and register it"
        )


# Keras's other names for the same classes.
OrthogonalInitializer = Orthogonal
IdentityInitializer = Identity
STFTInitializer = STFT
for _alias, _cls in {
    "zeros": Zeros,
    "ones": Ones,
    "constant": Constant,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "he_uniform": HeUniform,
    "he_normal": HeNormal,
    "lecun_uniform": LecunUniform,
    "lecun_normal": LecunNormal,
    "orthogonal": Orthogonal,
    "identity": Identity,
    "OrthogonalInitializer": Orthogonal,
    "IdentityInitializer": Identity,
    "stft": STFT,
    "STFTInitializer": STFT,
    "Initializer": Initializer,
    "initializer": Initializer,
    "normal": RandomNormal,
    "uniform": RandomUniform,
    "one": Ones,
    "zero": Zeros,
}.items():
    registry.alias("initializers", _alias, _cls)


def get(identifier) -> Initializer | None:
    """An initializer from a name ("glorot_uniform"), a config dict, an instance, a class, a
    function `fn(shape, dtype=None)` or a tensor (its value, for that shape only).

    Example:
        >>> kfn.initializers.get("he_normal")
        >>> kfn.initializers.get(kfn.initializers.Ones)  # an instance
    """
    if isinstance(identifier, type):
        return identifier()
    if isinstance(identifier, np.ndarray | np.generic) or ops.is_tensor(identifier):
        return _Tensor(identifier)
    if callable(identifier) and not isinstance(identifier, Initializer | type):
        return _Function(identifier)
    return registry.get("initializers", identifier, Initializer)


def serialize(initializer) -> dict:
    return registry.serialize(initializer)


def deserialize(config) -> Initializer:
    return registry.deserialize("initializers", config)
