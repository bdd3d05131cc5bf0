from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every other part of the site uses: the clinic settings, the cache, the security
    headers and error pages, and the Jinja2 environment. It imports no other app of the site."""

    name = "core"
    verbose_name = _("clinic")
