"""What visitors said about each page: the "Page feedback" report (Reports menu, exportable) and,
for each page in one language, its comments, which editors mark handled.

Readers are whoever may see page feedback (``appointments.view_pagefeedback``: the "Marketing
editors" group, by migration 0015, and superusers); marking handled needs
``appointments.change_pagefeedback`` (the same group). Everyone else, translators and
physicians among them, gets a plain 403.

The report has a row per page and language: the "yes" and "no" answers, the share of "yes" and
the comments not yet handled, least helpful first (most "no"). Its filters: the days the
answers were given (every day kept, by default), the language and the page type. Exports hold
counts and page titles only; the comments' export holds what visitors wrote, masked when it was
stored (``appointments.feedback``)."""

from dataclasses import dataclass
from functools import wraps
from typing import Any

import django_filters
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from core.languages import language_choices
from pages.report_filters import RowFilterSet

from .feedback import FEEDBACK_PAGE_TYPES
from .models import PageFeedback

VIEW_PERMISSION = "appointments.view_pagefeedback"
CHANGE_PERMISSION = "appointments.change_pagefeedback"


def page_type_choices() -> list[tuple[str, Any]]:
    return [
        (str(model._meta.model_name), model._meta.verbose_name) for model in FEEDBACK_PAGE_TYPES
    ]


def language_name(code: str) -> str:
    return dict(language_choices()).get(code, code)


def readers_only(view, permission: str = VIEW_PERMISSION):
    """A plain 403 for staff who may not read page feedback, rather than Wagtail's redirect to
    the dashboard."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.has_perm(permission):
            return permission_denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    return wrapped


class FeedbackFilterSet(RowFilterSet):
    """The filters of both views. They only draw the form: the views read their values."""

    day = django_filters.DateFromToRangeFilter(
        label=_("Answered"), widget=DateRangePickerWidget, method="unfiltered"
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=language_choices,
        empty_label=_("Every language"),
        method="unfiltered",
    )
    page_type = django_filters.ChoiceFilter(
        label=_("Page type"),
        choices=page_type_choices,
        empty_label=_("Every page type"),
        method="unfiltered",
    )

    class Meta:
        model = PageFeedback
        fields: list[str] = []


class CommentsFilterSet(RowFilterSet):
    """A page's comments are in one language and of one type already: only the days filter."""

    day = FeedbackFilterSet.base_filters["day"]

    class Meta:
        model = PageFeedback
        fields: list[str] = []


def filtered(feedback: QuerySet[PageFeedback], choices: dict[str, Any]) -> QuerySet:
    """``feedback`` within the filters' days, language and page type."""
    days = choices.get("day")
    if days:
        if days.start:
            feedback = feedback.filter(day__gte=days.start.date())
        if days.stop:
            feedback = feedback.filter(day__lte=days.stop.date())
    if choices.get("language"):
        feedback = feedback.filter(language=choices["language"])
    if choices.get("page_type"):
        model = {m._meta.model_name: m for m in FEEDBACK_PAGE_TYPES}[choices["page_type"]]
        feedback = feedback.filter(page__content_type=ContentType.objects.get_for_model(model))
    return feedback


@dataclass
class FeedbackRow:
    """A page in one language: its answers in the period."""

    page: Page
    language: str
    yes: int
    no: int
    open_comments: int
    # Translated when the row is made, in the reader's language: a CSV export writes its rows
    # after Wagtail's switch to that language has ended.
    title: str = ""
    page_type: str = ""
    language_name: str = ""

    def __post_init__(self) -> None:
        self.title = self.page.title
        model = self.page.specific_class
        self.page_type = capfirst(str(model._meta.verbose_name)) if model else ""
        self.language_name = language_name(self.language)

    @property
    def answers(self) -> int:
        return self.yes + self.no

    @property
    def yes_percent(self) -> float | None:
        return round(100 * self.yes / self.answers, 1) if self.answers else None

    @property
    def yes_share(self) -> str:
        percent = self.yes_percent
        return "—" if percent is None else f"{number_format(percent, decimal_pos=0)}%"

    @property
    def comments_url(self) -> str:
        return reverse("page_feedback_comments", args=[self.page.pk, self.language])


class ChoicesMixin:
    """The filters' values, each read on its own: a date the form rejects leaves the others."""

    filters: Any

    @cached_property
    def choices(self) -> dict[str, Any]:
        form = self.filters.form
        form.is_valid()
        return form.cleaned_data


