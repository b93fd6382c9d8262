"""Demo data for outreach (`make seed`): partner cities with their twinning history, a campaign, a survey, a
plan with items in every state, and a society, an office abroad and a compatriot programme with their people,
entered through outreach's own API (docs/decisions/0007)."""

from __future__ import annotations

from shared.seed import SeedClient

STAFF, MAYOR, HEAD = "outreach", "mayor-office", "department-head"
PARTNERS = [
    ({"kind": "capital", "name": "Sofia", "country": "BG", "region": "Sofia City Province",
      "names": [{"language": "bg", "name": "София"}, {"language": "ru", "name": "София"}]},
     [{"type": "twin_city", "established_on": "1967-05-24", "basis": "Twinning charter signed by both mayors"}]),
    ({"kind": "city", "name": "Lyon", "country": "FR", "region": "Auvergne-Rhône-Alpes",
      "names": [{"language": "fr", "name": "Lyon"}, {"language": "ru", "name": "Лион"},
                {"language": "bg", "name": "Лион"}]},
     [{"type": "twin_city", "established_on": "1987-10-02", "ended_on": "1999-12-31",
       "basis": "Twinning charter; ended by mutual consent"},
      {"type": "partner_city", "established_on": "2001-03-15", "basis": "Partnership declaration"}]),
    ({"kind": "city", "name": "Thessaloniki", "country": "GR",
      "names": [{"language": "el", "name": "Θεσσαλονίκη"}, {"language": "bg", "name": "Солун"},
                {"language": "ru", "name": "Салоники"}]},
     [{"type": "cooperation_agreement", "established_on": "2015-06-01",
       "basis": "Agreement on cooperation in culture and tourism"}]),
    ({"kind": "region", "name": "Bavaria", "country": "DE",
      "names": [{"language": "de", "name": "Bayern"}, {"language": "ru", "name": "Бавария"},
                {"language": "bg", "name": "Бавария"}]},
     [{"type": "cooperation_agreement", "established_on": "2010-04-20", "ended_on": "2020-04-19",
       "basis": "Ten-year agreement on economic cooperation"}]),
]
SURVEY_RESULTS = ("respondent_id,knows_twin,importance\n"
                  "r-001,yes,4\nr-002,yes,5\nr-003,no,3\nr-004,not sure,2\nr-005,yes,4\nr-006,no,\n")


def seed(client: SeedClient) -> None:
    partners = {}
    for body, relationships in PARTNERS:
        partner = client.call("outreach", "POST", "/api/v1/partners", body, roles=STAFF,
                              key=f"outreach:partner:{body['name']}")
        partners[body["name"]] = partner["id"]
        for relationship in relationships:
            client.call("outreach", "POST", f"/api/v1/partners/{partner['id']}/relationships", relationship,
                        roles=STAFF, key=f"outreach:relationship:{body['name']}:{relationship['established_on']}")
    client.call("outreach", "POST", f"/api/v1/partners/{partners['Sofia']}/contacts",
                {"name": "Maria Petrova", "position": "Head of International Cooperation",
                 "email": "m.petrova@sofia.example", "languages": ["bg", "en"]},
                roles=STAFF, key="outreach:contact:sofia")
    campaign = seed_campaign(client, partners["Sofia"])
    seed_survey(client, campaign["id"])
    seed_plan(client, partners)
    seed_people(client, partners["Sofia"])


def seed_campaign(client: SeedClient, sofia: str) -> dict:
    campaign = client.call("outreach", "POST", "/api/v1/campaigns", {
        "title": "Sofia and our city: 60 years of twinning", "goals": "Make the twinning known to young people",
        "audiences": ["students", "diaspora"], "channels": ["social", "press", "outdoor"],
        "starts_on": "2027-04-01", "ends_on": "2027-06-30", "partner_id": sofia},
        roles=STAFF, key="outreach:campaign:sofia-60")
    release = client.call("outreach", "POST", "/api/v1/materials", {
        "kind": "press_release", "campaign_id": campaign["id"], "texts": {
            "en": {"title": "Sofia Days open on Friday", "body": "The City and Sofia celebrate sixty years."},
            "ru": {"title": "В пятницу открываются Дни Софии", "body": "Город и София отмечают шестьдесят лет."},
            "bg": {"title": "Дните на София започват в петък", "body": "Градът и София отбелязват шестдесет години."}}},
        roles=STAFF, key="outreach:material:sofia-days")
    # Left in review: the seed user submitted it, and the one who submits may not publish (four eyes).
    client.call("outreach", "POST", f"/api/v1/materials/{release['id']}/submit", {}, roles=STAFF, tolerate=(409,))
    return campaign


