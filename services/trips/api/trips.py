"""The trip request endpoints: thin: parse, call an operation, answer."""

from __future__ import annotations

from datetime import date

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from services.trips.api.common import APPROVERS, READERS, TRAVEL
from services.trips.api.departments import caller_scope
from services.trips.api.trip_schemas import (
    CoordinationMatch,
    CoordinationOut,
    TravellerIn,
    TravellerOut,
    TravellerPath,
    TripCreate,
    TripOut,
    TripPath,
    TripQuery,
    TripUpdate,
)
from services.trips.domain.trip import (
    DECIDING_ACTIONS,
    TRIP_LIFECYCLE,
    NotTheApprover,
    TripStatus,
    chain_of,
    countries_of,
    decision_due_on,
    decision_overdue,
)
from services.trips.operations.coordination import coordination_matches
from services.trips.operations.trips import (
    add_traveller,
    draft_trip,
    find_trip,
    move_trip,
    record_refused_decision,
    remove_traveller,
)
from services.trips.operations.trips import update_trip as update
from services.trips.store.departments import readable_trips
from services.trips.store.models import Destination, Traveller, Trip
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, if_match, record_response
from shared.http.resources import Page, created, idempotent, json_response, paginate, sort_by, where_set
from shared.http.work import read_only, unit_of_work
from shared.kit.refusals import NotFound

trips_api = APIBlueprint("trips", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                         abp_responses=problem_responses(401, 403, 422),
                         abp_tags=[Tag(name="trips", description="Trip requests abroad and their approval")])


def serialize(trip: Trip) -> dict:
    status = TripStatus(trip.status)
    body = {name: getattr(trip, name) for name in (
        "id", "title", "purpose", "department", "destinations", "starts_on", "ends_on", "host", "invitation_id",
        "international_function", "funding", "partner_id", "budget_currency", "travellers", "status",
        "status_reason", "awaiting", "awaiting_department", "travel_order_number", "decisions", "version",
        "created_by", "created_at", "updated_at")}
    chain = chain_of(trip)
    body.update(countries=countries_of(trip), approval_chain=[step.role for step in chain],
                approval_steps=[{"step": step.role, "department": step.department} for step in chain],
                decision_due_on=decision_due_on(trip.starts_on),
                decision_overdue=decision_overdue(status, trip.starts_on, date.today()),
                allowed_actions=TRIP_LIFECYCLE.allowed_actions(status))
    return TripOut.model_validate(body, from_attributes=True).model_dump(mode="json")


def trip_response(trip: Trip) -> Response:
    return record_response(serialize(trip), trip.version)


