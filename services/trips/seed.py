"""Demo data for trips (`make seed`): the mayor's trip to the partner city of Sofia, from the request to the
report, and three proposals to take part in international functions (one left for the mayor's office to decide),
through trips' own API (0007)."""

from __future__ import annotations

from shared.seed import SeedClient

TRAVEL, HEAD, MAYOR = "travel", "department-head", "mayor-office"
MAYOR_ID = "0d5c7e2a-9b1f-4c3e-8a6d-5f4e3d2c1b0a"  # his id in the register of officials, in visits (0130)
TRIP = {
    "title": "The Mayor's visit to Sofia for the Days of Sofia",
    "purpose": "Sign the 2026-2028 cooperation programme with Sofia and open the Days of the City in Sofia",
    "department": "International Relations Department",
    "destinations": [{"country": "BG", "city": "Sofia"}], "starts_on": "2026-05-20", "ends_on": "2026-05-23",
    "host": "Sofia Municipality", "international_function": "Days of Sofia 2026", "funding": "shared",
    "budget_currency": "EUR",
    "travellers": [
        {"full_name": "Ivan Sergeev", "job_title": "Mayor", "category": "mayor", "department": "Office of the Mayor",
         "official_id": MAYOR_ID},
        {"full_name": "Anna Volkova", "job_title": "Chief specialist, Europe desk", "category": "staff",
         "department": "International Relations Department"},
        {"full_name": "Pavel Orlov", "job_title": "Interpreter (Bulgarian)", "category": "staff",
         "department": "International Relations Department"}],
}
PASSPORTS = {"Ivan Sergeev": ("751234567", "2031-02-14"), "Anna Volkova": ("752345678", "2029-08-01"),
             "Pavel Orlov": ("753456789", "2030-11-30")}
LEGS = [{"origin": "Moscow (SVO)", "destination": "Sofia (SOF)", "mode": "air", "carrier_reference": "FB 878",
         "departs_at": "2026-05-20T07:40", "departs_time_zone": "Europe/Moscow",
         "arrives_at": "2026-05-20T09:15", "arrives_time_zone": "Europe/Sofia", "arrives_country": "BG"},
        {"origin": "Sofia (SOF)", "destination": "Moscow (SVO)", "mode": "air", "carrier_reference": "FB 877",
         "departs_at": "2026-05-23T18:10", "departs_time_zone": "Europe/Sofia",
         "arrives_at": "2026-05-23T21:40", "arrives_time_zone": "Europe/Moscow", "arrives_country": "RU"}]
MEETINGS = [{"title": "Talks with the Mayor of Sofia", "counterparts": "Mayor of Sofia; Deputy Mayor for Culture",
             "organisation": "Sofia Municipality", "location": "Sofia City Hall, 33 Moskovska St",
             "starts_at": "2026-05-21T10:00", "ends_at": "2026-05-21T11:30", "time_zone": "Europe/Sofia",
             "briefing": "Sign the 2026-2028 programme; raise the school orchestra exchange and the tram depot visit."},
            {"title": "Opening of the Days of the City", "counterparts": "Sofia City Council; the public",
             "location": "National Palace of Culture", "starts_at": "2026-05-22T18:00",
             "ends_at": "2026-05-22T20:00", "time_zone": "Europe/Sofia"}]
EXPECTED = [("accommodation", "2000.00", "BGN", "Grand Hotel Sofia, 3 nights, 3 rooms"),
            ("transport", "1140.00", "EUR", "Return flights, 3 travellers"),
            ("per_diem", "720.00", "EUR", "4 days, 3 travellers")]
ACTUAL = [("accommodation", "1890.00", "BGN", "Grand Hotel Sofia, invoice 2026/881"),
          ("transport", "1098.60", "EUR", "Tickets FB 878 / FB 877"),
          ("per_diem", "720.00", "EUR", "Paid per diem")]
REPORT = {
    "outcomes": "The 2026-2028 cooperation programme was signed; the Mayor opened the Days of the City in Sofia.",
    "agreements": "An exchange of school orchestras in 2027; a joint tourism stand at ITB Berlin.",
    "follow_ups": [{"title": "Draft the school orchestra exchange programme", "due_on": "2026-09-30",
                    "responsible_body": "Department of Culture"},
                   {"title": "Book the joint stand at ITB Berlin 2027", "due_on": "2026-11-15",
                    "responsible_body": "Tourism Committee"}],
    "coverage": [{"outlet": "Sofia News Agency", "headline": "Mayor opens the Days of the City in Sofia",
                  "url": "https://example.org/news/days-of-the-city", "published_on": "2026-05-22"}]}
