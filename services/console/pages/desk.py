"""My desk: what waits for the signed-in person across the services, this week's programme and the inbox."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, render_template

from services.console.web import has_role, person, read_all, signed_in

desk_pages = Blueprint("desk", __name__)


def _desk_calls(today: date) -> dict[str, tuple]:
    monday = today - timedelta(days=today.weekday())
    wanted = {"inbox": ("notifications", "/inbox", {"unread": "true", "page_size": 10}),
              "week": ("visits", "/visits", {"starts_from": (monday - timedelta(days=14)).isoformat(),
                                             "starts_until": (monday + timedelta(days=6)).isoformat(),
                                             "page_size": 50})}
    if has_role("protocol", "mayor-office"):
        wanted["to_triage"] = ("visits", "/invitations", {"status": "received", "page_size": 20})
        wanted["to_answer"] = ("visits", "/invitations", {"status": "assigned", "page_size": 20})
    if has_role("protocol"):
        wanted["to_confirm"] = ("visits", "/visits", {"status": "invited", "page_size": 20})
    if has_role("department-head") and person()["department"]:
        wanted["trips_to_decide"] = ("trips", "/trips", {"awaiting": "department-head",
                                                         "awaiting_department": person()["department"]})
    if has_role("mayor-office"):
        wanted["trips_to_decide"] = ("trips", "/trips", {"awaiting": "mayor-office"})
    return wanted


@desk_pages.get("/")
@signed_in
def desk():
    today = date.today()
    answers = read_all(**_desk_calls(today))
    week_end = today - timedelta(days=today.weekday()) + timedelta(days=6)
    this_week = [visit for visit in answers["week"].items
                 if visit["starts_on"] <= week_end.isoformat() and visit["ends_on"] >= today.isoformat()]
    return render_template("desk.html", answers=answers, this_week=this_week, today=today)
