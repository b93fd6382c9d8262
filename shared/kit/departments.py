"""Departments as the identity provider's `department` claim and people's typing name them (decisions 0080, 0136)."""

from __future__ import annotations


def department_key(name: str) -> str:
    """A department's name compared ignoring case and spacing."""
    return " ".join(name.casefold().split())


def same_department(one: str | None, other: str | None) -> bool:
    """Whether two names are the same department; an absent name is nobody's."""
    return bool(one and other) and department_key(one or "") == department_key(other or "")
