"""Departments as the identity provider's `department` claim and people's typing name them (decisions 0080, 0136)."""

from __future__ import annotations


def department_key(name: str) -> str:
    """Departments are typed by people and claimed by tokens: compared ignoring case and spacing."""
    return " ".join(name.casefold().split())