class PageFeedbackView(ChoicesMixin, ReportView):
    """Each page's "yes" and "no" answers and open comments, per language."""

    page_title = _("Page feedback")
    header_icon = "help"
    index_url_name = "page_feedback_report"
    index_results_url_name = "page_feedback_report_results"
    filterset_class = FeedbackFilterSet
    permission_policy = ModelPermissionPolicy(PageFeedback)
    permission_required = "view"
    export_filename = "page-feedback"
    list_export = ["title", "page_type", "language", "yes", "no", "yes_percent", "open_comments"]

    @cached_property
    def export_headings(self) -> dict[str, str]:
        return {
            "title": gettext("Page"),
            "page_type": gettext("Page type"),
            "language": gettext("Language"),
            "yes": gettext("Yes"),
            "no": gettext("No"),
            "yes_percent": gettext("Share of “yes” (%)"),
            "open_comments": gettext("Open comments"),
        }

    @property
    def columns(self) -> list[Column]:
        return [
            TitleColumn("title", label=_("Page"), get_url=lambda row: row.comments_url),
            Column("page_type", label=_("Page type")),
            Column("language_name", label=_("Language")),
            Column("yes", label=_("Yes")),
            Column("no", label=_("No")),
            Column("yes_share", label=_("Share of “yes”")),
            Column("open_comments", label=_("Open comments")),
        ]

    def get_queryset(self) -> list[FeedbackRow]:
        counts = (
            filtered(PageFeedback.objects.all(), self.choices)
            .values("page", "language")
            .annotate(
                yes=Count("pk", filter=Q(helpful=True)),
                no=Count("pk", filter=Q(helpful=False)),
                open_comments=Count("pk", filter=Q(handled=False) & ~Q(comment="")),
            )
            .order_by()
        )
        counts = list(counts)
        pages = Page.objects.in_bulk({row["page"] for row in counts})
        rows = [
            FeedbackRow(
                pages[row["page"]], row["language"], row["yes"], row["no"], row["open_comments"]
            )
            for row in counts
        ]
        # Least helpful first: the pages that most need an editor.
        rows.sort(key=lambda row: (-row.no, -row.open_comments, row.title.lower(), row.language))
        return rows

    def get_filtered_queryset(self) -> list[FeedbackRow]:
        return self.get_queryset()

    def as_spreadsheet(self, queryset: Any, spreadsheet_format: str) -> Any:
        self.export_headings  # noqa: B018 - translated now, in the reader's language
        return super().as_spreadsheet(queryset, spreadsheet_format)


class CommentStatusColumn(Column):
    """Open, with a "Mark handled" button for who may change feedback; or who handled it, when."""

    cell_template_name = "appointments/admin/page_feedback_status_cell.html"

    def get_cell_context_data(self, instance: PageFeedback, parent_context: Any) -> dict:
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["can_change"] = request.user.has_perm(CHANGE_PERMISSION)
        context["handle_url"] = reverse("page_feedback_handle", args=[instance.pk])
        context["next_url"] = request.get_full_path()
        # A cell is drawn from its own context, without the view's CSRF token.
        context["csrf_token"] = get_token(request)
        return context


