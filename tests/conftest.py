"""Shared test fixtures. Area-specific builders live in their own modules (tests/builders.py …)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDENS = Path(__file__).resolve().parent / "goldens"
EXAMPLE = ROOT / "examples" / "changsha-kjj-2023.xlsx"
#: the published reference report, read where it lies (its sentences are never copied here)
REFERENCE_DIR = ROOT.parent / "shared" / "reference"
REFERENCE_TXT = REFERENCE_DIR / "000_a0527484f83c9cee.txt"
IN_CI = bool(os.environ.get("CI"))


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files under tests/goldens instead of comparing",
    )


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


class Golden:
    """Compare a text with its golden file; ``pytest --update-goldens`` rewrites it (review the diff).

    A missing golden FAILS (it is never written silently): the first run of a new golden test
    needs ``--update-goldens``, and a deleted golden is noticed."""

    def __init__(self, update: bool):
        self.update = update

    def __call__(self, name: str | Path, text: str) -> None:
        path = Path(name) if Path(name).is_absolute() else GOLDENS / name
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"golden {path.name} is missing: run pytest --update-goldens and review it")
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            diff = "".join(
                difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "golden", "now", n=1)
            )
            pytest.fail(
                f"{path.name} differs from the golden (pytest --update-goldens to accept):\n{diff[:4000]}"
            )


@pytest.fixture
def golden(update_goldens) -> Golden:
    """``golden("name.txt", text)``: the one way tests compare against tests/goldens (or a path)."""
    return Golden(update_goldens)


def need(condition: bool, why: str) -> None:
    """Skip locally when a service/tool is missing; in CI (CI=true) that is a failure instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {why}")
    pytest.skip(why)


def need_reference() -> Path:
    """The published reference report beside the repo (../shared/reference): skipped locally when
    absent, a failure in CI."""
    need(REFERENCE_TXT.exists(), "../shared/reference is absent")
    return REFERENCE_TXT


@pytest.fixture
def example_path() -> Path:
    assert EXAMPLE.exists(), (
        "examples/changsha-kjj-2023.xlsx is missing (run examples/build_changsha_kjj_2023.py)"
    )
    return EXAMPLE


@pytest.fixture
def reference_txt() -> Path:
    # The reference folder lies beside the repo (../shared/reference); only where it is absent
    # (a checkout outside this workplace) is the test skipped — and in CI it fails instead.
    return need_reference()
