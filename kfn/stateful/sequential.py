"""kfn.Sequential: a stack of layers, each feeding the next."""

from __future__ import annotations

from kfn.ops import symbolic
from kfn.pure import models as pure_models
from kfn.pure import registry
from kfn.stateful import naming
from kfn.stateful.input_layer import InputLayer
from kfn.stateful.layer import Layer, _structure_changed
from kfn.stateful.model import Model


class Sequential(Model):
    """Layers applied one after the other (Keras's `keras.Sequential`).

    The model is built as soon as its input shape is known: from a first `kfn.Input` (or
    `InputLayer`), from an `input_shape=` on the first layer, from `build(input_shape)`, or
    from the first call on data.

    Args:
        layers: the layers, in order (an `kfn.Input` may come first).
        trainable: whether its variables are trained.
        name: the model's name.

    Example:
        >>> model = kfn.Sequential([
        ...     kfn.Input((3,)),
        ...     kfn.layers.Dense(8, activation="relu"),
        ...     kfn.layers.Dense(1),
        ... ])
        >>> model.add(kfn.layers.Activation("sigmoid"))
    """

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._stack = []
        for layer in layers or ():
            self.add(layer, rebuild=False)
        self._build_if_input_known()

    def add(self, layer, rebuild: bool = True) -> None:
        """Append a layer (or, first, an input: `kfn.Input(...)` or an InputLayer)."""
        if isinstance(layer, symbolic.SymbolicTensor):
            operation = getattr(layer.node, "operation", None)
            if not isinstance(operation, InputLayer):
                raise ValueError(
                    f"{self._describe()}.add: a symbolic tensor can only be added when it comes "
                    "from kfn.Input"
                )
            layer = operation
        if not isinstance(layer, Layer):
            raise TypeError(
                f"{self._describe()}.add: expected a kfn layer, got {type(layer).__name__}"
            )
        if isinstance(layer, InputLayer) and self._stack:
            raise ValueError(
                f"{self._describe()}.add: an input can only be the first element of a Sequential "
                f"model, and it already has {len(self._stack)} layer(s)"
            )
        if not self._stack and not isinstance(layer, InputLayer) and layer._pending_input_shape:
            self._append(InputLayer(batch_shape=layer._pending_input_shape))
        if any(existing.name == layer.name for existing in self._stack):
            raise ValueError(
                f"{self._describe()}: it already has a layer named {layer.name!r}; the layers "
                "of a model must have unique names"
            )
        self._append(layer)
        self.built = False
        if rebuild:
            self._build_if_input_known()

    def _append(self, layer) -> None:
        self._stack.append(layer)
        self._track_layer(layer)

    def pop(self, rebuild: bool = True) -> Layer:
        """Remove and return the last layer."""
        if not self.layers:
            raise ValueError(f"{self._describe()}.pop: the model has no layers")
        layer = self._stack.pop()
        self._layers.remove(layer)
        if hasattr(self, "_modules"):
            self._modules.pop(layer.name, None)
        _structure_changed()
        self.built = False
        if rebuild:
            self._build_if_input_known()
        return layer

    @property
    def layers(self) -> list:
        """The layers added (the input layer, if any, is left out as in Keras)."""
        return [layer for layer in self._stack if not isinstance(layer, InputLayer)]

    @property
    def _input_layer(self):
        return self._stack[0] if self._stack and isinstance(self._stack[0], InputLayer) else None

    def _build_if_input_known(self) -> None:
        input_layer = self._input_layer
        if input_layer is None:
            return
        x = input_layer.output
        with naming.name_scope(self.name, self):  # the layers' paths under the model's name
            for layer in self.layers:
                x = layer(x)
        self.__dict__["_first_call"] = (input_layer.output, x)
        self._output_shape = symbolic_shape(x)
        self._build_input_shape = input_layer.batch_shape
        self.built = True

    def build(self, input_shape=None) -> None:
        """Build for inputs of `input_shape` (batch axis included; None for unknown sizes)."""
        if self._input_layer is None:
            if input_shape is None:
                raise ValueError(f"{self._describe()}.build needs the input shape")
            self._stack.insert(0, InputLayer(batch_shape=tuple(input_shape)))
            self._track_layer(self._stack[0])
        self._build_if_input_known()

    def _build_from_call(self, args, kwargs) -> None:
        shape = tuple(args[0].shape)
        with_input = self._input_layer is None
        if with_input:
            self.build((None, *shape[1:]))
        else:
            self._build_if_input_known()

    def call(self, inputs, training=None, mask=None):
        outputs = inputs
        for layer in self._stack:
            if isinstance(layer, InputLayer):
                continue
            if mask is not None and layer._call_has_mask:
                outputs = layer(outputs, mask=mask)  # an explicit mask, for the first layer
            else:
                outputs = layer(outputs)
            mask = None  # later layers read the masks attached to their inputs
        return outputs

    def compute_mask(self, inputs, previous_mask):
        return None  # the layers inside attach their outputs' masks

    @property
    def inputs(self) -> list:
        layer = self._input_layer
        return [layer.output] if layer is not None else []

    @property
    def outputs(self) -> list:
        layer = self._input_layer
        return [self.output] if layer is not None and self.built else []

    @property
    def input_shape(self):
        layer = self._input_layer
        if layer is None:
            raise AttributeError(f"{self._describe()} has no input yet")
        return layer.batch_shape

    # ---------------------------------------------------------------- pure view

    def pure(self) -> pure_models.Sequential:
        """The model as a pure `kfn.pure.models.Sequential` of its layers' pure forms, with
        variables nested by layer name as in `state_tree()` (RNG seed states excluded: the
        pure form takes a key)."""
        return pure_models.Sequential(
            tuple(layer.pure() for layer in self.layers),
            names=tuple(layer.name for layer in self.layers),
        )

    # ---------------------------------------------------------------- configuration

    def get_config(self) -> dict:
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "layers": [registry.serialize(layer) for layer in self._stack],
        }
        if self._build_input_shape is not None:
            config["build_input_shape"] = list(self._build_input_shape)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            model.add(registry.deserialize("layers", layer_config, custom_objects), rebuild=False)
        if model._input_layer is None and config.get("build_input_shape"):
            model.build(tuple(config["build_input_shape"]))
        else:
            model._build_if_input_known()
        return model


def symbolic_shape(x):
    from kfn.state import tree

    return tree.map_structure(lambda t: t.shape, x)


registry.register("layers", "Sequential")(Sequential)
