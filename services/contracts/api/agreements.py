"""Cooperation agreements: drafted with their plan of activities, approved by the mayor's office, cleared with the
foreign ministry, signed, amended, terminated; each change an event that outreach's consolidated plan follows
(docs/decisions/0035, 0135). Outreach and the mayor's office read them; procurement writes them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Select

from services.contracts.api import agreement_schemas as schemas
from services.contracts.api.common import MAYOR_OFFICE, PROCUREMENT, READERS, now, own_settings
from services.contracts.domain.agreement import (
    AGREEMENT_LIFECYCLE,
    AgreementStatus,
    allowed_actions,
    days_to_expiry,
    is_expiring,
    is_international,
)
from services.contracts.operations import agreements
from services.contracts.operations.agreements import find_agreement
from services.contracts.store.models import Agreement, AgreementAmendment, AgreementDocument
from shared.http.records import if_match
from shared.http.resources import PageQuery
from shared.http.views import Resource, acting, blueprint, changes

agreements_api = blueprint("agreements", __name__, "Cooperation agreements and their plans of activities")


def serialize(agreement: Agreement) -> dict:
    """The agreement as the API shows it today."""
    status, today = AgreementStatus(agreement.status), now().date()
    international = is_international(agreement.country, own_settings().home_country)
    return schemas.AgreementOut(
        **{name: getattr(agreement, name) for name in schemas.AgreementOut.model_fields if hasattr(agreement, name)
           and name != "activities"},
        activities=[{"id": a.id, "title": a.title, "due_on": a.due_on, "responsible_body": a.responsible_body}
                    for a in agreement.activities],
        expires_in_days=days_to_expiry(agreement.valid_until, today) if status == AgreementStatus.SIGNED else None,
        expiring=is_expiring(status, agreement.valid_until, today, own_settings().agreement_notice_days),
        international=international,
        allowed_actions=allowed_actions(status, international),
    ).model_dump(mode="json")


def activities(items) -> list[dict]:
    return [item.model_dump() for item in items]


def expiring(statement: Select, query: schemas.AgreementQuery) -> Select:
    if query.expiring_within_days is not None:
        today = now().date()
        statement = statement.where(Agreement.status == AgreementStatus.SIGNED.value,
                                    Agreement.valid_until >= today,
                                    Agreement.valid_until <= today + timedelta(days=query.expiring_within_days))
    return statement


AGREEMENTS = Resource(agreements_api, "/agreements", "agreement_id", Agreement, schemas.AgreementOut, READERS,
                      PROCUREMENT, serialize=serialize)
AGREEMENTS.create("draft_agreement", "Draft a cooperation agreement with its plan of activities",
                  schemas.AgreementCreate,
                  lambda uow, ids, body: agreements.draft_agreement(uow, body.model_dump(exclude={"activities"}),
                                                                    activities(body.activities),
                                                                    body.model_dump(mode="json")))
AGREEMENTS.listing("list_agreements", "List agreements; `expiring_within_days` shows expiry ahead",
                   schemas.AgreementQuery,
                   filters=("status", "kind", "country", "partner_id"), narrow=(expiring,), order=("valid_until",),
                   sortable=("valid_until", "valid_from", "signed_on", "country", "partner_name", "created_at"))
AGREEMENTS.read("get_agreement", "Read an agreement with its plan of activities", schemas.AgreementPath)
AGREEMENTS.change("update_agreement", "Change a draft agreement (send If-Match)", schemas.AgreementPath,
                  schemas.AgreementUpdate, changes(agreements.update_agreement), problems=(404, 409, 412))
AGREEMENTS.act("sign", "sign_agreement",
               "Sign the agreement with its plan of activities, once approved (and cleared, with a partner abroad)",
               schemas.AgreementPath, acting(agreements.sign_agreement, "signed_on", "signatories"),
               body=schemas.SignRequest)
AGREEMENTS.act("clear", "clear_agreement",
               "Record the foreign ministry's clearance of an approved agreement with a partner abroad",
               schemas.AgreementPath, acting(agreements.clear_agreement, "cleared_on", "reference"),
               body=schemas.ClearanceRequest)
AGREEMENTS.transitions(schemas.AgreementPath, agreements.move_agreement, AGREEMENT_LIFECYCLE,
                       {"submit": "Submit a draft agreement to the mayor's office for approval",
                        "terminate": "Terminate a signed agreement, with a reason",
                        "cancel": "Cancel an agreement not yet signed, with a reason"},
                       actions=("submit", "terminate", "cancel"))
AGREEMENTS.transitions(schemas.AgreementPath, agreements.move_agreement, AGREEMENT_LIFECYCLE,
                       {"approve": "Approve a submitted agreement (the mayor's office)",
                        "send-back": "Send a submitted agreement back to draft, with a reason (the mayor's office)"},
                       actions=("approve", "send-back"), roles=MAYOR_OFFICE)

AMENDMENTS = Resource(agreements_api, "/agreements/<agreement_id>/amendments", "amendment_id", AgreementAmendment,
                      schemas.AgreementAmendmentOut, READERS, PROCUREMENT)
AMENDMENTS.create("amend_agreement",
                  "Amend a signed agreement (validity, areas, plan of activities), with the rationale",
                  schemas.AgreementAmendmentCreate,
                  lambda uow, ids, body: agreements.amend_agreement(
                      uow, *ids, body.rationale, body.valid_until, body.areas,
                      None if body.activities is None else activities(body.activities), if_match()),
                  path=schemas.AgreementPath, problems=(404, 409, 412))
AMENDMENTS.listing("list_agreement_amendments", "List an agreement's amendments", PageQuery, path=schemas.AgreementPath,
                   parent=find_agreement, sortable=("amended_at",), order=("amended_at",))

DOCUMENTS = Resource(agreements_api, "/agreements/<agreement_id>/documents", "document_id", AgreementDocument,
                     schemas.AgreementDocumentOut, READERS, PROCUREMENT)
DOCUMENTS.create("add_agreement_document", "Attach a document to an agreement", schemas.AgreementDocumentCreate,
                 lambda uow, ids, body: agreements.add_document(uow, *ids, {
                     "title": body.title, "url": str(body.url), "language": body.language},
                     body.model_dump(mode="json")), path=schemas.AgreementPath, problems=(404,))
DOCUMENTS.listing("list_agreement_documents", "List an agreement's documents", PageQuery, path=schemas.AgreementPath,
                  parent=find_agreement, sortable=("added_at",), order=("added_at",))
