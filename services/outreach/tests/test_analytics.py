"""Analytics folded from events only: figures, order-proof folding, a rebuild equal to the live model, the PDF."""

import io
import random
import uuid

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from services.outreach.store.models import AnalyticsEvent, AnalyticsFact
from services.outreach.tests.conftest import assert_problem, cloud_event


def visit(country, starts_on, status="confirmed", visit_id=None):
    return {"id": visit_id or str(uuid.uuid4()), "delegation_name": f"Delegation from {country}", "country": country,
            "city": "X", "starts_on": starts_on, "ends_on": starts_on, "purpose": "Talks", "host_official": "Mayor",
            "status": status}


def trip(countries, starts_on, status="approved"):
    return {"id": str(uuid.uuid4()), "title": "Trip", "country": countries[0], "countries": countries,
            "starts_on": starts_on, "ends_on": starts_on, "department": "Mayor's Office", "status": status,
            "partner_id": None}


def contract(amount, signed_on, status="active"):
    return {"id": str(uuid.uuid4()), "title": "Tram spare parts", "value": {"amount": amount, "currency": "EUR"},
            "buyer_signed_on": signed_on, "period_start": signed_on, "status": status}


def events_of_a_year():
    later = visit("BG", "2027-05-01", "cancelled", visit_id="5e1f0c2a-0000-4000-8000-000000000001")
    return [
        cloud_event("chancery.visits.visit.confirmed.v1", visit("BG", "2027-03-10"), time="2027-02-01T10:00:00Z"),
        cloud_event("chancery.visits.visit.confirmed.v1", visit("BG", "2027-06-10"), time="2027-02-02T10:00:00Z"),
        cloud_event("chancery.visits.visit.confirmed.v1", visit("FR", "2027-04-01"), time="2027-02-03T10:00:00Z"),
        cloud_event("chancery.visits.visit.created.v1", visit("DE", "2027-04-01", "draft"),
                    time="2027-02-03T11:00:00Z"),
        cloud_event("chancery.visits.visit.confirmed.v1", {**later, "status": "confirmed"},
                    time="2027-02-04T10:00:00Z"),
        cloud_event("chancery.visits.visit.cancelled.v1", later, time="2027-03-04T10:00:00Z"),
        cloud_event("chancery.visits.visit.confirmed.v1", visit("BG", "2026-09-10"), time="2026-08-01T10:00:00Z"),
        cloud_event("chancery.trips.trip.approved.v1", trip(["DE", "AT"], "2027-09-20"), time="2027-05-01T10:00:00Z"),
        cloud_event("chancery.trips.trip.approved.v1", trip(["DE"], "2027-11-02"), time="2027-06-01T10:00:00Z"),
        cloud_event("chancery.contracts.contract.activated.v1", contract("1000000.10", "2027-04-01"),
                    time="2027-04-01T10:00:00Z"),
        cloud_event("chancery.contracts.contract.activated.v1", contract("250000.00", "2027-07-01"),
                    time="2027-07-01T10:00:00Z"),
        cloud_event("chancery.contracts.contract.created.v1", contract("9.99", "2027-07-01", "pending"),
                    time="2027-07-01T11:00:00Z"),
    ]


def analytics(outreach, query=""):
    response = outreach.call("GET", f"/api/v1/analytics?{query}", roles="mayor-office")
    assert response.status_code == 200, response.json
    return response.json


def fact_rows(outreach):
    with outreach.runtime.database.read_session() as session:
        return [(f.kind, f.record_id, f.year, f.status, f.countries, f.amount, f.as_of, f.as_of_position)
                for f in session.scalars(select(AnalyticsFact).order_by(AnalyticsFact.kind, AnalyticsFact.record_id))]


def test_visits_trips_and_contract_value_are_counted_from_events_by_year(outreach):
    for event in events_of_a_year():
        outreach.deliver(event)
    figures = analytics(outreach, "year=2027")
    assert figures["visits_per_country"] == [{"country": "BG", "year": 2027, "visits": 2},
                                             {"country": "FR", "year": 2027, "visits": 1}]
    assert figures["trips_per_destination"] == [{"country": "AT", "year": 2027, "trips": 1},
                                                {"country": "DE", "year": 2027, "trips": 2}]
    assert figures["contract_value_per_year"] == [{"year": 2027, "currency": "EUR", "amount": "1250000.10"}]
    assert {"country": "BG", "year": 2026, "visits": 1} in analytics(outreach)["visits_per_country"]


