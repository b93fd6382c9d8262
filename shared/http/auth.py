"""Bearer JWTs and roles: HS256 with a development secret, RS256 from the identity provider's JWKS in production."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from shared.config import Settings
from shared.http.problems import Problem

ROLES = {
    "protocol": "Protocol staff: visits, delegations, meetings, the mayor's invitations",
    "travel": "Travel staff: business trips abroad",
    "procurement": "Procurement staff: tenders, contracts, agreements, commitments",
    "outreach": "Outreach staff: partners, missions, campaigns, the annual plan",
    "mayor-office": "The mayor's office: decisions that are the mayor's",
    "department-head": "Heads of departments: approve their own department's staff's trips abroad (the token's "
                       "`department` claim)",
    "notifications-admin": "Manages everyone's subscriptions, templates and channels",
    "operator": "Operators: dead letters and operational endpoints",
    "auditor": "Reads the audit records of every service",
    "admin": "Everything",
}
ANY_STAFF = tuple(ROLES)
# Roles that read every department's records in every service; the others that may read a department's records
# (a department head) read only their own department's (decision 0080).
OFFICE_WIDE = ("mayor-office", "auditor", "admin")
MAX_SUBJECT_LENGTH = 200  # the width of every actor and subscriber column


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str]
    department: str | None = None  # the `department` claim: whose staff a department head decides for

    def has_any(self, roles: tuple[str, ...] | frozenset[str]) -> bool:
        return "admin" in self.roles or bool(self.roles & set(roles))

    def sees_every_department(self, also: tuple[str, ...] = ()) -> bool:
        """Whether this principal reads every department's records: an office-wide role, or one a service names
        (`also`) because its work spans the departments; otherwise only those of its `department` claim."""
        return self.has_any((*OFFICE_WIDE, *also))


def allow(*roles: str) -> Callable:
    """Declare which roles may call a view; a view under /api without this declaration is refused."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def mark(view: Any) -> Callable:
        view.allowed_roles = tuple(roles)
        return view
    return mark


def public(view: Any) -> Any:
    """Declare a view under /api that anyone may call without a token (e.g. the public OCDS feed); it is still
    rate-limited, per client address."""
    view.public = True
    return view


def anonymous(address: str | None) -> Principal:
    """Who calls a public view: no roles, counted by the rate limiter under the client's address."""
    return Principal(subject=f"anonymous:{address or 'unknown'}", roles=frozenset())


def unauthorized(detail: str) -> Problem:
    return Problem(401, "Authentication required", detail, slug="unauthorized",
                   headers={"WWW-Authenticate": 'Bearer realm="chancery"'})


class TokenVerifier:
    CACHE_SIZE = 4096

    def __init__(self, settings: Settings):
        self.settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url, cache_keys=True) if settings.jwks_url else None
        self._verified: dict[str, tuple[Principal, float, float]] = {}

    def verify(self, authorization: str | None) -> Principal:
        if not authorization or not authorization.startswith("Bearer "):
            raise unauthorized("Send a bearer token in the Authorization header")
        token = authorization.removeprefix("Bearer ").strip()
        cached = self._verified.get(token)
        if cached and cached[1] <= time.time() < cached[2]:
            return cached[0]
        principal, claims = self._decode(token)
        if len(self._verified) >= self.CACHE_SIZE:
            self._verified.clear()
        # Staff send the same token with every request: a signature checked once holds until it expires.
        self._verified[token] = (principal, float(claims.get("nbf", 0)), float(claims["exp"]))
        return principal

    def _decode(self, token: str) -> tuple[Principal, dict]:
        try:
            claims = jwt.decode(token, **self._key_and_algorithms(token), audience=self.settings.jwt_audience,
                                issuer=self.settings.jwt_issuer,
                                options={"require": ["exp", "iat", "sub", "iss", "aud"]})
        except jwt.PyJWTError as error:
            raise unauthorized(f"The token was refused: {error}") from error
        if len(str(claims["sub"])) > MAX_SUBJECT_LENGTH:
            raise unauthorized(f"The token's subject is longer than {MAX_SUBJECT_LENGTH} characters")
        roles = claims.get("roles") or []
        if not isinstance(roles, list):
            raise unauthorized("The token's roles claim must be a list")
        department = claims.get("department")
        if department is not None and (not isinstance(department, str) or len(department) > MAX_SUBJECT_LENGTH):
            raise unauthorized(f"The token's department claim must be a string of at most {MAX_SUBJECT_LENGTH} "
                               "characters")
        # Roles Chancery does not know grant nothing; dropping them keeps audit records to what matters.
        return Principal(subject=str(claims["sub"]), roles=frozenset(str(r) for r in roles) & set(ROLES),
                         department=(department or "").strip() or None), claims

    def _key_and_algorithms(self, token: str) -> dict:
        if self._jwks is not None:
            return {"key": self._jwks.get_signing_key_from_jwt(token).key, "algorithms": ["RS256"]}
        return {"key": self.settings.jwt_secret, "algorithms": ["HS256"]}


def mint_development_token(settings: Settings, subject: str, roles: list[str], ttl_seconds: int = 8 * 3600,
                           department: str | None = None) -> str:
    """A development token signed with the local secret (what `chancery token` prints)."""
    if settings.is_production:
        raise RuntimeError("development tokens cannot be minted in production")
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; known: {', '.join(ROLES)}")
    now = int(time.time())
    claims = {"sub": subject, "roles": roles, "iss": settings.jwt_issuer, "aud": settings.jwt_audience,
              "iat": now, "nbf": now, "exp": now + ttl_seconds, "jti": str(uuid.uuid4())}
    if department:
        claims["department"] = department
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")
