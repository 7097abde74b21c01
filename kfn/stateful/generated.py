"""Stateful layers generated from pure ones: `kfn.layers.Dense` from `kfn.pure.layers.Dense`.

`generate(PureDense)` makes a `kfn.Layer` subclass with the pure layer's constructor
arguments (plus Keras's `name`, `dtype`, `trainable`, ...). The instance holds the pure layer
(`layer.pure()`) and, once built, one `kfn.Variable` per variable that `init` returns, set as
attributes (`dense.kernel`, `bn.moving_mean`). Its `call` reads the variables, runs `apply`
and assigns the new non-trainable values back; so `stateless_call`, which runs `call` in a
scope that substitutes values and records assignments, is the pure `apply` again. Layers that
draw random numbers hold a `SeedGenerator` whose state is a non-trainable variable.
"""

from __future__ import annotations

import dataclasses
import inspect

from kfn.ops import random as random_ops
from kfn.pure import registry
from kfn.pure.layers import base as pure_base
from kfn.state import paths, tree
from kfn.state.spec import TensorSpec
from kfn.stateful import layer as layer_module
from kfn.stateful import naming
from kfn.stateful.layer import Layer
from kfn.stateful.seed_generator import SeedGenerator
from kfn.stateful.variable import Variable

# Keyword arguments every layer takes (handled by kfn.Layer, not by the pure layer).
_LAYER_ARGUMENTS = ("name", "trainable", "autocast", "input_shape", "batch_size", "input_dim")
_LAYER_ARGUMENTS += ("batch_input_shape", "input_spec")


class GeneratedLayer(Layer):
    """A stateful layer backed by a pure layer (see the module docstring)."""

    _pure_class: type = pure_base.Layer
    _pure_fields: tuple = ()
    _init_keywords: frozenset = frozenset()

    def __init__(self, *args, **kwargs):
        cls = type(self)
        fields = cls._pure_fields
        layer_kwargs = {}
        for key in _LAYER_ARGUMENTS:
            if key in kwargs and key not in fields:
                layer_kwargs[key] = kwargs.pop(key)
        unknown = [k for k in kwargs if k not in fields]
        if unknown:
            raise TypeError(
                f"{cls.__name__}: unexpected keyword argument(s) {unknown}; it takes "
                f"{', '.join(f for f in fields if f not in ('dtype', 'activity_regularizer'))}"
            )
        dtype = kwargs.get("dtype")
        layer_kwargs.setdefault("autocast", cls._pure_class.autocast)
        super().__init__(
            dtype=dtype, activity_regularizer=kwargs.get("activity_regularizer"), **layer_kwargs
        )
        try:
            self._pure = cls._pure_class(*args, **kwargs)
        except TypeError as error:
            raise TypeError(f"{cls.__name__}: {error}") from None
        except ValueError as error:
            message = str(error)
            if not message.startswith(cls.__name__):
                message = f"{cls.__name__}: {message}"
            raise ValueError(message) from None
        if self._pure.activity_regularizer is not None:  # set by the pure layer itself
            self.activity_regularizer = self._pure.activity_regularizer
        self.__dict__["_read"] = None
        pure_class = type(self._pure)
        self.__dict__["_call_has_mask"] = pure_base.takes_argument(pure_class.apply, "mask")
        self.__dict__["_makes_masks"] = pure_class.compute_mask is not pure_base.Layer.compute_mask
        self.__dict__["_supports_masking"] = bool(self._pure.supports_masking)
        if cls._pure_class.uses_key:
            self.seed_generator = SeedGenerator(getattr(self._pure, "seed", None))
        if getattr(self._pure, "weights", None) is not None:
            self.build()  # given its weights (Embedding), the layer exists at once, as in Keras

    def _set_policy(self, policy) -> None:
        super()._set_policy(policy)
        self._pure = dataclasses.replace(self._pure, dtype=policy.name)

    # ---------------------------------------------------------------- building

    def build(self, *input_shapes) -> None:
        """Create the variables for inputs of these shapes (Keras's `build`)."""
        specs = [_spec(s, self.compute_dtype) for s in input_shapes]
        self._build_from_specs(specs, {})

    def _build_from_call(self, args, kwargs) -> None:
        specs = [tree.map_structure(_spec_of, a) for a in args]
        keyword = {}
        accepted = type(self)._init_keywords
        for name, value in kwargs.items():
            if name in accepted and value is not None:
                keyword[name] = tree.map_structure(_spec_of, value)
        self._build_input_shape = layer_module._shapes_of(args[0]) if args else None
        self._build_from_specs(specs, keyword)

    def _build_from_specs(self, specs, keyword_specs) -> None:
        from kfn.backends import active

        pure = self._pure
        with active.variables.init_scope():
            try:
                variables = pure.init(random_ops.draw_key(None), *specs, **keyword_specs)
            except pure_base.InputError as error:
                raise ValueError(f"{self._describe()} {error}") from None
            options = pure.variable_options()
            made = {}
            for part, trainable in (("trainable", True), ("non_trainable", False)):
                made[part] = []
                for path, value in paths.flat(variables.get(part) or {}).items():
                    *parents, name = paths.split(path)
                    owner = self._group(parents)
                    variable = Variable(
                        value,
                        trainable=trainable,
                        autocast=pure.autocast_variables,
                        name=name,
                        path=naming.variable_path(self, path),
                    )
                    regularizer, constraint = options.get(path, (None, None))
                    variable.regularizer = regularizer
                    variable.constraint = constraint
                    owner._track_variable(variable)
                    object.__setattr__(owner, name, variable)
                    made[part].append((path, variable))
        self.__dict__["_made"] = made
        nested = any("/" in p for part in made.values() for p, _ in part)
        self.__dict__["_nested"] = nested
        self.__dict__["_non_trainable_by_path"] = dict(made["non_trainable"])
        self.input_spec = pure.input_spec(*specs)
        self.built = True

    def _group(self, names):
        """The container layer holding variables nested under `names` (for pure layers whose
        variables are nested dicts, e.g. attention's query/key/value projections)."""
        owner = self
        for name in names:
            found = next((sub for sub in owner._layers if sub.name == name), None)
            if found is None:
                found = _VariableGroup(name=name)
                owner._track_layer(found)
                found.built = True
            owner = found
        return owner

    # ---------------------------------------------------------------- calling

    def _read_variables(self) -> dict:
        made = self._made
        # As stored: the pure layer casts what it computes with (`compute_variables`).
        if self._nested:
            return {
                part: paths.nested({p: v._read() for p, v in made[part]})
                for part in ("trainable", "non_trainable")
            }
        return {
            "trainable": {p: v._read() for p, v in made["trainable"]},
            "non_trainable": {p: v._read() for p, v in made["non_trainable"]},
        }

    def call(self, *args, training=None, **kwargs):
        if training and not self.trainable and self._pure_class.frozen_is_inference:
            training = False  # a frozen BatchNormalization normalizes as in inference
        key = None
        if self._pure_class.uses_key and training:
            key = self.seed_generator.next()
        variables = self._read_variables()
        pure = self._pure
        outputs, new_non_trainable = pure.apply(
            pure_base.compute_variables(pure, variables) if self._mixed else variables,
            *args,
            training=bool(training),
            key=key,
            **kwargs,
        )
        if new_non_trainable:
            old = variables["non_trainable"]
            if self._nested:
                old, new_non_trainable = paths.flat(old), paths.flat(new_non_trainable)
            by_path = self._non_trainable_by_path
            for path, value in new_non_trainable.items():
                if value is not old.get(path):  # unchanged state is not written back
                    by_path[path].assign(value)
        return outputs

    def compute_mask(self, inputs, previous_mask=None):
        """The output mask, from the pure layer's `compute_mask`."""
        return self._pure.compute_mask(inputs, previous_mask)

    def compute_output_spec(self, *args, **kwargs):
        if type(self._pure).output_spec is not pure_base.Layer.output_spec:
            from kfn.ops import symbolic

            specs = tree.map_structure(symbolic.to_spec, args)
            try:
                return self._pure.output_spec(*specs)
            except pure_base.InputError as error:
                raise ValueError(f"{self._describe()} {error}") from None
        return super().compute_output_spec(*args, **kwargs)

    # ---------------------------------------------------------------- configuration

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("activity_regularizer", None)  # the pure layer's config says it
        pure_config = self._pure.get_config()
        pure_config.pop("dtype", None)
        config.update(pure_config)
        return config

    def pure(self):
        """The pure layer this layer runs (`init`, `apply`, `output_spec`)."""
        return self._pure


