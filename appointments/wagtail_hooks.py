from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import timeline
from .bulk_actions import BULK_ACTIONS
from .dashboard import add_requests_panel
from .models import ConsultationRequest
from .reports import ResponseTimesMenuItem, ResponseTimesView
from .views import (
    ConsultationRequestPermissionPolicy,
    ConsultationRequestViewSet,
    forbidden_without_access,
)

register_permission_policy(
    ConsultationRequest, ConsultationRequestPermissionPolicy(ConsultationRequest)
)


@hooks.register("register_admin_viewset")
def register_consultation_requests():
    return ConsultationRequestViewSet()


hooks.register("register_log_actions", timeline.register_log_actions)
hooks.register("construct_homepage_panels", add_requests_panel)

for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("register_reports_menu_item")
def register_response_times_menu_item() -> ResponseTimesMenuItem:
    return ResponseTimesMenuItem(
        _("Response times"),
        reverse("response_times"),
        name="response-times",
        icon_name="time",
        order=1400,
    )


@hooks.register("register_admin_urls")
def register_response_times_urls() -> list:
    # A plain 403 for staff who may not see requests, as from the inbox (Wagtail would
    # redirect them to the dashboard).
    return [
        path(
            "reports/response-times/",
            forbidden_without_access(ResponseTimesView.as_view()),
            name="response_times",
        ),
        path(
            "reports/response-times/results/",
            forbidden_without_access(ResponseTimesView.as_view(results_only=True)),
            name="response_times_results",
        ),
    ]
