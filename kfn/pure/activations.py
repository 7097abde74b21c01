"""Activation functions as `keras.activations` names them, written with kfn.ops.

Functions are registered by name, so a layer config can say `activation="relu"`; a function
from elsewhere (any callable of one tensor) works too but cannot be serialized by name.

Example:
    >>> kfn.activations.get("gelu")(kfn.ops.convert_to_tensor([1.0]))  # exact gelu: [0.8413]
"""

from __future__ import annotations

from kfn import ops

_BY_NAME: dict = {}


def _activation(fn):
    _BY_NAME[fn.__name__] = fn
    return fn


@_activation
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with Keras's options: values at or below `threshold` become
    `negative_slope * (x - threshold)`, values above it are kept (capped at `max_value`).

    Example:
        >>> kfn.activations.relu(x, max_value=6.0)
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    x = ops.convert_to_tensor(x)
    if max_value is None and threshold == 0.0:
        return ops.leaky_relu(x, negative_slope=negative_slope)
    # As Keras: the kept part, then clipped to [0, max_value], minus the sloped negative part.
    if threshold != 0.0:
        out = ops.where(x > threshold, x, ops.zeros_like(x))
    else:
        out = ops.relu(x)
    if max_value is not None:
        out = ops.clip(out, 0.0, max_value)
    if negative_slope != 0.0:
        out = out - negative_slope * ops.relu(threshold - x)
    return out


@_activation
def leaky_relu(x, negative_slope=0.2):
    """`x` if `x >= 0`, else `negative_slope * x`."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


@_activation
def relu6(x):
    """`min(max(x, 0), 6)`."""
    return ops.relu6(x)


@_activation
def elu(x, alpha=1.0):
    """Exponential linear unit."""
    return ops.elu(x, alpha=alpha)


@_activation
def selu(x):
    """Scaled exponential linear unit."""
    return ops.selu(x)


@_activation
def celu(x, alpha=1.0):
    """Continuously differentiable exponential linear unit."""
    return ops.celu(x, alpha=alpha)


@_activation
def gelu(x, approximate=False):
    """Gaussian error linear unit; exact by default here, as in `keras.activations`."""
    return ops.gelu(x, approximate=approximate)


@_activation
def glu(x, axis=-1):
    """Gated linear unit."""
    return ops.glu(x, axis=axis)


@_activation
def sigmoid(x):
    """The logistic sigmoid."""
    return ops.sigmoid(x)


@_activation
def hard_sigmoid(x):
    """A piecewise-linear sigmoid."""
    return ops.hard_sigmoid(x)


@_activation
def log_sigmoid(x):
    """`log(sigmoid(x))`."""
    return ops.log_sigmoid(x)


@_activation
def sparse_sigmoid(x):
    """A piecewise-linear sigmoid reaching 0 and 1 at -1 and 1."""
    return ops.sparse_sigmoid(x)


@_activation
def silu(x):
    """`x * sigmoid(x)` (also named swish)."""
    return ops.silu(x)


@_activation
def hard_silu(x):
    """`x * hard_sigmoid(x)` (also named hard_swish)."""
    return ops.hard_silu(x)


@_activation
def mish(x):
    """`x * tanh(softplus(x))`."""
    return x * ops.tanh(ops.softplus(x))


@_activation
def softplus(x):
    """`log(1 + exp(x))`."""
    return ops.softplus(x)


@_activation
def sparse_plus(x):
    """A smooth relu that is exactly 0 below -1 and `x` above 1."""
    return ops.sparse_plus(x)


@_activation
def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`."""
    return ops.squareplus(x, b=b)


@_activation
def softsign(x):
    """`x / (1 + |x|)`."""
    return ops.softsign(x)


@_activation
def tanh(x):
    """The hyperbolic tangent."""
    return ops.tanh(x)


@_activation
def hard_tanh(x):
    """`clip(x, -1, 1)`."""
    return ops.hard_tanh(x)


@_activation
def tanh_shrink(x):
    """`x - tanh(x)`."""
    return ops.tanh_shrink(x)


@_activation
def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0."""
    return ops.hard_shrink(x, threshold=threshold)


@_activation
def soft_shrink(x, threshold=0.5):
    """`x` moved `threshold` toward 0, 0 inside [-threshold, threshold]."""
    return ops.soft_shrink(x, threshold=threshold)


@_activation
def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""
    return ops.threshold(x, threshold, default_value)


@_activation
def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` over `axis`."""
    return ops.softmax(x, axis=axis)


@_activation
def log_softmax(x, axis=-1):
    """`log(softmax(x))` over `axis`."""
    return ops.log_softmax(x, axis=axis)


@_activation
def sparsemax(x, axis=-1):
    """The Euclidean projection of `x` onto the probability simplex."""
    return ops.sparsemax(x, axis=axis)


@_activation
def exponential(x):
    """`exp(x)`."""
    return ops.exp(x)


@_activation
def linear(x):
    """`x` unchanged (no activation)."""
    return x


# Keras's other names: the same functions (so they serialize as "silu", "hard_silu").
swish = silu
hard_swish = hard_silu
_BY_NAME["swish"] = silu
_BY_NAME["hard_swish"] = hard_silu


def get(identifier):
    """An activation from its name, a serialized config or a callable; None gives `linear`.

    Example:
        >>> kfn.activations.get("relu") is kfn.activations.relu
        True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        identifier = identifier.get("config", identifier.get("class_name"))
        if isinstance(identifier, dict):
            identifier = identifier.get("name")
    if isinstance(identifier, str):
        try:
            return _BY_NAME[identifier]
        except KeyError:
            raise ValueError(
                f"Unknown activation {identifier!r}. Known: {', '.join(sorted(_BY_NAME))}"
            ) from None
    if callable(identifier):
        return identifier
    raise ValueError(f"cannot interpret {identifier!r} as an activation")


def serialize(activation) -> str:
    """The registered name of an activation (what configs hold)."""
    name = getattr(activation, "__name__", None)
    if _BY_NAME.get(name) is activation:
        return name
    raise ValueError(
        f"cannot serialize the activation {activation!r}: only kfn's named activations are "
        "serializable; register custom ones with kfn.saving.register_serializable"
    )


def deserialize(config, custom_objects=None):
    """An activation from its serialized form."""
    if custom_objects and isinstance(config, str) and config in custom_objects:
        return custom_objects[config]
    return get(config)
