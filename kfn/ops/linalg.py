"""kfn.ops.linalg: linear algebra, as `keras.ops.linalg` (also at `kfn.ops.*`), plus `slogdet`,
`logdet` and `matrix_power`.

Every function works on the last two axes and is batched over the leading ones. Integer and
bool inputs compute in floatx; half-precision inputs compute in float32 and return their own
dtype; float64 stays float64. The decompositions, solves and determinants are backend
primitives; `cholesky_inverse`, `logdet`, `matrix_power`, `matrix_rank` and `norm` are written
with other kfn.ops, so they behave the same on every backend.
"""

import math as _math
import numbers as _numbers

import numpy as _numpy

from kfn.backends import active as _active
from kfn.backends.common import dtypes as _dtypes
from kfn.backends.common import linalg as _rules
from kfn.backends.common import reductions as _reductions
from kfn.ops.core import cast as _cast
from kfn.ops.core import convert_to_tensor as _tensor
from kfn.ops.core import dtype as _dtype
from kfn.ops.dispatch import composite as _composite
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.linalg)

# The composites import kfn.ops.numpy when they run rather than at the top: kfn.ops.numpy
# re-exports `slogdet` from this module, and so either of the two can be imported first.


@_primitive
def cholesky(x, upper=False):
    """The Cholesky factor of symmetric (Hermitian) positive-definite matrices.

    Only the lower triangle of `x` is read, on every backend (with `upper` too).

    Args:
        x: a tensor of shape `(..., M, M)`.
        upper: return the upper-triangular factor `U` (`x = U^H U`) instead of the lower one
            `L` (`x = L L^H`).

    Returns:
        A tensor of the shape of `x`. Raises ValueError when a matrix is not positive definite
        (inside a compiled function on jax and tensorflow, the result holds NaN instead).

    Example:
        >>> kfn.ops.cholesky(kfn.ops.convert_to_tensor([[4.0, 2.0], [2.0, 5.0]]))
        # [[2.0, 0.0], [1.0, 2.0]]
    """


@_composite
def cholesky_inverse(x, upper=False):
    """The inverse of `L L^H` (or `U^H U` with `upper=True`) from its Cholesky factor.

    Args:
        x: a lower (or, with `upper=True`, upper) triangular Cholesky factor, `(..., M, M)`.
        upper: whether `x` is the upper factor.

    Returns:
        The inverse of the matrix `x` factors, of the shape of `x`.

    Example:
        >>> a = kfn.ops.convert_to_tensor([[4.0, 2.0], [2.0, 5.0]])
        >>> kfn.ops.cholesky_inverse(kfn.ops.cholesky(a))  # the same as kfn.ops.inv(a)
    """
    from kfn.ops import numpy as _np

    x = _tensor(x)
    _rules.check_square("cholesky_inverse", x.shape)
    # Identities for the whole batch, so `solve_triangular` reads them as matrices, not vectors
    # (a sum rather than broadcast_to: it works where batch axes are unknown until run time).
    dtype = _float_dtype(x)
    identity = _np.eye(x.shape[-1], dtype=dtype) + _np.zeros_like(x, dtype=dtype)
    # With L^-1 = solve(L, I): (L L^H)^-1 = L^-H L^-1 and (U^H U)^-1 = U^-1 U^-H.
    factor_inverse = solve_triangular(x, identity, lower=not upper)
    adjoint = _np.conjugate(_np.swapaxes(factor_inverse, -1, -2))
    if upper:
        return _np.matmul(factor_inverse, adjoint)
    return _np.matmul(adjoint, factor_inverse)


@_primitive
def det(x):
    """The determinant of square matrices.

    Args:
        x: a tensor of shape `(..., M, M)`.

    Returns:
        A tensor of shape `(...)`.

    Example:
        >>> kfn.ops.det(kfn.ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))  # -2.0
    """


@_primitive
def eig(x):
    """The eigenvalues and right eigenvectors of general square matrices.

    The results are complex (complex64 for float32 and lower, complex128 for float64) on every
    backend, even where all eigenvalues are real. Eigenvectors have unit norm; their order and
    phase are the backend's (LAPACK's `geev` on CPU).

    Args:
        x: a tensor of shape `(..., M, M)`.

    Returns:
        `(w, v)`: eigenvalues `(..., M)` and eigenvectors as columns `(..., M, M)`, with
        `x @ v[..., :, i] = w[..., i] * v[..., :, i]`.

    Example:
        >>> w, v = kfn.ops.eig(kfn.ops.convert_to_tensor([[2.0, 0.0], [0.0, 3.0]]))  # w = [2, 3]
    """


