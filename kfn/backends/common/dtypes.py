"""Dtype names and the one type-promotion table every backend uses.

Dtypes are named by strings ("float32", "int64", ...). `result_type` follows JAX's promotion
lattice: Python scalars are *weak* (they take the other operand's type where it can hold them),
so `int8 tensor + 1` stays int8 and `int32 tensor + 1.5` becomes floatx. Unlike Keras, 64-bit
types are kept on every backend (Keras narrows them to 32 bits on JAX and torch only), so a
computation gives the same result dtype on jax, torch, tensorflow and numpy.
"""

from __future__ import annotations

import functools

import numpy as np

from kfn.backends import config

BOOL_TYPES = ("bool",)
UNSIGNED_TYPES = ("uint8", "uint16", "uint32", "uint64")
SIGNED_TYPES = ("int8", "int16", "int32", "int64")
INT_TYPES = UNSIGNED_TYPES + SIGNED_TYPES
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
COMPLEX_TYPES = ("complex64", "complex128")
ALLOWED_DTYPES = BOOL_TYPES + INT_TYPES + FLOAT_TYPES + COMPLEX_TYPES
# Weak types: the types of Python scalars before promotion decides their width.
WEAK_TYPES = ("int", "float", "complex")

# Each type mapped to the types directly above it (JAX's lattice, with weak complex).
_LATTICE = {
    "bool": ["int"],
    "int": ["uint8", "int8", "float"],
    "uint8": ["int16", "uint16"],
    "uint16": ["int32", "uint32"],
    "uint32": ["int64", "uint64"],
    "uint64": ["float"],
    "int8": ["int16"],
    "int16": ["int32"],
    "int32": ["int64"],
    "int64": ["float"],
    "float": ["bfloat16", "float16", "complex"],
    "bfloat16": ["float32"],
    "float16": ["float32"],
    "float32": ["float64", "complex64"],
    "float64": ["complex128"],
    "complex": ["complex64"],
    "complex64": ["complex128"],
    "complex128": [],
}


def _upper_bounds() -> dict[str, frozenset]:
    bounds = {}
    for node in _LATTICE:
        seen, todo = {node}, [node]
        while todo:
            for above in _LATTICE[todo.pop()]:
                if above not in seen:
                    seen.add(above)
                    todo.append(above)
        bounds[node] = frozenset(seen)
    return bounds


_UPPER_BOUNDS = _upper_bounds()

_PYTHON_TYPES = {bool: "bool", int: "int32", float: "float32", complex: "complex64"}
_ALIASES = {"float": "float32", "int": "int32", "double": "float64", "half": "float16"}
_cache: dict = {}


class UnknownDtypeError(ValueError):
    """A value that names no kfn dtype; `value` holds it."""

    def __init__(self, value, where: str | None = None):
        self.value = value
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__(
            f"{prefix}unknown dtype {value!r}; kfn dtypes are: {', '.join(ALLOWED_DTYPES)}."
        )


def standardize_dtype(dtype) -> str:
    """The kfn name of a dtype given as a string, a NumPy/JAX/torch/TF dtype or a Python type.

    None gives floatx. Raises ValueError naming the allowed dtypes for anything else.

    Example:
        >>> standardize_dtype(np.float32), standardize_dtype("int64"), standardize_dtype(bool)
        ('float32', 'int64', 'bool')
    """
    try:
        return _cache[dtype]
    except (KeyError, TypeError):
        pass
    if dtype is None:
        return config.floatx()
    name = _dtype_name(dtype)
    if name not in ALLOWED_DTYPES:
        raise UnknownDtypeError(dtype)
    try:
        _cache[dtype] = name
    except TypeError:
        pass
    return name


def _dtype_name(dtype) -> str | None:
    if isinstance(dtype, str):
        return _ALIASES.get(dtype, dtype)
    if isinstance(dtype, type) and dtype in _PYTHON_TYPES:
        return _PYTHON_TYPES[dtype]
    module = type(dtype).__module__
    if module.startswith("torch"):
        return str(dtype).removeprefix("torch.")
    name = getattr(dtype, "name", None)
    if isinstance(name, str):  # tf.DType, numpy dtype, ml_dtypes
        return name
    if isinstance(dtype, type) and issubclass(dtype, np.generic):
        return np.dtype(dtype).name
    return None


def _resolve_weak(dtype: str) -> str:
    if dtype == "int":
        return "int32"
    if dtype == "float":
        return config.floatx()
    if dtype == "complex":
        return "complex128" if config.floatx() == "float64" else "complex64"
    return dtype


@functools.lru_cache(maxsize=1024)
def _least_upper_bound(nodes: frozenset) -> str:
    common = frozenset.intersection(*(_UPPER_BOUNDS[n] for n in nodes))
    least = [c for c in common if common <= _UPPER_BOUNDS[c]]
    if len(least) != 1:
        raise ValueError(
            f"No implicit promotion between dtypes {sorted(nodes)}; cast the inputs explicitly."
        )
    return least[0]


@functools.lru_cache(maxsize=2048)
def _result_type(entries: tuple, floatx: str) -> str:
    nodes = frozenset(entries)
    if len(nodes) == 1:
        return _resolve_weak(entries[0])
    return _resolve_weak(_least_upper_bound(nodes))


def weak_or_dtype(dtype) -> str:
    """The lattice node for one entry of `result_type`: Python `int`/`float`/`complex` and
    the strings "int"/"float"/"complex" are weak; everything else is standardized."""
    if dtype is int or dtype is float or dtype is complex:
        return dtype.__name__
    if dtype in WEAK_TYPES and isinstance(dtype, str):
        return dtype
    return standardize_dtype(dtype)


def result_type(*dtypes) -> str:
    """The dtype an operation on inputs of these dtypes returns.

    Each entry is a dtype, or the Python type `int`, `float` or `complex` standing for a
    Python scalar (weakly typed). With no entries, floatx.

    Example:
        >>> result_type("int32", "float16"), result_type("int8", int), result_type("int8", float)
        ('float16', 'int8', 'float32')
    """
    if not dtypes:
        return config.floatx()
    return _result_type(tuple(weak_or_dtype(d) for d in dtypes), config.floatx())


def is_float(dtype: str) -> bool:
    """Whether a standardized dtype is a floating type."""
    return dtype in FLOAT_TYPES


def is_int(dtype: str) -> bool:
    """Whether a standardized dtype is a (signed or unsigned) integer type."""
    return dtype in INT_TYPES


def is_complex(dtype: str) -> bool:
    """Whether a standardized dtype is a complex type."""
    return dtype in COMPLEX_TYPES


def to_float(dtype: str) -> str:
    """The float dtype an operation like `mean` or `sqrt` returns for inputs of `dtype`:
    the dtype itself for floats and complex, floatx for bool and integers."""
    return result_type(dtype, float)


def saturation_bounds(source: str, target: str):
    """The (low, high) range to clip `source` values to before casting them to `target` so
    nothing wraps around or overflows; None when every `source` value fits."""
    if "bool" in (source, target) or is_complex(source) or is_complex(target):
        return None
    low, high = _limits(target)
    source_low, source_high = _limits(source)
    if source_low >= low and source_high <= high:
        return None
    if is_int(source):
        return int(max(low, source_low)), int(min(high, source_high))
    return float(low), float(high)


def _limits(dtype: str):
    if is_int(dtype):
        info = np.iinfo(dtype)
    elif dtype == "bfloat16":
        import ml_dtypes

        info = ml_dtypes.finfo(ml_dtypes.bfloat16)
    else:
        info = np.finfo(dtype)
    return info.min, info.max
