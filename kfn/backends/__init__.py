"""The backend layer: one sub-package per framework (jax, torch, tensorflow, numpy), each the
same set of modules, plus `common/` for what they share. `kfn.backends.active` loads the one
chosen for this process (see `kfn.backends.config`)."""
