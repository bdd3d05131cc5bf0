"""Hardened configuration: the deployment check passes with nothing silenced, every response
carries the security headers, personal data is never stored by a browser or a proxy, sign-ins
are throttled and sessions end, error reports carry no form contents, and a database or cache
that goes away gives visitors an honest page, not a 500 or a false confirmation."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.signals import got_request_exception
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter

from appointments.models import ConsultationRequest
from core.security import SIGNED_IN_AT
from tests.appointments.helpers import consultation_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CANARY_NAME = "Canary Thistlewood"


def test_the_deployment_check_passes_with_production_settings_and_nothing_silenced():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic_site.settings.production",
        "DJANGO_SECRET_KEY": "a-realistic-production-secret-" + "x9Q2" * 12,
        "DJANGO_ALLOWED_HOSTS": "clinic.example.org",
        "WAGTAILADMIN_BASE_URL": "https://clinic.example.org",
        "DATABASE_URL": "postgres://clinic@127.0.0.1:5432/clinic",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RECAPTCHA_PUBLIC_KEY": "public-key",
        "RECAPTCHA_PRIVATE_KEY": "private-key",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: sources}, whatever their order."""
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def assert_security_headers(response) -> str:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    return response["Content-Security-Policy"]


def test_public_pages_carry_a_strict_content_security_policy(client, clinic_site, settings):
    settings.RECAPTCHA_PUBLIC_KEY = settings.RECAPTCHA_PRIVATE_KEY = ""
    for url in (clinic_site.home.url, clinic_site.condition.url, clinic_site.condition.url):
        response = client.get(url)  # the second view of the condition page is a cache hit
        policy = assert_security_headers(response)
        assert directives(policy)["default-src"] == ["'self'"]
        assert directives(policy)["script-src"] == ["'self'"]
        assert directives(policy)["frame-ancestors"] == ["'none'"]
        assert "unsafe" not in policy
    assert response["X-Cache"] == "hit"
    missing = client.get("/en/no-such-page/")
    assert missing.status_code == 404
    assert "unsafe" not in assert_security_headers(missing)


def test_only_the_consultation_page_allows_recaptcha_and_only_with_keys(
    client, clinic_site, consultation_page, settings
):
    settings.RECAPTCHA_PUBLIC_KEY, settings.RECAPTCHA_PRIVATE_KEY = "public", "private"
    policy = client.get(consultation_page.url)["Content-Security-Policy"]
    assert "https://www.google.com/recaptcha/" in policy
    assert "https://www.gstatic.com/recaptcha/" in policy
    assert "google" not in client.get(clinic_site.accessibility.url)["Content-Security-Policy"]
    assert "google" not in client.get(clinic_site.home.url)["Content-Security-Policy"]
    settings.RECAPTCHA_PUBLIC_KEY = settings.RECAPTCHA_PRIVATE_KEY = ""
    assert "google" not in client.get(consultation_page.url)["Content-Security-Policy"]


