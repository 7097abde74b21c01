"""kfn.ops core: tensors and dtypes, conversion, slicing and scatter, control flow.

Control flow follows `jax.lax`: functions receive and return pytrees of tensors, and the same
code runs eagerly on every backend and traced under `kfn.ops.jit`.
"""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.core)

# ---------------------------------------------------------------------------- tensors, dtypes


@_primitive
def is_tensor(x):
    """Whether `x` is a tensor of the active backend (jax.Array, torch.Tensor, tf.Tensor or
    tf.Variable, np.ndarray).

    Example:
        >>> kfn.ops.is_tensor(kfn.ops.ones(2)), kfn.ops.is_tensor([1.0])
        (True, False)
    """


@_primitive
def convert_to_tensor(x, dtype=None):
    """`x` as a tensor of the active backend.

    Python scalars and lists convert as in every kfn backend: bool -> bool, int -> int32,
    float -> floatx, complex -> complex64; NumPy arrays and tensors keep their dtype unless
    `dtype` is given. Tensors of other frameworks convert through NumPy.

    Args:
        x: a tensor, NumPy array, Python scalar or nested list.
        dtype: the dtype to convert to, or None to keep/infer it.

    Returns:
        A backend tensor.

    Example:
        >>> kfn.ops.dtype(kfn.ops.convert_to_tensor([1, 2])), kfn.ops.dtype(kfn.ops.convert_to_tensor(1.5))
        ('int32', 'float32')
    """


@_primitive
def convert_to_numpy(x):
    """`x` as a NumPy array (copied off the device; works on tensors that require grad and on
    tf.Variables).

    Example:
        >>> kfn.ops.convert_to_numpy(kfn.ops.ones(2))
        array([1., 1.], dtype=float32)
    """


@_primitive
def dtype(x):
    """The dtype of `x` as a kfn dtype name ("float32", "int64", ...).

    Example:
        >>> kfn.ops.dtype(kfn.ops.zeros((2,), dtype="int8"))
        'int8'
    """


@_primitive
def cast(x, dtype):
    """`x` converted to `dtype` (values are converted as the backend's cast does: floats to ints
    truncate toward zero).

    Example:
        >>> kfn.ops.cast(kfn.ops.convert_to_tensor([1.7, -1.7]), "int32")  # [1, -1]
    """


@_primitive
def saturate_cast(x, dtype):
    """`x` cast to `dtype`, with values first clipped to the range `dtype` can hold (so 300.0
    cast to uint8 is 255, not a wrapped-around value).

    Example:
        >>> kfn.ops.saturate_cast(kfn.ops.convert_to_tensor([-5.0, 300.0]), "uint8")  # [0, 255]
    """


@_primitive
def shape(x):
    """The shape of `x` as a tuple of ints. Inside a traced TensorFlow function, dimensions
    unknown at trace time are scalar tensors.

    Example:
        >>> kfn.ops.shape(kfn.ops.zeros((2, 3)))
        (2, 3)
    """


@_primitive
def device_scope(name):
    """A context manager placing the tensors created inside it on device `name` ("cpu:0",
    "gpu:0", ...; "cuda" is an alias of "gpu"). Also available as `kfn.device`.

    Raises ValueError naming the device when the backend does not have it.

    Example:
        >>> with kfn.device("cpu:0"):
        ...     x = kfn.ops.ones((2, 2))
    """


# ---------------------------------------------------------------------------- slicing, scatter


@_primitive
def slice(inputs, start_indices, shape):
    """The block of `inputs` of size `shape` starting at `start_indices` (one per axis).

    As in `jax.lax.dynamic_slice`, starts are clamped so the block lies inside `inputs`.

    Example:
        >>> kfn.ops.slice(kfn.ops.arange(10), [3], [4])  # [3, 4, 5, 6]
    """


@_primitive
def slice_update(inputs, start_indices, updates):
    """A copy of `inputs` with the block at `start_indices` replaced by `updates`.

    Example:
        >>> kfn.ops.slice_update(kfn.ops.zeros(5), [1], kfn.ops.ones(2))  # [0, 1, 1, 0, 0]
    """


