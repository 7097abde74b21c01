"""TensorFlow backend: automatic differentiation with tf.GradientTape, in JAX's functional form."""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.common import autodiff
from kfn.backends.tensorflow import core


def value_and_grad(fn, argnums=0, has_aux=False):
    argnum_tuple = autodiff.positions(argnums)

    def value_and_grad_fn(*args, **kwargs):
        def prepare(leaf):
            tensor = core.convert_to_tensor(leaf)
            autodiff.check_differentiable(tensor.dtype)
            return tensor

        args, inputs, structures = autodiff.prepare_inputs(args, argnum_tuple, prepare)
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(inputs)
            out = fn(*args, **kwargs)
            value, aux = out if has_aux else (out, None)
            value = core.convert_to_tensor(value)
        autodiff.check_scalar(value)
        grads = tape.gradient(value, inputs, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        # Gathers give sparse IndexedSlices gradients; kfn gradients are dense tensors.
        grads = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in grads]
        grads = autodiff.regroup(grads, structures, argnums)
        return ((value, aux), grads) if has_aux else (value, grads)

    return value_and_grad_fn


def stop_gradient(variable):
    return tf.stop_gradient(core.convert_to_tensor(variable))


def custom_gradient(f):
    """`f(*args) -> (output, grad_fn)`; `grad_fn(upstream)` returns the input gradients."""

    @tf.custom_gradient
    def wrapped(*args):
        output, grad_fn = f(*args)

        def grad(upstream):
            return grad_fn(upstream)

        return output, grad

    def apply(*args):
        return wrapped(*(core.convert_to_tensor(a) for a in args))

    return apply


def remat(f):
    return tf.recompute_grad(f)
