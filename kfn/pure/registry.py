"""Registries of named classes (layers, initializers, ...), for configs and `get(name)`.

A config is `{"class_name": "Dense", "config": {...}}`; Keras's own form (with "module" and
"registered_name") is read too. Loading looks names up here and runs no code.
"""

from __future__ import annotations

import re

_REGISTRY: dict[str, dict[str, type]] = {}
# User classes, by registered name ("Custom>Scale") or plain name: Keras's global custom
# objects (`kfn.saving.get_custom_objects()` is this dict).
_CUSTOM: dict[str, type] = {}
_REGISTERED_NAMES: dict[type, str] = {}
# The dicts of the active `custom_object_scope`s, innermost last.
_SCOPES: list[dict] = []


def register(kind: str, name: str | None = None):
    """Class decorator registering a class under `kind` by its name (or `name`)."""

    def decorate(cls):
        _REGISTRY.setdefault(kind, {})[name or cls.__name__] = cls
        return cls

    return decorate


def alias(kind: str, name: str, cls: type) -> None:
    """Register another name for a registered class."""
    _REGISTRY.setdefault(kind, {})[name] = cls


def register_custom(cls: type, name: str | None = None) -> type:
    """Register a user class for deserialization in every kind, under `name` (default its
    class name); see `kfn.saving.register_keras_serializable`."""
    name = name or cls.__name__
    _CUSTOM[name] = cls
    _REGISTERED_NAMES[cls] = name
    return cls


def registered_name(cls: type) -> str:
    """The name a user class was registered under, else its class name."""
    return _REGISTERED_NAMES.get(cls, cls.__name__)


def find_custom(name: str, custom_objects: dict | None = None):
    """A user class by name: from `custom_objects`, the active scopes, then the
    registered ones; None when there is none."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    for scope in reversed(_SCOPES):
        if name in scope:
            return scope[name]
    return _CUSTOM.get(name)


def lookup(kind: str, name: str, custom_objects: dict | None = None):
    """The class registered under `name`; ValueError listing what `kind` offers otherwise."""
    found = find_custom(name, custom_objects) or _REGISTRY.get(kind, {}).get(name)
    if found is None:
        # Keras's snake_case names ("glorot_uniform") for CamelCase classes.
        camel = "".join(part.capitalize() for part in name.split("_"))
        found = _REGISTRY.get(kind, {}).get(camel)
    if found is None:
        known = ", ".join(sorted(_REGISTRY.get(kind, {})))
        raise ValueError(
            f"Unknown {kind[:-1] if kind.endswith('s') else kind} {name!r}. Known: {known}"
        )
    return found


def names(kind: str) -> list[str]:
    return sorted(_REGISTRY.get(kind, {}))


def serialize(obj) -> dict | None:
    """The config of a registered object: {"class_name": ..., "config": ...}."""
    if obj is None:
        return None
    config = {"class_name": type(obj).__name__, "config": obj.get_config()}
    registered = _REGISTERED_NAMES.get(type(obj))
    if registered is not None:  # a registered user class: found by that name on loading
        config["registered_name"] = registered
    return config


def deserialize(kind: str, config, custom_objects: dict | None = None):
    """An object from its config (or its registered name)."""
    if config is None:
        return None
    if isinstance(config, str):
        return lookup(kind, config, custom_objects)()
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"cannot deserialize {config!r}: expected a name or a dict with 'class_name'"
        )
    registered = config.get("registered_name")
    cls = registered and find_custom(registered, custom_objects)
    if not cls:
        cls = lookup(kind, config["class_name"], custom_objects)
    inner = config.get("config") or {}
    # `custom_objects` stay in scope for the configs nested inside (a model's layers).
    _SCOPES.append(custom_objects or {})
    try:
        if hasattr(cls, "from_config"):
            return cls.from_config(inner)
        return cls(**inner)
    finally:
        _SCOPES.pop()


def get(kind: str, identifier, base: type | None = None, custom_objects: dict | None = None):
    """An object from a name, a config dict, an instance (returned as it is) or None."""
    if identifier is None:
        return None
    if isinstance(identifier, str | dict):
        return deserialize(kind, identifier, custom_objects)
    if base is not None and isinstance(identifier, base):
        return identifier
    if callable(identifier):
        return identifier
    raise ValueError(f"cannot interpret {identifier!r} as one of kfn's {kind}")


def snake_case(name: str) -> str:
    """CamelCase to snake_case, as Keras names layers ("BatchNormalization" ->
    "batch_normalization", "Conv2D" -> "conv2d")."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
