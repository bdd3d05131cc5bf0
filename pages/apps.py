from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The content of the public site: page types, StreamField blocks, the header and footer,
    search, the sitemap and the translation and clinical-review set-up."""

    name = "pages"
    verbose_name = _("pages")

    def ready(self) -> None:
        from core import analytics

        from . import medical_reviews, search, signals, tasks
        from .models import search_terms

        analytics.register(search_terms.counter)
        search.register()
        signals.register()
        medical_reviews.register()
        tasks.register()
