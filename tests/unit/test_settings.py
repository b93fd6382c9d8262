"""Settings are typed: a wrong value stops the service at start, naming the variable and what it accepts."""

from decimal import Decimal

import pytest

from services.contracts.settings import contracts_settings
from services.visits.settings import gift_rules
from shared.config import DEVELOPMENT_PII_KEY, ConfigurationError, load_settings

OWN_SECRETS = {"CHANCERY_JWT_SECRET": "a-secret-of-the-test-environment-0123456789",
               "CHANCERY_PII_KEYS": "Jm9NnL8b0y1eW0Yb8i3qk3o6mYz0bq8Qm3u6l1Zc2Xs=",
               "CHANCERY_CALENDAR_SECRET": "a-calendar-secret-of-the-test-environment"}


def refusal(overrides: dict[str, str], service: str = "visits") -> str:
    with pytest.raises(ConfigurationError) as refused:
        load_settings(service, overrides)
    return str(refused.value)


def test_a_prefetch_that_is_not_a_number_is_refused_naming_the_variable_and_that_it_takes_an_integer():
    message = refusal({"CHANCERY_CONSUMER_PREFETCH": "fifty"})
    assert "CHANCERY_CONSUMER_PREFETCH='fifty'" in message and "integer" in message


@pytest.mark.parametrize("environment", ["staging", "prod", "Production"])
def test_an_environment_the_suite_does_not_know_is_refused_with_the_three_it_knows(environment):
    message = refusal({"CHANCERY_ENV": environment})
    assert f"CHANCERY_ENV='{environment}'" in message
    assert all(name in message for name in ("'development'", "'test'", "'production'"))


def test_the_test_environment_starts_with_secrets_of_its_own_and_no_development_default():
    settings = load_settings("visits", {"CHANCERY_ENV": "test", **OWN_SECRETS})
    assert not settings.is_production and DEVELOPMENT_PII_KEY not in settings.pii_keys


@pytest.mark.parametrize("missing", ["CHANCERY_JWT_SECRET", "CHANCERY_PII_KEYS", "CHANCERY_CALENDAR_SECRET"])
def test_the_test_environment_without_a_secret_of_its_own_is_refused_naming_it(missing):
    assert missing in refusal({"CHANCERY_ENV": "test", "CHANCERY_JWKS_URL": "", **OWN_SECRETS, missing: ""})


def test_a_personal_data_key_that_is_not_a_fernet_key_is_refused():
    assert "CHANCERY_PII_KEYS" in refusal({"CHANCERY_PII_KEYS": "not-a-key"})


def test_a_service_port_that_is_not_a_port_is_refused_naming_the_service_variable():
    assert "TRIPS_PORT='70000'" in refusal({"TRIPS_PORT": "70000"}, service="trips")


@pytest.mark.parametrize(("variable", "value", "accepted"), [
    ("CHANCERY_TRACES_EXPORTER", "jaeger", "'otlp'"),
    ("CHANCERY_LOG_LEVEL", "chatty", "'DEBUG'"),
    ("CHANCERY_RETRY_DELAYS_SECONDS", "1,soon", "number"),
    ("CHANCERY_RELAY_BATCH_SIZE", "0", "greater than 0"),
    ("CHANCERY_WORKER_METRICS_PORT", "-1", "greater than or equal to 1"),
])
def test_a_value_out_of_what_a_variable_accepts_is_refused_saying_what_it_accepts(variable, value, accepted):
    message = refusal({variable: value})
    assert f"{variable}={value!r}" in message and accepted in message


def test_every_refused_variable_is_named_at_once():
    message = refusal({"CHANCERY_CONSUMER_PREFETCH": "fifty", "CHANCERY_ENV": "staging"})
    assert "CHANCERY_CONSUMER_PREFETCH" in message and "CHANCERY_ENV" in message


def test_the_log_level_is_read_in_any_case_and_the_consumer_batch_is_capped_at_the_prefetch():
    settings = load_settings("visits", {"CHANCERY_LOG_LEVEL": "debug", "CHANCERY_CONSUMER_PREFETCH": "10",
                                        "CHANCERY_CONSUMER_BATCH_SIZE": "50"})
    assert (settings.log_level, settings.consumer_batch_size) == ("DEBUG", 10)


def test_an_empty_rate_limit_switches_the_limit_off_while_other_empty_variables_mean_their_default():
    settings = load_settings("visits", {"CHANCERY_RATE_LIMIT": "", "CHANCERY_RELAY_BATCH_SIZE": ""})
    assert (settings.rate_limit, settings.relay_batch) == ("", 200)


@pytest.mark.parametrize(("database_url", "batch"), [
    ("sqlite:///var/visits.db", 200), ("postgresql+psycopg://chancery@db/visits", 1000),
])
def test_the_relay_publishes_small_batches_on_sqlite_and_larger_ones_on_postgresql_unless_told(database_url, batch):
    assert load_settings("visits", {"VISITS_DATABASE_URL": database_url}).relay_batch == batch
    told = load_settings("visits", {"VISITS_DATABASE_URL": database_url, "CHANCERY_RELAY_BATCH_SIZE": "50"})
    assert told.relay_batch == 50


@pytest.mark.parametrize(("variable", "value"), [
    ("VISITS_GIFT_THRESHOLDS", "150"), ("VISITS_GIFT_THRESHOLDS", "eur:150"), ("VISITS_GIFT_DECLARATION_DAYS", "0"),
    ("VISITS_GIFT_DECLARATION_DAYS", "a month"),
])
def test_gift_rules_that_make_no_sense_are_refused_naming_the_visits_variable(variable, value):
    with pytest.raises(ConfigurationError, match=f"{variable}={value!r}"):
        gift_rules({variable: value})


@pytest.mark.parametrize(("variable", "value"), [
    ("CONTRACTS_OCID_PREFIX", "ocds-x"), ("CONTRACTS_HOME_COUNTRY", "bg"),
    ("CONTRACTS_AGREEMENT_NOTICE_DAYS", "soon"), ("CONTRACTS_COMMITMENT_NOTICE_DAYS", "-1"),
])
def test_contracts_settings_that_make_no_sense_are_refused_naming_the_contracts_variable(variable, value):
    with pytest.raises(ConfigurationError, match=f"{variable}={value!r}"):
        contracts_settings({variable: value})


def test_a_service_reads_its_own_settings_with_the_same_defaults_as_before():
    assert gift_rules({}).thresholds == {"EUR": Decimal("150")} and gift_rules({}).declaration_days == 30
    assert contracts_settings({}).model_dump() == {
        "ocid_prefix": "ocds-chncry", "home_country": "BG", "agreement_notice_days": 90,
        "commitment_notice_days": 30, "ocds_publisher": "Chancery"}
