"""Each event's data, built from the record it is about: one function per record type (docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python

from services.outreach.domain.plan import budget_amount
from services.outreach.events import CATALOG
from services.outreach.store.models import (
    Accreditation,
    Campaign,
    CompatriotProgramme,
    Enterprise,
    ExportEvent,
    Material,
    MediaContact,
    Membership,
    Mission,
    Office,
    OfficeReport,
    OfficeStaffMember,
    Organisation,
    OrganisationContact,
    Partner,
    PartnerContact,
    PartnerRelationship,
    PlanItem,
    PlanVersion,
    ProgrammeParticipant,
    Society,
    Survey,
    SurveyQuestion,
)

# The survey's changes and its results share the record name `survey` but not a schema, so the catalog's
# record-keyed `contents` cannot tell them apart: the survey's own fields are read from its schema here.
SURVEY_FIELDS = tuple(CATALOG.schema("chancery.outreach.survey.created.v1")["properties"])


def partner(record: Partner) -> dict[str, Any]:
    return CATALOG.contents("partner", record)


def partner_relationship(record: PartnerRelationship) -> dict[str, Any]:
    return CATALOG.contents("partner-relationship", record)


def partner_contact(record: PartnerContact) -> dict[str, Any]:
    return CATALOG.contents("partner-contact", record)


def plan_item(record: PlanItem) -> dict[str, Any]:
    return CATALOG.contents("plan-item", record, budget_amount=budget_amount(record.budget_cents))


def plan_version(record: PlanVersion) -> dict[str, Any]:
    return CATALOG.contents("plan-version", record, items=len(record.items))


def campaign(record: Campaign) -> dict[str, Any]:
    return CATALOG.contents("campaign", record)


def material(record: Material) -> dict[str, Any]:
    titles = {language: text["title"] for language, text in record.texts.items() if text}
    return CATALOG.contents("material", record, titles=titles)


def media_contact(record: MediaContact) -> dict[str, Any]:
    return CATALOG.contents("media-contact", record)


def accreditation(record: Accreditation) -> dict[str, Any]:
    return CATALOG.contents("accreditation", record)


def survey(record: Survey) -> dict[str, Any]:
    return to_jsonable_python({name: getattr(record, name) for name in SURVEY_FIELDS})


def survey_results(record: Survey, imported: int, total_responses: int) -> dict[str, Any]:
    return {"id": record.id, "imported": imported, "total_responses": total_responses}


def survey_question(record: SurveyQuestion) -> dict[str, Any]:
    return CATALOG.contents("survey-question", record)


def analytics(events: int, facts: int) -> dict[str, Any]:
    return {"events": events, "facts": facts}


def mission(record: Mission) -> dict[str, Any]:
    return CATALOG.contents("mission", record)


def organisation(record: Organisation) -> dict[str, Any]:
    return CATALOG.contents("organisation", record)


def membership(record: Membership) -> dict[str, Any]:
    return CATALOG.contents("membership", record)


def office(record: Office) -> dict[str, Any]:
    return CATALOG.contents("office", record)


def office_report(record: OfficeReport) -> dict[str, Any]:
    return CATALOG.contents("office-report", record)


def compatriot_programme(record: CompatriotProgramme) -> dict[str, Any]:
    return CATALOG.contents("compatriot-programme", record)


def society(record: Society) -> dict[str, Any]:
    return CATALOG.contents("society", record)


def organisation_contact(record: OrganisationContact) -> dict[str, Any]:
    return CATALOG.contents("organisation-contact", record)


def office_staff_member(record: OfficeStaffMember) -> dict[str, Any]:
    return CATALOG.contents("office-staff-member", record)


def compatriot_participant(record: ProgrammeParticipant) -> dict[str, Any]:
    return CATALOG.contents("compatriot-participant", record)


def enterprise(record: Enterprise) -> dict[str, Any]:
    return CATALOG.contents("enterprise", record)


def export_event(record: ExportEvent) -> dict[str, Any]:
    return CATALOG.contents("export-event", record)
