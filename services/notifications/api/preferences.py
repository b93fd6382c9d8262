"""How each person hears (preferences), and the other ways to subscribe: watching a record, and
subscriptions of a whole role set up by notification admins."""

from __future__ import annotations

from flask import g
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.notifications.api.schemas import (
    PreferencesIn,
    PreferencesOut,
    RoleSubscriptionCreate,
    RoleSubscriptionOut,
    RoleSubscriptionPath,
    WatchCreate,
    WatchOut,
    WatchPath,
)
from services.notifications.domain.audience import PatternNotAllowed, check_pattern_allowed, record_pattern
from services.notifications.store.models import Recipient, RoleSubscription, Watch
from services.notifications.store.recipients import known_recipient
from shared.http.auth import ANY_STAFF, allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import (
    Page,
    PageQuery,
    apply_sort,
    created,
    etag,
    idempotent,
    json_response,
    paginate,
    require_fresh,
)
from shared.http.work import read_only, unit_of_work

preferences_api = APIBlueprint("preferences", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                               abp_responses=problem_responses(401, 403, 422),
                               abp_tags=[Tag(name="preferences",
                                             description="How you hear, what you watch, and role subscriptions")])


def _preferences(row: Recipient) -> dict:
    return PreferencesOut(
        name=row.name, roles=sorted(filter(None, row.roles.split(","))), language=row.language,
        time_zone=row.time_zone, email=row.email, channels={"in-app": "immediate", **(row.channels or {})},
        quiet_hours={"start": row.quiet_start, "end": row.quiet_end} if row.quiet_start else None,
        digest_at=row.digest_at, version=row.version).model_dump(mode="json", by_alias=True)


def _watch(row: Watch) -> dict:
    return WatchOut.model_validate(row).model_dump(mode="json")


def _role_subscription(row: RoleSubscription) -> dict:
    return RoleSubscriptionOut.model_validate(row).model_dump(mode="json")


def _refused(field: str, error: Exception) -> Problem:
    return Problem(422, "The request is not valid", str(error), slug="validation",
                   errors=[{"field": field, "message": str(error)}])


@preferences_api.get("/preferences", summary="Your notification preferences", responses={200: PreferencesOut})
@allow(*ANY_STAFF)
def get_preferences():
    with unit_of_work() as uow:
        row = known_recipient(uow.session, uow.actor, uow.roles)
        uow.session.flush()
        body, version = _preferences(row), row.version
    return json_response(body, headers={"ETag": etag(version)})


@preferences_api.put("/preferences", summary="Change how you hear (send If-Match with the ETag you read)",
                     responses={200: PreferencesOut, **problem_responses(400, 412, 413, 415)})
@allow(*ANY_STAFF)
def put_preferences(body: PreferencesIn):
    with unit_of_work() as uow:
        row = known_recipient(uow.session, uow.actor, uow.roles)
        require_fresh(row.version)
        row.language, row.time_zone, row.email, row.digest_at = (body.language, body.time_zone, body.email,
                                                                 body.digest_at)
        row.channels = body.channels.model_dump(by_alias=True)
        row.quiet_start, row.quiet_end = ((body.quiet_hours.start, body.quiet_hours.end) if body.quiet_hours
                                          else (None, None))
        row.version += 1
        changes = body.model_dump(mode="json", by_alias=True, exclude={"email"})
        uow.audit("preferences.update", "recipient", row.name, {**changes, "email_set": body.email is not None})
        answer, version = _preferences(row), row.version
    return json_response(answer, headers={"ETag": etag(version)})


@preferences_api.post("/watches", summary="Watch one visit, trip or contract: hear every event about it",
                      responses={201: WatchOut, **problem_responses(400, 409, 413, 415)})
@allow(*ANY_STAFF)
@idempotent
def create_watch(body: WatchCreate):
    try:
        check_pattern_allowed(record_pattern(body.record_type), g.principal.roles)
    except PatternNotAllowed as error:
        raise _refused("record_type", error) from error
    try:
        with unit_of_work() as uow:
            known_recipient(uow.session, uow.actor, uow.roles)
            row = Watch(subscriber=uow.actor, subscriber_roles=",".join(sorted(uow.roles)),
                        record_type=body.record_type, record_id=body.record_id)
            uow.session.add(row)
            uow.session.flush()
            uow.audit("watch.create", "watch", row.id, body.model_dump())
            return created(uow, _watch(row), f"/api/v1/watches/{row.id}", 1)
    except IntegrityError as error:
        raise Problem(409, "Already watching", f"You already watch {body.record_type} {body.record_id}",
                      slug="duplicate") from error


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
        row = uow.session.get(Watch, path.watch_id)
        if row is None or row.subscriber != uow.actor:
            raise Problem(404, "Not found", f"No watch {path.watch_id}", slug="not-found")
        uow.session.delete(row)
        uow.audit("watch.delete", "watch", row.id, {"record_type": row.record_type, "record_id": row.record_id})
    return json_response(None, 204)


@preferences_api.post("/role-subscriptions", summary="Make everyone holding a role hear some events",
                      responses={201: RoleSubscriptionOut, **problem_responses(400, 409, 413, 415)})
@allow("notifications-admin")
@idempotent
def create_role_subscription(body: RoleSubscriptionCreate):
    try:
        check_pattern_allowed(body.pattern, frozenset({body.role}))
    except PatternNotAllowed as error:
        raise _refused("pattern", error) from error
    try:
        with unit_of_work() as uow:
            row = RoleSubscription(role=body.role, pattern=body.pattern, created_by=uow.actor)
            uow.session.add(row)
            uow.session.flush()
            uow.audit("role-subscription.create", "role-subscription", row.id, body.model_dump())
            return created(uow, _role_subscription(row), f"/api/v1/role-subscriptions/{row.id}", 1)
    except IntegrityError as error:
        raise Problem(409, "Already subscribed", f"{body.role} already hears {body.pattern}",
                      slug="duplicate") from error


@preferences_api.get("/role-subscriptions", summary="Every role subscription",
                     responses={200: Page[RoleSubscriptionOut]})
@allow("notifications-admin")
def list_role_subscriptions(query: PageQuery):
    statement = apply_sort(select(RoleSubscription), query.sort,
                           {"role": RoleSubscription.role, "pattern": RoleSubscription.pattern}, [RoleSubscription.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, _role_subscription))


@preferences_api.delete("/role-subscriptions/<role_subscription_id>", summary="Remove a role subscription",
                        responses={204: None, **problem_responses(404)})
@allow("notifications-admin")
def delete_role_subscription(path: RoleSubscriptionPath):
    with unit_of_work() as uow:
        row = uow.session.get(RoleSubscription, path.role_subscription_id)
        if row is None:
            raise Problem(404, "Not found", f"No role subscription {path.role_subscription_id}", slug="not-found")
        uow.session.delete(row)
        uow.audit("role-subscription.delete", "role-subscription", row.id, {"role": row.role, "pattern": row.pattern})
    return json_response(None, 204)
