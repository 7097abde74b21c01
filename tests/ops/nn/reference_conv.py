"""Direct NumPy definitions of convolution, pooling and their rearrangements (loops over
output positions, written from Keras's documented sizes), an independent reference for the
backends' implementations: nothing here imports kfn."""

import itertools

import numpy as np


def _tuple(v, rank):
    return (v,) * rank if isinstance(v, int) else tuple(v)


def _extent(kernel, dilation):
    return (kernel - 1) * dilation + 1


def _pads(spatial, kernel, strides, dilation, padding):
    """ "same" pads so that the output has ceil(n / s) positions, the odd element at the end."""
    if padding == "valid":
        return [(0, 0)] * len(spatial)
    pads = []
    for n, k, s, d in zip(spatial, kernel, strides, dilation):
        total = max((-(-n // s) - 1) * s + _extent(k, d) - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads


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


def separable_conv(
    x,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding="valid",
    data_format="channels_last",
    dilation_rate=1,
):
    inner = depthwise_conv(x, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(inner, pointwise_kernel, data_format=data_format)


def _transpose_window(n, k_eff, stride, padding, output_padding):
    """Keras's conv_transpose output along one axis: (size, start), the output being
    elements start ... start + size - 1 of the full scatter (zeros past its end).

    "valid": size (n - 1) * s + k_eff + output_padding (default max(s - k_eff, 0)), from 0.
    "same": size n * s (or (n - 1) * s + k_eff % 2 + output_padding), centred on the full
    scatter of length (n - 1) * s + k_eff (an odd excess cut at the end), never starting
    before it.
    """
    if padding == "valid":
        extra = max(stride - k_eff, 0) if output_padding is None else output_padding
        return (n - 1) * stride + k_eff + extra, 0
    if output_padding is None:
        size = n * stride
    else:
        size = (n - 1) * stride + k_eff % 2 + output_padding
    full = (n - 1) * stride + k_eff
    return size, max((full - size) // 2, 0)


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
    starts, sizes = [], []
    for n, k, s, d, p in zip(x.shape[1:-1], ksize, strides, dilation, output_padding):
        size, start = _transpose_window(n, _extent(k, d), s, padding, p)
        starts.append(start)
        sizes.append(size)
    out = np.zeros((x.shape[0], *sizes, kernel.shape[-2]))
    for position in itertools.product(*(range(n) for n in x.shape[1:-1])):
        for offset in itertools.product(*(range(k) for k in ksize)):
            target = [
                p * s + o * d - c
                for p, s, o, d, c in zip(position, strides, offset, dilation, starts)
            ]
            if all(0 <= t < n for t, n in zip(target, sizes)):
                out[(slice(None), *target)] += x[(slice(None), *position)].astype(
                    np.float64
                ) @ kernel[offset].T.astype(np.float64)
    return out


def pool(x, pool_size, strides=None, padding="valid", data_format="channels_last", kind="max"):
    """Max or average pooling; the average leaves padded positions out. The max keeps x's
    dtype, the average is float64."""
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
    out = np.zeros((x.shape[0], *out_shape, x.shape[-1]), x.dtype if kind == "max" else np.float64)
    for position in itertools.product(*(range(n) for n in out_shape)):
        index = []
        for p, s, k, (before, _), n in zip(position, strides, pool_size, pads, x.shape[1:-1]):
            start = p * s - before
            index.append(slice(max(start, 0), min(start + k, n)))
        window = x[(slice(None), *index, slice(None))]
        axes = tuple(range(1, rank + 1))
        out[(slice(None), *position)] = (
            window.max(axis=axes) if kind == "max" else window.astype(np.float64).mean(axis=axes)
        )
    return out


def adaptive_pool(x, output_size, data_format="channels_last", kind="max"):
    """Output position i of an axis of size n pools [floor(i * n / out), ceil((i + 1) * n / out))."""
    rank = x.ndim - 2
    sizes = _tuple(output_size, rank)
    first = 1 if data_format == "channels_last" else 2
    out_shape = list(x.shape)
    out_shape[first : first + rank] = sizes
    out = np.zeros(out_shape, x.dtype if kind == "max" else np.float64)
    for position in itertools.product(*(range(o) for o in sizes)):
        window = [
            slice(i * n // o, -(-(i + 1) * n // o))
            for i, n, o in zip(position, x.shape[first : first + rank], sizes)
        ]
        block = x[(slice(None),) * first + tuple(window)]
        axes = tuple(range(first, first + rank))
        out[(slice(None),) * first + position] = (
            block.max(axis=axes) if kind == "max" else block.astype(np.float64).mean(axis=axes)
        )
    return out


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """x (batch, channels, height, width) -> (batch, channels * kh * kw, blocks): column
    (c, i, j) of block (p, q) is x_padded[c, p * stride + i * dilation, q * stride + j * dilation]."""
    (kh, kw), (dh, dw) = _tuple(kernel_size, 2), _tuple(dilation, 2)
    (ph, pw), (sh, sw) = _tuple(padding, 2), _tuple(stride, 2)
    x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, c, h, w = x.shape
    out_h, out_w = (h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1
    cols = np.zeros((n, c, kh, kw, out_h, out_w), x.dtype)
    for p, q, i, j in itertools.product(range(out_h), range(out_w), range(kh), range(kw)):
        cols[:, :, i, j, p, q] = x[:, :, p * sh + i * dh, q * sw + j * dw]
    return cols.reshape(n, c * kh * kw, out_h * out_w)


def fold(cols, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The transpose of `unfold`: every column entry added back where `unfold` read it."""
    (kh, kw), (dh, dw) = _tuple(kernel_size, 2), _tuple(dilation, 2)
    (ph, pw), (sh, sw) = _tuple(padding, 2), _tuple(stride, 2)
    height, width = _tuple(output_size, 2)
    n, c = cols.shape[0], cols.shape[1] // (kh * kw)
    h, w = height + 2 * ph, width + 2 * pw
    out_h, out_w = (h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1
    blocks = cols.reshape(n, c, kh, kw, out_h, out_w)
    out = np.zeros((n, c, h, w), cols.dtype)
    for p, q, i, j in itertools.product(range(out_h), range(out_w), range(kh), range(kw)):
        out[:, :, p * sh + i * dh, q * sw + j * dw] += blocks[:, :, i, j, p, q]
    return out[:, :, ph : ph + height, pw : pw + width]


def depth_to_space(x, block_size, data_format="channels_last"):
    """Output pixel (h * b + i, w * b + j), channel c, reads input channel (i * b + j) * C + c
    channels last (TensorFlow's order), or c * b * b + i * b + j channels first (pixel
    shuffle's)."""
    b = block_size
    if data_format == "channels_first":
        n, cbb, h, w = x.shape
        c = cbb // (b * b)
        out = np.zeros((n, c, h * b, w * b), x.dtype)
        for i, j, k in np.ndindex(b, b, c):
            out[:, k, i::b, j::b] = x[:, k * b * b + i * b + j]
        return out
    n, h, w, cbb = x.shape
    c = cbb // (b * b)
    out = np.zeros((n, h * b, w * b, c), x.dtype)
    for i, j in np.ndindex(b, b):
        out[:, i::b, j::b, :] = x[:, :, :, (i * b + j) * c : (i * b + j + 1) * c]
    return out


def space_to_depth(x, block_size, data_format="channels_last"):
    b = block_size
    if data_format == "channels_first":
        n, c, h, w = x.shape
        out = np.zeros((n, c * b * b, h // b, w // b), x.dtype)
        for i, j, k in np.ndindex(b, b, c):
            out[:, k * b * b + i * b + j] = x[:, k, i::b, j::b]
        return out
    n, h, w, c = x.shape
    out = np.zeros((n, h // b, w // b, c * b * b), x.dtype)
    for i, j in np.ndindex(b, b):
        out[:, :, :, (i * b + j) * c : (i * b + j + 1) * c] = x[:, i::b, j::b, :]
    return out
