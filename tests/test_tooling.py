"""The tooling that keeps the style: lint/type config, CI order, py.typed, module size, the golden
fixture and the CI rule for missing references — checked, so none of it rots silently."""

from __future__ import annotations

import tomllib
from pathlib import Path

import conftest
import pytest
from conftest import ROOT, Golden

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SRC = ROOT / "src" / "jixiao"
MAX_LINES = 600


def test_ruff_enables_the_rules_the_code_relies_on():
    lint = PYPROJECT["tool"]["ruff"]["lint"]
    assert {"BLE", "C901", "RUF100"} <= set(lint["select"])
    assert lint["mccabe"]["max-complexity"] <= 15
    # every per-file exemption names files that exist (a stale entry is dead config)
    for path in lint.get("per-file-ignores", {}):
        assert list(ROOT.glob(path)), path


def test_mypy_is_configured_and_installed_with_the_tests():
    assert PYPROJECT["tool"]["mypy"]["files"] == ["src"]
    assert any(d.startswith("mypy") for d in PYPROJECT["project"]["optional-dependencies"]["test"])


def test_ci_lints_before_testing_with_strict_markers():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    steps = [run.index(s) for s in ("ruff format --check", "ruff check", "mypy src", "pytest")]
    assert steps == sorted(steps)
    assert "--strict-markers" in run
    assert "--strict-markers" in PYPROJECT["tool"]["pytest"]["ini_options"]["addopts"]
    hooks = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "ruff format --check" in hooks and "ruff check" in hooks and "mypy src" in hooks


def test_py_typed_is_shipped():
    assert (SRC / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["jixiao"]


def test_no_module_is_over_600_lines():
    big = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not big, f"split these modules (limit {MAX_LINES} lines): {big}"


def test_a_missing_golden_fails_and_is_not_written(tmp_path):
    path = tmp_path / "none.txt"
    with pytest.raises(pytest.fail.Exception, match="missing"):
        Golden(update=False)(path, "text\n")
    assert not path.exists()
    with pytest.raises(pytest.fail.Exception, match="differs"):
        path.write_text("old\n", encoding="utf-8")
        Golden(update=False)(path, "new\n")
    Golden(update=True)(path, "new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    Golden(update=False)(path, "new\n")


def test_a_missing_reference_fails_in_ci(monkeypatch):
    monkeypatch.setattr(conftest, "REFERENCE_TXT", Path("/nonexistent/reference.txt"))
    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        conftest.need_reference()
    monkeypatch.setattr(conftest, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception):
        conftest.need_reference()
