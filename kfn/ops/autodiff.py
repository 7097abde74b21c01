"""kfn.ops automatic differentiation: the same functional API as JAX on jax, torch and
tensorflow, so one training step written with kfn.ops runs on each."""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.autodiff)


@_primitive
def value_and_grad(fn, argnums=0, has_aux=False):
    """A function computing `fn`'s value and its gradient with respect to argument(s) `argnums`.

    As `jax.value_and_grad`: the differentiated arguments may be pytrees of float tensors, and
    the gradients come back in the same structure; `fn` must return a scalar, or
    `(scalar, aux)` with `has_aux=True`. The numpy backend raises NotImplementedError.

    Args:
        fn: the function to differentiate.
        argnums: an int, or a tuple of ints, naming the positional arguments to differentiate.
        has_aux: whether `fn` returns `(value, aux)`; aux is returned as it is.

    Returns:
        A function returning `(value, grads)`, or `((value, aux), grads)` with `has_aux`.

    Example:
        >>> def loss(params, x):
        ...     return kfn.ops.sum((x @ params["w"]) ** 2)
        >>> value, grads = kfn.ops.value_and_grad(loss)({"w": w}, x)
        >>> grads["w"].shape == w.shape
        True
    """


def grad(fn, argnums=0, has_aux=False):
    """A function computing the gradient of `fn` with respect to argument(s) `argnums`.

    As `jax.grad`; see `value_and_grad` for the arguments. With `has_aux` the function
    returns `(grads, aux)`.

    Example:
        >>> kfn.ops.grad(lambda x: kfn.ops.sum(x ** 2))(kfn.ops.convert_to_tensor([1.0, 2.0]))
        # [2.0, 4.0]
    """
    value_and_grad_fn = value_and_grad(fn, argnums=argnums, has_aux=has_aux)

    def grad_fn(*args, **kwargs):
        (value, grads) = value_and_grad_fn(*args, **kwargs)
        if has_aux:
            return grads, value[1]
        return grads

    return grad_fn


@_primitive
def stop_gradient(variable):
    """`variable` with no gradient flowing back through it.

    Example:
        >>> kfn.ops.grad(lambda x: kfn.ops.sum(x * kfn.ops.stop_gradient(x)))(x)  # == x
    """


@_primitive
def custom_gradient(f):
    """Decorate `f` so its gradient is the one it supplies.

    `f(*args)` returns `(output, grad_fn)`; `grad_fn(upstream)` returns the gradient with
    respect to each argument (one value for one argument, a tuple for several).

    Example:
        >>> @kfn.ops.custom_gradient
        ... def log1pexp(x):
        ...     e = kfn.ops.exp(x)
        ...     def grad_fn(upstream):
        ...         return upstream * (1.0 - 1.0 / (1.0 + e))
        ...     return kfn.ops.log(1.0 + e), grad_fn
    """


@_primitive
def remat(f):
    """`f` rematerialized (gradient checkpointing): its intermediate values are not kept for
    the backward pass but recomputed there, trading compute for memory (Keras's `remat`).

    `jax.checkpoint` on jax, `torch.utils.checkpoint` on torch, `tf.recompute_grad` on
    TensorFlow; on numpy, where nothing is kept for gradients, `f` itself.

    Example:
        >>> block = kfn.ops.remat(lambda x: kfn.ops.tanh(x @ w1) @ w2)
        >>> kfn.ops.grad(lambda x: kfn.ops.sum(block(x)))(x)  # the same gradient, less memory
    """
