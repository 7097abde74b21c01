"""Tests run against one backend per process: the one KFN_BACKEND names (default jax)."""

import os

import numpy as np
import pytest

BACKEND = os.environ.get("KFN_BACKEND", "jax")
# Keras 3 is a test-only reference; it runs on the same backend as kfn.
os.environ["KERAS_BACKEND"] = BACKEND
GRADIENT_BACKENDS = ("jax", "torch", "tensorflow")


def pytest_report_header(config):
    return f"kfn backend: {BACKEND}"


@pytest.fixture(autouse=True)
def _seeded_numpy():
    np.random.seed(0)


requires_gradients = pytest.mark.skipif(
    BACKEND not in GRADIENT_BACKENDS, reason="the numpy backend has no gradients"
)
