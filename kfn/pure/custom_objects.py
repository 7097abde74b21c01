"""User classes in configs, as Keras registers them: `register_keras_serializable`, the
global custom objects, custom object scopes, and Keras's serialized form of an object.

A config names classes and runs no code; a user class is found by its registered name
("Package>Name"), in the `custom_objects` given, or in an active `custom_object_scope`.
"""

from __future__ import annotations

import inspect

from kfn.pure import registry

_KINDS = ("layers", "initializers", "regularizers", "constraints", "activations")


def register_keras_serializable(package: str = "Custom", name: str | None = None):
    """A class decorator registering a user class under `"<package>><name>"` (name default:
    the class name), so that configs naming it load without `custom_objects`."""

    def decorate(cls):
        if inspect.isclass(cls) and not hasattr(cls, "get_config"):
            raise ValueError(
                f"register_keras_serializable: {cls.__name__} has no get_config() method; "
                "a registered class must give its config"
            )
        registered = f"{package}>{name or cls.__name__}"
        if registered in registry._CUSTOM and registry._CUSTOM[registered] is not cls:
            raise ValueError(
                f"register_keras_serializable: {registered!r} is already registered for "
                f"{registry._CUSTOM[registered]!r}"
            )
        return registry.register_custom(cls, registered)

    return decorate


def get_custom_objects() -> dict:
    """The global dict of user classes by name (registered ones included); add to it to make
    a class known by that name."""
    return registry._CUSTOM


def get_registered_name(obj) -> str:
    """The name `obj` (a class, or a function) was registered under, else its own name."""
    return (
        registry.registered_name(obj)
        if inspect.isclass(obj)
        else (registry._REGISTERED_NAMES.get(obj, getattr(obj, "__name__", str(obj))))
    )


def get_registered_object(name: str, custom_objects=None, module_objects=None):
    """The class registered (or in scope, or in `custom_objects`/`module_objects`) under
    `name`, or None."""
    found = registry.find_custom(name, custom_objects)
    if found is None and module_objects:
        found = module_objects.get(name)
    return found


class CustomObjectScope:
    """Within `with CustomObjectScope({"Scale": Scale}):` configs naming these classes load
    without `custom_objects` (Keras's name; also `custom_object_scope`)."""

    def __init__(self, *custom_objects):
        merged = {}
        for objects in custom_objects:
            if not isinstance(objects, dict):
                raise TypeError(
                    "CustomObjectScope: expected dicts of {name: class}, got "
                    f"{type(objects).__name__}"
                )
            merged.update(objects)
        self.custom_objects = merged

    def __enter__(self):
        registry._SCOPES.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        for i in range(len(registry._SCOPES) - 1, -1, -1):  # this scope's own dict
            if registry._SCOPES[i] is self.custom_objects:
                del registry._SCOPES[i]
                break


custom_object_scope = CustomObjectScope


def serialize_keras_object(obj):
    """Keras's serialized form of an object with a config (`{"module", "class_name",
    "config", "registered_name"}`); None, numbers, strings, lists and dicts as they are."""
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    if isinstance(obj, list | tuple):
        return [serialize_keras_object(o) for o in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if not hasattr(obj, "get_config"):
        raise ValueError(f"serialize_keras_object: {type(obj).__name__} has no get_config() method")
    cls = type(obj)
    return {
        "module": cls.__module__,
        "class_name": cls.__name__,
        "config": obj.get_config(),
        "registered_name": registry.registered_name(cls),
    }


def deserialize_keras_object(config, custom_objects=None):
    """The object of a serialized form (`serialize_keras_object`'s, or Keras's): a layer,
    initializer, regularizer, constraint or activation, or a registered user class."""
    if config is None or isinstance(config, bool | int | float):
        return config
    if isinstance(config, list):
        return [deserialize_keras_object(c, custom_objects) for c in config]
    name = config.get("class_name") if isinstance(config, dict) else config
    registered = config.get("registered_name") if isinstance(config, dict) else None
    if registered and registry.find_custom(registered, custom_objects) is not None:
        return registry.deserialize(_KINDS[0], config, custom_objects)
    for kind in _KINDS:
        try:
            registry.lookup(kind, name, custom_objects)
        except ValueError:
            continue
        return registry.deserialize(kind, config, custom_objects)
    raise ValueError(
        f"deserialize_keras_object: unknown class {name!r}: not one of kfn's "
        f"{', '.join(_KINDS)}, and not registered (kfn.saving.register_keras_serializable) "
        "or in custom_objects"
    )
