"""Turning a valid form into a stored request: spam verdict, duplicate check, notification."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from core.client_address import client_address

from .forms import AccessibilityRequestForm, ConsultationRequestForm
from .models import ConsultationRequest
from .spam import Verdict, check_timing, verify_recaptcha
from .tasks import acknowledge_visitor, notify_intake

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What became of a submission. ``reference`` is None only for a dropped honeypot hit."""

    reference: str | None
    duplicate: bool = False


def screen(form) -> Verdict | None:
    """The checks every request form gets: None drops a honeypot hit, else the verdict so far."""
    if form.is_honeypot_filled:
        logger.info("%s: honeypot filled; submission dropped.", type(form).__name__)
        return None
    verdict = Verdict()
    check_timing(form.cleaned_data.get("rendered_at", ""), verdict)
    return verdict


def record_consultation(
    form: ConsultationRequestForm, request: HttpRequest, language: str, privacy_version: str
) -> Outcome:
    verdict = screen(form)
    if verdict is None:
        return Outcome(reference=None)
    verify_recaptcha(form.cleaned_data.get("captcha", ""), client_address(request), verdict)
    instance: ConsultationRequest = form.instance
    instance.kind = ConsultationRequest.Kind.CONSULTATION
    instance.submitted_language = language
    with_source(instance, form)
    return _store(instance, verdict, privacy_version)


def record_accessibility(
    form: AccessibilityRequestForm, request: HttpRequest, language: str, privacy_version: str
) -> Outcome:
    verdict = screen(form)
    if verdict is None:
        return Outcome(reference=None)
    instance = ConsultationRequest(
        kind=ConsultationRequest.Kind.ACCESSIBILITY,
        full_name=form.cleaned_data["full_name"],
        contact_details=form.cleaned_data["contact_details"],
        message=form.cleaned_data["message"],
        preferred_language=language,
        submitted_language=language,
        preferred_contact_method=ConsultationRequest.ContactMethod.EITHER,
    )
    with_source(instance, form)
    return _store(instance, verdict, privacy_version)


def with_source(
    instance: ConsultationRequest, form: ConsultationRequestForm | AccessibilityRequestForm
) -> None:
    """Record where the request came from, as the form carried it (``RequestSourceMixin``)."""
    source = form.source
    instance.source_page = source.page
    instance.source_language = source.language
    instance.source_referrer = source.referrer


def _store(instance: ConsultationRequest, verdict: Verdict, privacy_version: str) -> Outcome:
    existing = find_duplicate(instance)
    if existing:
        return Outcome(reference=existing.reference, duplicate=True)
    instance.flags = ",".join(verdict.flags)
    instance.recaptcha_score = verdict.score
    instance.consent_given_at = timezone.now()
    instance.privacy_notice_version = privacy_version
    with transaction.atomic():
        instance.save()
        # The e-mails go out only once the request is safely stored. Queueing them writes to
        # the database again, after the commit: if it has gone away in between (a restart),
        # the error is logged and the visitor still gets their confirmation, because the
        # request is stored; `retry_notifications` announces it later.
        transaction.on_commit(lambda: notify_intake.enqueue(instance.pk), robust=True)
        if instance.email:
            transaction.on_commit(lambda: acknowledge_visitor.enqueue(instance.pk), robust=True)
    return Outcome(reference=instance.reference)


def find_duplicate(instance: ConsultationRequest) -> ConsultationRequest | None:
    """The same person sending the same request again within a few minutes (a double click, a
    second tab, a retry after a slow answer) gets the first request's reference back."""
    since = timezone.now() - timedelta(seconds=settings.CONSULTATION_DUPLICATE_WINDOW_SECONDS)
    return (
        ConsultationRequest.objects.filter(
            kind=instance.kind,
            created_at__gte=since,
            full_name__iexact=instance.full_name,
            email__iexact=instance.email,
            phone=instance.phone,
            contact_details=instance.contact_details,
            message=instance.message,
        )
        .order_by("created_at")
        .first()
    )
