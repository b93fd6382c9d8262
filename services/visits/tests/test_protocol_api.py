"""Protocol on a realistic delegation: precedence from the rank table, forms of address in three languages,
a seating plan with principals fixed and sides alternating, flags, gifts and the checklist with overdue tasks."""

from datetime import UTC, datetime

import pytest

from services.visits.tasks import PERIODIC_TASKS
from services.visits.tests.support import act, assert_problem, audit_actions, create_visit, outbox, post
from shared.periodic import PeriodicRunner

KAZAN = [
    {"role": "member", "name_original": "Наиля Закирова", "name_latin": "Nailya Zakirova",
     "title": "Head of the External Relations Department", "rank": "head_of_department", "country": "RU",
     "languages": ["ru", "tt"]},
    {"role": "accompanying", "name_original": "Ольга Белова", "name_latin": "Olga Belova", "title": "Interpreter",
     "country": "RU", "languages": ["ru", "bg"]},
    {"role": "member", "name_original": "Айдар Гарипов", "name_latin": "Aidar Garipov",
     "title": "Chair of the Kazan City Duma", "rank": "council_chair", "country": "RU", "languages": ["ru", "tt"]},
    {"role": "security", "name_original": "Сергей Волков", "name_latin": "Sergei Volkov", "country": "RU",
     "languages": ["ru"]},
    {"role": "member", "name_original": "Павел Орлов", "name_latin": "Pavel Orlov",
     "title": "Consul General of Russia in Varna", "rank": "consul_general", "country": "RU",
     "languages": ["ru", "en"]},
    {"role": "head", "name_original": "Рустам Хабибуллин", "name_latin": "Rustam Khabibullin",
     "title": "Mayor of Kazan", "rank": "mayor", "country": "RU", "languages": ["ru", "tt", "en"]},
    {"role": "member", "name_original": "Елена Смирнова", "name_latin": "Elena Smirnova",
     "title": "Ambassador of Russia to Bulgaria", "rank": "ambassador", "country": "RU", "languages": ["ru", "bg"]},
]
HOSTS = [{"name": "Secretary of the Municipality", "rank": "official"},
         {"name": "Deputy Mayor for Culture", "rank": "deputy_mayor"},
         {"name": "Mayor of Sofia", "rank": "mayor", "principal": True},
         {"name": "Chief Architect", "rank": "head_of_department"}]


@pytest.fixture
def visits(service_app):
    return service_app("visits")


@pytest.fixture
def visit(visits):
    visit = create_visit(visits, delegation_name="Delegation of the City of Kazan", country="RU", city="Kazan",
                         starts_on="2027-05-17", ends_on="2027-05-20", partner_id="partner-kazan")
    visit["people"] = {person["name_latin"]: post(visits, f"/api/v1/visits/{visit['id']}/members", person)["id"]
                       for person in KAZAN}
    return visit


def test_precedence_puts_the_head_first_then_orders_by_rank_with_accompanying_persons_last(visits, visit):
    items = visits.call("GET", f"/api/v1/visits/{visit['id']}/precedence", roles="mayor-office").json["items"]
    assert [(i["position"], i["name_latin"]) for i in items] == [
        (1, "Rustam Khabibullin"), (2, "Elena Smirnova"), (3, "Pavel Orlov"), (4, "Aidar Garipov"),
        (5, "Nailya Zakirova"), (6, "Olga Belova")]
    assert "Sergei Volkov" not in {i["name_latin"] for i in items}
    assert (items[0]["rank_label"], items[0]["level"]) == ("Mayor", 6)


