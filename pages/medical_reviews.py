"""Medical reviews: a physician's approval of the "Clinical review" task is recorded as a
:class:`~pages.models.MedicalReview` (who, the day, the revision approved), which the byline and
the search-engine data read; and which pages are due for their next review (the report, the
physicians' dashboard panel and the daily reminders read :func:`due_rows`)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page, Revision, TaskState
from wagtail.signals import task_approved

from core.cache import invalidate_site_content

from .models import ConditionPage, MedicalReview, PhysicianPage, TreatmentPage
from .models.base import review_due
from .translation_setup import REVIEWER_GROUP

# The pages that carry a medical review.
REVIEWED_MODELS = (ConditionPage, TreatmentPage)
# "Due soon": within this many days.
DUE_SOON_DAYS = 30


def physician_for(user: Any) -> PhysicianPage | None:
    """The physician profile of a user, in the site's language when it has one."""
    if user is None or not user.pk:
        return None
    profiles = PhysicianPage.objects.filter(user=user).select_related("locale")
    return min(
        profiles,
        key=lambda page: (page.locale.language_code != settings.LANGUAGE_CODE, page.pk),
        default=None,
    )


def record_review(
    page: Page,
    *,
    user: Any = None,
    physician: PhysicianPage | None = None,
    revision: Revision | None = None,
    on: datetime.date | None = None,
) -> MedicalReview:
    """Record that ``page`` was medically reviewed: by ``user`` (whose profile is looked up
    unless ``physician`` is given), on ``on`` (today by default)."""
    if physician is None:
        physician = physician_for(user)
    if physician is not None:
        name = physician.display_name
    elif user is not None:
        name = user.get_full_name() or user.get_username()
    else:
        name = ""
    review = MedicalReview.objects.create(
        page=page,
        revision=revision,
        user=user,
        physician=physician,
        reviewer_name=name,
        reviewed_on=on or timezone.localdate(),
    )
    for name in ("medical_review", "reviewer"):  # read before, on this page object
        page.__dict__.pop(name, None)
    # The byline changes on every language's page, not only the one published (a new content
    # generation now and again when the transaction commits).
    invalidate_site_content()
    return review


def on_task_approved(sender: Any, instance: TaskState, user: Any = None, **kwargs: Any) -> None:
    """A physician approving the clinical review of a condition or treatment page reviews it.

    Only a member of the physicians' group counts: a superuser may approve any task, but that
    is no medical review. The task is recognised by that group (its name may be changed)."""
    if user is None:
        return
    task = instance.task.specific
    groups = getattr(task, "groups", None)
    if groups is None or not groups.filter(name=REVIEWER_GROUP).exists():
        return
    if not user.groups.filter(name=REVIEWER_GROUP).exists():
        return
    page = instance.workflow_state.content_object
    if not isinstance(page, Page) or not issubclass(page.specific_class, REVIEWED_MODELS):
        return
    record_review(page, user=user, revision=instance.revision)


def register() -> None:
    task_approved.connect(on_task_approved, dispatch_uid="medical-review-on-approval")


@dataclass
class ReviewDue:
    """A medical page and its next review: a row of the report, the panel and the reminders."""

    page: Page
    review: MedicalReview | None
    due: datetime.date | None
    # How due, in words: set by the report and the panel for the day they show.
    status: Any = ""

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def language(self) -> str:
        return self.page.locale.get_display_name()

    @property
    def reviewer(self) -> str:
        return self.review.reviewer_name if self.review else ""

    @property
    def last_reviewed(self) -> datetime.date | None:
        return self.review.reviewed_on if self.review else None

    @property
    def reviewer_user_id(self) -> int | None:
        """The account the reminder goes to: the one that approved, else the profile's."""
        if self.review is None:
            return None
        if self.review.user_id:
            return self.review.user_id
        return self.review.physician.user_id if self.review.physician else None

    def is_overdue(self, today: datetime.date) -> bool:
        # A page never reviewed is overdue.
        return self.due is None or self.due < today

    def is_due_by(self, day: datetime.date) -> bool:
        return self.due is None or self.due <= day


def due_rows(pages: Iterable[Page] | None = None) -> list[ReviewDue]:
    """Every condition and treatment page (or those given) with its review and next due date,
    soonest first. A translation's review is its original's. The medical pages number in the
    hundreds at most: three queries read them all, and the rows are filtered here."""
    if pages is None:
        pages = [
            page
            for model in REVIEWED_MODELS
            for page in model.objects.select_related("locale").order_by("pk")
        ]
    pages = list(pages)
    reviews: dict[tuple[Any, str], MedicalReview] = {}
    own: dict[int, MedicalReview] = {}
    for record in (
        MedicalReview.objects.filter(page__translation_key__in={p.translation_key for p in pages})
        .select_related("physician", "page__locale")
        .order_by("reviewed_on", "pk")  # the latest last, so that it wins
    ):
        reviews[(record.page.translation_key, record.page.locale.language_code)] = record
        own[record.page_id] = record
    # A translation's next review is its original's, as its last one is (the date copied into
    # it when it was last synchronised may be older).
    originals = {
        page.translation_key: page
        for page in pages
        if page.locale.language_code == settings.LANGUAGE_CODE
    }
    rows = []
    for page in pages:
        review: MedicalReview | None = reviews.get(
            (page.translation_key, settings.LANGUAGE_CODE)
        ) or own.get(page.pk)
        chosen = originals.get(page.translation_key, page).next_review_due
        rows.append(ReviewDue(page, review, review_due(review, chosen)))
    return sorted(rows, key=lambda row: (row.due or datetime.date.min, row.page.pk))
