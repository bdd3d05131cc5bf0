from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from appointments.feedback import purge_page_feedback
from appointments.models import ConsultationRequest
from core.view_counts import purge_view_counts
from pages.models.search_terms import purge_search_terms

# What else is kept about visitors, each deleted after its own retention: the daily page-view
# counts and the search terms after ANALYTICS_RETENTION_MONTHS, the page feedback with the
# requests (docs/privacy.md).
PURGES = (
    ("page-view counts", purge_view_counts),
    ("search-term counts", purge_search_terms),
    ("page feedback answers", purge_page_feedback),
)


class Command(BaseCommand):
    help = (
        "Delete closed and spam requests older than the retention period "
        "(CONSULTATION_RETENTION_DAYS). New, contacted and scheduled requests are never deleted. "
        "Also deletes the page-view and search-term counts older than ANALYTICS_RETENTION_MONTHS "
        "and the page feedback older than the requests' retention."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            default=None,
            help="Retention in days (default: %(default)s, i.e. the setting).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go; delete nothing."
        )

    def handle(self, *args, older_than: int | None, dry_run: bool, **options) -> None:
        days = settings.CONSULTATION_RETENTION_DAYS if older_than is None else older_than
        if days < 0:
            self.stderr.write("--older-than must be zero or more days.")
            raise SystemExit(2)
        cutoff = timezone.now() - timedelta(days=days)
        expired = ConsultationRequest.objects.filter(
            status__in=[ConsultationRequest.Status.CLOSED, ConsultationRequest.Status.SPAM],
            updated_at__lt=cutoff,
        )
        count = expired.count()
        if dry_run:
            self.stdout.write(
                f"{count} requests closed or marked spam before {cutoff:%Y-%m-%d} "
                "would be deleted (dry run, nothing deleted)."
            )
            return
        expired.delete()
        self.stdout.write(
            f"Deleted {count} requests closed or marked spam before {cutoff:%Y-%m-%d}."
        )
        now = timezone.now()
        for name, purge in PURGES:
            self.stdout.write(f"Deleted {purge(now)} {name} past their retention.")