def test_forms_of_address_follow_the_rank_in_each_language_and_write_the_name_in_its_script(visits, visit):
    address = {i["name_latin"]: i["address"] for i in
               visits.call("GET", f"/api/v1/visits/{visit['id']}/precedence").json["items"]}
    assert address["Rustam Khabibullin"] == {"en": "Mayor Rustam Khabibullin", "ru": "Господин мэр",
                                             "bg": "Господин кмет"}
    assert address["Elena Smirnova"]["bg"] == "Ваше Превъзходителство"
    assert address["Pavel Orlov"] == {"en": "Consul General Pavel Orlov", "ru": "Генеральный консул Павел Орлов",
                                      "bg": "Генерален консул Павел Орлов"}
    assert address["Olga Belova"] == {"en": "Olga Belova", "ru": "Ольга Белова", "bg": "Ольга Белова"}


def test_a_name_in_a_script_the_language_does_not_use_is_written_in_latin(visits):
    visit = create_visit(visits, country="CN", city="Shanghai")
    post(visits, f"/api/v1/visits/{visit['id']}/members", {"role": "head", "name_original": "陈立新",
                                                           "name_latin": "Chen Lixin", "rank": "deputy_mayor",
                                                           "country": "CN", "languages": ["zh", "ru"]})
    [item] = visits.call("GET", f"/api/v1/visits/{visit['id']}/precedence").json["items"]
    assert item["address"] == {"en": "Deputy Mayor Chen Lixin", "ru": "Заместитель мэра Chen Lixin",
                               "bg": "Заместник-кмет Chen Lixin"}


def test_the_seating_plan_fixes_the_principals_and_alternates_hosts_and_guests_by_precedence(visits, visit):
    plan = post(visits, f"/api/v1/visits/{visit['id']}/seating-plans",
                {"title": "Official lunch at Boyana Residence", "hosts": HOSTS})
    seats = [(s["seat"], s["side"], s["name"]) for s in plan["seats"]]
    assert seats == [
        (1, "host", "Mayor of Sofia"),
        (2, "guest", "Rustam Khabibullin"),       # at the host principal's right
        (3, "host", "Deputy Mayor for Culture"),
        (4, "guest", "Pavel Orlov"),
        (5, "host", "Secretary of the Municipality"),
        (6, "guest", "Olga Belova"),
        (7, "guest", "Nailya Zakirova"),          # the hosts ran out: the guests fill the far end
        (8, "guest", "Aidar Garipov"),
        (9, "host", "Chief Architect"),
        (10, "guest", "Elena Smirnova"),          # at the host principal's left
    ]
    assert [s["name"] for s in plan["seats"] if s["principal"]] == ["Mayor of Sofia", "Rustam Khabibullin"]
    assert visit["people"]["Rustam Khabibullin"] == plan["seats"][1]["member_id"]
    [event] = outbox(visits, "chancery.visits.seating-plan.")
    assert event["data"]["plan"]["seats"] == 10 and "Khabibullin" not in repr(event)
    listed = visits.call("GET", f"/api/v1/visits/{visit['id']}/seating-plans").json["items"]
    assert [p["id"] for p in listed] == [plan["id"]]


def test_the_head_keeps_the_principal_guest_seat_even_when_a_member_outranks_them(visits, visit):
    plan = post(visits, f"/api/v1/visits/{visit['id']}/seating-plans", {
        "title": "Talks", "hosts": [{"name": "Mayor of Sofia", "rank": "mayor"}],
        "guest_ids": [visit["people"]["Elena Smirnova"], visit["people"]["Rustam Khabibullin"]]})
    assert [(s["seat"], s["name"]) for s in plan["seats"]] == [
        (1, "Mayor of Sofia"), (2, "Rustam Khabibullin"), (3, "Elena Smirnova")]


def test_a_seating_plan_refuses_two_host_principals_and_guests_from_elsewhere(visits, visit):
    path = f"/api/v1/visits/{visit['id']}/seating-plans"
    two = [{"name": "A", "principal": True}, {"name": "B", "principal": True}]
    assert_problem(visits.call("POST", path, {"title": "x", "hosts": two}, roles="protocol"), 422, "hosts")
    assert_problem(visits.call("POST", path, {"title": "x", "hosts": HOSTS, "guest_ids": ["someone"]},
                               roles="protocol"), 422, "guest_ids.0")


