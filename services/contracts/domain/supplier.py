"""Suppliers, domestic and foreign, identified as OCDS asks: an identifier within a scheme of the org-id list."""

from __future__ import annotations

import re

from shared.kit.refusals import Invalid

# org-id.guide scheme codes: a jurisdiction (ISO 3166-1 alpha-2, or X* for international lists such as
# XI-LEI and XM-DAC), a dash, and the register's code (GB-COH, UA-EDR, BG-EIK, FR-RCS).
SCHEME = re.compile(r"^(?P<jurisdiction>[A-Z]{2})-(?P<register>[A-Z0-9]{2,12})$")


class InvalidScheme(Invalid):
    def __init__(self, message: str):
        super().__init__("identifier.scheme", message)


def check_scheme(scheme: str, country: str) -> str:
    """The scheme when its shape is an org-id code and its jurisdiction is the supplier's country
    (or an international list); a French company is not in the UK's Companies House."""
    match = SCHEME.match(scheme)
    if match is None:
        raise InvalidScheme("an org-id scheme is a jurisdiction, a dash and a register code, e.g. GB-COH or XI-LEI")
    jurisdiction = match["jurisdiction"]
    if not jurisdiction.startswith("X") and jurisdiction != country:
        raise InvalidScheme(f"the scheme {scheme} registers organisations of {jurisdiction}, not {country}")
    return scheme


def is_foreign(country: str, home_country: str) -> bool:
    return country != home_country
