"""kfn.Variable and the stateless scope.

A Variable holds a tensor that changes over time (a layer's weight, a moving statistic, an RNG
seed state). Its storage belongs to the backend: a torch.nn.Parameter (trainable) or tensor
on torch, a tf.Variable on TensorFlow, an array box on JAX and NumPy.

Inside a `StatelessScope`, variables read the values the scope was given and record
assignments instead of performing them: that is how `stateless_call` turns any layer,
generated or subclassed, into a pure function of its variables.
"""

from __future__ import annotations

import threading

import numpy as np

from kfn import ops
from kfn.backends import active
from kfn.backends.common import dtypes
from kfn.stateful import naming

# Per thread: "scopes", the open StatelessScopes; "autocast", the float dtype variables read
# in during a mixed-policy layer's call (set by Layer.__call__), or None.
_local = threading.local()


def _scopes() -> list:
    scopes = getattr(_local, "scopes", None)
    if scopes is None:
        scopes = _local.scopes = []
    return scopes


def current_scope():
    """The innermost active StatelessScope, or None."""
    scopes = getattr(_local, "scopes", None)
    return scopes[-1] if scopes else None


class StatelessScope:
    """Substitute values for variables and record assignments, without touching storage.

    Scopes nest: a variable reads the innermost scope that holds a value for it (then the
    enclosing ones, then its storage), and an assignment is recorded in the innermost scope
    that records (or written to storage when none does).

    Args:
        state_mapping: (variable, value) pairs: the values the variables read in the scope.
        record: whether assignments made inside are recorded here; with False the scope only
            substitutes values, and assignments go to the enclosing scope or to storage.

    Example:
        >>> with kfn.StatelessScope([(layer.kernel, new_kernel)]) as scope:
        ...     y = layer(x)
        >>> scope.get_current_value(bn.moving_mean)  # the value assigned inside, if any
    """

    def __init__(self, state_mapping=(), record: bool = True):
        self.record = record
        self._values = {}
        for variable, value in state_mapping:
            if not isinstance(variable, Variable):
                raise ValueError(
                    f"StatelessScope: state_mapping must pair kfn.Variables with values, got "
                    f"{type(variable).__name__}"
                )
            if isinstance(value, Variable):  # Keras users pass model.trainable_variables
                value = value.value
            self._values[id(variable)] = (variable, value)

    def __enter__(self):
        _scopes().append(self)
        return self

    def __exit__(self, *exc):
        _scopes().pop()

    def get_current_value(self, variable):
        """The value `variable` holds in this scope (substituted or assigned), else None."""
        entry = self._values.get(id(variable))
        return None if entry is None else entry[1]

    def add_update(self, variable, value):
        self._values[id(variable)] = (variable, value)


_AGGREGATIONS = ("none", "mean", "sum", "only_first_replica")
_SYNCHRONIZATIONS = ("auto", "none", "on_read", "on_write")


def _choice(argument: str, value, allowed: tuple) -> str:
    if value is None:
        value = allowed[0]
    if value not in allowed:
        raise ValueError(
            f"Variable: {argument} must be one of {', '.join(map(repr, allowed))}, got {value!r}"
        )
    return value


