"""Direct NumPy definitions of convolution and pooling (loops over output positions), an
independent reference for the backends' implementations."""

import itertools

import numpy as np

from kfn.backends.common.convolution import same_padding, transpose_padding


def _pads(spatial, kernel, strides, dilation, padding):
    if padding == "valid":
        return [(0, 0)] * len(spatial)
    return [same_padding(n, k, s, d) for n, k, s, d in zip(spatial, kernel, strides, dilation)]


def _tuple(v, rank):
    return (v,) * rank if isinstance(v, int) else tuple(v)


def conv(x, kernel, strides=1, padding="valid", data_format="channels_last", dilation_rate=1):
    """x (batch, spatial..., channels); kernel (spatial..., in / groups, out)."""
    if data_format == "channels_first":
        return np.moveaxis(
            conv(np.moveaxis(x, 1, -1), kernel, strides, padding, "channels_last", dilation_rate),
            -1,
            1,
        )
    rank = x.ndim - 2
    strides, dilation = _tuple(strides, rank), _tuple(dilation_rate, rank)
    ksize = kernel.shape[:rank]
    pads = _pads(x.shape[1:-1], ksize, strides, dilation, padding)
    x = np.pad(x.astype(np.float64), [(0, 0), *pads, (0, 0)])
    groups = x.shape[-1] // kernel.shape[-2]
    per_in, out_channels = kernel.shape[-2], kernel.shape[-1]
    per_out = out_channels // groups
    out_shape = [
        (x.shape[1 + a] - (ksize[a] - 1) * dilation[a] - 1) // strides[a] + 1 for a in range(rank)
    ]
    out = np.zeros((x.shape[0], *out_shape, out_channels))
    for position in itertools.product(*(range(n) for n in out_shape)):
        for g in range(groups):
            window = x[
                (slice(None),)
                + tuple(
                    slice(p * s, p * s + (k - 1) * d + 1, d)
                    for p, s, k, d in zip(position, strides, ksize, dilation)
                )
                + (slice(g * per_in, (g + 1) * per_in),)
            ]
            weights = kernel[..., g * per_out : (g + 1) * per_out].astype(np.float64)
            out[(slice(None), *position, slice(g * per_out, (g + 1) * per_out))] = np.tensordot(
                window, weights, axes=(list(range(1, rank + 2)), list(range(rank + 1)))
            )
    return out


def depthwise_conv(
    x, kernel, strides=1, padding="valid", data_format="channels_last", dilation_rate=1
):
    rank = x.ndim - 2
    grouped = kernel.reshape(kernel.shape[:rank] + (1, -1))
    return conv(x, grouped, strides, padding, data_format, dilation_rate)


def conv_transpose(
    x,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format="channels_last",
    dilation_rate=1,
):
    """Scatter definition: every input element adds input * kernel around its strided place."""
    if data_format == "channels_first":
        return np.moveaxis(
            conv_transpose(
                np.moveaxis(x, 1, -1),
                kernel,
                strides,
                padding,
                output_padding,
                "channels_last",
                dilation_rate,
            ),
            -1,
            1,
        )
    rank = x.ndim - 2
    strides, dilation = _tuple(strides, rank), _tuple(dilation_rate, rank)
    output_padding = (None,) * rank if output_padding is None else _tuple(output_padding, rank)
    ksize = kernel.shape[:rank]
    lefts, sizes = [], []
    for n, k, s, d, p in zip(x.shape[1:-1], ksize, strides, dilation, output_padding):
        left, right = transpose_padding(k, s, d, padding, p)
        k_eff = (k - 1) * d + 1
        lefts.append(k_eff - 1 - left)  # how far the full scatter output is cropped at the start
        sizes.append((n - 1) * s + 1 + left + right - k_eff + 1)
    out = np.zeros((x.shape[0], *sizes, kernel.shape[-2]))
    for position in itertools.product(*(range(n) for n in x.shape[1:-1])):
        for offset in itertools.product(*(range(k) for k in ksize)):
            target = [
                p * s + o * d - c
                for p, s, o, d, c in zip(position, strides, offset, dilation, lefts)
            ]
            if all(0 <= t < n for t, n in zip(target, sizes)):
                out[(slice(None), *target)] += x[(slice(None), *position)].astype(
                    np.float64
                ) @ kernel[offset].T.astype(np.float64)
    return out


def pool(x, pool_size, strides=None, padding="valid", data_format="channels_last", kind="max"):
    if data_format == "channels_first":
        return np.moveaxis(
            pool(np.moveaxis(x, 1, -1), pool_size, strides, padding, "channels_last", kind), -1, 1
        )
    rank = x.ndim - 2
    pool_size = _tuple(pool_size, rank)
    strides = pool_size if strides is None else _tuple(strides, rank)
    pads = _pads(x.shape[1:-1], pool_size, strides, (1,) * rank, padding)
    out_shape = [
        -(-n // s) if padding == "same" else (n - k) // s + 1
        for n, k, s in zip(x.shape[1:-1], pool_size, strides)
    ]
    out = np.zeros((x.shape[0], *out_shape, x.shape[-1]))
    for position in itertools.product(*(range(n) for n in out_shape)):
        index = []
        for p, s, k, (before, _), n in zip(position, strides, pool_size, pads, x.shape[1:-1]):
            start = p * s - before
            index.append(slice(max(start, 0), min(start + k, n)))
        window = x[(slice(None), *index, slice(None))].astype(np.float64)
        axes = tuple(range(1, rank + 1))
        out[(slice(None), *position)] = (
            window.max(axis=axes) if kind == "max" else window.mean(axis=axes)
        )
    return out
