from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    """Consultation and accessibility requests from visitors (built out in the consultation issue)."""

    name = "appointments"
    verbose_name = _("appointments")
