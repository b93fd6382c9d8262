"""Integrations: a city system's own queue on the broker, bound to the events it subscribed to. The worker puts
the broker in step with them (`channels/integration_queues.py`)."""

from __future__ import annotations

from typing import Any

from services.notifications.operations.registrations import add_registration
from services.notifications.store.models import Integration
from shared.db import find
from shared.kit.refusals import NotFound, require_version
from shared.uow import UnitOfWork


def find_integration(uow: UnitOfWork, integration_id: str) -> Integration:
    """An integration that is not being removed, or NotFound."""
    integration = find(uow.session, Integration, integration_id, "integration")
    if integration.removed:
        raise NotFound("integration", integration_id)
    return integration


def integrate(uow: UnitOfWork, name: str, patterns: list[str], changes: dict[str, Any]) -> Integration:
    """A queue for the city system `name`, bound by `patterns`; one per system."""
    integration = Integration(name=name, patterns=sorted(set(patterns)), created_by=uow.actor, removed=False,
                              version=1)
    return add_registration(uow, integration, "integration", changes,
                            f"{name} already has a queue")


def change_patterns(uow: UnitOfWork, integration_id: str, patterns: list[str], changes: dict[str, Any],
                    expected_version: frozenset[int] | None) -> Integration:
    integration = find_integration(uow, integration_id)
    require_version(integration.version, expected_version)
    integration.patterns, integration.version = sorted(set(patterns)), integration.version + 1
    uow.audit("integration.patterns", "integration", integration.id, changes)
    return integration


def remove_integration(uow: UnitOfWork, integration_id: str) -> None:
    """Mark the integration removed: the worker deletes its queue (and its messages), then the row."""
    integration = find_integration(uow, integration_id)
    integration.removed = True
    uow.audit("integration.delete", "integration", integration.id, {"name": integration.name})
