"""Record ids: random UUIDs as text, made before the row is written so events and links can name them."""

from __future__ import annotations

import uuid


def new_id() -> str:
    return str(uuid.uuid4())
