"""``python manage.py count_proxy_views --listen 127.0.0.1:5514``: counts the page views nginx
answers from its own cache, which it reports over syslog (UDP) to this address
(:mod:`core.proxy_views`; deploy/systemd/clinic-proxy-views.service runs it). SIGTERM (systemd
stopping it) or Ctrl-C writes what was counted and exits."""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from core.proxy_views import ViewListener, serve


def address(value: str) -> tuple[str, int]:
    host, _colon, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--listen takes HOST:PORT, not {value!r}")
    return host.strip("[]"), int(port)


class Command(BaseCommand):
    help = "Count the page views nginx answers from its cache (its syslog lines over UDP)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--listen",
            default="127.0.0.1:5514",
            help="HOST:PORT to listen on, where nginx sends them (default 127.0.0.1:5514)",
        )

    def handle(self, *args, listen: str, **options) -> None:
        where = address(listen)
        stop = threading.Event()
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signal_number, lambda number, frame: stop.set())
        listener = ViewListener(where)
        self.stdout.write(f"Counting nginx's page views on {where[0]}:{where[1]}")
        serve(listener, stop)
