"""Who may work on a request and what the intake team changes on it: the edit form, the
overdue rule, and the changes bulk actions make, each written to the request's timeline
(``appointments.timeline``)."""

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Site

from core.models import ClinicSettings

from .models import ConsultationRequest
from .tasks import notify_assignee
from .timeline import record_changes, record_note, stored_value

INTAKE_GROUP = "Intake staff"
# The fields the intake team changes; the rest is what the visitor sent.
TRIAGE_FIELDS = ["status", "assignee"]


def accessibility_manager_email(request: Any = None) -> str:
    """The accessibility manager's e-mail address in the clinic settings: those of the site
    ``request`` is for (read once per request), else of the default site."""
    if request is not None:
        return ClinicSettings.for_request(request).accessibility_manager_email
    site = Site.objects.filter(is_default_site=True).first()
    return ClinicSettings.for_site(site).accessibility_manager_email if site else ""


def assignable_users(
    request: ConsultationRequest | None = None, kind: str | None = None
) -> QuerySet:
    """Who ``request`` (or a request of ``kind``) can be assigned to: the active members of
    Intake staff, and for an accommodation request the accessibility manager named in the
    clinic settings (the active account with that e-mail address). Whoever holds the request
    now stays in the list, so that saving it does not fail when they have since left the
    group."""
    kind = request.kind if request is not None else kind
    people = Q(groups__name=INTAKE_GROUP)
    if kind == ConsultationRequest.Kind.ACCESSIBILITY:
        email = accessibility_manager_email()
        if email:
            people |= Q(email__iexact=email)
    active = get_user_model().objects.filter(people, is_active=True)
    if request is not None and request.assignee_id:
        active = get_user_model().objects.filter(Q(pk__in=active) | Q(pk=request.assignee_id))
    return active.distinct().order_by("first_name", "last_name", "username")


def display_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class TriageForm(WagtailAdminModelForm):
    """Status and assignee, and a new note. Earlier notes are in the timeline below the form
    and cannot be changed here or anywhere else."""

    note = forms.CharField(
        label=_("Add a note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Added to the request's history with your name and the time. A note cannot be "
            "changed or removed later."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = assignable_users(self.instance)
            self.fields["assignee"].label_from_instance = display_name
            self.fields["assignee"].help_text = _(
                "A member of the intake team (or, for an accommodation request, the "
                "accessibility manager). They are told by e-mail."
            )


def save_triage(form: TriageForm, user: Any) -> ConsultationRequest:
    """Save the edit form and write what changed, and the note, to the timeline."""
    request = form.instance
    original = ConsultationRequest.objects.get(pk=request.pk)
    before = {name: stored_value(original, name) for name in TRIAGE_FIELDS}
    with transaction.atomic():
        request = form.save()
        record_changes(request, before, user)
        note = form.cleaned_data.get("note", "").strip()
        if note:
            record_note(request, note, user)
        announce_assignment(request, original.assignee_id, user)
    return request


def announce_assignment(request: ConsultationRequest, previous_id: int | None, user: Any) -> None:
    """Tell the newly assigned person, unless they assigned it to themselves."""
    assignee_id = request.assignee_id
    if assignee_id and assignee_id != previous_id and assignee_id != (user.pk if user else None):
        transaction.on_commit(lambda: notify_assignee.enqueue(request.pk, assignee_id), robust=True)


def apply_to_each(
    requests: QuerySet, user: Any, *, status: str | None = None, assignee: Any = None
) -> int:
    """A bulk action: set the status or the assignee of each request, one timeline entry per
    request that changed. Returns how many changed."""
    changed = 0
    with transaction.atomic():
        for request in requests.select_related("assignee").select_for_update(of=("self",)):
            before = {name: stored_value(request, name) for name in TRIAGE_FIELDS}
            previous_assignee = request.assignee_id
            if status is not None:
                request.status = status
            if assignee is not None:
                request.assignee = assignee
            request.save(update_fields=["status", "assignee", "first_contact_at", "updated_at"])
            if record_changes(request, before, user, bulk=True):
                changed += 1
                announce_assignment(request, previous_assignee, user)
    return changed


def overdue_cutoff(now: datetime | None = None, hours: int | None = None) -> datetime:
    """The time before which a new request is overdue: ``hours`` working hours
    (``settings.INTAKE_OVERDUE_WORKING_HOURS``, default 24) before ``now``. Working hours are
    every hour of Monday to Friday in the clinic's time zone: a request that arrives on Friday
    afternoon is overdue on Monday afternoon, not on Saturday."""
    hours = settings.INTAKE_OVERDUE_WORKING_HOURS if hours is None else hours
    zone = ZoneInfo(settings.TIME_ZONE)
    moment = (now or timezone.now()).astimezone(UTC)
    left = timedelta(hours=hours)
    while True:
        # The day that the instant just before ``moment`` belongs to, and its midnight.
        day = (moment - timedelta(microseconds=1)).astimezone(zone).date()
        start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
        if day.weekday() < 5:
            available = moment - start
            if available >= left:
                return moment - left
            left -= available
        moment = start
