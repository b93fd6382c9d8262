"""Analytics built only from events: figures by year, a rebuild from scratch, and the annual report as PDF."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

from babel import Locale
from flask import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from services.outreach.api.common import READERS, today
from services.outreach.api.plan_schemas import Year
from services.outreach.domain.analytics import figures
from services.outreach.operations import analytics as operations
from services.outreach.store.analytics import facts
from services.outreach.store.models import Partner, PartnerRelationship
from shared.documents import BarChart, DocumentTemplates
from shared.http.auth import allow
from shared.http.resources import QueryModel, inline_file, json_response
from shared.http.views import blueprint
from shared.http.work import read_only, runtime, unit_of_work

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
REBUILDERS = ("outreach", "operator")
CHART_TITLES = {
    "en": ("Incoming visits by country", "Business trips abroad by destination"),
    "ru": ("Входящие визиты по странам", "Зарубежные командировки по странам назначения"),
    "bg": ("Посещения по държави", "Командировки в чужбина по дестинации"),
}
REPORT_TITLE = {"en": "Annual report on international cooperation",
                "ru": "Годовой отчёт о международном сотрудничестве",
                "bg": "Годишен доклад за международното сътрудничество"}
analytics_api = blueprint("analytics", __name__, "Read models folded from the suite's events, and the annual report")


class FiguresQuery(QueryModel):
    model_config = ConfigDict(extra="forbid")
    year: Year | None = Field(None, description="Only this year (all years by default)")


class ReportQuery(QueryModel):
    model_config = ConfigDict(extra="forbid")
    year: Year
    language: Literal["en", "ru", "bg"] = "en"


class Figures(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "visits_per_country": [{"country": "BG", "year": 2027, "visits": 3}],
        "trips_per_destination": [{"country": "DE", "year": 2027, "trips": 2}],
        "contract_value_per_year": [{"year": 2027, "currency": "EUR", "amount": "1250000.00"}],
        "plan_completion": [{"year": 2027, "items": 14, "done": 6, "cancelled": 1, "completion": 0.4615}]}]})

    visits_per_country: list[dict]
    trips_per_destination: list[dict]
    contract_value_per_year: list[dict]
    plan_completion: list[dict]


class Rebuilt(BaseModel):
    events: int
    facts: int


@analytics_api.get("/analytics", summary="Visits per country, trips per destination, contract value and plan "
                   "completion, by year", responses={200: Figures})
@allow(*READERS)
def analytics_figures(query: FiguresQuery):
    with read_only() as session:
        return json_response(figures(facts(session), query.year))


@analytics_api.post("/analytics/rebuild", summary="Throw the read model away and fold every logged event again",
                    responses={200: Rebuilt})
@allow(*REBUILDERS)
def rebuild_analytics():
    with unit_of_work() as uow:
        rebuilt = operations.rebuild_analytics(uow)
    return json_response(rebuilt)


def country_rows(rows: list[dict], key: str, language: str) -> list[dict]:
    names = Locale.parse(language).territories
    return [{"name": names.get(row["country"], row["country"]), "value": row[key]}
            for row in sorted(rows, key=lambda row: (-row[key], row["country"]))]


@analytics_api.get("/analytics/annual-report", summary="The annual report on international cooperation as PDF, "
                   "with charts, in English, Russian or Bulgarian", responses={200: None})
@allow(*READERS)
def annual_report(query: ReportQuery):
    on = today()
    with read_only() as session:
        year_figures = figures(facts(session), query.year)
        partners = session.scalar(select(func.count()).select_from(Partner))
        twin_cities = session.scalar(select(func.count(func.distinct(PartnerRelationship.partner_id))).where(
            PartnerRelationship.type == "twin_city", PartnerRelationship.established_on <= on,
            (PartnerRelationship.ended_on.is_(None)) | (PartnerRelationship.ended_on >= on)))
    visits = country_rows(year_figures["visits_per_country"], "visits", query.language)
    trips = country_rows(year_figures["trips_per_destination"], "trips", query.language)
    context = {"year": query.year, "partners": partners, "twin_cities": twin_cities, "visits": visits,
               "trips": trips, "plan": next(iter(year_figures["plan_completion"]), None),
               "contracts": [{**row, "amount": Decimal(row["amount"])} for row in
                             year_figures["contract_value_per_year"]]}
    visits_title, trips_title = CHART_TITLES[query.language]
    charts = [BarChart(visits_title, [row["name"] for row in visits], [row["value"] for row in visits]),
              BarChart(trips_title, [row["name"] for row in trips], [row["value"] for row in trips])]
    pdf = DocumentTemplates(TEMPLATES, runtime().settings.font_dir).render_pdf(
        "annual_report", query.language, context, title=f"{REPORT_TITLE[query.language]} {query.year}",
        charts=charts)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": inline_file(f"annual-report-{query.year}-{query.language}.pdf")})
