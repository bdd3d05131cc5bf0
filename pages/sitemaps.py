"""sitemap.xml for every language: each page with ``xhtml:link`` alternates for its live
translations (and ``x-default`` for the English page), as search engines expect."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from pages.models.base import public


class MultilingualSitemap(Sitemap):
    def items(self):
        homes = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_any_tree = Q()
        for home in homes:
            in_any_tree |= Q(path__startswith=home.path)
        return (
            public(Page.objects.live())
            .filter(in_any_tree)
            .order_by("path")
            # No page type changes its sitemap entry, so the plain pages will do: one query
            # however many page types there are.
            .defer_streamfields()
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        alternates = self.alternates_for(pages)
        urls = []
        for item in pages:
            for url_info in item.get_sitemap_urls(self.request):
                url_info["alternates"] = alternates.get(item.translation_key, [])
                urls.append(url_info)
        return urls

    def alternates_for(self, pages: list[Page]) -> dict:
        """Live translations of these pages, grouped by translation key: one query."""
        translations = (
            public(Page.objects.live())
            .filter(translation_key__in={page.translation_key for page in pages})
            .select_related("locale")
            .order_by("locale__language_code")
        )
        grouped = defaultdict(list)
        for translation in translations:
            location = translation.get_full_url(self.request)
            code = translation.locale.language_code
            grouped[translation.translation_key].append({"lang_code": code, "location": location})
            if code == settings.LANGUAGE_CODE:
                grouped[translation.translation_key].append(
                    {"lang_code": "x-default", "location": location}
                )
        # A page with no other language needs no alternates.
        return {
            key: links
            for key, links in grouped.items()
            if len({link["lang_code"] for link in links} - {"x-default"}) > 1
        }
