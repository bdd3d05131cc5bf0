from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every other part of the site uses: the clinic settings, the cache, the security
    headers and error pages, and the Jinja2 environment. It imports no other app of the site."""

    name = "core"
    verbose_name = _("clinic")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            two_factor,  # noqa: F401 - connects its signal (recovery codes)
            view_counts,  # noqa: F401 - registers its counter and its Wagtail hook
        )
        from .languages import create_content_locales

        post_migrate.connect(create_content_locales, sender=self)