def test_pages_with_personal_data_are_never_stored(
    client, clinic_site, consultation_page, settings, django_user_model
):
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    for url in (consultation_page.url, clinic_site.accessibility.url):
        assert "no-store" in client.get(url)["Cache-Control"]
    confirmation = client.post(consultation_page.url, consultation_data(), follow=True)
    assert "no-store" in confirmation["Cache-Control"]

    intake = django_user_model.objects.create_user("ines", "ines@example.org", "pw")
    intake.groups.add(Group.objects.get(name="Intake staff"))
    client.force_login(intake)
    stored = ConsultationRequest.objects.get()
    for url in (
        reverse("consultation_requests:index"),
        reverse("consultation_requests:inspect", args=[stored.pk]),
        reverse("consultation_requests:edit", args=[stored.pk]),
        "/admin/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]
        assert response["X-Frame-Options"] == "SAMEORIGIN", url  # the editor's preview frame


def test_five_failed_sign_ins_lock_that_account_from_that_address(client, django_user_model):
    django_user_model.objects.create_superuser("ada", "ada@example.org", "Correct-horse-41")
    django_user_model.objects.create_superuser("bo", "bo@example.org", "Battery-staple-52")
    login = reverse("wagtailadmin_login")

    def sign_in(username, password, address="203.0.113.7"):
        return Client(REMOTE_ADDR=address).post(login, {"username": username, "password": password})

    for _attempt in range(4):
        assert sign_in("ada", "wrong").status_code == 200  # the form again, with an error
    assert sign_in("ada", "wrong").status_code == 429  # the fifth failure locks
    locked = sign_in("ada", "Correct-horse-41")
    assert locked.status_code == 429
    assert b"Too many failed sign-in attempts" in locked.content
    # The lock is for that account from that address only.
    assert sign_in("ada", "Correct-horse-41", address="198.51.100.9").status_code == 302
    assert sign_in("bo", "Battery-staple-52").status_code == 302


def test_sessions_end_after_30_idle_minutes_and_12_hours_in_all(client, settings, admin_user):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST

    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 60 * 60 - 60
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert client.get("/admin/").status_code == 302  # signed out, not just redirected once


def test_weak_passwords_are_refused(django_user_model):
    user = django_user_model(username="cleo", email="cleo@example.org")
    for weak in ("password", "12345678", "Ab1!x", "cleo@example.org"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("Vestibular-lantern-88", user)


def test_error_reports_contain_no_form_contents(
    client, clinic_site, consultation_page, settings, caplog
):
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    reports = []

    def report(sender, request, **kwargs):
        reports.append(
            ExceptionReporter(request, *sys.exc_info(), is_email=True).get_traceback_text()
        )

    got_request_exception.connect(report)
    visitor = Client(raise_request_exception=False)
    try:
        with mock.patch(
            "appointments.models.form_pages.record_consultation", side_effect=RuntimeError
        ):
            response = visitor.post(consultation_page.url, consultation_data(full_name=CANARY_NAME))
    finally:
        got_request_exception.disconnect(report)
    assert response.status_code == 500
    assert reports and "RuntimeError" in reports[0]
    assert CANARY_NAME not in reports[0]
    assert "full_name" in reports[0]  # listed, with its value hidden
    assert CANARY_NAME not in caplog.text


def database_down():
    return mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError("connection refused"),
    )


def test_healthz_tells_load_balancers_whether_the_database_answers(client):
    assert client.get("/healthz").status_code == 200
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert client.get("/healthz").status_code == 200


def test_a_database_outage_gives_an_honest_translated_503_then_recovers(
    clinic_site, consultation_page, settings
):
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    visitor = Client(raise_request_exception=False)
    form_url, data = consultation_page.url, consultation_data()
    started = time.monotonic()
    with database_down():
        page = visitor.get("/es/afecciones/", HTTP_ACCEPT_LANGUAGE="es")
        sent = visitor.post(form_url, data)
    assert time.monotonic() - started < 4
    assert page.status_code == 503
    assert page["Retry-After"]
    assert "no-store" in page["Cache-Control"]
    assert '<html lang="es">' in page.content.decode()
    assert "no está disponible" in page.content.decode()
    # Its inline style carries the nonce that the Content-Security-Policy allows.
    nonce = re.search(r'<style nonce="([^"]+)"', page.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in directives(page["Content-Security-Policy"])["style-src"]
    # A request that could not be saved is never confirmed.
    assert sent.status_code == 503
    assert b"have not seen a confirmation" in sent.content
    assert ConsultationRequest.objects.count() == 0

    # The database is back: the next request works, without restarting anything.
    assert visitor.get(clinic_site.condition.url).status_code == 200
    assert visitor.post(form_url, data).status_code == 302
    assert ConsultationRequest.objects.count() == 1


def test_a_cache_outage_loses_no_request(client, clinic_site, consultation_page, settings):
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    dead_redis = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
    }
    # Every Redis cache; the renditions stay in the process's memory, as they always are.
    settings.CACHES = {
        **settings.CACHES,
        "default": dead_redis,
        "pages": dead_redis,
        "ratelimit": dead_redis,
    }
    assert client.get(clinic_site.condition.url).status_code == 200
    response = client.post(consultation_page.url, consultation_data())
    assert response.status_code == 302
    assert ConsultationRequest.objects.count() == 1
