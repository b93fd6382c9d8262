"""The trip request endpoints: thin: parse, call the domain, answer."""

from __future__ import annotations

from datetime import date

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload, selectinload

from services.trips.api.coordination import announce_coordination, coordination_matches
from services.trips.api.departments import readable_trips
from services.trips.api.schemas import (
    CoordinationMatch,
    CoordinationOut,
    TransitionRequest,
    TravellerIn,
    TravellerOut,
    TravellerPath,
    TripCreate,
    TripOut,
    TripPath,
    TripQuery,
    TripUpdate,
)
from services.trips.domain.documents import DocumentKind, DocumentStatus, Papers, Recorded, missing_documents
from services.trips.domain.trip import (
    DECIDING_ACTIONS,
    EVENT_ACTION,
    STEP_APPROVED,
    TRANSITIONS,
    TRAVEL_ORDER_REGISTRY,
    ApprovalStep,
    Approver,
    IllegalTransition,
    InvalidDates,
    MissingReason,
    NotEditable,
    NoTravellers,
    NotTheApprover,
    Step,
    TravellerCategory,
    TripStatus,
    allowed_actions,
    approval_chain,
    check_dates,
    check_editable,
    decide,
    decision_due_on,
    decision_overdue,
    next_status,
    travel_order_number,
)
from services.trips.store.models import Decision, Destination, Traveller, Trip, registry
from shared.db import utcnow
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, etag, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.registry import next_in_registry
from shared.uow import UnitOfWork

TRAVEL = ("travel",)
APPROVERS = ("department-head", "mayor-office")
READERS = ("travel", *APPROVERS)
BODY_PROBLEMS = (400, 413, 415)
trips_api = APIBlueprint("trips", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                         abp_responses=problem_responses(401, 403, 422),
                         abp_tags=[Tag(name="trips", description="Trip requests abroad and their approval")])


def travellers_of(trip: Trip) -> list[tuple[TravellerCategory, str]]:
    return [(TravellerCategory(traveller.category), traveller.department) for traveller in trip.travellers]


def chain_of(trip: Trip) -> list[Step]:
    """The chain fixed at submission: its roles are stored, and a staff step's departments are those of the
    travellers, which cannot change while the request is submitted or decided."""
    roles = {ApprovalStep(role) for role in trip.approval_chain.split(",") if role}
    if not roles or not trip.travellers:
        return []
    return [step for step in approval_chain(travellers_of(trip)) if step.role in roles]


def awaiting_of(trip: Trip) -> Step | None:
    return Step(ApprovalStep(trip.awaiting), trip.awaiting_department) if trip.awaiting else None


def countries_of(trip: Trip) -> list[str]:
    return list(dict.fromkeys(destination.country for destination in trip.destinations))


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
                allowed_actions=allowed_actions(status))
    return TripOut.model_validate(body, from_attributes=True).model_dump(mode="json")


def event_data(trip: Trip) -> dict:
    body = serialize(trip)
    data = {name: body[name] for name in (
        "id", "title", "department", "countries", "destinations", "starts_on", "ends_on", "host", "invitation_id",
        "international_function", "funding", "partner_id", "status", "status_reason", "approval_chain",
        "awaiting", "awaiting_department", "travel_order_number", "version")}
    categories = dict.fromkeys(traveller["category"] for traveller in body["travellers"])
    return {**data, "country": body["countries"][0], "traveller_count": len(body["travellers"]),
            "traveller_categories": list(categories)}


def emit(uow: UnitOfWork, trip: Trip, action: str, changes: dict) -> None:
    uow.session.flush()
    uow.emit(f"chancery.trips.trip.{action}.v1", trip.id, event_data(trip))
    uow.audit(f"trip.{action}", "trip", trip.id, changes)
    if action in ("created", "updated", "reopened"):  # where a trip's city, dates or department may change
        announce_coordination(uow, trip)


def papers_of(traveller: Traveller) -> Papers:
    recorded = {DocumentKind(d.kind): Recorded(DocumentStatus(d.status), d.valid_until) for d in traveller.documents}
    return Papers(traveller.id, traveller.passport_number is not None, traveller.passport_expires_on, recorded)


def trip_missing_documents(trip: Trip) -> list[dict[str, str]]:
    return missing_documents([papers_of(traveller) for traveller in trip.travellers], trip.ends_on)


def find_trip(session: Session, trip_id: str) -> Trip:
    """The trip, if the caller may read it: another department's is 404 to a department head (decision 0080)."""
    trip = session.scalar(select(Trip).where(Trip.id == trip_id, readable_trips()))
    if trip is None:
        raise Problem(404, "Not found", f"No trip request {trip_id}", slug="not-found")
    return trip


def trip_response(trip: Trip, status: int = 200):
    return json_response(serialize(trip), status, {"ETag": etag(trip.version)})


def invalid(field: str, message: str) -> Problem:
    return Problem(422, "The request is not valid", message, slug="validation",
                   errors=[{"field": field, "message": message}])


