"""The record of a page's medical reviews: each approval of the "Clinical review" task by a
physician (``pages.medical_reviews`` writes it). Names the models it links by label, so that no
page family is imported here and every family may use it."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MedicalReview(models.Model):
    """One physician's approval of a condition or treatment page: who, on which day, and which
    revision they approved. Visitors see the latest review of the page the content was written
    in (the site's language); see :class:`pages.models.base.MedicallyReviewedMixin`."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="medical_reviews",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The version of the page the physician approved."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Read from the user's profile when the review is recorded (reviews made before the records
    # existed have a physician and no user): the byline links it.
    physician = models.ForeignKey(
        "pages.PhysicianPage",
        verbose_name=_("physician"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as it was on the day, so that the byline still names a reviewer without a profile,
    # or whose account was deleted since.
    reviewer_name = models.CharField(_("reviewer's name"), max_length=255, blank=True)
    reviewed_on = models.DateField(_("reviewed on"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("medical review")
        verbose_name_plural = _("medical reviews")
        ordering = ["-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["page", "-reviewed_on"])]

    def __str__(self) -> str:
        return f"{self.reviewer_name} {self.reviewed_on:%Y-%m-%d}"

    @property
    def default_next_review(self) -> datetime.date:
        """The day the next review falls due unless an editor chose another."""
        return self.reviewed_on + datetime.timedelta(days=settings.MEDICAL_REVIEW_INTERVAL_DAYS)


class ReviewReminder(models.Model):
    """That a physician was told a page's review fell due: ``send_review_reminders`` sends each
    (page, due date) once, however often it runs."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "due_on"], name="one_reminder_per_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.due_on:%Y-%m-%d}"
