"""Request and response bodies of tenders, their documents and enquiries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, HttpUrl, StringConstraints

from services.contracts.api.schemas import LongText, Text, Value, ValueOut
from services.contracts.domain.plan import ProcurementMethod
from services.contracts.domain.tender import AwardCriteria, ProcurementCategory, TenderStatus
from shared.http.records import VersionedOut
from shared.http.resources import PageQuery
from shared.http.views import id_path

Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]


class CriterionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,49}$")] = Field(
        description="`price` (scored by formula) or a quality criterion scored 0–100 by the evaluators")
    weight: Decimal = Field(gt=0, le=100, decimal_places=2, description="Weights add up to 100")


class CriterionOut(BaseModel):
    name: str
    weight: str


class LotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Text
    value: Value


class LotOut(BaseModel):
    id: str
    title: str
    value: ValueOut


TENDER_EXAMPLE = {
    "plan_line_id": "3d9a7f52-1c4e-4b8a-9f21-6b0d2c7e8a14",
    "title": "Venue and services for the International Forum of Twin Cities 2027",
    "description": "Two lots: the venue with catering; simultaneous interpretation EN/RU/BG",
    "main_procurement_category": "services",
    "award_criteria": "priceOnly",
    "value": {"amount": "185000.00", "currency": "EUR"},
    "minimum_step": {"amount": "500.00", "currency": "EUR"},
    "enquiry_ends_at": "2027-02-10T15:00:00Z",
    "submission_deadline": "2027-02-20T12:00:00Z",
    "lots": [{"title": "Venue and catering", "value": {"amount": "150000.00", "currency": "EUR"}},
             {"title": "Simultaneous interpretation", "value": {"amount": "35000.00", "currency": "EUR"}}],
}


class TenderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [TENDER_EXAMPLE]})

    plan_line_id: Id = Field(description="The approved plan line the tender carries out; it becomes tendered")
    title: Text
    description: LongText | None = None
    main_procurement_category: ProcurementCategory
    award_criteria: AwardCriteria = AwardCriteria.PRICE_ONLY
    criteria: list[CriterionIn] | None = Field(None, max_length=10,
                                               description="Required for ratedCriteria: the weighted criteria")
    value: Value = Field(description="The estimated value; within the plan line's budget, in its currency")
    minimum_step: Value | None = Field(None, description="Required for a reverse auction: the least undercut")
    enquiry_ends_at: AwareDatetime
    submission_deadline: AwareDatetime
    lots: list[LotIn] = Field(default_factory=list, max_length=50,
                              description="Leave empty for a tender of one lot (one is made with its value)")


class TenderUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"submission_deadline": "2027-02-25T12:00:00Z"}]})

    title: Text = None
    description: LongText | None = None
    enquiry_ends_at: AwareDatetime = None
    submission_deadline: AwareDatetime = None


class TenderOut(VersionedOut):
    id: str
    ocid: str
    plan_line_id: str
    title: str
    description: str | None
    procurement_method: ProcurementMethod
    main_procurement_category: ProcurementCategory
    award_criteria: AwardCriteria
    criteria: list[CriterionOut] | None
    value: ValueOut
    minimum_step: ValueOut | None
    enquiry_ends_at: datetime
    submission_deadline: datetime
    published_at: datetime | None
    lots: list[LotOut]
    status: TenderStatus
    status_reason: str | None
    allowed_actions: list[str]


class TenderPath(BaseModel):
    tender_id: str = Field(description="The tender's id", max_length=36)


class TenderQuery(PageQuery):
    status: TenderStatus | None = None
    procurement_method: ProcurementMethod | None = None
    plan_line_id: str | None = Field(None, max_length=36)
    deadline_from: AwareDatetime | None = None
    deadline_until: AwareDatetime | None = None


class DocumentType(StrEnum):
    """A subset of the OCDS 1.1.5 documentType codelist that tenders use."""

    TENDER_NOTICE = "tenderNotice"
    BIDDING_DOCUMENTS = "biddingDocuments"
    TECHNICAL_SPECIFICATIONS = "technicalSpecifications"
    EVALUATION_CRITERIA = "evaluationCriteria"
    CLARIFICATIONS = "clarifications"
    ELIGIBILITY_CRITERIA = "eligibilityCriteria"
    CONTRACT_DRAFT = "contractDraft"


class DocumentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "document_type": "technicalSpecifications", "title": "Technical specification: venue and catering",
        "url": "https://docs.city.example/tenders/forum-2027/spec.pdf", "language": "en"}]})

    document_type: DocumentType
    title: Text
    url: HttpUrl
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = "en"


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    tender_id: str
    document_type: DocumentType
    title: str
    url: str
    language: str
    published_at: datetime


class EnquiryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "supplier_id": "9b2f0c1e-7d4a-4e3b-8c5d-2a1f0e9d8c7b",
        "question": "May the interpretation lot be offered with remote interpreters?"}]})

    supplier_id: Id | None = Field(None, description="The supplier who asked, when known")
    question: LongText


class AnswerRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "answer": "No: interpreters must be present at the venue on both days."}]})
    answer: LongText


class EnquiryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    tender_id: str
    supplier_id: str | None
    question: str
    asked_at: datetime
    answer: str | None
    answered_at: datetime | None
    version: int


EnquiryPath = id_path("EnquiryPath", "enquiry_id", parent=TenderPath)


class EnquiryQuery(PageQuery):
    answered: bool | None = None
