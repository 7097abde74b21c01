"""kfn.Layer: the Keras-style stateful layer, and what every layer shares.

A Layer holds `kfn.Variable`s and sub-layers, tracked in creation order when they are
assigned as attributes (or created with `add_weight`). It builds itself on its first call,
from the shapes of its inputs. Users subclass it the Keras way (`build`, `add_weight`, `call`);
the built-in layers (`kfn.layers.Dense`, ...) are generated from the pure definitions in
`kfn.pure.layers` (see `kfn/stateful/generated.py`).

Every layer also has a pure view: `stateless_call(trainable, non_trainable, *inputs)` runs the
layer on the given variable values and returns the new non-trainable values, touching
nothing. It works for any layer, generated or subclassed, by running `call` inside a
`StatelessScope` that substitutes the values and records assignments.

On the torch backend a Layer is a `torch.nn.Module`: trainable variables are registered as
`nn.Parameter`s and the others as buffers, sub-layers as sub-modules (named by layer name), so
`parameters()`, `state_dict()`, `.to(device)` and `torch.optim` work.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
import warnings

import numpy as np

from kfn import ops
from kfn.backends import active
from kfn.backends import config as backend_config
from kfn.ops import symbolic
from kfn.pure import dtype_policy, regularizers
from kfn.pure.layers import base as pure_base
from kfn.state import paths, tree
from kfn.state.spec import TensorSpec
from kfn.stateful import masking, naming
from kfn.stateful import variable as variable_module
from kfn.stateful.seed_generator import SeedGenerator
from kfn.stateful.variable import StatelessScope, Variable

if backend_config.backend() == "torch":
    import torch

    _Base = torch.nn.Module
    _TORCH = True
else:
    _Base = object
    _TORCH = False

# Bumped whenever any layer gains a variable or sub-layer or changes trainability, so that
# the cached lists of variables are recomputed only then.
_structure = [0]


def _structure_changed():
    _structure[0] += 1


# ---------------------------------------------------------------------------- call context

_local = threading.local()


class _CallContext:
    """The outermost layer call in progress and the `training` value it set."""

    __slots__ = ("training",)

    def __init__(self, training):
        self.training = training


def _context():
    return getattr(_local, "context", None)


def _torch_module_init(layer):
    if _TORCH:
        torch.nn.Module.__init__(layer)


class Layer(_Base):
    """The base of all layers (Keras's `keras.layers.Layer`).

    Args:
        activity_regularizer: a regularizer applied to the outputs, added to `losses`.
        trainable: whether the layer's variables are trained.
        dtype: the dtype, or a dtype policy name ("mixed_float16"); default floatx.
        autocast: cast float inputs to the compute dtype (default True).
        name: the layer's name; default the snake_case class name, made unique.
        input_shape, batch_size, input_dim: the input of the first layer of a Sequential.

    Example:
        >>> class Scale(kfn.Layer):
        ...     def build(self, input_shape):
        ...         self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")
        ...     def call(self, x):
        ...         return x * self.scale
        >>> Scale()(kfn.ops.ones((2, 3))).shape
        (2, 3)
    """

    def __new__(cls, *args, **kwargs):
        layer = _Base.__new__(cls)
        _torch_module_init(layer)
        state = layer.__dict__
        state["_name"] = None
        state["_layers"] = []
        state["_trainable_own"] = []  # created trainable, in creation order
        state["_non_trainable_own"] = []  # created non-trainable weights
        state["_state_own"] = []  # RNG seed states and other non-weight state
        state["_losses"] = []
        state["_trainable"] = True
        state["_policy"] = dtype_policy.get(None)
        state["autocast"] = True
        state["activity_regularizer"] = None
        state["built"] = False
        state["input_spec"] = None
        state["_cache"] = None
        state["_output_shape"] = None
        state["_build_input_shape"] = None
        state["_pending_input_shape"] = None
        state["_call_has_training"] = _accepts(cls.call, "training")
        state["_checked_shape"] = None
        state["_native_compute"] = _native_dtype(state["_policy"].compute_dtype)
        state["_mixed"] = _is_mixed(state["_policy"])
        state["_call_has_mask"] = pure_base.takes_argument(cls.call, "mask")
        # Keras's rule: a layer that defines compute_mask supports masking.
        state["_makes_masks"] = cls.compute_mask is not Layer.compute_mask
        state["_supports_masking"] = state["_makes_masks"]
        return layer

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable=True,
        dtype=None,
        autocast=True,
        name=None,
        **kwargs,
    ):
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_size = kwargs.pop("batch_size", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        kwargs.pop("input_spec", None)
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unexpected keyword arguments {sorted(kwargs)}")
        if name is not None:
            self._name = naming.check(name, type(self).__name__)
        Layer._set_policy(self, dtype_policy.get(dtype))  # (subclasses extend it once built)
        self._trainable = bool(trainable)
        self.autocast = bool(autocast)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        if batch_input_shape is not None:
            self._pending_input_shape = tuple(batch_input_shape)
        elif input_shape is not None or input_dim is not None:
            shape = tuple(input_shape) if input_shape is not None else (input_dim,)
            self._pending_input_shape = (batch_size, *shape)

    # ---------------------------------------------------------------- names and dtypes

    @property
    def name(self) -> str:
        if self._name is None:
            self.__dict__["_name"] = naming.default_name(type(self))
        return self._name

    @property
    def dtype_policy(self) -> dtype_policy.DTypePolicy:
        return self._policy

    @property
    def dtype(self) -> str:
        """The dtype of the layer's variables (Keras's `layer.dtype`)."""
        return self._policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._policy.variable_dtype

    @property
    def path(self) -> str:
        return self.name

    # ---------------------------------------------------------------- tracking

    def __setattr__(self, name, value):
        if isinstance(value, Layer):
            if name != "_self_reference":
                self._track_layer(value)
            object.__setattr__(self, name, value)
            return
        if isinstance(value, Variable):
            self._track_variable(value)
            object.__setattr__(self, name, value)
            return
        if isinstance(value, SeedGenerator):
            self._track_variable(value.state, kind="state")
        if isinstance(value, list | tuple | dict) and not name.startswith("_"):
            for item in value.values() if isinstance(value, dict) else value:
                if isinstance(item, Layer):
                    self._track_layer(item)
                elif isinstance(item, Variable):
                    self._track_variable(item)
        _Base.__setattr__(self, name, value)

    def _track_layer(self, layer: Layer) -> None:
        if layer is self or any(existing is layer for existing in self._layers):
            return
        self._layers.append(layer)
        if _TORCH:
            self._modules[layer.name] = layer
        _structure_changed()

    def _track_variable(self, variable: Variable, kind: str | None = None) -> None:
        own = self._trainable_own + self._non_trainable_own + self._state_own
        if any(existing is variable for existing in own):
            return
        if kind is None:
            kind = "trainable" if variable.trainable else "non_trainable"
        if any(existing.name == variable.name for existing in own):
            raise ValueError(
                f"{self._describe()}: it already has a variable named {variable.name!r}; "
                "give each variable of a layer its own name"
            )
        {"trainable": self._trainable_own, "non_trainable": self._non_trainable_own}.get(
            kind, self._state_own
        ).append(variable)
        if _TORCH:
            variable._owners.append(self)
            self._register_storage(variable)
        _structure_changed()

    def _register_storage(self, variable: Variable) -> None:
        storage = variable.storage
        self._parameters.pop(variable.name, None)
        self._buffers.pop(variable.name, None)
        if isinstance(storage, torch.nn.Parameter):
            self._parameters[variable.name] = storage
        else:
            self._buffers[variable.name] = storage

    def _storage_changed(self, variable: Variable) -> None:
        """Called by a variable whose storage object was replaced (torch)."""
        self._register_storage(variable)

    def _apply(self, fn, *args, **kwargs):
        """torch's `.to()`, `.double()`, `.cuda()`, ...: after torch converts the tensors, the
        variables take the new ones, and a conversion to another float type becomes the
        layer's dtype policy (so inputs are cast to it)."""
        result = super()._apply(fn, *args, **kwargs)
        for variable in self._own_variables():
            storage = self._parameters.get(variable.name)
            if storage is None:
                storage = self._buffers.get(variable.name)
            if storage is not None:
                variable._storage = storage
                variable._shape = tuple(storage.shape)
                variable._dtype = ops.dtype(storage)
        probe = fn(torch.zeros((), dtype=torch.float32))
        if isinstance(probe, torch.Tensor) and probe.dtype != torch.float32:
            if probe.is_floating_point():
                self._set_policy(dtype_policy.get(ops.dtype(probe)))
        return result

    def _set_policy(self, policy) -> None:
        self.__dict__["_policy"] = policy
        self.__dict__["_native_compute"] = _native_dtype(policy.compute_dtype)
        self.__dict__["_mixed"] = _is_mixed(policy)

    def _own_variables(self) -> list:
        return self._trainable_own + self._non_trainable_own + self._state_own

    def _flat_layers(self) -> list:
        """This layer's sub-layers, depth first, each once."""
        cache = self.__dict__.get("_flat_cache")
        if cache is not None and cache[0] == _structure[0]:
            return cache[1]
        out, seen = [], {id(self)}

        def visit(layer):
            for sub in layer._layers:
                if id(sub) not in seen:
                    seen.add(id(sub))
                    out.append(sub)
                    visit(sub)

        visit(self)
        self.__dict__["_flat_cache"] = (_structure[0], out)
        return out

    # ---------------------------------------------------------------- variables

    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        overwrite_with_gradient=False,
        name=None,
    ) -> Variable:
        """A new variable of this layer (Keras's `add_weight`).

        Args:
            shape: the shape (default: a scalar).
            initializer: an initializer or its name; default "glorot_uniform" for floats,
                "zeros" otherwise.
            dtype: the dtype (default: the layer's variable dtype).
            trainable: whether optimizers update it.
            autocast: whether a layer computing in another float type reads it in that type.
            regularizer: a penalty on the variable, added to `layer.losses`.
            constraint: a projection applied after each optimizer update.
            aggregation: how replicas' values combine ("none", "mean", "sum",
                "only_first_replica").
            overwrite_with_gradient: whether optimizers overwrite it with its gradient.
            name: the variable's name (default "variable", made unique in the layer).

        Example:
            >>> self.kernel = self.add_weight(shape=(3, 4), initializer="he_normal")
        """
        from kfn.backends.common import dtypes
        from kfn.pure import constraints, initializers

        shape = () if shape is None else tuple(shape)
        dtype = dtypes.standardize_dtype(dtype or self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtypes.is_float(dtype) else "zeros"
        if name is None:
            taken = {v.name for v in self._own_variables()}
            name, count = "variable", 1
            while name in taken:
                name, count = f"variable_{count}", count + 1
        naming.check(name, f"{self._describe()}.add_weight")
        variable = Variable(
            initializers.get(initializer),
            shape=shape,
            dtype=dtype,
            trainable=trainable,
            autocast=autocast,
            aggregation=aggregation,
            name=name,
            path=naming.variable_path(self, name),
            overwrite_with_gradient=overwrite_with_gradient,
        )
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        self._track_variable(variable)
        return variable

    def add_variable(
        self,
        shape,
        initializer,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        name=None,
    ):
        """Keras's alias of `add_weight`."""
        return self.add_weight(
            shape=shape,
            initializer=initializer,
            dtype=dtype,
            trainable=trainable,
            autocast=autocast,
            regularizer=regularizer,
            constraint=constraint,
            name=name,
        )

    def _walk(self) -> list:
        """(path below this layer, variable, kind) for every variable: own variables first
        (trainable, then non-trainable, then state), then each sub-layer's, depth first."""
        cache = self._cache
        if cache is not None and cache[0] == _structure[0]:
            return cache[1]
        out, seen = [], set()

        def visit(layer, prefix):
            names = set()
            for kind, group in (
                ("trainable", layer._trainable_own),
                ("non_trainable", layer._non_trainable_own),
                ("state", layer._state_own),
            ):
                for variable in group:
                    if id(variable) not in seen:
                        seen.add(id(variable))
                        names.add(variable.name)
                        out.append((paths.join(prefix, variable.name), variable, kind))
            for sub in layer._layers:
                if sub.name in names:
                    raise ValueError(
                        f"{layer._describe()}: a sub-layer and a variable are both named "
                        f"{sub.name!r}; rename one of them"
                    )
                names.add(sub.name)
                visit(sub, paths.join(prefix, sub.name))

        visit(self, "")
        self.__dict__["_cache"] = (_structure[0], out)
        return out

    @property
    def variables(self) -> list:
        """Every variable: weights and state (RNG seeds), in Keras's order."""
        return [v for _, v, _ in self._walk()]

    @property
    def weights(self) -> list:
        """The weights (trainable and not; RNG seed states excluded), in Keras's order."""
        return [v for _, v, kind in self._walk() if kind != "state"]

    @property
    def trainable_variables(self) -> list:
        return [v for _, v, kind in self._walk() if kind != "state" and v.trainable]

    trainable_weights = trainable_variables

    @property
    def non_trainable_weights(self) -> list:
        return [v for _, v, kind in self._walk() if kind != "state" and not v.trainable]

    @property
    def non_trainable_variables(self) -> list:
        """Non-trainable weights and state (RNG seeds): what `stateless_call` returns."""
        return [v for _, v, kind in self._walk() if kind == "state" or not v.trainable]

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool):
        value = bool(value)
        self.__dict__["_trainable"] = value
        for variable in self._trainable_own:
            variable.trainable = value
        for layer in self._layers:
            layer.trainable = value
        _structure_changed()

    def get_weights(self) -> list:
        """The weights as NumPy arrays, in the order of `weights`."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights) -> None:
        """Set the weights from a list of arrays in the order of `weights` (for instance
        another model's `get_weights()`, or a Keras model's)."""
        own = self.weights
        weights = list(weights)
        if len(weights) != len(own):
            raise ValueError(
                f"{self._describe()}: set_weights expected {len(own)} weights "
                f"({', '.join(p for p, v, k in self._walk() if k != 'state') or 'none'}), "
                f"got {len(weights)}"
            )
        for variable, value in zip(own, weights):
            shape = tuple(np.shape(value))
            if shape != variable.shape:
                raise ValueError(
                    f"{self._describe()}: set_weights: weight {variable.path!r} has shape "
                    f"{variable.shape}, got a value of shape {shape}"
                )
        for variable, value in zip(own, weights):
            variable.assign(value)

    def count_params(self) -> int:
        """The number of scalars in the weights."""
        if not self.built:
            raise ValueError(
                f"{self._describe()} is not built yet: call it on data or call build() "
                "before counting its parameters"
            )
        return int(sum(np.prod(v.shape, dtype=np.int64) for v in self.weights))

    # ---------------------------------------------------------------- structured state

    def state_tree(self, values: bool = True) -> dict:
        """The variables as the pytree `stateless_call` and the pure functions take:
        `{"trainable": {...}, "non_trainable": {...}}`, nested by layer and variable name.

        Args:
            values: current values (default) or the `kfn.Variable`s themselves.

        Example:
            >>> state = model.state_tree()
            >>> y, non_trainable = model.stateless_call(state["trainable"], state["non_trainable"], x)
        """
        trainable, non_trainable = {}, {}
        for path, variable, kind in self._walk():
            target = trainable if kind != "state" and variable.trainable else non_trainable
            target[path] = variable.value if values else variable
        return {"trainable": paths.nested(trainable), "non_trainable": paths.nested(non_trainable)}

    def assign_state_tree(self, state: dict) -> None:
        """Assign values from a pytree shaped as `state_tree()` (either part may be missing)."""
        for part in ("trainable", "non_trainable"):
            if part in state and state[part] is not None:
                for path, value in paths.flat(state[part]).items():
                    self._variable_at(path).assign(value)

    def _variable_at(self, path: str) -> Variable:
        for own_path, variable, _ in self._walk():
            if own_path == path:
                return variable
        raise KeyError(f"{self._describe()} has no variable at {path!r}")

    # ---------------------------------------------------------------- losses

    def add_loss(self, loss) -> None:
        """Add a scalar loss (Keras's `add_loss`): inside `stateless_call(...,
        return_losses=True)` it is returned; otherwise it is kept in `layer.losses` until the
        next call."""
        if not pure_base.add_loss(loss):
            self._losses.append(loss)

    @property
    def losses(self) -> list:
        """Losses from `add_loss` and activity regularizers during the last call, and the
        weight regularization penalties of the current values."""
        out = list(self._losses)
        for layer in self._flat_layers():
            out.extend(layer._losses)
        out.extend(self._regularization_losses())
        return out

    def _regularization_losses(self) -> list:
        return [v.regularizer(v.value) for v in self.trainable_weights if v.regularizer is not None]

    def _clear_losses(self) -> None:
        if self._losses:
            self._losses.clear()
        for layer in self._flat_layers():
            if layer._losses:
                layer._losses.clear()

    # ---------------------------------------------------------------- building

    def build(self, *input_shapes) -> None:
        """Create the variables, given the input shapes (override in subclasses)."""
        self.built = True

    def _build_from_call(self, args, kwargs) -> None:
        """Build from the first call's arguments (Keras's rule: one parameter gets the shape
        structure of the first argument; several are matched to call arguments by name)."""
        shapes = _shapes_of(args[0]) if args else None
        self._build_input_shape = shapes
        build = type(self).build
        if build is Layer.build:
            self.built = True
            return
        parameters = [
            p
            for p in inspect.signature(build).parameters.values()
            if p.name != "self" and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        with active.variables.init_scope():
            if len(parameters) <= 1:
                self.build(shapes) if parameters else self.build()
            else:
                bound = _bind_call(self, args, kwargs)
                build_args = {}
                for p in parameters:
                    name = p.name[: -len("_shape")] if p.name.endswith("_shape") else p.name
                    if name in bound:
                        build_args[p.name] = _shapes_of(bound[name])
                self.build(**build_args)
        self.built = True

    # ---------------------------------------------------------------- calling

    def call(self, *args, **kwargs):
        """The layer's computation (override in subclasses)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement call()")

    def forward(self, *args, **kwargs):
        """torch's name for calling a module."""
        return self.__call__(*args, **kwargs)

    def __call__(self, *args, **kwargs):
        # The layer's name scope: variables built inside (its own, and those of sub-layers
        # built in its call) get paths under its name, as in Keras.
        scope = naming._stack()
        if scope and scope[-1][1] is self:
            return self._call(args, kwargs)
        scope.append((self.name, self))
        try:
            return self._call(args, kwargs)
        finally:
            scope.pop()

    def _call(self, args, kwargs):
        if symbolic.ACTIVE and symbolic.any_symbolic(args, kwargs):
            return self._symbolic_call(args, kwargs)
        state = self.__dict__
        context = getattr(_local, "context", None)
        outermost = context is None
        if state["_call_has_training"]:
            training = kwargs.get("training")
        else:
            training = kwargs.pop("training", None)
        if outermost:
            context = _local.context = _CallContext(training)
            if _has_arrays(args):
                args = tuple(_to_tensors(a) for a in args)
        previous = context.training
        try:
            if training is None:
                training = previous
                if training is not None and state["_call_has_training"]:
                    kwargs["training"] = training
            context.training = training
            if not state["built"]:
                self._build_from_call(args, kwargs)
            if state["input_spec"] is not None:
                shape = getattr(args[0], "shape", None) if len(args) == 1 else None
                if shape is None or shape != state["_checked_shape"]:
                    self._check_inputs(args)
                    state["_checked_shape"] = shape
            mask_in = None
            if masking.ACTIVE[0] and args:  # (once any mask exists in the process)
                mask_in = kwargs.get("mask") if state["_call_has_mask"] else None
                if mask_in is None:
                    mask_in = _masks_of(args[0])
                    if mask_in is not None and state["_call_has_mask"]:
                        kwargs["mask"] = mask_in
            first_input = args[0] if args else None
            if state["autocast"] and args:
                dtype = getattr(args[0], "dtype", None) if len(args) == 1 else None
                native = state["_native_compute"]
                if dtype is not native and (dtype is None or dtype != native):
                    args = self._autocast(args)
            if outermost:
                self._clear_losses()
            # Keras's autocast scope: inside the call of a layer with a mixed policy, float
            # variables read in its compute dtype; a layer with another policy inside it
            # reads in its own (or as stored, when it does not autocast).
            thread = variable_module._local.__dict__
            cast_outside = thread.get("autocast")
            if cast_outside is None:
                cast_inside = state["_policy"].compute_dtype if state["_mixed"] else None
            elif not state["autocast"]:
                cast_inside = None
            else:
                cast_inside = state["_policy"].compute_dtype
                if cast_inside not in pure_base._FLOATS:
                    cast_inside = None
            thread["autocast"] = cast_inside
            try:
                outputs = self.call(*args, **kwargs)
            except pure_base.InputError as error:
                raise ValueError(f"{self._describe()} {error}") from None
            finally:
                thread["autocast"] = cast_outside
            if state["_supports_masking"]:
                if mask_in is not None or state["_makes_masks"]:
                    self._attach_masks(first_input, outputs, mask_in)
            elif mask_in is not None:
                warnings.warn(
                    f"{self._describe()} was given an input with a mask but does not support "
                    "masking: the layers after it will not see the mask",
                    stacklevel=2,
                )
            if state["activity_regularizer"] is not None:
                for output in tree.flatten(outputs):
                    if ops.is_tensor(output):
                        self.add_loss(pure_base.activity_penalty(self.activity_regularizer, output))
            if state["_output_shape"] is None:
                state["_output_shape"] = _batchless(_shapes_of(outputs))
            return outputs
        finally:
            context.training = previous
            if outermost:
                _local.context = None

    # ---------------------------------------------------------------- symbolic tensors

    @property
    def input(self):
        """The symbolic input(s) of the layer's first call on symbolic tensors (Keras's)."""
        return self._first_symbolic_call("input")[0]

    @property
    def output(self):
        """The symbolic output(s) of the layer's first call on symbolic tensors."""
        return self._first_symbolic_call("output")[1]

    @output.setter
    def output(self, value):  # an InputLayer's output is its tensor
        self.__dict__["_first_call"] = (None, value)

    def __getattr__(self, name):
        # Only for attributes not found: `input`/`output` of a layer never called on symbolic
        # tensors say why (torch's Module would otherwise report a missing attribute).
        if name in ("input", "output"):
            self._first_symbolic_call(name)
        lookup = getattr(_Base, "__getattr__", None)
        if lookup is not None:
            return lookup(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _first_symbolic_call(self, what: str):
        first = self.__dict__.get("_first_call")
        if first is None:
            raise AttributeError(
                f"{self._describe()} has never been called on symbolic tensors (kfn.Input) "
                f"and so has no {what}"
            )
        return first

    # ---------------------------------------------------------------- masks

    @property
    def supports_masking(self) -> bool:
        """Whether the layer passes a mask on to its outputs (`compute_mask`), as in Keras."""
        return self._supports_masking

    @supports_masking.setter
    def supports_masking(self, value: bool):
        self.__dict__["_supports_masking"] = bool(value)

    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs (booleans, True where a position counts), given the
        inputs and their mask: by default the inputs' mask when the layer supports masking,
        else None (Keras's compute_mask)."""
        return previous_mask if self.supports_masking else None

    def _attach_masks(self, inputs, outputs, previous_mask) -> None:
        single = not isinstance(outputs, list | tuple)
        flat = [outputs] if single else list(outputs)
        if all(masking.get_mask(o) is not None for o in flat):
            return  # the call attached them
        masks = self.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        flat_masks = [masks] if single or not isinstance(masks, list | tuple) else list(masks)
        for tensor, mask in zip(flat, flat_masks):
            if mask is not None and masking.get_mask(tensor) is None:
                masking.set_mask(tensor, mask)

    def _autocast(self, args):
        compute = self._policy.compute_dtype
        if compute not in pure_base._FLOATS:
            return args
        first = args[0]
        if ops.is_tensor(first) and len(args) == 1:
            return (pure_base.cast_float(compute, first),)
        return pure_base.autocast(compute, args)

    def _check_inputs(self, args) -> None:
        specs = self.input_spec
        if not isinstance(specs, list | tuple):
            specs = [specs]
        values = tree.flatten(args[0]) if args else []
        if len(specs) > 1 and len(values) != len(specs):
            raise ValueError(f"{self._describe()} expected {len(specs)} inputs, got {len(values)}")
        for index, (spec, value) in enumerate(zip(specs, values)):
            if spec is not None and hasattr(value, "shape"):
                try:
                    spec.check(tuple(value.shape), index)
                except pure_base.InputError as error:
                    raise ValueError(f"{self._describe()} {error}") from None

    def _symbolic_call(self, args, kwargs):
        """Record a call on symbolic tensors as a graph node; the outputs' shapes come from
        abstract evaluation of the layer's computation."""
        if not self.built:
            self._build_from_call(args, kwargs)
        if self.input_spec is not None:
            self._check_inputs(args)
        try:
            out_specs = self.compute_output_spec(*args, **kwargs)
        except pure_base.InputError as error:
            raise ValueError(f"{self._describe()} {error}") from None
        outputs = tree.map_structure(
            lambda spec: (
                symbolic.SymbolicTensor(spec.shape, spec.dtype)
                if isinstance(spec, TensorSpec)
                else spec
            ),
            out_specs,
        )
        symbolic.Node(self, args, kwargs, outputs)
        self._output_shape = _shapes_of(outputs)
        if "_first_call" not in self.__dict__:  # Keras's layer.input / layer.output
            self.__dict__["_first_call"] = (args[0] if args else None, outputs)
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        """The TensorSpecs of the outputs for inputs given as symbolic tensors or specs: by
        default, the layer's computation evaluated abstractly (nothing runs, nothing is
        assigned)."""
        shape_fn = type(self).compute_output_shape
        if shape_fn is not Layer.compute_output_shape:
            shapes = self.compute_output_shape(_shapes_of(args[0]))
            return _specs_from_shapes(shapes, self.compute_dtype)

        def run(*call_args, **call_kwargs):
            with StatelessScope():
                return Layer.__call__(self, *call_args, **call_kwargs)

        spec_args, spec_kwargs = tree.map_structure(symbolic.to_spec, (args, kwargs))
        return ops.eval_shape(run, *spec_args, **spec_kwargs)

    def compute_output_shape(self, *input_shapes):
        """The output shape for an input shape (Keras's method; by default from
        `compute_output_spec`)."""
        specs = [_spec_from_shape(s, self.compute_dtype) for s in input_shapes]
        out = self.compute_output_spec(*specs)
        return tree.map_structure(lambda s: s.shape, out)

    # ---------------------------------------------------------------- pure view

    def stateless_call(
        self, trainable_variables, non_trainable_variables, *args, return_losses=False, **kwargs
    ):
        """Call the layer on the given variable values, with no side effect.

        Args:
            trainable_variables: the values of `trainable_variables` (a list in that order),
                or the `"trainable"` part of `state_tree()` (a nested dict).
            non_trainable_variables: likewise for `non_trainable_variables` (RNG seed states
                included).
            *args, **kwargs: the call's arguments (`training=True` for training behaviour).
            return_losses: also return the losses the call adds and the weight penalties.

        Returns:
            `(outputs, new_non_trainable)`, or `(outputs, new_non_trainable, losses)`;
            `new_non_trainable` has the form `non_trainable_variables` was given in.

        Example:
            >>> state = model.state_tree()
            >>> step = jax.jit(model.stateless_call, static_argnames="training")
            >>> y, non_trainable = step(state["trainable"], state["non_trainable"], x, training=True)
        """
        if not self.built:
            raise ValueError(
                f"{self._describe()}: stateless_call needs the layer built (its variables "
                "created): call it once on data or call build() first"
            )
        trainable = self.trainable_variables
        non_trainable = self.non_trainable_variables
        structured = isinstance(non_trainable_variables, dict)
        mapping = self._mapping(trainable, trainable_variables, "trainable_variables")
        mapping += self._mapping(non_trainable, non_trainable_variables, "non_trainable_variables")
        collecting = pure_base.collect_losses() if return_losses else contextlib.nullcontext()
        with StatelessScope(mapping) as scope, collecting as collected:
            outputs = self(*args, **kwargs)
            if return_losses:
                losses = list(collected) + self._regularization_losses()
        new_values = [scope.get_current_value(v) for v in non_trainable]
        if structured:
            order = [p for p, v, k in self._walk() if k == "state" or not v.trainable]
            new_values = paths.nested(dict(zip(order, new_values)))
        if return_losses:
            return outputs, new_values, losses
        return outputs, new_values

    def _mapping(self, variables: list, values, argument: str) -> list:
        if isinstance(values, dict):
            flat = paths.flat(values) if values else {}
            wanted = [
                p
                for p, v, k in self._walk()
                if (k != "state" and v.trainable) == (argument == "trainable_variables")
            ]
            missing = [p for p in wanted if p not in flat]
            extra = sorted(set(flat) - set(wanted))
            if missing or extra:
                raise ValueError(
                    f"{self._describe()}: stateless_call: {argument} does not match the layer's "
                    f"variables (missing {missing}, unexpected {extra})"
                )
            values = [flat[p] for p in wanted]
        values = list(values)
        if len(values) != len(variables):
            raise ValueError(
                f"{self._describe()}: stateless_call: {argument} must hold one value per "
                f"variable of {type(self).__name__}.{argument} ({len(variables)}), "
                f"got {len(values)}"
            )
        return list(zip(variables, values))

    def pure(self):
        """The pure form of this layer: an object with `init(key, *specs)` and
        `apply(variables, *inputs, training=False, key=None)`. Subclassed layers get an
        adapter whose `apply` is `stateless_call` (see `kfn.pure.layers.Stateless`)."""
        from kfn.stateful.pure_view import Stateless

        return Stateless(self)

    # ---------------------------------------------------------------- configuration

    def get_config(self) -> dict:
        """The constructor arguments (Keras's `get_config`). Subclasses with arguments of
        their own extend it."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": self._policy.name}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def get_build_config(self) -> dict | None:
        if self._build_input_shape is None:
            return None
        return {"input_shape": _plain_shapes(self._build_input_shape)}

    def build_from_config(self, config: dict | None) -> None:
        if config and not self.built:
            shape = config["input_shape"]
            with active.variables.init_scope():
                self.build(_tuple_shapes(shape))
            self._build_input_shape = _tuple_shapes(shape)
            self.built = True

    # ---------------------------------------------------------------- reading

    @property
    def output_shape(self):
        if self._output_shape is None:
            raise AttributeError(f"{self._describe()} has not been called yet: no output shape")
        return self._output_shape

    @property
    def layers(self) -> list:
        return list(self._layers)

    def _describe(self) -> str:
        return f"{type(self).__name__} {self.name!r}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other


# ---------------------------------------------------------------------------- helpers


def _accepts(function, name: str) -> bool:
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def _masks_of(first):
    """The masks attached to a call's first argument (a tensor or a list of them), or None
    when it has none."""
    if isinstance(first, list | tuple):
        masks = [masking.get_mask(x) for x in first]
        return masks if any(m is not None for m in masks) else None
    return masking.get_mask(first)


def _bind_call(layer, args, kwargs) -> dict:
    try:
        return inspect.signature(layer.call).bind_partial(*args, **kwargs).arguments
    except TypeError:
        return {}


def _is_mixed(policy) -> bool:
    return policy.compute_dtype != policy.variable_dtype


def _native_dtype(dtype: str):
    """The backend's own dtype object (what `tensor.dtype` compares equal to)."""
    try:
        return active.core.to_native_dtype(dtype)
    except (TypeError, ValueError):
        return None


def _has_arrays(args) -> bool:
    for a in args:
        kind = type(a)
        if kind is np.ndarray or kind is list or kind is tuple or kind is dict:
            return True
    return False


def _to_tensors(value):
    """NumPy arrays among a call's arguments become tensors (as Keras converts them)."""
    if isinstance(value, np.ndarray):
        return ops.convert_to_tensor(value)
    if isinstance(value, list | tuple) and any(isinstance(v, np.ndarray) for v in value):
        return type(value)(_to_tensors(v) for v in value)
    if isinstance(value, dict) and any(isinstance(v, np.ndarray) for v in value.values()):
        return {k: _to_tensors(v) for k, v in value.items()}
    return value


def _shapes_of(value):
    def shape(leaf):
        if hasattr(leaf, "shape") and not isinstance(leaf, int | float):
            return tuple(None if d is None else int(d) for d in leaf.shape)
        return leaf

    if hasattr(value, "shape"):
        return shape(value)
    return tree.map_structure(shape, value)


def _batchless(shapes):
    """Shapes with the batch dimension unknown (for summaries)."""
    if isinstance(shapes, tuple) and all(isinstance(d, int | type(None)) for d in shapes):
        return (None, *shapes[1:]) if shapes else shapes
    if isinstance(shapes, list | tuple):
        return type(shapes)(_batchless(s) for s in shapes)
    if isinstance(shapes, dict):
        return {k: _batchless(s) for k, s in shapes.items()}
    return shapes


def _spec_from_shape(shape, dtype) -> TensorSpec | list:
    if isinstance(shape, list) or (
        isinstance(shape, tuple) and shape and isinstance(shape[0], tuple | list)
    ):
        return [_spec_from_shape(s, dtype) for s in shape]
    return TensorSpec(tuple(shape), dtype)


def _specs_from_shapes(shapes, dtype):
    if isinstance(shapes, tuple) and all(isinstance(d, int | type(None)) for d in shapes):
        return TensorSpec(shapes, dtype)
    if isinstance(shapes, list | tuple):
        return type(shapes)(_specs_from_shapes(s, dtype) for s in shapes)
    if isinstance(shapes, dict):
        return {k: _specs_from_shapes(s, dtype) for k, s in shapes.items()}
    return shapes


def _plain_shapes(shapes):
    if isinstance(shapes, tuple | list):
        return [_plain_shapes(s) for s in shapes]
    if isinstance(shapes, dict):
        return {k: _plain_shapes(s) for k, s in shapes.items()}
    return shapes


def _tuple_shapes(shapes):
    if isinstance(shapes, list) and all(isinstance(d, int | type(None)) for d in shapes):
        return tuple(shapes)
    if isinstance(shapes, list):
        return [_tuple_shapes(s) for s in shapes]
    if isinstance(shapes, dict):
        return {k: _tuple_shapes(s) for k, s in shapes.items()}
    return shapes
