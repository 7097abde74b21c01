"""kfn.Model: a layer with the model-level surface (summary, get_layer, the pure view).

`kfn.Model(inputs, outputs)` makes a Functional model (kfn/stateful/functional.py);
subclassing `kfn.Model` the Keras way (sub-layers in `__init__`, `call`) makes a subclassed
model. Training (`compile`/`fit`) and saving come with the trainer and checkpoint issues.
"""

from __future__ import annotations

from kfn.stateful.layer import Layer


class Model(Layer):
    """A model: layers and a `call` (Keras's `keras.Model`).

    Called with `inputs` and `outputs` it builds a Functional model from the graph between
    them; subclassed, it is a layer with the model surface.

    Example:
        >>> inputs = kfn.Input((3,))
        >>> model = kfn.Model(inputs, kfn.layers.Dense(2)(inputs))
        >>>
        >>> class MLP(kfn.Model):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = kfn.layers.Dense(8, activation="relu")
        ...         self.out = kfn.layers.Dense(1)
        ...     def call(self, x):
        ...         return self.out(self.hidden(x))
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and (len(args) >= 2 or "inputs" in kwargs or "outputs" in kwargs):
            from kfn.stateful.functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs:
            # Model(inputs, outputs) arrives here only for subclasses of Model that pass
            # inputs and outputs to super().__init__ (Keras allows it): make them Functional.
            raise TypeError(
                f"{type(self).__name__}: to build a model from inputs and outputs, call "
                "kfn.Model(inputs, outputs) (or subclass kfn.models.Functional)"
            )
        super().__init__(**kwargs)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        """A model from its config; a Functional graph's config (with `layers`,
        `input_layers` and `output_layers`) makes a Functional model, as in Keras."""
        if "input_layers" in config and "output_layers" in config:
            from kfn.stateful.functional import Functional

            target = cls if issubclass(cls, Functional) else Functional
            return Functional.from_config.__func__(target, config, custom_objects)
        return cls(**config)

    def to_json(self, **kwargs) -> str:
        """The model's config as JSON (`kfn.models.model_from_json` reads it back)."""
        import json

        from kfn.pure import registry

        return json.dumps(registry.serialize(self), **kwargs)

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer of the model by name or by index in `layers`."""
        if (name is None) == (index is None):
            raise ValueError(f"{self._describe()}.get_layer: give either name or index")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"{self._describe()}.get_layer: index {index} is out of range for "
                    f"{len(layers)} layers"
                )
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"{self._describe()} has no layer named {name!r}. Its layers: "
            f"{', '.join(layer.name for layer in layers) or 'none'}"
        )

    def summary(
        self,
        line_length=None,
        positions=None,
        print_fn=None,
        expand_nested=False,
        show_trainable=False,
        layer_range=None,
    ):
        """Print a table of the layers: name and type, output shape, parameter count, and
        the totals (Keras's `model.summary()`).

        Args:
            line_length: the table's width (default 80, wider with a "Connected to"
                column).
            positions: relative or absolute column boundaries.
            print_fn: where the lines go (default `print`); called once per line.
            expand_nested: list the layers of nested models too, indented.
            show_trainable: add a column saying whether each layer is trainable.
            layer_range: a pair of layer names: show only the layers between them.
        """
        from kfn.stateful import summary

        summary.print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )
