"""Every page of the console as a person opens it: each GET route of the URL map made concrete addresses over
records a suite holds (seed-like data), opened by someone whose roles may see it. A route that is not a page says
why; a route that is neither fails `unmapped`, so a new page is walked from the day it is added."""

from __future__ import annotations

from flask import Flask

from services.console.app import BLUEPRINTS
from services.console.pages.desk import QUEUES
from services.console.pages.help import written
from services.console.pages.outreach_registers import REGISTERS as OUTREACH_REGISTERS
from services.console.pages.procurement import REGISTERS as PROCUREMENT_REGISTERS
from services.console.pages.trip_work import PARTS
from services.console.pages.visit_work import SECTIONS

# Someone who may see every page: the protocol, travel, mayor's office, operator, procurement and outreach roles.
EVERY_ROLE = ["protocol", "travel", "mayor-office", "operator", "procurement", "outreach"]
OFFICIAL = "Deputy Mayor for Culture"
NOT_PAGES = {
    "probes.healthz": "a probe", "probes.readyz": "a probe", "probes.metrics": "Prometheus' text",
    "static": "a file", "auth.sign_in": "the provider's page, or the development form when signed out",
    "auth.callback": "the provider's answer", "notifications.live_inbox": "an event stream",
    "notifications.unread": "the badge's JSON", "notifications.inbox_items": "the inbox's rows swapped by htmx",
    "invitations.export_invitations": "a download", "trips.export_trips": "a download",
    "visits.export_visits": "a download", "desk.export_waiting": "a download",
    "invitations.reply_letter": "a PDF the service writes", "trip_work.travel_order": "a PDF the service writes",
    "visit_work.letter_document": "a PDF the service writes",
    "visit_work.meeting": "a redirect to the meeting's visit, where a plan item from its follow-up links",
    "operators.dead_letter": "a dead letter's own page: tests/browser/test_operators_in_chromium.py opens one",
    "help.image": "a guide's screenshot",
    "procurement.export_register": "a download", "outreach.export_register": "a download",
    "outreach_plan.export_plan": "a download", "outreach_plan.annual_report": "a PDF the service writes",
    "procurement.ocds_package": "the OCDS release package the service writes",
    "procurement.cpv_codes": "the plan form's CPV options swapped by htmx",
    "procurement.auction_live": "an event stream",
    "procurement.record": "a record's own page: tests/browser/test_procurement_in_chromium.py opens a plan line, "
                          "a tender, an auction, an award and a contract",
    "outreach.record": "a record's own page: tests/browser/test_outreach_in_chromium.py opens a partner and a survey",
}


def addresses(records: dict[str, str]) -> dict[str, list[str]]:
    """Each page route's endpoint and the addresses that open it."""
    visit, trip = records["visit_id"], records["trip_id"]
    return {
        "desk.desk": ["/"], "desk.waiting": [f"/waiting/{name}" for name in QUEUES],
        "auth.signed_out": ["/signed-out"],
        "notifications.inbox": ["/inbox"], "notifications.subscriptions": ["/inbox/subscriptions"],
        "visits.visit_list": ["/visits"], "visits.new_visit": ["/visits/new"],
        "visits.calendar": ["/visits/calendar?on=2027-06-01", "/visits/calendar?view=week&on=2027-06-07"],
        "visits.visit": [f"/visits/{visit}"], "visit_work.section": [f"/visits/{visit}/{name}" for name in SECTIONS],
        "registers.interpreters": ["/interpreters"], "registers.rank_table": ["/protocol/rank-table"],
        "registers.press": [f"/functions/{records['function_id']}/press"],
        "registers.minutes": [f"/meetings/{records['meeting_id']}/minutes"],
        "invitations.invitation_list": ["/invitations"], "invitations.new_invitation": ["/invitations/new"],
        "invitations.invitation": [f"/invitations/{records['invitation_id']}"],
        "trips.trip_list": [f"/trips?view={view}" for view in ("mine", "all", "waiting")],
        "trips.new_trip": ["/trips/new"], "trips.trip": [f"/trips/{trip}"],
        "trip_work.part": [f"/trips/{trip}/{name}" for name in PARTS],
        "officials.calendar": ["/officials/calendar",
                               f"/officials/calendar?official={OFFICIAL}&view=week&on=2027-06-07"],
        "operators.overview": ["/operators"], "help.index": ["/help/"],
        "help.guide": [f"/help/{name}.md" for name in written()],
        "operators.dead_letters": ["/operators/visits/dead-letters"],
        "procurement.register_list": [f"/procurement/{name}" for name in PROCUREMENT_REGISTERS],
        "outreach.home": ["/outreach"],
        "outreach.register_list": [f"/outreach/{name}" for name in OUTREACH_REGISTERS],
        "outreach.new_record": [f"/outreach/{name}/new" for name in OUTREACH_REGISTERS],
        "outreach_plan.plan": ["/outreach/plan?year=2027"],
        "outreach_plan.analytics": ["/outreach/analytics?year=2027"],
    }


def get_endpoints() -> set[str]:
    app = Flask("routes")
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def unmapped() -> set[str]:
    """GET routes neither walked as pages nor named as something else."""
    walked = addresses(dict.fromkeys(("visit_id", "trip_id", "meeting_id", "function_id", "invitation_id"), "x"))
    return get_endpoints() - set(walked) - set(NOT_PAGES)


def every_address(records: dict[str, str]) -> list[str]:
    return [path for paths in addresses(records).values() for path in paths]
