"""Per-call cost of a small kfn model called eagerly, against the bare framework and Keras 3.

A 3-layer Sequential MLP (32 -> 64 relu -> 64 relu -> 10) is called on one row, eagerly. The
bare framework runs the same ops (matmul, add, relu) on the same weights; Keras 3 (when
installed) runs the same model with the same weights. They alternate in rounds; each round
times a batch of calls (results synchronized: `block_until_ready` on JAX). Printed: median
microseconds per call, the difference with the bare framework and the ratio.

    KFN_BACKEND=torch python benchmarks/eager_overhead.py    # one backend
    python benchmarks/eager_overhead.py --all                # every backend, one process each
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

SIZES = (32, 64, 64, 10)


def weights():
    rng = np.random.default_rng(0)
    out = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        out.append(rng.normal(size=(fan_in, fan_out)).astype(np.float32) * 0.1)
        out.append(rng.normal(size=(fan_out,)).astype(np.float32) * 0.1)
    return out


def bare_model(backend: str, arrays):
    """The same MLP in the framework's own eager ops, and a way to wait for a result."""
    if backend == "jax":
        import jax.numpy as jnp

        params = [jnp.asarray(a) for a in arrays]

        def run(x):
            for i in range(0, len(params), 2):
                x = jnp.matmul(x, params[i]) + params[i + 1]
                if i < len(params) - 2:
                    x = jnp.maximum(x, 0.0)  # jax.nn.relu's custom_jvp costs ~150 us eagerly
            return x

        return run, jnp.asarray, lambda r: r.block_until_ready()
    if backend == "torch":
        import torch

        params = [torch.nn.Parameter(torch.from_numpy(a)) for a in arrays]

        def run(x):
            for i in range(0, len(params), 2):
                x = torch.matmul(x, params[i]) + params[i + 1]
                if i < len(params) - 2:
                    x = torch.relu(x)
            return x

        return run, torch.from_numpy, lambda r: r
    if backend == "tensorflow":
        import tensorflow as tf

        params = [tf.Variable(a) for a in arrays]

        def run(x):
            for i in range(0, len(params), 2):
                x = tf.matmul(x, params[i]) + params[i + 1]
                if i < len(params) - 2:
                    x = tf.nn.relu(x)
            return x

        return run, tf.convert_to_tensor, lambda r: r

    def run(x):
        for i in range(0, len(arrays), 2):
            x = x @ arrays[i] + arrays[i + 1]
            if i < len(arrays) - 2:
                x = np.maximum(x, 0)
        return x

    return run, np.asarray, lambda r: r


def kfn_model(arrays):
    import kfn

    model = kfn.Sequential(
        [
            kfn.Input((SIZES[0],)),
            kfn.layers.Dense(SIZES[1], activation="relu"),
            kfn.layers.Dense(SIZES[2], activation="relu"),
            kfn.layers.Dense(SIZES[3]),
        ]
    )
    model.set_weights(arrays)
    return model


def keras_model(backend: str, arrays):
    os.environ["KERAS_BACKEND"] = backend
    try:
        import keras
    except ImportError:
        return None
    model = keras.Sequential(
        [
            keras.Input((SIZES[0],)),
            keras.layers.Dense(SIZES[1], activation="relu"),
            keras.layers.Dense(SIZES[2], activation="relu"),
            keras.layers.Dense(SIZES[3]),
        ]
    )
    model.set_weights(arrays)
    return model


def as_numpy(x):
    return x.detach().numpy() if hasattr(x, "detach") else np.asarray(x)


def time_per_call(fn, x, wait, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        wait(fn(x))
    return (time.perf_counter() - start) / calls


def run_backend(backend: str, rounds: int, calls: int) -> list[tuple]:
    arrays = weights()
    bare, to_tensor, wait = bare_model(backend, arrays)
    contenders = {"bare": bare, "kfn": kfn_model(arrays)}
    reference = keras_model(backend, arrays)
    if reference is not None:
        contenders["keras"] = reference
    x = to_tensor(np.random.default_rng(1).normal(size=(1, SIZES[0])).astype(np.float32))
    expected = as_numpy(wait(bare(x)))
    for name, fn in contenders.items():
        got = as_numpy(wait(fn(x)))
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5, err_msg=name)
        for _ in range(20):
            wait(fn(x))
    times = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            times[name].append(time_per_call(fn, x, wait, calls))
    bare_us = statistics.median(times["bare"]) * 1e6
    rows = []
    for name in contenders:
        us = statistics.median(times[name]) * 1e6
        rows.append((backend, name, us, us - bare_us, us / bare_us))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="run every backend in a subprocess")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    if args.all:
        for backend in ("jax", "torch", "tensorflow", "numpy"):
            env = dict(os.environ, KFN_BACKEND=backend)
            command = [sys.executable, __file__, "--rounds", str(args.rounds)]
            subprocess.run(command + ["--calls", str(args.calls)], env=env, check=True)
        return
    import kfn

    print(f"{'backend':<11}{'model':<7}{'us/call':>10}{'- bare':>10}{'ratio':>8}")
    for backend, name, us, extra, ratio in run_backend(kfn.backend(), args.rounds, args.calls):
        print(f"{backend:<11}{name:<7}{us:>10.1f}{extra:>10.1f}{ratio:>8.2f}")


if __name__ == "__main__":
    main()
