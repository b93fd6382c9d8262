"""The services' problem+json in the person's language. The services write `title` and `detail` in English; the
console translates by the problem's type (its slug) and each field error by its rule (`code`, the validator's
error type). Where it knows no translation it shows the service's own text, which says more than nothing
(docs/console.md, "Errors")."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext

from services.console.upstream import Answer

BY_TYPE = {
    "validation": lazy_gettext("Some fields are not valid; see the messages beside them."),
    "not-found": lazy_gettext("This record does not exist, or your roles do not show it."),
    "forbidden": lazy_gettext("Your roles do not allow this."),
    "unauthorized": lazy_gettext("Your sign-in has expired; sign in again."),
    "stale-write": lazy_gettext("Someone changed this meanwhile; reload it and try again."),
    "duplicate": lazy_gettext("This already exists."),
    "conflict": lazy_gettext("This clashes with what is already recorded."),
    "visit-closed": lazy_gettext("The visit is over or cancelled: it can no longer change."),
    "schedule-clash": lazy_gettext("This clashes with another engagement of the same person or venue."),
    "double-booking": lazy_gettext("The interpreter is already booked at that time."),
    "second-head": lazy_gettext("The delegation already has a head."),
    "rsvp-closed": lazy_gettext("Answers are no longer taken for this function."),
    "personal-data-purged": lazy_gettext("The personal data has been deleted after the visit, as the law asks."),
    "member-has-issued-letter": lazy_gettext("This member has an issued visa letter and cannot be removed."),
    "meeting-closed": lazy_gettext("The meeting has been held or cancelled: it can no longer change."),
    "invitation-closed": lazy_gettext("The invitation has been answered: it can no longer change."),
    "function-cancelled": lazy_gettext("The function is cancelled."),
    "closed-to-press": lazy_gettext("The function is closed to the press."),
    "has-accreditations": lazy_gettext("The function has press accreditations."),
    "no-reply-letter": lazy_gettext("Only a declined invitation has a reply letter."),
    "documents-missing": lazy_gettext("The travellers' documents are not in order: see the documents checklist."),
    "not-the-approver": lazy_gettext("This step is not yours to decide."),
    "too-large": lazy_gettext("What was sent is too large."),
    "rate-limited": lazy_gettext("Too many requests; wait a moment and try again."),
    "idempotency-key-reused": lazy_gettext("This form was already sent with other content."),
    "malformed-json": lazy_gettext("The request could not be read."),
    "media-type": lazy_gettext("The request could not be read."),
    "unavailable": lazy_gettext("The service cannot do this right now; try again shortly."),
    "bad-rows": lazy_gettext("Nothing was imported: some rows of the file are wrong; see each row's problems."),
    "four-eyes": lazy_gettext("Someone else must review this: you submitted it yourself."),
    "malformed-request": lazy_gettext("The request could not be read."),
    "method-not-allowed": lazy_gettext("This cannot be done here."),
    "internal-error": lazy_gettext("Something went wrong in the service; try again, and tell the operators if it "
                                   "happens again."),
    "standstill": lazy_gettext("The contract can be signed only after the award's standstill period."),
    "bid-refused": lazy_gettext("The bid is not accepted."),
    "auction-not-possible": lazy_gettext("The auction is not possible now."),
    "overlapping-relationship": lazy_gettext("The partner already has a relationship of this kind at that time."),
    "results-imported": lazy_gettext("The survey's questions are fixed once results have been imported."),
    "follows-source": lazy_gettext("These fields come from the visit or trip the item follows and change with it."),
    "official-busy": lazy_gettext("An official taking part is busy elsewhere at that time."),
    "official-name-taken": lazy_gettext("This name already names another official."),
    "not-released": lazy_gettext("A draft tender has no OCDS data yet: it exists once the tender is published."),
}
# The service's reason (its own words) follows the translated text: contracts names no code for it.
WITH_REASON = {"bid-refused": lazy_gettext("The bid is not accepted: %(reason)s."),
               "auction-not-possible": lazy_gettext("The auction is not possible: %(reason)s.")}
CLASH_REASONS = {"official": lazy_gettext("the official"), "guest": lazy_gettext("the guest"),
                 "interpreter": lazy_gettext("the interpreter"), "venue": lazy_gettext("the venue")}
BY_RULE = {
    "missing": lazy_gettext("Fill this in."),
    "string_too_short": lazy_gettext("Fill this in."),
    "string_too_long": lazy_gettext("This is too long."),
    "string_pattern_mismatch": lazy_gettext("This is not in the expected form."),
    "date_from_datetime_parsing": lazy_gettext("Enter a date."),
    "date_parsing": lazy_gettext("Enter a date."),
    "date_type": lazy_gettext("Enter a date."),
    "datetime_from_date_parsing": lazy_gettext("Enter a date and a time."),
    "datetime_parsing": lazy_gettext("Enter a date and a time."),
    "datetime_type": lazy_gettext("Enter a date and a time."),
    "decimal_parsing": lazy_gettext("Enter a number."),
    "decimal_type": lazy_gettext("Enter a number."),
    "decimal_max_digits": lazy_gettext("This number has too many digits."),
    "decimal_max_places": lazy_gettext("This number has too many decimal places."),
    "int_parsing": lazy_gettext("Enter a whole number."),
    "greater_than_equal": lazy_gettext("This number is too small."),
    "less_than_equal": lazy_gettext("This number is too large."),
    "enum": lazy_gettext("Choose one of the offered values."),
    "literal_error": lazy_gettext("Choose one of the offered values."),
    "too_short": lazy_gettext("Give at least one."),
    "too_long": lazy_gettext("There are too many."),
    "bool_parsing": lazy_gettext("Answer yes or no."),
    "extra_forbidden": lazy_gettext("This field is not accepted here."),
}


def slug_of(problem: dict) -> str:
    return str(problem.get("type") or "").rsplit("/", 1)[-1]


def problem_message(answer: Answer) -> str | None:
    """What to say above the form: the problem translated by its type, or the service's own detail."""
    problem = answer.problem
    slug = slug_of(problem)
    if slug == "illegal-transition":
        return _("This step is not possible now. Possible now: %(actions)s.",
                 actions=", ".join(_action(action) for action in problem.get("allowed_actions") or []) or _("none"))
    if slug == "schedule-clash" and problem.get("clashes"):
        return " ".join(_("It clashes with “%(title)s” (%(reason)s: %(who)s).", title=clash.get("title", ""),
                          reason=CLASH_REASONS.get(clash.get("reason", ""), clash.get("reason", "")),
                          who=clash.get("who", "")) for clash in problem["clashes"])
    if slug == "official-busy" and (problem.get("trips") or problem.get("engagements")):
        return _busy(problem)
    if slug in WITH_REASON and problem.get("reason"):
        return str(WITH_REASON[slug]) % {"reason": problem["reason"]}
    known = BY_TYPE.get(slug)
    return str(known) if known else problem.get("detail") or problem.get("title")


