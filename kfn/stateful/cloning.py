"""Configs of layers and models: `serialize`/`deserialize`, `clone_model`, JSON.

A config is `{"class_name": "Dense", "config": {...}}`; it names registered classes only, so
reading one runs no code. User classes are found through `custom_objects`,
`kfn.saving.custom_object_scope`, or `kfn.saving.register_keras_serializable`.
"""

from __future__ import annotations

import json

from kfn.pure import registry


def serialize(layer) -> dict:
    """A layer's (or model's) config: `{"class_name": ..., "config": ...}`.

    Example:
        >>> kfn.layers.serialize(kfn.layers.Dense(3))["class_name"]
        'Dense'
    """
    return registry.serialize(layer)


def deserialize(config: dict, custom_objects: dict | None = None):
    """A new layer (or model) from `serialize`'s output; its variables are new too.

    Example:
        >>> dense = kfn.layers.deserialize({"class_name": "Dense", "config": {"units": 3}})
    """
    return registry.deserialize("layers", config, custom_objects)


def clone_model(model, input_tensors=None, clone_function=None, **kwargs):
    """A model with the same structure and new variables (Keras's `clone_model`).

    Args:
        model: a Sequential or Functional model.
        input_tensors: not supported (the clone has inputs of its own).
        clone_function: called on each layer to make its clone (default: a new layer from
            the layer's config); return the layer itself to share it.

    Example:
        >>> twin = kfn.models.clone_model(model)
        >>> twin.set_weights(model.get_weights())
    """
    from kfn.stateful.functional import Functional
    from kfn.stateful.input_layer import InputLayer
    from kfn.stateful.sequential import Sequential

    if input_tensors is not None or kwargs:
        raise NotImplementedError(
            "clone_model: input_tensors and the other Keras options are not supported; "
            "clone the model, then call it on the tensors"
        )
    clone = clone_function or (lambda layer: type(layer).from_config(layer.get_config()))
    if isinstance(model, Sequential):
        twin = Sequential(name=model.name, trainable=model.trainable)
        for layer in model._stack:
            if isinstance(layer, InputLayer):
                twin.add(InputLayer(**layer.get_config()), rebuild=False)
            else:
                twin.add(clone(layer), rebuild=False)
        twin._build_if_input_known()
        return twin
    if isinstance(model, Functional):
        if clone_function is None:
            return Functional.from_config(model.get_config())
        replacements = {}
        config = model.get_config()
        for entry in config["layers"]:
            if entry["class_name"] not in ("InputLayer", "__operation__"):
                replacements[entry["name"]] = clone(model.get_layer(entry["name"]))
        return Functional.from_config(config, layers=replacements)
    raise ValueError(
        f"clone_model: expected a Sequential or Functional model, got {type(model).__name__} "
        "(a subclassed model can be cloned with type(model).from_config(model.get_config()))"
    )


def model_from_json(json_string: str, custom_objects: dict | None = None):
    """A model from the JSON of its config (`model.to_json()`)."""
    return deserialize(json.loads(json_string), custom_objects)
