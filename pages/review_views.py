"""What the people in a review see of it, on every page of the site's own types.

- The reviewer: after "Approve" or "Request changes", from the dashboard or from the page's edit
  view, a message saying what happened (the page is live, and with whose medical review; or the
  changes were sent back to the editor). Wagtail itself says nothing from the dashboard, and
  "Page … has been updated" from the edit view.
- The editor or translator: while the reviewer's changes are waiting, the edit view (Wagtail's, or
  wagtail-localize's translation editor, which it hands over to) opens with the reviewer's name,
  the date and their comment at the top; and a translated page whose original has changed says
  so (``pages.translation_review``).
- The reviewer opening a translation that waits for them: where to compare it with its
  original, and how many of its texts a machine translated.

Wagtail routes a page's admin views through the page viewset registered for its model, so one
viewset for ``BasePage`` covers every page type of the site."""

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, TaskState, WorkflowState

from .models import BasePage, MedicalReview
from .translation_review import compare_message, out_of_date_message


def review_outcome(task_state: TaskState) -> str | None:
    """The reviewer's confirmation of what their action on ``task_state`` did, or None if the
    action did not finish the task (a form with errors, say)."""
    task_state.refresh_from_db()
    workflow_state = task_state.workflow_state
    page = workflow_state.content_object
    title = page.get_admin_display_title()
    if task_state.status == TaskState.STATUS_REJECTED:
        requester = workflow_state.requested_by
        return _(
            "Changes requested on “%(title)s”. %(editor)s sees your comment at the top of the "
            "page when they open it, and it goes back to you once they resubmit it."
        ) % {
            "title": title,
            "editor": (requester.get_full_name() or requester.get_username())
            if requester
            else _("The editor"),
        }
    if task_state.status != TaskState.STATUS_APPROVED:
        return None
    if workflow_state.status != WorkflowState.STATUS_APPROVED:
        next_task = workflow_state.current_task_state
        return _("Approved: “%(title)s” goes on to “%(task)s”.") % {
            "title": title,
            "task": next_task.task.name if next_task else "",
        }
    review = (
        MedicalReview.objects.filter(page_id=page.pk, revision_id=task_state.revision_id)
        .order_by("-pk")
        .first()
    )
    if review is not None:
        return _("Approved: “%(title)s” is live, medically reviewed by %(name)s on %(date)s.") % {
            "title": title,
            "name": review.reviewer_name,
            "date": formats.date_format(review.reviewed_on, "DATE_FORMAT"),
        }
    return _("Approved: “%(title)s” is live.") % {"title": title}


def requested_changes(page: Page) -> str | None:
    """The reviewer's request for changes still waiting on ``page``, as a sentence, or None."""
    workflow_state = page.current_workflow_state
    if workflow_state is None or workflow_state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = workflow_state.current_task_state
    if task_state is None:
        return None
    reviewer = task_state.finished_by
    details = {
        "reviewer": (reviewer.get_full_name() or reviewer.get_username())
        if reviewer
        else _("The reviewer"),
        # In the admin's time zone (the clinic's): in UTC, an evening in New York is tomorrow.
        "date": formats.date_format(timezone.localtime(task_state.finished_at), "DATE_FORMAT")
        if task_state.finished_at
        else "",
        "task": task_state.task.name,
    }
    comment = (task_state.comment or "").strip()
    if comment:
        return _(
            "%(reviewer)s requested changes on %(date)s: “%(comment)s” Make them, then choose "
            "“Resubmit to %(task)s”."
        ) % {**details, "comment": comment}
    return (
        _(
            "%(reviewer)s requested changes on %(date)s, without a comment. Make them, then choose "
            "“Resubmit to %(task)s”."
        )
        % details
    )


class ReviewedPageEditView(EditView):
    def run_hook(self, hook_name: str, *args: Any, **kwargs: Any) -> Any:
        # The first hook runs once the page is loaded and the user's right to edit it checked;
        # wagtail-localize answers it with its translation editor, which shows messages too.
        if hook_name == "before_edit_page" and self.request.method == "GET":
            waiting = requested_changes(self.real_page_record)
            if waiting:
                messages.warning(self.request, waiting)
            stale = out_of_date_message(self.real_page_record)
            if stale:
                messages.warning(self.request, stale)
            compare = compare_message(self.real_page_record, self.request.user)
            if compare:
                url = reverse("compare_translation", args=[self.real_page_record.pk])
                messages.info(
                    self.request,
                    compare,
                    buttons=[messages.button(url, _("Compare with the original"))],
                )
        return super().run_hook(hook_name, *args, **kwargs)

    def perform_workflow_action(self) -> Any:
        task_state = self.page.current_workflow_task_state
        self.reviewed = task_state
        return super().perform_workflow_action()

    def add_save_confirmation_message(self) -> None:
        task_state = getattr(self, "reviewed", None)
        outcome = review_outcome(task_state) if task_state is not None else None
        if outcome is None:
            super().add_save_confirmation_message()
        else:
            messages.success(self.request, outcome)


class ReviewedWorkflowActionView(WorkflowActionView):
    """Approve and Request changes from the dashboard and the page listings."""

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().post(request, *args, **kwargs)
        outcome = review_outcome(self.task_state)
        if outcome is not None:
            messages.success(request, outcome)
        return response


class ReviewedPageViewSet(PageViewSet):
    model = BasePage
    edit_view_class = ReviewedPageEditView
    workflow_action_view_class = ReviewedWorkflowActionView

    def get_common_view_kwargs(self, **kwargs: Any) -> dict:
        # The views look pages up through their model: Page's table, as Wagtail's own viewset
        # does (the abstract base has none).
        return super().get_common_view_kwargs(**{"model": Page, **kwargs})

    @property
    def parent_models(self) -> list:
        # No listing of its own: the explorer lists every section as Wagtail does.
        return []
