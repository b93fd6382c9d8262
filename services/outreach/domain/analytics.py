"""Analytics read models folded from events alone: the latest known state of each visit, trip, contract and
plan item, and the figures of the annual report computed from those states."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

# record types whose events feed the analytics -> the fact kind they describe
KINDS = {"visits.visit": "visit", "trips.trip": "trip", "contracts.contract": "contract",
         "outreach.plan-item": "plan-item"}
NOT_COUNTED = {"visit": {"draft", "cancelled"}, "trip": {"draft", "cancelled"},
               "contract": {"pending", "cancelled"}}


@dataclass(frozen=True)
class Fact:
    """What analytics keep of one record: enough to count it, never personal data."""

    kind: str
    record_id: str
    year: int | None
    status: str
    countries: tuple[str, ...] = ()
    amount: str | None = None  # exact decimal string
    currency: str | None = None
    responsible_body: str | None = None
    partner_id: str | None = None


def kind_of(event_type: str) -> str | None:
    parts = event_type.split(".")
    return KINDS.get(".".join(parts[1:3])) if len(parts) == 5 else None


def _year(*values) -> int | None:
    for value in values:
        if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
            return int(value[:4])
    return None


def fact_of(event_type: str, data: dict) -> Fact | None:
    """The fact an event states about its record, or None when the event does not feed the analytics."""
    kind = kind_of(event_type)
    if kind is None or not isinstance(data, dict) or not data.get("id") or not data.get("status"):
        return None
    record_id, status = str(data["id"]), str(data["status"])
    if kind == "visit":
        return Fact(kind, record_id, _year(data.get("starts_on")), status, _countries([data.get("country")]))
    if kind == "trip":
        return Fact(kind, record_id, _year(data.get("starts_on")), status,
                    _countries(data.get("countries") or [data.get("country")]))
    if kind == "contract":
        value = data["value"] if isinstance(data.get("value"), dict) else {}
        return Fact(kind, record_id, _year(data.get("buyer_signed_on"), data.get("period_start")), status,
                    amount=value.get("amount"), currency=value.get("currency"))
    return Fact(kind, record_id, data.get("year"), status, responsible_body=data.get("responsible_body"),
                partner_id=data.get("partner_id"))


def _countries(values) -> tuple[str, ...]:
    return tuple(sorted({value for value in values if isinstance(value, str) and len(value) == 2}))


def counted(fact: Fact) -> bool:
    return fact.status not in NOT_COUNTED.get(fact.kind, set())


def figures(facts: list[Fact], year: int | None = None) -> dict:
    """Visits per country and year, trips per destination and year, contract value per year, plan completion."""
    chosen = [fact for fact in facts if year is None or fact.year == year]
    visits: Counter[tuple[str, int]] = Counter()
    trips: Counter[tuple[str, int]] = Counter()
    values: defaultdict[tuple[int, str | None], Decimal] = defaultdict(Decimal)
    plan: defaultdict[int | None, Counter[str]] = defaultdict(Counter)
    for fact in chosen:
        if fact.kind == "plan-item":
            plan[fact.year][fact.status] += 1
            continue
        if not counted(fact) or fact.year is None:
            continue
        if fact.kind == "visit":
            visits.update((country, fact.year) for country in fact.countries)
        elif fact.kind == "trip":
            trips.update((country, fact.year) for country in fact.countries)
        elif fact.amount is not None:
            values[(fact.year, fact.currency)] += Decimal(fact.amount)
    return {
        "visits_per_country": [{"country": c, "year": y, "visits": n} for (c, y), n in sorted(visits.items())],
        "trips_per_destination": [{"country": c, "year": y, "trips": n} for (c, y), n in sorted(trips.items())],
        "contract_value_per_year": [{"year": y, "currency": cur, "amount": f"{amount:.2f}"}
                                    for (y, cur), amount in sorted(values.items())],
        "plan_completion": [_completion(y, counts) for y, counts in sorted(plan.items())],
    }


def _completion(year: int | None, counts: Counter[str]) -> dict:
    total, done, cancelled = sum(counts.values()), counts["done"], counts["cancelled"]
    active = total - cancelled
    return {"year": year, "items": total, "done": done, "cancelled": cancelled,
            "completion": round(done / active, 4) if active else None}
