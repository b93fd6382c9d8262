"""What the trips views share that is trips' own: who may do what, and the shapes of its fields."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, StringConstraints, model_validator

from shared.http.records import NO_NUL

TRAVEL = ("travel",)
APPROVERS = ("department-head", "mayor-office")
READERS = ("travel", *APPROVERS)
PASSPORT_READERS = ("travel",)  # travel staff book visas and tickets with the passport; everyone else sees it masked

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=NO_NUL)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NO_NUL)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000, pattern=NO_NUL)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=36,
                                             pattern=r"^[A-Za-z0-9-]+$")]


class EndsAfterStart(BaseModel):
    """A body with `starts_on` and `ends_on` (its subclass names them): the end may not come before the start."""

    @model_validator(mode="after")
    def ends_after_start(self):
        if self.ends_on < self.starts_on:  # type: ignore[attr-defined]
            raise ValueError("ends_on must not be before starts_on")
        return self