@_primitive
def scatter(indices, values, shape):
    """A zero tensor of `shape` with `values` added at `indices`.

    Args:
        indices: int tensor of shape (N, k); each row indexes the first k axes of the output.
        values: tensor of shape (N,) + shape[k:]; values at repeated indices are summed.
        shape: the output shape.

    Example:
        >>> kfn.ops.scatter([[0], [2], [0]], [1.0, 2.0, 3.0], (4,))  # [4, 0, 2, 0]
    """


@_primitive
def scatter_update(inputs, indices, updates):
    """A copy of `inputs` with the entries at `indices` (shape (N, k)) set to `updates`.

    Example:
        >>> kfn.ops.scatter_update(kfn.ops.zeros((2, 2)), [[1, 0]], [5.0])  # [[0, 0], [5, 0]]
    """


@_primitive
def unstack(x, num=None, axis=0):
    """The slices of `x` along `axis`, as a list.

    Example:
        >>> len(kfn.ops.unstack(kfn.ops.zeros((3, 2))))
        3
    """


# ---------------------------------------------------------------------------- control flow


@_primitive
def cond(pred, true_fn, false_fn):
    """`true_fn()` if `pred` else `false_fn()`; traced as a conditional under jit.

    Both functions take no arguments and return the same structure of tensors.

    Example:
        >>> kfn.ops.cond(x.sum() > 0, lambda: x, lambda: -x)
    """


@_primitive
def switch(index, branches, *operands):
    """`branches[index](*operands)`, with `index` clamped to the valid range.

    Example:
        >>> kfn.ops.switch(1, [lambda x: x + 1, lambda x: x * 10], 2)  # 20
    """


@_primitive
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Run `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true.

    Args:
        cond: callable taking the loop variables, returning a boolean scalar.
        body: callable taking the loop variables, returning new ones of the same structure.
        loop_vars: a tuple or list of tensors (passed unpacked), or a single tensor.
        maximum_iterations: stop after this many iterations even if `cond` still holds.

    Returns:
        The final loop variables, in the structure of `loop_vars`.

    Example:
        >>> kfn.ops.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i), (0, 0))  # (5, 10)
    """


@_primitive
def fori_loop(lower, upper, body_fun, init_val):
    """`val = body_fun(i, val)` for i from `lower` to `upper - 1`; returns the final val.

    Example:
        >>> kfn.ops.fori_loop(0, 4, lambda i, v: v + i, 0)  # 6
    """


@_primitive
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loop `f` over the leading axis of `xs`, carrying state, as `jax.lax.scan`.

    `f(carry, x) -> (carry, y)`; returns the final carry and the `y`s stacked along a new
    leading axis. With `xs=None`, `f` is called `length` times with `x=None`.

    Example:
        >>> def cumsum(carry, x):
        ...     return carry + x, carry + x
        >>> kfn.ops.scan(cumsum, 0.0, kfn.ops.convert_to_tensor([1.0, 2.0, 3.0]))  # (6, [1, 3, 6])
    """


@_primitive
def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive prefix scan of `elems` along `axis` with the associative function `f`.

    `f(a, b)` combines two (batches of) elements; the i-th output is
    `f(...f(f(e0, e1), e2)..., ei)` (or from the end when `reverse`).

    Example:
        >>> kfn.ops.associative_scan(kfn.ops.add, kfn.ops.convert_to_tensor([1, 2, 3]))  # [1, 3, 6]
    """


@_primitive
def map(f, xs):
    """`f` applied to each slice of `xs` along its leading axis, outputs stacked.

    Example:
        >>> kfn.ops.map(lambda x: x * 2, kfn.ops.arange(3))  # [0, 2, 4]
    """


@_primitive
def vectorized_map(function, elements):
    """`function` mapped over the leading axis of `elements` in parallel (jax.vmap,
    torch.vmap, tf.vectorized_map; a loop on NumPy).

    Example:
        >>> kfn.ops.vectorized_map(lambda row: kfn.ops.sum(row), kfn.ops.ones((4, 3)))  # [3] * 4
    """