def conflict(error: Exception, status: TripStatus) -> Problem:
    return Problem(409, "Transition not allowed", str(error), slug="illegal-transition",
                   allowed_actions=allowed_actions(status))


def require_editable(trip: Trip) -> None:
    try:
        check_editable(TripStatus(trip.status))
    except NotEditable as error:
        raise conflict(error, error.status) from error


def add_traveller(trip: Trip, traveller: dict) -> Traveller:
    position = max((existing.position for existing in trip.travellers), default=0) + 1
    row = Traveller(**traveller, position=position)
    trip.travellers.append(row)
    return row


def destinations(places: list[dict]) -> list[Destination]:
    return [Destination(position=index, country=place["country"], city=place["city"])
            for index, place in enumerate(places)]


def draft_trip(uow: UnitOfWork, fields: dict, places: list[dict], travellers: list[dict], changes: dict) -> Trip:
    """A new draft request with its event and audit record: from staff, a decided proposal or an invitation."""
    # A new trip has no decisions: saying so spares its serialisation a lazy load (a query) of them.
    trip = Trip(**fields, destinations=destinations(places), decisions=[], status=TripStatus.DRAFT.value,
                version=1, created_by=uow.actor)
    for traveller in travellers:
        add_traveller(trip, traveller)
    uow.session.add(trip)
    emit(uow, trip, "created", changes)
    return trip


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
    statement = (select(Trip).where(readable_trips())
                 .options(selectinload(Trip.travellers).options(lazyload(Traveller.documents))))
    for name in ("status", "department", "partner_id", "invitation_id", "awaiting", "awaiting_department"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(Trip, name) == value)
    if query.country:
        statement = statement.where(Trip.destinations.any(Destination.country == query.country))
    if query.starts_from:
        statement = statement.where(Trip.starts_on >= query.starts_from)
    if query.starts_until:
        statement = statement.where(Trip.starts_on <= query.starts_until)
    sortable = {name: getattr(Trip, name) for name in ("starts_on", "ends_on", "status", "created_at", "title",
                                                       "department")}
    statement = apply_sort(statement, query.sort, sortable, [Trip.starts_on.desc(), Trip.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@trips_api.get("/trips/<trip_id>", summary="Read a trip request", responses={200: TripOut, **problem_responses(404)})
@allow(*READERS)
def get_trip(path: TripPath):
    with read_only() as session:
        return trip_response(find_trip(session, path.trip_id))


@trips_api.patch("/trips/<trip_id>", summary="Change a draft or returned request (send If-Match)",
                 responses={200: TripOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
def update_trip(path: TripPath, body: TripUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        trip = find_trip(uow.session, path.trip_id)
        require_fresh(trip.version)
        if not changes:
            return trip_response(trip)  # nothing changed: no new version, event or audit record
        require_editable(trip)
        for name, value in changes.items():
            if name == "destinations":
                trip.destinations = destinations(value)
            else:
                setattr(trip, name, value)
        try:
            check_dates(trip.starts_on, trip.ends_on)
        except InvalidDates as error:
            raise invalid("ends_on", str(error)) from error
        trip.version += 1
        emit(uow, trip, "updated", body.model_dump(mode="json", exclude_unset=True))
        return trip_response(trip)


@trips_api.post("/trips/<trip_id>/travellers", summary="Add a traveller's part to a draft or returned request",
                responses={201: TravellerOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_traveller(path: TripPath, body: TravellerIn):
    with unit_of_work() as uow:
        trip = find_trip(uow.session, path.trip_id)
        require_fresh(trip.version)
        require_editable(trip)
        traveller = add_traveller(trip, body.model_dump())
        trip.version += 1
        emit(uow, trip, "updated", {"travellers": {"added": traveller.full_name}})
        location = f"/api/v1/trips/{trip.id}/travellers/{traveller.id}"
        return created(uow, TravellerOut.model_validate(traveller).model_dump(mode="json"), location, trip.version)


@trips_api.delete("/trips/<trip_id>/travellers/<traveller_id>", summary="Remove a traveller's part (send If-Match)",
                  responses={200: TripOut, **problem_responses(404, 409, 412)})
@allow(*TRAVEL)
def delete_traveller(path: TravellerPath):
    with unit_of_work() as uow:
        trip = find_trip(uow.session, path.trip_id)
        require_fresh(trip.version)
        traveller = next((t for t in trip.travellers if t.id == path.traveller_id), None)
        if traveller is None:
            raise Problem(404, "Not found", f"No traveller {path.traveller_id} on this trip", slug="not-found")
        require_editable(trip)
        trip.travellers.remove(traveller)
        trip.version += 1
        emit(uow, trip, "updated", {"travellers": {"removed": traveller.full_name}})
        return trip_response(trip)


def require_documents(trip: Trip) -> None:
    """An international trip is approved for departure only with every traveller's documents in order."""
    missing = trip_missing_documents(trip)
    if missing:
        raise Problem(409, "Documents missing", "The travellers' documents are not in order; see missing_documents",
                      slug="documents-missing", missing_documents=missing,
                      allowed_actions=allowed_actions(TripStatus(trip.status)))


def _apply(uow: UnitOfWork, trip: Trip, action: str, reason: str | None) -> str:
    """Move the request along; the event action it leads to."""
    status = TripStatus(trip.status)
    if action in DECIDING_ACTIONS:
        awaiting = awaiting_of(trip)
        target, next_step = decide(status, action, chain_of(trip), awaiting, Approver(uow.roles, uow.department),
                                   reason)
        if target == TripStatus.APPROVED:
            require_documents(trip)
        trip.decisions.append(Decision(step=trip.awaiting, department=trip.awaiting_department, comments=reason,
                                       outcome="approved" if action == "approve" else "sent-back",
                                       decided_by=uow.actor))
        await_step(trip, next_step)
        trip.status = target.value
        return STEP_APPROVED if next_step else EVENT_ACTION[action]
    target = next_status(status, action, reason)
    if action == "submit":
        chain = approval_chain(travellers_of(trip))
        trip.approval_chain = ",".join(dict.fromkeys(step.role.value for step in chain))
        await_step(trip, chain[0])
        register_travel_order(uow, trip)
    elif target != TripStatus.SUBMITTED:
        await_step(trip, None)
    trip.status = target.value
    return EVENT_ACTION[action]


def register_travel_order(uow: UnitOfWork, trip: Trip) -> None:
    """The first submission registers the travel order: the next number of the year, kept ever after."""
    if trip.travel_order_number is None:
        year = utcnow().year
        trip.travel_order_number = travel_order_number(year, next_in_registry(uow.session, registry,
                                                                              TRAVEL_ORDER_REGISTRY, year))


def await_step(trip: Trip, step: Step | None) -> None:
    trip.awaiting = step.role.value if step else None
    trip.awaiting_department = step.department if step else None


def audit_refused_decision(trip_id: str, action: str, awaiting: Step | None) -> None:
    """A decision by someone the awaited step is not for is kept in the audit trail, also when the trip is
    another department's and so answered 404 (decision 0080)."""
    with unit_of_work() as uow:
        if uow.session.get(Trip, trip_id) is not None:
            uow.audit("trip.decision-refused", "trip", trip_id, {
                "action": action, "awaiting": awaiting.role.value if awaiting else None,
                "awaiting_department": awaiting.department if awaiting else None,
                "actor_department": uow.department})


def refuse_decision(trip_id: str, action: str, error: NotTheApprover) -> Problem:
    awaiting = error.step
    audit_refused_decision(trip_id, action, awaiting)
    return Problem(403, "Not your step", str(error), slug="not-the-approver",
                   awaiting=awaiting.role.value if awaiting else None,
                   awaiting_department=awaiting.department if awaiting else None)


def _transition_view(action: str):
    def transition(path: TripPath, body: TransitionRequest):
        try:
            return _move(path.trip_id, action, body.reason)
        except NotTheApprover as error:
            raise refuse_decision(path.trip_id, action, error) from error
        except Problem as problem:
            if problem.status == 404 and action in DECIDING_ACTIONS:
                audit_refused_decision(path.trip_id, action, None)
            raise

    transition.__name__ = f"{action.replace('-', '_')}_trip"
    return transition


def _move(trip_id: str, action: str, reason: str | None):
    with unit_of_work() as uow:
        trip = find_trip(uow.session, trip_id)
        require_fresh(trip.version)
        previous = trip.status
        try:
            event_action = _apply(uow, trip, action, reason)
        except IllegalTransition as error:
            raise conflict(error, error.status) from error
        except MissingReason as error:
            raise invalid("reason", str(error)) from error
        except NoTravellers as error:
            raise invalid("travellers", str(error)) from error
        trip.status_reason, trip.version = reason, trip.version + 1
        emit(uow, trip, event_action, {"status": [previous, trip.status], "reason": reason,
                                       "awaiting": trip.awaiting, "awaiting_department": trip.awaiting_department})
        return trip_response(trip)


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
for _action in TRANSITIONS:
    trips_api.post(f"/trips/<trip_id>/{_action}", summary=TRANSITION_SUMMARIES[_action],
                   responses=TRANSITION_RESPONSES)(
        allow(*(APPROVERS if _action in DECIDING_ACTIONS else TRAVEL))(_transition_view(_action)))


@trips_api.get("/trips/<trip_id>/coordination",
               summary="Other departments' trips to the same city at overlapping dates, to travel as one delegation",
               responses={200: CoordinationOut, **problem_responses(404)})
@allow(*READERS)
def get_coordination(path: TripPath):
    with read_only() as session:
        trip = find_trip(session, path.trip_id)
        found = [CoordinationMatch(trip_id=other.id, title=other.title, department=other.department,
                                   status=other.status, country=match.country, city=match.city,
                                   starts_on=other.starts_on, ends_on=other.ends_on,
                                   overlap_starts_on=match.overlap_starts_on, overlap_ends_on=match.overlap_ends_on)
                 for other, match in coordination_matches(session, trip)]
        return json_response(CoordinationOut(trip_id=trip.id, matches=found).model_dump(mode="json"))
