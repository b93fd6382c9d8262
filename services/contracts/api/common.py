"""What the contracts views share that is this service's own: who may call them, and the runtime's clock and
settings for what a view shows (deadlines passed, expiry ahead, foreign suppliers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.contracts.settings import ContractsSettings
from shared.http.work import runtime

PROCUREMENT = ("procurement",)
MAYOR_OFFICE = ("mayor-office",)
# Who reads cooperation agreements and commitments to investors besides procurement, which writes them (0135).
READERS = ("procurement", "outreach", "mayor-office")


def named(name: str, view: Callable) -> Callable:
    view.__name__ = name
    return view


def now() -> datetime:
    return runtime().clock()


def own_settings() -> ContractsSettings:
    return runtime().own_settings
