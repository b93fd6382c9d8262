"""Every page of the console as a person opens it: each GET route of the URL map made concrete addresses over
records a suite holds (seed-like data), opened by someone whose roles may see it. A route that is not a page says
why; a route that is neither fails `unmapped`, so a new page is walked from the day it is added."""

from __future__ import annotations

import re
from collections.abc import Callable

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
MOMENT = {"starts_at": "2027-06-08T10:00", "ends_at": "2027-06-08T11:00", "time_zone": "Europe/Sofia"}
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
        # The other records' pages: tests/browser/test_procurement_in_chromium.py opens a plan line, a tender, an
        # auction, an award and a contract.
        "procurement.record": [f"/procurement/agreements/{records['agreement_id']}",
                               f"/procurement/commitments/{records['commitment_id']}"],
        "outreach.home": ["/outreach"],
        "outreach.register_list": [f"/outreach/{name}" for name in OUTREACH_REGISTERS],
        "outreach.new_record": [f"/outreach/{name}/new" for name in OUTREACH_REGISTERS],
        # Pages with change forms and events; tests/browser/test_outreach_in_chromium.py opens a survey.
        "outreach.record": [f"/outreach/partners/{records['partner_id']}",
                            f"/outreach/campaigns/{records['campaign_id']}",
                            f"/outreach/compatriot-programmes/{records['programme_id']}",
                            f"/outreach/organisations/{records['organisation_id']}"],
        "outreach_plan.plan": ["/outreach/plan?year=2027",
                               "/outreach/plan?year=2027&department=Culture Directorate&source=agreement_renewal"],
        "outreach_plan.analytics": ["/outreach/analytics?year=2027"],
    }


def get_endpoints() -> set[str]:
    app = Flask("routes")
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def unmapped() -> set[str]:
    """GET routes neither walked as pages nor named as something else."""
    walked = addresses(dict.fromkeys(("visit_id", "trip_id", "meeting_id", "function_id", "invitation_id",
                                      "agreement_id", "commitment_id", "partner_id", "campaign_id",
                                      "programme_id", "organisation_id"), "x"))
    return get_endpoints() - set(walked) - set(NOT_PAGES)


def every_address(records: dict[str, str]) -> list[str]:
    return [path for paths in addresses(records).values() for path in paths]


def seed(sent: Callable[[str, dict[str, str]], str], read: Callable[[str], str]) -> dict[str, str]:
    """The records every page is walked over, made through the console's own forms: `sent(path, form)` posts a
    form and returns where the console redirected, `read(path)` a page's HTML."""
    visit = sent("/visits/new", {"delegation_name": "Delegation of Plovdiv", "country": "BG", "city": "Plovdiv",
                                 "starts_on": "2027-06-07", "ends_on": "2027-06-09", "purpose": "Talks on culture",
                                 "host_official": OFFICIAL}).rsplit("/", 1)[-1]
    sent(f"/visits/{visit}/meetings/plan", {"title": "Talks with the Deputy Mayor", "official": OFFICIAL,
                                            "guests": "Mayor of Plovdiv", "country": "BG", **MOMENT,
                                            "venue": "City Hall"})
    sent(f"/visits/{visit}/meetings/function", {"kind": "reception", "title": "Reception for Plovdiv", **MOMENT,
                                                "starts_at": "2027-06-08T18:00", "ends_at": "2027-06-08T20:00",
                                                "venue": "City Hall, Ceremonial Hall"})
    meetings = read(f"/visits/{visit}/meetings")
    invitation = sent("/invitations/new", {
        "title": "Summit on Urban Mobility", "inviting_party": "Mayor of Vienna", "country": "AT", "city": "Vienna",
        "location": "abroad", "starts_on": "2027-06-14", "ends_on": "2027-06-15", "received_on": "2027-04-02",
        "summary": "A panel on the first day."})
    trip = sent("/trips/new", {
        "title": "Culture forum in Vienna", "purpose": "Present the festival", "department": "Culture Department",
        "starts_on": "2027-06-10", "ends_on": "2027-06-12", "funding": "city", "country": "AT", "city": "Vienna",
        "full_name": OFFICIAL, "job_title": "Deputy Mayor", "category": "deputy_mayor", "host": "",
        "international_function": ""})
    agreement = sent("/procurement/agreements/new", {
        "title": "Twinning with Lyon", "kind": "twinning", "partner_name": "City of Lyon", "partner_kind": "city",
        "country": "FR", "valid_from": "2027-04-01", "valid_until": "2031-03-31",
        "activities": "2027-09-15; Culture Directorate; Festival of young musicians"})
    commitment = sent("/procurement/commitments/new", {
        "obligation": "Road access to the industrial park", "counterparty_name": "Aurubis AG",
        "counterparty_kind": "investor", "country": "DE", "responsible_body": "Economic Development",
        "due_on": "2027-06-30"})
    outreach = {name: path.rsplit("/", 1)[-1] for name, path in seed_outreach(sent, read).items()}
    return {"visit_id": visit, "trip_id": trip.rsplit("/", 1)[-1], **outreach,
            "agreement_id": agreement.rsplit("/", 1)[-1], "commitment_id": commitment.rsplit("/", 1)[-1],
            "invitation_id": invitation.rsplit("/", 1)[-1],
            "meeting_id": re.search(r"/meetings/([0-9a-f-]{36})/minutes", meetings).group(1),
            "function_id": re.search(r"/functions/([0-9a-f-]{36})/press", meetings).group(1)}


def seed_outreach(sent: Callable[[str, dict[str, str]], str], read: Callable[[str], str]) -> dict[str, str]:
    """A partner with a relationship and a contact; a campaign with a draft material (its change form) and one in
    review (its texts to read); a programme with an event; an organisation with the city's membership."""
    partner = sent("/outreach/partners/new", {"kind": "capital", "name": "Sofia", "country": "BG",
                                              "names": "bg: София"})
    sent(f"{partner}/relationships/add", {"type": "twin_city", "established_on": "1967-05-24"})
    sent(f"{partner}/contacts/add", {"name": "Maria Petrova", "email": "m.petrova@sofia.example"})
    campaign = sent("/outreach/campaigns/new", {"title": "Sixty years with Sofia", "goals": "Make it known",
                                                "starts_on": "2027-04-01", "ends_on": "2027-06-30"})
    texts = {f"{part}_{code}": f"{part} {code}" for part in ("title", "body") for code in ("en", "ru", "bg")}
    sent(f"{campaign}/materials/add", {"kind": "printed", "title_en": "Leaflet", "body_en": "Sixty years"})
    sent(f"{campaign}/materials/add", {"kind": "press_release", **texts})
    in_review = re.search(r'<tr id="materials-([0-9a-f-]{36})">(?:(?!</tr>).)*?<td>title en</td>',
                          read(campaign), re.S).group(1)
    sent(f"{campaign}/materials/{in_review}/submit", {"version": "1"})
    programme = sent("/outreach/compatriot-programmes/new", {"title": "Summer school", "year": "2027"})
    sent(f"{programme}/events", {"title": "Opening", "held_on": "2027-07-01", "place": "City hall", "version": "1"})
    organisation = sent("/outreach/organisations/new", {"kind": "network", "name": "Eurocities"})
    sent(f"{organisation}/memberships/add", {"member_since": "2004-06-01"})
    return {"partner_id": partner, "campaign_id": campaign, "programme_id": programme,
            "organisation_id": organisation}
