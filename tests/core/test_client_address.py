"""The client's address behind proxies: each patient gets their own rate limit through the
clinic's proxy, and nobody escapes one by writing an X-Forwarded-For header of their own."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from appointments.models import ConsultationRequest
from core.client_address import client_address
from tests.appointments.helpers import consultation_data

NGINX = "127.0.0.1"


def address(settings, count: int, peer: str, forwarded: str | None = None, trusted=None) -> str:
    """The client address the site sees for a request from ``peer`` with that header."""
    settings.TRUSTED_PROXY_COUNT = count
    if trusted is not None:
        settings.TRUSTED_PROXY_ADDRESSES = trusted
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=peer, **headers))


def test_without_trusted_proxies_the_header_is_ignored_and_the_peer_is_the_client(settings):
    assert address(settings, 0, "203.0.113.5", "198.51.100.1") == "203.0.113.5"
    assert address(settings, 0, NGINX, "198.51.100.1") == NGINX


def test_behind_nginx_the_client_is_the_address_nginx_appended(settings):
    assert address(settings, 1, NGINX, "198.51.100.1") == "198.51.100.1"
    # Whatever the client wrote to the left of it is not believed.
    assert address(settings, 1, NGINX, "192.0.2.66, 198.51.100.1") == "198.51.100.1"
    assert address(settings, 1, NGINX, "not-an-address, 198.51.100.1") == "198.51.100.1"
    # A request nginx passed on without the header (its own health check) is nginx's.
    assert address(settings, 1, NGINX) == NGINX


def test_a_forged_header_from_outside_the_trusted_proxies_is_not_believed(settings):
    # Straight to the application server, past nginx: the peer is the client.
    assert address(settings, 1, "192.0.2.66", "198.51.100.1") == "192.0.2.66"
    assert address(settings, 2, "192.0.2.66", "198.51.100.1, 10.0.0.2") == "192.0.2.66"


def test_behind_a_cdn_and_nginx_the_client_is_the_address_the_cdn_appended(settings):
    trusted = ["127.0.0.1", "10.0.0.0/8"]
    # The client forged 192.0.2.66; the CDN appended the client, nginx the CDN's edge.
    forwarded = "192.0.2.66, 198.51.100.1, 203.0.113.80"
    assert address(settings, 2, "10.0.0.2", forwarded, trusted) == "198.51.100.1"
    assert address(settings, 2, NGINX, forwarded, trusted) == "198.51.100.1"
    # A request that came to nginx without the CDN: the address that connected to nginx.
    assert address(settings, 2, NGINX, "198.51.100.1", trusted) == "198.51.100.1"
    # A peer outside the trusted networks is the client, whatever the header says.
    assert address(settings, 2, "11.0.0.2", forwarded, trusted) == "11.0.0.2"


def test_ipv6_clients_and_proxies_are_read_too(settings):
    assert address(settings, 1, "::1", "2001:db8::7") == "2001:db8::7"
    assert address(settings, 1, "::ffff:127.0.0.1", "[2001:db8::7]:443") == "2001:db8::7"
    assert address(settings, 1, "2001:db8::9", "198.51.100.1") == "2001:db8::9"


def test_a_proxy_on_a_unix_socket_is_trusted(settings):
    """gunicorn gives an empty REMOTE_ADDR to what comes through a Unix socket, which only
    processes on the same machine can reach."""
    assert address(settings, 1, "", "198.51.100.1") == "198.51.100.1"
    assert address(settings, 0, "") == "0.0.0.0"


def test_a_mistyped_trusted_proxy_address_stops_the_site_with_its_variable_named(settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXY_ADDRESSES"):
        address(settings, 1, NGINX, "198.51.100.1", ["127.0.0.1", "nginx.internal"])


@pytest.mark.django_db
def test_patients_behind_one_proxy_each_have_their_own_rate_limit(consultation_page, settings):
    """Twelve patients through the clinic's nginx: before, the eleventh and twelfth were told
    to wait an hour because the first ten had used up the proxy's address."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CONSULTATION_RATE_LIMIT = "10/h"

    def send(patient: int, number: int = 0) -> int:
        browser = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"198.51.100.{patient}")
        data = consultation_data(full_name=f"Patient {patient} request {number}")
        return browser.post(consultation_page.url, data).status_code

    assert [send(patient) for patient in range(1, 13)] == [302] * 12
    # One patient's limit is theirs alone: their eleventh request is refused...
    assert [send(1, number) for number in range(1, 10)] == [302] * 9
    assert send(1, 10) == 429
    # ...and the next patient through the same proxy is still welcome.
    assert send(13) == 302
    assert ConsultationRequest.objects.count() == 12 + 9 + 1


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_rate_limit(consultation_page, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CONSULTATION_RATE_LIMIT = "3/h"
    statuses = [
        Client(REMOTE_ADDR="192.0.2.66", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        .post(consultation_page.url, consultation_data(full_name=f"Spam {number}"))
        .status_code
        for number in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
