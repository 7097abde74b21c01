"""The pure layer: a frozen dataclass of its configuration with two functions.

    init(key, *input_specs)                             -> variables
    apply(variables, *inputs, training=False, key=None) -> (outputs, new_non_trainable)

`variables` is `{"trainable": {...}, "non_trainable": {...}}` keyed by variable name, in
creation order. Nothing is mutated: state that changes (moving statistics, RNG seeds) comes
back from `apply` as the new non-trainable dict. Layers that draw random numbers in training
set `uses_key = True` and take them from `key`.

The dataclass fields are the Keras constructor arguments, so the config is the fields;
initializers, activations, regularizers and constraints are stored resolved and serialized by
name. `kfn.layers.<Name>` is the stateful layer generated from `kfn.pure.layers.<Name>`.
"""

from __future__ import annotations

import dataclasses
import math

from kfn import ops
from kfn.pure import activations, constraints, initializers, registry, regularizers
from kfn.state import tree
from kfn.state.spec import TensorSpec

_KINDS = {
    "initializers": (initializers.get, initializers.serialize, initializers.deserialize),
    "activations": (activations.get, activations.serialize, activations.deserialize),
    "regularizers": (regularizers.get, regularizers.serialize, regularizers.deserialize),
    "constraints": (constraints.get, constraints.serialize, constraints.deserialize),
}


def initializer_field(default):
    return dataclasses.field(default=default, metadata={"kind": "initializers"})


def activation_field(default=None):
    return dataclasses.field(default=default, metadata={"kind": "activations"})


def regularizer_field(default=None):
    return dataclasses.field(default=default, metadata={"kind": "regularizers"})


def constraint_field(default=None):
    return dataclasses.field(default=default, metadata={"kind": "constraints"})


class InputError(ValueError):
    """Bad input to a layer. The message says what was expected and received; the stateful
    layer puts its class and name in front."""


@dataclasses.dataclass(frozen=True)
class InputSpec:
    """What a layer accepts: a dtype, an exact or minimum rank, sizes of given axes.

    Example:
        >>> InputSpec(min_ndim=2, axes={-1: 64})
    """

    dtype: str | None = None
    shape: tuple | None = None
    ndim: int | None = None
    max_ndim: int | None = None
    min_ndim: int | None = None
    axes: dict | None = None
    allow_last_axis_squeeze: bool = False
    name: str | None = None
    optional: bool = False

    def check(self, shape, index: int = 0) -> None:
        """InputError when `shape` does not fit this spec."""
        rank = len(shape)
        which = f"input {index}" if index else "input"
        if self.ndim is not None and rank != self.ndim:
            raise InputError(
                f"expected {which} of rank {self.ndim}, got rank {rank} (input shape {tuple(shape)})"
            )
        if self.min_ndim is not None and rank < self.min_ndim:
            raise InputError(
                f"expected {which} of rank >= {self.min_ndim}, got rank {rank} (input shape {tuple(shape)})"
            )
        if self.max_ndim is not None and rank > self.max_ndim:
            raise InputError(
                f"expected {which} of rank <= {self.max_ndim}, got rank {rank} (input shape {tuple(shape)})"
            )
        for axis, size in (self.axes or {}).items():
            actual = shape[axis] if -rank <= axis < rank else None
            if size is not None and actual is not None and actual != size:
                name = "last dimension" if axis == -1 else f"dimension {axis}"
                raise InputError(
                    f"expected {which} {name} {size}, got {actual} (input shape {tuple(shape)})"
                )
        if self.shape is not None:
            expected = tuple(self.shape)
            if len(expected) != rank or any(
                e is not None and a is not None and e != a for e, a in zip(expected, shape)
            ):
                raise InputError(f"expected {which} of shape {expected}, got {tuple(shape)}")


@dataclasses.dataclass(frozen=True)
class Layer:
    """Base of pure layers. Subclasses are frozen dataclasses of their Keras arguments."""

    # Whether `apply` needs an RNG key when training.
    uses_key = False
    # Whether `apply` behaves differently in training (Dropout, BatchNormalization, ...).
    uses_training = False

    def __post_init__(self):
        for f in dataclasses.fields(self):
            kind = f.metadata.get("kind")
            if kind is not None:
                object.__setattr__(self, f.name, _KINDS[kind][0](getattr(self, f.name)))

    # ---------------------------------------------------------------- the pure functions

    def init(self, key, *input_specs) -> dict:
        """The layer's variables for inputs described by `input_specs` (TensorSpecs)."""
        return {"trainable": {}, "non_trainable": {}}

    def apply(self, variables, *inputs, training=False, key=None):
        """(outputs, new non-trainable variables)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement apply")

    def output_spec(self, *input_specs):
        """The TensorSpec(s) of the outputs, by abstract evaluation of `apply`."""
        variables = ops.eval_shape(lambda: self.init(_ABSTRACT_KEY, *input_specs))

        def run(variables, *inputs):
            return self.apply(variables, *inputs, training=False, key=None)[0]

        return ops.eval_shape(run, variables, *input_specs)

    def input_spec(self, *input_specs):
        """What the layer accepts once built for `input_specs`: an InputSpec (or one per
        input), checked on every later call; None accepts anything."""
        return None

    # ---------------------------------------------------------------- configuration

    @property
    def dtype_name(self) -> str:
        from kfn.backends import config

        return getattr(self, "dtype", None) or config.floatx()

    def get_config(self) -> dict:
        """The constructor arguments, with nested objects serialized."""
        config = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            kind = f.metadata.get("kind")
            if kind is not None and value is not None:
                value = _KINDS[kind][1](value)
            config[f.name] = _plain(value)
        return config

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def replace(self, **changes):
        """A copy with some arguments changed."""
        return dataclasses.replace(self, **changes)


# A key for abstract evaluation: its values never matter.
_ABSTRACT_KEY = None


def _plain(value):
    """Tuples become lists in configs (as JSON has them), recursively."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def register(cls):
    """Register a pure layer class by name (for configs)."""
    return registry.register("layers")(cls)


def split_key(key, count: int):
    """`count` keys derived from `key` (None when `key` is None)."""
    if key is None:
        return [None] * count
    keys = ops.random.split(key, count)
    return [keys[i] for i in range(count)]


def spec_of(x) -> TensorSpec:
    return TensorSpec(tuple(x.shape), ops.dtype(x))


def shapes(specs):
    return tree.map_structure(lambda s: tuple(s.shape), specs)


def numel(shape) -> int:
    return math.prod(shape)
