"""A small MLP fitted by gradient descent, written once with kfn.ops.

The same code runs, with gradients, on jax, torch and tensorflow (pick with KFN_BACKEND):
`kfn.ops.value_and_grad` differentiates the loss and `kfn.ops.jit` compiles the step with the
backend's own compiler (XLA, tf.function; torch runs eagerly).

    KFN_BACKEND=torch python examples/mlp_gradient_descent.py
    KFN_BACKEND=jax python examples/mlp_gradient_descent.py --json   # the loss curve as JSON
"""

from __future__ import annotations

import argparse
import json

import numpy as np

import kfn
from kfn import ops, tree


def make_data(n: int = 128, seed: int = 0):
    """Inputs and targets of a smooth nonlinear regression problem (NumPy, float32)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype(np.float32)
    y = np.sin(x @ np.array([[1.0], [-2.0], [0.5]])) + 0.1 * x[:, :1] ** 2
    return x, y.astype(np.float32)


def init_params(hidden: int = 16, seed: int = 1) -> dict:
    """Glorot-uniform weights and zero biases, drawn with NumPy so every backend starts equal."""
    rng = np.random.default_rng(seed)

    def glorot(fan_in, fan_out):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)

    params = {
        "hidden": {"kernel": glorot(3, hidden), "bias": np.zeros(hidden, np.float32)},
        "output": {"kernel": glorot(hidden, 1), "bias": np.zeros(1, np.float32)},
    }
    return tree.map_structure(ops.convert_to_tensor, params)


def predict(params: dict, x):
    hidden = ops.tanh(ops.matmul(x, params["hidden"]["kernel"]) + params["hidden"]["bias"])
    return ops.matmul(hidden, params["output"]["kernel"]) + params["output"]["bias"]


def loss_fn(params: dict, x, y):
    return ops.mean(ops.square(predict(params, x) - y))


def make_train_step(learning_rate: float):
    value_and_grad = ops.value_and_grad(loss_fn)

    def train_step(params, x, y):
        loss, grads = value_and_grad(params, x, y)
        params = tree.map_structure(lambda p, g: p - learning_rate * g, params, grads)
        return params, loss

    return ops.jit(train_step)


def fit(steps: int = 60, learning_rate: float = 0.1) -> list[float]:
    """Train and return the loss before each step."""
    x, y = (ops.convert_to_tensor(a) for a in make_data())
    params = init_params()
    train_step = make_train_step(learning_rate)
    losses = []
    for _ in range(steps):
        params, loss = train_step(params, x, y)
        losses.append(float(ops.convert_to_numpy(loss)))
    return losses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--json", action="store_true", help="print the loss curve as JSON")
    args = parser.parse_args()
    losses = fit(args.steps)
    if args.json:
        print(json.dumps({"backend": kfn.backend(), "losses": losses}))
    else:
        print(f"{kfn.backend()}: loss {losses[0]:.5f} -> {losses[-1]:.5f} in {args.steps} steps")


if __name__ == "__main__":
    main()
