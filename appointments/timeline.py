"""A request's history, kept in Wagtail's own audit log (``ModelLogEntry``) and shown as one
timeline, newest first: when it arrived, who opened it, every change (the field, the old and
the new value), every note, assignment, e-mail and export.

Why Wagtail's log and not django-auditlog or django-pghistory: the admin already writes its
exports there and shows it in the request's *History* and in Reports → *Site history*, with
filters and export; staff cannot edit or delete an entry anywhere in the admin; and every entry
here is written by the code that does the thing, so it says what happened in the intake team's
words ("Assigned to Ana", "Note") rather than as a row diff. A second log beside it would split
the history in two.

Notes are entries too: appended, never replaced, each with its author and time. Contact
details are never copied into the log: a change to one is recorded as "changed", without the
values (:data:`MASKED_FIELDS`)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.log_actions import LogFormatter, log
from wagtail.models import ModelLogEntry

from .models import ConsultationRequest

VIEW = "appointments.view"
CHANGE = "appointments.change"
NOTE = "appointments.note"
EMAIL = "appointments.email"
EXPORT = "appointments.export"

# Personal details: the log says that they changed, never what they were or became.
MASKED_FIELDS = {"full_name", "email", "phone", "contact_details", "message", "referring_clinician"}

# Whom an e-mail about a request went to (the addresses themselves are not logged).
RECIPIENTS = {
    "intake": gettext_lazy("the intake address"),
    "location": gettext_lazy("the address of the preferred site"),
    "accessibility_manager": gettext_lazy("the accessibility manager"),
    "visitor": gettext_lazy("the visitor"),
    "assignee": gettext_lazy("the person assigned"),
}


def display_value(name: str, value: Any) -> str:
    """``value`` of the field ``name`` as staff read it: a choice's label, a person's name."""
    if value in (None, ""):
        return "—"
    field: Any = ConsultationRequest._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def user_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def stored_value(request: ConsultationRequest, name: str) -> Any:
    """What the log keeps of a field's value: the raw value, or for a person their name and
    id (the name as it was then, should the account later be renamed or removed)."""
    field: Any = ConsultationRequest._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        related = getattr(request, name)
        if related is None:
            return None
        if name == "assignee":
            return {"id": related.pk, "name": user_name(related)}
        return {"id": related.pk, "name": str(related)}
    value = field.value_from_object(request)
    return value.isoformat() if isinstance(value, datetime) else value


def record_changes(
    request: ConsultationRequest, before: dict[str, Any], user: Any, *, bulk: bool = False
) -> ModelLogEntry | None:
    """One entry for what changed on ``request`` since ``before`` (field name → the value
    :func:`stored_value` gave before the change), or None if nothing did."""
    changes = []
    for name, old in before.items():
        new = stored_value(request, name)
        if new == old:
            continue
        change: dict[str, Any] = {"field": name}
        if name not in MASKED_FIELDS:
            change.update(old=old, new=new)
        changes.append(change)
    if not changes:
        return None
    return log(request, CHANGE, user=user, data={"changes": changes, "bulk": bulk})


def record_view(request: ConsultationRequest, user: Any) -> None:
    log(request, VIEW, user=user)


def record_note(request: ConsultationRequest, text: str, user: Any) -> ModelLogEntry:
    return log(request, NOTE, user=user, data={"text": text})


def record_email(request_id: int, recipient: str) -> None:
    """An e-mail about request ``request_id`` went to ``recipient`` (a key of
    :data:`RECIPIENTS`). Written by the background task that sent it, without a user."""
    request = ConsultationRequest.objects.filter(pk=request_id).first()
    if request is not None:
        log(request, EMAIL, data={"to": recipient})


def entries_for(request: ConsultationRequest) -> models.QuerySet:
    return (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ConsultationRequest),
            object_id=str(request.pk),
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


@dataclass
class Event:
    """A line of the timeline."""

    when: datetime
    action: str
    who: str
    message: str
    note: str = ""

    @property
    def is_note(self) -> bool:
        return self.action == NOTE


def describe_change(change: dict[str, Any]) -> str:
    name = change["field"]
    try:
        field: Any = ConsultationRequest._meta.get_field(name)
        label = str(field.verbose_name)
    except FieldDoesNotExist:
        label = name
    label = label[:1].upper() + label[1:]
    if "old" not in change:
        return _("%(field)s changed") % {"field": label}

    def shown(value: Any) -> str:
        if isinstance(value, dict):
            return value.get("name") or "—"
        return display_value(name, value)

    return _("%(field)s: %(old)s → %(new)s") % {
        "field": label,
        "old": shown(change["old"]),
        "new": shown(change["new"]),
    }


def describe(entry: ModelLogEntry) -> str:
    """What ``entry`` says, in the reader's language."""
    data = entry.data or {}
    if entry.action == CHANGE:
        text = "; ".join(describe_change(change) for change in data.get("changes", []))
        return _("%(changes)s (bulk action)") % {"changes": text} if data.get("bulk") else text
    if entry.action == EMAIL:
        return _("E-mail sent to %(recipient)s") % {
            "recipient": RECIPIENTS.get(data.get("to", ""), data.get("to", ""))
        }
    if entry.action == EXPORT:
        return _("Exported in a spreadsheet (%(format)s)") % {
            "format": str(data.get("format", "")).upper()
        }
    if entry.action == VIEW:
        return _("Opened")
    if entry.action == NOTE:
        return _("Note")
    return str(entry.message)


def timeline(request: ConsultationRequest) -> list[Event]:
    """Everything that happened to ``request``, newest first, ending with its arrival. One
    query. Openings by the same person one after the other are one line ("Opened 3 times",
    at the latest of them): each is in the log, but the timeline stays readable."""
    events: list[Event] = []
    openings = 0
    for entry in entries_for(request):
        who = user_name(entry.user) if entry.user else ""
        previous = events[-1] if events else None
        if (
            entry.action == VIEW
            and previous is not None
            and previous.action == VIEW
            and previous.who == who
        ):
            openings += 1
            previous.message = ngettext(
                "Opened %(count)s time", "Opened %(count)s times", openings
            ) % {"count": openings}
            continue
        openings = 1
        events.append(
            Event(
                when=entry.timestamp,
                action=entry.action,
                who=who,
                message=describe(entry),
                note=(entry.data or {}).get("text", "") if entry.action == NOTE else "",
            )
        )
    events.append(
        Event(
            when=request.created_at,
            action="appointments.received",
            who="",
            message=_("Received from the website"),
        )
    )
    return events


class Formatter(LogFormatter):
    """Entries described in the request's History and in Site history as in its timeline."""

    def format_message(self, log_entry: Any) -> str:
        return describe(log_entry)


def register_log_actions(actions: Any) -> None:
    for action, label, message in (
        (VIEW, gettext_lazy("Open"), gettext_lazy("Opened")),
        (CHANGE, gettext_lazy("Change"), gettext_lazy("Changed")),
        (NOTE, gettext_lazy("Note"), gettext_lazy("Note added")),
        (EMAIL, gettext_lazy("E-mail"), gettext_lazy("E-mail sent")),
        (EXPORT, gettext_lazy("Export"), gettext_lazy("Exported in a spreadsheet")),
    ):
        formatter = type("RequestLogFormatter", (Formatter,), {"label": label, "message": message})
        actions.register_action(action)(formatter)
