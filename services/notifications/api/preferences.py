"""How each person hears (preferences), and the other ways to subscribe: watching a record, and
subscriptions of a whole role set up by notification admins."""

from __future__ import annotations

from flask import Response

from services.notifications.api.common import ADMINS, NO_CONTENT, own
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
from shared.http.resources import PageQuery
from shared.http.views import Resource, blueprint
from shared.http.work import unit_of_work

preferences_api = blueprint("preferences", __name__, "How you hear, what you watch, and role subscriptions")


def _preferences(row: Recipient) -> Response:
    body = PreferencesOut(
        name=row.name, roles=sorted(filter(None, row.roles.split(","))), language=row.language,
        time_zone=row.time_zone, email=row.email, channels={"in-app": "immediate", **(row.channels or {})},
        quiet_hours={"start": row.quiet_start, "end": row.quiet_end} if row.quiet_start else None,
        digest_at=row.digest_at, version=row.version).model_dump(mode="json", by_alias=True)
    return record_response(body, row.version)


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


WATCHES = Resource(preferences_api, "/watches", "watch_id", Watch, WatchOut, ANY_STAFF, ANY_STAFF)
WATCHES.create("create_watch", "Watch one visit, trip or contract: hear every event about it", WatchCreate,
               lambda uow, ids, body: watch(uow, body.record_type, body.record_id, body.model_dump()),
               problems=(409,))
WATCHES.listing("list_watches", "The records you watch", PageQuery, narrow=(own(Watch.subscriber),),
                sortable=("created_at", "record_type"))
WATCHES.remove("delete_watch", "Stop watching a record", WatchPath, lambda uow, ids, body: unwatch(uow, *ids),
               problems=(404,), gone=NO_CONTENT)

ROLE_SUBSCRIPTIONS = Resource(preferences_api, "/role-subscriptions", "role_subscription_id", RoleSubscription,
                              RoleSubscriptionOut, ADMINS, ADMINS)
ROLE_SUBSCRIPTIONS.create("create_role_subscription", "Make everyone holding a role hear some events",
                          RoleSubscriptionCreate,
                          lambda uow, ids, body: subscribe_role(uow, body.role, body.pattern, body.scope,
                                                               body.model_dump()),
                          problems=(409,))
ROLE_SUBSCRIPTIONS.listing("list_role_subscriptions", "Every role subscription", PageQuery,
                           sortable=("role", "pattern"))
ROLE_SUBSCRIPTIONS.remove("delete_role_subscription", "Remove a role subscription", RoleSubscriptionPath,
                          lambda uow, ids, body: unsubscribe_role(uow, *ids), problems=(404,), gone=NO_CONTENT)
