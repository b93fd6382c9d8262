"""Each traveller's documents: the checklist, the recorded visa, insurance and travel order, and the passport
(personal data: encrypted, masked, reads audited, purged; docs/decisions/0005 and 0025)."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from flask import Response, g
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy.orm import Session

from services.trips.api.schemas import (
    ChecklistOut,
    DocumentIn,
    DocumentLanguage,
    DocumentPath,
    PassportIn,
    PassportOut,
    TravellerPath,
    TripPath,
)
from services.trips.api.trips import (
    BODY_PROBLEMS,
    READERS,
    TRAVEL,
    chain_of,
    countries_of,
    find_trip,
    invalid,
    papers_of,
    trip_missing_documents,
)
from services.trips.domain.documents import (
    DocumentKind,
    DocumentStatus,
    NotWaivable,
    check_waivable,
    checklist,
)
from services.trips.domain.trip import TripStatus
from services.trips.store.models import Traveller, TravellerDocument, Trip
from shared.documents import DocumentTemplates
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import inline_file, json_response, require_fresh
from shared.http.work import audit_personal_data_read, read_only, runtime, unit_of_work
from shared.pii import reveal_or_mask
from shared.uow import UnitOfWork

# Travel staff book visas and tickets with the passport; everyone else sees it masked.
PASSPORT_READERS = ("travel",)
documents_api = APIBlueprint("documents", __name__, url_prefix="/api/v1/trips/<trip_id>",
                             abp_security=[{"bearer": []}], abp_responses=problem_responses(401, 403, 404, 422),
                             abp_tags=[Tag(name="documents", description="Travellers' documents and passports")])


def find_traveller(session: Session, path: TravellerPath) -> tuple[Trip, Traveller]:
    trip = find_trip(session, path.trip_id)
    traveller = next((t for t in trip.travellers if t.id == path.traveller_id), None)
    if traveller is None:
        raise Problem(404, "Not found", f"No traveller {path.traveller_id} on this trip", slug="not-found")
    return trip, traveller


def record_document_event(uow: UnitOfWork, trip: Trip, traveller: Traveller, kind: str, status: str,
                          valid_until, changes: dict) -> None:
    """No personal data: the kind, its state and the trip's partner and country, never a number or a date of birth."""
    uow.session.flush()
    ready = not trip_missing_documents(trip)
    uow.emit("chancery.trips.document.recorded.v1", traveller.id, {
        "trip_id": trip.id, "traveller_id": traveller.id, "kind": kind, "status": status,
        "valid_until": valid_until.isoformat() if valid_until else None, "trip_ready_for_departure": ready,
        "partner_id": trip.partner_id, "country": countries_of(trip)[0]})
    uow.audit(f"document.{kind}.recorded", "traveller", traveller.id, {"trip_id": trip.id, **changes})


@documents_api.get("/documents", summary="The documents checklist of every traveller, with what is missing",
                   responses={200: ChecklistOut})
@allow(*READERS)
def get_checklist(path: TripPath):
    with read_only() as session:
        trip = find_trip(session, path.trip_id)
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
    kind = DocumentKind(path.kind)
    try:
        check_waivable(kind, body.status)
    except NotWaivable as error:
        raise invalid("status", str(error)) from error
    with unit_of_work() as uow:
        trip, traveller = find_traveller(uow.session, path)
        document = next((d for d in traveller.documents if d.kind == kind.value), None)
        if document is None:
            document = TravellerDocument(kind=kind.value, version=0)
            traveller.documents.append(document)
        else:
            require_fresh(document.version)
        document.status, document.valid_until, document.reference = body.status.value, body.valid_until, body.reference
        document.version += 1
        record_document_event(uow, trip, traveller, kind.value, body.status.value, body.valid_until,
                              body.model_dump(mode="json"))
    return get_checklist(path)


@documents_api.put("/travellers/<traveller_id>/passport",
                   summary="Record a traveller's passport (personal data: stored encrypted)",
                   responses={200: PassportOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*TRAVEL)
def put_passport(path: TravellerPath, body: PassportIn):
    with unit_of_work() as uow:
        trip, traveller = find_traveller(uow.session, path)
        traveller.passport_number = body.number
        traveller.passport_expires_on = body.expires_on
        traveller.date_of_birth = body.date_of_birth.isoformat() if body.date_of_birth else None
        record_document_event(uow, trip, traveller, DocumentKind.PASSPORT.value, DocumentStatus.OBTAINED.value,
                              body.expires_on, {"fields": sorted(body.model_dump(exclude_none=True))})
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
        _, traveller = find_traveller(session, path)
        body = passport_view(traveller, may_read)
    if may_read and traveller.passport_number is not None:
        audit_personal_data_read("traveller", traveller.id, ["date_of_birth", "passport_number"])
    return json_response(body)


@cache
def templates(font_dir: Path) -> DocumentTemplates:
    return DocumentTemplates(Path(__file__).resolve().parents[1] / "templates", font_dir)


def final_approvals(trip: Trip) -> list:
    """The approvals of the round that approved the trip (earlier rounds may have ended sent back)."""
    if TripStatus(trip.status) not in (TripStatus.APPROVED, TripStatus.CLOSED):
        return []
    return [d for d in trip.decisions if d.outcome == "approved"][-len(chain_of(trip)):]


def travel_order_context(trip: Trip) -> dict:
    return {
        "number": trip.travel_order_number, "title": trip.title, "purpose": trip.purpose,
        "destinations": "; ".join(f"{d.city}, {d.country}" for d in trip.destinations),
        "starts_on": trip.starts_on, "ends_on": trip.ends_on, "days": (trip.ends_on - trip.starts_on).days + 1,
        "host": trip.host, "international_function": trip.international_function, "funding": trip.funding,
        "travellers": [{"full_name": t.full_name, "job_title": t.job_title, "department": t.department}
                       for t in trip.travellers],
        "decisions": [{"step": d.step, "department": d.department, "decided_by": d.decided_by,
                       "decided_on": d.decided_at.date()}
                      for d in final_approvals(trip)],
        "issued_on": date.today(),
    }


TITLES = {"en": "Travel order", "ru": "Приказ о командировании", "bg": "Заповед за командировка"}


@documents_api.get("/travel-order.pdf", summary="The travel order as PDF, in English, Russian or Bulgarian",
                   responses={200: {"description": "The travel order", "content": {"application/pdf": {}}}})
@allow(*READERS)
def get_travel_order(path: TripPath, query: DocumentLanguage):
    with read_only() as session:
        trip = find_trip(session, path.trip_id)
        context = travel_order_context(trip)
    number = context["number"] or f"draft-{trip.id[:8]}"
    pdf = templates(runtime().settings.font_dir).render_pdf(
        "travel-order", query.language, context, title=f"{TITLES[query.language]} {number}")
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": inline_file(f"travel-order-{number}-{query.language}.pdf")})
