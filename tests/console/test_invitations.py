"""The mayor's invitations at the console, on real processes: registered, reviewed, declined, and the reply
letter the service wrote opened through the console."""

from __future__ import annotations

import re

import pytest

from tests.console.people import Person

pytestmark = pytest.mark.integration
INVITATION = {"title": "Forum of Black Sea Cities", "inviting_party": "Mayor of Varna", "country": "BG",
              "city": "Varna", "location": "abroad", "starts_on": "2027-09-01", "ends_on": "2027-09-02",
              "received_on": "2027-06-01"}


def version_on(person: Person, page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', person.get(page).text).group(1)


def test_a_declined_invitation_offers_its_reply_letter_as_the_service_wrote_it(console):
    maria = Person(console.url(""))
    maria.sign_in("maria", ["mayor-office", "protocol"])
    page = maria.submit("/invitations/new", "/invitations/new", INVITATION).headers["location"]
    assert maria.submit(page, f"{page}/review", {"version": version_on(maria, page)}).status_code == 302
    declined = maria.submit(page, f"{page}/decline", {"version": version_on(maria, page), "language": "bg",
                                                      "reason": "the Mayor chairs the budget session then"})
    assert declined.status_code == 302
    assert 'id="reply-letter"' in maria.get(page).text
    letter = maria.get(f"{page}/reply-letter")
    assert letter.status_code == 200
    assert letter.headers["content-type"] == "application/pdf" and letter.content.startswith(b"%PDF")


def test_a_refused_step_is_shown_next_to_its_field_with_what_was_typed(console):
    maria = Person(console.url(""))
    maria.sign_in("maria", ["mayor-office", "protocol"])
    page = maria.submit("/invitations/new", "/invitations/new", INVITATION).headers["location"]
    refused = maria.submit(page, f"{page}/assign", {"version": version_on(maria, page), "assignee": "Deputy Mayor",
                                                    "assignee_kind": "official", "deadline": "not a date"})
    assert refused.status_code == 422
    assert re.search(r'id="e-deadline" role="alert">[^<]+<', refused.text)
    assert 'value="Deputy Mayor"' in refused.text
