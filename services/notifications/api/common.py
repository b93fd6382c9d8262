"""What the notifications views share: the notification admins' role and the event pattern field."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

ADMINS = ("notifications-admin",)
Pattern = Annotated[str, StringConstraints(pattern=r"^[a-z0-9*#-]+(\.[a-z0-9*#-]+)*$", max_length=200)]
