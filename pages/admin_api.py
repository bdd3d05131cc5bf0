"""The admin API, as wagtail-localize's translation editor needs it for translators.

The editor shows each page a translation links to (the reviewing physician, a treatment option)
by asking the admin API for it. Wagtail answers only for pages the user may explore, and a
translator's permissions stop at their own language's tree: the editor waited forever with
"Fetching page information…". Anyone with pages of their own to edit may read, one page at a
time, the pages of the language the site is written in: the content they translate from."""

from django.conf import settings
from django.db.models import QuerySet
from wagtail import hooks
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.models import Page


class PagesForTranslatorsAPIViewSet(PagesAdminAPIViewSet):
    def get_base_queryset(self) -> QuerySet:
        explorable = super().get_base_queryset()
        # One page's details only: listings and the explorer stay as Wagtail has them.
        if self.action != "detail_view" or not explorable.exists():
            return explorable
        return explorable | Page.objects.filter(locale__language_code=settings.LANGUAGE_CODE)


@hooks.register("construct_admin_api")
def let_translators_read_the_source_pages(router: WagtailAPIRouter) -> None:
    router.register_endpoint("pages", PagesForTranslatorsAPIViewSet)
