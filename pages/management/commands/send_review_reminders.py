"""Daily (cron): tell each physician which of the pages they reviewed fell due for review."""

from collections import defaultdict
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pages.medical_reviews import ReviewDue, due_rows
from pages.models import ReviewReminder


class Command(BaseCommand):
    help = (
        "E-mail each physician the pages they reviewed whose next medical review is due. "
        "Each page is sent once for each due date, however often this runs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        pending: dict[int, list[tuple[ReviewDue, date]]] = defaultdict(list)
        for row in due_rows():
            # The page the physician reviewed; its translations follow the same review.
            if row.review is None or row.due is None or row.review.page_id != row.page.pk:
                continue
            user_id = row.reviewer_user_id
            if row.due > today or user_id is None:
                continue
            if ReviewReminder.objects.filter(page=row.page, due_on=row.due).exists():
                continue
            pending[user_id].append((row, row.due))

        users = get_user_model().objects.in_bulk(pending)
        sent = 0
        for user_id, rows in pending.items():
            user = users.get(user_id)
            if user is None or not user.is_active or not user.email:
                continue
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                for row, due in rows:
                    ReviewReminder.objects.create(page=row.page, due_on=due, user=user)
                send_mail(
                    _("Pages due for medical review"),
                    reminder_text(rows),
                    None,
                    [user.email],
                )
            sent += 1
        self.stdout.write(f"Reminders sent: {sent}")


def reminder_text(rows: list[tuple[ReviewDue, date]]) -> str:
    """The e-mail: each page's title, language, due date and where to edit it. Pages only:
    nothing from consultation requests or any other patient data."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    lines = [_("These pages you reviewed are due for their next medical review:"), ""]
    for row, due in rows:
        lines.append(
            _("%(title)s (%(language)s), due %(date)s")
            % {
                "title": row.title,
                "language": row.language,
                "date": date_format(due, "DATE_FORMAT"),
            }
        )
        lines.append(base + reverse("wagtailadmin_pages:edit", args=[row.page.pk]))
    return "\n".join(lines) + "\n"
