"""OCDS 1.1.5 releases of a contracting process, stored as published (decisions 0037, 0038).

Every committed change to a published process is released in the transaction that makes it: each stage
(planning, tender, one per award, one per contract) is built from the records as they stand, and a stage whose
content differs from its last release gets a new release, `<ocid>-<sequence>`, stored and never changed. Record
packages compile the stored releases with `ocdsmerge`, under the OCDS schema with the lots extension applied.
The passing of a submission deadline changes no record, so the worker's sweep releases it (the tenderers).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import ocdsmerge
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from services.contracts.domain.contract import OCDS_MILESTONE_TYPE, MilestoneType
from services.contracts.domain.plan import OCDS_PROCUREMENT_METHOD, ProcurementMethod
from services.contracts.domain.tender import is_sealed
from services.contracts.settings import ContractsSettings
from services.contracts.store.models import (
    Amendment,
    Award,
    Bid,
    Contract,
    Enquiry,
    Milestone,
    OcdsRelease,
    Payment,
    PlanLine,
    Supplier,
    Tender,
    TenderDocument,
)
from shared.service import ServiceRuntime

SCHEMA_DIR = Path(__file__).parent / "ocds_schema"
# Lots, and the items' and awards' references to them, come from the lots extension, which the packages declare.
LOTS_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
BUYER_ID = "buyer"
# What a stage's first release is tagged, and what its later ones are.
FIRST_AND_LATER = {"planning": ("planning", "planningUpdate"), "tender": ("tender", "tenderUpdate"),
                   "award": ("award", "awardUpdate"), "contract": ("contract", "contractUpdate")}
PENDING = "ocds.pending"  # session.info: the processes a transaction touched, released before it commits


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch, the way an OCDS extension's release-schema.json patches the core schema."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


@cache
def release_schema() -> dict:
    """The OCDS 1.1.5 release schema with the lots extension (v1.1.5) applied: what the releases follow."""
    core = json.loads((SCHEMA_DIR / "release-schema.json").read_text(encoding="utf-8"))
    lots = json.loads((SCHEMA_DIR / "lots" / "release-schema.json").read_text(encoding="utf-8"))
    return merge_patch(core, lots)


@cache
def merger() -> ocdsmerge.Merger:
    return ocdsmerge.Merger(schema=release_schema())


def compiled_release(releases: list[dict]) -> dict:
    """The process as its releases say it is now, merged by the OCDS rules (`ocdsmerge`)."""
    return merger().create_compiled_release(releases)


def amount(value: Decimal) -> int | float:
    """An OCDS amount is a JSON number; whole cents print exactly as the shortest float that round-trips."""
    return int(value) if value == value.to_integral_value() else float(str(value))


def money(value: Decimal | None, currency: str) -> dict | None:
    return None if value is None else {"amount": amount(value), "currency": currency}


def stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def day(on: Any, time: str = "00:00:00") -> str:
    return f"{on.isoformat()}T{time}Z"


class Process:
    """Everything stored about one contracting process, read once, as public as it may be at `now`: before the
    submission deadline no bid and no tenderer is read."""

    def __init__(self, session: Session, tender: Tender, settings: ContractsSettings, now: datetime):
        self.tender, self.publisher = tender, settings.ocds_publisher
        self.line = session.get_one(PlanLine, tender.plan_line_id)
        self.documents = session.scalars(select(TenderDocument).where(TenderDocument.tender_id == tender.id)
                                         .order_by(TenderDocument.published_at)).all()
        self.has_enquiries = bool(session.scalar(select(func.count(Enquiry.id)).where(Enquiry.tender_id == tender.id)))
        self.sealed = is_sealed(tender.submission_deadline, now)
        bids = [] if self.sealed else session.scalars(select(Bid).where(Bid.tender_id == tender.id)).all()
        self.awards = session.scalars(select(Award).where(Award.tender_id == tender.id)
                                      .order_by(Award.decided_at, Award.id)).all()
        self.contracts = session.scalars(select(Contract).where(Contract.tender_id == tender.id)
                                         .order_by(Contract.created_at, Contract.id)).all()
        contract_ids = [contract.id for contract in self.contracts]
        self.milestones = session.scalars(select(Milestone).where(Milestone.contract_id.in_(contract_ids))
                                          .order_by(Milestone.due_on, Milestone.id)).all()
        self.payments = session.scalars(select(Payment).where(Payment.contract_id.in_(contract_ids))
                                        .order_by(Payment.paid_on, Payment.id)).all()
        self.amendments = session.scalars(select(Amendment).where(Amendment.contract_id.in_(contract_ids))
                                          .order_by(Amendment.amended_at, Amendment.id)).all()
        supplier_ids = {bid.supplier_id for bid in bids} | {a.supplier_id for a in self.awards if a.supplier_id}
        self.suppliers = {s.id: s for s in session.scalars(select(Supplier).where(Supplier.id.in_(supplier_ids)))}
        self.tenderer_ids = sorted({bid.supplier_id for bid in bids if bid.status != "withdrawn"})
        self.awarded_ids = {a.supplier_id for a in self.awards if a.supplier_id and a.status in ("pending", "active")}

    # --- sections ---

    def buyer(self) -> dict:
        return {"id": BUYER_ID, "name": self.publisher}

    def parties(self, supplier_ids: Iterable[str] = ()) -> list[dict]:
        """The buyer and the named suppliers, each with every role it holds in the process."""
        parties = [{**self.buyer(), "roles": ["buyer", "procuringEntity"]}]
        for supplier_id in sorted(set(supplier_ids) & set(self.suppliers)):
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
        opened = stamp(tender.published_at or tender.created_at)
        section: dict[str, Any] = {
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
            "enquiryPeriod": {"startDate": opened, "endDate": stamp(tender.enquiry_ends_at)},
            "tenderPeriod": {"startDate": opened, "endDate": stamp(tender.submission_deadline)},
            "hasEnquiries": self.has_enquiries,
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
        section: dict[str, Any] = {"id": award.id, "status": award.status, "date": stamp(award.decided_at),
                   "relatedLots": [award.lot_id]}
        if award.status_reason:
            section["description"] = award.status_reason
        if award.supplier_id:
            section["value"] = money(award.amount, award.currency)
            section["suppliers"] = [{"id": award.supplier_id, "name": self.suppliers[award.supplier_id].legal_name}]
        return section

    def contract_section(self, contract: Contract) -> dict:
        signed = [on for on in (contract.buyer_signed_on, contract.supplier_signed_on) if on]
        section: dict[str, Any] = {"id": contract.id, "awardID": contract.award_id, "title": contract.title,
                   "status": contract.status, "value": money(contract.amount, contract.currency),
                   "period": {"startDate": day(contract.period_start), "endDate": day(contract.period_end, "23:59:59")},
                   "milestones": [{"id": m.id, "title": m.title,
                                   "type": OCDS_MILESTONE_TYPE[MilestoneType(m.milestone_type)], "status": m.status,
                                   "dueDate": day(m.due_on), **({"dateMet": day(m.date_met)} if m.date_met else {})}
                                  for m in self.milestones if m.contract_id == contract.id]}
        if len(signed) == 2:
            section["dateSigned"] = day(max(signed))
        amendments = [a for a in self.amendments if a.contract_id == contract.id]
        if amendments:
            section["amendments"] = [{"id": a.id, "date": stamp(a.amended_at), "rationale": a.rationale,
                                      "description": "; ".join(f"{field}: {before} → {after}"
                                                               for field, (before, after) in a.changes.items())}
                                     for a in amendments]
        payments = [p for p in self.payments if p.contract_id == contract.id]
        if payments:
            payee = {"id": contract.supplier_id, "name": self.suppliers[contract.supplier_id].legal_name
                     if contract.supplier_id in self.suppliers else contract.supplier_id}
            # A transaction's id is what a reader can look up in the payer's books (OCDS): the payment order's
            # number, unique within its contract.
            section["implementation"] = {"transactions": [
                {"id": p.reference, "date": day(p.paid_on), "value": money(p.amount, p.currency),
                 "payer": self.buyer(), "payee": payee} for p in payments]}
        return section

    # --- stages ---

    def stages(self) -> list[tuple[str, str, list[str], dict]]:
        """(stage, kind, extra tags, the release's content but its id, date and tags) of every stage."""
        stages = [("planning", "planning", [], {"parties": self.parties(), "planning": self.planning()}),
                  ("tender", "tender", ["tenderCancellation"] if self.tender.status == "cancelled" else [],
                   {"parties": self.parties(self.tenderer_ids), "tender": self.tender_section()})]
        for award in self.awards:
            stages.append((f"award-{award.id}", "award", ["awardCancellation"] if award.status == "cancelled" else [],
                           {"parties": self.parties([award.supplier_id] if award.supplier_id else []),
                            "awards": [self.award_section(award)]}))
        for contract in self.contracts:
            stages.append((f"contract-{contract.id}", "contract", self.contract_tags(contract),
                           {"parties": self.parties([contract.supplier_id]),
                            "contracts": [self.contract_section(contract)]}))
        return stages

    def contract_tags(self, contract: Contract) -> list[str]:
        held = (("contractAmendment", any(a.contract_id == contract.id for a in self.amendments)),
                ("implementation", any(p.contract_id == contract.id for p in self.payments)),
                ("contractTermination", contract.status == "terminated"))
        return [tag for tag, applies in held if applies]

    def release(self, release_id: str, date: datetime, tags: list[str], content: dict) -> dict:
        return {"ocid": self.tender.ocid, "id": release_id, "date": stamp(date), "tag": tags,
                "initiationType": "tender", "language": "en", "buyer": self.buyer(), **content}


def release_process(session: Session, tender: Tender, settings: ContractsSettings, now: datetime) -> list[OcdsRelease]:
    """Store a new release of every stage of a published process whose content changed since its last release."""
    if tender.published_at is None:
        return []  # a draft is nobody's business yet
    stored = session.scalars(select(OcdsRelease).where(OcdsRelease.tender_id == tender.id)
                             .order_by(OcdsRelease.sequence)).all()
    latest = {release.stage: release.content for release in stored}
    sequence = stored[-1].sequence if stored else 0
    process, released = Process(session, tender, settings, now), []
    for stage, kind, extra_tags, content in process.stages():
        if stage in latest and {key: latest[stage].get(key) for key in content} == content:
            continue
        sequence += 1
        first, later = FIRST_AND_LATER[kind]
        tags = [later if stage in latest else first, *extra_tags]
        release_id = f"{tender.ocid}-{sequence}"
        released.append(OcdsRelease(id=release_id, ocid=tender.ocid, tender_id=tender.id, sequence=sequence,
                                    stage=stage, date=now, tags=tags,
                                    content=process.release(release_id, now, tags, content)))
    session.add_all(released)
    return released


def note_touched_processes(session: Session, _flush_context: Any) -> None:
    """After each flush: remember which processes the flushed records belong to (released before the commit)."""
    pending = session.info.setdefault(PENDING, set())
    for record in (*session.new, *session.dirty, *session.deleted):
        if isinstance(record, OcdsRelease):
            continue
        if isinstance(record, Tender):
            pending.add(("tender", record.id))
        elif isinstance(record, PlanLine):
            pending.add(("plan_line", record.id))
        elif getattr(record, "tender_id", None):
            pending.add(("tender", record.tender_id))
        elif getattr(record, "contract_id", None):
            pending.add(("contract", record.contract_id))


def release_processes(session: Session, tender_ids: Iterable[str], settings: ContractsSettings,
                      now: datetime) -> None:
    """Release the processes one after another, each under its tender's row lock, taken in the order of the
    ids: a second transaction releasing the same process waits for the first to commit and then reads its
    releases (PostgreSQL's read committed), so it numbers its own after them instead of colliding on
    `(ocid, sequence)`. SQLite's writers are one at a time already. `FOR NO KEY UPDATE`, not `FOR UPDATE`: the
    key-share lock that each transaction's new records (a document, a bid) hold on their tender would make two
    such transactions wait for each other for ever."""
    tenders = session.scalars(select(Tender).where(Tender.id.in_(set(tender_ids))).order_by(Tender.id)
                              .with_for_update(key_share=True).execution_options(populate_existing=True)).all()
    for tender in tenders:
        release_process(session, tender, settings, now)


def release_touched_processes(session: Session, settings: ContractsSettings, now: datetime) -> None:
    """Before the commit: release what changed in every process the transaction touched."""
    session.flush()  # what is not flushed yet is noted too (the commit's own flush comes after this)
    pending = session.info.pop(PENDING, set())
    ids = {kind: {record_id for k, record_id in pending if k == kind} for kind in ("tender", "contract", "plan_line")}
    if not any(ids.values()):
        return
    tender_ids = ids["tender"] | set(session.scalars(select(Contract.tender_id)
                                                     .where(Contract.id.in_(ids["contract"]))))
    tender_ids |= set(session.scalars(select(Tender.id).where(Tender.plan_line_id.in_(ids["plan_line"]))))
    release_processes(session, tender_ids, settings, now)
    session.info.pop(PENDING, None)  # what the releasing itself flushed is no change to a process


def release_closed_tenders(session: Session, settings: ContractsSettings, now: datetime) -> None:
    """Release every published tender whose submission deadline has passed since its last release: from then
    on its tenderers are public, and the feed shows them without waiting for the next change to the process.
    Once released after its deadline a tender is not looked at again."""
    released_since_deadline = exists().where(OcdsRelease.tender_id == Tender.id,
                                             OcdsRelease.date >= Tender.submission_deadline)
    closed = session.scalars(select(Tender.id).where(Tender.published_at.is_not(None),
                                                     Tender.submission_deadline <= now,
                                                     ~released_since_deadline)).all()
    release_processes(session, closed, settings, now)


def release_on_commit(runtime: ServiceRuntime) -> None:
    """The contracts service's step in each of its write transactions (`ServiceSpec.transaction_hooks`)."""
    runtime.database.listen("after_flush", note_touched_processes)
    runtime.database.listen("before_commit", lambda session: release_touched_processes(
        session, runtime.own_settings, runtime.clock()))
