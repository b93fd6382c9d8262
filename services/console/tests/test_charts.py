"""The charts drawn on the server (decision 0115): bars in proportion, months stacked by series, items clipped to
the year, and every chart's figures kept as its table."""

from __future__ import annotations

from datetime import date

from services.console.charts import LABEL_WIDTH, bars, stacked_by_month, timeline


def test_bars_are_drawn_in_proportion_to_the_full_length_and_their_figures_kept_as_rows():
    chart = bars("Progress", ["Body", "Per cent"], [("Culture", 60), ("Youth", 30)], most=100)
    assert [shape.title for shape in chart.shapes] == ["Culture: 60", "Youth: 30"]
    assert chart.shapes[0].width == 2 * chart.shapes[1].width
    assert chart.rows == [["Culture", 60], ["Youth", 30]]


def test_a_month_stacks_its_series_and_an_empty_month_draws_nothing():
    chart = stacked_by_month("By status", ["Month", "planned", "done"], [f"m{n}" for n in range(1, 13)],
                             {"planned": "planned", "done": "done"}, {(5, "planned"): 1, (5, "done"): 3})
    assert [shape.title for shape in chart.shapes] == ["m5: planned 1", "m5: done 3"]
    planned, done = chart.shapes
    assert done.height == 3 * planned.height and done.y + done.height == planned.y
    assert chart.rows[0] == ["m1", 0, 0] and chart.rows[4] == ["m5", 1, 3]


def test_an_item_reaching_beyond_the_year_is_drawn_only_within_it():
    chart = timeline("Items", ["Activity", "Starts", "Due", "Status"], 2027, [
        ("Winter school", date(2026, 12, 1), date(2027, 1, 31), "done"),
        ("Whole year", date(2027, 1, 1), date(2027, 12, 31), "planned")])
    january, year = chart.shapes
    assert january.x == LABEL_WIDTH == year.x
    assert round(january.width * 365 / 31) == round(year.width)
    assert chart.rows[0] == ["Winter school", date(2026, 12, 1), date(2027, 1, 31), "done"]
