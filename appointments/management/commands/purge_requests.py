from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from appointments.models import ConsultationRequest


class Command(BaseCommand):
    help = (
        "Delete closed and spam requests older than the retention period "
        "(CONSULTATION_RETENTION_DAYS). New, contacted and scheduled requests are never deleted."
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
