"""The pure layer: a frozen dataclass of its configuration with two functions.

    init(key, *input_specs)                             -> variables
    apply(variables, *inputs, training=False, key=None) -> (outputs, new_non_trainable)

`variables` is `{"trainable": {...}, "non_trainable": {...}}` keyed by variable name, in
creation order. Nothing is mutated: state that changes (moving statistics) comes back from
`apply` as the new non-trainable dict. Layers that draw random numbers in training set
`uses_key = True` and take them from `key`.

The dataclass fields are the Keras constructor arguments, so the config is the fields;
initializers, activations, regularizers and constraints are stored resolved and serialized by
name. `kfn.layers.<Name>` is the stateful layer generated from `kfn.pure.layers.<Name>`.

Example:
    >>> dense = kfn.pure.layers.Dense(4)
    >>> variables = dense.init(kfn.random.key(0), kfn.TensorSpec((None, 3)))
    >>> y, _ = dense.apply(variables, kfn.ops.ones((2, 3)))
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import math
import threading

from kfn import ops
from kfn.pure import activations, constraints, dtype_policy, initializers, registry, regularizers
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
    """Base of pure layers. Subclasses are frozen dataclasses of their Keras arguments.

    Two keyword-only arguments are common to every layer, as in Keras: `dtype` (a dtype or a
    dtype policy name such as "mixed_float16": variables are created in its variable dtype
    and float inputs are cast to its compute dtype; None takes the global policy when the
    layer is made, see `kfn.config.set_dtype_policy`) and `activity_regularizer` (a penalty
    on the outputs, divided by the batch size as in Keras 3, added to the losses).
    """

    dtype: str | None = dataclasses.field(default=None, kw_only=True)
    activity_regularizer: object = dataclasses.field(
        default=None, kw_only=True, metadata={"kind": "regularizers"}
    )

    # Whether `apply` needs an RNG key when training.
    uses_key = False
    # Whether `apply` behaves differently in training (Dropout, BatchNormalization, ...).
    uses_training = False
    # Whether float inputs are cast to the compute dtype before `apply` (Keras's autocast).
    autocast = True
    # Whether float variables are cast to the compute dtype before `apply` under a mixed
    # policy (variables kept in float32, computation in float16); layers that compute their
    # statistics in float32 (BatchNormalization) turn it off.
    autocast_variables = True
    # Whether the stateful layer, when frozen (`trainable=False`), runs in inference mode
    # even in training (Keras's BatchNormalization).
    frozen_is_inference = False
    # Whether the layer passes a mask on (Keras's `supports_masking`): the stateful layer
    # attaches `compute_mask(inputs, mask)` to its outputs for the layers downstream.
    supports_masking = False

    def __post_init__(self):
        for f in dataclasses.fields(self):
            kind = f.metadata.get("kind")
            if kind is not None:
                object.__setattr__(self, f.name, _KINDS[kind][0](getattr(self, f.name)))
        # The policy is taken when the layer is made (None: the global policy), as in Keras.
        object.__setattr__(self, "dtype", dtype_policy.get(self.dtype).name)

    # ---------------------------------------------------------------- the pure functions

    def init(self, key, *input_specs) -> dict:
        """The layer's variables for inputs described by `input_specs` (TensorSpecs)."""
        return {"trainable": {}, "non_trainable": {}}

    def apply(self, variables, *inputs, training=False, key=None):
        """(outputs, new non-trainable variables)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement apply")

    def output_spec(self, *input_specs):
        """The TensorSpec(s) of the outputs, by abstract evaluation of `init` and `apply`."""
        variables = ops.eval_shape(lambda: self.init(_ABSTRACT_KEY, *input_specs))

        def run(variables, *inputs):
            return self.apply(variables, *inputs, training=False, key=None)[0]

        return ops.eval_shape(run, variables, *input_specs)

    def compute_mask(self, inputs, mask=None):
        """The mask of the outputs, given the inputs and their mask (booleans, True where a
        position counts), as Keras's `compute_mask`: by default the input's mask when the
        layer supports masking, else None."""
        return mask if self.supports_masking else None

    def input_spec(self, *input_specs):
        """What the layer accepts once built for `input_specs`: an InputSpec (or one per
        input), checked on every later call; None accepts anything."""
        return None

    def variable_options(self) -> dict:
        """{variable name: (regularizer, constraint)} for the variables that have either.

        By default a field `<name>_regularizer` or `<name>_constraint` applies to the variable
        `<name>` (Keras's convention: `kernel_regularizer` -> `kernel`); layers whose names
        differ override this.
        """
        options: dict = {}
        for f in dataclasses.fields(self):
            for suffix, slot in (("_regularizer", 0), ("_constraint", 1)):
                if f.name.endswith(suffix) and f.name != "activity_regularizer":
                    value = getattr(self, f.name)
                    if value is not None:
                        entry = list(options.get(f.name[: -len(suffix)], (None, None)))
                        entry[slot] = value
                        options[f.name[: -len(suffix)]] = tuple(entry)
        return options

    # ---------------------------------------------------------------- dtypes

    @property
    def policy(self) -> dtype_policy.DTypePolicy:
        return dtype_policy.get(self.dtype)

    @property
    def compute_dtype(self) -> str:
        return self.policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self.policy.variable_dtype

    # ---------------------------------------------------------------- configuration

    def get_config(self) -> dict:
        """The constructor arguments, with nested objects serialized."""
        config = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "activity_regularizer" and value is None:
                continue
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
    return registry.register("pure_layers")(cls)


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


def autocast(compute_dtype: str, inputs):
    """`inputs` (any structure) with float tensors cast to `compute_dtype` (Keras's autocast:
    ints, bools and complex values are left alone)."""
    return tree.map_structure(lambda x: cast_float(compute_dtype, x), inputs)


def cast_float(compute_dtype: str, x):
    """`x` cast to `compute_dtype` when it is a float tensor of another float type."""
    if ops.is_tensor(x):
        dtype = ops.dtype(x)
        if dtype != compute_dtype and dtype in _FLOATS:
            return ops.cast(x, compute_dtype)
    return x


_FLOATS = frozenset(("float16", "bfloat16", "float32", "float64"))


def takes_argument(function, name: str) -> bool:
    """Whether `function` has a parameter called `name` (a `**kwargs` does not count)."""
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def autocast_dtype(layer: Layer, dtype: str) -> str:
    """The dtype an input of `dtype` has once cast to the layer's compute dtype (floats
    only): what a layer that keeps its input's dtype returns."""
    if dtype in _FLOATS and layer.compute_dtype in _FLOATS:
        return layer.compute_dtype
    return dtype