@_primitive
def eigh(x):
    """The eigenvalues (ascending) and eigenvectors of symmetric (Hermitian) matrices.

    Only the lower triangle of `x` is read, on every backend.

    Args:
        x: a tensor of shape `(..., M, M)`.

    Returns:
        `(w, v)`: real eigenvalues `(..., M)` in ascending order and orthonormal eigenvectors
        as columns `(..., M, M)`.

    Example:
        >>> w, v = kfn.ops.eigh(kfn.ops.convert_to_tensor([[2.0, 1.0], [1.0, 2.0]]))  # w = [1, 3]
    """


@_primitive
def inv(x):
    """The inverse of square matrices.

    A singular matrix raises ValueError on numpy, torch and tensorflow; jax returns inf/NaN
    (as jax.numpy does, without a check that would wait for the device).

    Args:
        x: a tensor of shape `(..., M, M)`.

    Returns:
        A tensor of the shape of `x`.

    Example:
        >>> kfn.ops.inv(kfn.ops.convert_to_tensor([[2.0, 0.0], [0.0, 4.0]]))  # [[0.5, 0], [0, 0.25]]
    """


@_primitive
def jvp(fun, primals, tangents, has_aux=False):
    """The forward-mode Jacobian-vector product of `fun` at `primals` along `tangents`.

    JAX's `jax.jvp` on every backend with gradients (torch.func.jvp on torch,
    tf.autodiff.ForwardAccumulator on tensorflow); the numpy backend has none.

    Args:
        fun: a function of tensors (or pytrees of tensors) returning a tensor or a pytree.
        primals: a tuple (or list) with one entry per positional argument of `fun`.
        tangents: the same structure and shapes as `primals`; cast to the primals' dtypes.
        has_aux: `fun` returns `(output, aux)`; `aux` is returned as it is.

    Returns:
        `(primals_out, tangents_out)`, or `(primals_out, tangents_out, aux)` with `has_aux`;
        `tangents_out` has the structure of `primals_out`.

    Example:
        >>> x, t = kfn.ops.convert_to_tensor(0.1), kfn.ops.convert_to_tensor(0.2)
        >>> kfn.ops.jvp(kfn.ops.sin, (x,), (t,))  # (sin(0.1), 0.2 * cos(0.1))
    """


@_primitive
def lstsq(a, b, rcond=None):
    """The least-squares solution `x` of `a @ x = b` with the smallest norm (via the SVD).

    Args:
        a: the coefficient matrix, `(M, N)`.
        b: the right-hand side, `(M,)` or `(M, K)`.
        rcond: singular values at or below `rcond` times the largest count as zero; None means
            `max(M, N)` times the machine epsilon of the dtype (NumPy's default).

    Returns:
        `x` of shape `(N,)` or `(N, K)` (only the solution: NumPy's residuals, rank and
        singular values are left out, as in Keras).

    Example:
        >>> a = kfn.ops.convert_to_tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        >>> kfn.ops.lstsq(a, kfn.ops.convert_to_tensor([1.0, 1.0, 2.0]))  # [1.0, 1.0]
    """


@_primitive
def lu_factor(x):
    """The LU factorization with partial pivoting, in SciPy's `lu_factor` form.

    Args:
        x: a tensor of shape `(..., M, N)` (tensorflow: square, non-singular matrices only;
            others raise NotImplementedError there).

    Returns:
        `(lu, pivots)`: `lu` `(..., M, N)` holds `U` on and above the diagonal and `L` (unit
        diagonal left out) below; `pivots` (int32, `(..., min(M, N))`) are LAPACK's row
        interchanges, 0-based: row `i` was swapped with row `pivots[i]`, for i in order.

    Example:
        >>> lu, pivots = kfn.ops.lu_factor(kfn.ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
        >>> pivots  # [1, 1]
    """


