"""The request and answer fields of a record that can be confidential or embargoed (decision 0190): a service's
create schema inherits `MarkingIn`, its change schema `MarkingChange`, its answer `MarkingOut`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from shared.http.auth import MAX_SUBJECT_LENGTH, ROLES
from shared.kit.withholding import CONFIDENTIAL

Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SUBJECT_LENGTH,
                                           pattern=r"^[^,]+$")]
Role = Annotated[str, StringConstraints(pattern=f"^({'|'.join(ROLES)})$"), WithJsonSchema(
    {"type": "string", "enum": sorted(ROLES)})]
Confidentiality = Literal["open", "confidential"]
EMBARGO = "Withheld from everyone but those who need to know until this instant; null lifts the embargo"


class NeedToKnow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    people: list[Subject] = Field(default_factory=list, max_length=50,
                                  description="Who may know of the record while it is withheld (their sign-in "
                                              "subjects)")
    roles: list[Role] = Field(default_factory=list, description="Roles that may know of it while it is withheld")


class MarkingIn(BaseModel):
    confidentiality: Confidentiality = Field("open", description=f"`{CONFIDENTIAL}`: only those who need to know "
                                                                "see the record, until it is made open")
    embargoed_until: AwareDatetime | None = Field(None, description=EMBARGO)
    need_to_know: NeedToKnow = Field(default_factory=NeedToKnow)


class MarkingChange(BaseModel):
    """Each field sent changes, the others stay. As in every change schema, a field may be left out but not set
    to null where the record needs a value: the types are not optional, only the defaults are None."""

    confidentiality: Confidentiality = None  # type: ignore[assignment]
    embargoed_until: AwareDatetime | None = Field(None, description=EMBARGO)
    need_to_know: NeedToKnow = None  # type: ignore[assignment]


class MarkingOut(BaseModel):
    confidentiality: Confidentiality
    embargoed_until: AwareDatetime | None
    need_to_know: NeedToKnow
