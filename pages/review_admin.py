"""The admin's view of medical reviews: the "Due for medical review" report (Reports menu, for
physicians and marketing editors, exportable) and each physician's dashboard panel of the pages
they reviewed that are due. Whoever may see the records (``pages.view_medicalreview``, granted
to both groups by migration 0007) sees the report."""

import datetime
from typing import Any

import django_filters
from django.conf import settings
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale
from wagtail.permission_policies import ModelPermissionPolicy

from .medical_reviews import DUE_SOON_DAYS, ReviewDue, due_rows
from .models import MedicalReview, PhysicianPage
from .report_filters import RowFilterSet

DUE = ""  # the default: overdue or due within DUE_SOON_DAYS
OVERDUE = "overdue"
SOON = "soon"
ALL = "all"


def status_label(row: ReviewDue, today: datetime.date) -> Any:
    if row.review is None:
        return _("Never reviewed")
    if row.is_overdue(today):
        return _("Overdue")
    if row.is_due_by(today + datetime.timedelta(days=DUE_SOON_DAYS)):
        return _("Due within 30 days")
    return _("Not due")


class DueForReviewFilterSet(RowFilterSet):
    """The report's filters. They only draw the form: the rows are filtered by the view."""

    status = django_filters.ChoiceFilter(
        label=_("Due"),
        choices=[
            (OVERDUE, _("Overdue")),
            (SOON, _("Due within 30 days, not overdue")),
            (ALL, _("Every medical page")),
        ],
        empty_label=_("Overdue or due within 30 days"),
        method="unfiltered",
    )
    physician = django_filters.ModelChoiceFilter(
        label=_("Reviewed by"),
        queryset=lambda request: PhysicianPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).order_by("name"),
        method="unfiltered",
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"), queryset=Locale.objects.all(), method="unfiltered"
    )

    class Meta:
        model = MedicalReview
        fields: list[str] = []


class DueForReviewView(ReportView):
    """Condition and treatment pages by the date their next medical review falls due."""

    page_title = _("Due for medical review")
    header_icon = "doc-full-inverse"
    index_url_name = "medical_review_due"
    index_results_url_name = "medical_review_due_results"
    filterset_class = DueForReviewFilterSet
    permission_policy = ModelPermissionPolicy(MedicalReview)
    permission_required = "view"
    list_export = ["title", "language", "status", "reviewer", "last_reviewed", "due"]
    export_headings = {
        "title": _("Page"),
        "language": _("Language"),
        "status": _("Status"),
        "reviewer": _("Reviewed by"),
        "last_reviewed": _("Last reviewed"),
        "due": _("Next review due"),
    }

    @property
    def columns(self) -> list[Column]:
        return [
            TitleColumn(
                "title",
                label=_("Page"),
                get_url=lambda row: reverse("wagtailadmin_pages:edit", args=[row.page.pk]),
            ),
            Column("language", label=_("Language")),
            Column("status", label=_("Status")),
            Column("reviewer", label=_("Reviewed by")),
            Column("last_reviewed", label=_("Last reviewed")),
            Column("due", label=_("Next review due")),
        ]

    def get_queryset(self) -> list[ReviewDue]:
        return self.filter_queryset(due_rows())

    def filter_queryset(self, rows: Any) -> list[ReviewDue]:
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        data = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        status = data.get("status") or DUE
        physician = data.get("physician")
        language = data.get("language")
        chosen = []
        for row in rows:
            if status == DUE and not row.is_due_by(soon):
                continue
            if status == OVERDUE and not row.is_overdue(today):
                continue
            if status == SOON and (row.is_overdue(today) or not row.is_due_by(soon)):
                continue
            if physician and not (
                row.review and row.review.physician and row.review.physician.pk == physician.pk
            ):
                continue
            if language and row.page.locale_id != language.pk:
                continue
            row.status = status_label(row, today)
            chosen.append(row)
        return chosen

    def get_filtered_queryset(self) -> list[ReviewDue]:
        return self.get_queryset()


class DueReviewsPanel(Component):
    """On a physician's dashboard: the pages they reviewed whose next review is due, or due
    within 30 days, soonest first."""

    name = "medical_reviews_due"
    template_name = "pages/admin/medical_reviews_due_panel.html"
    order = 90  # above Wagtail's own panels: what needs the physician's attention

    def __init__(self, rows: list[ReviewDue]) -> None:
        self.rows = rows

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        return {"rows": self.rows}


def physicians_due_reviews(user: Any, by: datetime.date) -> list[ReviewDue]:
    """The pages ``user`` reviewed (not the translations that show their review) due by ``by``."""
    return [
        row
        for row in due_rows()
        if row.review is not None
        and row.review.page_id == row.page.pk
        and row.reviewer_user_id == user.pk
        and row.is_due_by(by)
    ]


@hooks.register("construct_homepage_panels")
def add_due_reviews_panel(request: Any, panels: list) -> None:
    today = timezone.localdate()
    rows = physicians_due_reviews(request.user, today + datetime.timedelta(days=DUE_SOON_DAYS))
    for row in rows:
        row.status = status_label(row, today)
    if rows:
        panels.append(DueReviewsPanel(rows))


class DueForReviewMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return request.user.has_perm("pages.view_medicalreview")


@hooks.register("register_reports_menu_item")
def register_due_for_review_menu_item() -> MenuItem:
    return DueForReviewMenuItem(
        _("Due for medical review"),
        reverse("medical_review_due"),
        name="medical-review-due",
        icon_name="doc-full-inverse",
        order=1200,
    )


@hooks.register("register_admin_urls")
def register_due_for_review_urls() -> list:
    return [
        path("reports/medical-review-due/", DueForReviewView.as_view(), name="medical_review_due"),
        path(
            "reports/medical-review-due/results/",
            DueForReviewView.as_view(results_only=True),
            name="medical_review_due_results",
        ),
    ]