@_composite
def matrix_power(x, n):
    """`x` multiplied by itself `n` times (NumPy's `linalg.matrix_power`), by repeated squaring.

    `n = 0` gives identity matrices, a negative `n` the power of the inverse. Integer matrices
    stay integer for `n >= 0`; for `n < 0` they compute in floatx, like `inv`.

    Args:
        x: a tensor of shape `(..., M, M)`.
        n: a Python int.

    Returns:
        A tensor of the shape of `x`.

    Example:
        >>> kfn.ops.matrix_power(kfn.ops.convert_to_tensor([[1, 1], [0, 1]]), 3)  # [[1, 3], [0, 1]]
    """
    from kfn.ops import numpy as _np

    if not isinstance(n, _numbers.Integral) or isinstance(n, bool):
        raise TypeError(f"kfn.ops.matrix_power: n must be an int, got {n!r}")
    x = _tensor(x)
    _rules.check_square("matrix_power", x.shape)
    if n < 0:
        x, n = inv(x), -n
    dtype = _dtype(x)
    if n == 0:
        return _np.eye(x.shape[-1], dtype=dtype) + _np.zeros_like(x)
    result = None
    while True:
        if n % 2:
            result = x if result is None else _np.matmul(result, x)
        n //= 2
        if not n:
            # int8 products accumulate in int32: the power keeps the dtype of `x`.
            return _cast(result, dtype)
        x = _np.matmul(x, x)


@_composite
def matrix_rank(x, tol=None):
    """The number of singular values of each matrix above `tol`.

    Args:
        x: a tensor of shape `(..., M, N)`.
        tol: the threshold (a number, or a tensor broadcastable to the batch shape); None
            means NumPy's default, `max(M, N)` times the machine epsilon times the largest
            singular value, on every backend.

    Returns:
        An int32 tensor of shape `(...)`.

    Example:
        >>> kfn.ops.matrix_rank(kfn.ops.convert_to_tensor([[1.0, 2.0], [2.0, 4.0]]))  # 1
    """
    from kfn.ops import numpy as _np

    x = _tensor(x)
    _rules.check_matrices("matrix_rank", x.shape)
    rows, columns = x.shape[-2], x.shape[-1]
    if rows == 0 or columns == 0:
        return _np.zeros(tuple(x.shape[:-2]), dtype="int32")
    singular_values = svd(x, compute_uv=False)
    if tol is None:
        largest = _np.max(singular_values, axis=-1, keepdims=True)
        threshold = largest * (max(rows, columns) * _epsilon(_dtype(singular_values)))
    else:
        threshold = _np.expand_dims(_tensor(tol, _dtype(singular_values)), -1)
    above = _cast(_np.greater(singular_values, threshold), "int32")
    return _np.sum(above, axis=-1)


_MATRIX_ORDS = (None, "fro", "nuc", 1, -1, 2, -2, _math.inf, -_math.inf)


@_composite
def norm(x, ord=None, axis=None, keepdims=False):
    """A vector or matrix norm, with NumPy's `linalg.norm` arguments and semantics.

    With `axis=None`, the 2-norm of all elements when `ord` is None, else the vector norm of a
    1-D or the matrix norm of a 2-D `x`. An int `axis` gives vector norms along it, a pair of
    axes matrix norms over them.

    Vector `ord`: None or 2 (Euclidean), inf (max |x|), -inf (min |x|), 0 (the count of
    non-zero elements), any other number p (`sum(|x|**p)**(1/p)`).
    Matrix `ord`: None or "fro" (Frobenius), "nuc" (sum of singular values), 2 / -2 (largest /
    smallest singular value), 1 / -1 (max / min column sum of |x|), inf / -inf (max / min
    row sum of |x|).

    Args:
        x: a tensor.
        ord: the order of the norm (see above).
        axis: None, an int, or a pair of ints.
        keepdims: keep the reduced axes with size 1.

    Returns:
        A real tensor: floatx for integer inputs, the real dtype of a complex input.

    Example:
        >>> kfn.ops.norm(kfn.ops.convert_to_tensor([3.0, 4.0]))  # 5.0
        >>> kfn.ops.norm(kfn.ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), ord=1)  # 6.0
    """
    from kfn.ops import numpy as _np

    x = _tensor(x)
    if _float_dtype(x) != _dtype(x):
        x = _cast(x, _float_dtype(x))
    ndim = len(x.shape)
    if axis is None:
        if ord is None:
            total = _sum_of_squares(x, tuple(range(ndim)), keepdims)
            return _np.sqrt(total)
        if ndim not in (1, 2):
            raise ValueError(
                f"kfn.ops.norm: with axis=None and ord={ord!r}, x must be 1-D or 2-D, got shape "
                f"{tuple(x.shape)}; pass axis to choose the axes"
            )
        axis = tuple(range(ndim))
    axes = (axis,) if isinstance(axis, _numbers.Integral) else tuple(axis)
    axes = tuple(_reductions.canonical_axis("norm", a, ndim) for a in axes)
    if len(axes) == 1:
        return _vector_norm(x, ord, axes[0], keepdims)
    if len(axes) == 2:
        if axes[0] == axes[1]:
            raise ValueError(f"kfn.ops.norm: the two axes of a matrix norm are equal: {axis!r}")
        return _matrix_norm(x, ord, axes, keepdims)
    raise ValueError(f"kfn.ops.norm: axis must be an int or a pair of ints, got {axis!r}")


