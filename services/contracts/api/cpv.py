"""The CPV codes a plan line is picked from: a read-only search of the vocabulary the office buys from."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.contracts.api.common import PROCUREMENT
from services.contracts.domain.cpv_vocabulary import search
from shared.http.auth import allow
from shared.http.resources import Page, PageQuery, json_response, page_of_items
from shared.http.views import blueprint

cpv_api = blueprint("cpv", __name__, "The Common Procurement Vocabulary, searched", tag="procurement plan")


class CpvCodeOut(BaseModel):
    code: str = Field(description="Eight digits, a dash and the check digit")
    title: str


class CpvQuery(PageQuery):
    q: str | None = Field(None, max_length=100, description="The code's first digits, or words of its title")


@cpv_api.get("/cpv-codes", summary="Search CPV codes by their first digits or words of their title",
             responses={200: Page[CpvCodeOut]})
@allow(*PROCUREMENT)
def search_cpv_codes(query: CpvQuery):
    found = [{"code": code, "title": title} for code, title in search(query.q or "")]
    return json_response(page_of_items(found, query))
