"""Confidential and embargoed visits and meetings through the API (decision 0190): absent for whoever need not
know, their events routed as withheld, and released once when the embargo passes or the visit is made open."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from services.visits.tasks import release_passed_embargoes
from services.visits.tests.support import VISIT, create_visit
from shared.testing import routed_outbox, run_task

NEED_TO_KNOW = {"people": ["mila"], "roles": ["mayor-office"]}
MEETING = {"title": "The Mayor receives the Ambassador of Japan", "official": "Mayor of Sofia",
           "guests": ["H.E. Kenji Sato"], "country": "JP", "starts_at": "2027-03-15T11:00:00",
           "ends_at": "2027-03-15T11:45:00", "time_zone": "Europe/Sofia"}


@pytest.fixture
def visits(service_app):
    service = service_app("visits")
    service.now = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    service.app.extensions["chancery"].clock = lambda: service.now
    return service


def listed(visits, path="/api/v1/visits", **who):
    response = visits.call("GET", path, **who)
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def outbox(visits) -> list[tuple[str, str]]:
    return routed_outbox(visits.app.extensions["chancery"])


def release_due(visits) -> None:
    run_task(visits.app.extensions["chancery"], release_passed_embargoes, visits.now)


def test_a_confidential_visit_does_not_exist_for_a_protocol_officer_who_need_not_know(visits):
    secret = create_visit(visits, confidentiality="confidential", need_to_know=NEED_TO_KNOW)
    known = create_visit(visits)
    assert listed(visits, roles="protocol", sub="petar") == [known["id"]]
    assert visits.call("GET", f"/api/v1/visits/{secret['id']}", roles="protocol", sub="petar").status_code == 404
    answer = visits.call("GET", f"/api/v1/visits/{secret['id']}/programme", roles="protocol", sub="petar")
    assert answer.status_code == 404
    changed = visits.call("PATCH", f"/api/v1/visits/{secret['id']}", {"city": "Paris"}, roles="protocol",
                          sub="petar")
    assert changed.status_code == 404


@pytest.mark.parametrize("who", [{"roles": "protocol", "sub": "olga"}, {"roles": "protocol", "sub": "mila"},
                                 {"roles": "mayor-office", "sub": "ivan"}, {"roles": "admin", "sub": "root"}],
                         ids=["its creator", "a person named", "a role named", "admin"])
def test_a_confidential_visit_is_seen_by_its_creator_the_people_and_roles_named_and_admin(visits, who):
    secret = create_visit(visits, confidentiality="confidential", need_to_know=NEED_TO_KNOW)
    assert secret["id"] in listed(visits, **who)
    answer = visits.call("GET", f"/api/v1/visits/{secret['id']}", **who)
    assert answer.status_code == 200
    assert answer.json["need_to_know"] == {"people": ["mila"], "roles": ["mayor-office"]}


def test_a_confidential_visits_events_are_routed_as_withheld_with_their_marking_naming_its_creator(visits):
    secret = create_visit(visits, confidentiality="confidential", need_to_know=NEED_TO_KNOW)
    assert outbox(visits) == [("chancery.visits.visit.created.v1", "withheld.chancery.visits.visit.created.v1")]
    service = visits.app.extensions["chancery"]
    with service.database.read_session() as session:
        data = session.execute(select(service.spec.tables.outbox.c.data)).scalar_one()
    assert data["id"] == secret["id"]
    named = {"people": ["mila", "olga"], "roles": ["mayor-office"]}
    assert (data["confidential"], data["embargoed"], data["need_to_know"]) == (True, False, named)


def test_a_visit_made_open_is_released_once_under_its_usual_routing_key(visits):
    secret = create_visit(visits, confidentiality="confidential")
    opened = visits.call("PATCH", f"/api/v1/visits/{secret['id']}", {"confidentiality": "open"},
                         headers={"If-Match": '"1"'}, roles="protocol", sub="olga")
    assert opened.status_code == 200, opened.json
    release_due(visits)
    assert outbox(visits)[1:] == [("chancery.visits.visit.updated.v1", "chancery.visits.visit.updated.v1"),
                                  ("chancery.visits.visit.released.v1", "chancery.visits.visit.released.v1")]
    assert secret["id"] in listed(visits, roles="protocol", sub="petar")


def test_an_embargoed_visit_appears_when_its_embargo_passes_and_is_released_once_by_the_sweep(visits):
    until = visits.now + timedelta(hours=2)
    embargoed = create_visit(visits, embargoed_until=until.isoformat())
    assert embargoed["id"] not in listed(visits, roles="protocol", sub="petar")
    release_due(visits)
    assert [key for _, key in outbox(visits)] == ["withheld.chancery.visits.visit.created.v1"]

    visits.now = until + timedelta(seconds=1)
    assert embargoed["id"] in listed(visits, roles="protocol", sub="petar")
    release_due(visits)
    release_due(visits)
    assert outbox(visits)[1:] == [("chancery.visits.visit.released.v1", "chancery.visits.visit.released.v1")]


def test_a_confidential_meeting_is_absent_from_another_officers_list_and_read(visits):
    secret = visits.call("POST", "/api/v1/meetings", {**MEETING, "confidentiality": "confidential"},
                         roles="protocol", sub="olga")
    assert secret.status_code == 201, secret.json
    assert listed(visits, "/api/v1/meetings", roles="protocol", sub="petar") == []
    assert visits.call("GET", f"/api/v1/meetings/{secret.json['id']}", roles="protocol",
                       sub="petar").status_code == 404
    assert listed(visits, "/api/v1/meetings", roles="protocol", sub="olga") == [secret.json["id"]]


def test_need_to_know_refuses_an_unknown_role_and_a_name_with_a_comma(visits):
    for named, field in (({"roles": ["chef"]}, "roles"), ({"people": ["a,b"]}, "people")):
        answer = visits.call("POST", "/api/v1/visits", {**VISIT, "need_to_know": named}, roles="protocol")
        assert answer.status_code == 422
        assert any(field in str(error) for error in answer.json["errors"])


def test_a_confidential_meeting_is_left_out_of_the_officials_calendar_feed_for_whoever_need_not_know(visits):
    secret = visits.call("POST", "/api/v1/meetings", {**MEETING, "confidentiality": "confidential"},
                         roles="protocol", sub="olga")
    assert secret.status_code == 201, secret.json
    feed = "/api/v1/officials/Mayor of Sofia/visits.ics"
    assert MEETING["title"] in visits.call("GET", feed, roles="protocol", sub="olga").get_data(as_text=True)
    assert MEETING["title"] not in visits.call("GET", feed, roles="protocol", sub="petar").get_data(as_text=True)


def test_a_clash_with_a_confidential_meeting_names_it_only_as_a_confidential_engagement_to_whoever_need_not_know(
        visits):
    secret = visits.call("POST", "/api/v1/meetings", {**MEETING, "confidentiality": "confidential"},
                         roles="protocol", sub="olga")
    assert secret.status_code == 201, secret.json
    clash = visits.call("POST", "/api/v1/meetings", {**MEETING, "title": "Press briefing"}, roles="protocol",
                        sub="petar")
    assert clash.status_code == 409
    [named] = clash.json["clashes"]
    assert (named["item_id"], named["title"], named["visit_id"]) == (secret.json["id"], "a confidential engagement",
                                                                      None)
    assert MEETING["title"] not in clash.get_data(as_text=True)
    known = visits.call("POST", "/api/v1/meetings", {**MEETING, "title": "Press briefing"}, roles="protocol",
                        sub="olga")
    assert known.json["clashes"][0]["title"] == MEETING["title"]


def test_the_events_of_a_confidential_visits_parts_go_out_withheld_with_the_visits_marking(visits):
    secret = create_visit(visits, confidentiality="confidential")
    talks = {"kind": "meeting", "title": "Talks on the consulate's move", "starts_at": "2027-03-10T10:00:00",
             "ends_at": "2027-03-10T11:30:00", "time_zone": "Europe/Sofia", "venue": "Sofia City Hall",
             "host_participants": ["Mayor of Sofia"]}
    item = visits.call("POST", f"/api/v1/visits/{secret['id']}/agenda-items", talks, roles="protocol", sub="olga")
    assert item.status_code == 201, item.json
    flags = visits.call("PUT", f"/api/v1/visits/{secret['id']}/flags", {"flags": ["BG", "FR"]}, roles="protocol",
                        sub="olga", headers={"If-Match": '"1"'})
    assert flags.status_code == 200, flags.json
    routed = dict(outbox(visits))
    assert routed["chancery.visits.agenda-item.scheduled.v1"] == "withheld.chancery.visits.agenda-item.scheduled.v1"
    assert routed["chancery.visits.visit-flags.set.v1"] == "withheld.chancery.visits.visit-flags.set.v1"


def test_a_confidential_visits_submitted_report_is_announced_again_for_everyone_when_the_visit_is_made_open(visits):
    secret = create_visit(visits, confidentiality="confidential")
    for action in ("confirm", "start"):
        assert visits.call("POST", f"/api/v1/visits/{secret['id']}/{action}", {}, roles="protocol",
                           sub="olga").status_code == 200
    report = {"outcome": "Agreed a joint forum.", "follow_ups": [
        {"title": "Send the concept", "owner": "Maria Ivanova", "due_on": "2027-04-15"}]}
    assert visits.call("POST", f"/api/v1/visits/{secret['id']}/report", report, roles="protocol",
                       sub="olga").status_code == 201
    assert visits.call("POST", f"/api/v1/visits/{secret['id']}/report/submit", {}, roles="protocol",
                       sub="olga").status_code == 200
    submitted = "chancery.visits.visit-report.submitted.v1"
    assert (submitted, "withheld." + submitted) in outbox(visits)
    opened = visits.call("PATCH", f"/api/v1/visits/{secret['id']}", {"confidentiality": "open"},
                         headers={"If-Match": '"3"'}, roles="protocol", sub="olga")
    assert opened.status_code == 200, opened.json
    assert outbox(visits)[-2:] == [("chancery.visits.visit.released.v1", "chancery.visits.visit.released.v1"),
                                   (submitted, submitted)]
