"""Process-wide configuration: the backend name, floatx, epsilon, image data format.

Read once at import from, in order: the environment (`KFN_BACKEND`, `KFN_FLOATX`, ...),
the file `~/.kfn/kfn.json` (or `$KFN_HOME/kfn.json`), then the defaults below.
"""

from __future__ import annotations

import json
import os

BACKENDS = ("jax", "torch", "tensorflow", "numpy")
# The pip extra that installs each backend's framework.
BACKEND_EXTRAS = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow", "numpy": None}
FLOATX_CHOICES = ("bfloat16", "float16", "float32", "float64")
IMAGE_DATA_FORMATS = ("channels_last", "channels_first")


def kfn_home() -> str:
    """The folder holding `kfn.json`: `$KFN_HOME`, else `~/.kfn`."""
    return os.environ.get("KFN_HOME") or os.path.join(os.path.expanduser("~"), ".kfn")


def _read_config_file() -> dict:
    path = os.path.join(kfn_home(), "kfn.json")
    try:
        with open(path) as f:
            data = json.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        raise ValueError(f"kfn config file {path} could not be read as JSON: {e}") from e
    if not isinstance(data, dict):
        raise ValueError(
            f"kfn config file {path} must hold a JSON object, got {type(data).__name__}"
        )
    return data


def _check_backend(name: str, source: str) -> str:
    if name not in BACKENDS:
        raise ValueError(
            f"Unknown kfn backend {name!r} (from {source}). Valid backends: {', '.join(BACKENDS)}."
        )
    return name


def _check_floatx(value: str) -> str:
    if value not in FLOATX_CHOICES:
        raise ValueError(f"floatx must be one of {FLOATX_CHOICES}, got {value!r}")
    return value


def _check_epsilon(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"epsilon must be a positive number, got {value!r}")
    return float(value)


def _check_image_data_format(value: str) -> str:
    if value not in IMAGE_DATA_FORMATS:
        raise ValueError(f"image_data_format must be one of {IMAGE_DATA_FORMATS}, got {value!r}")
    return value


_file = _read_config_file()
if "KFN_BACKEND" in os.environ:
    _BACKEND = _check_backend(os.environ["KFN_BACKEND"], "the KFN_BACKEND environment variable")
elif "backend" in _file:
    _BACKEND = _check_backend(_file["backend"], os.path.join(kfn_home(), "kfn.json"))
else:
    _BACKEND = "jax"
_FLOATX = _check_floatx(os.environ.get("KFN_FLOATX", _file.get("floatx", "float32")))
_EPSILON = _check_epsilon(_file.get("epsilon", 1e-7))
_IMAGE_DATA_FORMAT = _check_image_data_format(_file.get("image_data_format", "channels_last"))
del _file


def backend() -> str:
    """The name of the active backend: "jax", "torch", "tensorflow" or "numpy".

    Example:
        >>> kfn.backend()
        'jax'
    """
    return _BACKEND


def floatx() -> str:
    """The default float dtype, as a string (default "float32").

    Example:
        >>> kfn.config.floatx()
        'float32'
    """
    return _FLOATX


def set_floatx(value: str) -> None:
    """Set the default float dtype: "bfloat16", "float16", "float32" or "float64"."""
    global _FLOATX
    _FLOATX = _check_floatx(value)


def epsilon() -> float:
    """The fuzz factor used in numeric expressions (default 1e-7)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Set the fuzz factor used in numeric expressions."""
    global _EPSILON
    _EPSILON = _check_epsilon(value)


def image_data_format() -> str:
    """The default image layout: "channels_last" (default) or "channels_first"."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(value: str) -> None:
    """Set the default image layout: "channels_last" or "channels_first"."""
    global _IMAGE_DATA_FORMAT
    _IMAGE_DATA_FORMAT = _check_image_data_format(value)


def standardize_data_format(data_format: str | None) -> str:
    """`data_format`, or the configured default when it is None; checked."""
    if data_format is None:
        return _IMAGE_DATA_FORMAT
    if data_format not in IMAGE_DATA_FORMATS:
        raise ValueError(
            f"data_format must be one of {IMAGE_DATA_FORMATS} or None, got {data_format!r}"
        )
    return data_format
