"""One program written with kfn.ops and kfn.ops.value_and_grad (examples/
mlp_gradient_descent.py) gives the same loss curve, to 1e-5, on jax, torch and tensorflow.

The program runs once per backend in its own process; this test runs in the numpy backend's
test run and also checks the curve against hand-derived gradients in NumPy float64.
"""

import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import BACKEND

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "mlp_gradient_descent.py"
STEPS = 60

pytestmark = pytest.mark.skipif(BACKEND != "numpy", reason="runs every backend itself, once")


def curve_on(backend: str) -> list[float]:
    env = dict(os.environ, KFN_BACKEND=backend)
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--json", "--steps", str(STEPS)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])["losses"]


def numpy_reference_curve() -> list[float]:
    """The same training written by hand in NumPy float64, backpropagation included."""
    sys.path.insert(0, str(EXAMPLE.parent))
    try:
        from mlp_gradient_descent import init_params, make_data
    finally:
        sys.path.pop(0)
    x, y = (a.astype(np.float64) for a in make_data())
    params = {
        k: {n: np.asarray(v, np.float64) for n, v in p.items()} for k, p in init_params().items()
    }
    w1, b1, w2, b2 = (
        params["hidden"]["kernel"],
        params["hidden"]["bias"],
        params["output"]["kernel"],
        params["output"]["bias"],
    )
    losses = []
    for _ in range(STEPS):
        h = np.tanh(x @ w1 + b1)
        error = h @ w2 + b2 - y
        losses.append(float(np.mean(error**2)))
        d_pred = 2 * error / error.size
        d_w2, d_b2 = h.T @ d_pred, d_pred.sum(0)
        d_pre = (d_pred @ w2.T) * (1 - h**2)
        d_w1, d_b1 = x.T @ d_pre, d_pre.sum(0)
        w1, b1, w2, b2 = w1 - 0.1 * d_w1, b1 - 0.1 * d_b1, w2 - 0.1 * d_w2, b2 - 0.1 * d_b2
    return losses


def test_loss_curve_is_the_same_on_jax_torch_and_tensorflow():
    curves = {backend: np.array(curve_on(backend)) for backend in ("jax", "torch", "tensorflow")}
    for backend, curve in curves.items():
        assert curve.shape == (STEPS,)
        assert curve[-1] < 0.5 * curve[0], f"{backend} did not train: {curve[0]} -> {curve[-1]}"
        np.testing.assert_allclose(curve, curves["jax"], rtol=1e-5, err_msg=f"{backend} vs jax")
    np.testing.assert_allclose(curves["jax"], numpy_reference_curve(), rtol=1e-4)
