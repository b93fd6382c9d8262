"""Trips' records made through its operations on an in-memory unit of work, for the operations' unit tests."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from services.trips.app import SPEC
from services.trips.domain.budget import CostCategory, CostKind
from services.trips.domain.documents import DocumentKind, DocumentStatus
from services.trips.operations.budget import add_cost, create_rate
from services.trips.operations.documents import record_document, record_passport
from services.trips.operations.programme import add_item
from services.trips.operations.proposals import create_proposal
from services.trips.operations.reports import write_report
from services.trips.operations.trips import draft_trip, move_trip
from services.trips.store.models import Report, Trip
from services.trips.tests.support import MAYOR, STAFF
from shared.testing import RecordingUnitOfWork, install_test_keys

PARTNER = "b2f0c6a4-1d3e-4f5a-9b8c-7d6e5f4a3b2c"
TRIP = {"title": "Twinning anniversary in Sofia", "purpose": "Sign the cooperation programme",
        "department": "International Relations Department", "starts_on": date(2027, 5, 20),
        "ends_on": date(2027, 5, 23), "host": "Sofia Municipality", "funding": "shared", "partner_id": PARTNER,
        "budget_currency": "EUR"}
SOFIA = {"country": "BG", "city": "Sofia"}
LEG = {"origin": "Moscow (SVO)", "destination": "Sofia (SOF)", "mode": "air", "carrier_reference": "SU 2070",
       "departs_local": datetime(2027, 5, 20, 7, 40), "departs_time_zone": "Europe/Moscow",
       "arrives_local": datetime(2027, 5, 20, 9, 15), "arrives_time_zone": "Europe/Sofia", "arrives_country": "BG"}
STAY = {"name": "Grand Hotel Sofia", "address": "1 Gurko St", "country": "BG", "city": "Sofia",
        "check_in": date(2027, 5, 20), "check_out": date(2027, 5, 23), "booking_reference": "GHS-88412"}
MEETING = {"title": "Talks with the Mayor of Sofia", "counterparts": "Mayor of Sofia", "organisation": None,
           "location": "Sofia City Hall", "starts_local": datetime(2027, 5, 21, 10),
           "ends_local": datetime(2027, 5, 21, 11), "time_zone": "Europe/Sofia", "briefing": "Points to raise"}
PROPOSAL = {"function_name": "Eurocities Annual Forum 2027", "organiser": "Eurocities", "country": "AT",
            "city": "Vienna", "starts_on": date(2027, 6, 9), "ends_on": date(2027, 6, 11),
            "rationale": "A panel on urban mobility", "department": "International Relations Department",
            "funding": "city", "partner_id": None}
IN_ORDER = {DocumentKind.VISA: DocumentStatus.NOT_REQUIRED, DocumentKind.INSURANCE: DocumentStatus.OBTAINED,
            DocumentKind.TRAVEL_ORDER: DocumentStatus.OBTAINED}


def office(**options) -> RecordingUnitOfWork:
    """The travel desk's unit of work; `admin` too, so that it may decide every step of a chain."""
    install_test_keys()
    return RecordingUnitOfWork(SPEC, actor="vera", roles=frozenset({"travel", "admin"}), **options)


def new_trip(uow: RecordingUnitOfWork, travellers=(STAFF, MAYOR), **changes) -> Trip:
    return draft_trip(uow, {**TRIP, **changes}, [SOFIA], list(travellers), {"title": TRIP["title"]})


def put_papers_in_order(uow: RecordingUnitOfWork, trip: Trip) -> None:
    for traveller in trip.travellers:
        record_passport(uow, trip.id, traveller.id, "751234567", date(2031, 2, 14), None)
        for kind, status in IN_ORDER.items():
            record_document(uow, trip.id, traveller.id, kind, {"status": status, "valid_until": None,
                                                                "reference": None}, {"status": status.value}, None)


def approved_trip(uow: RecordingUnitOfWork) -> Trip:
    trip = new_trip(uow)
    put_papers_in_order(uow, trip)
    move_trip(uow, trip.id, "submit", None, None)
    while trip.status != "approved":
        move_trip(uow, trip.id, "approve", None, None)
    return trip


def a_report(uow: RecordingUnitOfWork, trip: Trip) -> Report:
    follow_up = {"title": "Draft the orchestra exchange", "due_on": date(2027, 9, 30),
                 "responsible_body": "Department of Culture"}
    return write_report(uow, trip.id, {"outcomes": "Signed the programme", "agreements": None,
                                       "follow_ups": [follow_up], "coverage": []}, {})


def one_of_each(uow: RecordingUnitOfWork) -> None:
    """A record of every type trips publishes events about, each through its operation."""
    create_rate(uow, "daily-rate", {"country": "BG", "currency": "EUR", "per_diem": Decimal("60.00"),
                                    "accommodation_per_night": Decimal("150.00"), "valid_from": date(2027, 1, 1)}, {})
    create_rate(uow, "exchange-rate", {"base": "EUR", "quote": "BGN", "rate": Decimal("1.95583"),
                                       "valid_on": date(2027, 1, 1)}, {})
    trip = approved_trip(uow)
    new_trip(uow, department="Department of Culture")  # to Sofia at the same dates: a coordination
    for record, fields in (("leg", LEG), ("stay", STAY), ("meeting", MEETING)):
        add_item(uow, trip.id, record, fields, {})
    add_cost(uow, trip.id, {"kind": CostKind.ACTUAL, "category": CostCategory.ACCOMMODATION,
                            "amount": Decimal("870.00"), "currency": "BGN", "description": None}, None, {})
    create_proposal(uow, PROPOSAL, [MAYOR], {})
    a_report(uow, trip)
