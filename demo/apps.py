from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo clinic: its content, images and translations, and the commands that load it
    (``load_demo_content``) and make its users (``create_demo_admin``). Nothing imports it."""

    name = "demo"
    verbose_name = _("demo clinic")
