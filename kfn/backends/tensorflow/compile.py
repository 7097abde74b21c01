"""TensorFlow backend: compilation with tf.function (XLA with jit_compile=True); abstract
evaluation by tracing a concrete function, which keeps unknown dimensions as None."""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.common import shapes
from kfn.backends.tensorflow import core
from kfn.state.spec import TensorSpec


def jit(fn, static_argnums=None, static_argnames=None, donate_argnums=None, jit_compile=None):
    return tf.function(fn, jit_compile=bool(jit_compile), reduce_retracing=True)


def eval_shape(fn, *args, **kwargs):
    specs, rebuild = shapes.partition_specs((args, kwargs))

    def run(*values):
        call_args, call_kwargs = rebuild(values)
        return fn(*call_args, **call_kwargs)

    signature = [tf.TensorSpec(s.shape, core.to_native_dtype(s.dtype)) for s in specs]
    concrete = tf.function(run).get_concrete_function(*signature)
    return shapes.to_specs(
        concrete.structured_outputs, lambda x: TensorSpec(tuple(x.shape.as_list()), x.dtype)
    )
