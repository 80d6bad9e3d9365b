"""Shared test fixtures. Area-specific builders live in their own modules (tests/builders.py …)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "changsha-kjj-2023.xlsx"
#: the published reference report, read where it lies (its sentences are never copied here)
REFERENCE_DIR = ROOT.parent / "shared" / "reference"
REFERENCE_TXT = REFERENCE_DIR / "000_a0527484f83c9cee.txt"
IN_CI = bool(os.environ.get("CI"))


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite golden files under tests/goldens instead of comparing")


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


def need(condition: bool, why: str) -> None:
    """Skip locally when a service/tool is missing; in CI (CI=true) that is a failure instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {why}")
    pytest.skip(why)


@pytest.fixture
def example_path() -> Path:
    assert EXAMPLE.exists(), "examples/changsha-kjj-2023.xlsx is missing (run examples/build_changsha_kjj_2023.py)"
    return EXAMPLE


@pytest.fixture
def reference_txt() -> Path:
    # The reference folder lies beside the repo (../shared/reference); only where it is absent
    # (a checkout outside this workplace) is the test skipped.
    if not REFERENCE_TXT.exists():
        pytest.skip("../shared/reference is absent")
    return REFERENCE_TXT
