"""The days of a week or a month as rows of weeks (Monday first), and which visits fall on each day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

LONGEST_VISIT = timedelta(days=62)  # a visit that began this long before the first day still shows


@dataclass(frozen=True)
class Span:
    view: str  # "week" or "month"
    first: date
    last: date
    weeks: list[list[date]]
    previous: date
    following: date

    @property
    def reads_from(self) -> date:
        return self.first - LONGEST_VISIT


def span_of(view: str, on: date) -> Span:
    if view == "week":
        monday = on - timedelta(days=on.weekday())
        days = [monday + timedelta(days=n) for n in range(7)]
        return Span("week", monday, days[-1], [days], monday - timedelta(days=7), monday + timedelta(days=7))
    first = on.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    last = following - timedelta(days=1)
    start = first - timedelta(days=first.weekday())
    weeks = []
    while start <= last:
        weeks.append([start + timedelta(days=n) for n in range(7)])
        start += timedelta(days=7)
    return Span("month", first, last, weeks, (first - timedelta(days=1)).replace(day=1), following)


def on_day(visits: list[dict], day: date) -> list[dict]:
    text = day.isoformat()
    return [visit for visit in visits if visit["starts_on"] <= text <= visit["ends_on"]]
