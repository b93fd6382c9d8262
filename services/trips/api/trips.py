"""The trip request endpoints: thin: parse, call an operation, answer."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.trips.api import trip_schemas as schemas
from services.trips.api.common import APPROVERS, READERS, TRAVEL
from services.trips.api.departments import caller_scope
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
from services.trips.operations.engagements import engagements_during
from services.trips.operations.trips import (
    add_traveller,
    change_traveller,
    draft_trip,
    find_trip,
    move_trip,
    record_refused_decision,
    remove_traveller,
)
from services.trips.operations.trips import update_trip as update
from services.trips.store.departments import readable_trips
from services.trips.store.models import Decision, Destination, Traveller, Trip
from shared.db import grouped, row_as_record, viewer_of, visible_to
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, action_body, if_match
from shared.http.resources import created, idempotent, json_response
from shared.http.views import Resource, blueprint, changes, versioned, within
from shared.http.work import read_only, unit_of_work
from shared.kit.refusals import NotFound

trips_api = blueprint("trips", __name__, "Trip requests abroad and their approval")


def serialize(trip: Trip) -> dict:
    status = TripStatus(trip.status)
    body = {name: getattr(trip, name) for name in (
        "id", "title", "purpose", "department", "destinations", "starts_on", "ends_on", "host", "invitation_id",
        "international_function", "funding", "partner_id", "budget_currency", "travellers", "status",
        "status_reason", "awaiting", "awaiting_department", "travel_order_number", "decisions", "confidentiality",
        "embargoed_until", "need_to_know", "version", "created_by", "created_at", "updated_at")}
    chain = chain_of(trip)
    body.update(countries=countries_of(trip), approval_chain=[step.role for step in chain],
                approval_steps=[{"step": step.role, "department": step.department} for step in chain],
                decision_due_on=decision_due_on(trip.starts_on),
                decision_overdue=decision_overdue(status, trip.starts_on, date.today()),
                allowed_actions=TRIP_LIFECYCLE.allowed_actions(status))
    return schemas.TripOut.model_validate(body, from_attributes=True).model_dump(mode="json")


# A page's parts, read once for the page as rows (a list of trips builds no ORM objects: two thirds of its CPU), from
# the tables' own columns (nor do their statements take the ORM's path). A traveller's passport and documents are
# not shown in a trip: not read.
DESTINATIONS, TRAVELLERS, DECISIONS = (model.__table__.c for model in (Destination, Traveller, Decision))
PARTS = {
    "destinations": select(DESTINATIONS.trip_id, DESTINATIONS.country, DESTINATIONS.city)
    .order_by(DESTINATIONS.position),
    "travellers": select(TRAVELLERS.trip_id, *(TRAVELLERS[name] for name in schemas.TravellerOut.model_fields))
    .order_by(TRAVELLERS.position),
    "decisions": select(DECISIONS.trip_id, *(DECISIONS[name] for name in schemas.DecisionOut.model_fields))
    .order_by(DECISIONS.id),
}


def page_of_trips(session: Session, rows: list) -> list[dict]:
    ids = [row["id"] for row in rows]
    # A decision is taken on a step of the chain fixed at submission, never cleared: a trip never submitted (a
    # draft's page, most often) has none to read.
    among = {"destinations": ids, "travellers": ids, "decisions": [row["id"] for row in rows if row["approval_chain"]]}
    parts = {name: grouped(session, statement, among[name]) for name, statement in PARTS.items()}
    return [serialize(row_as_record(row, **{name: found.get(row["id"], []) for name, found in parts.items()}))
            for row in rows]


def readable(statement: Select, query: schemas.TripQuery) -> Select:
    statement = statement.where(readable_trips(caller_scope()))
    if query.country:
        statement = statement.where(Trip.destinations.any(Destination.country == query.country))
    if query.traveller:
        statement = statement.where(Trip.travellers.any(Traveller.full_name == query.traveller))
    if query.ends_from:
        statement = statement.where(Trip.ends_on >= query.ends_from)
    return statement


TRIPS = Resource(trips_api, "/trips", "trip_id", Trip, schemas.TripOut, READERS, TRAVEL, serialize=serialize)
TRIPS.create("create_trip", "Ask for a trip abroad, for one traveller or a delegation", schemas.TripCreate,
             lambda uow, ids, body: draft_trip(uow, body.model_dump(exclude={"destinations", "travellers"}),
                                               [place.model_dump() for place in body.destinations],
                                               [traveller.model_dump() for traveller in body.travellers],
                                               body.model_dump(mode="json", exclude={"travellers"})))
TRIPS.listing("list_trips", "List trip requests", schemas.TripQuery,
              filters=("status", "department", "created_by", "partner_id", "invitation_id", "awaiting",
                       "awaiting_department"),
              narrow=(readable, within(Trip.starts_on, "starts_from", "starts_until")),
              sortable=("starts_on", "ends_on", "status", "created_at", "title", "department"), order=("-starts_on",),
              page=page_of_trips)
TRIPS.read("get_trip", "Read a trip request", schemas.TripPath,
           lookup=lambda session, trip_id: find_trip(session, trip_id, caller_scope()))
TRIPS.change("update_trip", "Change a draft or returned request (send If-Match)", schemas.TripPath,
             schemas.TripUpdate, changes(update), problems=(404, 409, 412))


@trips_api.post("/trips/<trip_id>/travellers", summary="Add a traveller's part to a draft or returned request",
                responses={201: schemas.TravellerOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_traveller(path: schemas.TripPath, body: schemas.TravellerIn):
    with unit_of_work() as uow:
        trip, traveller = add_traveller(uow, path.trip_id, body.model_dump(), if_match())
        location = f"/api/v1/trips/{trip.id}/travellers/{traveller.id}"
        return created(uow, schemas.TravellerOut.model_validate(traveller).model_dump(mode="json"), location,
                       trip.version)


TRIPS.write("delete", "/trips/<trip_id>/travellers/<traveller_id>", "delete_traveller",
            "Remove a traveller's part (send If-Match)", versioned(remove_traveller), path=schemas.TravellerPath,
            body=None, problems=(404, 409, 412))
TRIPS.write("patch", "/trips/<trip_id>/travellers/<traveller_id>", "update_traveller",
            "Change a traveller's part of a draft or returned request (send If-Match: the trip's version)",
            changes(change_traveller), path=schemas.TravellerPath, body=schemas.TravellerUpdate,
            problems=(404, 409, 412))


def refused_decision(trip_id: str, action: str, error: NotTheApprover | None) -> None:
    """Kept in the audit trail in a transaction of its own: the refused one is rolled back."""
    with unit_of_work() as uow:
        record_refused_decision(uow, trip_id, action, error.step if error else None)


def not_the_approver(error: NotTheApprover) -> Problem:
    awaiting = error.step
    return Problem("not-the-approver", str(error), awaiting=awaiting.role.value if awaiting else None,
                   awaiting_department=awaiting.department if awaiting else None)


def _transition_view(action: str):
    def transition(path: schemas.TripPath, body: TransitionRequest):
        try:
            with unit_of_work() as uow:
                return TRIPS.answer(move_trip(uow, path.trip_id, action, body.reason, if_match(), caller_scope(),
                                              getattr(body, "override_reason", None)))
        except NotTheApprover as error:
            refused_decision(path.trip_id, action, error)
            raise not_the_approver(error) from error
        except NotFound:
            if action in DECIDING_ACTIONS:
                refused_decision(path.trip_id, action, None)
            raise

    transition.__name__ = f"{action.replace('-', '_')}_trip"
    transition.__annotations__["body"] = action_body(
        TRIP_LIFECYCLE, action, schemas.ApprovingRequest if action in APPROVING else TransitionRequest)
    return transition


APPROVING = ("approve", "reopen")  # the actions that may leave a trip approved (decision 0131)
TRANSITION_RESPONSES = {200: schemas.TripOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)}
TRANSITION_SUMMARIES = {
    "submit": "Submit a request for approval; its travellers decide the approval chain",
    "approve": "Approve the step awaiting your role; the last step approves the request (409 when a traveller "
               "has an engagement in visits on its days, unless override_reason says why)",
    "send-back": "Send a request back to its author with comments (reason)",
    "recall": "Take a submitted request back to draft",
    "cancel": "Cancel an open request (reason required)",
    "close": "Close an approved trip after it took place",
    "reopen": "Reopen a closed trip (as approved, checked as approving is) or a cancelled request (as draft); "
              "reason required",
}
for _action in TRIP_LIFECYCLE.transitions:
    trips_api.post(f"/trips/<trip_id>/{_action}", summary=TRANSITION_SUMMARIES[_action],
                   responses=TRANSITION_RESPONSES)(
        allow(*(APPROVERS if _action in DECIDING_ACTIONS else TRAVEL))(_transition_view(_action)))


@trips_api.get("/trips/<trip_id>/coordination",
               summary="Other departments' trips to the same city at overlapping dates, to travel as one delegation",
               responses={200: schemas.CoordinationOut, **problem_responses(404)})
@allow(*READERS)
def get_coordination(path: schemas.TripPath):
    with read_only() as session:
        trip = find_trip(session, path.trip_id, caller_scope())
        found = [schemas.CoordinationMatch(trip_id=other.id, title=other.title, department=other.department,
                                   status=other.status, country=match.country, city=match.city,
                                   starts_on=other.starts_on, ends_on=other.ends_on,
                                   overlap_starts_on=match.overlap_starts_on, overlap_ends_on=match.overlap_ends_on)
                 for other, match in coordination_matches(session, trip, visible_to(Trip, viewer_of(session)))]
        return json_response(schemas.CoordinationOut(trip_id=trip.id, matches=found).model_dump(mode="json"))


@trips_api.get("/trips/<trip_id>/engagements",
               summary="The travellers' engagements in visits on the trip's days, which approving it would pass over "
                       "(decision 0131)",
               responses={200: schemas.EngagementsOut, **problem_responses(404)})
@allow(*READERS)
def get_engagements(path: schemas.TripPath):
    with read_only() as session:
        trip = find_trip(session, path.trip_id, caller_scope())
        found = [schemas.Engagement.model_validate(engagement) for engagement in engagements_during(session, trip)]
        return json_response(schemas.EngagementsOut(trip_id=trip.id, engagements=found).model_dump(mode="json"))
