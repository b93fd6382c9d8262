"""The preview of a notification: what a stored or draft template says for some event data. It reads and writes
no record, so it needs no unit of work."""

from __future__ import annotations

from typing import Any

from services.notifications.channels.templates import Message, default_book, render_source


def preview(event_type: str, channel: str, language: str, data: dict[str, Any], subject: str,
            draft: str | None) -> Message:
    """The message `draft` (or, without one, the stored template the fallback rule picks) renders for an event of
    `event_type` about `subject` with `data`; TemplateProblem when it cannot be rendered."""
    event = {"id": "preview", "type": event_type, "subject": subject, "time": None, "data": data}
    if draft is not None:
        return render_source(draft, event, language)
    return default_book().render(event, channel, language)
