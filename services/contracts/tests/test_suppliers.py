"""The suppliers register: domestic and foreign companies, each identified within an org-id scheme."""

import pytest

from services.contracts.domain.supplier import InvalidScheme, check_scheme
from services.contracts.store.models import Supplier
from services.contracts.tests.helpers import SUPPLIER, assert_problem, created, outbox, post, row_counts, supplier


@pytest.mark.parametrize(("scheme", "country"), [("GB-COH", "GB"), ("UA-EDR", "UA"), ("XI-LEI", "FR"),
                                                 ("BG-EIK", "BG")])
def test_an_org_id_scheme_of_the_suppliers_country_or_an_international_list_is_accepted(scheme, country):
    assert check_scheme(scheme, country) == scheme


@pytest.mark.parametrize(("scheme", "country"), [("GB-COH", "FR"), ("COH", "GB"), ("gb-coh", "GB")])
def test_a_scheme_of_another_jurisdiction_or_shape_is_refused(scheme, country):
    with pytest.raises(InvalidScheme):
        check_scheme(scheme, country)


def test_a_foreign_supplier_is_registered_and_its_event_carries_no_contact_people(contracts):
    body = supplier(contracts)
    assert body["foreign"] is True and body["identifier"] == {"scheme": "DE-CR", "id": "HRB 123456"}
    assert body["contact_name"] == "Anna Weber"
    [(event_type, data)] = outbox(contracts)
    assert event_type == "chancery.contracts.supplier.registered.v1"
    assert "Anna Weber" not in str(data) and "tenders@example.de" not in str(data)


def test_a_domestic_supplier_is_not_foreign_and_the_list_filters_by_it(contracts):
    supplier(contracts)
    domestic = created(contracts, "/api/v1/suppliers", {
        **SUPPLIER, "legal_name": "Sofia Events EOOD", "country": "BG",
        "identifier": {"scheme": "BG-EIK", "id": "131468980"}}).json
    assert domestic["foreign"] is False
    listed = contracts.call("GET", "/api/v1/suppliers?foreign=false", roles="procurement").json
    assert [item["id"] for item in listed["items"]] == [domestic["id"]]
    by_name = contracts.call("GET", "/api/v1/suppliers?name=eventim", roles="procurement").json
    assert by_name["total"] == 1


def test_a_scheme_that_does_not_register_the_suppliers_country_is_refused_naming_it(contracts):
    response = post(contracts, "/api/v1/suppliers", {**SUPPLIER, "identifier": {"scheme": "GB-COH", "id": "1"}})
    assert_problem(response, 422, "identifier.scheme")
    assert row_counts(contracts, Supplier)["suppliers"] == 0


def test_the_same_identifier_cannot_be_registered_twice(contracts):
    first = supplier(contracts)
    response = post(contracts, "/api/v1/suppliers", {**SUPPLIER, "legal_name": "Another name"})
    assert first["id"] in assert_problem(response, 409, "identifier.id")["detail"]


def test_changing_a_suppliers_contacts_needs_the_current_version(contracts):
    body = supplier(contracts)
    path = f"/api/v1/suppliers/{body['id']}"
    changed = contracts.call("PATCH", path, {"contact_name": "Jonas Becker"}, roles="procurement",
                             headers={"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.json["contact_name"] == "Jonas Becker"
    stale = contracts.call("PATCH", path, {"contact_name": "X"}, roles="procurement", headers={"If-Match": '"1"'})
    assert_problem(stale, 412)


@pytest.mark.parametrize("roles", ["protocol", "travel", "outreach", "mayor-office", "notifications-admin"])
def test_suppliers_data_is_visible_only_to_procurement(contracts, roles):
    body = supplier(contracts)
    assert contracts.call("GET", "/api/v1/suppliers", roles=roles).status_code == 403
    assert contracts.call("GET", f"/api/v1/suppliers/{body['id']}", roles=roles).status_code == 403
