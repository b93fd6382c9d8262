"""Each event's data, built from the record it is about: one function per record type (docs/architecture.md).

Most of visits' events name the visit (or meeting, or function) a record belongs to beside the record itself,
under one key (`item`, `member`, ...): that part holds every property its schema names, read from the record.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy.orm import object_session

from services.visits.events import CATALOG, RECORDS
from services.visits.store.models import (
    AgendaItem,
    ChecklistItem,
    DelegationMember,
    FollowUp,
    FunctionInvitee,
    Gift,
    InterpretationNeed,
    Interpreter,
    Invitation,
    Meeting,
    MinutesRevision,
    Official,
    OfficialFunction,
    PressAccreditation,
    RankTable,
    SeatingPlan,
    VisaLetter,
    Visit,
    VisitReport,
)
from services.visits.store.officials import official_ids


@cache
def _part_names(record: str, part: str) -> tuple[str, ...]:
    actions, _ = RECORDS[record]
    schema = CATALOG.schema(f"chancery.visits.{record}.{actions[0]}.v1")
    return tuple(schema["properties"][part]["properties"])


def _part(record: str, part: str, source: Any, **computed: Any) -> dict[str, Any]:
    """The `part` object of `record`'s event: each property its schema names, from `computed` or `source`."""
    return to_jsonable_python({name: computed[name] if name in computed else getattr(source, name)
                               for name in _part_names(record, part)})


def _of_visit(record: str, visit: Visit, **parts: Any) -> dict[str, Any]:
    return CATALOG.contents(record, visit, visit_id=visit.id, **parts)


def _of_function(record: str, function: OfficialFunction, **parts: Any) -> dict[str, Any]:
    return CATALOG.contents(record, function, function_id=function.id, function_title=function.title, **parts)


def _of_meeting(record: str, meeting: Meeting, **parts: Any) -> dict[str, Any]:
    return CATALOG.contents(record, meeting, meeting_id=meeting.id, **parts)


def visit(record: Visit) -> dict[str, Any]:
    return CATALOG.contents("visit", record)


def visit_flags(record: Visit) -> dict[str, Any]:
    return _of_visit("visit-flags", record, flags=record.flags or [])


def delegation_member(member: DelegationMember, visit: Visit,
                      removed_from: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Dietary and access needs stay out: they can reveal health or belief."""
    data = _of_visit("delegation-member", visit, removed_from=removed_from,
                     member=_part("delegation-member", "member", member))
    if removed_from is None:
        del data["removed_from"]
    return data


def agenda_item(item: AgendaItem, visit: Visit) -> dict[str, Any]:
    ids = official_ids(object_session(item), item.host_participants)
    return _of_visit("agenda-item", visit, item=_part("agenda-item", "item", item, official_ids=ids))


def rank_table(table: RankTable) -> dict[str, Any]:
    return CATALOG.contents("rank-table", table, ranks=[rank["key"] for rank in table.ranks])


def seating_plan(plan: SeatingPlan, visit: Visit) -> dict[str, Any]:
    return _of_visit("seating-plan", visit, plan=_part("seating-plan", "plan", plan, seats=len(plan.seats)))


def gift(record: Gift, visit: Visit, declaration: str) -> dict[str, Any]:
    amount = None if record.value_amount is None else f"{record.value_amount:.2f}"
    return _of_visit("gift", visit, gift=_part("gift", "gift", record, value_amount=amount, declaration=declaration))


def checklist_task(task: ChecklistItem, visit: Visit, overdue: bool) -> dict[str, Any]:
    return _of_visit("checklist-task", visit, task=_part("checklist-task", "task", task, overdue=overdue))


def interpreter(record: Interpreter) -> dict[str, Any]:
    return CATALOG.contents("interpreter", record)


def interpretation_need(need: InterpretationNeed, visit: Visit) -> dict[str, Any]:
    return _of_visit("interpretation-need", visit, need=_part("interpretation-need", "need", need))


def invitation(record: Invitation, overdue: bool) -> dict[str, Any]:
    official = record.attending_official or (record.assignee if record.assignee_kind == "official" else None)
    return CATALOG.contents("invitation", record, assigned_official=official, overdue=overdue)


def meeting(record: Meeting) -> dict[str, Any]:
    """Briefing notes, talking points and minutes are internal preparation: who met whom and when."""
    return CATALOG.contents("meeting", record, official_ids=official_ids(object_session(record), [record.official]))


def meeting_follow_up(follow_up: FollowUp, meeting: Meeting) -> dict[str, Any]:
    return _of_meeting("meeting-follow-up", meeting, follow_up=_part("meeting-follow-up", "follow_up", follow_up))


def meeting_minutes(revision: MinutesRevision, meeting: Meeting) -> dict[str, Any]:
    return _of_meeting("meeting-minutes", meeting, revision=revision.number, author=revision.author)


def function(record: OfficialFunction) -> dict[str, Any]:
    return CATALOG.contents("function", record, official_ids=official_ids(object_session(record), record.officials))


def official(record: Official) -> dict[str, Any]:
    return CATALOG.contents("official", record)


def function_invitee(invitee: FunctionInvitee, function: OfficialFunction) -> dict[str, Any]:
    return _of_function("function-invitee", function, invitee=_part("function-invitee", "invitee", invitee))


def press_accreditation(accreditation: PressAccreditation, function: OfficialFunction) -> dict[str, Any]:
    return _of_function("press-accreditation", function,
                        accreditation=_part("press-accreditation", "accreditation", accreditation))


def visa_letter(letter: VisaLetter, visit: Visit) -> dict[str, Any]:
    """Events name the letter, never the personal data in it."""
    return _of_visit("visa-letter", visit, letter=_part("visa-letter", "letter", letter))


def visit_report(report: VisitReport, of: Visit) -> dict[str, Any]:
    """As agreed with outreach (decision 0155): the follow-ups feed the plan, keyed by the report's and each
    follow-up's id."""
    follow_ups = [{"id": item.id, "title": item.title, "owner": item.owner, "department": item.department,
                   "due_on": item.due_on} for item in report.follow_ups]
    return CATALOG.contents("visit-report", report, delegation_name=of.delegation_name, country=of.country,
                            partner_id=of.partner_id, follow_ups=follow_ups)
