"""Outreach's use cases on an in-memory unit of work: what each records (events, audit records) and refuses."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.outreach.app import SPEC
from services.outreach.domain.campaigns import MissingLanguages, SameReviewer
from services.outreach.domain.surveys import BadRows
from services.outreach.operations import (
    analytics,
    campaigns,
    city_registry,
    partners,
    plan,
    plan_versions,
    press,
    registers,
    surveys,
    timeline,
)
from services.outreach.store.models import AnalyticsFact, TimelineEntry
from shared.config import load_settings
from shared.kit.lifecycle import IllegalTransition, MissingReason
from shared.kit.refusals import Conflict, Invalid, NotFound, StaleVersion
from shared.pii import install_keys
from shared.testing import RecordingUnitOfWork

SOFIA = {"kind": "capital", "name": "Sofia", "names": [{"language": "bg", "name": "София"}], "country": "BG"}
ITEM = {"activity": "Sofia Days", "responsible_body": "Culture", "due_on": date(2027, 5, 1), "budget_currency": None}
TEXTS = {language: {"title": f"Title {language}", "body": "Body"} for language in ("en", "ru", "bg")}


@pytest.fixture
def uow():
    install_keys(load_settings("outreach"))
    return RecordingUnitOfWork(SPEC, actor="olga", roles=frozenset({"outreach"}))


# --- partners ---

def test_a_partner_is_registered_searchable_by_its_names_with_one_event_and_audit_record(uow):
    partner = partners.add_partner(uow, SOFIA, {"name": "Sofia"})
    assert "софия" in partner.search_text
    assert uow.event_types() == ["chancery.outreach.partner.created.v1"]
    assert uow.audits == [("partner.created", "partner", partner.id, {"name": "Sofia"})]


def test_clearing_a_partners_name_is_refused_naming_name_and_an_old_version_is_stale(uow):
    partner = partners.add_partner(uow, SOFIA, {})
    with pytest.raises(Invalid) as refused:
        partners.update_partner(uow, partner.id, {"name": None}, None)
    assert refused.value.field == "name"
    with pytest.raises(StaleVersion):
        partners.update_partner(uow, partner.id, {"region": "Sofia-grad"}, frozenset({9}))


def test_a_second_twinning_over_the_same_years_conflicts_and_ending_one_is_announced_as_ended(uow):
    partner = partners.add_partner(uow, SOFIA, {})
    first = partners.establish_relationship(uow, partner.id, {"type": "twin_city", "established_on": date(1967, 1, 1)},
                                            {})
    with pytest.raises(Conflict) as refused:
        partners.establish_relationship(uow, partner.id, {"type": "twin_city", "established_on": date(1990, 1, 1)}, {})
    assert refused.value.slug == "overlapping-relationship"
    partners.update_relationship(uow, partner.id, first.id, {"ended_on": date(1989, 12, 31)}, {}, None)
    assert uow.event_types()[-1] == "chancery.outreach.partner-relationship.ended.v1"


def test_a_contact_of_another_partner_is_not_found_and_their_audit_names_fields_not_values(uow):
    sofia, vienna = partners.add_partner(uow, SOFIA, {}), partners.add_partner(uow, {**SOFIA, "name": "Vienna"}, {})
    contact = partners.add_partner_contact(uow, sofia.id, {"name": "Maria", "email": "m@sofia.example",
                                                           "languages": []}, {"name", "email"})
    assert uow.audits[-1][3] == {"partner_id": sofia.id, "fields": ["email", "name"]}
    assert "m@sofia.example" not in str(uow.events)
    with pytest.raises(NotFound):
        partners.update_contact(uow, vienna.id, contact.id, {"position": "Mayor"}, None)


# --- the city's registry ---

def test_a_registry_update_not_later_than_the_one_applied_changes_nothing(uow):
    at = datetime(2027, 3, 1, 9, tzinfo=UTC)
    city_registry.receive_partner(uow, "REG-1", at, SOFIA)
    city_registry.receive_partner(uow, "REG-1", at, {**SOFIA, "name": "Sofia City"})
    assert uow.event_types() == ["chancery.outreach.partner.created.v1"]
    assert uow.audits[0][3]["registry_id"] == "REG-1"


def test_a_registry_contact_before_its_partner_waits_for_it(uow):
    with pytest.raises(partners.PartnerNotYetKnown):
        city_registry.receive_contact(uow, "REG-C", "REG-P", datetime(2027, 3, 1, tzinfo=UTC), {"name": "Klara"})
    assert uow.events == []


# --- the plan ---

def test_a_plan_item_by_hand_is_announced_and_folded_into_the_analytics(uow):
    item = plan.create_item(uow, ITEM, None, {"activity": "Sofia Days"})
    assert uow.event_types() == ["chancery.outreach.plan-item.created.v1"]
    assert uow.session.get(AnalyticsFact, ("plan-item", item.id)).status == "planned"


def test_cancelling_an_item_needs_a_reason_and_a_done_item_cannot_be_started(uow):
    item = plan.create_item(uow, ITEM, None, {})
    with pytest.raises(MissingReason):
        plan.move_item(uow, item.id, "cancel", " ", None)
    plan.move_item(uow, item.id, "complete", None, frozenset({1}))
    assert (item.status, item.progress) == ("done", 100)
    with pytest.raises(IllegalTransition) as refused:
        plan.move_item(uow, item.id, "start", None, None)
    assert refused.value.allowed == ["reopen"]


def test_the_fields_an_item_holds_from_its_source_follow_the_source(uow):
    plan.follow_source(uow, plan.SourceChange(
        plan.Source.AGREEMENT, "agreement-1", "chancery.contracts.agreement.signed.v1",
        datetime(2027, 3, 1, tzinfo=UTC), [plan.SourcedActivity("a-1", "Exchange", date(2027, 9, 1), "Culture")],
        False, None, "/api/v1/agreements/agreement-1"))
    item = uow.session.query(plan.PlanItem).one()
    assert uow.audits[0][3] == {"from": "chancery.contracts.agreement.signed.v1"}
    with pytest.raises(Conflict) as refused:
        plan.update_item(uow, item.id, {"activity": "Other"}, {}, None)
    assert refused.value.extensions == {"fields": ["activity"]}


def test_progress_is_reported_only_on_items_in_progress(uow):
    item = plan.create_item(uow, ITEM, Decimal("10.00"), {})
    with pytest.raises(Conflict) as refused:
        plan.report_progress(uow, item.id, 40, None, None)
    assert refused.value.extensions["allowed_actions"] == ["start", "complete", "cancel"]


def test_approving_a_version_supersedes_the_one_approved_before_and_one_awaits_a_decision_at_a_time(uow):
    plan.create_item(uow, ITEM, None, {})
    first = plan_versions.submit_version(uow, 2027, None)
    with pytest.raises(Conflict) as refused:
        plan_versions.submit_version(uow, 2027, None)
    assert refused.value.extensions["pending_version"] == 1
    plan_versions.decide_version(uow, first.id, "approve", None, None)
    second = plan_versions.submit_version(uow, 2027, "After review")
    plan_versions.decide_version(uow, second.id, "approve", None, None)
    assert (first.status, second.status, len(second.items)) == ("superseded", "approved", 1)
    assert uow.event_types()[-2:] == ["chancery.outreach.plan-version.superseded.v1",
                                      "chancery.outreach.plan-version.approved.v1"]


# --- campaigns and the press ---

def test_a_material_goes_to_review_in_three_languages_and_its_submitter_does_not_publish_it(uow):
    material = campaigns.create_material(uow, "press_release", None, {"en": TEXTS["en"]})
    with pytest.raises(MissingLanguages):
        campaigns.move_material(uow, material.id, "submit", None, None)
    campaigns.update_material(uow, material.id, {"texts": {}}, TEXTS, None)
    campaigns.move_material(uow, material.id, "submit", None, None)
    with pytest.raises(SameReviewer):
        campaigns.move_material(uow, material.id, "publish", None, None)
    with pytest.raises(Conflict):
        campaigns.update_material(uow, material.id, {"kind": "printed"}, {}, None)


def test_a_material_for_a_campaign_that_is_not_there_is_refused_naming_campaign_id(uow):
    with pytest.raises(Invalid) as refused:
        campaigns.create_material(uow, "printed", "no-such-campaign", TEXTS)
    assert refused.value.field == "campaign_id" and uow.events == []


def test_a_media_contact_with_an_accreditation_is_kept_and_refusing_one_needs_a_reason(uow):
    contact = press.add_media_contact(uow, {"name": "Ivan", "outlet": "BNR", "country": "BG", "languages": []},
                                      {"name"})
    accreditation = press.request_accreditation(uow, contact.id, {"event_name": "Days", "valid_from": date(2027, 5, 1),
                                                                  "valid_until": date(2027, 5, 2)}, {})
    with pytest.raises(MissingReason):
        press.move_accreditation(uow, accreditation.id, "refuse", None, None)
    with pytest.raises(Conflict) as refused:
        press.remove_media_contact(uow, contact.id, None)
    assert refused.value.slug == "has-accreditations"


# --- surveys ---

def test_results_with_a_bad_row_import_nothing_and_questions_are_fixed_once_results_are_in(uow):
    survey = surveys.create_survey(uow, {"title": "Twins", "commissioned_from": "Alpha",
                                         "fieldwork_from": date(2027, 2, 1), "fieldwork_until": date(2027, 2, 9)}, {})
    question = {"code": "knows", "text": "Known?", "kind": "single_choice", "options": ["yes", "no"],
                "scale_min": 1, "scale_max": 5}
    surveys.add_question(uow, survey.id, question, {})
    with pytest.raises(BadRows):
        surveys.import_results(uow, survey.id, "respondent_id,knows\nr-1,maybe\n")
    assert surveys.import_results(uow, survey.id, "respondent_id,knows\nr-1,yes\n")[1:] == (1, 1)
    with pytest.raises(Conflict):
        surveys.add_question(uow, survey.id, {**question, "code": "other"}, {})


# --- the registers ---

def test_a_register_keeps_a_persons_name_and_personal_data_out_of_its_audit_record(uow):
    office = registers.add_entry(uow, registers.OFFICES, {"name": "Office", "country": "BG", "city": "Sofia",
                                                          "opened_on": date(2012, 3, 1), "staff_count": 1}, {})
    registers.add_entry(uow, registers.STAFF, {"office_id": office.id, "name": "Petar", "position": "Head",
                                               "employed_from": date(2024, 2, 1), "languages": []},
                        {"office_id": office.id, "name": "Petar", "email": "p@office.example"})
    assert uow.event_types()[-1] == "chancery.outreach.office-staff-member.added.v1"
    assert uow.audits[-1][3] == {"office_id": office.id, "personal_data": ["email", "name"]}


def test_a_register_refuses_a_reference_to_a_record_that_is_not_there_and_returning_a_report_needs_a_reason(uow):
    with pytest.raises(Invalid) as refused:
        registers.add_entry(uow, registers.OFFICE_REPORTS, {"office_id": "nowhere", "period_from": date(2027, 1, 1),
                                                            "period_until": date(2027, 3, 31), "summary": "S"}, {})
    assert refused.value.field == "office_id"
    office = registers.add_entry(uow, registers.OFFICES, {"name": "Office", "country": "BG", "city": "Sofia",
                                                          "opened_on": date(2012, 3, 1), "staff_count": 1}, {})
    report = registers.add_entry(uow, registers.OFFICE_REPORTS, {"office_id": office.id, "summary": "S",
                                                                 "period_from": date(2027, 1, 1),
                                                                 "period_until": date(2027, 3, 31)}, {})
    assert uow.event_types()[-1] == "chancery.outreach.office-report.submitted.v1"
    with pytest.raises(MissingReason):
        registers.move_entry(uow, registers.OFFICE_REPORTS, report.id, "return", "", None)


# --- the timeline and the analytics, from the other services' events ---

VISIT_CONFIRMED = {"id": "event-1", "type": "chancery.visits.visit.confirmed.v1", "time": "2027-03-01T09:30:00Z",
                   "subject": "visit-1", "data": {"id": "visit-1", "partner_id": "partner-1", "status": "confirmed",
                                                  "delegation_name": "Delegation of Sofia", "country": "BG",
                                                  "starts_on": "2027-03-10"}}


def test_an_event_about_a_partner_joins_its_timeline_and_one_about_none_does_not(uow):
    timeline.append_to_timeline(uow, VISIT_CONFIRMED)
    timeline.append_to_timeline(uow, {**VISIT_CONFIRMED, "id": "event-2", "data": {"id": "visit-2"}})
    entries = uow.session.query(TimelineEntry).all()
    assert [(entry.partner_id, entry.title, entry.action) for entry in entries] == [
        ("partner-1", "Delegation of Sofia", "confirmed")]


def test_rebuilding_the_analytics_refolds_the_logged_events_and_records_that_it_did(uow):
    analytics.fold_event(uow, VISIT_CONFIRMED)
    assert analytics.rebuild_analytics(uow) == {"events": 1, "facts": 1}
    assert uow.event_types() == ["chancery.outreach.analytics.rebuilt.v1"]
    assert uow.audits == [("analytics.rebuilt", "analytics", "analytics", {"events": 1, "facts": 1})]
