"""Visa support letters: passport data encrypted at rest, masked unless the role may read it, every read
audited, never in events or logs, purged after the visit (frozen clock), rendered to PDF in three languages."""

import io
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from services.visits.tasks import PERIODIC_TASKS
from services.visits.tests.support import assert_problem, audit_actions, create_visit, outbox, post
from shared.periodic import PeriodicRunner

PASSPORT, BIRTHPLACE = "EA7215934", "Hangzhou"
LETTER = {"language": "en", "consulate": "Consular Section of the Embassy of Bulgaria in Beijing",
          "passport_number": PASSPORT, "date_of_birth": "1971-08-23", "place_of_birth": BIRTHPLACE,
          "passport_expires_on": "2031-05-01"}


@pytest.fixture
def visits(service_app):
    return service_app("visits", CHANCERY_PII_RETENTION_DAYS="30")


@pytest.fixture
def visit(visits):
    visit = create_visit(visits, delegation_name="Delegation of Shanghai", country="CN", city="Shanghai",
                         starts_on="2027-03-10", ends_on="2027-03-12")
    visit["member"] = post(visits, f"/api/v1/visits/{visit['id']}/members", {
        "role": "head", "name_original": "陈立新", "name_latin": "Chen Lixin", "title": "Vice Mayor of Shanghai",
        "organisation": "Shanghai Municipal People's Government", "country": "CN"})
    return visit


def draft(visits, visit, **changes):
    return post(visits, f"/api/v1/visits/{visit['id']}/visa-letters",
                {**LETTER, "member_id": visit["member"]["id"], **changes})


def letter_path(visit, letter):
    return f"/api/v1/visits/{visit['id']}/visa-letters/{letter['id']}"


def walk(visits, visit, letter, *steps):
    for action, roles in steps:
        response = visits.call("POST", f"{letter_path(visit, letter)}/{action}", roles=roles)
        assert response.status_code == 200, response.json
    return response.json


ISSUE = (("submit", "protocol"), ("approve", "mayor-office"), ("issue", "protocol"))


def test_protocol_staff_read_the_passport_data_and_each_read_is_audited(visits, visit):
    letter = draft(visits, visit)
    read = visits.call("GET", letter_path(visit, letter), roles="protocol", sub="olga").json
    assert (read["passport_number"], read["date_of_birth"], read["place_of_birth"]) == (
        PASSPORT, "1971-08-23", BIRTHPLACE)
    assert read["personal_data_masked"] is False
    visits.call("GET", letter_path(visit, letter), roles="protocol", sub="ivan")
    reads = [a for a in audit_actions(visits, letter["id"]) if a == "personal-data.read"]
    assert len(reads) == 2


def test_the_mayors_office_sees_the_letter_masked_and_its_read_is_not_a_read_of_personal_data(visits, visit):
    letter = draft(visits, visit)
    seen = visits.call("GET", letter_path(visit, letter), roles="mayor-office").json
    assert seen["passport_number"] == "•••••••34" and seen["place_of_birth"] == "••••••ou"
    assert seen["personal_data_masked"] is True
    assert "personal-data.read" not in audit_actions(visits, letter["id"])
    listed = visits.call("GET", f"/api/v1/visits/{visit['id']}/visa-letters", roles="protocol").json["items"]
    assert listed[0]["passport_number"] == "•••••••34"
    assert_problem(visits.call("GET", f"{letter_path(visit, letter)}/document", roles="mayor-office"), 403)


def test_the_passport_data_is_nowhere_in_plaintext_not_the_database_file_events_audit_or_logs(visits, visit, caplog):
    caplog.set_level(logging.DEBUG)
    letter = draft(visits, visit)
    visits.call("GET", letter_path(visit, letter), roles="protocol")
    walk(visits, visit, letter, *ISSUE)
    visits.call("GET", f"{letter_path(visit, letter)}/document", roles="protocol")
    database = Path(visits.settings.database_url.removeprefix("sqlite:///"))
    stored = b"".join(path.read_bytes() for path in database.parent.glob(f"{database.name}*"))
    assert PASSPORT.encode() not in stored and BIRTHPLACE.encode() not in stored and b"1971-08-23" not in stored
    runtime = visits.app.extensions["chancery"]
    with runtime.database.read_session() as session:
        audit = session.execute(select(runtime.spec.tables.audit)).mappings().all()
    written = repr(outbox(visits)) + repr([dict(row) for row in audit]) + caplog.text
    assert PASSPORT not in written and BIRTHPLACE not in written and "1971-08-23" not in written
    assert "visa-letter.issued" in written  # the check looked at the right records


def test_a_letter_is_reviewed_approved_by_the_mayors_office_and_issued_with_the_next_registry_number(visits, visit):
    first = walk(visits, visit, draft(visits, visit), *ISSUE)
    second = walk(visits, visit, draft(visits, visit, language="ru"), *ISSUE)
    year = datetime.now(UTC).year
    assert (first["status"], first["registry_number"]) == ("issued", f"VL-{year}-00001")
    assert second["registry_number"] == f"VL-{year}-00002"
    assert [e["type"].split(".")[-2] for e in outbox(visits, "chancery.visits.visa-letter.")][:4] == [
        "drafted", "submitted", "approved", "issued"]


