"""Per-call cost of kfn.ops against calling the framework directly, eager, small and large.

For each op and size, kfn and the bare framework run alternately in rounds; each round times a
batch of calls (results synchronized: `block_until_ready` on JAX). Printed: median time per call
and the ratio kfn / bare.

    KFN_BACKEND=torch python benchmarks/ops_overhead.py     # one backend
    python benchmarks/ops_overhead.py --all                 # every backend, one process each
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

CASES = {
    # name: (shapes of the inputs, small or large)
    "add": {"small": [(4,), (4,)], "large": [(1000, 1000), (1000, 1000)]},
    "matmul": {"small": [(4, 4), (4, 4)], "large": [(512, 512), (512, 512)]},
    "conv2d": {"small": [(1, 8, 8, 4), (3, 3, 4, 4)], "large": [(8, 64, 64, 32), (3, 3, 32, 32)]},
}


def bare_functions(backend: str):
    """The framework's own calls, in its natural layout, and a way to wait for a result."""
    if backend == "jax":
        import jax
        import jax.numpy as jnp

        def conv(x, k):
            return jax.lax.conv_general_dilated(
                x, k, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC")
            )

        return {
            "add": jnp.add,
            "matmul": jnp.matmul,
            "conv2d": conv,
        }, lambda r: r.block_until_ready()
    if backend == "torch":
        import torch
        import torch.nn.functional as F

        def conv(x, k):  # x NCHW, k OIHW: torch's own layout
            return F.conv2d(x, k, padding="same")

        return {"add": torch.add, "matmul": torch.matmul, "conv2d": conv}, lambda r: r
    if backend == "tensorflow":
        import tensorflow as tf

        def conv(x, k):
            return tf.nn.conv2d(x, k, 1, "SAME")

        return {"add": tf.add, "matmul": tf.matmul, "conv2d": conv}, lambda r: r
    return {
        "add": np.add,
        "matmul": np.matmul,
        "conv2d": None,  # NumPy has no convolution of its own
    }, lambda r: r


def kfn_functions(backend: str):
    from kfn import ops

    data_format = "channels_first" if backend == "torch" else "channels_last"

    def conv(x, k):
        return ops.conv(x, k, padding="same", data_format=data_format)

    return {"add": ops.add, "matmul": ops.matmul, "conv2d": conv}


def inputs(backend: str, name: str, shapes):
    from kfn import ops

    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    bare, kfn_args = arrays, arrays
    if name == "conv2d" and backend == "torch":
        x, k = arrays
        kfn_args = [x.transpose(0, 3, 1, 2).copy(), k]  # channels_first input, Keras kernel
        bare = [kfn_args[0], k.transpose(3, 2, 0, 1).copy()]  # torch kernel layout OIHW
    to_tensor = ops.convert_to_tensor
    return [to_tensor(a) for a in bare], [to_tensor(a) for a in kfn_args]


def time_per_call(fn, args, wait, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        wait(fn(*args))
    return (time.perf_counter() - start) / calls


def run_backend(backend: str, rounds: int) -> list[tuple]:
    bare, wait = bare_functions(backend)
    ours = kfn_functions(backend)
    rows = []
    for name, sizes in CASES.items():
        for size, shapes in sizes.items():
            if bare[name] is None:
                continue
            bare_args, kfn_args = inputs(backend, name, shapes)
            wait(bare[name](*bare_args))  # compile / warm up
            wait(ours[name](*kfn_args))
            single = time_per_call(bare[name], bare_args, wait, 3)
            calls = max(3, min(2000, int(0.02 / max(single, 1e-7))))
            bare_times, kfn_times = [], []
            for _ in range(rounds):
                bare_times.append(time_per_call(bare[name], bare_args, wait, calls))
                kfn_times.append(time_per_call(ours[name], kfn_args, wait, calls))
            b, k = statistics.median(bare_times), statistics.median(kfn_times)
            rows.append((backend, name, size, b * 1e6, k * 1e6, k / b))
    return rows


def print_rows(rows):
    print(f"{'backend':<11}{'op':<8}{'size':<7}{'bare us':>11}{'kfn us':>11}{'ratio':>8}")
    for backend, name, size, b, k, ratio in rows:
        print(f"{backend:<11}{name:<8}{size:<7}{b:>11.2f}{k:>11.2f}{ratio:>8.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="run every backend in a subprocess")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    if args.all:
        for backend in ("jax", "torch", "tensorflow", "numpy"):
            env = dict(os.environ, KFN_BACKEND=backend)
            subprocess.run(
                [sys.executable, __file__, "--rounds", str(args.rounds)], env=env, check=True
            )
        return
    import kfn

    print_rows(run_backend(kfn.backend(), args.rounds))


if __name__ == "__main__":
    main()
