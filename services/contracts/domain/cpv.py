"""Common Procurement Vocabulary codes (Regulation (EC) 213/2008): eight digits, a dash and a check digit."""

from __future__ import annotations

import re

SHAPE = re.compile(r"^(?P<digits>[0-9]{8})-(?P<check>[0-9])$")
# The check digit is the weighted sum of the eight digits modulo 10, with the weights 3, 7, 1 repeating;
# it agrees with every code of the published vocabulary the tests list (e.g. 79950000-8).
WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)


class InvalidCPV(ValueError):
    pass


def check_digit(digits: str) -> int:
    return sum(int(digit) * weight for digit, weight in zip(digits, WEIGHTS, strict=True)) % 10


def check_cpv(code: str) -> str:
    """The code itself when it has the shape NNNNNNNN-N and its check digit is right."""
    match = SHAPE.match(code)
    if match is None:
        raise InvalidCPV("a CPV code is eight digits, a dash and a check digit, e.g. 79950000-8")
    if match["digits"][:2] == "00":
        raise InvalidCPV("a CPV code starts with a division (01 to 99)")
    expected = check_digit(match["digits"])
    if int(match["check"]) != expected:
        raise InvalidCPV(f"the check digit of {match['digits']} is {expected}, not {match['check']}")
    return code
