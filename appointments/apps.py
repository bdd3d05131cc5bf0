from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    """Consultation and accessibility requests that visitors send to the clinic."""

    name = "appointments"
    verbose_name = _("appointments")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