class _VariableGroup(Layer):
    """A named container of variables inside a generated layer (no computation)."""

    def call(self, *args, **kwargs):
        raise TypeError(f"{self._describe()} only holds variables; it cannot be called")


def _spec(shape, dtype) -> TensorSpec | list:
    if isinstance(shape, TensorSpec):
        return shape
    if isinstance(shape, list) or (shape and isinstance(shape[0], tuple | list)):
        return [_spec(s, dtype) for s in shape]
    return TensorSpec(tuple(shape), dtype)


def _spec_of(x):
    if hasattr(x, "shape") and hasattr(x, "dtype"):
        return TensorSpec(tuple(x.shape), x.dtype)
    return x


def _config_property(field: str):
    def get(self):
        return getattr(self._pure, field)

    def set(self, value):
        self._pure = dataclasses.replace(self._pure, **{field: value})

    return property(get, set, doc=f"The `{field}` argument.")


def generate(pure_class: type, name: str | None = None) -> type:
    """The stateful layer class for `pure_class`, registered by name for configs.

    Example:
        >>> Dense = generate(kfn.pure.layers.Dense)
        >>> Dense(4)(kfn.ops.ones((2, 3))).shape
        (2, 4)
    """
    name = name or pure_class.__name__
    fields = [f.name for f in dataclasses.fields(pure_class)]
    init_parameters = inspect.signature(pure_class.init).parameters
    namespace = {
        "_pure_class": pure_class,
        "_pure_fields": tuple(fields),
        "_init_keywords": frozenset(
            p.name
            for p in init_parameters.values()
            if p.kind is p.KEYWORD_ONLY or (p.default is not p.empty and p.name != "key")
        ),
        "__doc__": pure_class.__doc__,
        "__module__": "kfn.layers",
        "__qualname__": name,
    }
    for field in fields:
        # A field named like a Layer attribute (EinsumDense's output_shape) stays readable
        # through layer.pure(); it must not hide the attribute.
        if field not in ("dtype", "activity_regularizer") and not hasattr(Layer, field):
            namespace[field] = _config_property(field)
    cls = type(name, (GeneratedLayer,), namespace)
    parameters = [
        inspect.Parameter(f.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=_default(f))
        for f in dataclasses.fields(pure_class)
        if not f.kw_only
    ]
    parameters += [
        inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=d)
        for n, d in (
            ("activity_regularizer", None),
            ("trainable", True),
            ("dtype", None),
            ("name", None),
        )
    ]
    parameters.append(inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD))
    cls.__init__ = _with_signature(GeneratedLayer.__init__, parameters)
    registry.register("layers", name)(cls)
    return cls


def _default(field):
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return inspect.Parameter.empty


def _with_signature(function, parameters):
    def __init__(self, *args, **kwargs):
        function(self, *args, **kwargs)

    __init__.__signature__ = inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD), *parameters]
    )
    return __init__