def test_an_older_event_arriving_late_does_not_undo_a_newer_one(outreach):
    events = events_of_a_year()
    confirmed, cancelled = events[4], events[5]
    outreach.deliver(cancelled)
    outreach.deliver(confirmed)
    assert analytics(outreach)["visits_per_country"] == []


def test_plan_completion_follows_outreachs_own_plan_item_events(outreach):
    items = [outreach.create("/api/v1/plan-items", {"activity": f"Activity {n}", "responsible_body": "Culture",
                                                    "due_on": "2027-06-01"}) for n in range(3)]
    outreach.call("POST", f"/api/v1/plan-items/{items[0]['id']}/complete", {}, roles="outreach")
    outreach.call("POST", f"/api/v1/plan-items/{items[1]['id']}/cancel", {"reason": "Postponed"}, roles="outreach")
    assert analytics(outreach)["plan_completion"] == [{"year": 2027, "items": 3, "done": 1, "cancelled": 1,
                                                       "completion": 0.5}]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_read_model_rebuilt_from_scratch_equals_the_live_one_whatever_order_events_arrived_in(outreach, seed):
    events = events_of_a_year()
    random.Random(seed).shuffle(events)
    for event in events:
        outreach.deliver(event)
    outreach.create("/api/v1/plan-items", {"activity": "Art fair", "responsible_body": "Culture",
                                           "due_on": "2027-09-01"})
    live_rows, live_figures = fact_rows(outreach), analytics(outreach)
    # the events, the hand-entered item's, and those of the plan items the confirmed visits became
    logged = outreach.count(AnalyticsEvent)
    assert logged > len(events) + 1
    rebuilt = outreach.call("POST", "/api/v1/analytics/rebuild", roles="outreach")
    assert rebuilt.status_code == 200, rebuilt.json
    assert rebuilt.json == {"events": logged, "facts": len(live_rows)}
    assert fact_rows(outreach) == live_rows
    assert analytics(outreach) == live_figures
    assert outreach.outbox_types()[-1] == "chancery.outreach.analytics.rebuilt.v1"
    assert outreach.call("POST", "/api/v1/analytics/rebuild", roles="mayor-office").status_code == 403


def pdf_text(response) -> tuple[str, bytes]:
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    content = b"".join(page.get_contents().get_data() for page in reader.pages)
    return " ".join(text.split()), content


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["Annual report on international cooperation 2027", "Bulgaria", "France",
            "Incoming visits by country", "Business trips abroad by destination", "Germany",
            "Items: 6; Done: 0; Cancelled: 1"]),  # four visits confirmed and two trips approved in 2027
    ("ru", ["Годовой отчёт о международном сотрудничестве 2027", "Болгария", "Франция",
            "Входящие визиты по странам", "Германия"]),
    ("bg", ["Годишен доклад за международното сътрудничество 2027", "България", "Франция",
            "Посещения по държави", "Германия"]),
])
def test_the_annual_report_is_a_pdf_in_the_language_asked_with_its_figures_and_charts(outreach, language, expected):
    for event in events_of_a_year():
        outreach.deliver(event)
    partner = outreach.create("/api/v1/partners", {"kind": "capital", "name": "Sofia", "country": "BG"})
    outreach.create(f"/api/v1/partners/{partner['id']}/relationships", {"type": "twin_city",
                                                                         "established_on": "1967-05-24"})
    text, content = pdf_text(outreach.call("GET", f"/api/v1/analytics/annual-report?year=2027&language={language}",
                                           roles="mayor-office"))
    for phrase in expected:
        assert phrase in text, (phrase, text[:500])
    bars = content.count(b" re f") + content.count(b" re\nf")
    assert bars == 4, "each chart draws one filled bar per country: visits BG, FR; trips DE, AT"


def test_an_annual_report_in_another_language_is_refused_naming_it(outreach):
    assert_problem(outreach.call("GET", "/api/v1/analytics/annual-report?year=2027&language=de"), 422, "language")