def seed_survey(client: SeedClient, campaign_id: str) -> None:
    survey = client.call("outreach", "POST", "/api/v1/surveys", {
        "title": "How residents see the city's twin towns", "commissioned_from": "Alpha Research",
        "fieldwork_from": "2027-02-01", "fieldwork_until": "2027-02-14", "campaign_id": campaign_id},
        roles=STAFF, key="outreach:survey:twin-towns")
    for question in ({"code": "knows_twin", "text": "Do you know that Sofia is our twin city?",
                      "kind": "single_choice", "options": ["yes", "no", "not sure"]},
                     {"code": "importance", "text": "How important are ties with twin cities? (1-5)",
                      "kind": "scale", "scale_min": 1, "scale_max": 5}):
        client.call("outreach", "POST", f"/api/v1/surveys/{survey['id']}/questions", question, roles=STAFF,
                    key=f"outreach:survey:twin-towns:{question['code']}", tolerate=(409,))
    client.call("outreach", "POST", f"/api/v1/surveys/{survey['id']}/results", {"csv": SURVEY_RESULTS},
                roles=STAFF, tolerate=(422,))  # the second run finds the respondents imported already


def seed_plan(client: SeedClient, partners: dict[str, str]) -> None:
    """One item in each state, and one overdue, of five departments (the one in progress carried by its head),
    then a version of the plan approved by the mayor's office."""
    items = [
        ("planned", "Days of Sofia culture in the city", "Department of Culture", "Sofia", "2027-05-27", []),
        ("overdue", "Exchange of municipal IT specialists", "Department of Digital Services", "Sofia",
         "2026-03-01", []),
        ("in_progress", "Joint tourism stand at the Thessaloniki fair", "Department of Tourism", "Thessaloniki",
         "2027-09-10", [("start", {})]),
        ("done", "Lyon urban transport study visit", "Department of Transport", "Lyon", "2027-02-20",
         [("complete", {})]),
        ("cancelled", "Bavarian business forum", "Department of Economy", "Bavaria", "2027-04-15",
         [("cancel", {"reason": "The cooperation agreement ended"})]),
    ]
    for label, activity, body, partner, due_on, actions in items:
        item = client.call("outreach", "POST", "/api/v1/plan-items", {
            "activity": activity, "responsible_body": body, "partner_id": partners[partner], "due_on": due_on,
            "budget_amount": "10000.00", "budget_currency": "EUR"}, roles=STAFF, key=f"outreach:plan:{label}")
        # The item in progress is its department's head's to carry: started and reported on by them (0136).
        role, department = (HEAD, body) if label == "in_progress" else (STAFF, None)
        for action, action_body in actions:
            client.call("outreach", "POST", f"/api/v1/plan-items/{item['id']}/{action}", action_body, roles=role,
                        department=department, tolerate=(409,))
        current = client.call("outreach", "GET", f"/api/v1/plan-items/{item['id']}", roles=STAFF)
        if label == "in_progress" and current["progress"] != 40:  # a later run finds it set
            client.call("outreach", "POST", f"/api/v1/plan-items/{item['id']}/progress", {"progress": 40},
                        roles=role, department=department, tolerate=(409,))
    version = client.call("outreach", "POST", "/api/v1/plans/2027/versions", {"note": "Demo plan"}, roles=STAFF,
                          key="outreach:plan-version:2027", tolerate=(409,))
    if version:
        client.call("outreach", "POST", f"/api/v1/plan-versions/{version['id']}/approve", {}, roles=MAYOR,
                    tolerate=(409,))


def seed_people(client: SeedClient, sofia: str) -> None:
    """A friendship society with its chair, the office in Sofia with its staff, a compatriot programme with a
    participant."""
    society = client.call("outreach", "POST", "/api/v1/societies", {
        "kind": "friendship_society", "name": "Friends of Sofia", "country": "BG", "partner_id": sofia},
        roles=STAFF, key="outreach:society:friends-of-sofia")
    client.call("outreach", "POST", "/api/v1/organisation-contacts", {
        "society_id": society["id"], "name": "Elena Ivanova", "position": "Chair",
        "email": "chair@friends-of-sofia.example", "languages": ["bg", "ru"]},
        roles=STAFF, key="outreach:contact:friends-of-sofia")
    office = client.call("outreach", "POST", "/api/v1/offices", {
        "name": "City representative office in Sofia", "country": "BG", "city": "Sofia", "opened_on": "2012-03-01",
        "staff_count": 2}, roles=STAFF, key="outreach:office:sofia")
    for name, position, since in (("Petar Dimitrov", "Head of office", "2024-02-01"),
                                  ("Ana Koleva", "Trade attaché", "2022-09-01")):
        client.call("outreach", "POST", "/api/v1/office-staff", {
            "office_id": office["id"], "name": name, "position": position, "employed_from": since,
            "phone": "+359 2 000 0100", "languages": ["bg", "en"]}, roles=STAFF, key=f"outreach:staff:{name}")
    programme = client.call("outreach", "POST", "/api/v1/compatriot-programmes", {
        "title": "Summer school for compatriots' children", "year": 2027, "budget_amount": "40000.00",
        "budget_currency": "EUR", "partner_organisations": ["Cultural centre in Chisinau"], "participants_count": 60},
        roles=STAFF, key="outreach:programme:summer-school")
    client.call("outreach", "POST", "/api/v1/compatriot-participants", {
        "programme_id": programme["id"], "name": "Olga Smirnova", "position": "Teacher", "country": "MD",
        "city": "Chisinau", "organisation": "Cultural centre in Chisinau", "joined_on": "2027-07-01",
        "languages": ["ru", "ro"]}, roles=STAFF, key="outreach:participant:olga-smirnova")