@trips_api.post("/trips", summary="Ask for a trip abroad, for one traveller or a delegation",
                responses={201: TripOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_trip(body: TripCreate):
    with unit_of_work() as uow:
        trip = draft_trip(uow, body.model_dump(exclude={"destinations", "travellers"}),
                          [place.model_dump() for place in body.destinations],
                          [traveller.model_dump() for traveller in body.travellers],
                          body.model_dump(mode="json", exclude={"travellers"}))
        return created(uow, serialize(trip), f"/api/v1/trips/{trip.id}", trip.version)


@trips_api.get("/trips", summary="List trip requests", responses={200: Page[TripOut]})
@allow(*READERS)
def list_trips(query: TripQuery):
    # A list shows no traveller's documents: not loading them saves a query per page.
    statement = (select(Trip).where(readable_trips(caller_scope()))
                 .options(selectinload(Trip.travellers).options(lazyload(Traveller.documents))))
    statement = where_set(statement, Trip, query,
                          ("status", "department", "partner_id", "invitation_id", "awaiting", "awaiting_department"))
    if query.country:
        statement = statement.where(Trip.destinations.any(Destination.country == query.country))
    if query.starts_from:
        statement = statement.where(Trip.starts_on >= query.starts_from)
    if query.starts_until:
        statement = statement.where(Trip.starts_on <= query.starts_until)
    statement = sort_by(statement, query.sort, Trip,
                        ("starts_on", "ends_on", "status", "created_at", "title", "department"),
                        [Trip.starts_on.desc(), Trip.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@trips_api.get("/trips/<trip_id>", summary="Read a trip request", responses={200: TripOut, **problem_responses(404)})
@allow(*READERS)
def get_trip(path: TripPath):
    with read_only() as session:
        return trip_response(find_trip(session, path.trip_id, caller_scope()))


@trips_api.patch("/trips/<trip_id>", summary="Change a draft or returned request (send If-Match)",
                 responses={200: TripOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
def update_trip(path: TripPath, body: TripUpdate):
    with unit_of_work() as uow:
        trip = update(uow, path.trip_id, body.model_dump(exclude_unset=True),
                      body.model_dump(mode="json", exclude_unset=True), if_match())
        return trip_response(trip)


@trips_api.post("/trips/<trip_id>/travellers", summary="Add a traveller's part to a draft or returned request",
                responses={201: TravellerOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_traveller(path: TripPath, body: TravellerIn):
    with unit_of_work() as uow:
        trip, traveller = add_traveller(uow, path.trip_id, body.model_dump(), if_match())
        location = f"/api/v1/trips/{trip.id}/travellers/{traveller.id}"
        return created(uow, TravellerOut.model_validate(traveller).model_dump(mode="json"), location, trip.version)


@trips_api.delete("/trips/<trip_id>/travellers/<traveller_id>", summary="Remove a traveller's part (send If-Match)",
                  responses={200: TripOut, **problem_responses(404, 409, 412)})
@allow(*TRAVEL)
def delete_traveller(path: TravellerPath):
    with unit_of_work() as uow:
        return trip_response(remove_traveller(uow, path.trip_id, path.traveller_id, if_match()))


def refused_decision(trip_id: str, action: str, error: NotTheApprover | None) -> None:
    """Kept in the audit trail in a transaction of its own: the refused one is rolled back."""
    with unit_of_work() as uow:
        record_refused_decision(uow, trip_id, action, error.step if error else None)


def not_the_approver(error: NotTheApprover) -> Problem:
    awaiting = error.step
    return Problem("not-the-approver", str(error), awaiting=awaiting.role.value if awaiting else None,
                   awaiting_department=awaiting.department if awaiting else None)


def _transition_view(action: str):
    def transition(path: TripPath, body: TransitionRequest):
        try:
            with unit_of_work() as uow:
                return trip_response(move_trip(uow, path.trip_id, action, body.reason, if_match(), caller_scope()))
        except NotTheApprover as error:
            refused_decision(path.trip_id, action, error)
            raise not_the_approver(error) from error
        except NotFound:
            if action in DECIDING_ACTIONS:
                refused_decision(path.trip_id, action, None)
            raise

    transition.__name__ = f"{action.replace('-', '_')}_trip"
    return transition


TRANSITION_RESPONSES = {200: TripOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)}
TRANSITION_SUMMARIES = {
    "submit": "Submit a request for approval; its travellers decide the approval chain",
    "approve": "Approve the step awaiting your role; the last step approves the request",
    "send-back": "Send a request back to its author with comments (reason)",
    "recall": "Take a submitted request back to draft",
    "cancel": "Cancel an open request (reason required)",
    "close": "Close an approved trip after it took place",
    "reopen": "Reopen a closed trip (as approved) or a cancelled request (as draft); reason required",
}
for _action in TRIP_LIFECYCLE.transitions:
    trips_api.post(f"/trips/<trip_id>/{_action}", summary=TRANSITION_SUMMARIES[_action],
                   responses=TRANSITION_RESPONSES)(
        allow(*(APPROVERS if _action in DECIDING_ACTIONS else TRAVEL))(_transition_view(_action)))


@trips_api.get("/trips/<trip_id>/coordination",
               summary="Other departments' trips to the same city at overlapping dates, to travel as one delegation",
               responses={200: CoordinationOut, **problem_responses(404)})
@allow(*READERS)
def get_coordination(path: TripPath):
    with read_only() as session:
        trip = find_trip(session, path.trip_id, caller_scope())
        found = [CoordinationMatch(trip_id=other.id, title=other.title, department=other.department,
                                   status=other.status, country=match.country, city=match.city,
                                   starts_on=other.starts_on, ends_on=other.ends_on,
                                   overlap_starts_on=match.overlap_starts_on, overlap_ends_on=match.overlap_ends_on)
                 for other, match in coordination_matches(session, trip)]
        return json_response(CoordinationOut(trip_id=trip.id, matches=found).model_dump(mode="json"))