class PageFeedbackCommentsView(ChoicesMixin, ReportView):
    """The comments visitors left about one page in one language, newest first."""

    header_icon = "comment"
    results_template_name = "appointments/admin/page_feedback_comments_results.html"
    filterset_class = CommentsFilterSet
    permission_policy = ModelPermissionPolicy(PageFeedback)
    permission_required = "view"
    list_export = ["day", "comment", "handled", "handled_by", "handled_at"]

    @cached_property
    def export_headings(self) -> dict[str, str]:
        return {
            "day": gettext("Date"),
            "comment": gettext("Comment"),
            "handled": gettext("Handled"),
            "handled_by": gettext("Handled by"),
            "handled_at": gettext("Handled at"),
        }

    @cached_property
    def page(self) -> Page:
        page = Page.objects.filter(pk=self.kwargs["page_id"]).first()
        if page is None:
            raise Http404
        return page

    @property
    def language(self) -> str:
        return self.kwargs["language"]

    @property
    def page_title(self) -> str:
        return gettext("Comments on “%(title)s” (%(language)s)") % {
            "title": self.page.title,
            "language": language_name(self.language),
        }

    def get_index_url(self) -> str:
        return reverse("page_feedback_comments", args=[self.page.pk, self.language])

    def get_index_results_url(self) -> str:
        return reverse("page_feedback_comments_results", args=[self.page.pk, self.language])

    def get_filename(self) -> str:
        return f"page-feedback-comments-{self.page.slug}-{self.language}"

    @property
    def columns(self) -> list[Column]:
        return [
            Column("day", label=_("Date")),
            Column("comment", label=_("Comment")),
            CommentStatusColumn("handled", label=_("Status")),
        ]

    def get_queryset(self) -> QuerySet[PageFeedback]:
        choices = dict(self.choices, language=None, page_type=None)
        return (
            filtered(PageFeedback.objects.filter(page=self.page, language=self.language), choices)
            .exclude(comment="")
            .select_related("handled_by")
            .order_by("handled", "-day", "-pk")
        )

    def get_filtered_queryset(self) -> QuerySet[PageFeedback]:
        return self.get_queryset()

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        context["feedback_page"] = self.page
        context["can_change"] = self.request.user.has_perm(CHANGE_PERMISSION)
        context["handle_all_url"] = reverse(
            "page_feedback_handle_all", args=[self.page.pk, self.language]
        )
        context["report_url"] = reverse("page_feedback_report")
        context["open_count"] = self.get_queryset().filter(handled=False).count()
        return context

    def as_spreadsheet(self, queryset: Any, spreadsheet_format: str) -> Any:
        self.export_headings  # noqa: B018 - translated now, in the reader's language
        return super().as_spreadsheet(queryset, spreadsheet_format)


def mark_handled(feedback: QuerySet[PageFeedback], user: Any) -> int:
    """Mark the open comments among ``feedback`` handled by ``user`` now; how many were."""
    return (
        feedback.filter(handled=False)
        .exclude(comment="")
        .update(handled=True, handled_at=timezone.now(), handled_by=user)
    )


def back(request: HttpRequest, default: str) -> HttpResponse:
    """To the list the button was on (its filters kept), or to ``default``."""
    target = request.POST.get("next", "")
    if not target.startswith("/admin/") or target.startswith("//"):
        target = default
    return redirect(target)


@require_POST
def handle_comment(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = PageFeedback.objects.filter(pk=pk).first()
    if feedback is None:
        raise Http404
    if mark_handled(PageFeedback.objects.filter(pk=pk), request.user):
        messages.success(request, gettext("Comment marked handled."))
    return back(
        request, reverse("page_feedback_comments", args=[feedback.page_id, feedback.language])
    )


@require_POST
def handle_all_comments(request: HttpRequest, page_id: int, language: str) -> HttpResponse:
    count = mark_handled(
        PageFeedback.objects.filter(page_id=page_id, language=language), request.user
    )
    messages.success(
        request,
        gettext("%(count)s comments marked handled.") % {"count": number_format(count)},
    )
    return back(request, reverse("page_feedback_comments", args=[page_id, language]))


class PageFeedbackMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)


def menu_item() -> MenuItem:
    return PageFeedbackMenuItem(
        _("Page feedback"),
        reverse("page_feedback_report"),
        name="page-feedback",
        icon_name="help",
        order=1500,
    )


def admin_urls() -> list:
    comments = "reports/page-feedback/<int:page_id>/<str:language>/"
    return [
        path(
            "reports/page-feedback/",
            readers_only(PageFeedbackView.as_view()),
            name="page_feedback_report",
        ),
        path(
            "reports/page-feedback/results/",
            readers_only(PageFeedbackView.as_view(results_only=True)),
            name="page_feedback_report_results",
        ),
        path(
            comments,
            readers_only(PageFeedbackCommentsView.as_view()),
            name="page_feedback_comments",
        ),
        path(
            comments + "results/",
            readers_only(PageFeedbackCommentsView.as_view(results_only=True)),
            name="page_feedback_comments_results",
        ),
        path(
            comments + "handled/",
            readers_only(handle_all_comments, CHANGE_PERMISSION),
            name="page_feedback_handle_all",
        ),
        path(
            "reports/page-feedback/comment/<int:pk>/handled/",
            readers_only(handle_comment, CHANGE_PERMISSION),
            name="page_feedback_handle",
        ),
    ]
