"""wagtail-localize's "Translate this page" and "Sync translated pages" in each row of the page
explorer, for the cost of the listing's own query instead of four queries a row.

wagtail-localize's hook for the row's "More" menu (``page_listing_more_buttons``) asks the
database, for every row, whether some locale still lacks a translation of the page, for the
page's translation source, and whether that source has a translation to sync: 238 queries for
a listing of 50 pages. Here the explorer's queryset carries those two answers for every row,
as annotations added by Wagtail's ``construct_explorer_page_queryset`` hook, and
:func:`translation_buttons`, which takes the place of wagtail-localize's hook for the rows,
builds the same buttons from them: the same labels, icons, priorities, URLs and permission.

Why annotations on the explorer's queryset rather than a memo filled on the first row: the
queryset hook is the one place Wagtail hands over the rows before they are read, so the answers
come with them in the same query (correlated subqueries, only for the page of rows shown), and
they travel on each page through ``.specific()``, pagination and the explorer's search, as the
"translation out of date" status already does (``pages.translation_status``). A row hook sees
one page and no request: a memo would need the listing found again from the request, a second
query, and state kept between calls. A page that comes without the annotations (Wagtail's
search across all pages, which has no such hook) is answered by wagtail-localize's own function,
as before.

The page's header menu keeps wagtail-localize's hook: one page, not one per row.

The buttons lead where wagtail-localize's do, so the guards of ``pages.clinical_review`` (its
"Sync translated pages" never publishes a medical page outside review) still answer them."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource
from wagtail_localize.wagtail_hooks import page_listing_more_buttons as localize_buttons

from core.framework_internals import replace_hook

SUBMIT_TRANSLATION = "wagtail_localize.submit_translation"
# wagtail-localize's labels, translated at run time by its own catalogues (Django looks a message
# up in every app's): the same words as its buttons in every language. Kept out of our
# catalogues on purpose (makemessages sees no literal in ``gettext``): a copy there could only
# drift from wagtail-localize's.
TRANSLATE_LABEL = "Translate this page"
SYNC_LABEL = "Sync translated pages"
# The annotations on each page of the explorer's listing.
HAS_LOCALE_TO_TRANSLATE_TO = "localize_has_locale_to_translate_to"
SOURCE_TO_SYNC = "localize_source_to_sync"


def has_locale_to_translate_to() -> Exists:
    """Whether some locale has no translation of the page yet, as wagtail-localize counts them:
    an alias of the page in a locale is no translation there."""
    translated_into = Page.objects.filter(
        translation_key=OuterRef(OuterRef("translation_key")), alias_of__isnull=True
    ).values("locale_id")
    return Exists(Locale.objects.exclude(id__in=translated_into))


def source_to_sync() -> Subquery:
    """The id of the page's translation source (the one made from the page, in its own locale,
    as wagtail-localize finds it) when it has a translation that is enabled; else NULL."""
    return Subquery(
        TranslationSource.objects.filter(
            object_id=OuterRef("translation_key"),
            object__content_type=ContentType.objects.get_for_model(Page),
            locale_id=OuterRef("locale_id"),
            translations__enabled=True,
        ).values("pk")[:1]
    )


@hooks.register("construct_explorer_page_queryset")
def annotate_translation_buttons(
    parent_page: Page, pages: QuerySet, request: HttpRequest
) -> QuerySet:
    """What each row's translation buttons need, read with the rows. Nothing for those who may
    not submit translations: they get no button."""
    if not request.user.has_perm(SUBMIT_TRANSLATION):
        return pages
    return pages.annotate(
        **{
            HAS_LOCALE_TO_TRANSLATE_TO: has_locale_to_translate_to(),
            SOURCE_TO_SYNC: source_to_sync(),
        }
    )


def translation_buttons(
    page: Page, user: Any, next_url: str | None = None, **kwargs: Any
) -> Iterator[Button]:
    """wagtail-localize's buttons for a row of a page listing, built from the row's annotations
    (:func:`annotate_translation_buttons`) when it has them."""
    if not hasattr(page, HAS_LOCALE_TO_TRANSLATE_TO):
        yield from localize_buttons(page, user, next_url=next_url)
        return
    if page.is_root() or not user.has_perm(SUBMIT_TRANSLATION):
        return
    if getattr(page, HAS_LOCALE_TO_TRANSLATE_TO):
        # An alias is translated through the page it is an alias of.
        yield Button(
            _(TRANSLATE_LABEL),
            reverse("wagtail_localize:submit_page_translation", args=[page.alias_of_id or page.id]),
            priority=60,
            icon_name="wagtail-localize-language",
        )
    source_id = getattr(page, SOURCE_TO_SYNC)
    if source_id is not None:
        url = reverse("wagtail_localize:update_translations", args=[source_id])
        if next_url is not None:
            url += "?" + urlencode({"next": next_url})
        yield Button(_(SYNC_LABEL), url, priority=60, icon_name="resubmit")


replace_hook("register_page_listing_more_buttons", localize_buttons, translation_buttons)
