"""The intake team's dashboard panel "Requests to answer": how many requests are new, overdue
and assigned to the reader, each a link to the inbox filtered so, and the requests that have
waited longest and those assigned to the reader, with their age. Five queries, however many
requests there are."""

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component

from .models import ConsultationRequest
from .triage import overdue_cutoff

VIEW_PERMISSION = "appointments.view_consultationrequest"
ROWS = 8
# Requests still to be dealt with: not closed, not spam.
OPEN_STATUSES = [
    ConsultationRequest.Status.NEW,
    ConsultationRequest.Status.CONTACTED,
    ConsultationRequest.Status.SCHEDULED,
]


def inbox_url(**filters: str) -> str:
    url = reverse("consultation_requests:index")
    return f"{url}?{urlencode(filters)}" if filters else url


class RequestsToAnswerPanel(Component):
    name = "requests_to_answer"
    template_name = "appointments/admin/requests_to_answer_panel.html"
    order = 90  # first: patients waiting for an answer

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        requests = ConsultationRequest.objects.select_related("assignee")
        new = requests.filter(status=ConsultationRequest.Status.NEW)
        mine = requests.filter(assignee=self.user, status__in=OPEN_STATUSES)
        return {
            "counts": [
                (new.count(), inbox_url(status="new")),
                (new.filter(created_at__lt=overdue_cutoff()).count(), inbox_url(overdue="true")),
                (mine.count(), inbox_url(assigned="me")),
            ],
            "waiting": list(new.order_by("created_at", "pk")[:ROWS]),
            "mine": list(mine.order_by("created_at", "pk")[:ROWS]),
            "cutoff": overdue_cutoff(),
        }


def add_requests_panel(request: Any, panels: list) -> None:
    if request.user.has_perm(VIEW_PERMISSION) and not request.user.is_superuser:
        panels.append(RequestsToAnswerPanel(request.user))
