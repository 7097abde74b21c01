"""Backend selection, the config file and import hygiene, each checked in a fresh process.

These tests start subprocesses; they run once, in the numpy backend's test run.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "numpy", reason="selection is checked once")


def run_python(code, env_overrides, home=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KFN_")}
    env.update(env_overrides)
    if home is not None:
        env["KFN_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_unknown_backend_lists_the_valid_ones(tmp_path):
    result = run_python("import kfn", {"KFN_BACKEND": "mxnet"}, home=tmp_path)
    assert result.returncode != 0
    assert (
        "Unknown kfn backend 'mxnet' (from the KFN_BACKEND environment variable). "
        "Valid backends: jax, torch, tensorflow, numpy." in result.stderr
    )


@pytest.mark.parametrize(
    "backend,module,extra", [("torch", "torch", "torch"), ("jax", "jax", "jax")]
)
def test_missing_framework_names_the_extra(tmp_path, backend, module, extra):
    code = f"import sys; sys.modules[{module!r}] = None; import kfn"
    result = run_python(code, {"KFN_BACKEND": backend}, home=tmp_path)
    assert result.returncode != 0
    assert f"needs the {module} package, which is not installed" in result.stderr
    assert f"pip install 'kfn[{extra}]'" in result.stderr


def test_config_file_selects_backend_and_floatx(tmp_path):
    (tmp_path / "kfn.json").write_text(json.dumps({"backend": "numpy", "floatx": "float64"}))
    code = "import kfn; print(kfn.backend(), kfn.config.floatx(), kfn.ops.convert_to_tensor(1.5).dtype)"
    result = run_python(code, {}, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["numpy", "float64", "float64"]


def test_environment_overrides_config_file(tmp_path):
    (tmp_path / "kfn.json").write_text(json.dumps({"backend": "jax"}))
    result = run_python("import kfn; print(kfn.backend())", {"KFN_BACKEND": "numpy"}, home=tmp_path)
    assert result.stdout.strip() == "numpy", result.stderr


def test_default_backend_is_jax(tmp_path):
    result = run_python("import kfn; print(kfn.backend())", {}, home=tmp_path)
    assert result.stdout.strip() == "jax", result.stderr


def test_bad_config_file_says_where(tmp_path):
    (tmp_path / "kfn.json").write_text("{not json")
    result = run_python("import kfn", {}, home=tmp_path)
    assert result.returncode != 0
    assert "kfn.json could not be read as JSON" in result.stderr


FRAMEWORKS = ("jax", "torch", "tensorflow")


@pytest.mark.parametrize("backend", ["jax", "torch", "tensorflow", "numpy"])
def test_import_loads_only_the_active_framework(tmp_path, backend):
    # A framework may import another by itself (TensorFlow imports JAX when it is
    # installed); kfn must add nothing beyond what the active framework imports.
    framework = "numpy" if backend == "numpy" else backend
    code = (
        "import sys\n"
        f"import {framework}\n"
        f"before = {{m for m in {FRAMEWORKS!r} if m in sys.modules}}\n"
        "import kfn\n"
        f"after = {{m for m in {FRAMEWORKS!r} if m in sys.modules}}\n"
        "print(sorted(after - before))\n"
    )
    result = run_python(code, {"KFN_BACKEND": backend}, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