def compute_variables(layer: Layer, variables: dict) -> dict:
    """`variables` as `apply` reads them: under a mixed policy (variables in float32,
    computation in float16 or bfloat16) float variables are cast to the compute dtype, as
    Keras's autocast does. Callers of `apply` (models, stateful layers) go through this."""
    policy = getattr(layer, "policy", None)
    if policy is None or policy.variable_dtype == policy.compute_dtype:
        return variables
    if not layer.autocast_variables:
        return variables
    return autocast(policy.compute_dtype, variables)


# ---------------------------------------------------------------------------- added losses

_local = threading.local()


@contextlib.contextmanager
def collect_losses():
    """Collect the losses that layers add (activity regularization, `add_loss`) while the
    block runs, in a list.

    Example:
        >>> with collect_losses() as losses:
        ...     outputs, _ = model.apply(variables, x)
        >>> total = sum(losses)
    """
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    collected: list = []
    stack.append(collected)
    try:
        yield collected
    finally:
        stack.pop()


def add_loss(value) -> bool:
    """Add a loss to the innermost `collect_losses` block; False when there is none."""
    stack = getattr(_local, "stack", None)
    if not stack:
        return False
    stack[-1].append(value)
    return True


def activity_losses(layer: Layer, outputs) -> None:
    """Add the layer's activity regularization of `outputs` (if it has one) to the losses."""
    regularizer = layer.activity_regularizer
    if regularizer is None:
        return
    for output in tree.flatten(outputs):
        if ops.is_tensor(output):
            add_loss(activity_penalty(regularizer, output))


def activity_penalty(regularizer, output):
    """The penalty of one output, per sample as in Keras 3: divided by the batch size (the
    first axis), so its strength does not change with the batch."""
    penalty = regularizer(output)
    if len(output.shape) == 0:
        return penalty
    batch = output.shape[0]
    if batch is None or not isinstance(batch, int):
        batch = ops.shape(output)[0]
    return ops.divide_no_nan(penalty, ops.cast(batch, ops.dtype(penalty)))
