"""Campaigns, materials in three languages through review to publication, media contacts and accreditations."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.outreach.domain.campaigns import (
    LANGUAGES,
    MATERIAL_LIFECYCLE,
    MaterialStatus,
    MissingLanguages,
    SameReviewer,
    check_transition,
)
from services.outreach.store.models import Accreditation, Material, MediaContact
from services.outreach.tests.conftest import assert_problem
from shared.kit.lifecycle import IllegalTransition, MissingReason

CAMPAIGN = {"title": "Sofia and our city: 60 years of twinning", "goals": "Make the twinning known",
            "audiences": ["students"], "channels": ["social", "press"], "starts_on": "2027-04-01",
            "ends_on": "2027-06-30"}
TEXTS = {"en": {"title": "Sofia Days open on Friday", "body": "The City and Sofia celebrate."},
         "ru": {"title": "В пятницу открываются Дни Софии", "body": "Город и София отмечают."},
         "bg": {"title": "Дните на София започват в петък", "body": "Градът и София отбелязват."}}
JOURNALIST = {"name": "Ivan Georgiev", "outlet": "Bulgarian National Radio", "country": "BG",
              "email": "i.georgiev@bnr.example", "phone": "+359 2 933 6000", "languages": ["bg", "en"]}


def material(outreach, texts=TEXTS, **changes):
    return outreach.create("/api/v1/materials", {"kind": "press_release", "texts": texts, **changes})


def act(outreach, item, action, body=None, sub="olga"):
    return outreach.call("POST", f"/api/v1/materials/{item['id']}/{action}", body or {}, roles="outreach", sub=sub)


# --- the rules ---

@given(st.lists(st.sampled_from([*MATERIAL_LIFECYCLE.transitions, "edit"]), max_size=12))
def test_a_material_is_published_only_after_a_review_by_someone_else_with_all_three_languages(actions):
    status, submitter, texts = MaterialStatus.DRAFT, None, {language: {"title": "t"} for language in LANGUAGES}
    for number, action in enumerate(actions):
        actor = f"person-{number % 2}"
        if action == "edit":
            continue
        try:
            target = check_transition(status, action, "a reason", texts, submitter, actor)
        except (IllegalTransition, SameReviewer):
            continue
        if target == MaterialStatus.PUBLISHED:
            assert status == MaterialStatus.IN_REVIEW and submitter != actor
        if action == "submit":
            submitter = actor
        status = target


def test_a_material_missing_a_language_cannot_go_to_review_and_returning_one_needs_a_reason():
    with pytest.raises(MissingLanguages) as refused:
        check_transition(MaterialStatus.DRAFT, "submit", None, {"en": TEXTS["en"]}, None, "olga")
    assert refused.value.missing == ["ru", "bg"]
    with pytest.raises(MissingReason):
        check_transition(MaterialStatus.IN_REVIEW, "return", " ", TEXTS, "olga", "ivan")


# --- campaigns ---

def test_a_campaign_is_planned_and_found_by_title_and_by_a_day_it_runs(outreach):
    campaign = outreach.create("/api/v1/campaigns", CAMPAIGN)
    assert outreach.outbox_types() == ["chancery.outreach.campaign.created.v1"]
    assert outreach.call("GET", "/api/v1/campaigns?q=TWINNING", roles="mayor-office").json["total"] == 1
    assert outreach.call("GET", "/api/v1/campaigns?on=2027-05-01").json["items"][0]["id"] == campaign["id"]
    assert outreach.call("GET", "/api/v1/campaigns?on=2027-07-01").json["total"] == 0
    assert outreach.call("GET", "/api/v1/campaigns?q=%25").json["total"] == 0


def test_a_campaign_ending_before_it_starts_is_refused(outreach):
    assert_problem(outreach.call("POST", "/api/v1/campaigns", {**CAMPAIGN, "ends_on": "2027-01-01"},
                                 roles="outreach"), 422)
    campaign = outreach.create("/api/v1/campaigns", CAMPAIGN)
    response = outreach.call("PATCH", f"/api/v1/campaigns/{campaign['id']}", {"ends_on": "2027-01-01"},
                             roles="outreach")
    assert_problem(response, 422, "ends_on")


# --- materials ---

def test_a_material_goes_from_draft_through_review_to_published_by_a_second_person(outreach):
    campaign = outreach.create("/api/v1/campaigns", CAMPAIGN)
    draft = material(outreach, campaign_id=campaign["id"])
    assert (draft["status"], draft["missing_languages"], draft["allowed_actions"]) == ("draft", [], ["submit"])
    assert act(outreach, draft, "submit", sub="olga").json["status"] == "in_review"
    same = act(outreach, draft, "publish", sub="olga")
    assert_problem(same, 403)
    published = act(outreach, draft, "publish", sub="ivan")
    assert published.status_code == 200, published.json
    assert (published.json["status"], published.json["published_by"]) == ("published", "ivan")
    assert published.json["texts"]["bg"]["title"] == TEXTS["bg"]["title"]
    types = outreach.outbox_types()
    assert types.index("chancery.outreach.material.submitted.v1") < types.index(
        "chancery.outreach.material.published.v1")
    listed = outreach.call("GET", f"/api/v1/materials?campaign_id={campaign['id']}&status=published").json
    assert listed["total"] == 1


def test_a_material_without_all_three_languages_is_refused_for_review_naming_the_missing_ones(outreach):
    draft = material(outreach, texts={"en": TEXTS["en"]})
    assert draft["missing_languages"] == ["ru", "bg"]
    problem = assert_problem(act(outreach, draft, "submit"), 422)
    assert {error["field"] for error in problem["errors"]} == {"texts.ru", "texts.bg"}
    completed = outreach.call("PATCH", f"/api/v1/materials/{draft['id']}", {"texts": {"ru": TEXTS["ru"],
                                                                                     "bg": TEXTS["bg"]}},
                              roles="outreach", headers={"If-Match": '"1"'})
    assert completed.json["missing_languages"] == [] and completed.json["texts"]["en"] == TEXTS["en"]
    assert act(outreach, draft, "submit").status_code == 200


def test_a_material_in_review_cannot_be_edited_until_returned_with_a_reason(outreach):
    draft = material(outreach)
    act(outreach, draft, "submit")
    edit = outreach.call("PATCH", f"/api/v1/materials/{draft['id']}", {"kind": "printed"}, roles="outreach")
    assert assert_problem(edit, 409)["allowed_actions"] == ["return", "publish"]
    assert_problem(act(outreach, draft, "return"), 422, "reason")
    returned = act(outreach, draft, "return", {"reason": "Check the figures"}, sub="ivan")
    assert (returned.json["status"], returned.json["status_reason"]) == ("draft", "Check the figures")
    assert outreach.call("PATCH", f"/api/v1/materials/{draft['id']}", {"kind": "printed"},
                         roles="outreach").status_code == 200


def test_an_illegal_material_action_is_409_and_changes_nothing(outreach):
    draft = material(outreach)
    before = outreach.writes()
    assert assert_problem(act(outreach, draft, "publish"), 409)["allowed_actions"] == ["submit"]
    assert outreach.writes() == before


def test_a_material_of_an_unknown_campaign_is_refused_naming_it(outreach):
    response = outreach.call("POST", "/api/v1/materials", {"kind": "printed",
                                                           "campaign_id": "7c1e6a54-0000-4000-8000-000000000000"},
                             roles="outreach")
    assert_problem(response, 422, "campaign_id")
    assert outreach.count(Material) == 0


def test_a_material_event_carries_the_titles_of_its_languages(outreach):
    material(outreach, texts={"en": TEXTS["en"], "bg": TEXTS["bg"]})
    [(_, data)] = outreach.outbox()
    assert data["titles"] == {"en": TEXTS["en"]["title"], "bg": TEXTS["bg"]["title"]}


# --- the press ---

def test_a_media_contacts_personal_details_never_reach_an_event(outreach):
    contact = outreach.create("/api/v1/media-contacts", JOURNALIST)
    outreach.call("PATCH", f"/api/v1/media-contacts/{contact['id']}", {"phone": "+359 2 111 1111"},
                  roles="outreach")
    written = repr(outreach.outbox())
    for detail in ("Ivan", "Georgiev", "bnr.example", "933 6000", "111 1111"):
        assert detail not in written
    assert outreach.call("GET", "/api/v1/media-contacts?country=BG", roles="mayor-office").json["total"] == 1


def test_an_accreditation_is_requested_granted_and_revoked_with_a_reason(outreach):
    campaign = outreach.create("/api/v1/campaigns", CAMPAIGN)
    contact = outreach.create("/api/v1/media-contacts", JOURNALIST)
    accreditation = outreach.create(f"/api/v1/media-contacts/{contact['id']}/accreditations", {
        "event_name": "Opening of the Sofia Days", "campaign_id": campaign["id"], "valid_from": "2027-05-20",
        "valid_until": "2027-05-27"})
    path = f"/api/v1/accreditations/{accreditation['id']}"
    assert outreach.call("POST", f"{path}/grant", {}, roles="outreach").json["status"] == "granted"
    assert_problem(outreach.call("POST", f"{path}/revoke", {}, roles="outreach"), 422, "reason")
    revoked = outreach.call("POST", f"{path}/revoke", {"reason": "Pass lent to someone else"}, roles="outreach")
    assert revoked.json["status"] == "revoked"
    assert assert_problem(outreach.call("POST", f"{path}/grant", {}, roles="outreach"), 409)["allowed_actions"] == []
    valid = outreach.call("GET", "/api/v1/accreditations?on=2027-05-21&status=revoked").json
    assert valid["total"] == 1


def test_a_media_contact_with_accreditations_is_kept(outreach):
    contact = outreach.create("/api/v1/media-contacts", JOURNALIST)
    outreach.create(f"/api/v1/media-contacts/{contact['id']}/accreditations", {
        "event_name": "Press conference", "valid_from": "2027-05-20", "valid_until": "2027-05-20"})
    assert_problem(outreach.call("DELETE", f"/api/v1/media-contacts/{contact['id']}", roles="outreach"), 409)
    assert (outreach.count(MediaContact), outreach.count(Accreditation)) == (1, 1)
    other = outreach.create("/api/v1/media-contacts", {**JOURNALIST, "name": "Other"})
    assert outreach.call("DELETE", f"/api/v1/media-contacts/{other['id']}", roles="outreach").status_code == 204
    assert outreach.outbox_types()[-1] == "chancery.outreach.media-contact.removed.v1"


@pytest.mark.parametrize(("method", "path"), [("POST", "/api/v1/campaigns"), ("POST", "/api/v1/materials"),
                                              ("POST", "/api/v1/media-contacts"), ("GET", "/api/v1/materials")])
def test_other_departments_neither_write_nor_read_campaigns_and_press(outreach, method, path):
    assert outreach.call(method, path, {} if method == "POST" else None, roles="protocol").status_code == 403
