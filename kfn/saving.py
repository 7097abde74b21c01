"""`kfn.saving`: Keras's registration of user classes, for configs that name them.

    >>> @kfn.saving.register_keras_serializable(package="MyLayers")
    ... class Scale(kfn.Layer):
    ...     def get_config(self): ...
    >>> kfn.saving.get_registered_name(Scale)
    'MyLayers>Scale'
    >>> model = kfn.models.model_from_json(model.to_json())  # finds Scale by that name

Saving and loading model files (`save_model`, `load_model`) come with the saving work.
"""

from kfn.pure.custom_objects import (
    CustomObjectScope,
    custom_object_scope,
    deserialize_keras_object,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)

__all__ = [
    "CustomObjectScope",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
    "serialize_keras_object",
]
