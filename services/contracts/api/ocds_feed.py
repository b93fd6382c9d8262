"""The public OCDS feed (decision 0038): every release of every published contracting process, and their records,
for anyone, without a token, in pages that follow `links.next`, rate-limited per client address like the rest.

Only what was released is here: drafts never are, bids and tenderers only once the submission deadline has passed,
and no person is named (suppliers are organisations). A release never changes, so its own URL may be cached for
ever."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from flask import Response, request
from flask_openapi3 import Tag
from pydantic import ConfigDict, Field
from sqlalchemy import func, select

from services.contracts.api.ocds import (
    FEED,
    RECORD_PACKAGE_EXAMPLE,
    RELEASE_PACKAGE_EXAMPLE,
    ocds_response,
    package,
    record,
    releases_of,
)
from services.contracts.operations.ocds import stamp
from services.contracts.store.models import OcdsRelease
from shared.http.auth import public
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import problem_responses
from shared.http.resources import QueryModel, json_response
from shared.http.work import read_only
from shared.kit.refusals import NotFound

ocds_feed_api = LazyDocBlueprint("ocds_feed", __name__, url_prefix=FEED, abp_security=[],
                                 abp_responses=problem_responses(404, 422),
                                 abp_tags=[Tag(name="ocds-feed", description="The public OCDS 1.1.5 feed: no token")])
MAX_LIMIT = 100
FOREVER = "public, max-age=31536000, immutable"


class FeedQuery(QueryModel):
    model_config = ConfigDict(extra="forbid")
    since: datetime | None = Field(None, description="Only what was released at or after this moment (RFC 3339)")
    after: int | None = Field(None, ge=0, le=2**31 - 1,
                              description="The cursor of the page before (from `links.next`); none for the first")
    limit: int = Field(MAX_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page")


class ReleasePath(QueryModel):
    release_id: str = Field(max_length=120, description="`<ocid>-<sequence>`")


def _page(query: FeedQuery, items: list, kind: str, last: int | None, more_follow: bool) -> Response:
    """A package of `items`, with `links.next` (and a `Link` header) when more follow."""
    more, headers = {}, {}
    if more_follow:
        arguments = {"since": stamp(query.since) if query.since else None, "after": last, "limit": query.limit}
        following = f"{request.base_url}?{urlencode({k: v for k, v in arguments.items() if v is not None})}"
        more["links"] = {"next": following}
        headers["Link"] = f'<{following}>; rel="next"'
    return json_response(package(kind, items, **more), headers=headers)


@ocds_feed_api.get("/releases", summary="Every released stage of every contracting process, oldest first",
                   responses=ocds_response("An OCDS 1.1.5 release package; `links.next` names the next page",
                                           RELEASE_PACKAGE_EXAMPLE))
@public
def release_feed(query: FeedQuery):
    statement = select(OcdsRelease)
    if query.since is not None:
        statement = statement.where(OcdsRelease.date >= query.since)
    if query.after is not None:
        statement = statement.where(OcdsRelease.position > query.after)
    with read_only() as session:
        # One more than a page: whether a next page exists, so no page is ever empty but a feed with nothing yet.
        releases = session.scalars(statement.order_by(OcdsRelease.position).limit(query.limit + 1)).all()
        page = releases[:query.limit]
        return _page(query, [r.content for r in page], "releases", page[-1].position if page else None,
                     len(releases) > query.limit)


@ocds_feed_api.get("/releases/<release_id>", summary="One release, as it was published (it never changes)",
                   responses=ocds_response("An OCDS 1.1.5 release package of that one release",
                                           RELEASE_PACKAGE_EXAMPLE))
@public
def one_release(path: ReleasePath):
    with read_only() as session:
        release = session.scalar(select(OcdsRelease).where(OcdsRelease.id == path.release_id))
        if release is None:
            raise NotFound("release", path.release_id)
        return json_response(package("releases", [release.content], published=stamp(release.date)),
                             headers={"Cache-Control": FOREVER})


@ocds_feed_api.get("/records", summary="Every contracting process's record, the last changed last",
                   responses=ocds_response("An OCDS 1.1.5 record package; `links.next` names the next page",
                                           RECORD_PACKAGE_EXAMPLE))
@public
def record_feed(query: FeedQuery):
    last = func.max(OcdsRelease.position).label("last")
    statement = select(OcdsRelease.ocid, last).group_by(OcdsRelease.ocid)
    if query.since is not None:
        statement = statement.having(func.max(OcdsRelease.date) >= query.since)
    if query.after is not None:
        statement = statement.having(func.max(OcdsRelease.position) > query.after)
    with read_only() as session:
        rows = session.execute(statement.order_by(last).limit(query.limit + 1)).all()
        page = rows[:query.limit]
        releases = releases_of(session, [ocid for ocid, _ in page])
        records = [record(ocid, releases[ocid]) for ocid, _ in page]
        return _page(query, records, "records", page[-1].last if page else None, len(rows) > query.limit)
