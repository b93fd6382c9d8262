"""Every record type's event contents, built from real records by `events/contents.py`, validate against the
record's JSON Schema: a schema and its builder that disagree fail here, not in production."""

from datetime import date

from services.contracts.app import SPEC
from services.contracts.events import ACTIONS
from services.contracts.operations import agreements, commitments, contracts, tenders
from services.contracts.tests.procurement_story import (
    active_contract,
    eur,
    open_commitment,
    published_tender,
    signed_agreement,
)


def record_one_change_of_every_record_type(uow, clock):
    tender = published_tender(uow)
    tenders.add_document(uow, tender.id, {"document_type": "tenderNotice", "title": "Notice",
                                          "url": "https://example.org/notice.pdf", "language": "en"}, {})
    enquiry = tenders.ask_question(uow, tender.id, None, "Is parking included?", {})
    tenders.answer_question(uow, tender.id, enquiry.id, "Yes, a hundred places.", {}, None)
    contract = active_contract(uow, clock)
    milestone, _ = contracts.schedule_milestone(uow, contract.id, {
        "title": "Venue booked", "milestone_type": "payment", "due_on": date(2027, 6, 1)}, eur("1000.00"), {})
    contracts.record_payment(uow, contract.id, {"milestone_id": milestone.id, "paid_on": date(2027, 3, 2),
                                                "reference": "PO-1"}, eur("1000.00"), {})
    agreement = signed_agreement(uow)
    agreements.add_document(uow, agreement.id, {"title": "Signed text", "url": "https://example.org/a.pdf",
                                                "language": "fr"}, {})
    commitments.fulfil_commitment(uow, open_commitment(uow).id, "Grid connected", date(2027, 5, 1), {}, None)


def test_every_record_type_of_the_catalog_has_events_whose_contents_validate_against_its_schema(uow, clock):
    record_one_change_of_every_record_type(uow, clock)
    for event_type, _, data in uow.events:
        SPEC.catalog.validate(event_type, data)
    assert {event_type.split(".")[2] for event_type in uow.event_types()} == set(ACTIONS)
