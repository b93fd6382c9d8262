"""The OCDS 1.1.5 export of a contracting process: a release package (one release per stage) and a record
package (the releases linked, and the compiled release). Decision 0037."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask import request
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.contracts.api.common import PROCUREMENT, now, own_settings
from services.contracts.api.tender_schemas import TenderPath
from services.contracts.domain.contract import OCDS_MILESTONE_TYPE, MilestoneType
from services.contracts.domain.plan import OCDS_PROCUREMENT_METHOD, ProcurementMethod
from services.contracts.domain.tender import is_sealed
from services.contracts.operations.tenders import find_tender
from services.contracts.store.models import (
    Amendment,
    Award,
    Bid,
    Contract,
    Enquiry,
    Milestone,
    Payment,
    PlanLine,
    Supplier,
    Tender,
    TenderDocument,
)
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.resources import json_response
from shared.http.work import read_only

ocds_api = APIBlueprint("ocds", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                        abp_responses=problem_responses(401, 403, 404, 422),
                        abp_tags=[Tag(name="ocds", description="Open Contracting Data Standard 1.1.5 export")])
OCDS_VERSION = "1.1"
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
BUYER_ID = "buyer"
# Lots, and the items' and awards' references to them, come from the lots extension, which the packages declare.
LOTS_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"


def amount(value: Decimal) -> int | float:
    """An OCDS amount is a JSON number; whole cents print exactly as the shortest float that round-trips."""
    return int(value) if value == value.to_integral_value() else float(str(value))


def money(value: Decimal | None, currency: str) -> dict | None:
    return None if value is None else {"amount": amount(value), "currency": currency}


def stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class Process:
    """Everything stored about one contracting process, read once."""

    def __init__(self, session: Session, tender: Tender):
        self.tender = tender
        self.line = session.get(PlanLine, tender.plan_line_id)
        self.documents = session.scalars(select(TenderDocument).where(TenderDocument.tender_id == tender.id)
                                         .order_by(TenderDocument.published_at)).all()
        self.enquiries = session.scalars(select(Enquiry).where(Enquiry.tender_id == tender.id)).all()
        self.sealed = is_sealed(tender.submission_deadline, now())
        bids = [] if self.sealed else session.scalars(select(Bid).where(Bid.tender_id == tender.id)).all()
        self.awards = session.scalars(select(Award).where(Award.tender_id == tender.id)
                                      .order_by(Award.decided_at)).all()
        self.contracts = session.scalars(select(Contract).where(Contract.tender_id == tender.id)
                                         .order_by(Contract.created_at)).all()
        contract_ids = [contract.id for contract in self.contracts]
        self.milestones = session.scalars(select(Milestone).where(Milestone.contract_id.in_(contract_ids))
                                          .order_by(Milestone.due_on)).all()
        self.payments = session.scalars(select(Payment).where(Payment.contract_id.in_(contract_ids))
                                        .order_by(Payment.paid_on)).all()
        self.amendments = session.scalars(select(Amendment).where(Amendment.contract_id.in_(contract_ids))
                                          .order_by(Amendment.amended_at)).all()
        supplier_ids = {bid.supplier_id for bid in bids} | {a.supplier_id for a in self.awards if a.supplier_id}
        self.suppliers = {s.id: s for s in session.scalars(select(Supplier).where(Supplier.id.in_(supplier_ids)))}
        self.tenderer_ids = sorted({bid.supplier_id for bid in bids if bid.status != "withdrawn"})
        self.awarded_ids = {a.supplier_id for a in self.awards if a.supplier_id and a.status in ("pending", "active")}

    # --- sections ---

    def buyer(self) -> dict:
        return {"id": BUYER_ID, "name": own_settings().ocds_publisher}

    def parties(self) -> list[dict]:
        parties = [{**self.buyer(), "roles": ["buyer", "procuringEntity"]}]
        for supplier_id in sorted(self.suppliers):
            supplier = self.suppliers[supplier_id]
            roles = [role for role, held in (("tenderer", supplier_id in self.tenderer_ids),
                                             ("supplier", supplier_id in self.awarded_ids)) if held]
            parties.append({"id": supplier.id, "name": supplier.legal_name, "roles": roles or ["tenderer"],
                            "identifier": {"scheme": supplier.identifier_scheme, "id": supplier.identifier_id,
                                           "legalName": supplier.legal_name},
                            "address": {"countryName": supplier.country}})
        return parties

    def planning(self) -> dict:
        line = self.line
        return {"rationale": line.programme,
                "budget": {"id": line.id, "description": line.title, "amount": money(line.budget_amount,
                                                                                      line.currency),
                           "project": line.programme}}

    def tender_section(self) -> dict:
        tender, method = self.tender, ProcurementMethod(self.tender.procurement_method)
        section = {
            "id": tender.id, "title": tender.title, "description": tender.description, "status": tender.status,
            "procuringEntity": self.buyer(), "value": money(tender.value_amount, tender.currency),
            "procurementMethod": OCDS_PROCUREMENT_METHOD[method], "procurementMethodDetails": method.value,
            "mainProcurementCategory": tender.main_procurement_category, "awardCriteria": tender.award_criteria,
            "submissionMethod": ["electronicAuction" if method == ProcurementMethod.REVERSE_AUCTION
                                 else "electronicSubmission"],
            "lots": [{"id": lot.id, "title": lot.title, "value": money(lot.value_amount, tender.currency)}
                     for lot in tender.lots],
            "items": [{"id": lot.id, "description": lot.title, "relatedLot": lot.id,
                       "classification": {"scheme": "CPV", "id": self.line.cpv_code.split("-")[0]}}
                      for lot in tender.lots],
            "enquiryPeriod": {"startDate": stamp(tender.published_at or tender.created_at),
                              "endDate": stamp(tender.enquiry_ends_at)},
            "tenderPeriod": {"startDate": stamp(tender.published_at or tender.created_at),
                             "endDate": stamp(tender.submission_deadline)},
            "hasEnquiries": bool(self.enquiries),
            "documents": [{"id": d.id, "documentType": d.document_type, "title": d.title, "url": d.url,
                           "datePublished": stamp(d.published_at), "language": d.language}
                          for d in self.documents],
        }
        if tender.criteria:
            section["awardCriteriaDetails"] = "; ".join(f"{c['name']} {c['weight']}%" for c in tender.criteria)
        if not self.sealed:
            section["numberOfTenderers"] = len(self.tenderer_ids)
            section["tenderers"] = [{"id": sid, "name": self.suppliers[sid].legal_name} for sid in self.tenderer_ids]
        return section

    def award_section(self, award: Award) -> dict:
        section = {"id": award.id, "status": award.status, "date": stamp(award.decided_at),
                   "relatedLots": [award.lot_id]}
        if award.status_reason:
            section["description"] = award.status_reason
        if award.supplier_id:
            section["value"] = money(award.amount, award.currency)
            section["suppliers"] = [{"id": award.supplier_id, "name": self.suppliers[award.supplier_id].legal_name}]
        return section

    def contract_section(self, contract: Contract, *, implementation: bool) -> dict:
        signed = [day for day in (contract.buyer_signed_on, contract.supplier_signed_on) if day]
        section = {"id": contract.id, "awardID": contract.award_id, "title": contract.title,
                   "status": contract.status, "value": money(contract.amount, contract.currency),
                   "period": {"startDate": f"{contract.period_start.isoformat()}T00:00:00Z",
                              "endDate": f"{contract.period_end.isoformat()}T23:59:59Z"},
                   "milestones": [{"id": m.id, "title": m.title,
                                   "type": OCDS_MILESTONE_TYPE[MilestoneType(m.milestone_type)], "status": m.status,
                                   "dueDate": f"{m.due_on.isoformat()}T00:00:00Z",
                                   **({"dateMet": f"{m.date_met.isoformat()}T00:00:00Z"} if m.date_met else {})}
                                  for m in self.milestones if m.contract_id == contract.id]}
        if len(signed) == 2:
            section["dateSigned"] = f"{max(signed).isoformat()}T00:00:00Z"
        amendments = [a for a in self.amendments if a.contract_id == contract.id]
        if amendments:
            section["amendments"] = [{"id": a.id, "date": stamp(a.amended_at), "rationale": a.rationale,
                                      "description": "; ".join(f"{field}: {before} → {after}"
                                                               for field, (before, after) in a.changes.items())}
                                     for a in amendments]
        if implementation:
            # The payment's own reference is not exported: OCDS wants a URI in `source`, and it is none.
            section["implementation"] = {"transactions": [
                {"id": p.id, "date": f"{p.paid_on.isoformat()}T00:00:00Z",
                 "value": money(p.amount, p.currency), "payer": self.buyer(),
                 "payee": {"id": contract.supplier_id, "name": self.suppliers.get(contract.supplier_id).legal_name
                           if contract.supplier_id in self.suppliers else contract.supplier_id}}
                for p in self.payments if p.contract_id == contract.id]}
        return section

    # --- releases ---

    def release(self, stage: str, tags: list[str], date: datetime, **sections) -> dict:
        return {"ocid": self.tender.ocid, "id": f"{self.tender.ocid}-{stage}", "date": stamp(date), "tag": tags,
                "initiationType": "tender", "language": "en", "buyer": self.buyer(), "parties": self.parties(),
                **sections}

    def releases(self) -> list[dict]:
        tender = self.tender
        releases = [self.release("planning", ["planning"], self.line.created_at, planning=self.planning()),
                    self.release("tender", ["tender"], tender.published_at or tender.updated_at,
                                 tender=self.tender_section())]
        for award in self.awards:
            releases.append(self.release(f"award-{award.id}", ["award"], award.updated_at,
                                         awards=[self.award_section(award)]))
        for contract in self.contracts:
            has_payments = any(p.contract_id == contract.id for p in self.payments)
            releases.append(self.release(f"contract-{contract.id}", self.contract_tags(contract, has_payments),
                                         contract.updated_at,
                                         contracts=[self.contract_section(contract, implementation=has_payments)]))
        return releases

    def contract_tags(self, contract: Contract, has_payments: bool) -> list[str]:
        held = (("contractAmendment", any(a.contract_id == contract.id for a in self.amendments)),
                ("implementation", has_payments), ("contractTermination", contract.status == "terminated"))
        return ["contract", *(tag for tag, applies in held if applies)]

    def compiled(self) -> dict:
        releases = self.releases()
        latest = max(release["date"] for release in releases)
        compiled = {"ocid": self.tender.ocid, "id": f"{self.tender.ocid}-{latest}", "date": latest,
                    "tag": ["compiled"], "initiationType": "tender", "language": "en", "buyer": self.buyer(),
                    "parties": self.parties(), "planning": self.planning(), "tender": self.tender_section()}
        if self.awards:
            compiled["awards"] = [self.award_section(award) for award in self.awards]
        if self.contracts:
            compiled["contracts"] = [self.contract_section(c, implementation=True) for c in self.contracts]
        return compiled


def package(kind: str) -> dict:
    publisher = own_settings().ocds_publisher
    return {"uri": request.base_url, "version": OCDS_VERSION, "extensions": [LOTS_EXTENSION],
            "publishedDate": stamp(now()), "publisher": {"name": publisher}, "license": LICENSE,
            "publicationPolicy": f"{request.host_url}docs", kind: []}


OCID_EXAMPLE = "ocds-chncry-5c1e2f3a-7b8d-4e9f-a0b1-c2d3e4f5a6b7"
EXAMPLE_URL = "https://chancery.city.example/api/v1/tenders/5c1e2f3a-7b8d-4e9f-a0b1-c2d3e4f5a6b7/ocds"
PLANNING_EXAMPLE = {
    "ocid": OCID_EXAMPLE, "id": f"{OCID_EXAMPLE}-planning", "date": "2026-11-20T10:00:00Z", "tag": ["planning"],
    "initiationType": "tender", "language": "en", "buyer": {"id": BUYER_ID, "name": "Chancery"},
    "parties": [{"id": BUYER_ID, "name": "Chancery", "roles": ["buyer", "procuringEntity"]}],
    "planning": {"rationale": "International Forum of Twin Cities 2027", "budget": {
        "id": "3d9a7f52-1c4e-4b8a-9f21-6b0d2c7e8a14", "description": "Venue and interpretation for the forum",
        "amount": {"amount": 185000, "currency": "EUR"}, "project": "International Forum of Twin Cities 2027"}}}
PACKAGE_EXAMPLE = {"version": OCDS_VERSION, "extensions": [LOTS_EXTENSION], "publishedDate": "2027-02-21T09:00:00Z",
                   "publisher": {"name": "Chancery"}, "license": LICENSE,
                   "publicationPolicy": "https://chancery.city.example/docs"}
RELEASE_PACKAGE_EXAMPLE = {"uri": f"{EXAMPLE_URL}/releases", **PACKAGE_EXAMPLE, "releases": [PLANNING_EXAMPLE]}
RECORD_PACKAGE_EXAMPLE = {
    "uri": f"{EXAMPLE_URL}/record", **PACKAGE_EXAMPLE, "packages": [f"{EXAMPLE_URL}/releases"],
    "records": [{"ocid": OCID_EXAMPLE, "releases": [{"url": f"{EXAMPLE_URL}/releases#{OCID_EXAMPLE}-planning",
                                                     "date": "2026-11-20T10:00:00Z", "tag": ["planning"]}],
                 "compiledRelease": {**PLANNING_EXAMPLE, "id": f"{OCID_EXAMPLE}-2026-11-20T10:00:00Z",
                                     "tag": ["compiled"]}}]}


def ocds_response(description: str, example: dict) -> dict:
    return {200: {"description": description,
                  "content": {"application/json": {"schema": {"type": "object"}, "example": example}}}}


@ocds_api.get("/tenders/<tender_id>/ocds/releases", summary="The contracting process as an OCDS 1.1.5 release package",
              responses=ocds_response("An OCDS 1.1.5 release package: one release per stage", RELEASE_PACKAGE_EXAMPLE))
@allow(*PROCUREMENT)
def release_package(path: TenderPath):
    with read_only() as session:
        process = Process(session, find_tender(session, path.tender_id))
        return json_response({**package("releases"), "releases": process.releases()})


@ocds_api.get("/tenders/<tender_id>/ocds/record", summary="The contracting process as an OCDS 1.1.5 record package",
              responses=ocds_response("An OCDS 1.1.5 record package: the releases linked, and the compiled release",
                                      RECORD_PACKAGE_EXAMPLE))
@allow(*PROCUREMENT)
def record_package(path: TenderPath):
    with read_only() as session:
        process = Process(session, find_tender(session, path.tender_id))
        releases_url = request.base_url.removesuffix("/record") + "/releases"
        linked = [{"url": f"{releases_url}#{release['id']}", "date": release["date"], "tag": release["tag"]}
                  for release in process.releases()]
        record = {"ocid": process.tender.ocid, "releases": linked, "compiledRelease": process.compiled()}
        return json_response({**package("records"), "packages": [releases_url], "records": [record]})
