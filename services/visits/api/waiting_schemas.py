"""Query and response bodies of the lists across visits (what waits on someone's desk)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from services.visits.api.fields import Name
from services.visits.api.meeting_schemas import FollowUpOut
from services.visits.domain.visa_letters import LetterStatus
from shared.http.resources import PageQuery


class AllLettersQuery(PageQuery):
    status: LetterStatus | None = Field(None, description="e.g. in_review: letters waiting for the mayor's office")
    visit_id: str | None = Field(None, max_length=36)


class AllFollowUpsQuery(PageQuery):
    done: bool | None = Field(None, description="false: open follow-ups only")
    due_until: date | None = Field(None, description="Due on or before this day")
    responsible_body: Name | None = None
    visit_id: str | None = Field(None, max_length=36, description="Follow-ups of this visit's meetings")


class FollowUpDueOut(FollowUpOut):
    """A follow-up with the meeting it came from."""

    meeting_title: str
    visit_id: str | None = Field(description="The visit the meeting belongs to, if any")
