"""The gifts register: given and received, their value, and what became of them."""

from __future__ import annotations

from sqlalchemy import Select

from services.visits.api.common import READERS, WRITERS, today
from services.visits.api.gift_schemas import GiftCreate, GiftOut, GiftPath, GiftQuery, GiftUpdate
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.gifts import Declaration, declaration_state
from services.visits.operations import gifts as operations
from services.visits.operations.visits import find_visit
from services.visits.store.models import Gift
from shared.http.views import Resource, blueprint, changes, fields, within

gifts_api = blueprint("gifts", __name__, "The register of gifts given and received")


def serialize(gift: Gift) -> dict:
    state = declaration_state(gift.declaration_reason, gift.declared_on)
    overdue = state == Declaration.PENDING and gift.declaration_due_on < today()
    return GiftOut.model_validate({**{name: getattr(gift, name) for name in GiftOut.model_fields
                                      if name not in ("declaration", "declaration_overdue")},
                                   "declaration": state, "declaration_overdue": overdue}).model_dump(mode="json")


def declared(statement: Select, query: GiftQuery) -> Select:
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
    return statement


GIFTS = Resource(gifts_api, "/visits/<visit_id>/gifts", "gift_id", Gift, GiftOut, READERS, WRITERS,
                 serialize=serialize)
GIFTS.create("register_gift", "Register a gift given or received", GiftCreate, fields(operations.register_gift),
             path=VisitPath, problems=(404,))
for _name, _summary, _path in (("gifts_register", "The gifts register of every visit", None),
                               ("list_visit_gifts", "The gifts of a visit", VisitPath)):
    GIFTS.listing(_name, _summary, GiftQuery, path=_path, parent=find_visit, at=None if _path else "/gifts",
                  filters=("direction", "disposition"), order=("-exchanged_on",),
                  narrow=(declared, within(Gift.exchanged_on, "exchanged_from", "exchanged_until")),
                  sortable=("exchanged_on", "value_amount", "direction", "disposition", "declaration_due_on"))
GIFTS.read("get_gift", "Read a gift", GiftPath)
GIFTS.change("update_gift", "Change a gift's record, e.g. what became of it (send If-Match)", GiftPath, GiftUpdate,
             changes(operations.update_gift))
