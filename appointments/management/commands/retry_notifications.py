from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from appointments.models import ConsultationRequest
from appointments.tasks import acknowledge_visitor, notify_intake


class Command(BaseCommand):
    help = (
        "Queue again the e-mails that have not gone out (for example while the mail server was "
        "down): the intake team's notification of each request, and the acknowledgement to each "
        "visitor who gave an e-mail address and has not been contacted yet. Safe to run from "
        "cron: each goes out once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--minutes",
            type=int,
            default=5,
            help="Only requests received at least this long ago (default: %(default)s).",
        )

    def handle(self, *args, minutes: int, **options) -> None:
        received = ConsultationRequest.objects.filter(
            created_at__lt=timezone.now() - timedelta(minutes=minutes)
        )
        unannounced = list(received.filter(notified_at__isnull=True).values_list("pk", flat=True))
        # Once the intake team has moved a request on, they have spoken to the visitor (or
        # closed it): a late "we have received your request" would only confuse.
        unacknowledged = list(
            received.filter(acknowledged_at__isnull=True, status=ConsultationRequest.Status.NEW)
            .exclude(email="")
            .values_list("pk", flat=True)
        )
        for pk in unannounced:
            notify_intake.enqueue(pk)
        for pk in unacknowledged:
            acknowledge_visitor.enqueue(pk)
        self.stdout.write(
            f"Queued {len(unannounced)} notifications and {len(unacknowledged)} acknowledgements."
        )
