"""Listing: every collection filters, sorts and pages the same way (shared/http/resources.py), shown on the
tenders, suppliers and commitments of contracts."""

import pytest

from services.contracts.tests.helpers import TENDER, approved_plan_line, assert_problem, created, post, supplier
from services.contracts.tests.test_commitments import COMMITMENT


def tenders_of_methods(contracts, methods_and_values):
    for method, amount in methods_and_values:
        line = approved_plan_line(contracts, procurement_method=method)
        tender = created(contracts, "/api/v1/tenders", {
            **TENDER, "plan_line_id": line["id"], "value": {"amount": amount, "currency": "EUR"},
            "minimum_step": {"amount": "500.00", "currency": "EUR"} if method == "reverse_auction" else None}).json
        if method != "direct":
            post(contracts, f"/api/v1/tenders/{tender['id']}/publish")


def listed(contracts, query):
    response = contracts.call("GET", f"/api/v1/{query}")
    assert response.status_code == 200, response.json
    return response.json


def test_tenders_filter_by_status_and_method_and_sort_by_value_in_either_direction(contracts):
    tenders_of_methods(contracts, [("open", "120000.00"), ("open", "90000.00"), ("reverse_auction", "150000.00"),
                                   ("direct", "30000.00")])
    active_open = listed(contracts, "tenders?status=active&procurement_method=open&sort=value_amount")
    assert [t["value"]["amount"] for t in active_open["items"]] == ["90000.00", "120000.00"]
    dearest_first = listed(contracts, "tenders?sort=-value_amount")["items"]
    assert [t["value"]["amount"] for t in dearest_first] == ["150000.00", "120000.00", "90000.00", "30000.00"]
    assert [t["status"] for t in listed(contracts, "tenders?status=planning")["items"]] == ["planning"]


def test_pages_of_one_walk_every_supplier_once_in_the_order_asked(contracts):
    names = ["Delta Events AG", "Alpha Catering OOD", "Charlie Sound GmbH", "Bravo Interpreting EOOD"]
    for index, name in enumerate(names):
        supplier(contracts, identifier=f"HRB 7{index}", legal_name=name)
    pages = [listed(contracts, f"suppliers?sort=-legal_name&page_size=1&page={page}") for page in (1, 2, 3, 4, 5)]
    assert [page["total"] for page in pages] == [4] * 5
    assert [item["legal_name"] for page in pages for item in page["items"]] == sorted(names, reverse=True)
    assert pages[-1]["items"] == []


def test_commitments_filter_by_country_and_sort_by_due_date(contracts):
    for country, due_on in (("SE", "2027-09-30"), ("DE", "2027-03-31"), ("SE", "2027-06-30")):
        created(contracts, "/api/v1/commitments", {**COMMITMENT, "country": country, "due_on": due_on})
    swedish = listed(contracts, "commitments?country=SE&sort=-due_on")
    assert (swedish["total"], [c["due_on"] for c in swedish["items"]]) == (2, ["2027-09-30", "2027-06-30"])


@pytest.mark.parametrize("collection", ["tenders", "suppliers", "contracts", "agreements", "commitments",
                                        "plan-lines"])
def test_sorting_by_an_unknown_field_is_refused_naming_the_sortable_ones(contracts, collection):
    problem = assert_problem(contracts.call("GET", f"/api/v1/{collection}?sort=-password"), 422, "sort")
    assert "sortable fields" in problem["errors"][0]["message"]