def _vector_norm(x, ord, axis, keepdims):
    from kfn.ops import numpy as _np

    if ord is None or ord == 2:
        return _np.sqrt(_sum_of_squares(x, axis, keepdims))
    if isinstance(ord, str):
        raise ValueError(
            f"kfn.ops.norm: ord={ord!r} is a matrix norm; vector norms take a number or None"
        )
    magnitude = _np.absolute(x)
    if ord == _math.inf:
        return _np.max(magnitude, axis=axis, keepdims=keepdims)
    if ord == -_math.inf:
        return _np.min(magnitude, axis=axis, keepdims=keepdims)
    if ord == 0:
        nonzero = _cast(_np.not_equal(x, 0), _dtype(magnitude))
        return _np.sum(nonzero, axis=axis, keepdims=keepdims)
    if ord == 1:
        return _np.sum(magnitude, axis=axis, keepdims=keepdims)
    powered = _np.sum(_np.power(magnitude, float(ord)), axis=axis, keepdims=keepdims)
    return _np.power(powered, 1.0 / float(ord))


def _matrix_norm(x, ord, axes, keepdims):
    from kfn.ops import numpy as _np

    if ord not in _MATRIX_ORDS or isinstance(ord, bool):
        raise ValueError(
            f"kfn.ops.norm: ord={ord!r} is not a matrix norm; use one of "
            "None, 'fro', 'nuc', 1, -1, 2, -2, inf, -inf"
        )
    rows, columns = axes
    if ord is None or ord == "fro":
        return _np.sqrt(_sum_of_squares(x, axes, keepdims))
    if ord in ("nuc", 2, -2):
        singular_values = svd(_np.moveaxis(x, axes, (-2, -1)), compute_uv=False)
        reduce = {"nuc": _np.sum, 2: _np.max, -2: _np.min}[ord]
        out = reduce(singular_values, axis=-1)
        if keepdims:
            out = _np.expand_dims(out, sorted(axes))
        return out
    magnitude = _np.absolute(x)
    # 1 / -1: the largest / smallest column sum; inf / -inf: the same over row sums.
    summed, over = (rows, columns) if ord in (1, -1) else (columns, rows)
    reduce = _np.max if ord in (1, _math.inf) else _np.min
    out = reduce(_np.sum(magnitude, axis=summed, keepdims=True), axis=over, keepdims=True)
    return out if keepdims else _np.squeeze(out, axis=axes)


def _sum_of_squares(x, axis, keepdims):
    from kfn.ops import numpy as _np

    if _dtypes.is_complex(_dtype(x)):
        x = _np.absolute(x)
    return _np.sum(x * x, axis=axis, keepdims=keepdims)


