"""How each person hears (preferences), and the other ways to subscribe: watching a record, and
subscriptions of a whole role set up by notification admins."""

from __future__ import annotations

from flask import Response, g
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.notifications.api.common import ADMINS
from services.notifications.api.preference_schemas import PreferencesIn, PreferencesOut
from services.notifications.api.role_subscription_schemas import (
    RoleSubscriptionCreate,
    RoleSubscriptionOut,
    RoleSubscriptionPath,
)
from services.notifications.api.watch_schemas import WatchCreate, WatchOut, WatchPath
from services.notifications.operations.preferences import change_preferences, own_preferences
from services.notifications.operations.role_subscriptions import subscribe_role, unsubscribe_role
from services.notifications.operations.watches import unwatch, watch
from services.notifications.store.models import Recipient, RoleSubscription, Watch
from shared.http.auth import ANY_STAFF, allow
from shared.http.problems import problem_responses
from shared.http.records import if_match, record_response
from shared.http.resources import Page, PageQuery, apply_sort, created, idempotent, json_response, paginate
from shared.http.work import read_only, unit_of_work

preferences_api = APIBlueprint("preferences", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                               abp_responses=problem_responses(401, 403, 422),
                               abp_tags=[Tag(name="preferences",
                                             description="How you hear, what you watch, and role subscriptions")])


def _preferences(row: Recipient) -> Response:
    body = PreferencesOut(
        name=row.name, roles=sorted(filter(None, row.roles.split(","))), language=row.language,
        time_zone=row.time_zone, email=row.email, channels={"in-app": "immediate", **(row.channels or {})},
        quiet_hours={"start": row.quiet_start, "end": row.quiet_end} if row.quiet_start else None,
        digest_at=row.digest_at, version=row.version).model_dump(mode="json", by_alias=True)
    return record_response(body, row.version)


def _watch(row: Watch) -> dict:
    return WatchOut.model_validate(row).model_dump(mode="json")


def _role_subscription(row: RoleSubscription) -> dict:
    return RoleSubscriptionOut.model_validate(row).model_dump(mode="json")


@preferences_api.get("/preferences", summary="Your notification preferences", responses={200: PreferencesOut})
@allow(*ANY_STAFF)
def get_preferences():
    with unit_of_work() as uow:
        return _preferences(own_preferences(uow))


@preferences_api.put("/preferences", summary="Change how you hear (send If-Match with the ETag you read)",
                     responses={200: PreferencesOut, **problem_responses(400, 412, 413, 415)})
@allow(*ANY_STAFF)
def put_preferences(body: PreferencesIn):
    with unit_of_work() as uow:
        return _preferences(change_preferences(uow, body.model_dump(mode="json", by_alias=True), if_match()))


@preferences_api.post("/watches", summary="Watch one visit, trip or contract: hear every event about it",
                      responses={201: WatchOut, **problem_responses(400, 409, 413, 415)})
@allow(*ANY_STAFF)
@idempotent
def create_watch(body: WatchCreate):
    with unit_of_work() as uow:
        row = watch(uow, body.record_type, body.record_id, body.model_dump())
        return created(uow, _watch(row), f"/api/v1/watches/{row.id}", 1)


@preferences_api.get("/watches", summary="The records you watch", responses={200: Page[WatchOut]})
@allow(*ANY_STAFF)
def list_watches(query: PageQuery):
    statement = apply_sort(select(Watch).where(Watch.subscriber == g.principal.subject), query.sort,
                           {"created_at": Watch.created_at, "record_type": Watch.record_type}, [Watch.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, _watch))


@preferences_api.delete("/watches/<watch_id>", summary="Stop watching a record",
                        responses={204: None, **problem_responses(404)})
@allow(*ANY_STAFF)
def delete_watch(path: WatchPath):
    with unit_of_work() as uow:
        unwatch(uow, path.watch_id)
    return json_response(None, 204)


@preferences_api.post("/role-subscriptions", summary="Make everyone holding a role hear some events",
                      responses={201: RoleSubscriptionOut, **problem_responses(400, 409, 413, 415)})
@allow(*ADMINS)
@idempotent
def create_role_subscription(body: RoleSubscriptionCreate):
    with unit_of_work() as uow:
        row = subscribe_role(uow, body.role, body.pattern, body.model_dump())
        return created(uow, _role_subscription(row), f"/api/v1/role-subscriptions/{row.id}", 1)


@preferences_api.get("/role-subscriptions", summary="Every role subscription",
                     responses={200: Page[RoleSubscriptionOut]})
@allow(*ADMINS)
def list_role_subscriptions(query: PageQuery):
    statement = apply_sort(select(RoleSubscription), query.sort,
                           {"role": RoleSubscription.role, "pattern": RoleSubscription.pattern}, [RoleSubscription.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, _role_subscription))


@preferences_api.delete("/role-subscriptions/<role_subscription_id>", summary="Remove a role subscription",
                        responses={204: None, **problem_responses(404)})
@allow(*ADMINS)
def delete_role_subscription(path: RoleSubscriptionPath):
    with unit_of_work() as uow:
        unsubscribe_role(uow, path.role_subscription_id)
    return json_response(None, 204)
