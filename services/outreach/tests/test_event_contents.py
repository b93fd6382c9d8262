"""Every record type outreach publishes, built from a real record by its function in events/contents.py and
checked against its JSON Schema: a schema and its builder that disagree fail here."""

from datetime import date
from decimal import Decimal

import pytest

from services.outreach.api.registers import RESOURCES
from services.outreach.app import SPEC
from services.outreach.operations import analytics, campaigns, partners, plan, plan_versions, press, registers, surveys
from shared.config import load_settings
from shared.pii import install_keys
from shared.testing import RecordingUnitOfWork

EXAMPLES = {resource.record: resource.create.model_config["json_schema_extra"]["examples"][0] for resource in RESOURCES}


@pytest.fixture
def uow():
    install_keys(load_settings("outreach"))  # contact people's e-mail and phone are stored encrypted
    return RecordingUnitOfWork(SPEC, actor="olga", roles=frozenset({"outreach"}))


def register_entry(uow, entries, **references):
    resource = next(resource for resource in RESOURCES if resource.register is entries)
    body = resource.create.model_validate({**EXAMPLES[entries.record], **references})
    values = {name: value for name, value in body.model_dump(mode="json").items()}
    values.update({name: getattr(body, name) for name in values if isinstance(getattr(body, name), date)})
    values.update({name: f"{value:.2f}" for name, value in body.model_dump().items() if isinstance(value, Decimal)})
    return registers.add_entry(uow, entries, values, body.model_dump(mode="json"))


def record_every_type(uow):
    partner = partners.add_partner(uow, {"kind": "capital", "name": "Sofia", "names": [], "country": "BG"}, {})
    partners.establish_relationship(uow, partner.id, {"type": "twin_city", "established_on": date(1967, 5, 24)}, {})
    partners.add_partner_contact(uow, partner.id, {"name": "Maria Petrova", "languages": ["bg"]}, {"name"})
    item = plan.create_item(uow, {"activity": "Sofia Days", "responsible_body": "Culture", "due_on": date(2027, 5, 1),
                                  "budget_currency": "EUR"}, Decimal("1250.00"), {})
    plan_versions.submit_version(uow, item.year, None)
    campaign = campaigns.create_campaign(uow, {"title": "Twinning", "goals": "Known", "audiences": ["students"],
                                               "channels": ["press"], "starts_on": date(2027, 4, 1),
                                               "ends_on": date(2027, 6, 30)}, {})
    campaigns.create_material(uow, "press_release", campaign.id, {"en": {"title": "Sofia Days", "body": "Open"}})
    contact = press.add_media_contact(uow, {"name": "Ivan", "outlet": "BNR", "country": "BG", "languages": ["bg"]},
                                      {"name"})
    press.request_accreditation(uow, contact.id, {"event_name": "Sofia Days", "valid_from": date(2027, 5, 1),
                                                  "valid_until": date(2027, 5, 2)}, {})
    survey = surveys.create_survey(uow, {"title": "Twin towns", "commissioned_from": "Alpha",
                                         "fieldwork_from": date(2027, 2, 1), "fieldwork_until": date(2027, 2, 14)}, {})
    surveys.add_question(uow, survey.id, {"code": "knows_twin", "text": "Known?", "kind": "single_choice",
                                          "options": ["yes", "no"], "scale_min": 1, "scale_max": 5}, {})
    surveys.import_results(uow, survey.id, "respondent_id,knows_twin\nr-1,yes\n")
    analytics.rebuild_analytics(uow)
    organisation = register_entry(uow, registers.ORGANISATIONS)
    office = register_entry(uow, registers.OFFICES)
    programme = register_entry(uow, registers.PROGRAMMES)
    enterprise = register_entry(uow, registers.ENTERPRISES)
    register_entry(uow, registers.MISSIONS)
    register_entry(uow, registers.MEMBERSHIPS, organisation_id=organisation.id)
    register_entry(uow, registers.OFFICE_REPORTS, office_id=office.id)
    register_entry(uow, registers.SOCIETIES)
    register_entry(uow, registers.ORGANISATION_CONTACTS, society_id=None, office_id=office.id)
    register_entry(uow, registers.STAFF, office_id=office.id)
    register_entry(uow, registers.PARTICIPANTS, programme_id=programme.id)
    participants = EXAMPLES["export-event"]["participants"]
    register_entry(uow, registers.EXPORT_EVENTS, participants=[{**participants[0], "enterprise_id": enterprise.id}])


def test_every_record_type_of_the_catalog_is_built_from_its_record_as_its_schema_says(uow):
    record_every_type(uow)
    for event_type, _, data in uow.events:
        SPEC.catalog.validate(event_type, data)
    recorded = {event_type.split(".")[2] for event_type in uow.event_types()}
    assert recorded == {event_type.split(".")[2] for event_type in SPEC.catalog.types}
    assert "chancery.outreach.survey.results-imported.v1" in uow.event_types()


def test_a_plan_item_is_announced_with_its_budget_as_an_exact_amount_and_dates_as_iso_days(uow):
    plan.create_item(uow, {"activity": "Fair", "responsible_body": "Economy", "due_on": date(2027, 9, 1),
                           "budget_currency": "EUR"}, Decimal("1250.5"), {})
    _, _, data = uow.events[0]
    assert (data["budget_amount"], data["due_on"], data["status"]) == ("1250.50", "2027-09-01", "planned")
