"""Searching the CPV vocabulary a plan line's code is picked from: by first digits or by words of the title."""

from services.contracts.domain.cpv import check_cpv
from services.contracts.domain.cpv_vocabulary import VOCABULARY
from services.contracts.tests.helpers import assert_problem


def search(contracts, query, roles="procurement"):
    return contracts.call("GET", f"/api/v1/cpv-codes?{query}", roles=roles)


def test_every_code_offered_passes_the_check_the_plan_applies():
    assert all(check_cpv(code) == code for code in VOCABULARY)


def test_words_of_a_title_find_the_codes_whose_title_holds_them_all_in_any_case(contracts):
    found = search(contracts, "q=FAIR%20organisation").json
    assert [item["code"] for item in found["items"]] == ["79950000-8", "79956000-0"]
    assert found["total"] == 2


def test_the_first_digits_find_the_codes_below_them_a_page_at_a_time(contracts):
    first = search(contracts, "q=7995&page_size=2").json
    second = search(contracts, "q=7995&page_size=2&page=2").json
    assert first["total"] == second["total"] == 6
    assert [item["code"] for item in first["items"] + second["items"]] == [
        "79950000-8", "79951000-5", "79952000-2", "79953000-9"]


def test_only_procurement_staff_search_and_a_long_query_is_refused_naming_it(contracts):
    assert search(contracts, "q=hotel", roles="outreach").status_code == 403
    assert_problem(search(contracts, "q=" + "x" * 101), 422, "q")
