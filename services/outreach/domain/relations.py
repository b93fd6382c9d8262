"""The kinds and few rules of the office's other relations: missions, organisations, offices abroad,
compatriots, societies and export promotion."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from shared.kit.lifecycle import Lifecycle


class MissionKind(StrEnum):
    EMBASSY = "embassy"
    CONSULATE_GENERAL = "consulate_general"
    CONSULATE = "consulate"
    HONORARY_CONSULATE = "honorary_consulate"
    TRADE_MISSION = "trade_mission"
    CULTURAL_CENTRE = "cultural_centre"
    FOREIGN_MINISTRY = "foreign_ministry"  # the country's own foreign ministry and its offices: the office's link


class OrganisationKind(StrEnum):
    INTERNATIONAL_ORGANISATION = "international_organisation"
    NETWORK = "network"
    INITIATIVE = "initiative"


class SocietyKind(StrEnum):
    FRIENDSHIP_SOCIETY = "friendship_society"
    NGO = "ngo"


class ExportEventKind(StrEnum):
    TRADE_FAIR = "trade_fair"
    TRADE_MISSION = "trade_mission"
    BUSINESS_FORUM = "business_forum"


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


# An office's report is reviewed: accepted, or returned with a reason and submitted again once reworked.
OFFICE_REPORT_LIFECYCLE = Lifecycle("office report", ReportStatus, {
    "accept": ((ReportStatus.SUBMITTED,), ReportStatus.ACCEPTED),
    "return": ((ReportStatus.SUBMITTED,), ReportStatus.RETURNED),
    "resubmit": ((ReportStatus.RETURNED,), ReportStatus.SUBMITTED),
}, event_action={"accept": "accepted", "return": "returned", "resubmit": "submitted"},
    reason_required=frozenset({"return"}))


def dates_in_order(start: date, end: date | None, field: str) -> tuple[str, str] | None:
    if end is not None and end < start:
        return field, f"{field} must not be before the start"
    return None


def amounts_paired(amount, currency, field: str) -> tuple[str, str] | None:
    if (amount is None) != (currency is None):
        return field, "an amount and its currency go together"
    return None


HOLDERS = ("society_id", "office_id", "mission_id")


def one_holder(holders: dict[str, str | None]) -> tuple[str, str] | None:
    """A contact belongs to one society (or NGO), office abroad, or foreign mission (or the foreign ministry)."""
    if sum(holders[name] is not None for name in HOLDERS) != 1:
        return "society_id", "a contact belongs to exactly one holder: give one of society_id, office_id, mission_id"
    return None
