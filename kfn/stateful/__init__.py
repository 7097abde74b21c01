"""The Keras-style stateful surface, generated from the pure definitions in kfn.pure."""
