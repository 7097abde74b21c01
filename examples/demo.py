"""kfn's demo: the same kfn.ops program on every installed backend, and whether they agree.

Runs examples/mlp_gradient_descent.py (an MLP fitted by gradient descent, written once with
kfn.ops and kfn.ops.value_and_grad) in one process per backend, then a forward-only
computation on the NumPy backend, and prints each loss curve's ends and the largest
difference from the JAX curve.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
FRAMEWORKS = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}
STEPS = 60


def run(backend: str, code_or_script: list[str]) -> dict:
    env = dict(os.environ, KFN_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run(
        [sys.executable, *code_or_script], env=env, capture_output=True, text=True, cwd=HERE.parent
    )
    if result.returncode != 0:
        raise SystemExit(f"{backend} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


FORWARD = """
import json, sys
sys.path.insert(0, "examples")
from mlp_gradient_descent import init_params, loss_fn, make_data
from kfn import ops
x, y = (ops.convert_to_tensor(a) for a in make_data())
print(json.dumps({"losses": [float(ops.convert_to_numpy(loss_fn(init_params(), x, y)))]}))
"""


def main():
    installed = [b for b, module in FRAMEWORKS.items() if importlib.util.find_spec(module)]
    print(f"Fitting one kfn.ops MLP for {STEPS} steps on: {', '.join(installed)}\n")
    curves = {}
    for backend in installed:
        curves[backend] = run(
            backend, [str(HERE / "mlp_gradient_descent.py"), "--json", "--steps", str(STEPS)]
        )["losses"]
    reference_name = installed[0]
    reference = curves[reference_name]
    print(
        f"{'backend':<12}{'first loss':>12}{'last loss':>12}{'max rel diff vs ' + reference_name:>26}"
    )
    worst = 0.0
    for backend, curve in curves.items():
        diff = max(abs(a - b) / abs(b) for a, b in zip(curve, reference, strict=True))
        worst = max(worst, diff)
        print(f"{backend:<12}{curve[0]:>12.6f}{curve[-1]:>12.6f}{diff:>26.2e}")
    numpy_loss = run("numpy", ["-c", FORWARD])["losses"][0]
    numpy_diff = abs(numpy_loss - reference[0]) / reference[0]
    print(f"{'numpy':<12}{numpy_loss:>12.6f}{'(forward)':>12}{numpy_diff:>26.2e}")
    worst = max(worst, numpy_diff)
    verdict = "agree" if worst < 1e-5 else "DISAGREE"
    print(f"\nAll backends {verdict} to {worst:.1e} (tolerance 1e-5).")
    if worst >= 1e-5:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
