"""What visitors answer to "Was this page helpful?" at the foot of condition, treatment and
physician pages (``appointments.feedback``), read by marketing editors in the "Page feedback"
report (``appointments.feedback_reports``).

A row says which page, in which language, on which day, yes or no and, after a "no", what the
visitor chose to add. Nothing tells one visitor from another: no address, no user agent, no
time of day (a time would let a row be matched with a server log), and the comment has e-mail
addresses and phone numbers masked before it is stored. Rows older than the requests' retention
are deleted by :func:`appointments.feedback.purge_page_feedback`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The longest comment a visitor may send, in characters.
COMMENT_MAX_LENGTH = 1000


class PageFeedback(models.Model):
    """One visitor's answer to "Was this page helpful?" about one page."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
        help_text=_("The page the answer is about, in the language it was read in."),
    )
    language = models.CharField(
        _("language"), max_length=16, help_text=_("The language of the page the visitor read.")
    )
    day = models.DateField(_("day"), help_text=_("The day it was sent; no time of day is kept."))
    helpful = models.BooleanField(_("helpful"), help_text=_("Whether the visitor said yes."))
    comment = models.TextField(
        _("comment"),
        blank=True,
        help_text=_(
            "What the visitor added after “no”, with e-mail addresses and phone numbers masked."
        ),
    )
    handled = models.BooleanField(
        _("handled"), default=False, help_text=_("Whether an editor has dealt with the comment.")
    )
    handled_at = models.DateTimeField(
        _("handled at"), null=True, blank=True, help_text=_("When it was marked handled.")
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
        help_text=_("Who marked it handled."),
    )

    class Meta:
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")
        indexes = [
            # The report groups a period's answers by page and language; retention deletes by day.
            models.Index(fields=["day", "page", "language"], name="page_feedback_day_page"),
            models.Index(fields=["page", "language", "day"], name="page_feedback_page_day"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.language} {self.day} {'yes' if self.helpful else 'no'}"
