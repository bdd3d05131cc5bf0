"""The intake team hears about every request, and the visitor gets their acknowledgement, even
after a mail outage; closed requests do not outlive their retention period."""

import importlib
import io
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from appointments.models import ConsultationRequest, IntakeSettings
from appointments.tasks import acknowledge_visitor

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
    assert stored.notified_at is None and stored.acknowledged_at is None
    assert "Could not send the notification" in caplog.text
    assert "Could not send the acknowledgement" in caplog.text
    assert client.get(response.url).status_code == 200  # the visitor sees the confirmation

    stored.created_at = timezone.now() - timedelta(minutes=10)
    stored.save()
    out = io.StringIO()
    call_command("retry_notifications", stdout=out)
    assert "Queued 1 notifications and 1 acknowledgements." in out.getvalue()
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("intake@example.org", f"New consultation request #{stored.reference}"),
        (stored.email, f"We have received your request (reference {stored.reference})"),
    ]
    stored.refresh_from_db()
    assert stored.notified_at is not None and stored.acknowledged_at is not None
    out = io.StringIO()
    call_command("retry_notifications", stdout=out)
    assert "Queued 0 notifications and 0 acknowledgements." in out.getvalue()
    assert len(mail.outbox) == 2  # each sent once


def test_retry_acknowledges_only_visitors_with_an_address_who_have_not_been_contacted(
    intake_email,
):
    received = timezone.now() - timedelta(minutes=10)
    waiting = ConsultationRequestFactory(email="waiting@example.org", status="new")
    ConsultationRequestFactory(email="called@example.org", status="contacted")
    ConsultationRequestFactory(email="", phone="+12025550123", status="new")
    ConsultationRequestFactory(email="recent@example.org", status="new")  # under 5 minutes
    ConsultationRequest.objects.exclude(email="recent@example.org").update(
        created_at=received, notified_at=received
    )

    out = io.StringIO()
    call_command("retry_notifications", stdout=out)

    assert "Queued 0 notifications and 1 acknowledgements." in out.getvalue()
    assert [m.to for m in mail.outbox] == [["waiting@example.org"]]
    assert ConsultationRequest.objects.get(pk=waiting.pk).acknowledged_at is not None


def test_an_acknowledgement_queued_twice_goes_out_once(intake_email):
    consultation = ConsultationRequestFactory(email="twice@example.org")
    assert acknowledge_visitor.call(consultation.pk) is True
    assert acknowledge_visitor.call(consultation.pk) is False
    assert [m.to for m in mail.outbox] == [["twice@example.org"]]


def test_requests_from_before_acknowledgements_were_recorded_are_not_acknowledged_again():
    migration = importlib.import_module("appointments.migrations.0005_request_acknowledged_at")
    with_email = ConsultationRequestFactory(email="earlier@example.org")
    without = ConsultationRequestFactory(email="", phone="+12025550123")

    migration.mark_earlier_requests_acknowledged(django_apps, None)

    with_email.refresh_from_db()
    without.refresh_from_db()
    assert with_email.acknowledged_at == with_email.created_at
    assert without.acknowledged_at is None


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


def test_purge_also_deletes_counts_search_terms_and_feedback_past_their_retention(
    settings, clinic_site
):
    """What is kept about visitors who sent nothing goes with the requests' purge: the daily
    counts and search terms after ANALYTICS_RETENTION_MONTHS, page feedback with the requests."""
    from appointments.models import PageFeedback
    from core.models import PageViewCount
    from pages.models import SearchTermCount

    settings.ANALYTICS_RETENTION_MONTHS = 2
    settings.CONSULTATION_RETENTION_DAYS = 30
    today = timezone.localdate()
    old, recent = today - timedelta(days=100), today - timedelta(days=10)
    page = clinic_site.condition
    for day in (old, recent):
        PageViewCount.objects.create(day=day, page=page, language="en", referrer="direct", views=3)
        SearchTermCount.objects.create(
            day=day, language="es", term="sincinesia", searches=2, results=0
        )
        PageFeedback.objects.create(page=page, language="en", day=day, helpful=False)

    out = io.StringIO()
    call_command("purge_requests", stdout=out)

    assert "Deleted 1 page-view counts" in out.getvalue()
    assert "Deleted 1 search-term counts" in out.getvalue()
    assert "Deleted 1 page feedback answers" in out.getvalue()
    for model in (PageViewCount, SearchTermCount, PageFeedback):
        assert list(model.objects.values_list("day", flat=True)) == [recent]
