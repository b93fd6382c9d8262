"""The gifts register: given and received, their value, and what became of them."""

from __future__ import annotations

from flask import current_app
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import Select, select

from services.visits.api.common import BODY_PROBLEMS, READERS, WRITERS, find, find_visit, invalid
from services.visits.api.protocol_schemas import GiftCreate, GiftOut, GiftPath, GiftQuery, GiftUpdate
from services.visits.api.schemas import VisitPath
from services.visits.domain.gifts import (
    Declaration,
    Disposition,
    GiftDirection,
    GiftInvalid,
    check_declaration,
    check_gift,
    declaration_due,
    declaration_state,
)
from services.visits.store.models import Gift, Visit
from shared.db import utcnow
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.resources import (
    Page,
    apply_sort,
    created,
    etag,
    idempotent,
    json_response,
    paginate,
    require_fresh,
)
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

gifts_api = APIBlueprint("gifts", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                         abp_responses=problem_responses(401, 403, 422),
                         abp_tags=[Tag(name="gifts", description="The register of gifts given and received")])
EVENT_GIFT_FIELDS = ("id", "direction", "description", "giver", "recipient", "value_amount", "value_currency",
                     "exchanged_on", "disposition", "declaration", "declaration_reason", "declaration_due_on",
                     "declared_on", "version")


def serialize(gift: Gift) -> dict:
    state = declaration_state(gift.declaration_reason, gift.declared_on)
    overdue = state == Declaration.PENDING and gift.declaration_due_on < utcnow().date()
    return GiftOut.model_validate({**{name: getattr(gift, name) for name in GiftOut.model_fields
                                      if name not in ("declaration", "declaration_overdue")},
                                   "declaration": state, "declaration_overdue": overdue}).model_dump(mode="json")


def gift_response(gift: Gift):
    return json_response(serialize(gift), headers={"ETag": etag(gift.version)})


def emit(uow: UnitOfWork, visit: Visit, gift: Gift, action: str, changes: dict) -> None:
    uow.session.flush()
    body = serialize(gift)
    body["value_amount"] = None if gift.value_amount is None else f"{gift.value_amount:.2f}"
    uow.emit(f"chancery.visits.gift.{action}.v1", gift.id, {
        "visit_id": visit.id, "partner_id": visit.partner_id, "country": visit.country,
        "gift": {name: body[name] for name in EVENT_GIFT_FIELDS}})
    uow.audit(f"gift.{action}", "gift", gift.id, changes)


def checked(gift: Gift) -> bool:
    """Check the gift and apply the declaration rule; true when it has just come to need a declaration."""
    due = declaration_due(current_app.extensions["visits.gift_rules"], GiftDirection(gift.direction),
                          gift.value_amount, gift.value_currency, gift.exchanged_on)
    newly_due = due is not None and gift.declaration_reason is None
    gift.declaration_reason = due and due.reason.value
    gift.declaration_threshold = due and due.threshold
    gift.declaration_due_on = due and due.due_on
    try:
        check_gift(GiftDirection(gift.direction), Disposition(gift.disposition), gift.value_amount,
                   gift.value_currency)
        check_declaration(due and due.reason, Disposition(gift.disposition), gift.declared_on, gift.exchanged_on)
    except GiftInvalid as error:
        raise invalid(error.field, str(error)) from error
    return newly_due


def emit_declaration_due(uow: UnitOfWork, visit: Visit, gift: Gift) -> None:
    emit(uow, visit, gift, "declaration-required", {"declaration_reason": gift.declaration_reason,
                                                    "declaration_threshold": gift.declaration_threshold,
                                                    "declaration_due_on": gift.declaration_due_on.isoformat()})


@gifts_api.post("/visits/<visit_id>/gifts", summary="Register a gift given or received",
                responses={201: GiftOut, **problem_responses(404, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def register_gift(path: VisitPath, body: GiftCreate):
    with unit_of_work() as uow:
        visit = find_visit(uow.session, path.visit_id)
        gift = Gift(visit_id=visit.id, version=1, **body.model_dump())
        newly_due = checked(gift)
        uow.session.add(gift)
        emit(uow, visit, gift, "registered", body.model_dump(mode="json"))
        if newly_due:
            emit_declaration_due(uow, visit, gift)
        return created(uow, serialize(gift), f"/api/v1/visits/{visit.id}/gifts/{gift.id}", gift.version)


def filtered(statement: Select, query: GiftQuery) -> Select:
    for name in ("direction", "disposition"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(Gift, name) == value)
    if query.declaration == Declaration.NOT_REQUIRED:
        statement = statement.where(Gift.declaration_reason.is_(None))
    if query.declaration == Declaration.PENDING or query.declaration_overdue is True:
        statement = statement.where(Gift.declaration_reason.is_not(None), Gift.declared_on.is_(None))
    if query.declaration == Declaration.DECLARED:
        statement = statement.where(Gift.declaration_reason.is_not(None), Gift.declared_on.is_not(None))
    if query.declaration_overdue is True:
        statement = statement.where(Gift.declaration_due_on < utcnow().date())
    if query.declaration_overdue is False:
        statement = statement.where(Gift.declaration_reason.is_(None) | Gift.declared_on.is_not(None)
                                    | (Gift.declaration_due_on >= utcnow().date()))
    if query.exchanged_from:
        statement = statement.where(Gift.exchanged_on >= query.exchanged_from)
    if query.exchanged_until:
        statement = statement.where(Gift.exchanged_on <= query.exchanged_until)
    sortable = {name: getattr(Gift, name) for name in ("exchanged_on", "value_amount", "direction", "disposition",
                                                       "declaration_due_on")}
    return apply_sort(statement, query.sort, sortable, [Gift.exchanged_on.desc(), Gift.id])


@gifts_api.get("/gifts", summary="The gifts register of every visit", responses={200: Page[GiftOut]})
@allow(*READERS)
def gifts_register(query: GiftQuery):
    with read_only() as session:
        return json_response(paginate(session, filtered(select(Gift), query), query, serialize))


@gifts_api.get("/visits/<visit_id>/gifts", summary="The gifts of a visit",
               responses={200: Page[GiftOut], **problem_responses(404)})
@allow(*READERS)
def list_visit_gifts(path: VisitPath, query: GiftQuery):
    with read_only() as session:
        find_visit(session, path.visit_id)
        statement = filtered(select(Gift).where(Gift.visit_id == path.visit_id), query)
        return json_response(paginate(session, statement, query, serialize))


@gifts_api.get("/visits/<visit_id>/gifts/<gift_id>", summary="Read a gift",
               responses={200: GiftOut, **problem_responses(404)})
@allow(*READERS)
def get_gift(path: GiftPath):
    with read_only() as session:
        return gift_response(find(session, Gift, path.gift_id, "gift", visit_id=path.visit_id))


@gifts_api.patch("/visits/<visit_id>/gifts/<gift_id>",
                 summary="Change a gift's record, e.g. what became of it (send If-Match)",
                 responses={200: GiftOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_gift(path: GiftPath, body: GiftUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        visit = find_visit(uow.session, path.visit_id)
        gift = find(uow.session, Gift, path.gift_id, "gift", visit_id=visit.id)
        require_fresh(gift.version)
        if not changes:
            return gift_response(gift)
        for name, value in changes.items():
            setattr(gift, name, value)
        newly_due = checked(gift)
        gift.version += 1
        emit(uow, visit, gift, "updated", body.model_dump(mode="json", exclude_unset=True))
        if newly_due:
            emit_declaration_due(uow, visit, gift)
        return gift_response(gift)
