"""The views every register has, declared once: `register_views(resource, name, …)` adds a register's create,
list, read and change views (and, where the register has them, its actions and remove) to `relations_api`, each
parsing its request, calling the register's operation through `api/registers.py` and answering.

The module has no `from __future__ import annotations` on purpose: flask-openapi3 reads a view's request models
with `typing.get_type_hints`, so each view's parameters are annotated with the register's model classes
themselves. Each view is named as its own function would be (`create_mission`, `list_mission`, …), so the
endpoints, the OpenAPI operation ids and the schemas are those of written-out views.
"""

from collections.abc import Callable

from flask import Response
from pydantic import BaseModel

from services.outreach.api.common import READERS, WRITERS
from services.outreach.api.registers import (
    ActionBody,
    Resource,
    act,
    action_route,
    change,
    change_route,
    create,
    create_route,
    list_records,
    list_route,
    read,
    read_route,
    remove,
    remove_route,
)
from shared.http.auth import allow
from shared.http.resources import PageQuery, idempotent

View = Callable[..., Response]


def named(view: View, name: str) -> View:
    """The view under the name its endpoint and operation id are made from."""
    view.__name__ = view.__qualname__ = name
    return view


def register_views(resource: Resource, name: str, *, create_body: type[BaseModel], path_model: type[BaseModel],
                   query_model: type[PageQuery], update_body: type[BaseModel], actions: tuple[str, ...] = (),
                   removable: bool = False) -> None:
    """Add the register's views: `create_<name>`, `list_<name>`, `read_<name>`, `change_<name>`, then
    `<action>_<name>` for each action and, if the record may be removed, `remove_<name>`."""

    def create_view(body: create_body) -> Response:
        return create(resource, body)

    def list_view(query: query_model) -> Response:
        return list_records(resource, query)

    def read_view(path: path_model) -> Response:
        return read(resource, path.record_id)

    def change_view(path: path_model, body: update_body) -> Response:
        return change(resource, path.record_id, body)

    create_route(resource)(allow(*WRITERS)(idempotent(named(create_view, f"create_{name}"))))
    list_route(resource)(allow(*READERS)(named(list_view, f"list_{name}")))
    read_route(resource)(allow(*READERS)(named(read_view, f"read_{name}")))
    change_route(resource)(allow(*WRITERS)(named(change_view, f"change_{name}")))
    for action in actions:
        action_route(resource, action)(allow(*WRITERS)(named(action_view(resource, path_model, action),
                                                             f"{action}_{name}")))
    if removable:
        def remove_view(path: path_model) -> Response:
            return remove(resource, path.record_id)

        remove_route(resource)(allow(*WRITERS)(named(remove_view, f"remove_{name}")))


def action_view(resource: Resource, path_model: type[BaseModel], action: str) -> View:
    def view(path: path_model, body: ActionBody) -> Response:
        return act(resource, path.record_id, action, body.reason)
    return view
