"""A trip, read-only: where an invitation accepted abroad leads (the trips pages come with the next issue)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from services.console.web import call, refuse_expired, signed_in

trip_pages = Blueprint("trips", __name__)


@trip_pages.get("/trips/<trip_id>")
@signed_in
def trip(trip_id: str):
    answer = refuse_expired(call("GET", "trips", f"/trips/{trip_id}"))
    if answer.status == 404:
        abort(404)
    return render_template("trip.html", trip=answer.body if answer.ok else None, answer=answer)
