from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import feedback_reports, timeline
from .bulk_actions import BULK_ACTIONS
from .dashboard import add_requests_panel
from .marketing_panel import add_marketing_panel
from .models import ConsultationRequest
from .reports import ResponseTimesMenuItem, ResponseTimesView
from .source_report import RequestSourcesMenuItem, RequestSourcesView, forbidden_unless_reader
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
hooks.register("construct_homepage_panels", add_marketing_panel)

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


@hooks.register("register_reports_menu_item")
def register_request_sources_menu_item() -> RequestSourcesMenuItem:
    return RequestSourcesMenuItem(
        _("Where requests come from"),
        reverse("request_sources"),
        name="request-sources",
        icon_name="mail",
        order=1410,
    )


@hooks.register("register_admin_urls")
def register_request_sources_urls() -> list:
    return [
        path(
            "reports/request-sources/",
            forbidden_unless_reader(RequestSourcesView.as_view()),
            name="request_sources",
        ),
        path(
            "reports/request-sources/results/",
            forbidden_unless_reader(RequestSourcesView.as_view(results_only=True)),
            name="request_sources_results",
        ),
    ]


hooks.register("register_reports_menu_item", feedback_reports.menu_item)
hooks.register("register_admin_urls", feedback_reports.admin_urls)