@_primitive
def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse of matrices, via the SVD.

    Args:
        x: a tensor of shape `(..., M, N)`.
        rcond: singular values at or below `rcond` times the largest count as zero; None means
            `max(M, N)` times the machine epsilon of the dtype, on every backend.

    Returns:
        A tensor of shape `(..., N, M)`.

    Example:
        >>> a = kfn.ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        >>> kfn.ops.matmul(kfn.ops.pinv(a), a)  # the 2x2 identity
    """


@_primitive
def qr(x, mode="reduced"):
    """The QR decomposition `x = q @ r` (Householder, as LAPACK's `geqrf`).

    Args:
        x: a tensor of shape `(..., M, N)`.
        mode: "reduced" (`q` is `(..., M, K)`, `r` `(..., K, N)`, `K = min(M, N)`) or
            "complete" (`q` `(..., M, M)`, `r` `(..., M, N)`).

    Returns:
        `(q, r)`: `q` with orthonormal columns, `r` upper triangular.

    Example:
        >>> q, r = kfn.ops.qr(kfn.ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
        >>> q.shape, r.shape  # (3, 2), (2, 2)
    """


@_primitive
def slogdet(x):
    """The sign and the natural log of the absolute value of the determinant.

    More robust than `log(det(x))` when the determinant under- or overflows.

    Args:
        x: a tensor of shape `(..., M, M)`.

    Returns:
        `(sign, logabsdet)`, each of shape `(...)`: `sign` is 1, 0 or -1 for real matrices (a
        complex number of modulus 1, or 0, for complex ones), `logabsdet` is real (-inf for
        singular matrices).

    Example:
        >>> kfn.ops.slogdet(kfn.ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))  # (-1.0, 0.6931)
    """


@_composite
def logdet(x):
    """The natural log of the determinant: -inf where it is 0, NaN where it is negative.

    Meant for symmetric positive-definite matrices (covariances), where it is always defined.

    Args:
        x: a tensor of shape `(..., M, M)`.

    Returns:
        A tensor of shape `(...)`.

    Example:
        >>> kfn.ops.logdet(kfn.ops.convert_to_tensor([[2.0, 0.0], [0.0, 3.0]]))  # log(6) = 1.7918
    """
    from kfn.ops import numpy as _np

    x = _tensor(x)
    _rules.check_square("logdet", x.shape)
    sign, logabsdet = slogdet(x)
    if _dtypes.is_complex(_dtype(sign)):
        return _np.log(sign) + _cast(logabsdet, _dtype(sign))
    return _np.where(_np.less(sign, 0), _numpy.nan, logabsdet)


@_primitive
def solve(a, b):
    """The solution `x` of `a @ x = b` for square, non-singular `a`.

    Args:
        a: a tensor of shape `(..., M, M)`.
        b: right-hand sides: vectors `(..., M)` when `b` has one axis fewer than `a` (or is
            1-D), else matrices `(..., M, K)`. Batch axes broadcast.

    Returns:
        `x`, of the shape of `b` (with the batch axes broadcast). A singular `a` raises
        ValueError on numpy, torch and tensorflow; jax returns inf/NaN.

    Example:
        >>> a = kfn.ops.convert_to_tensor([[2.0, 0.0], [0.0, 4.0]])
        >>> kfn.ops.solve(a, kfn.ops.convert_to_tensor([2.0, 2.0]))  # [1.0, 0.5]
    """


@_primitive
def solve_triangular(a, b, lower=False):
    """The solution `x` of `a @ x = b` for triangular `a`; only the triangle of `a` named by
    `lower` is read.

    Args:
        a: a tensor of shape `(..., M, M)`.
        b: right-hand sides, as in `solve`: `(..., M)` or `(..., M, K)`.
        lower: whether `a` is lower triangular (else upper).

    Returns:
        `x`, of the shape of `b` (with the batch axes broadcast).

    Example:
        >>> a = kfn.ops.convert_to_tensor([[2.0, 0.0], [1.0, 1.0]])
        >>> kfn.ops.solve_triangular(a, kfn.ops.convert_to_tensor([2.0, 3.0]), lower=True)
        # [1.0, 2.0]
    """


@_primitive
def svd(x, full_matrices=True, compute_uv=True):
    """The singular value decomposition `x = u @ diag(s) @ vh`.

    Args:
        x: a tensor of shape `(..., M, N)`.
        full_matrices: `u` is `(..., M, M)` and `vh` `(..., N, N)`; else `(..., M, K)` and
            `(..., K, N)` with `K = min(M, N)`.
        compute_uv: return `(u, s, vh)`; else only `s`.

    Returns:
        `(u, s, vh)` or `s`: the singular values `(..., K)`, real and descending. Singular
        vectors are unique only up to sign (phase): compare reconstructions, not vectors.

    Example:
        >>> kfn.ops.svd(kfn.ops.convert_to_tensor([[3.0, 0.0], [0.0, 4.0]]), compute_uv=False)
        # [4.0, 3.0]
    """


# ---------------------------------------------------------------------------- helpers


def _float_dtype(x) -> str:
    return _dtypes.to_float(_dtype(x))


def _epsilon(dtype: str) -> float:
    if dtype == "bfloat16":
        return 2.0**-7
    return float(_numpy.finfo(dtype).eps)
