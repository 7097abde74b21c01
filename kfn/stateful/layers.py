"""The stateful layers of `kfn.layers`, generated from the pure layers of `kfn.pure.layers`.

Each pure layer class gets one generated class (kfn/stateful/generated.py); Keras's other
names for a class (aliases) name the same generated class. A few layers need more than the
generated wrapper and are written by hand (InputLayer: it makes the symbolic input tensor).
"""

from kfn.pure import layers as _pure
from kfn.pure import registry as _registry
from kfn.stateful.generated import generate as _generate
from kfn.stateful.input_layer import InputLayer

_HANDWRITTEN = {"InputLayer": InputLayer}
_by_class: dict = {}

for _name in _pure.__all__:
    _class = getattr(_pure, _name)
    if _class.__name__ in _HANDWRITTEN:
        _layer = _HANDWRITTEN[_class.__name__]
    elif id(_class) in _by_class:
        _layer = _by_class[id(_class)]
        _registry.alias("layers", _name, _layer)
    else:
        _layer = _generate(_class)
    _by_class[id(_class)] = _layer
    globals()[_name] = _layer

__all__ = list(_pure.__all__)
