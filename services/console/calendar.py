"""The days of a week or a month as rows of weeks (Monday first), and which visits fall on each day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Span:
    view: str  # "week" or "month"
    first: date
    last: date
    weeks: list[list[date]]
    previous: date
    following: date

    @property
    def overlapping(self) -> dict[str, str]:
        """The visits list's filters for the visits whose stay touches a day drawn (a month's first and last weeks
        show days of the months beside it)."""
        return {"ends_from": self.weeks[0][0].isoformat(), "starts_until": self.weeks[-1][-1].isoformat()}


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
