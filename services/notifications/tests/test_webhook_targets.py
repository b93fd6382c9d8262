"""Webhooks may point only at public addresses unless configuration allows a network (SSRF)."""

import ipaddress

import pytest

from services.notifications.domain.targets import TargetRefused, host_and_port, refuse_private

NONE_ALLOWED = ()


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.5", "192.168.1.1", "169.254.169.254",
                                     "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "100.64.0.1",
                                     "224.0.0.1", "240.0.0.1"])
def test_loopback_private_link_local_and_reserved_addresses_are_refused(address):
    with pytest.raises(TargetRefused):
        refuse_private(ipaddress.ip_address(address), NONE_ALLOWED)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_are_accepted(address):
    refuse_private(ipaddress.ip_address(address), NONE_ALLOWED)


def test_a_network_allowed_by_configuration_is_accepted_and_only_that_one():
    allowed = (ipaddress.ip_network("127.0.0.0/8"),)
    refuse_private(ipaddress.ip_address("127.0.0.1"), allowed)
    with pytest.raises(TargetRefused):
        refuse_private(ipaddress.ip_address("10.0.0.1"), allowed)


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "https://user:pw@example.org/",
                                 "http:///nohost", "gopher://example.org"])
def test_urls_that_are_not_plain_http_are_refused(url):
    with pytest.raises(TargetRefused):
        host_and_port(url)


def test_the_port_defaults_by_scheme():
    assert host_and_port("https://hooks.example/x") == ("hooks.example", 443)
    assert host_and_port("http://hooks.example:8080/x") == ("hooks.example", 8080)


@pytest.fixture
def notifications(service_app):
    return service_app("notifications")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://169.254.169.254/latest/meta-data",
                                 "http://[::1]/hook", "http://10.0.0.7/hook"])
def test_registering_a_webhook_at_a_private_address_is_refused_naming_the_url(notifications, url):
    response = notifications.call("POST", "/api/v1/webhooks", {"url": url, "pattern": "chancery.visits.#"},
                                  roles="protocol", sub="olga")
    assert response.status_code == 422, response.json
    assert response.json["errors"][0]["field"] == "url"
    assert notifications.call("GET", "/api/v1/webhooks", roles="protocol", sub="olga").json["total"] == 0


def test_a_webhook_at_an_allowed_private_network_is_registered_with_its_secret_shown_once(service_app):
    notifications = service_app("notifications", NOTIFICATIONS_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8")
    created = notifications.call("POST", "/api/v1/webhooks", {"url": "http://127.0.0.1:9/hook",
                                                              "pattern": "chancery.visits.#"},
                                 roles="protocol", sub="olga")
    assert created.status_code == 201, created.json
    assert created.json["secret"].startswith("whsec_")
    [listed] = notifications.call("GET", "/api/v1/webhooks", roles="protocol", sub="olga").json["items"]
    assert "secret" not in listed
    assert notifications.call("GET", "/api/v1/webhooks", roles="protocol", sub="ivan").json["total"] == 0
    assert notifications.call("GET", "/api/v1/webhooks", roles="notifications-admin").json["total"] == 1


def test_a_webhook_pattern_outside_the_owners_departments_is_refused(service_app):
    notifications = service_app("notifications", NOTIFICATIONS_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8")
    response = notifications.call("POST", "/api/v1/webhooks", {"url": "http://127.0.0.1:9/hook",
                                                               "pattern": "chancery.contracts.#"},
                                  roles="protocol", sub="olga")
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "pattern"