def test_a_replaced_rank_table_changes_precedence_and_is_versioned(visits, visit):
    table = visits.call("GET", "/api/v1/protocol/rank-table").json
    assert table["version"] == 0
    ranks = table["ranks"]
    for rank in ranks:
        if rank["key"] == "council_chair":
            rank["level"] = 3  # this office seats the chair of a city council above ambassadors
    stale = visits.call("PUT", "/api/v1/protocol/rank-table", {"ranks": ranks}, roles="protocol",
                        headers={"If-Match": '"4"'})
    assert_problem(stale, 412)
    replaced = visits.call("PUT", "/api/v1/protocol/rank-table", {"ranks": ranks}, roles="protocol",
                           headers={"If-Match": '"0"'})
    assert replaced.status_code == 200 and replaced.headers["ETag"] == '"1"'
    items = visits.call("GET", f"/api/v1/visits/{visit['id']}/precedence").json["items"]
    assert [i["name_latin"] for i in items][:3] == ["Rustam Khabibullin", "Aidar Garipov", "Elena Smirnova"]
    assert outbox(visits, "chancery.visits.rank-table.")[0]["data"]["version"] == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"address": {"en": "Dear {surname}", "ru": "x", "bg": "x"}}, "ranks.0.address.en"),
    ({"key": "Mayor"}, "ranks.0.key"),
    ({"labels": {"en": "Mayor", "ru": "Мэр"}}, "ranks.0.labels.bg"),
])
def test_a_rank_table_with_a_bad_entry_is_refused_naming_it(visits, change, field):
    rank = {"key": "mayor", "level": 1, "labels": {"en": "Mayor", "ru": "Мэр", "bg": "Кмет"},
            "address": {"en": "Mayor {name}", "ru": "{rank} {name}", "bg": "{rank} {name}"}}
    refused = visits.call("PUT", "/api/v1/protocol/rank-table", {"ranks": [{**rank, **change}]}, roles="protocol")
    assert_problem(refused, 422, field)
    assert visits.call("GET", "/api/v1/protocol/rank-table").json["version"] == 0


def test_a_rank_listed_twice_is_refused(visits):
    rank = {"key": "mayor", "level": 1, "labels": {"en": "M", "ru": "M", "bg": "M"},
            "address": {"en": "{name}", "ru": "{name}", "bg": "{name}"}}
    assert_problem(visits.call("PUT", "/api/v1/protocol/rank-table", {"ranks": [rank, rank]}, roles="protocol"),
                   422, "ranks.1.key")


def test_flags_are_displayed_in_order_and_must_include_the_delegations(visits, visit):
    path = f"/api/v1/visits/{visit['id']}/flags"
    assert_problem(visits.call("PUT", path, {"flags": ["BG", "EU"]}, roles="protocol"), 422, "flags")
    assert_problem(visits.call("PUT", path, {"flags": ["Russia"]}, roles="protocol"), 422, "flags.0")
    set_ = visits.call("PUT", path, {"flags": ["RU", "BG", "BG-22", "RU-TA"]}, roles="protocol",
                       headers={"If-Match": '"1"'})
    assert set_.json == {"flags": ["RU", "BG", "BG-22", "RU-TA"], "version": 2}
    assert visits.call("GET", path, roles="mayor-office").json["flags"] == ["RU", "BG", "BG-22", "RU-TA"]
    assert outbox(visits, "chancery.visits.visit-flags.")[0]["data"]["flags"] == ["RU", "BG", "BG-22", "RU-TA"]


# --- gifts ---

VASE = {"direction": "received", "description": "Tatar silver tea set", "giver": "Rustam Khabibullin",
        "recipient": "Mayor of Sofia", "value_amount": "820.50", "value_currency": "EUR",
        "exchanged_on": "2027-05-18"}


