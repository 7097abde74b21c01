"""kfn.ops.nn: activation functions.

The common activations are backend primitives (jax.nn, torch.nn.functional, tf.nn); the rest
are compositions of kfn.ops, written once here. Float activations return floatx for integer
inputs; piecewise ones that only select values (relu, relu6, hard_shrink, threshold) keep the
input dtype.
"""

from kfn.backends import active as _active
from kfn.backends.common import dtypes as _dtypes
from kfn.ops.core import cast as _cast
from kfn.ops.core import convert_to_tensor as _tensor
from kfn.ops.core import dtype as _dtype
from kfn.ops.dispatch import composite as _composite
from kfn.ops.dispatch import primitive_of as _primitive_of
from kfn.ops.numpy import creation as _create
from kfn.ops.numpy import elementwise as _np
from kfn.ops.numpy import indexing as _index
from kfn.ops.numpy import reductions as _reduce
from kfn.ops.numpy import shape as _shape

_primitive = _primitive_of(_active.nn.activations)


def _float(x):
    x = _tensor(x)
    return _cast(x, _dtypes.to_float(_dtype(x)))


# ---------------------------------------------------------------------------- primitives


@_primitive
def relu(x):
    """Rectified linear unit: `max(x, 0)`, in the dtype of `x`.

    Example:
        >>> kfn.ops.relu(kfn.ops.convert_to_tensor([-1.0, 2.0]))  # [0.0, 2.0]
    """


@_primitive
def leaky_relu(x, negative_slope=0.2):
    """`x` for `x >= 0`, `negative_slope * x` below.

    Example:
        >>> kfn.ops.leaky_relu(kfn.ops.convert_to_tensor([-1.0, 2.0]))  # [-0.2, 2.0]
    """


@_primitive
def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` below.

    Example:
        >>> kfn.ops.elu(kfn.ops.convert_to_tensor([-1.0, 2.0]))  # [-0.6321, 2.0]
    """


@_primitive
def sigmoid(x):
    """The logistic sigmoid `1 / (1 + exp(-x))`, stable for large |x|.

    Example:
        >>> kfn.ops.sigmoid(kfn.ops.convert_to_tensor([0.0]))  # [0.5]
    """


@_primitive
def softplus(x):
    """`log(1 + exp(x))`, stable for large |x|.

    Example:
        >>> kfn.ops.softplus(kfn.ops.convert_to_tensor([0.0]))  # [0.6931]
    """


@_primitive
def silu(x):
    """Sigmoid linear unit (swish): `x * sigmoid(x)`.

    Example:
        >>> kfn.ops.silu(kfn.ops.convert_to_tensor([1.0]))  # [0.7311]
    """


@_primitive
def gelu(x, approximate=True):
    """Gaussian error linear unit: `x * P(X <= x)` for a standard normal X; with
    `approximate=True` (the Keras default) the tanh approximation.

    Example:
        >>> kfn.ops.gelu(kfn.ops.convert_to_tensor([1.0]), approximate=False)  # [0.8413]
    """


@_primitive
def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` over `axis` (an int or a tuple of ints), computed stably.

    Example:
        >>> kfn.ops.softmax(kfn.ops.convert_to_tensor([1000.0, 1000.0]))  # [0.5, 0.5]
    """


@_primitive
def log_softmax(x, axis=-1):
    """`log(softmax(x))` over `axis`, computed stably.

    Example:
        >>> kfn.ops.log_softmax(kfn.ops.convert_to_tensor([0.0, 0.0]))  # [-0.6931, -0.6931]
    """


# ---------------------------------------------------------------------------- compositions


@_composite
def swish(x):
    """`x * sigmoid(x)` (the same as `silu`).

    Example:
        >>> kfn.ops.swish(kfn.ops.convert_to_tensor([1.0]))  # [0.7311]
    """
    return silu(x)


@_composite
def relu6(x):
    """`min(max(x, 0), 6)`, in the dtype of `x`.

    Example:
        >>> kfn.ops.relu6(kfn.ops.convert_to_tensor([-1.0, 3.0, 8.0]))  # [0.0, 3.0, 6.0]
    """
    return _np.clip(x, 0, 6)


@_composite
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`.

    Example:
        >>> kfn.ops.celu(kfn.ops.convert_to_tensor([-1.0, 2.0]))  # [-0.6321, 2.0]
    """
    x = _float(x)
    return _np.maximum(x, 0.0) + _np.minimum(0.0, alpha * _np.expm1(x / alpha))


@_composite
def selu(x):
    """Scaled ELU: `scale * elu(x, alpha)` with the self-normalizing constants
    alpha = 1.67326324 and scale = 1.05070098.

    Example:
        >>> kfn.ops.selu(kfn.ops.convert_to_tensor([1.0]))  # [1.0507]
    """
    return 1.0507009873554804934193349852946 * elu(x, alpha=1.6732632423543772848170429916717)


@_composite
def glu(x, axis=-1):
    """Gated linear unit: `x` split in two halves `a, b` along `axis`, `a * sigmoid(b)`.

    Example:
        >>> kfn.ops.glu(kfn.ops.convert_to_tensor([1.0, 0.0]))  # [0.5]
    """
    x = _float(x)
    size = x.shape[axis]
    if size is not None and size % 2:
        raise ValueError(
            f"kfn.ops.glu: axis {axis} must have an even size to split in two, got shape "
            f"{tuple(x.shape)}"
        )
    a, b = _shape.split(x, 2, axis=axis)
    return a * sigmoid(b)


