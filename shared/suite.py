"""The processes of the suite, from the suite manifest (`[tool.chancery]` in pyproject.toml), found by name.

Nothing in `shared/` names a service: the manifest does, and each part is imported by its dotted path. The
manifest is the pyproject.toml beside the `shared` package (a checkout) or in the working directory (an
image, where the package is installed and the working directory holds the project's files).
"""

from __future__ import annotations

import importlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from flask import Flask

    from shared.service import ServiceSpec

MANIFEST_PLACES = (Path(__file__).resolve().parent.parent / "pyproject.toml", Path("pyproject.toml"))


@dataclass(frozen=True)
class Member:
    """One process group of the suite as the manifest declares it."""

    name: str
    kind: Literal["service", "console"]
    port: int
    app: str  # "package.module:create_app", the web process's app factory
    spec: str | None = None  # "package.module:SPEC", a service's ServiceSpec
    seed: str | None = None  # "package.module" with `seed(client)`, its demo data

    def create_app(self, config: dict[str, str] | None = None) -> Flask:
        return _load(self.app)(config)


def _load(dotted: str) -> Any:
    module, _, attribute = dotted.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _read_manifest() -> dict[str, Any]:
    place = next((path for path in MANIFEST_PLACES if path.is_file()), None)
    if place is None:
        raise SystemExit(f"no suite manifest: none of {', '.join(map(str, MANIFEST_PLACES))} exists")
    return tomllib.loads(place.read_text())["tool"]["chancery"]


_MANIFEST = _read_manifest()
MEMBERS = {entry["name"]: Member(**entry) for entry in _MANIFEST["suite"]}
SERVICES = tuple(name for name, member in MEMBERS.items() if member.kind == "service")
SEED_ORDER = tuple(_MANIFEST["seed-order"])
PORTS = {name: member.port for name, member in MEMBERS.items()}
SERVICE_PORTS = {name: PORTS[name] for name in SERVICES}


def member(name: str) -> Member:
    if name not in MEMBERS:
        raise SystemExit(f"unknown service {name!r}; services: {', '.join(SERVICES)}")
    return MEMBERS[name]


def spec_of(name: str) -> ServiceSpec:
    spec = member(name).spec
    if spec is None:
        raise SystemExit(f"{name} is a {member(name).kind}, not a service with a database and events")
    return _load(spec)


def app_of(name: str) -> Flask:
    return member(name).create_app()


def seed_module(name: str) -> Any:
    """The module with `seed(client)` loading `name`'s demo data, or None when it has none."""
    seed = member(name).seed
    return importlib.import_module(seed) if seed else None