def test_a_received_gift_is_registered_with_its_value_and_later_what_became_of_it(visits, visit):
    gift = post(visits, f"/api/v1/visits/{visit['id']}/gifts", VASE)
    assert (gift["disposition"], gift["value_amount"]) == ("pending", "820.50")
    path = f"/api/v1/visits/{visit['id']}/gifts/{gift['id']}"
    placed = visits.call("PATCH", path, {"disposition": "city_property", "disposition_note": "Inventory 2027/114"},
                         roles="protocol", headers={"If-Match": '"1"'})
    assert placed.json["disposition"] == "city_property" and placed.json["version"] == 2
    events = outbox(visits, "chancery.visits.gift.")
    assert [e["type"].split(".")[-2] for e in events] == ["registered", "declaration-required", "updated"]
    assert events[0]["data"]["gift"]["value_amount"] == "820.50" and events[0]["data"]["partner_id"] == "partner-kazan"
    assert audit_actions(visits, gift["id"]) == ["gift.registered", "gift.declaration-required", "gift.updated"]


def test_a_received_gift_above_the_threshold_must_be_declared_and_cannot_be_kept_by_its_recipient(visits, visit):
    gift = post(visits, f"/api/v1/visits/{visit['id']}/gifts", VASE)
    assert (gift["declaration"], gift["declaration_reason"], gift["declaration_threshold"],
            gift["declaration_due_on"]) == ("pending", "over_threshold", "150.00 EUR", "2027-06-17")
    [flagged] = outbox(visits, "chancery.visits.gift.declaration-required.")
    assert (flagged["subject"], flagged["data"]["gift"]["declaration"]) == (gift["id"], "pending")
    path = f"/api/v1/visits/{visit['id']}/gifts/{gift['id']}"
    kept = visits.call("PATCH", path, {"disposition": "kept_by_recipient"}, roles="protocol",
                       headers={"If-Match": '"1"'})
    assert "city_property" in assert_problem(kept, 422, "disposition")["detail"]
    early = visits.call("PATCH", path, {"declared_on": "2027-05-17"}, roles="protocol", headers={"If-Match": '"1"'})
    assert_problem(early, 422, "declared_on")
    declared = visits.call("PATCH", path, {"declared_on": "2027-05-20", "disposition": "museum"}, roles="protocol",
                           headers={"If-Match": '"1"'})
    assert (declared.json["declaration"], declared.json["declared_on"]) == ("declared", "2027-05-20")
    assert len(outbox(visits, "chancery.visits.gift.declaration-required.")) == 1


@pytest.mark.parametrize(("value", "reason"), [
    ({"value_amount": None, "value_currency": None}, "value_unknown"),
    ({"value_amount": "90.00", "value_currency": "CNY"}, "no_threshold_for_currency"),
    ({"value_amount": "150.00", "value_currency": "EUR"}, None),
    ({"value_amount": "150.01", "value_currency": "EUR"}, "over_threshold"),
])
def test_a_gift_of_unknown_value_or_in_a_currency_without_a_threshold_is_declared_and_one_at_the_threshold_is_not(
        visits, visit, value, reason):
    gift = post(visits, f"/api/v1/visits/{visit['id']}/gifts", {**VASE, **value})
    assert gift["declaration_reason"] == reason
    assert gift["declaration"] == ("pending" if reason else "not_required")
    assert len(outbox(visits, "chancery.visits.gift.declaration-required.")) == (1 if reason else 0)
    given = post(visits, f"/api/v1/visits/{visit['id']}/gifts", {**VASE, **value, "direction": "given",
                                                                  "disposition": "handed_over"})
    assert given["declaration"] == "not_required"


