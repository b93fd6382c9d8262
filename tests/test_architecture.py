"""Decision 0100's rules, checked in every test run as `make lint` checks them: import-linter's contracts and
mypy over shared/, every domain/ and every operations/ (both configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(tool: str, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / tool), *arguments], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_no_import_breaks_a_contract_of_decision_0100():
    result = run("lint-imports", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_shared_every_domain_and_every_operations_package_are_typed_clean():
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
