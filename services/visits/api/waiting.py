"""What waits across visits, for a person's desk: visa letters by status and follow-ups due. The lists of one
visit or one meeting stay with their records; these answer "what is waiting anywhere"."""

from __future__ import annotations

from flask_openapi3 import Tag
from sqlalchemy import select

from services.visits.api import waiting_schemas
from services.visits.api.common import READERS
from services.visits.api.meeting_schemas import FollowUpOut
from services.visits.api.visa_letter_schemas import VisaLetterOut
from services.visits.api.visa_letters import view as letter_view
from services.visits.api.waiting_schemas import FollowUpDueOut
from services.visits.store.models import DelegationMember, FollowUp, Meeting, VisaLetter, Visit
from shared.db import viewer_of, visible_to
from shared.http.auth import allow
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import problem_responses
from shared.http.resources import Page, apply_sort, json_response, paginate, sorted_by, where_set
from shared.http.work import read_only

waiting_api = LazyDocBlueprint("waiting", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                               abp_responses=problem_responses(401, 403, 422),
                               abp_tags=[Tag(name="across visits", description="What waits across visits")])


LETTER_ORDER = {"created_at": VisaLetter.created_at}
AllLettersQuery = sorted_by(waiting_schemas.AllLettersQuery, LETTER_ORDER)
FOLLOW_UP_ORDER = {"due_on": FollowUp.due_on}
AllFollowUpsQuery = sorted_by(waiting_schemas.AllFollowUpsQuery, FOLLOW_UP_ORDER)


@waiting_api.get("/visa-letters", summary="Visa letters of every visit, e.g. those in review (personal data masked)",
                 responses={200: Page[VisaLetterOut]})
@allow(*READERS)
def list_all_letters(query: AllLettersQuery):
    statement = where_set(select(VisaLetter, DelegationMember).join(DelegationMember), VisaLetter, query,
                          ("status", "visit_id"))
    statement = apply_sort(statement, query.sort, LETTER_ORDER, [VisaLetter.created_at, VisaLetter.id])
    with read_only() as session:
        statement = statement.join(Visit, Visit.id == VisaLetter.visit_id).where(
            visible_to(Visit, viewer_of(session)))
        # Masked for every role, as one visit's list is: reading a passport is the read of one letter, audited.
        return json_response(paginate(session, statement, query,
                                      lambda row: letter_view(row["VisaLetter"], row["DelegationMember"], False)))


@waiting_api.get("/follow-ups", summary="Follow-up actions of every meeting, e.g. the open ones due by a day",
                 responses={200: Page[FollowUpDueOut]})
@allow(*READERS)
def list_all_follow_ups(query: AllFollowUpsQuery):
    statement = select(FollowUp, Meeting).join(Meeting, FollowUp.meeting_id == Meeting.id)
    statement = where_set(statement, FollowUp, query, ("responsible_body",))
    if query.visit_id:
        statement = statement.where(Meeting.visit_id == query.visit_id)
    if query.done is not None:
        statement = statement.where(FollowUp.done_at.isnot(None) if query.done else FollowUp.done_at.is_(None))
    if query.due_until:
        statement = statement.where(FollowUp.due_on <= query.due_until)
    statement = apply_sort(statement, query.sort, FOLLOW_UP_ORDER, [FollowUp.due_on, FollowUp.id])
    with read_only() as session:
        statement = statement.where(visible_to(Meeting, viewer_of(session)))
        return json_response(paginate(session, statement, query, follow_up_due))


def follow_up_due(row) -> dict:
    meeting = row["Meeting"]
    return FollowUpDueOut(**FollowUpOut.model_validate(row["FollowUp"]).model_dump(), meeting_title=meeting.title,
                          visit_id=meeting.visit_id).model_dump(mode="json")