def test_the_threshold_is_the_offices_and_a_gift_that_rises_above_it_is_flagged_then(service_app):
    visits = service_app("visits", VISITS_GIFT_THRESHOLDS="EUR:1000,USD:1100", VISITS_GIFT_DECLARATION_DAYS="14")
    visit = create_visit(visits, starts_on="2027-05-18", ends_on="2027-05-19")
    gift = post(visits, f"/api/v1/visits/{visit['id']}/gifts", VASE)
    assert gift["declaration"] == "not_required"
    kept = visits.call("PATCH", f"/api/v1/visits/{visit['id']}/gifts/{gift['id']}",
                       {"value_amount": "1200.00", "value_currency": "USD"}, roles="protocol",
                       headers={"If-Match": '"1"'})
    assert (kept.json["declaration_reason"], kept.json["declaration_threshold"], kept.json["declaration_due_on"]) == (
        "over_threshold", "1100.00 USD", "2027-06-01")
    assert [e["type"].split(".")[-2] for e in outbox(visits, "chancery.visits.gift.")] == [
        "registered", "updated", "declaration-required"]


def test_the_register_lists_pending_and_overdue_declarations(visits, visit):
    pending = post(visits, f"/api/v1/visits/{visit['id']}/gifts", VASE)  # due 2027-06-17, long after today
    old = post(visits, f"/api/v1/visits/{visit['id']}/gifts", {**VASE, "exchanged_on": "2020-01-10"})
    post(visits, f"/api/v1/visits/{visit['id']}/gifts", {**VASE, "value_amount": "20.00"})
    listed = visits.call("GET", "/api/v1/gifts?declaration=pending&sort=declaration_due_on").json["items"]
    assert [g["id"] for g in listed] == [old["id"], pending["id"]]
    overdue = visits.call("GET", "/api/v1/gifts?declaration_overdue=true").json["items"]
    assert [(g["id"], g["declaration_overdue"]) for g in overdue] == [(old["id"], True)]
    assert len(visits.call("GET", "/api/v1/gifts?declaration=not_required").json["items"]) == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"value_currency": None}, "value_currency"),
    ({"direction": "given", "disposition": "kept_by_recipient"}, "disposition"),
    ({"disposition": "handed_over"}, "disposition"),
    ({"value_amount": "-1"}, "value_amount"),
])
def test_a_gift_that_makes_no_sense_is_refused_naming_the_field(visits, visit, change, field):
    refused = visits.call("POST", f"/api/v1/visits/{visit['id']}/gifts", {**VASE, **change}, roles="protocol")
    assert_problem(refused, 422, field)
    assert outbox(visits, "chancery.visits.gift.") == []


def test_the_gifts_register_lists_every_visits_gifts_by_direction_and_date(visits, visit):
    post(visits, f"/api/v1/visits/{visit['id']}/gifts", VASE)
    other = create_visit(visits, starts_on="2027-06-01", ends_on="2027-06-02")
    post(visits, f"/api/v1/visits/{other['id']}/gifts", {**VASE, "direction": "given", "giver": "Mayor of Sofia",
                                                          "recipient": "Mayor of Lyon", "exchanged_on": "2027-06-01",
                                                          "disposition": "handed_over"})
    register = visits.call("GET", "/api/v1/gifts", roles="mayor-office").json
    assert [g["exchanged_on"] for g in register["items"]] == ["2027-06-01", "2027-05-18"]
    given = visits.call("GET", "/api/v1/gifts?direction=given").json["items"]
    assert [g["recipient"] for g in given] == ["Mayor of Lyon"]
    may = visits.call("GET", "/api/v1/gifts?exchanged_until=2027-05-31").json["items"]
    assert [g["giver"] for g in may] == ["Rustam Khabibullin"]


# --- the checklist and its overdue tasks ---

def add_task(visits, visit, title, due_on, owner="ivan"):
    return post(visits, f"/api/v1/visits/{visit['id']}/checklist", {"title": title, "owner": owner,
                                                                      "due_on": due_on})


def sweep(visits, now):
    runtime = visits.app.extensions["chancery"]
    task = next(task for task in PERIODIC_TASKS if task.name == "overdue-checklist-tasks")
    assert PeriodicRunner(runtime, PERIODIC_TASKS).run_once(task, now)


