from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from appointments.models import ConsultationRequest
from appointments.tasks import notify_intake


class Command(BaseCommand):
    help = (
        "Queue again the intake notifications that have not gone out (for example while the "
        "mail server was down). Safe to run from cron: a request is announced once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--minutes",
            type=int,
            default=5,
            help="Only requests received at least this long ago (default: %(default)s).",
        )

    def handle(self, *args, minutes: int, **options) -> None:
        cutoff = timezone.now() - timedelta(minutes=minutes)
        pending = ConsultationRequest.objects.filter(
            notified_at__isnull=True, created_at__lt=cutoff
        )
        ids = list(pending.values_list("pk", flat=True))
        for pk in ids:
            notify_intake.enqueue(pk)
        self.stdout.write(f"Queued {len(ids)} notifications.")
