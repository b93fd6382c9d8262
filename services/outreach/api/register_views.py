"""The views every register has, declared once: `register_views(resource, name, …)` declares a register as a
resource of `relations_api` (`shared.http.views`) with its create, list, read and change views and, where the
register has them, its actions and remove; each calls the register's operation (`operations/registers.py`).

Each view is named as its own function would be (`create_mission`, `list_mission`, …), so the endpoints, the
OpenAPI operation ids and the schemas are those of written-out views.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Select, func

from services.outreach.api.common import READERS, WRITERS, as_caller_may_see, masked, personal_record_response
from services.outreach.api.registers import ActionBody, Resource, column_values, relations_api, serialize
from services.outreach.operations import registers
from shared.http.records import action_body, if_match
from shared.http.resources import PageQuery
from shared.http.views import Resource as Views
from shared.uow import UnitOfWork


def register_views(resource: Resource, name: str, *, create_body: type[BaseModel], path_model: type[BaseModel],
                   query_model: type[PageQuery], update_body: type[BaseModel], actions: tuple[str, ...] = (),
                   removable: bool = False) -> None:
    """Add the register's views: `create_<name>`, `list_<name>`, `read_<name>`, `change_<name>`, then
    `<action>_<name>` for each action and, if the record may be removed, `remove_<name>`."""
    register, label, personal = resource.register, resource.label, resource.personal
    views = Views(relations_api, f"/{resource.path}", "record_id", register.model, resource.out, READERS, WRITERS,
                  serialize=lambda record: as_caller_may_see(serialize(resource, record), personal),
                  listed=lambda record: masked(serialize(resource, record), personal, False), label=label)
    views.create(f"create_{name}", f"Register a {label}", create_body,
                 lambda uow, ids, body: registers.add_entry(uow, register,
                                                            column_values(resource, body, set(type(body).model_fields)),
                                                            body.model_dump(mode="json")))
    filters = set(query_model.model_fields) - set(PageQuery.model_fields) - {"q"}
    views.listing(f"list_{name}", f"List {label}s", query_model, filters=sorted(filters),
                  narrow=(partial(searched, resource),), sortable=resource.sortable, order=resource.default_order)
    views.read(f"read_{name}", f"Read a {label}", path_model, answer=lambda record: personal_record_response(
        serialize(resource, record), record.version, resource.record, personal))
    views.change(f"change_{name}", f"Change a {label} (send If-Match)", path_model, update_body,
                 lambda uow, ids, body: registers.change_entry(
                     uow, register, *ids, column_values(resource, body, body.model_fields_set),
                     body.model_dump(mode="json", exclude_unset=True), resource.required, if_match()))
    for action in actions:
        views.act(action, f"{action}_{name}", f"{action.capitalize()} a {label} (send If-Match)", path_model,
                  partial(act, resource, action), body=action_body(resource.lifecycle, action, ActionBody))
    if removable:
        views.remove(f"remove_{name}", f"Remove a {label} (send If-Match)", path_model,
                     lambda uow, ids, body: registers.remove_entry(uow, register, *ids, if_match()))


def act(resource: Resource, action: str, uow: UnitOfWork, ids: tuple[str, ...], body: ActionBody) -> Any:
    return registers.move_entry(uow, resource.register, *ids, action, body.reason, if_match())


def searched(resource: Resource, statement: Select, query: PageQuery) -> Select:
    """The register's records whose searched column holds the query's `q`, case-insensitive."""
    text = getattr(query, "q", None)
    if resource.search and text:
        column = getattr(resource.register.model, resource.search)
        statement = statement.where(func.lower(column).contains(text.lower(), autoescape=True))
    return statement
