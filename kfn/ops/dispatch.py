"""Binding the documented ops of `kfn.ops` to the active backend's implementations.

An op is declared once, in `kfn/ops/`, as a function with its signature and docstring and no
body. `primitive_of(backend_module)` returns a decorator that replaces the declaration with a
forwarder to `backend_module.<name>`, generated with the declaration's exact signature so the
call costs one plain Python call (no `*args` packing). Every backend implements every primitive
with the same signature; ops that are compositions of other ops are ordinary functions in
`kfn/ops/` and have no backend implementation.

The forwarder adds context to errors, on the error path only: an unknown dtype names the op and
the argument, and an elementwise op whose operands cannot be broadcast names the shapes.
"""

from __future__ import annotations

import functools
import inspect

from kfn.backends import config
from kfn.backends.common.dtypes import UnknownDtypeError
from kfn.ops import symbolic

_P = inspect.Parameter


def primitive_of(module):
    """A decorator binding declared ops to the functions of the same name in `module`.

    The decorator is used bare (`@primitive`) or with options (`@primitive(elementwise=True)`
    for ops that broadcast their tensor arguments against each other).
    """

    def decorate(declared=None, *, elementwise=False):
        if declared is None:
            return functools.partial(decorate, elementwise=elementwise)
        impl = getattr(module, declared.__name__, None)
        if impl is None:
            impl = _missing(declared.__name__)
        return forwarder(declared, impl, elementwise=elementwise)

    return decorate


def _missing(name):
    def missing(*args, **kwargs):
        raise NotImplementedError(
            f"kfn.ops.{name} is not implemented on the {config.backend()} backend."
        )

    return missing


def composite(declared):
    """Mark an op written with other ops (no backend implementation): it gets the same
    forwarder as a primitive, so symbolic tensors record it as one node."""
    return forwarder(declared, declared)


def forwarder(declared, impl, *, elementwise=False):
    """A function with `declared`'s signature and docstring that calls `impl`.

    Once symbolic tensors exist (`symbolic.ACTIVE`), a call with symbolic arguments is
    recorded as a graph node instead of computed.
    """
    name = declared.__name__
    sig = inspect.signature(declared)
    params, args, defaults = [], [], {}
    positional, keyword = [], []
    star_done = False
    for p in sig.parameters.values():
        text = p.name
        if p.default is not _P.empty:
            defaults[f"_default_{p.name}"] = p.default
            text += f"=_default_{p.name}"
        if p.kind is _P.VAR_POSITIONAL:
            params.append("*" + p.name)
            args.append("*" + p.name)
            positional.append("*" + p.name)
            star_done = True
        elif p.kind is _P.VAR_KEYWORD:
            params.append("**" + p.name)
            args.append("**" + p.name)
            keyword.append("**" + p.name)
        elif p.kind is _P.KEYWORD_ONLY:
            if not star_done:
                params.append("*")
                star_done = True
            params.append(text)
            args.append(f"{p.name}={p.name}")
            keyword.append(f"{p.name!r}: {p.name}")
        else:
            if p.kind is _P.POSITIONAL_ONLY:
                raise TypeError(f"op {name}: positional-only parameters are not supported")
            params.append(text)
            args.append(p.name)
            positional.append(p.name)
    names = [p.name for p in sig.parameters.values()]
    positional_tuple = f"({', '.join(positional)},)" if positional else "()"
    keyword_dict = "{" + ", ".join(keyword) + "}"
    # Inline checks (a type comparison per argument): the common, non-symbolic call pays
    # about 40 ns per argument once symbolic tensors exist, nothing before.
    checks = []
    for p in sig.parameters.values():
        if p.kind is _P.VAR_POSITIONAL:
            checks.append(f"_symbolic.any_symbolic({p.name})")
        elif p.kind is _P.VAR_KEYWORD:
            checks.append(f"_symbolic.any_symbolic({p.name}.values())")
        else:
            n = p.name
            checks.append(
                f"type({n}) is _S or ((type({n}) is list or type({n}) is tuple) and _in({n}))"
            )
    check = " or ".join(checks) or "False"
    source = (
        f"def {name}({', '.join(params)}):\n"
        f"    if _symbolic.ACTIVE and ({check}):\n"
        f"        return _symbolic.call(_self, _impl, {positional_tuple}, {keyword_dict})\n"
        f"    try:\n"
        f"        return _impl({', '.join(args)})\n"
        f"    except Exception as _error:\n"
        f"        _explain(_error, {name!r}, dict(zip({names!r}, ({', '.join(names)},))))\n"
        f"        raise\n"
    )
    namespace = {
        "_impl": impl,
        "_explain": functools.partial(_explain, elementwise=elementwise),
        "_symbolic": symbolic,
        "_S": symbolic.SymbolicTensor,
        "_in": symbolic.any_in,
    }
    namespace.update(defaults)
    exec(source, namespace)
    fn = namespace[name]
    namespace["_self"] = fn
    functools.update_wrapper(fn, declared)
    fn.__kfn_impl__ = impl
    return fn


def _explain(error, name, arguments, *, elementwise):
    """Raise a clearer error than `error` when the cause is a known bad input."""
    if isinstance(error, UnknownDtypeError) and error.where is None:
        argument = next((k for k, v in arguments.items() if v is error.value), "dtype")
        raise UnknownDtypeError(
            error.value, where=f"kfn.ops.{name}: argument {argument}"
        ) from error
    if elementwise:
        shapes = {k: _shape_of(v) for k, v in arguments.items()}
        shapes = {k: s for k, s in shapes.items() if s is not None}
        if len(shapes) >= 2 and not _broadcastable(list(shapes.values())):
            described = ", ".join(f"{k} of shape {s}" for k, s in shapes.items())
            raise ValueError(
                f"kfn.ops.{name}: cannot broadcast {described} together "
                "(each dimension must match or be 1, aligned from the right)"
            ) from error


def _shape_of(value):
    shape = getattr(value, "shape", None)
    if shape is None:
        return None
    try:
        return tuple(None if d is None else int(d) for d in shape)
    except TypeError:
        return None


def _broadcastable(shapes) -> bool:
    for dims in zip(*(reversed(s) for s in shapes)):
        sizes = {d for d in dims if d is not None and d != 1}
        if len(sizes) > 1:
            return False
    return True


def broadcast_shapes(*shapes) -> tuple:
    """The shape that `shapes` broadcast to (None for unknown dimensions); ValueError if none."""
    if not _broadcastable(shapes):
        raise ValueError(f"shapes {', '.join(map(str, shapes))} cannot be broadcast together")
    rank = max((len(s) for s in shapes), default=0)
    padded = [(1,) * (rank - len(s)) + tuple(s) for s in shapes]
    out = []
    for dims in zip(*padded):
        known = [d for d in dims if d is not None and d != 1]
        out.append(known[0] if known else (None if None in dims else 1))
    return tuple(out)
