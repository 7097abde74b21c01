"""PyTorch backend: random numbers from uint32[2] keys, through a torch.Generator seeded on the
host from the key (so the same key gives the same numbers)."""

from __future__ import annotations

import torch

from kfn.backends.torch import core
from kfn.state import keys


def _host_key(key):
    return core.convert_to_numpy(core.convert_to_tensor(key))


def _generator(key):
    generator = torch.Generator(device=core.current_device())
    generator.manual_seed(keys.host_seed(_host_key(key)))
    return generator


def split(key, num):
    return core.convert_to_tensor(keys.host_split(_host_key(key), num))


def fold_in(key, data):
    return core.convert_to_tensor(keys.host_fold_in(_host_key(key), int(data)))


def normal(key, shape, mean, stddev, dtype):
    native = core.to_native_dtype(dtype)
    sample = torch.randn(
        tuple(shape), generator=_generator(key), dtype=native, device=core.current_device()
    )
    return sample * stddev + mean


def uniform(key, shape, minval, maxval, dtype):
    native = core.to_native_dtype(dtype)
    sample = torch.rand(
        tuple(shape), generator=_generator(key), dtype=native, device=core.current_device()
    )
    return sample * (maxval - minval) + minval


def truncated_normal(key, shape, mean, stddev, dtype):
    native = core.to_native_dtype(dtype)
    sample = torch.empty(tuple(shape), dtype=native, device=core.current_device())
    torch.nn.init.trunc_normal_(sample, 0.0, 1.0, -2.0, 2.0, generator=_generator(key))
    return sample * stddev + mean


def randint(key, shape, minval, maxval, dtype):
    native = core.to_native_dtype(dtype)
    return torch.randint(
        int(minval),
        int(maxval),
        tuple(shape),
        generator=_generator(key),
        dtype=native,
        device=core.current_device(),
    )


def gamma(key, shape, alpha, dtype):
    # torch's gamma sampler takes no generator: draw under a forked, seeded global RNG.
    native = core.to_native_dtype(dtype)
    alpha = torch.broadcast_to(core.convert_to_tensor(alpha, "float64"), tuple(shape))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(keys.host_seed(_host_key(key)))
        sample = torch._standard_gamma(alpha)
    return sample.to(native)


def binomial(key, shape, counts, probabilities, dtype):
    native = core.to_native_dtype(dtype)
    counts = torch.broadcast_to(core.convert_to_tensor(counts, "float64"), tuple(shape))
    probabilities = torch.broadcast_to(
        core.convert_to_tensor(probabilities, "float64"), tuple(shape)
    )
    sample = torch.binomial(counts, probabilities, generator=_generator(key))
    return sample.to(native)