def test_the_review_steps_are_in_order_and_approval_is_the_mayors_offices(visits, visit):
    letter = draft(visits, visit)
    assert assert_problem(visits.call("POST", f"{letter_path(visit, letter)}/issue", roles="protocol"),
                          409)["allowed_actions"] == ["submit"]
    walk(visits, visit, letter, ("submit", "protocol"))
    assert_problem(visits.call("POST", f"{letter_path(visit, letter)}/approve", roles="protocol"), 403)
    returned = visits.call("POST", f"{letter_path(visit, letter)}/return", {"reason": "wrong consulate"},
                           roles="mayor-office")
    assert (returned.json["status"], returned.json["status_reason"]) == ("draft", "wrong consulate")


@pytest.mark.parametrize(("language", "phrases"), [
    ("en", ["Visa support letter", "Chen Lixin", PASSPORT, BIRTHPLACE, "Delegation of Shanghai", "August 23, 1971"]),
    ("ru", ["Визовое письмо поддержки", "Chen Lixin", PASSPORT, BIRTHPLACE, "23 августа 1971"]),
    ("bg", ["Писмо за визова подкрепа", "Chen Lixin", PASSPORT, BIRTHPLACE, "23 август 1971"]),
])
def test_the_issued_letter_renders_to_pdf_in_its_language_with_its_registry_number(visits, visit, language, phrases):
    letter = walk(visits, visit, draft(visits, visit, language=language), *ISSUE)
    document = visits.call("GET", f"{letter_path(visit, letter)}/document", roles="protocol")
    assert document.status_code == 200 and document.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(document.data)).pages).split())
    for phrase in [*phrases, letter["registry_number"]]:
        assert phrase in text, (phrase, text)
    assert "DRAFT" not in text and "ПРОЕКТ" not in text
    assert audit_actions(visits, letter["id"]).count("personal-data.read") == 1


def test_a_passport_that_expires_before_the_visit_ends_is_refused(visits, visit):
    refused = visits.call("POST", f"/api/v1/visits/{visit['id']}/visa-letters",
                          {**LETTER, "member_id": visit["member"]["id"], "passport_expires_on": "2027-03-11"},
                          roles="protocol")
    assert_problem(refused, 422, "passport_expires_on")
    assert_problem(visits.call("POST", f"/api/v1/visits/{visit['id']}/visa-letters",
                               {**LETTER, "member_id": visit["member"]["id"], "passport_number": "ea 12"},
                               roles="protocol"), 422, "passport_number")


def purge(visits, now):
    task = next(task for task in PERIODIC_TASKS if task.name == "purge-visa-letter-personal-data")
    assert PeriodicRunner(visits.app.extensions["chancery"], PERIODIC_TASKS).run_once(task, now)


def test_passport_data_is_purged_the_configured_number_of_days_after_the_visit_and_not_a_day_before(visits, visit):
    letter = walk(visits, visit, draft(visits, visit), *ISSUE)
    purge(visits, datetime(2027, 4, 11, 23, 59, tzinfo=UTC))  # the visit ended on 12 March; 30 days kept
    assert visits.call("GET", letter_path(visit, letter), roles="protocol").json["passport_number"] == PASSPORT
    purge(visits, datetime(2027, 4, 12, 0, 1, tzinfo=UTC))
    purge(visits, datetime(2027, 4, 13, tzinfo=UTC))
    after = visits.call("GET", letter_path(visit, letter), roles="protocol").json
    assert (after["passport_number"], after["date_of_birth"], after["place_of_birth"]) == (None, None, None)
    assert after["registry_number"] == letter["registry_number"]
    assert audit_actions(visits, letter["id"]).count("personal-data.purged") == 1
    assert [e["type"] for e in outbox(visits, "chancery.visits.visa-letter.purged")] == [
        "chancery.visits.visa-letter.purged.v1"]
    assert_problem(visits.call("GET", f"{letter_path(visit, letter)}/document", roles="protocol"), 409)


def test_a_person_named_by_an_issued_letter_stays_in_the_delegation_and_one_with_a_draft_goes_with_it(visits, visit):
    issued = walk(visits, visit, draft(visits, visit), *ISSUE)
    member_path = f"/api/v1/visits/{visit['id']}/members/{visit['member']['id']}"
    refused = visits.call("DELETE", member_path, roles="protocol")
    assert assert_problem(refused, 409)["registry_numbers"] == [issued["registry_number"]]
    assert visits.call("GET", letter_path(visit, issued), roles="mayor-office").status_code == 200
    other = post(visits, f"/api/v1/visits/{visit['id']}/members", {
        "role": "member", "name_original": "王芳", "name_latin": "Wang Fang", "country": "CN"})
    drafted = draft(visits, visit, member_id=other["id"])
    assert visits.call("DELETE", f"/api/v1/visits/{visit['id']}/members/{other['id']}",
                       roles="protocol").status_code == 204
    assert visits.call("GET", letter_path(visit, drafted), roles="mayor-office").status_code == 404
