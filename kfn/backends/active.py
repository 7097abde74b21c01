"""The backend chosen for this process, loaded once: only its framework is imported.

The ops layer reads `active.core`, `active.numpy`, `active.nn`, ... and never names a backend.
"""

from __future__ import annotations

import importlib

from kfn.backends.config import BACKEND_EXTRAS, backend

_FRAMEWORKS = {"jax": ("jax", "jaxlib"), "torch": ("torch",), "tensorflow": ("tensorflow",)}


def _import_backend(name: str):
    try:
        return importlib.import_module(f"kfn.backends.{name}")
    except ImportError as e:
        missing = (getattr(e, "name", None) or "").split(".")[0]
        if missing in _FRAMEWORKS.get(name, ()):
            raise ImportError(
                f"The kfn backend {name!r} needs the {missing} package, which is not installed. "
                f"Install it with: pip install 'kfn[{BACKEND_EXTRAS[name]}]'"
            ) from e
        raise


_module = _import_backend(backend())
NAME = backend()
core = _module.core
numpy = _module.numpy
nn = _module.nn
random = _module.random
autodiff = _module.autodiff
compile = _module.compile
variables = _module.variables
linalg = _module.linalg
math = _module.math
image = _module.image
