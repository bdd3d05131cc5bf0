from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """Page types, StreamField blocks and the demo content of the public site."""

    name = "pages"
    verbose_name = _("pages")

    def ready(self) -> None:
        from . import signals

        signals.register()