class Variable:
    """A named, possibly trainable tensor that can be assigned.

    Args:
        initializer: the first value: a tensor or array, or an initializer (a callable of
            `(shape, dtype)`, or a name like "glorot_uniform") used with `shape`.
        shape: the shape, needed with an initializer.
        dtype: the dtype (default: the value's, or floatx).
        trainable: whether optimizers update it.
        autocast: whether a layer computing in another float type reads it in that type.
        aggregation: how replicas' values combine under distribution, as in Keras: "none",
            "mean", "sum" or "only_first_replica".
        synchronization: when replicas synchronize: "auto", "none", "on_read", "on_write".
        name: the variable's name ("kernel").
        path: where it lives in a model ("dense/kernel"); default the name, under the open
            `kfn.name_scope`s.
        overwrite_with_gradient: whether optimizers replace the value by the gradient
            instead of applying an update (Keras's float8 scaling factors).

    Example:
        >>> v = kfn.Variable([1.0, 2.0], name="w")
        >>> v.assign_add([1.0, 1.0]); v.numpy()
        array([2., 3.], dtype=float32)
    """

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        name=None,
        path=None,
        overwrite_with_gradient=False,
    ):
        self.aggregation = _choice("aggregation", aggregation, _AGGREGATIONS)
        self.synchronization = _choice("synchronization", synchronization, _SYNCHRONIZATIONS)
        self.overwrite_with_gradient = bool(overwrite_with_gradient)
        self.autocast = bool(autocast)
        self.name = name or "variable"
        if path is None:  # inside kfn.name_scope(...), under its names
            scope = naming.current_path()
            path = f"{scope}/{self.name}" if scope else self.name
        self.path = path
        self._trainable = bool(trainable)
        # Set by Layer.add_weight: the penalty added to the layer's losses and the projection
        # optimizers apply after each update.
        self.regularizer = None
        self.constraint = None
        # Layers that registered this variable's storage (torch modules must hear of a new one).
        self._owners: list = []
        with active.variables.init_scope():
            if isinstance(initializer, str) or (
                callable(initializer) and not ops.is_tensor(initializer)
            ):
                if shape is None:
                    raise ValueError(f"Variable {self.name!r}: an initializer needs a shape")
                from kfn.pure import initializers

                value = initializers.get(initializer)(tuple(shape), dtypes.standardize_dtype(dtype))
            else:
                value = ops.convert_to_tensor(initializer, dtype)
                if shape is not None and tuple(value.shape) != tuple(shape):
                    raise ValueError(
                        f"Variable {self.name!r}: the initial value has shape "
                        f"{tuple(value.shape)}, expected {tuple(shape)}"
                    )
            self._storage = active.variables.create(value, self._trainable, self.path)
        self._shape = tuple(self._storage.shape)
        self._dtype = dtypes.standardize_dtype(self._storage.dtype)

    # ---------------------------------------------------------------- reading

    @property
    def value(self):
        """The current value (inside a StatelessScope, the scope's value; inside a mixed
        policy layer's call, a float variable reads in the layer's compute dtype)."""
        value = self._read()
        cast_to = _local.__dict__.get("autocast")
        if cast_to is not None and cast_to != self._dtype and self.autocast:
            if dtypes.is_float(self._dtype):
                return ops.cast(value, cast_to)
        return value

    def _read(self):
        """The current value, as stored (or as a StatelessScope substitutes it)."""
        scopes = getattr(_local, "scopes", None)
        if scopes:
            for scope in reversed(scopes):
                entry = scope._values.get(id(self))
                if entry is not None:
                    return entry[1]
        return active.variables.read(self._storage)

    def numpy(self) -> np.ndarray:
        """The value as a NumPy array: a copy, unaffected by later assignments (on torch and
        NumPy the storage would otherwise be shared)."""
        return np.array(ops.convert_to_numpy(self._read()), copy=True)

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def dtype(self) -> str:
        """The dtype (inside a mixed policy layer's call, the dtype it reads in)."""
        cast_to = _local.__dict__.get("autocast")
        if cast_to is not None and self.autocast and dtypes.is_float(self._dtype):
            return cast_to
        return self._dtype

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool):
        self._trainable = bool(value)
        self._set_storage(active.variables.set_trainable(self._storage, self._trainable))

    def _set_storage(self, storage):
        if storage is not self._storage:
            self._storage = storage
            for owner in self._owners:
                owner._storage_changed(self)

    @property
    def storage(self):
        """The backend object holding the value (nn.Parameter, tf.Variable, array)."""
        return self._storage

    # ---------------------------------------------------------------- writing

    def assign(self, value):
        """Set the value (inside a StatelessScope: record it there)."""
        value = ops.convert_to_tensor(value, self._dtype)
        if tuple(value.shape) != self._shape and None not in value.shape:
            raise ValueError(
                f"Variable {self.path!r}: cannot assign a value of shape {tuple(value.shape)} to "
                f"a variable of shape {self._shape}"
            )
        scopes = getattr(_local, "scopes", None)
        if scopes:
            for scope in reversed(scopes):
                if scope.record:
                    scope.add_update(self, value)
                    return value
        self._set_storage(active.variables.write(self._storage, value))
        return value

    def assign_add(self, value):
        return self.assign(ops.add(self._read(), value))

    def assign_sub(self, value):
        return self.assign(ops.subtract(self._read(), value))

    # ---------------------------------------------------------------- tensor protocol

    def __kfn_value__(self):
        """What backends convert a Variable to: its current value."""
        return self.value

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __repr__(self) -> str:
        return f"<kfn.Variable path={self.path!r} shape={self._shape} dtype={self._dtype}>"

    def __len__(self):
        return self._shape[0]

    def __getitem__(self, key):
        return self.value[key]

    def __bool__(self):
        raise TypeError("A kfn.Variable has no truth value; use `variable.value`")

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return ops.equal(self.value, _unwrap(other))

    def __ne__(self, other):
        return ops.not_equal(self.value, _unwrap(other))


def _unwrap(x):
    return x.value if isinstance(x, Variable) else x


def _binary_operator(name, op, reverse=False):
    def method(self, other):
        if reverse:
            return op(_unwrap(other), self.value)
        return op(self.value, _unwrap(other))

    method.__name__ = name
    return method


for _name, _op in {
    "add": ops.add,
    "sub": ops.subtract,
    "mul": ops.multiply,
    "truediv": ops.divide,
    "floordiv": ops.floor_divide,
    "mod": ops.mod,
    "pow": ops.power,
    "matmul": ops.matmul,
}.items():
    setattr(Variable, f"__{_name}__", _binary_operator(f"__{_name}__", _op))
    setattr(Variable, f"__r{_name}__", _binary_operator(f"__r{_name}__", _op, reverse=True))
for _name, _op in {
    "lt": ops.less,
    "le": ops.less_equal,
    "gt": ops.greater,
    "ge": ops.greater_equal,
}.items():
    setattr(Variable, f"__{_name}__", _binary_operator(f"__{_name}__", _op))
active.variables.register_conversion(Variable)
Variable.__neg__ = lambda self: ops.negative(self.value)
Variable.__abs__ = lambda self: ops.absolute(self.value)
