"""Documents (letters, travel orders, reports) from sandboxed templates, in English, Russian or Bulgarian, as PDF.

A service keeps its templates in one directory, one file per document and language:
`<name>.<language>.html` (e.g. `visa_letter.bg.html`). Templates are Jinja2 in a sandbox with
autoescaping, so a delegation member called `<b>` stays text, and a template cannot reach Python
internals. fpdf2 lays the HTML out (headings, paragraphs, bold and italic, tables, lists) in DejaVu
Sans, which covers Latin and Cyrillic. Filters write dates, numbers and money the way each language does:
`{{ visit.starts_on | date }}`, `{{ amount | money(currency) }}`, `{{ count | number }}`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, Undefined, pass_context
from jinja2.sandbox import SandboxedEnvironment

if TYPE_CHECKING:
    from fpdf import FPDF

LANGUAGES = ("en", "ru", "bg")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf",
              "BI": "DejaVuSans-BoldOblique.ttf"}
FONT = "DejaVu"


class UnknownDocument(LookupError):
    """No template for this document in this language."""


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart drawn after the document's text (e.g. visits per country in a report)."""

    title: str
    labels: Sequence[str]
    values: Sequence[float]


def _defined(value: Any) -> Any:
    if isinstance(value, Undefined):
        str(value)  # StrictUndefined raises UndefinedError naming the missing value
    return value


@pass_context
def _date(context, value: date | datetime, format: str = "long") -> str:
    value = _defined(value)
    if isinstance(value, datetime):
        return format_datetime(value, format=format, locale=context["language"])
    return format_date(value, format=format, locale=context["language"])


@pass_context
def _money(context, amount: Decimal | float, currency: str) -> str:
    amount = _defined(amount)
    return format_currency(amount, currency, locale=context["language"])


@pass_context
def _number(context, value: Decimal | float | int) -> str:
    value = _defined(value)
    return format_decimal(value, locale=context["language"])


class DocumentTemplates:
    def __init__(self, directory: Path, font_dir: Path):
        self.font_dir = font_dir
        self.environment = SandboxedEnvironment(loader=FileSystemLoader(directory), autoescape=True,
                                                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.environment.filters.update(date=_date, money=_money, number=_number)

    def render_html(self, name: str, language: str, context: dict[str, Any]) -> str:
        if language not in LANGUAGES:
            raise UnknownDocument(f"{name}: no language {language!r}; choose one of {', '.join(LANGUAGES)}")
        try:
            template = self.environment.get_template(f"{name}.{language}.html")
        except TemplateNotFound as error:
            raise UnknownDocument(f"no template {name} in {language}") from error
        return template.render(**context, language=language)

    def render_pdf(self, name: str, language: str, context: dict[str, Any], *, title: str,
                   charts: Sequence[BarChart] = ()) -> bytes:
        html = self.render_html(name, language, context)
        pdf = self._new_pdf(title, language)
        pdf.write_html(html)
        for chart in charts:
            _draw_bar_chart(pdf, chart, language)
        return bytes(pdf.output())

    def _new_pdf(self, title: str, language: str) -> FPDF:
        from fpdf import FPDF  # about 30 MiB (Pillow, fontTools): only in a process that draws a PDF

        pdf = FPDF(format="A4")
        for style, file in FONT_FILES.items():
            pdf.add_font(FONT, style, str(self.font_dir / file))
        pdf.set_font(FONT, size=11)
        pdf.set_title(title)
        pdf.set_lang(language)
        pdf.set_creator("Chancery")
        pdf.add_page()
        return pdf


def _draw_bar_chart(pdf: FPDF, chart: BarChart, language: str, bar_height: float = 6, label_width: float = 50) -> None:
    """Bars scaled to the largest value, each labelled and followed by its figure."""
    needed = 12 + bar_height * 1.5 * len(chart.values)
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 8, chart.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    largest = max(chart.values, default=0) or 1
    room = pdf.epw - label_width - 20
    for label, value in zip(chart.labels, chart.values, strict=True):
        y = pdf.get_y()
        pdf.cell(label_width, bar_height, label[:40])
        pdf.set_fill_color(70, 110, 170)
        pdf.rect(pdf.l_margin + label_width, y + 1, max(room * value / largest, 0.5), bar_height - 2, style="F")
        pdf.set_xy(pdf.l_margin + label_width + room + 2, y)
        pdf.cell(18, bar_height, format_decimal(value, locale=language), new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(y + bar_height * 1.5)
    pdf.set_font(FONT, "", 11)
