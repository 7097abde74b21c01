"""Constraints: pure functions projecting a weight after each optimizer update.

Example:
    >>> kfn.constraints.NonNeg()(kfn.ops.convert_to_tensor([-1.0, 2.0]))  # [0.0, 2.0]
"""

from __future__ import annotations

import dataclasses

from kfn import ops
from kfn.backends import config
from kfn.pure import registry


class Constraint:
    """Base of constraints: `constraint(weight) -> projected weight`."""

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return (
            {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
            if dataclasses.is_dataclass(self)
            else {}
        )

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


def _norms(w, axis):
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


@registry.register("constraints")
@dataclasses.dataclass(frozen=True)
class MaxNorm(Constraint):
    """Rescales weight slices whose L2 norm over `axis` exceeds `max_value`."""

    max_value: float = 2
    axis: int | tuple = 0

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0, self.max_value)
        return w * (desired / (config.epsilon() + norms))


@registry.register("constraints")
@dataclasses.dataclass(frozen=True)
class MinMaxNorm(Constraint):
    """Rescales weight slices so their L2 norm over `axis` moves toward [min_value,
    max_value], by `rate` (1.0 enforces the bounds exactly)."""

    min_value: float = 0.0
    max_value: float = 1.0
    rate: float = 1.0
    axis: int | tuple = 0

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = (
            self.rate * ops.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        )
        return w * (desired / (config.epsilon() + norms))


@registry.register("constraints")
@dataclasses.dataclass(frozen=True)
class NonNeg(Constraint):
    """Negative weights set to zero."""

    def __call__(self, w):
        return ops.maximum(w, 0)


@registry.register("constraints")
@dataclasses.dataclass(frozen=True)
class UnitNorm(Constraint):
    """Weight slices rescaled to unit L2 norm over `axis`."""

    axis: int | tuple = 0

    def __call__(self, w):
        return w / (config.epsilon() + _norms(w, self.axis))


for _alias, _cls in {
    "max_norm": MaxNorm,
    "min_max_norm": MinMaxNorm,
    "non_neg": NonNeg,
    "unit_norm": UnitNorm,
    "Constraint": Constraint,
    "constraint": Constraint,
}.items():
    registry.alias("constraints", _alias, _cls)


def get(identifier):
    """A constraint from a name ("non_neg"), a config dict, an instance, a class
    (instantiated with its defaults) or a callable.

    Example:
        >>> kfn.constraints.get({"class_name": "MaxNorm", "config": {"max_value": 3}})
    """
    if isinstance(identifier, type):
        return identifier()
    return registry.get("constraints", identifier, Constraint)


def serialize(constraint):
    return registry.serialize(constraint)


def deserialize(config, custom_objects=None):
    return registry.deserialize("constraints", config, custom_objects)
