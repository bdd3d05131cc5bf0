from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from appointments.feedback import page_feedback, page_feedback_comment
from core.security import healthz
from pages.sitemaps import language_sitemap, sitemap_index
from pages.views import robots_txt, search

handler500 = "core.security.server_error"


class FaviconRedirect(RedirectView):
    """Browsers, feed readers and crawlers ask for /favicon.ico whatever the page's ``<link
    rel="icon">`` says: send them to the site's icon, by its hashed static name (so not a
    permanent redirect: the name changes when the icon does)."""

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("img/favicon.svg")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The sitemap index and one sitemap per language (pages.sitemaps).
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<str:language>.xml", language_sitemap, name="sitemap_language"),
    path("robots.txt", robots_txt, name="robots_txt"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every visitor-facing URL carries its language: /en/, /es/, /fr/.
urlpatterns += i18n_patterns(
    path("search/", search, name="search"),
    path("feedback/", page_feedback, name="page_feedback"),
    path("feedback/comment/", page_feedback_comment, name="page_feedback_comment"),
    path("", include(wagtail_urls)),
)
