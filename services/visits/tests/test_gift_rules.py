"""The gift declaration rule and its configuration (decision 0017), without the API."""

from datetime import date
from decimal import Decimal

import pytest

from services.visits.domain.gifts import DeclarationReason, GiftDirection, declaration_due
from services.visits.settings import gift_rules
from shared.config import ConfigurationError


def test_thresholds_are_read_per_currency_and_default_to_150_euros():
    assert gift_rules({"VISITS_GIFT_THRESHOLDS": ""}).thresholds == {"EUR": Decimal("150")}
    rules = gift_rules({"VISITS_GIFT_THRESHOLDS": "EUR:150, USD:160.50", "VISITS_GIFT_DECLARATION_DAYS": "10"})
    assert (rules.thresholds, rules.declaration_days) == ({"EUR": Decimal("150"), "USD": Decimal("160.50")}, 10)


@pytest.mark.parametrize("config", [{"VISITS_GIFT_THRESHOLDS": "150"}, {"VISITS_GIFT_THRESHOLDS": "eur:150"},
                                    {"VISITS_GIFT_DECLARATION_DAYS": "0"}])
def test_a_threshold_configuration_that_makes_no_sense_stops_the_service(config):
    with pytest.raises(ConfigurationError):
        gift_rules({"VISITS_GIFT_THRESHOLDS": "EUR:150", **config})


def test_a_received_gift_is_due_for_declaration_from_the_day_it_was_received_and_a_given_one_never():
    rules = gift_rules({"VISITS_GIFT_THRESHOLDS": "EUR:150", "VISITS_GIFT_DECLARATION_DAYS": "30"})
    due = declaration_due(rules, GiftDirection.RECEIVED, Decimal("150.01"), "EUR", date(2027, 1, 31))
    assert (due.reason, due.threshold, due.due_on) == (DeclarationReason.OVER_THRESHOLD, "150.00 EUR",
                                                       date(2027, 3, 2))
    assert declaration_due(rules, GiftDirection.GIVEN, None, None, date(2027, 1, 31)) is None
