"""JAX backend: compilation (jax.jit) and abstract evaluation (jax.eval_shape)."""

from __future__ import annotations

import jax

from kfn.backends.common import shapes
from kfn.backends.jax import core
from kfn.state.spec import TensorSpec


def jit(fn, static_argnums=None, static_argnames=None, donate_argnums=None, jit_compile=None):
    return jax.jit(
        fn,
        static_argnums=static_argnums,
        static_argnames=static_argnames,
        donate_argnums=donate_argnums,
    )


def eval_shape(fn, *args, **kwargs):
    def evaluate(concrete):
        specs, rebuild = shapes.partition_specs(concrete)
        structs = [jax.ShapeDtypeStruct(s.shape, core.to_native_dtype(s.dtype)) for s in specs]

        def run(*values):
            call_args, call_kwargs = rebuild(values)
            return fn(*call_args, **call_kwargs)

        out = jax.eval_shape(run, *structs)
        return shapes.to_specs(out, lambda x: TensorSpec(x.shape, x.dtype))

    return shapes.eval_with_unknown_dims(evaluate, (args, kwargs))
