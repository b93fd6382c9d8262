"""The gifts register: given and received, their value, and what became of them."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import Select, select

from services.visits.api.common import READERS, WRITERS, today
from services.visits.api.gift_schemas import GiftCreate, GiftOut, GiftPath, GiftQuery, GiftUpdate
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.gifts import Declaration, declaration_state
from services.visits.operations import gifts as operations
from services.visits.operations.visits import find_visit
from services.visits.store.models import Gift
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, where_set
from shared.http.work import read_only, unit_of_work

gifts_api = APIBlueprint("gifts", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                         abp_responses=problem_responses(401, 403, 422),
                         abp_tags=[Tag(name="gifts", description="The register of gifts given and received")])


def serialize(gift: Gift) -> dict:
    state = declaration_state(gift.declaration_reason, gift.declared_on)
    overdue = state == Declaration.PENDING and gift.declaration_due_on < today()
    return GiftOut.model_validate({**{name: getattr(gift, name) for name in GiftOut.model_fields
                                      if name not in ("declaration", "declaration_overdue")},
                                   "declaration": state, "declaration_overdue": overdue}).model_dump(mode="json")


def gift_response(gift: Gift):
    return record_response(serialize(gift), gift.version)


@gifts_api.post("/visits/<visit_id>/gifts", summary="Register a gift given or received",
                responses={201: GiftOut, **problem_responses(404, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def register_gift(path: VisitPath, body: GiftCreate):
    with unit_of_work() as uow:
        gift = operations.register_gift(uow, path.visit_id, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, serialize(gift), f"/api/v1/visits/{path.visit_id}/gifts/{gift.id}", gift.version)


def filtered(statement: Select, query: GiftQuery) -> Select:
    statement = where_set(statement, Gift, query, ("direction", "disposition"))
    if query.declaration == Declaration.NOT_REQUIRED:
        statement = statement.where(Gift.declaration_reason.is_(None))
    if query.declaration == Declaration.PENDING or query.declaration_overdue is True:
        statement = statement.where(Gift.declaration_reason.is_not(None), Gift.declared_on.is_(None))
    if query.declaration == Declaration.DECLARED:
        statement = statement.where(Gift.declaration_reason.is_not(None), Gift.declared_on.is_not(None))
    if query.declaration_overdue is True:
        statement = statement.where(Gift.declaration_due_on < today())
    if query.declaration_overdue is False:
        statement = statement.where(Gift.declaration_reason.is_(None) | Gift.declared_on.is_not(None)
                                    | (Gift.declaration_due_on >= today()))
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
    with unit_of_work() as uow:
        gift = operations.update_gift(uow, path.visit_id, path.gift_id, body.model_dump(exclude_unset=True),
                                      body.model_dump(mode="json", exclude_unset=True), if_match())
        return gift_response(gift)
