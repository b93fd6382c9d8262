"""The example city-system client (examples/city_system.py), loaded as a module for the contract tests."""

from __future__ import annotations

import importlib.util

from tests.support.processes import REPO


def load_example(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "examples" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


city_system = load_example("city_system")
