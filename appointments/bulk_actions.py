"""Bulk actions on the inbox's list (Wagtail's bulk action framework, as for pages and
snippets): assign the selected requests, set their status, or mark them as spam. Each request
that changes gets its own entry in its timeline (``appointments.triage.apply_to_each``)."""

from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.views.bulk_action import BulkAction

from .models import ConsultationRequest
from .triage import apply_to_each, assignable_users, display_name

CHANGE_PERMISSION = "appointments.change_consultationrequest"


class RequestBulkAction(BulkAction):
    models = [ConsultationRequest]
    template_name = "appointments/admin/bulk_action.html"
    action_priority = 10

    def check_perm(self, obj: ConsultationRequest) -> bool:
        return self.request.user.has_perm(CHANGE_PERMISSION)

    def object_context(self, obj: ConsultationRequest) -> dict[str, Any]:
        return {
            "item": obj,
            "edit_url": reverse("consultation_requests:edit", args=[obj.pk]),
        }

    def get_execution_context(self) -> dict[str, Any]:
        return {"user": self.request.user, **self.cleaned_form.cleaned_data}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "action_title": self.display_name,
                "action_button_text": self.button_text,
                "no_action_button_text": _("Cancel"),
            }
        )
        return context

    @classmethod
    def execute_action(cls, objects: list, user: Any = None, **changes: Any) -> tuple[int, int]:
        requests = ConsultationRequest.objects.filter(pk__in=[obj.pk for obj in objects])
        return apply_to_each(requests, user, **cls.changes(**changes)), 0

    @classmethod
    def changes(cls, **cleaned_data: Any) -> dict[str, Any]:
        return cleaned_data

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)s request changed.", "%(count)s requests changed.", num_parent_objects
        ) % {"count": num_parent_objects}


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Assign to"), queryset=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read when the form is made: who is in the intake team now.
        field = cast(forms.ModelChoiceField, self.fields["assignee"])
        field.queryset = assignable_users(kind=ConsultationRequest.Kind.CONSULTATION)
        field.label_from_instance = display_name  # type: ignore[assignment]


class AssignBulkAction(RequestBulkAction):
    display_name = _("Assign")
    button_text = _("Assign")
    action_type = "assign"
    aria_label = _("Assign the selected requests")
    form_class = AssignForm


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ConsultationRequest.Status.choices)


class StatusBulkAction(RequestBulkAction):
    display_name = _("Set status")
    button_text = _("Set status")
    action_type = "set_status"
    aria_label = _("Set the status of the selected requests")
    form_class = StatusForm


class SpamBulkAction(RequestBulkAction):
    display_name = _("Mark as spam")
    button_text = _("Mark as spam")
    action_type = "mark_spam"
    aria_label = _("Mark the selected requests as spam")

    @classmethod
    def changes(cls, **cleaned_data: Any) -> dict[str, Any]:
        return {"status": ConsultationRequest.Status.SPAM}


BULK_ACTIONS = [AssignBulkAction, StatusBulkAction, SpamBulkAction]
