"""The refusals the contracts rules share beyond the kit's."""

from __future__ import annotations

from collections.abc import Iterable

from shared.kit.refusals import Conflict


class NotInThisState(Conflict):
    """The record's state does not allow the request; the 409 names the actions it does allow."""

    def __init__(self, detail: str, allowed: Iterable[str] = ()):
        super().__init__(detail, slug="illegal-transition",
                         allowed_actions=list(allowed))
