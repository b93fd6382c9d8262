"""Documents from sandboxed templates, rendered to PDF in English, Russian and Bulgarian."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from jinja2.exceptions import SecurityError, UndefinedError
from pypdf import PdfReader

from shared.config import load_settings
from shared.documents import BarChart, DocumentTemplates, UnknownDocument

LETTER = {
    "en": "<h1>Letter of support</h1><p>{{ guest }} is invited from {{ starts_on | date }}. "
          "Budget {{ budget | money('EUR') }}.</p>",
    "ru": "<h1>Письмо поддержки</h1><p>{{ guest }} приглашается с {{ starts_on | date }}. "
          "Бюджет {{ budget | money('EUR') }}.</p>",
    "bg": "<h1>Писмо за подкрепа</h1><p>{{ guest }} е поканен от {{ starts_on | date }}. "
          "Бюджет {{ budget | money('EUR') }}.</p>",
}
CONTEXT = {"guest": "Jean Dupont", "starts_on": date(2027, 3, 10), "budget": Decimal("1250.50")}


@pytest.fixture
def templates(tmp_path) -> DocumentTemplates:
    for language, text in LETTER.items():
        (tmp_path / f"letter.{language}.html").write_text(text, encoding="utf-8")
    (tmp_path / "escape.en.html").write_text("<p>{{ guest }}</p>")
    (tmp_path / "escape_hatch.en.html").write_text("<p>{{ guest.__class__.__mro__[1].__subclasses__() }}</p>")
    return DocumentTemplates(tmp_path, load_settings("visits").font_dir)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["Letter of support", "Jean Dupont is invited from March 10, 2027", "€1,250.50"]),
    ("ru", ["Письмо поддержки", "приглашается с 10 марта 2027 г.", "1 250,50 €"]),
    ("bg", ["Писмо за подкрепа", "е поканен от 10 март 2027 г.", "1 250,50 €"]),
])
def test_a_letter_renders_to_a_pdf_whose_text_is_in_the_chosen_language_with_its_dates_and_money(
        templates, language, expected):
    text = pdf_text(templates.render_pdf("letter", language, CONTEXT, title="Letter"))
    text = text.replace("\xa0", " ").replace("\u202f", " ")  # babel's (narrow) no-break spaces
    for fragment in expected:
        assert fragment in text


def test_the_pdf_carries_its_title_and_language(templates):
    reader = PdfReader(io.BytesIO(templates.render_pdf("letter", "bg", CONTEXT, title="Писмо 42")))
    assert reader.metadata.title == "Писмо 42"
    assert reader.trailer["/Root"]["/Lang"] == "bg"


def test_markup_in_the_data_is_written_as_text_not_obeyed(templates):
    html = templates.render_html("escape", "en", {"guest": "<b>Mallory</b>"})
    assert html == "<p>&lt;b&gt;Mallory&lt;/b&gt;</p>"


def test_a_template_cannot_reach_python_internals(templates):
    with pytest.raises(SecurityError):
        templates.render_html("escape_hatch", "en", {"guest": "x"})


def test_a_missing_value_is_an_error_rather_than_a_blank_in_an_official_letter(templates):
    with pytest.raises(UndefinedError):
        templates.render_html("letter", "en", {"guest": "Jean Dupont"})


@pytest.mark.parametrize(("name", "language"), [("letter", "de"), ("memo", "en")])
def test_an_unknown_language_or_document_is_refused_by_name(templates, name, language):
    with pytest.raises(UnknownDocument, match=name):
        templates.render_pdf(name, language, CONTEXT, title="x")


def test_a_bar_chart_is_drawn_after_the_text_with_its_title_labels_and_figures(templates):
    chart = BarChart("Визити по държави", ["Франция", "Китай"], [12, 3])
    pdf = templates.render_pdf("letter", "bg", CONTEXT, title="Report", charts=[chart])
    text = pdf_text(pdf)
    assert "Визити по държави" in text and "Франция" in text and "12" in text
    page = PdfReader(io.BytesIO(pdf)).pages[-1]
    assert page.get_contents().get_data().count(b" re") >= 2, "one filled rectangle per bar"
