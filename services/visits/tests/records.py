"""Records made through the visits operations on an in-memory unit of work, for the operations' unit tests."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from conftest import unit_settings_overrides
from services.visits.app import SPEC
from services.visits.domain.gifts import Disposition, GiftDirection, GiftRules
from services.visits.operations.delegation import add_member
from services.visits.operations.functions import schedule_function
from services.visits.operations.meetings import plan_meeting
from services.visits.operations.programme import schedule_item
from services.visits.operations.visits import create_visit
from services.visits.settings import VisitsSettings
from services.visits.store.models import AgendaItem, DelegationMember, Meeting, OfficialFunction, Visit
from shared.config import load_settings
from shared.pii import install_keys
from shared.testing import RecordingUnitOfWork

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
SETTINGS = VisitsSettings(gift_rules=GiftRules(thresholds={"EUR": Decimal("150")}, declaration_days=30))
VISIT = {"delegation_name": "Delegation of Lyon", "country": "FR", "city": "Lyon", "starts_on": date(2027, 3, 10),
         "ends_on": date(2027, 3, 12), "purpose": "Twinning anniversary", "host_official": "Deputy Mayor"}
MEMBER = {"role": "head", "name_original": "Grégoire Dubois", "name_latin": "Gregoire Dubois",
          "title": "Mayor of Lyon", "rank": "mayor", "organisation": "City of Lyon", "country": "FR",
          "languages": ["fr", "en"], "dietary_needs": "vegetarian", "access_needs": None}
GIFT = {"direction": GiftDirection.RECEIVED, "description": "Porcelain vase", "giver": "Mayor of Lyon",
        "recipient": "Mayor of Sofia", "value_amount": Decimal("400.00"), "value_currency": "EUR",
        "exchanged_on": date(2027, 3, 10), "disposition": Disposition.PENDING, "disposition_note": None}


def recording_uow(roles: frozenset[str] = frozenset({"protocol"})) -> RecordingUnitOfWork:
    """A unit of work at NOW with the visits settings; the keys of a development setup encrypt passport data."""
    install_keys(load_settings("visits", unit_settings_overrides("visits", Path(tempfile.gettempdir()))))
    return RecordingUnitOfWork(SPEC, actor="olga", roles=roles, own_settings=SETTINGS, clock=lambda: NOW)


def a_visit(uow: RecordingUnitOfWork, **fields) -> Visit:
    return create_visit(uow, {**VISIT, **fields}, {})


def a_member(uow: RecordingUnitOfWork, visit: Visit, **fields) -> DelegationMember:
    return add_member(uow, visit.id, {**MEMBER, **fields}, {})


def an_agenda_item(uow: RecordingUnitOfWork, visit: Visit, guests: list[str], **fields) -> AgendaItem:
    return schedule_item(uow, visit.id, {
        "kind": "meeting", "title": "Talks on urban transport", "starts_at": datetime(2027, 3, 10, 10),
        "ends_at": datetime(2027, 3, 10, 11, 30), "time_zone": "Europe/Sofia", "venue": "City Hall, Hall 1",
        "host_participants": ["Mayor of Sofia"], "guest_participants": guests, "responsible_staff": "olga",
        "notes": None, **fields}, {})


def a_meeting(uow: RecordingUnitOfWork, **fields) -> Meeting:
    return plan_meeting(uow, {
        "title": "The Mayor receives the Ambassador of Japan", "official": "Mayor of Sofia",
        "guests": ["H.E. Kenji Sato"], "country": "JP", "partner_id": None, "visit_id": None, "agenda_item_id": None,
        "starts_at": datetime(2027, 3, 15, 11), "ends_at": datetime(2027, 3, 15, 11, 45),
        "time_zone": "Europe/Sofia", "venue": "Mayor's office", "briefing_notes": "Second meeting this year",
        "talking_points": ["Cherry trees"], **fields}, {})


def a_function(uow: RecordingUnitOfWork, **fields) -> OfficialFunction:
    return schedule_function(uow, {
        "kind": "symposium", "title": "Symposium on river ports", "visit_id": None, "agenda_item_id": None,
        "partner_id": None, "starts_at": datetime(2027, 5, 20, 10), "ends_at": datetime(2027, 5, 20, 13),
        "time_zone": "Europe/Sofia", "venue": "Sofia Tech Park, Hall A", "officials": ["Mayor of Sofia"],
        "press_open": True, **fields}, {})
