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
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

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
    """A VarianceScaling with fixed scale, mode and distribution; only the seed is set."""

    scale_mode_distribution: tuple = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed=None):
        scale, mode, distribution = self.scale_mode_distribution
        super().__init__(scale=scale, mode=mode, distribution=distribution, seed=seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}


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
        normal = ops.convert_to_numpy(random_ops.normal(flat, dtype="float32", seed=self._key(key)))
        # The decomposition runs on the host, once per variable.
        q, r = np.linalg.qr(normal.astype(np.float64))
        q = q * np.sign(np.diag(r))
        if rows < columns:
            q = q.T
        return ops.convert_to_tensor((self.gain * q).reshape(shape), dtype=dtype)


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


# Keras's other names for the same classes.
OrthogonalInitializer = Orthogonal
IdentityInitializer = Identity
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
}.items():
    registry.alias("initializers", _alias, _cls)


def get(identifier) -> Initializer | None:
    """An initializer from a name ("glorot_uniform"), a config dict, an instance or a callable.

    Example:
        >>> kfn.initializers.get("he_normal")
    """
    return registry.get("initializers", identifier, Initializer)


def serialize(initializer) -> dict:
    return registry.serialize(initializer)


def deserialize(config) -> Initializer:
    return registry.deserialize("initializers", config)