PROPOSALS = [
    ({"function_name": "Eurocities Annual Forum 2027", "organiser": "Eurocities", "country": "AT", "city": "Vienna",
      "starts_on": "2027-06-09", "ends_on": "2027-06-11", "rationale": "A panel on urban mobility",
      "department": "International Relations Department", "funding": "city",
      "travellers": [TRIP["travellers"][1]]}, "approve", None),
    ({"function_name": "World Cities Summit 2027", "organiser": "Centre for Liveable Cities", "country": "SG",
      "city": "Singapore", "starts_on": "2027-06-28", "ends_on": "2027-07-01",
      "rationale": "Networking with Asian partner cities", "department": "International Relations Department",
      "funding": "city", "travellers": [TRIP["travellers"][0]]},
     "reject", "The dates clash with the city budget session"),
    # Left for the mayor's office to decide: the decision waiting in notifications' figures (decision 0125).
    ({"function_name": "Congress of Local and Regional Authorities, 2027 session", "organiser": "Council of Europe",
      "country": "FR", "city": "Strasbourg", "starts_on": "2027-10-26", "ends_on": "2027-10-28",
      "rationale": "A report on twin-city cooperation", "department": "International Relations Department",
      "funding": "city", "travellers": [TRIP["travellers"][1]]}, None, None),
]


def partner_id(client: SeedClient, name: str) -> str | None:
    found = client.call("outreach", "GET", f"/api/v1/partners?q={name}", roles="outreach")
    return found["items"][0]["id"] if found and found.get("items") else None


def seed(client: SeedClient) -> None:
    client.call("trips", "POST", "/api/v1/daily-rates", {"country": "BG", "currency": "EUR", "per_diem": "60.00",
                "accommodation_per_night": "150.00", "valid_from": "2026-01-01"}, roles=TRAVEL, key="trips:rate:BG")
    client.call("trips", "POST", "/api/v1/exchange-rates", {"base": "EUR", "quote": "BGN", "rate": "1.95583",
                "valid_on": "2026-01-01"}, roles=TRAVEL, key="trips:fx:EUR-BGN")
    trip = client.call("trips", "POST", "/api/v1/trips", {**TRIP, "partner_id": partner_id(client, "Sofia")},
                       roles=TRAVEL, key="trips:trip:sofia-2026")
    base = f"/api/v1/trips/{trip['id']}"
    if client.call("trips", "GET", base, roles=TRAVEL)["status"] == "draft":  # a later run finds it closed
        prepare(client, trip, base)
    for action, role in (("submit", TRAVEL), ("approve", HEAD), ("approve", MAYOR)):
        client.call("trips", "POST", f"{base}/{action}", {}, roles=role, tolerate=(409,),
                    department=TRIP["department"])
    for category, amount, currency, description in ACTUAL:
        client.call("trips", "POST", f"{base}/costs", {"kind": "actual", "category": category, "amount": amount,
                    "currency": currency, "description": description, "incurred_on": "2026-05-23"},
                    roles=TRAVEL, key=f"trips:actual:{category}")
    client.call("trips", "POST", f"{base}/report", REPORT, roles=TRAVEL, key="trips:report:sofia-2026")
    client.call("trips", "POST", f"{base}/report/submit", {}, roles=TRAVEL, tolerate=(409,))
    client.call("trips", "POST", f"{base}/close", {}, roles=TRAVEL, tolerate=(409,))
    for body, decision, reason in PROPOSALS:
        proposal = client.call("trips", "POST", "/api/v1/proposals", body, roles=TRAVEL,
                               key=f"trips:proposal:{body['function_name']}")
        if decision:
                client.call("trips", "POST", f"/api/v1/proposals/{proposal['id']}/{decision}", {"reason": reason},
                        roles=MAYOR, tolerate=(409,))


def prepare(client: SeedClient, trip: dict, base: str) -> None:
    """The papers, programme and expected costs of the trip, while it is still a draft."""
    for traveller in trip["travellers"]:
        number, expires_on = PASSPORTS[traveller["full_name"]]
        path = f"{base}/travellers/{traveller['id']}"
        client.call("trips", "PUT", f"{path}/passport", {"number": number, "expires_on": expires_on}, roles=TRAVEL)
        for kind, status in (("visa", "not_required"), ("insurance", "obtained"), ("travel_order", "obtained")):
            client.call("trips", "PUT", f"{path}/documents/{kind}", {"status": status}, roles=TRAVEL)
    for position, leg in enumerate(LEGS):
        client.call("trips", "POST", f"{base}/legs", leg, roles=TRAVEL, key=f"trips:leg:{position}")
    client.call("trips", "POST", f"{base}/stays", {"name": "Grand Hotel Sofia", "address": "1 Gurko St",
                "country": "BG", "city": "Sofia", "check_in": "2026-05-20", "check_out": "2026-05-23"},
                roles=TRAVEL, key="trips:stay:sofia")
    for position, meeting in enumerate(MEETINGS):
        client.call("trips", "POST", f"{base}/meetings", meeting, roles=TRAVEL, key=f"trips:meeting:{position}")
    for category, amount, currency, description in EXPECTED:
        client.call("trips", "POST", f"{base}/costs", {"kind": "expected", "category": category, "amount": amount,
                    "currency": currency, "description": description}, roles=TRAVEL,
                    key=f"trips:expected:{category}")
