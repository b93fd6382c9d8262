"""Charts drawn on the server as SVG (decision 0115): shapes with attributes only, so the page's policy (no inline
script or style) holds, and no script library to keep up to date. Each chart carries its figures as a table too
(`headers`, `rows`), which the page shows beside it for those who do not see the drawing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

WIDTH = 640
LABEL_WIDTH = 200
BAR = 22
GAP = 8
# Colours distinguishable with the common colour-vision deficiencies (Okabe and Ito), dark enough against white.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#000000", "#f0e442")


@dataclass(frozen=True)
class Shape:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str  # what a pointer over the shape is told


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass
class Chart:
    title: str
    headers: list[Any]
    rows: list[list[Any]]
    height: float = 0
    shapes: list[Shape] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, what it stands for)

    @property
    def width(self) -> int:
        return WIDTH


def bars(title: str, headers: list[Any], rows: list[tuple[str, float]], most: float | None = None,
         shown: str = "{:g}") -> Chart:
    """One horizontal bar per row, its value written after it; `most` is the full length (the largest value by
    default)."""
    top = most or max((value for _label, value in rows), default=0) or 1
    chart = Chart(title, headers, [[label, value] for label, value in rows])
    room = WIDTH - LABEL_WIDTH - 60
    for index, (label, value) in enumerate(rows):
        y = index * (BAR + GAP)
        text = shown.format(value)
        chart.texts.append(Text(LABEL_WIDTH - 6, y + BAR * 0.7, _short(label), "end"))
        chart.shapes.append(Shape(LABEL_WIDTH, y, max(room * value / top, 1), BAR, PALETTE[0], f"{label}: {text}"))
        chart.texts.append(Text(LABEL_WIDTH + room * value / top + 6, y + BAR * 0.7, text))
    chart.height = max(len(rows), 1) * (BAR + GAP)
    return chart


def stacked_by_month(title: str, headers: list[Any], months: list[str], series: dict[str, str],
                     counts: dict[tuple[int, str], int]) -> Chart:
    """Twelve columns (a year's months), each stacked by series (`series`: key to its name); `counts` by (month
    1–12, series key)."""
    keys = list(series)
    rows = [[months[month - 1], *(counts.get((month, key), 0) for key in keys)] for month in range(1, 13)]
    chart = Chart(title, headers, rows, legend=[(PALETTE[i % len(PALETTE)], series[key]) for i, key in
                                                enumerate(keys)])
    tallest = max((sum(row[1:]) for row in rows), default=0) or 1
    plot, column = 200, (WIDTH - 40) / 12
    for month, row in enumerate(rows):
        x, bottom = 40 + month * column, plot
        for index, count in enumerate(row[1:]):
            if count:
                height = plot * count / tallest
                bottom -= height
                chart.shapes.append(Shape(x + 4, bottom, column - 8, height, PALETTE[index % len(PALETTE)],
                                          f"{row[0]}: {series[keys[index]]} {count}"))
        chart.texts.append(Text(x + column / 2, plot + 16, _short(row[0], 4), "middle"))
    chart.texts.append(Text(34, 12, str(tallest), "end"))
    chart.texts.append(Text(34, plot, "0", "end"))
    chart.height = plot + 24
    return chart


def timeline(title: str, headers: list[Any], year: int, items: list[tuple[str, date, date, str]]) -> Chart:
    """A bar per item from its start to its end across the year (`items`: label, start, end, and what the table
    says of it)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    span = (last - first).days + 1
    room = WIDTH - LABEL_WIDTH - 10
    chart = Chart(title, headers, [[label, start, end, note] for label, start, end, note in items])
    for index, (label, start, end, _note) in enumerate(items):
        y = index * (BAR + GAP)
        begins, ends = max(start, first), min(end, last)
        x = LABEL_WIDTH + room * (begins - first).days / span
        width = max(room * ((ends - begins).days + 1) / span, 2)
        chart.texts.append(Text(LABEL_WIDTH - 6, y + BAR * 0.7, _short(label), "end"))
        chart.shapes.append(Shape(x, y, width, BAR, PALETTE[2], f"{label}: {start.isoformat()} – {end.isoformat()}"))
    chart.height = max(len(items), 1) * (BAR + GAP)
    return chart


def _short(text: str, most: int = 28) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