@_composite
def hard_sigmoid(x):
    """A piecewise-linear sigmoid: `clip(x / 6 + 0.5, 0, 1)`.

    Example:
        >>> kfn.ops.hard_sigmoid(kfn.ops.convert_to_tensor([-4.0, 0.0, 4.0]))  # [0.0, 0.5, 1.0]
    """
    x = _float(x)
    return _np.clip(x / 6.0 + 0.5, 0.0, 1.0)


@_composite
def hard_silu(x):
    """`x * hard_sigmoid(x)` (hard swish).

    Example:
        >>> kfn.ops.hard_silu(kfn.ops.convert_to_tensor([1.0]))  # [0.6667]
    """
    x = _float(x)
    return x * hard_sigmoid(x)


@_composite
def hard_swish(x):
    """`x * hard_sigmoid(x)` (the same as `hard_silu`).

    Example:
        >>> kfn.ops.hard_swish(kfn.ops.convert_to_tensor([1.0]))  # [0.6667]
    """
    return hard_silu(x)


@_composite
def hard_tanh(x):
    """`clip(x, -1, 1)`.

    Example:
        >>> kfn.ops.hard_tanh(kfn.ops.convert_to_tensor([-2.0, 0.5]))  # [-1.0, 0.5]
    """
    return _np.clip(_float(x), -1.0, 1.0)


@_composite
def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0, in the dtype of `x`.

    Example:
        >>> kfn.ops.hard_shrink(kfn.ops.convert_to_tensor([-1.0, 0.2]))  # [-1.0, 0.0]
    """
    x = _tensor(x)
    return _np.where(_np.absolute(x) > threshold, x, _create.zeros_like(x))


@_composite
def soft_shrink(x, threshold=0.5):
    """`x - threshold` above `threshold`, `x + threshold` below `-threshold`, else 0.

    Example:
        >>> kfn.ops.soft_shrink(kfn.ops.convert_to_tensor([-1.0, 0.2, 2.0]))  # [-0.5, 0.0, 1.5]
    """
    x = _float(x)
    zeros = _create.zeros_like(x)
    return _np.where(x > threshold, x - threshold, _np.where(x < -threshold, x + threshold, zeros))


@_composite
def tanh_shrink(x):
    """`x - tanh(x)`.

    Example:
        >>> kfn.ops.tanh_shrink(kfn.ops.convert_to_tensor([1.0]))  # [0.2384]
    """
    x = _float(x)
    return x - _np.tanh(x)


@_composite
def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`.

    Example:
        >>> kfn.ops.threshold(kfn.ops.convert_to_tensor([0.5, 2.0]), 1.0, 0.0)  # [0.0, 2.0]
    """
    x = _tensor(x)
    return _np.where(x > threshold, x, _create.full_like(x, default_value))


@_composite
def log_sigmoid(x):
    """`log(sigmoid(x))`, computed stably as `-softplus(-x)`.

    Example:
        >>> kfn.ops.log_sigmoid(kfn.ops.convert_to_tensor([0.0]))  # [-0.6931]
    """
    return _np.negative(softplus(_np.negative(_float(x))))


@_composite
def softsign(x):
    """`x / (1 + |x|)`.

    Example:
        >>> kfn.ops.softsign(kfn.ops.convert_to_tensor([1.0]))  # [0.5]
    """
    x = _float(x)
    return x / (1.0 + _np.absolute(x))


@_composite
def sparse_plus(x):
    """A smooth relu: 0 for `x <= -1`, `x` for `x >= 1`, `(x + 1)**2 / 4` between.

    Example:
        >>> kfn.ops.sparse_plus(kfn.ops.convert_to_tensor([-2.0, 0.0, 2.0]))  # [0.0, 0.25, 2.0]
    """
    x = _float(x)
    middle = (x + 1.0) * (x + 1.0) / 4.0
    return _np.where(x <= -1.0, _create.zeros_like(x), _np.where(x >= 1.0, x, middle))


@_composite
def sparse_sigmoid(x):
    """A piecewise-linear sigmoid: 0 for `x <= -1`, 1 for `x >= 1`, `(x + 1) / 2` between.

    Example:
        >>> kfn.ops.sparse_sigmoid(kfn.ops.convert_to_tensor([-2.0, 0.0, 2.0]))  # [0.0, 0.5, 1.0]
    """
    x = _float(x)
    return _np.clip((x + 1.0) / 2.0, 0.0, 1.0)


@_composite
def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`, a smooth relu.

    Example:
        >>> kfn.ops.squareplus(kfn.ops.convert_to_tensor([0.0]))  # [1.0]
    """
    x = _float(x)
    return (x + _np.sqrt(x * x + b)) / 2.0


@_composite
def sparsemax(x, axis=-1):
    """The sparsemax of `x` over `axis`: the Euclidean projection onto the probability
    simplex, which, unlike softmax, gives exact zeros.

    Example:
        >>> kfn.ops.sparsemax(kfn.ops.convert_to_tensor([1.0, 0.0, -1.0]))  # [1.0, 0.0, 0.0]
    """
    x = _float(x)
    moved = _shape.moveaxis(x, axis, -1)
    size = moved.shape[-1]
    ordered = _np.negative(_index.sort(_np.negative(moved), axis=-1))
    ks = _create.arange(1, size + 1, dtype=_dtype(x))
    cumulative = _reduce.cumsum(ordered, axis=-1)
    in_support = _np.greater(1.0 + ks * ordered, cumulative)
    support = _reduce.sum(_cast(in_support, "int32"), axis=-1, keepdims=True)
    top = _index.take_along_axis(cumulative, support - 1, axis=-1)
    tau = (top - 1.0) / _cast(support, _dtype(x))
    return _shape.moveaxis(_np.maximum(moved - tau, 0.0), -1, axis)
