"""The travel order as PDF in English, Russian and Bulgarian, its text read back with pypdf."""

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from services.trips.tests.support import MAYOR, STAFF, act, assert_problem, create, put_papers

HEADINGS = {"en": "TRAVEL ORDER", "ru": "ПРИКАЗ О КОМАНДИРОВАНИИ", "bg": "ЗАПОВЕД ЗА КОМАНДИРОВКА"}
FUNDING = {"en": "shared between the city and the host", "ru": "совместно городом и принимающей стороной",
           "bg": "съвместно от града и приемащата страна"}
APPROVED = {"en": "The Mayor's Office: approved by chief", "ru": "Аппарат мэра: согласовано, chief",
            "bg": "Кабинет на кмета: одобрено от chief"}


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def approved(trips):
    trip = create(trips, travellers=[MAYOR, STAFF])
    put_papers(trips, trip)
    act(trips, trip["id"], "submit")
    act(trips, trip["id"], "approve", roles="department-head", sub="head")
    act(trips, trip["id"], "approve", roles="mayor-office", sub="chief")
    return trip


@pytest.mark.parametrize("language", ["en", "ru", "bg"])
def test_the_travel_order_reads_in_the_chosen_language_with_the_travellers_place_dates_and_approvals(
        trips, approved, language):
    response = trips.call("GET", f"/api/v1/trips/{approved['id']}/travel-order.pdf?language={language}",
                          roles="mayor-office")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert HEADINGS[language] in text
    assert f"TO-{datetime.now(UTC).year}-00001" in text
    assert "Ivan Sergeev" in text and "Anna Volkova" in text
    assert "Sofia, BG" in text
    assert FUNDING[language] in text
    assert APPROVED[language] in text
    assert f"({STAFF['department']}): " in text  # whose head approved the staff step
    assert "2027" in text


def test_a_draft_trips_order_says_it_is_not_yet_approved(trips):
    trip = create(trips)
    response = trips.call("GET", f"/api/v1/trips/{trip['id']}/travel-order.pdf?language=ru", roles="travel")
    text = pdf_text(response.data)
    assert "Ещё не согласовано" in text and "регистрируется при подаче" in text


def test_each_request_gets_the_next_travel_order_number_of_the_year_when_first_submitted_and_keeps_it(trips):
    year = datetime.now(UTC).year
    first, second = create(trips, travellers=[STAFF]), create(trips, travellers=[STAFF])
    assert first["travel_order_number"] is None
    assert act(trips, first["id"], "submit").json["travel_order_number"] == f"TO-{year}-00001"
    assert act(trips, first["id"], "recall").json["travel_order_number"] == f"TO-{year}-00001"
    assert act(trips, second["id"], "submit").json["travel_order_number"] == f"TO-{year}-00002"
    assert act(trips, first["id"], "submit").json["travel_order_number"] == f"TO-{year}-00001"
    third = create(trips)
    refused = act(trips, third["id"], "approve", roles="department-head")  # 409: nothing registered
    assert refused.status_code == 409
    assert act(trips, third["id"], "submit").json["travel_order_number"] == f"TO-{year}-00003"


def test_an_unknown_language_is_refused_naming_it(trips):
    trip = create(trips)
    response = trips.call("GET", f"/api/v1/trips/{trip['id']}/travel-order.pdf?language=de", roles="travel")
    assert_problem(response, 422, field="language")


def test_markup_in_a_trips_title_is_printed_as_text(trips):
    trip = create(trips, title="<b>Visit</b> & talks")
    text = pdf_text(trips.call("GET", f"/api/v1/trips/{trip['id']}/travel-order.pdf", roles="travel").data)
    assert "<b>Visit</b> & talks" in text
