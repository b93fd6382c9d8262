import pytest

from shared.testing import install_test_keys


@pytest.fixture(scope="session", autouse=True)
def personal_data_keys():
    """Webhook secrets are encrypted: the unit tests' in-memory databases need a key (an app built later
    installs its own)."""
    install_test_keys()
