"""Agreements with the right people at the console (issue 18, decisions 0135, 0136, 0160), on contracts and outreach
as real processes on the real broker: a twinning agreement abroad drafted by procurement, sent back and approved by
the mayor's office, cleared with the foreign ministry and signed, each person offered only the steps the API allows
now and their roles take, refusals beside their fields, a step over a newer version naming what changed; the signed
twinning becoming the twin-city relationship on the partner's page; outreach and the mayor's office reading the
registers and nobody else; an agreement nearing its end opening a renewal item on the plan, which the mayor's
office reads by department."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest

from services.contracts.app import SPEC
from services.contracts.tasks import PERIODIC_TASKS
from shared.config import load_settings
from shared.periodic import PeriodicRunner
from shared.service import ServiceRuntime
from tests.console.people import Person
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
TODAY = date.today()
DRAFT = {"title": "Twinning with Lyon", "kind": "twinning", "partner_name": "City of Lyon", "partner_id": "",
         "country": "FR", "areas": "culture, youth", "valid_from": "2027-04-01", "valid_until": "2031-03-31",
         "activities": "2027-09-15; Culture Directorate; Festival of young musicians"}


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    """Contracts and outreach behind the console (conftest's `console`)."""
    with Suite(("contracts", "outreach"), tmp_path_factory.mktemp("console-agreements")) as running:
        yield running


def signed_in(console, name: str, roles: list[str]) -> Person:
    person = Person(console.url(""))
    assert person.sign_in(name, roles, department="International Relations Department").status_code == 302
    return person


@pytest.fixture(scope="module")
def pavel(console):
    return signed_in(console, "pavel", ["procurement"])


@pytest.fixture(scope="module")
def maria(console):
    return signed_in(console, "maria", ["mayor-office"])


@pytest.fixture(scope="module")
def oksana(console):
    return signed_in(console, "oksana", ["outreach"])


def created(answer) -> str:
    assert answer.status_code == 302, re.findall(r'role="alert">([^<]+)', answer.text)
    return answer.headers["location"].split("#")[0]


def drafted(pavel: Person, **fields) -> str:
    """An agreement's page, drafted through the console's form."""
    return created(pavel.submit("/procurement/agreements", "/procurement/agreements/new", {
        **DRAFT, "partner_kind": "city", **fields}))


def forms(person: Person, page: str) -> set[str]:
    return set(re.findall(r'<form method="post" id="([^"]+)" class="change"', person.get(page).text))


def shown(person: Person, page: str) -> str:
    return unescape(person.get(page).text)


def alert(answer, field: str) -> str:
    found = re.search(rf'id="e-{re.escape(field)}" role="alert">([^<]+)', answer.text)
    assert found, answer.text
    return found.group(1)


def test_a_twinning_abroad_passes_the_mayors_office_and_the_ministry_and_becomes_the_twin_city(
        suite, pavel, maria, oksana):
    partner = created(oksana.submit("/outreach/partners/new", "/outreach/partners/new", {
        "kind": "city", "name": "Lyon", "country": "FR", "region": "", "website": "", "notes": "", "names": ""}))
    partner_id = partner.rsplit("/", 1)[-1]
    page = drafted(pavel, partner_id=partner_id)
    assert "twinning" in pavel.get(page).text and forms(pavel, page) == {"edit", "submit", "cancel", "document",
                                                                         "marking"}
    assert pavel.send(page, "submit", {}).status_code == 302
    assert forms(pavel, page) == {"cancel", "document", "marking"}
    assert forms(maria, page) == {"approve", "send-back"}

    refused = maria.send(page, "send-back", {"reason": ""})
    assert refused.status_code == 422 and alert(refused, "send-back-reason")
    assert maria.send(page, "send-back", {"reason": "Name the venue"}).status_code == 302
    assert "Sent back by the mayor's office: Name the venue" in shown(pavel, page)
    edited = pavel.send(page, "edit", {**DRAFT, "partner_id": partner_id,
                                       "activities": "2027-09-15; Culture Directorate; Festival at the City Garden"})
    assert edited.status_code == 302 and "Festival at the City Garden" in shown(pavel, page)
    assert pavel.send(page, "submit", {}).status_code == 302
    assert maria.send(page, "approve", {}).status_code == 302
    approved = shown(pavel, page)
    assert "Approved by the mayor's office · maria" in approved and "Waiting for the foreign ministry" in approved
    assert forms(pavel, page) == {"clear", "cancel", "document", "marking"}  # abroad: no signature before the clearance

    ahead = (TODAY + timedelta(days=2)).isoformat()
    refused = pavel.send(page, "clear", {"cleared_on": ahead, "reference": "MFA 12-04/1187"})
    assert refused.status_code == 422 and alert(refused, "clear-cleared_on")
    assert f'value="{ahead}"' in refused.text and 'value="MFA 12-04/1187"' in refused.text  # kept
    assert pavel.send(page, "clear", {"cleared_on": TODAY.isoformat(), "reference": "MFA 12-04/1187"}
                      ).status_code == 302
    assert "reference MFA 12-04/1187" in pavel.get(page).text
    assert pavel.send(page, "sign", {"signed_on": TODAY.isoformat(), "signatories": "Mayor of Sofia; Mayor of Lyon"}
                      ).status_code == 302
    signed = pavel.get(page).text
    assert 'id="status">signed<' in signed and f'href="/outreach/partners/{partner_id}#relationships"' in signed

    def twinned() -> bool:
        return "Twinning with Lyon" in oksana.get(partner).text.split('id="relationships"')[1].split("</section>")[0]
    eventually(twinned, timeout=20, message="the twin-city relationship on the partner's page")
    assert 'class="change"' not in oksana.get(page).text  # outreach reads, procurement writes


def test_a_step_over_a_newer_version_names_what_changed(pavel):
    page = drafted(pavel, title="Cooperation with Plovdiv", kind="cooperation", partner_name="City of Plovdiv",
                   country="BG")
    opened = pavel.get(page).text
    assert pavel.send(page, "submit", {}).status_code == 302
    stale = pavel.send(page, "cancel", {"reason": "A duplicate"}, opened=opened)
    assert stale.status_code == 422 and "Someone changed this meanwhile (status)" in stale.text


def test_an_agreement_at_home_is_signed_once_approved_with_no_clearance(pavel, maria):
    page = drafted(pavel, title="Cooperation with Varna", kind="cooperation", partner_name="City of Varna",
                   country="BG")
    pavel.send(page, "submit", {})
    maria.send(page, "approve", {})
    assert forms(pavel, page) == {"sign", "cancel", "document", "marking"}
    assert "Ready to be signed." in pavel.get(page).text


def test_outreach_and_the_mayors_office_read_agreements_and_commitments_and_others_do_not(console, oksana, maria):
    for person in (oksana, maria):
        home = person.get("/").text
        assert 'href="/procurement/agreements"' in home and 'href="/procurement/plan"' not in home
        listed = person.get("/procurement/agreements")
        assert listed.status_code == 200 and 'id="new-record"' not in listed.text
        assert person.get("/procurement/commitments").status_code == 200
        assert person.get("/procurement/tenders").status_code == 403
    exported = oksana.get("/procurement/agreements/export/csv?kind=twinning")
    assert exported.content.decode("utf-8-sig").splitlines()[0] == "Title,Partner,Kind,Country,Valid until,Status"
    olga = signed_in(console, "olga", ["protocol"])
    assert "/procurement/agreements" not in olga.get("/").text
    assert olga.get("/procurement/agreements").status_code == 403
    assert olga.get("/procurement/agreements/export/csv").status_code == 403
    assert olga.get("/procurement/commitments").status_code == 403


def expiring_announced(suite) -> None:
    """The contracts worker's expiry task, run now on the service's own database; its outbox is relayed."""
    settings = load_settings("contracts", {"CONTRACTS_DATABASE_URL": suite.direct_database_urls["contracts"]})
    runtime = ServiceRuntime.build(SPEC, settings)
    try:
        task = next(one for one in PERIODIC_TASKS if one.name == "expiring-agreements")
        assert PeriodicRunner(runtime, PERIODIC_TASKS).run_once(task, datetime.now(UTC))
    finally:
        runtime.database.dispose()


def rows(person: Person, plan: str) -> str:
    """The plan's rows as htmx swaps them in (the charts above them draw every item of the year)."""
    return person.get(plan, headers={"HX-Request": "true"}).text


def test_an_agreement_nearing_its_end_is_a_renewal_item_and_the_plan_is_read_by_department(suite, pavel, maria):
    ends = TODAY + timedelta(days=60)
    page = drafted(pavel, title="Cooperation with Skopje", kind="cooperation", partner_name="City of Skopje",
                   country="BG", valid_from=(TODAY - timedelta(days=300)).isoformat(), valid_until=ends.isoformat(),
                   activities=f"{ends.isoformat()}; Culture Directorate; Skopje days\n"
                              f"{ends.isoformat()}; Sports Directorate; Youth football tournament")
    pavel.send(page, "submit", {})
    maria.send(page, "approve", {})
    assert pavel.send(page, "sign", {"signed_on": TODAY.isoformat()}).status_code == 302
    expiring_announced(suite)
    plan = f"/outreach/plan?year={ends.year}"
    eventually(lambda: "Renew: Cooperation with Skopje" in maria.get(plan).text, timeout=20,
               message="the renewal item on the plan")
    renewals = rows(maria, f"{plan}&source=agreement_renewal")
    agreement_id = page.rsplit("/", 1)[-1]
    assert f'<a href="/procurement/agreements/{agreement_id}">agreement to renew</a>' in renewals
    assert "Skopje days" not in renewals
    culture = rows(maria, f"{plan}&department=culture  directorate")
    assert "Skopje days" in culture and "Youth football tournament" not in culture
    assert 'value="culture  directorate"' in maria.get(f"{plan}&department=culture  directorate").text


def test_an_agreement_drafted_as_confidential_is_absent_for_outreach_until_made_open(pavel, oksana):
    page = drafted(pavel, title="Cooperation with Skopje, confidential", confidentiality="confidential")
    assert "Confidential</span>" in shown(pavel, page)
    assert "Cooperation with Skopje, confidential" not in shown(oksana, "/procurement/agreements")
    assert oksana.get(page).status_code == 404
    assert pavel.send(page, "marking", {"confidentiality": "open"}).status_code == 302
    assert "Cooperation with Skopje, confidential" in shown(oksana, "/procurement/agreements")
