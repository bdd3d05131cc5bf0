"""Background work for requests: telling the intake team that one arrived, and the visitor
that it did."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

logger = logging.getLogger(__name__)


@task(backend="notifications")
def notify_intake(request_id: int) -> bool:
    """E-mail the intake address that request N arrived, with a link to it in the admin.

    The message carries no personal or health information: e-mail is not a safe place for it.
    A failure is logged and re-raised so the task is marked failed; the request itself is
    already stored, and ``manage.py retry_notifications`` sends what was not sent."""
    from wagtail.models import Site

    from core.models import ClinicSettings

    from .models import ConsultationRequest, IntakeLocationEmail, IntakeSettings
    from .timeline import record_email

    consultation = (
        ConsultationRequest.objects.filter(pk=request_id)
        .annotate(location_key=F("location__translation_key"))
        .first()
    )
    if consultation is None or consultation.notified_at:
        return False
    site = Site.objects.filter(is_default_site=True).first()
    intake = IntakeSettings.for_site(site) if site else None
    recipients = {}
    # A site with its own front desk hears of the requests that prefer it instead of the
    # intake team: its address is found by the site's translation key, in one query.
    site_address = (
        IntakeLocationEmail.objects.filter(
            settings=intake, location__translation_key=consultation.location_key
        )
        .order_by("sort_order")
        .values_list("email", flat=True)
        .first()
        if intake is not None and consultation.location_key is not None
        else None
    )
    if site_address:
        recipients["location"] = site_address
    elif intake is not None and intake.intake_email:
        recipients["intake"] = intake.intake_email
    # An accommodation request is the accessibility manager's to answer, as the visitor is
    # told: they hear of it as well as the intake team.
    if site and consultation.kind == ConsultationRequest.Kind.ACCESSIBILITY:
        manager = ClinicSettings.for_site(site).accessibility_manager_email
        if manager:
            recipients["accessibility_manager"] = manager
    if not recipients:
        logger.info("No intake email configured; request %s not announced.", request_id)
        return False

    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "consultation_requests:inspect", args=[consultation.pk]
    )
    with override(settings.LANGUAGE_CODE):
        kind = consultation.get_kind_display().lower()
        subject = _("New %(kind)s request #%(reference)s") % {
            "kind": kind,
            "reference": consultation.reference,
        }
        body = _(
            "A new %(kind)s request has arrived.\n\nOpen it in the admin (sign-in required):\n"
            "%(url)s\n"
        ) % {"kind": kind, "url": url}
    try:
        send_mail(subject, body, None, list(recipients.values()), fail_silently=False)
    except Exception:
        logger.exception("Could not send the notification for request %s; will retry.", request_id)
        raise
    ConsultationRequest.objects.filter(pk=request_id).update(notified_at=timezone.now())
    for recipient in recipients:
        record_email(request_id, recipient)
    return True


@task(backend="notifications")
def acknowledge_visitor(request_id: int) -> bool:
    """Tell the visitor, in the language they wrote in, that their request arrived and what
    happens next. It never repeats their answers: only the reference number and the clinic's
    phone number. Like the intake notification, a failure is logged and re-raised, and
    ``manage.py retry_notifications`` sends it later while the request is still new."""
    from wagtail.models import Site

    from core import phones
    from core.models import ClinicSettings

    from .models import ConsultationRequest

    consultation = ConsultationRequest.objects.filter(pk=request_id).first()
    if consultation is None or not consultation.email or consultation.acknowledged_at:
        return False
    site = Site.objects.filter(is_default_site=True).first()
    clinic = ClinicSettings.for_site(site) if site else None
    with override(consultation.submitted_language):
        subject = _("We have received your request (reference %(reference)s)") % {
            "reference": consultation.reference
        }
        body = _(
            "Thank you for contacting %(clinic)s.\n\n"
            "We have received your request. Your reference number is %(reference)s.\n"
            "A member of our team will contact you, usually within one working day.\n\n"
            "If you need to reach us sooner, please call %(phone)s and mention your reference."
            "\n\nThis message was sent automatically; please do not reply to it."
        ) % {
            "clinic": clinic.name if clinic else "",
            "reference": consultation.reference,
            "phone": phones.display(clinic.phone, clinic.country) if clinic else "",
        }
    try:
        send_mail(subject, body, None, [consultation.email], fail_silently=False)
    except Exception:
        logger.exception(
            "Could not send the acknowledgement for request %s; will retry.", request_id
        )
        raise
    ConsultationRequest.objects.filter(pk=request_id).update(acknowledged_at=timezone.now())
    from .timeline import record_email

    record_email(request_id, "visitor")
    return True


@task(backend="notifications")
def notify_assignee(request_id: int, user_id: int) -> bool:
    """Tell a member of staff that request N was assigned to them, with a link to it. Like the
    other notifications, no personal detail of the patient is in the message. A failure is
    logged and re-raised (the task is marked failed); the assignment itself stands and shows
    in the inbox's "Mine"."""
    from django.contrib.auth import get_user_model

    from .models import ConsultationRequest
    from .timeline import record_email

    consultation = ConsultationRequest.objects.filter(pk=request_id, assignee_id=user_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if consultation is None or user is None or not user.email:
        return False
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "consultation_requests:edit", args=[consultation.pk]
    )
    with override(settings.LANGUAGE_CODE):
        subject = _("Request #%(reference)s was assigned to you") % {
            "reference": consultation.reference
        }
        body = _(
            "Request #%(reference)s was assigned to you.\n\nOpen it in the admin (sign-in "
            "required):\n%(url)s\n"
        ) % {"reference": consultation.reference, "url": url}
    try:
        send_mail(subject, body, None, [user.email], fail_silently=False)
    except Exception:
        logger.exception("Could not tell the assignee of request %s.", request_id)
        raise
    record_email(request_id, "assignee")
    return True
