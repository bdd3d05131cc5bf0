from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicSiteConfig(AppConfig):
    """The project package doubles as the app that holds the clinic-wide site settings."""

    name = "clinic_site"
    verbose_name = _("clinic")
