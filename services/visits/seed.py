"""Demo data for visits (`make seed`): a three-day visit of the Delegation of Lyon with its people, programme,
interpreters, protocol, a meeting with a follow-up and a press conference, an earlier visit of Thessaloniki
completed with its report and follow-ups (which outreach makes plan items, decision 0155), the mayor in the
register of officials and his invitation inbox — entered through the visits API (docs/decisions/0007), so a
second run changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from shared.seed import SeedClient

STAFF, MAYOR = "protocol", "mayor-office"
# The mayor in the register (decision 0130): the programme names him "Mayor", trips' demo data by his id.
OFFICIAL = {"id": "0d5c7e2a-9b1f-4c3e-8a6d-5f4e3d2c1b0a", "display_name": "Ivan Sergeev", "offices": ["Mayor"],
            "aliases": ["Mayor"]}
ZONE = "Europe/Moscow"
VISIT = {"delegation_name": "Delegation of the City of Lyon", "country": "FR", "city": "Lyon",
         "starts_on": "2027-05-17", "ends_on": "2027-05-19", "host_official": "Mayor",
         "purpose": "Partnership anniversary; talks on urban transport and a joint tram study"}
PEOPLE = {
    "head": {"role": "head", "name_original": "Grégoire Dubois", "name_latin": "Gregoire Dubois",
             "title": "Mayor of Lyon", "rank": "mayor", "organisation": "City of Lyon", "country": "FR",
             "languages": ["fr", "en"], "dietary_needs": "vegetarian"},
    "deputy": {"role": "member", "name_original": "Camille Lefèvre", "name_latin": "Camille Lefevre",
               "title": "Deputy Mayor for Mobility", "rank": "deputy_mayor", "organisation": "City of Lyon",
               "country": "FR", "languages": ["fr", "en", "ru"]},
    "engineer": {"role": "member", "name_original": "Karim Benali", "name_latin": "Karim Benali",
                 "title": "Head of the Tram Network", "rank": "head_of_department",
                 "organisation": "SYTRAL Mobilités", "country": "FR", "languages": ["fr", "ar", "en"],
                 "access_needs": "uses a wheelchair: step-free venues and transport"},
    "interpreter": {"role": "accompanying", "name_original": "Анна Морель", "name_latin": "Anna Morel",
                    "title": "Interpreter of the delegation", "country": "FR", "languages": ["fr", "ru"]},
    "security": {"role": "security", "name_original": "Julien Marchand", "name_latin": "Julien Marchand",
                 "country": "FR", "languages": ["fr"]},
}
PROGRAMME = [
    ("arrival", {"kind": "transfer", "title": "Arrival and transfer to the hotel", "starts_at": "2027-05-17T09:00:00",
                 "ends_at": "2027-05-17T10:30:00", "responsible_staff": "ivan"}),
    ("talks", {"kind": "meeting", "title": "Talks with the Mayor on urban transport",
               "starts_at": "2027-05-17T12:00:00", "ends_at": "2027-05-17T13:30:00", "venue": "City Hall, White Hall",
               "host_participants": ["Mayor", "Deputy Mayor for Transport"], "responsible_staff": "olga"}),
    ("lunch", {"kind": "meal", "title": "Working lunch", "starts_at": "2027-05-17T13:45:00",
               "ends_at": "2027-05-17T15:00:00", "venue": "City Hall, Winter Garden",
               "host_participants": ["Mayor", "Deputy Mayor for Transport"], "responsible_staff": "olga"}),
    ("depot", {"kind": "site_visit", "title": "Visit to the northern tram depot", "starts_at": "2027-05-18T10:00:00",
               "ends_at": "2027-05-18T12:00:00", "venue": "Northern tram depot",
               "host_participants": ["Deputy Mayor for Transport"], "responsible_staff": "ivan"}),
    ("round-table", {"kind": "official_function", "title": "Round table: trams in European cities",
                     "starts_at": "2027-05-18T14:00:00", "ends_at": "2027-05-18T17:00:00",
                     "venue": "City Hall, Hall of Columns", "host_participants": ["Deputy Mayor for Transport"],
                     "responsible_staff": "olga"}),
    ("dinner", {"kind": "meal", "title": "Official dinner given by the Mayor", "starts_at": "2027-05-18T19:30:00",
                "ends_at": "2027-05-18T22:00:00", "venue": "Mayor's Residence",
                "host_participants": ["Mayor", "Deputy Mayor for Transport", "Chief Architect"],
                "responsible_staff": "olga"}),
    ("press", {"kind": "official_function", "title": "Joint press conference", "starts_at": "2027-05-19T10:00:00",
               "ends_at": "2027-05-19T11:00:00", "venue": "City Hall, Press Centre",
               "host_participants": ["Mayor"], "responsible_staff": "olga"}),
    ("free", {"kind": "free_time", "title": "Free time in the old town", "starts_at": "2027-05-19T11:30:00",
              "ends_at": "2027-05-19T15:00:00"}),
    ("departure", {"kind": "transfer", "title": "Transfer to the airport", "starts_at": "2027-05-19T16:00:00",
                   "ends_at": "2027-05-19T17:30:00", "responsible_staff": "ivan"}),
]


def partner_id(client: SeedClient, name: str) -> str | None:
    found = client.call("outreach", "GET", f"/api/v1/partners?q={name}", roles="outreach")
    return found["items"][0]["id"] if found and found["items"] else None


def seed(client: SeedClient) -> None:
    client.call("visits", "POST", "/api/v1/officials", OFFICIAL, roles=STAFF, key="visits:official:mayor")
    visit = client.call("visits", "POST", "/api/v1/visits", {**VISIT, "partner_id": partner_id(client, "Lyon")},
                        roles=STAFF, key="visits:visit:lyon-2027")
    people = {name: client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/members", body, roles=STAFF,
                                key=f"visits:member:lyon-2027:{name}")
              for name, body in PEOPLE.items()}
    guests = [people[name]["id"] for name in ("head", "deputy", "engineer", "interpreter")]
    items = {}
    for name, body in PROGRAMME:
        with_guests = {**body, "time_zone": ZONE,
                       "guest_participants": [] if body["kind"] in ("transfer", "free_time") else guests}
        items[name] = client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/agenda-items", with_guests,
                                  roles=STAFF, key=f"visits:agenda:lyon-2027:{name}")
    client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/confirm", {"reason": "Lyon confirmed the dates"},
                roles=STAFF, tolerate=(409,))
    seed_interpreters(client, visit, items)
    seed_protocol(client, visit, people, items)
    seed_meeting_and_press(client, visit, items)
    seed_visa_letter(client, visit, people["engineer"])
    seed_invitations(client)
    seed_visit_report(client)


THESSALONIKI = {"delegation_name": "Delegation of the City of Thessaloniki", "country": "GR", "city": "Thessaloniki",
                "starts_on": "2026-11-10", "ends_on": "2026-11-12", "host_official": "Deputy Mayor for Culture",
                "purpose": "Cultural exchange and the 2027 festival season"}
REPORT = {"outcome": "Agreed a joint season of the two cities' festivals in 2027 and a school orchestra exchange.",
          "agreements": "Letter of intent on the 2027 festival season, signed by both deputy mayors.",
          "follow_ups": [
              {"title": "Send Thessaloniki the draft festival programme", "owner": "Elena Petrova",
               "department": "Department of Culture", "due_on": "2027-01-31"},
              {"title": "Agree the dates of the school orchestra exchange", "owner": "Nikolai Orlov",
               "department": "Department of Education", "due_on": "2027-03-15"},
              {"title": "Thank-you letter to the Mayor of Thessaloniki", "owner": "Deputy Mayor for Culture",
               "due_on": "2026-11-20"}]}


def seed_visit_report(client: SeedClient) -> None:
    """A visit that took place, with the report after it submitted: its follow-ups are plan items in outreach."""
    visit = client.call("visits", "POST", "/api/v1/visits",
                        {**THESSALONIKI, "partner_id": partner_id(client, "Thessaloniki")},
                        roles=STAFF, key="visits:visit:thessaloniki-2026")
    for action in ("confirm", "start", "complete"):
        client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/{action}", {}, roles=STAFF, tolerate=(409,))
    client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/report", REPORT, roles=STAFF,
                key="visits:report:thessaloniki-2026")
    client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/report/submit", {}, roles=STAFF, tolerate=(409,))


def seed_interpreters(client: SeedClient, visit: dict, items: dict) -> None:
    for name, body in (("natalia", {"name": "Natalia Orlova", "pairs": ["fr-ru", "en-ru"],
                                    "modes": ["consecutive", "simultaneous"]}),
                       ("pierre", {"name": "Pierre Volkov", "pairs": ["fr-ru"], "modes": ["simultaneous"]})):
        client.call("visits", "POST", "/api/v1/interpreters", body, roles=STAFF, key=f"visits:interpreter:{name}")
    for item, mode in (("talks", "consecutive"), ("round-table", "simultaneous"), ("dinner", "consecutive"),
                       ("depot", "consecutive")):
        client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/interpretation-needs",
                    {"agenda_item_id": items[item]["id"], "language_pair": "fr-ru", "mode": mode},
                    roles=STAFF, key=f"visits:interpretation:lyon-2027:{item}")
    # Nobody in the register speaks Arabic: the need stays a request to hire an interpreter.
    client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/interpretation-needs",
                {"agenda_item_id": items["depot"]["id"], "language_pair": "ar-ru", "mode": "consecutive"},
                roles=STAFF, key="visits:interpretation:lyon-2027:depot-ar")


def seed_protocol(client: SeedClient, visit: dict, people: dict, items: dict) -> None:
    flags = client.call("visits", "GET", f"/api/v1/visits/{visit['id']}/flags", roles=STAFF)
    if not flags["flags"]:
        client.call("visits", "PUT", f"/api/v1/visits/{visit['id']}/flags", {"flags": ["FR", "RU", "EU"]},
                    roles=STAFF)
    client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/seating-plans", {
        "title": "Official dinner given by the Mayor", "agenda_item_id": items["dinner"]["id"],
        "hosts": [{"name": "Mayor", "rank": "mayor", "principal": True},
                  {"name": "Deputy Mayor for Transport", "rank": "deputy_mayor"},
                  {"name": "Chief Architect", "rank": "head_of_department"}]},
        roles=STAFF, key="visits:seating:lyon-2027:dinner")
    for name, body in (("flags", {"title": "Order the flags of France and Lyon", "owner": "ivan",
                                  "due_on": "2027-05-03"}),
                       ("cards", {"title": "Print place cards for the dinner", "owner": "olga",
                                  "due_on": "2027-05-14"}),
                       ("ramp", {"title": "Check step-free access at the depot", "owner": "ivan",
                                 "due_on": "2027-05-10"})):
        client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/checklist", body, roles=STAFF,
                    key=f"visits:checklist:lyon-2027:{name}")
    client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/gifts", {
        "direction": "given", "description": "Album of the city's architecture, leather-bound",
        "giver": "Mayor", "recipient": people["head"]["name_latin"], "value_amount": "180.00",
        "value_currency": "EUR", "exchanged_on": "2027-05-18", "disposition": "handed_over"},
        roles=STAFF, key="visits:gift:lyon-2027:album")


def seed_meeting_and_press(client: SeedClient, visit: dict, items: dict) -> None:
    talks = client.call("visits", "POST", "/api/v1/meetings", {
        "title": "The Mayor meets the Mayor of Lyon", "official": "Mayor", "guests": ["Grégoire Dubois",
                                                                                     "Camille Lefèvre"],
        "country": "FR", "partner_id": visit["partner_id"], "visit_id": visit["id"],
        "agenda_item_id": items["talks"]["id"], "starts_at": "2027-05-17T12:00:00",
        "ends_at": "2027-05-17T13:30:00", "time_zone": ZONE,
        "briefing_notes": "Lyon wants a joint tram study funded by both cities; our budget allows a pilot.",
        "talking_points": ["Thank Lyon for hosting our engineers in 2026", "Propose the joint tram study",
                           "Invite Lyon to the annual coordinating meeting in November"]},
        roles=STAFF, key="visits:meeting:lyon-2027:talks")
    client.call("visits", "POST", f"/api/v1/meetings/{talks['id']}/follow-ups", {
        "title": "Send Lyon the terms of reference of the joint tram study", "responsible_body": "Department of "
        "Transport", "due_on": "2027-06-30"}, roles=STAFF, key="visits:follow-up:lyon-2027:tram-study")
    press = client.call("visits", "POST", "/api/v1/functions", {
        "kind": "press_conference", "title": "Joint press conference of the two mayors", "visit_id": visit["id"],
        "agenda_item_id": items["press"]["id"], "starts_at": "2027-05-19T10:00:00",
        "ends_at": "2027-05-19T11:00:00", "time_zone": ZONE, "venue": "City Hall, Press Centre",
        "officials": ["Mayor"], "press_open": True}, roles=STAFF, key="visits:function:lyon-2027:press")
    for name, country in (("Consul General of France", "FR"), ("Chair of the Transport Committee", "RU")):
        client.call("visits", "POST", f"/api/v1/functions/{press['id']}/invitees", {"name": name, "country": country},
                    roles=STAFF, key=f"visits:invitee:lyon-2027:{name}")
    accreditation = client.call("visits", "POST", f"/api/v1/functions/{press['id']}/accreditations", {
        "journalist": "Marie Laurent", "outlet": "Le Progrès", "country": "FR"},
        roles=STAFF, key="visits:accreditation:lyon-2027:le-progres")
    client.call("visits", "POST", f"/api/v1/functions/{press['id']}/accreditations/{accreditation['id']}/decide",
                {"approve": True}, roles=STAFF, tolerate=(409,))


def seed_visa_letter(client: SeedClient, visit: dict, member: dict) -> None:
    # A made-up passport: demo data never holds real personal data.
    client.call("visits", "POST", f"/api/v1/visits/{visit['id']}/visa-letters", {
        "member_id": member["id"], "language": "ru", "consulate": "Consulate General in Lyon",
        "passport_number": "19FV00000", "date_of_birth": "1980-01-01", "place_of_birth": "Lyon",
        "passport_expires_on": "2031-01-01"}, roles=STAFF, key="visits:visa-letter:lyon-2027:engineer")


def seed_invitations(client: SeedClient) -> None:
    vienna = client.call("visits", "POST", "/api/v1/invitations", {
        "title": "Summit of European Capitals on Urban Mobility", "inviting_party": "Mayor of Vienna",
        "country": "AT", "city": "Vienna", "location": "abroad", "starts_on": "2027-06-14", "ends_on": "2027-06-15",
        "received_on": "2027-04-02", "summary": "The Mayor is invited to speak on the first day's panel."},
        roles=STAFF, key="visits:invitation:vienna-summit")
    current = client.call("visits", "GET", f"/api/v1/invitations/{vienna['id']}", roles=STAFF)
    if current["status"] == "received":
        client.call("visits", "POST", f"/api/v1/invitations/{vienna['id']}/review", {}, roles=STAFF)
        client.call("visits", "POST", f"/api/v1/invitations/{vienna['id']}/assign", {
            "assignee": "Deputy Mayor for Transport", "assignee_kind": "official",
            "deadline": (date.today() + timedelta(days=14)).isoformat()},
            roles=STAFF)
    client.call("visits", "POST", "/api/v1/invitations", {
        "title": "National Day reception", "inviting_party": "Embassy of France", "country": "RU", "city": "Moscow",
        "location": "in_city", "starts_on": "2027-07-14", "ends_on": "2027-07-14", "received_on": "2027-06-20"},
        roles=STAFF, key="visits:invitation:france-national-day")
