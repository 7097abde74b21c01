"""On the torch backend every kfn layer is a torch.nn.Module (torch only)."""

import numpy as np
import pytest

from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "torch", reason="torch.nn.Module integration")


def test_layers_are_modules_with_parameters_and_buffers():
    import torch

    import kfn

    model = kfn.Sequential([kfn.Input((3,)), kfn.layers.Dense(4, name="hidden")], name="stack")
    assert isinstance(model, torch.nn.Module)
    params = dict(model.named_parameters())
    assert list(params) == ["hidden.kernel", "hidden.bias"]
    assert params["hidden.kernel"] is model.get_layer("hidden").kernel.storage
    assert all(isinstance(p, torch.nn.Parameter) for p in params.values())

    class Counting(kfn.Layer):
        def build(self, shape):
            self.seen = self.add_weight(shape=(), initializer="zeros", trainable=False, name="seen")

        def call(self, x):
            self.seen.assign_add(1.0)
            return x

    counting = Counting(name="counting")
    counting(torch.ones(2, 2))
    assert list(dict(counting.named_buffers())) == ["seen"]
    assert list(counting.state_dict()) == ["seen"]


def test_a_kfn_model_inside_an_nn_module_trains_with_torch_optim():
    import torch

    import kfn

    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3).astype(np.float32)

    class Regressor(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = kfn.layers.Dense(1, kernel_initializer="zeros")

        def forward(self, inputs):
            return self.body(inputs)

    module = Regressor()
    module(torch.from_numpy(x))  # build
    assert [n for n, _ in module.named_parameters()] == ["body.kernel", "body.bias"]
    optimizer = torch.optim.SGD(module.parameters(), lr=0.1)
    kernel, bias = np.zeros((3, 1), np.float32), np.zeros((1,), np.float32)
    for _ in range(20):
        optimizer.zero_grad()
        loss = torch.mean((module(torch.from_numpy(x)) - torch.from_numpy(y)) ** 2)
        loss.backward()
        optimizer.step()
        # The same gradient descent in NumPy.
        error = x @ kernel + bias - y
        kernel = kernel - 0.1 * (2 / len(x)) * x.T @ error
        bias = bias - 0.1 * (2 / len(x)) * error.sum(axis=0)
    np.testing.assert_allclose(module.body.kernel.numpy(), kernel, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(module.body.bias.numpy(), bias, rtol=1e-4, atol=1e-5)


def test_state_dict_round_trip_and_dtype_conversion():
    import torch

    import kfn

    a = kfn.layers.Dense(2)
    b = kfn.layers.Dense(2)
    x = torch.ones(1, 3)
    a(x)
    b(x)
    b.load_state_dict(a.state_dict())
    np.testing.assert_allclose(b(x).detach().numpy(), a(x).detach().numpy())
    a.to(torch.float64)
    assert a.kernel.dtype == "float64" and a.kernel.storage.dtype == torch.float64
    assert a(torch.ones(1, 3, dtype=torch.float64)).dtype == torch.float64
