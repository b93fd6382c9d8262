"""People as notifications knows them (registered at sign-in, imported from the directory) and the figures of the
decisions waiting for them (decisions 0125, 0126)."""

from __future__ import annotations

from flask import Response

from services.notifications.api.common import ADMINS
from services.notifications.api.people_schemas import (
    DirectoryImport,
    ImportOutcome,
    PersonOut,
    RoleFigure,
    SignIn,
    WaitingFigures,
)
from services.notifications.operations.people import import_people, register_signed_in
from services.notifications.operations.waiting import waiting_counts, waiting_for_caller
from services.notifications.store.models import Recipient
from services.notifications.store.recipients import roles_of
from shared.http.auth import ANY_STAFF, allow
from shared.http.problems import problem_responses
from shared.http.resources import json_response
from shared.http.views import blueprint
from shared.http.work import unit_of_work

people_api = blueprint("people", __name__, "People as notifications knows them, and the decisions waiting")


def _person(row: Recipient) -> Response:
    return json_response(PersonOut(
        subject=row.name, display_name=row.display_name, roles=sorted(roles_of(row.roles)),
        department=row.department, language=row.language, known_from=row.known_from).model_dump(mode="json"))


@people_api.put("/people/me", summary="Register yourself as you signed in (the console calls it at each sign-in)",
                description="Your subject, roles and department are taken from your token; the display name, "
                            "language and e-mail address from the other claims of your sign-in. The language and "
                            "e-mail address are kept only where you have none of your own yet.",
                responses={200: PersonOut, **problem_responses(400, 413, 415)})
@allow(*ANY_STAFF)
def put_me(body: SignIn):
    with unit_of_work() as uow:
        return _person(register_signed_in(uow, body.display_name, body.language, body.email))


@people_api.post("/people/import", summary="Import people from the identity provider's directory, all or nothing",
                 description="So that role subscriptions reach people who never signed in (decision 0126). A person "
                             "already known keeps the language and e-mail address they have.",
                 responses={200: ImportOutcome, **problem_responses(400, 413, 415)})
@allow(*ADMINS)
def post_import(body: DirectoryImport):
    with unit_of_work() as uow:
        return json_response(import_people(uow, [person.model_dump() for person in body.people]))


@people_api.get("/waiting-decisions/figures", summary="How many decisions wait for you, and for each role",
                responses={200: WaitingFigures})
@allow(*ANY_STAFF)
def waiting_figures():
    with unit_of_work() as uow:
        counts = waiting_counts(uow, uow.now())
        roles = [RoleFigure(role=role, waiting=waiting, overdue=overdue)
                 for role, (waiting, overdue) in sorted(counts.items())]
        figures = WaitingFigures(yours=waiting_for_caller(uow), roles=roles)
        return json_response(figures.model_dump(mode="json"))
