"""Regularizers: pure functions of a weight giving a penalty added to the loss.

Example:
    >>> kfn.regularizers.L2(0.01)(kfn.ops.ones((2, 2)))  # 0.04
"""

from __future__ import annotations

import dataclasses
import math
import numbers

from kfn import ops
from kfn.pure import registry


class Regularizer:
    """Base of regularizers: `regularizer(weight) -> scalar penalty`."""

    def __call__(self, x):
        return 0.0

    def get_config(self) -> dict:
        return (
            {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
            if dataclasses.is_dataclass(self)
            else {}
        )

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


def _non_negative(regularizer, **values):
    """Store each value as a float after checking it is a finite number >= 0 (as Keras)."""
    name = type(regularizer).__name__
    for key, value in values.items():
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not math.isfinite(value)
            or value < 0
        ):
            raise ValueError(f"{name}: {key} must be a non-negative number, got {value!r}")
        object.__setattr__(regularizer, key, float(value))


@registry.register("regularizers")
@dataclasses.dataclass(frozen=True)
class L1(Regularizer):
    """`l1 * sum(|x|)`."""

    l1: float = 0.01

    def __post_init__(self):
        _non_negative(self, l1=0.01 if self.l1 is None else self.l1)

    def __call__(self, x):
        return self.l1 * ops.sum(ops.absolute(x))


@registry.register("regularizers")
@dataclasses.dataclass(frozen=True)
class L2(Regularizer):
    """`l2 * sum(x**2)`."""

    l2: float = 0.01

    def __post_init__(self):
        _non_negative(self, l2=0.01 if self.l2 is None else self.l2)

    def __call__(self, x):
        return self.l2 * ops.sum(ops.square(x))


@registry.register("regularizers")
@dataclasses.dataclass(frozen=True)
class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x**2)`."""

    l1: float = 0.0
    l2: float = 0.0

    def __post_init__(self):
        _non_negative(
            self, l1=0.0 if self.l1 is None else self.l1, l2=0.0 if self.l2 is None else self.l2
        )

    def __call__(self, x):
        penalty = ops.zeros((), dtype=ops.dtype(x))
        if self.l1:
            penalty = penalty + self.l1 * ops.sum(ops.absolute(x))
        if self.l2:
            penalty = penalty + self.l2 * ops.sum(ops.square(x))
        return penalty


@registry.register("regularizers")
@dataclasses.dataclass(frozen=True)
class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight toward orthonormality: `factor` times the
    mean absolute off-diagonal of the Gram matrix of the L2-normalized rows (columns).
    """

    factor: float = 0.01
    mode: str = "rows"

    def __post_init__(self):
        _non_negative(self, factor=self.factor)
        if self.mode not in ("rows", "columns"):
            raise ValueError(
                f"OrthogonalRegularizer: mode must be 'rows' or 'columns', got {self.mode!r}"
            )

    def __call__(self, x):
        if len(x.shape) != 2:
            raise ValueError(
                f"OrthogonalRegularizer: the weight must be 2-D, got shape {tuple(x.shape)}"
            )
        if self.mode == "columns":
            x = ops.transpose(x)
        normalized = ops.normalize(x, axis=1)
        gram = ops.matmul(normalized, ops.transpose(normalized))
        size = x.shape[0]
        off_diagonal = ops.sum(ops.absolute(gram)) - ops.trace(ops.absolute(gram))
        return self.factor * off_diagonal / (size * (size - 1))


for _alias, _cls in {
    "l1": L1,
    "l2": L2,
    "l1_l2": L1L2,
    "orthogonal_regularizer": OrthogonalRegularizer,
    "Regularizer": Regularizer,
    "regularizer": Regularizer,
}.items():
    registry.alias("regularizers", _alias, _cls)


def get(identifier):
    """A regularizer from a name ("l2"), a config dict, an instance, a class (instantiated
    with its defaults) or a callable.

    Example:
        >>> kfn.regularizers.get({"class_name": "L2", "config": {"l2": 0.1}})
    """
    if isinstance(identifier, type):
        return identifier()
    return registry.get("regularizers", identifier, Regularizer)


def serialize(regularizer):
    return registry.serialize(regularizer)


def deserialize(config, custom_objects=None):
    return registry.deserialize("regularizers", config, custom_objects)