def test_overdue_tasks_are_visible_across_visits_and_by_owner(visits, visit):
    late = add_task(visits, visit, "Order the flags of Russia and Tatarstan", "2020-01-10")
    add_task(visits, visit, "Book the hall", "2099-01-01", owner="olga")
    overdue = visits.call("GET", "/api/v1/checklist-tasks?overdue=true", roles="mayor-office").json["items"]
    assert [(t["id"], t["overdue"]) for t in overdue] == [(late["id"], True)]
    assert visits.call("GET", f"/api/v1/visits/{visit['id']}/checklist?owner=olga").json["items"][0]["overdue"] is False


def test_the_sweep_emits_each_overdue_task_once_however_often_it_runs(visits, visit):
    late = add_task(visits, visit, "Order the flags", "2027-05-10")
    add_task(visits, visit, "Print the place cards", "2027-05-16")
    done = add_task(visits, visit, "Send the programme to the embassy", "2027-05-01")
    visits.call("POST", f"/api/v1/visits/{visit['id']}/checklist/{done['id']}/complete", roles="protocol")
    frozen = datetime(2027, 5, 12, 6, 0, tzinfo=UTC)
    sweep(visits, frozen)
    sweep(visits, frozen)
    events = outbox(visits, "chancery.visits.checklist-task.overdue")
    assert [(e["subject"], e["data"]["task"]["overdue"]) for e in events] == [(late["id"], True)]
    assert events[0]["data"]["task"]["due_on"] == "2027-05-10"
    assert audit_actions(visits, late["id"])[-1] == "checklist-task.overdue"


def test_a_task_moved_to_a_new_due_date_is_reported_again_when_that_date_passes(visits, visit):
    late = add_task(visits, visit, "Order the flags", "2027-05-10")
    sweep(visits, datetime(2027, 5, 12, tzinfo=UTC))
    moved = visits.call("PATCH", f"/api/v1/visits/{visit['id']}/checklist/{late['id']}", {"due_on": "2027-05-14"},
                        roles="protocol")
    assert moved.status_code == 200, moved.json
    sweep(visits, datetime(2027, 5, 13, tzinfo=UTC))
    sweep(visits, datetime(2027, 5, 15, tzinfo=UTC))
    assert len(outbox(visits, "chancery.visits.checklist-task.overdue")) == 2


def test_tasks_of_a_cancelled_visit_are_not_reported(visits, visit):
    add_task(visits, visit, "Order the flags", "2027-05-10")
    act(visits, visit["id"], "cancel", "the delegation postponed")
    sweep(visits, datetime(2027, 5, 12, tzinfo=UTC))
    assert outbox(visits, "chancery.visits.checklist-task.overdue") == []


def test_a_task_is_completed_once_by_whoever_did_it(visits, visit):
    task = add_task(visits, visit, "Order the flags", "2027-05-10")
    path = f"/api/v1/visits/{visit['id']}/checklist/{task['id']}/complete"
    done = visits.call("POST", path, roles="protocol", sub="ivan")
    assert done.json["done_by"] == "ivan" and done.json["overdue"] is False
    assert_problem(visits.call("POST", path, roles="protocol"), 409)
    assert [e["type"].split(".")[-2] for e in outbox(visits, "chancery.visits.checklist-task.")] == [
        "added", "completed"]


def test_the_mayors_office_reads_protocol_but_changes_none_of_it_and_travel_sees_nothing(visits, visit):
    assert visits.call("GET", "/api/v1/protocol/rank-table", roles="mayor-office").status_code == 200
    assert_problem(visits.call("PUT", "/api/v1/protocol/rank-table", {"ranks": []}, roles="mayor-office"), 403)
    assert_problem(visits.call("POST", f"/api/v1/visits/{visit['id']}/gifts", VASE, roles="mayor-office"), 403)
    assert_problem(visits.call("GET", "/api/v1/gifts", roles="travel"), 403)
    assert_problem(visits.call("GET", "/api/v1/checklist-tasks", roles="travel"), 403)
