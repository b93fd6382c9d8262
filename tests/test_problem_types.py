"""One title per problem type, a page for every type URI on every service, and the list in docs/problems.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.cli import main as cli_main
from shared.http.problems import PROBLEM_TYPES, Problem
from shared.suite import SERVICES

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_docs_problems_md_is_exactly_what_chancery_problems_prints(capsys):
    assert cli_main(["problems"]) == 0
    assert (DOCS / "problems.md").read_text() == capsys.readouterr().out, "docs/problems.md is stale: make problems"


def test_the_integration_guide_links_the_list_of_problem_types():
    assert "problems.md" in (DOCS / "integration.md").read_text()


def test_a_problem_takes_its_status_and_title_from_its_type_whoever_raises_it():
    problem = Problem("illegal-transition", "costs are recorded while a trip is approved")
    assert (problem.status, problem.type.title) == (409, "Transition not allowed")


@pytest.mark.parametrize("service", SERVICES)
def test_every_problem_type_uri_is_answered_by_each_service_without_a_token_with_a_page_describing_it(
        service_app, service):
    client = service_app(service).client
    for problem in PROBLEM_TYPES.values():
        page = client.get(f"/problems/{problem.slug}")
        text = page.get_data(as_text=True)
        assert (page.status_code, page.mimetype) == (200, "text/html"), problem.slug
        assert f"<h1>{problem.title}</h1>" in text.replace("&#x27;", "'") and str(problem.status) in text
    listed = client.get("/problems").get_data(as_text=True)
    assert all(f'href="/problems/{slug}"' in listed for slug in PROBLEM_TYPES)


def test_a_problem_type_nobody_registered_is_not_found(service_app):
    answer = service_app("visits").client.get("/problems/no-such-type")
    assert answer.status_code == 404 and answer.json["type"] == PROBLEM_TYPES["not-found"].uri
