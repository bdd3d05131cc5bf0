"""The intake team hears about every request, even after a mail outage; closed requests do not
outlive their retention period."""

import io
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from appointments.models import ConsultationRequest, IntakeSettings

from .factories import ConsultationRequestFactory
from .helpers import consultation_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake_email(clinic_site):
    intake = IntakeSettings.for_site(clinic_site.site)
    intake.intake_email = "intake@example.org"
    intake.save()


def test_mail_server_down_keeps_the_request_logs_it_and_a_retry_sends_it_later(
    client, consultation_page, intake_email, caplog, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPConnectError(421, "mail server down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(consultation_page.url, consultation_data())
    assert response.status_code == 302
    stored = ConsultationRequest.objects.get()
    assert stored.notified_at is None
    assert "Could not send the notification" in caplog.text
    assert client.get(response.url).status_code == 200  # the visitor sees the confirmation

    stored.created_at = timezone.now() - timedelta(minutes=10)
    stored.save()
    out = io.StringIO()
    call_command("retry_notifications", stdout=out)
    assert "Queued 1 notifications." in out.getvalue()
    assert [m.subject for m in mail.outbox] == [f"New consultation request #{stored.reference}"]
    stored.refresh_from_db()
    assert stored.notified_at is not None
    call_command("retry_notifications", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # announced once


def test_purge_deletes_only_closed_and_spam_past_retention_and_says_how_many():
    old = timezone.now() - timedelta(days=40)
    keep_open = ConsultationRequestFactory(status="new")
    keep_recent = ConsultationRequestFactory(status="closed")
    expired = [
        ConsultationRequestFactory(status="closed"),
        ConsultationRequestFactory(status="spam"),
    ]
    keep_old_but_scheduled = ConsultationRequestFactory(status="scheduled")
    ConsultationRequest.objects.filter(
        pk__in=[r.pk for r in [*expired, keep_old_but_scheduled, keep_open]]
    ).update(updated_at=old)

    out = io.StringIO()
    call_command("purge_requests", "--older-than", "30", "--dry-run", stdout=out)
    assert "2 requests" in out.getvalue() and "dry run" in out.getvalue()
    assert ConsultationRequest.objects.count() == 5

    out = io.StringIO()
    call_command("purge_requests", "--older-than", "30", stdout=out)
    assert "Deleted 2 requests" in out.getvalue()
    remaining = set(ConsultationRequest.objects.values_list("pk", flat=True))
    assert remaining == {keep_open.pk, keep_recent.pk, keep_old_but_scheduled.pk}


def test_purge_uses_the_retention_setting_by_default(settings):
    settings.CONSULTATION_RETENTION_DAYS = 10
    closed = ConsultationRequestFactory(status="closed")
    ConsultationRequest.objects.filter(pk=closed.pk).update(
        updated_at=timezone.now() - timedelta(days=11)
    )
    out = io.StringIO()
    call_command("purge_requests", stdout=out)
    assert "Deleted 1 requests" in out.getvalue()
