"""Each traveller's documents: the checklist, the recorded visa, insurance and travel order, and the passport
(personal data: encrypted, masked, reads audited, purged; docs/decisions/0005 and 0025)."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from flask import Response, g
from flask_openapi3 import Tag

from services.trips.api.common import PASSPORT_READERS, READERS, TRAVEL
from services.trips.api.departments import caller_scope
from services.trips.api.document_schemas import (
    ChecklistOut,
    DocumentIn,
    DocumentLanguage,
    DocumentPath,
    PassportIn,
    PassportOut,
)
from services.trips.api.trip_schemas import TravellerPath, TripPath
from services.trips.domain.documents import DocumentKind, checklist
from services.trips.operations.documents import record_document, record_passport, travel_order_context
from services.trips.operations.trips import find_traveller, find_trip, papers_of, trip_missing_documents
from services.trips.store.models import Traveller
from shared.documents import DocumentTemplates
from shared.http.auth import allow
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match
from shared.http.resources import inline_file, json_response
from shared.http.work import audit_personal_data_read, read_only, runtime, unit_of_work
from shared.pii import reveal_or_mask

documents_api = LazyDocBlueprint("documents", __name__, url_prefix="/api/v1/trips/<trip_id>",
                                 abp_security=[{"bearer": []}], abp_responses=problem_responses(401, 403, 404, 422),
                                 abp_tags=[Tag(name="documents", description="Travellers' documents and passports")])


@documents_api.get("/documents", summary="The documents checklist of every traveller, with what is missing",
                   responses={200: ChecklistOut})
@allow(*READERS)
def get_checklist(path: TripPath):
    with read_only() as session:
        trip = find_trip(session, path.trip_id, caller_scope())
        travellers = [{"traveller_id": t.id, "full_name": t.full_name,
                       "items": [item.__dict__ for item in checklist(papers_of(t), trip.ends_on)]}
                      for t in trip.travellers]
        body = ChecklistOut(trip_id=trip.id, ready_for_departure=not trip_missing_documents(trip),
                            travellers=travellers)
        return json_response(body.model_dump(mode="json"))


@documents_api.put("/travellers/<traveller_id>/documents/<kind>",
                   summary="Record a traveller's visa, insurance or travel order (If-Match on an existing record)",
                   responses={200: ChecklistOut, **problem_responses(412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
def put_document(path: DocumentPath, body: DocumentIn):
    with unit_of_work() as uow:
        record_document(uow, path.trip_id, path.traveller_id, DocumentKind(path.kind), body.model_dump(),
                        body.model_dump(mode="json"), if_match())
    return get_checklist(path)


@documents_api.put("/travellers/<traveller_id>/passport",
                   summary="Record a traveller's passport (personal data: stored encrypted)",
                   responses={200: PassportOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*TRAVEL)
def put_passport(path: TravellerPath, body: PassportIn):
    with unit_of_work() as uow:
        traveller = record_passport(uow, path.trip_id, path.traveller_id, body.number, body.expires_on,
                                    body.date_of_birth)
        return json_response(passport_view(traveller, may_read=True))


def passport_view(traveller: Traveller, may_read: bool) -> dict:
    return PassportOut(traveller_id=traveller.id, number=reveal_or_mask(traveller.passport_number, may_read),
                       expires_on=traveller.passport_expires_on,
                       date_of_birth=reveal_or_mask(traveller.date_of_birth, may_read),
                       masked=not may_read).model_dump(mode="json")


@documents_api.get("/travellers/<traveller_id>/passport",
                   summary="Read a traveller's passport: travel staff see it (and the read is audited), others masked",
                   responses={200: PassportOut})
@allow(*READERS)
def get_passport(path: TravellerPath):
    may_read = g.principal.has_any(PASSPORT_READERS)
    with read_only() as session:
        traveller = find_traveller(find_trip(session, path.trip_id, caller_scope()), path.traveller_id)
        body = passport_view(traveller, may_read)
    if may_read and traveller.passport_number is not None:
        audit_personal_data_read("traveller", traveller.id, ["date_of_birth", "passport_number"])
    return json_response(body)


@cache
def templates(font_dir: Path) -> DocumentTemplates:
    return DocumentTemplates(Path(__file__).resolve().parents[1] / "templates", font_dir)


TITLES = {"en": "Travel order", "ru": "Приказ о командировании", "bg": "Заповед за командировка"}


@documents_api.get("/travel-order.pdf", summary="The travel order as PDF, in English, Russian or Bulgarian",
                   responses={200: {"description": "The travel order", "content": {"application/pdf": {}}}})
@allow(*READERS)
def get_travel_order(path: TripPath, query: DocumentLanguage):
    with read_only() as session:
        trip = find_trip(session, path.trip_id, caller_scope())
        context = travel_order_context(trip, date.today())
    number = context["number"] or f"draft-{trip.id[:8]}"
    pdf = templates(runtime().settings.font_dir).render_pdf(
        "travel-order", query.language, context, title=f"{TITLES[query.language]} {number}")
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": inline_file(f"travel-order-{number}-{query.language}.pdf")})
