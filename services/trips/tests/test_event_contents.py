"""Every event trips publishes is built from its record by events/contents.py and satisfies its JSON Schema:
a schema and its builder that disagree fail here."""

from services.trips.events import CATALOG
from services.trips.tests.records import office, one_of_each


def record_type(event_type: str) -> str:
    return event_type.split(".")[2]


def test_every_record_type_of_the_catalog_has_contents_its_schema_accepts():
    uow = office()
    one_of_each(uow)
    for event_type, _, data in uow.events:
        CATALOG.validate(event_type, data)
    assert {record_type(t) for t in CATALOG.types} == {record_type(t) for t in uow.event_types()}


def test_the_trip_event_reads_its_derived_fields_from_the_trip():
    uow = office()
    one_of_each(uow)
    approved = next(data for event_type, _, data in uow.events if event_type == "chancery.trips.trip.approved.v1")
    assert approved["country"] == "BG" and approved["countries"] == ["BG"]
    assert approved["destinations"] == [{"country": "BG", "city": "Sofia"}]
    assert approved["traveller_count"] == 2 and approved["traveller_categories"] == ["staff", "mayor"]
    assert approved["approval_chain"] == ["department-head", "mayor-office"]
    assert approved["starts_on"] == "2027-05-20" and approved["travel_order_number"].startswith("TO-")
