"""kfn.ops compilation and abstract evaluation, on the backend's own engine."""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.compile)


@_primitive
def jit(fn, static_argnums=None, static_argnames=None, donate_argnums=None, jit_compile=None):
    """`fn` compiled by the backend: `jax.jit` on JAX; `tf.function` on TensorFlow (with XLA
    when `jit_compile=True`); on torch, `fn` itself (eager) unless `jit_compile=True`, which
    applies `torch.compile`; on NumPy, `fn` itself.

    Args:
        fn: a function of tensors (pytrees of tensors), written with kfn.ops.
        static_argnums, static_argnames: arguments that are Python values, not tensors (JAX
            retraces when they change; other backends treat them as Python values anyway).
        donate_argnums: arguments whose buffers the result may reuse (JAX only).
        jit_compile: see above.

    Example:
        >>> step = kfn.ops.jit(lambda w, x: w - 0.1 * kfn.ops.grad(loss)(w, x))
    """


@_primitive
def eval_shape(fn, *args, **kwargs):
    """The output TensorSpecs of `fn` applied to inputs described by TensorSpecs, computed
    without running the computation (jax.eval_shape, torch meta tensors, a traced
    tf.function). Dimensions given as None stay None in the outputs that depend on them.

    Args:
        fn: the function.
        *args, **kwargs: its arguments; `kfn.state.spec.TensorSpec` leaves stand for tensors,
            other values are passed as they are.

    Example:
        >>> kfn.ops.eval_shape(kfn.ops.matmul, TensorSpec((None, 3)), TensorSpec((3, 5)))
        TensorSpec(shape=(None, 5), dtype='float32')
    """
