"""What the notifications views share: the notification admins' role, the event pattern field, a list of the
caller's own records, and the answer to a removal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from flask import Response, g
from pydantic import StringConstraints
from sqlalchemy import Select

from shared.http.resources import json_response

ADMINS = ("notifications-admin",)
Pattern = Annotated[str, StringConstraints(pattern=r"^[a-z0-9*#-]+(\.[a-z0-9*#-]+)*$", max_length=200)]


def own(column: Any) -> Callable[[Select, Any], Select]:
    """A listing narrowed to the caller's own records: those whose `column` names the caller."""
    return lambda statement, query: statement.where(column == g.principal.subject)


def NO_CONTENT() -> Response:  # noqa: N802 - named as the answer it gives
    return json_response(None, 204)
