"""The OCDS 1.1.5 export of a contracting process: a release package (every release stored as published) and a
record package (the releases linked, and the compiled release merged from them). Decisions 0037 and 0038; the
public feed of every process is `ocds_feed.py`."""

from __future__ import annotations

from collections.abc import Sequence

from flask import request
from flask_openapi3 import Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.contracts.api.common import PROCUREMENT, now, own_settings
from services.contracts.api.tender_schemas import TenderPath
from services.contracts.operations.ocds import BUYER_ID, LOTS_EXTENSION, compiled_release, stamp
from services.contracts.operations.tenders import find_tender
from services.contracts.store.models import OcdsRelease
from shared.http.auth import allow
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import problem_responses
from shared.http.resources import json_response
from shared.http.work import read_only
from shared.kit.refusals import Conflict

ocds_api = LazyDocBlueprint("ocds", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 404, 409, 422),
                            abp_tags=[Tag(name="ocds", description="Open Contracting Data Standard 1.1.5 export")])
OCDS_VERSION = "1.1"
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
FEED = "/api/v1/ocds"


def package(kind: str, items: list[dict], published: str | None = None, **more) -> dict:
    """An OCDS package envelope of this publisher around `items` (releases or records), at the request's URL."""
    return {"uri": request.url, "version": OCDS_VERSION, "extensions": [LOTS_EXTENSION],
            "publishedDate": published or stamp(now()), "publisher": {"name": own_settings().ocds_publisher},
            "license": LICENSE, "publicationPolicy": f"{request.host_url}docs", **more, kind: items}


def release_url(release_id: str) -> str:
    return f"{request.host_url.rstrip('/')}{FEED}/releases/{release_id}"


def released(session: Session, tender_id: str) -> tuple[str, list[OcdsRelease]]:
    """A tender's ocid and its releases; a draft (never released) has none to show."""
    tender = find_tender(session, tender_id)
    releases = releases_of(session, [tender.ocid])[tender.ocid]
    if not releases:
        raise Conflict(f"Tender {tender.id} is not published: nothing of it is released yet", slug="not-released")
    return tender.ocid, releases


def releases_of(session: Session, ocids: Sequence[str]) -> dict[str, list[OcdsRelease]]:
    """The stored releases of each process, in the order they were released."""
    found: dict[str, list[OcdsRelease]] = {ocid: [] for ocid in ocids}
    for release in session.scalars(select(OcdsRelease).where(OcdsRelease.ocid.in_(ocids))
                                   .order_by(OcdsRelease.position)):
        found[release.ocid].append(release)
    return found


def record(ocid: str, releases: list[OcdsRelease]) -> dict:
    """A process's record: every release linked by its own URL, and the compiled release."""
    return {"ocid": ocid, "releases": [{"url": release_url(r.id), "date": stamp(r.date), "tag": r.tags}
                                       for r in releases],
            "compiledRelease": compiled_release([r.content for r in releases])}


OCID_EXAMPLE = "ocds-chncry-5c1e2f3a-7b8d-4e9f-a0b1-c2d3e4f5a6b7"
EXAMPLE_URL = "https://chancery.city.example/api/v1/tenders/5c1e2f3a-7b8d-4e9f-a0b1-c2d3e4f5a6b7/ocds"
FEED_EXAMPLE_URL = f"https://chancery.city.example{FEED}"
PLANNING_EXAMPLE = {
    "ocid": OCID_EXAMPLE, "id": f"{OCID_EXAMPLE}-1", "date": "2026-11-20T10:00:00Z", "tag": ["planning"],
    "initiationType": "tender", "language": "en", "buyer": {"id": BUYER_ID, "name": "Chancery"},
    "parties": [{"id": BUYER_ID, "name": "Chancery", "roles": ["buyer", "procuringEntity"]}],
    "planning": {"rationale": "International Forum of Twin Cities 2027", "budget": {
        "id": "3d9a7f52-1c4e-4b8a-9f21-6b0d2c7e8a14", "description": "Venue and interpretation for the forum",
        "amount": {"amount": 185000, "currency": "EUR"}, "project": "International Forum of Twin Cities 2027"}}}
PACKAGE_EXAMPLE = {"version": OCDS_VERSION, "extensions": [LOTS_EXTENSION], "publishedDate": "2027-02-21T09:00:00Z",
                   "publisher": {"name": "Chancery"}, "license": LICENSE,
                   "publicationPolicy": "https://chancery.city.example/docs"}
RELEASE_PACKAGE_EXAMPLE = {"uri": f"{EXAMPLE_URL}/releases", **PACKAGE_EXAMPLE, "releases": [PLANNING_EXAMPLE]}
RECORD_PACKAGE_EXAMPLE = {
    "uri": f"{EXAMPLE_URL}/record", **PACKAGE_EXAMPLE, "packages": [f"{EXAMPLE_URL}/releases"],
    "records": [{"ocid": OCID_EXAMPLE, "releases": [{"url": f"{FEED_EXAMPLE_URL}/releases/{OCID_EXAMPLE}-1",
                                                     "date": "2026-11-20T10:00:00Z", "tag": ["planning"]}],
                 "compiledRelease": {**PLANNING_EXAMPLE, "id": f"{OCID_EXAMPLE}-2026-11-20T10:00:00Z",
                                     "tag": ["compiled"]}}]}


def ocds_response(description: str, example: dict) -> dict:
    return {200: {"description": description,
                  "content": {"application/json": {"schema": {"type": "object"}, "example": example}}}}


@ocds_api.get("/tenders/<tender_id>/ocds/releases", summary="The contracting process as an OCDS 1.1.5 release package",
              responses=ocds_response("An OCDS 1.1.5 release package: every release, as published",
                                      RELEASE_PACKAGE_EXAMPLE))
@allow(*PROCUREMENT)
def release_package(path: TenderPath):
    with read_only() as session:
        _, releases = released(session, path.tender_id)
        return json_response(package("releases", [release.content for release in releases]))


@ocds_api.get("/tenders/<tender_id>/ocds/record", summary="The contracting process as an OCDS 1.1.5 record package",
              responses=ocds_response("An OCDS 1.1.5 record package: the releases linked, and the compiled release",
                                      RECORD_PACKAGE_EXAMPLE))
@allow(*PROCUREMENT)
def record_package(path: TenderPath):
    with read_only() as session:
        ocid, releases = released(session, path.tender_id)
        return json_response(package("records", [record(ocid, releases)],
                                     packages=[request.url.removesuffix("/record") + "/releases"]))
