"""Spam defence never loses a patient: doubtful requests are kept and flagged, an unreachable
or broken verification service never causes an error, only a filled honeypot is dropped."""

import socket
import time

import pytest
from django.test import Client

from appointments.models import ConsultationRequest

from .helpers import aged_timing_token, consultation_data, html

pytestmark = pytest.mark.django_db


def send(client, page, **overrides):
    response = client.post(page.url, consultation_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:500]
    assert response.url.endswith("/confirmation/")
    return ConsultationRequest.objects.order_by("-pk").first()


def assert_normal_confirmation(client, page, stored):
    confirmation = client.get(page.url + "confirmation/")
    assert confirmation.status_code == 200
    assert html(confirmation).find(class_="reference__number").get_text() == stored.reference


def test_good_score_is_stored_unflagged_and_the_token_reaches_the_service(
    client, consultation_page, fake_verifier
):
    page_html = html(client.get(consultation_page.url))
    assert page_html.find(attrs={"data-sitekey": "test-site-key"}) is not None
    stored = send(client, consultation_page, captcha="token-123")
    assert not stored.is_flagged and stored.recaptcha_score == 0.9
    assert fake_verifier.received[0]["response"] == "token-123"
    assert fake_verifier.received[0]["secret"] == "test-secret-key"


def test_the_service_is_told_the_patients_address_not_the_proxys(
    consultation_page, fake_verifier, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    patient = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.7")
    send(patient, consultation_page, captcha="token-123")
    assert fake_verifier.received[0]["remoteip"] == "198.51.100.7"


def test_low_score_is_stored_and_flagged_for_review(client, consultation_page, fake_verifier):
    fake_verifier.score = 0.1
    stored = send(client, consultation_page, captcha="token")
    assert stored.flag_list == ["low_score"]
    assert_normal_confirmation(client, consultation_page, stored)


def test_rejected_token_is_stored_and_flagged(client, consultation_page, fake_verifier):
    fake_verifier.mode = "invalid"
    stored = send(client, consultation_page, captcha="token")
    assert stored.flag_list == ["captcha_failed"]


def test_missing_token_when_javascript_is_off_is_stored_and_flagged(
    client, consultation_page, fake_verifier
):
    stored = send(client, consultation_page)
    assert stored.flag_list == ["no_token"]
    assert fake_verifier.received == []
    assert_normal_confirmation(client, consultation_page, stored)


@pytest.mark.parametrize("mode", ["http_error", "malformed", "slow"])
def test_broken_verification_service_keeps_the_request_as_unverified(
    client, consultation_page, fake_verifier, mode
):
    fake_verifier.mode = mode
    stored = send(client, consultation_page, captcha="token")
    assert stored.flag_list == ["unverified"]
    assert len(fake_verifier.received) == 1  # the service really was asked
    assert_normal_confirmation(client, consultation_page, stored)


def test_after_a_failed_check_the_service_is_not_asked_again_for_a_while(
    client, consultation_page, fake_verifier
):
    fake_verifier.mode = "slow"  # answers after the site has stopped waiting (1 s)
    first = send(client, consultation_page, captcha="token")
    started = time.monotonic()
    second = send(client, consultation_page, captcha="token", full_name="Another Person")
    # The second visitor does not wait out the time-out: a slow service would otherwise hold
    # every worker in turn and stall the whole site.
    assert time.monotonic() - started < 1
    assert first.flag_list == second.flag_list == ["unverified"]
    assert len(fake_verifier.received) == 1


def test_refused_connection_keeps_the_request_as_unverified(client, consultation_page, settings):
    with socket.socket() as probe:  # a port on this machine that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.RECAPTCHA_PUBLIC_KEY = "test-site-key"
    settings.RECAPTCHA_PRIVATE_KEY = "test-secret-key"
    settings.RECAPTCHA_DOMAIN = f"127.0.0.1:{port}"
    stored = send(client, consultation_page, captcha="token")
    assert stored.flag_list == ["unverified"]
    assert_normal_confirmation(client, consultation_page, stored)


def test_unresolvable_service_host_keeps_the_request_as_unverified(
    client, consultation_page, settings
):
    settings.RECAPTCHA_PUBLIC_KEY = "test-site-key"
    settings.RECAPTCHA_PRIVATE_KEY = "test-secret-key"
    settings.RECAPTCHA_DOMAIN = "verification.invalid"  # .invalid never resolves (RFC 6761)
    stored = send(client, consultation_page, captcha="token")
    assert stored.flag_list == ["unverified"]


def test_without_keys_the_form_works_offline_with_the_captcha_off(client, consultation_page):
    page_html = html(client.get(consultation_page.url))
    assert page_html.find(attrs={"data-sitekey": True}) is None
    assert "recaptcha" not in page_html.decode().lower()
    stored = send(client, consultation_page)
    assert not stored.is_flagged


def test_filled_honeypot_is_dropped_but_answered_like_any_other(client, consultation_page):
    response = client.post(consultation_page.url, consultation_data(website="http://spam.test"))
    assert response.status_code == 302
    assert not ConsultationRequest.objects.exists()
    assert client.get(response.url).status_code == 200


def test_fast_or_forged_submission_is_stored_and_flagged(client, consultation_page, settings):
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 5
    fast = send(client, consultation_page, rendered_at=aged_timing_token(1))
    assert fast.flag_list == ["fast_submit"]
    forged = send(client, consultation_page, rendered_at="forged", full_name="Another Person")
    assert forged.flag_list == ["fast_submit"]
    human = send(client, consultation_page, rendered_at=aged_timing_token(30), full_name="Third")
    assert human.flag_list == []


def test_rate_limit_answers_with_a_clear_page_and_keeps_earlier_requests(
    client, consultation_page, settings
):
    settings.CONSULTATION_RATE_LIMIT = "3/h"
    for _mistake in range(5):  # correcting mistakes never counts against the visitor
        assert (
            client.post(consultation_page.url, consultation_data(full_name="")).status_code == 200
        )
    for number in range(3):
        send(client, consultation_page, full_name=f"Visitor {number}")
    response = client.post(consultation_page.url, consultation_data(full_name="Visitor 4"))
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Too many requests from your connection" in response.content.decode()
    assert "(555) 555-0100" in response.content.decode()
    assert ConsultationRequest.objects.count() == 3
    # Once over the limit, even a form with mistakes gets the same clear page.
    assert client.post(consultation_page.url, {}).status_code == 429
    # Another address is not affected.
    other = client.post(
        consultation_page.url, consultation_data(full_name="Neighbour"), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302