def field_messages(answer: Answer) -> dict[str, str]:
    """Each named field's message, translated by its rule where the console knows the rule."""
    messages: dict[str, str] = {}
    for error in answer.problem.get("errors") or []:
        name = str(error.get("field", "")).split(".")[-1] or "body"
        known = BY_RULE.get(str(error.get("code", "")))
        messages.setdefault(name, str(known) if known else error.get("message", ""))
    return messages


def _busy(problem: dict) -> str:
    """Where the officials are instead: the trips abroad (visits says) or the engagements in visits (trips says)."""
    from services.console.formatting import date_short  # formatting imports the forms, which import this
    away = [_("%(official)s is abroad on the trip “%(title)s” (%(starts)s–%(ends)s).", official=trip.get("official"),
              title=trip.get("title"), starts=date_short(trip.get("starts_on")), ends=date_short(trip.get("ends_on")))
            for trip in problem.get("trips") or []]
    engaged = [_("%(official)s has “%(title)s” in visits on %(day)s.", official=one.get("official"),
                 title=one.get("title"), day=date_short(one.get("starts_on")))
               for one in problem.get("engagements") or []]
    return " ".join(away + engaged)


def _action(code: str) -> str:
    from services.console.formatting import ACTION_NAMES  # formatting imports the forms, which import this
    return str(ACTION_NAMES.get(code, code))
