"""The examples of training kfn models with each framework's own tools run and learn."""

import importlib.util
import pathlib

import pytest

from tests.conftest import BACKEND

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def load(relative: str):
    spec = importlib.util.spec_from_file_location(relative.replace("/", "_"), EXAMPLES / relative)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit and optax")
def test_optax_loop_on_the_pure_state_learns():
    result = load("jax_loops/optax_training.py").train(steps=60)
    assert result["last"] < 0.3 * result["first"]
    assert result["inference"] < 0.5 * result["first"]


@pytest.mark.skipif(BACKEND != "torch", reason="torch.optim")
def test_torch_optim_loop_learns():
    result = load("torch_loops/torch_optim.py").train(steps=60)
    assert result["last"] < 0.3 * result["first"]
