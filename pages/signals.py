"""What happens when pages appear or change: a new language home or clinical section gets its
translators or review workflow, and what visitors see changing empties the page cache.

The page cache (:mod:`core.cache`) listens to Wagtail's signals for what visitors see, never to
a page's row being saved: a draft save, an autosave, a workflow step, a lock or a translator's
draft all save the row and change nothing a visitor sees.

The common change, a live page published again with new content, leaves the cache only where
the page shows (:func:`on_page_published`): the page in every language, the section listing
each, the pages that link to it and those it links to (:func:`core.dependents.pages_showing`).
Everything else stays cached, so a day of editing and translating keeps the public site at
cached speed. A publish that changes what every page shows starts a new content generation
instead, which empties the cache of the whole site: a page's first publish (it joins listings,
menus and language switchers), a new title, slug, menu flag or search description (the menu,
the breadcrumbs, the directory's filters and the search's suggestions show them), and any
publish of a page whose content is on every page (``shown_on_every_page``: the home page, the
clinic's locations in the footer, the legal notices).

So do these, and the signal that says so:

- a page unpublished, by an editor, by ``publish_scheduled`` when it expires, or with its
  subpages, one signal per page (``page_unpublished``);
- a page's slug changed without a publish, as wagtail-localize does to keep a translation's slug
  free (``page_slug_changed``, sent when the transaction commits);
- a page moved, or reordered among its siblings in the explorer, which is a move too
  (``post_page_move``);
- a page deleted, with everything below it: Wagtail unpublishes each live page of the branch
  first (``page_unpublished``), and Django deletes every page through the ``Page`` table, so
  ``post_delete`` of ``Page`` comes once for each, whatever its type, live or not;
- a page created live without being published: a page made by code (the demo content), an
  alias Wagtail or wagtail-localize makes of a live page, a copy kept live (``post_save`` of
  each page type, only for a new row that is live);
- what pages show besides pages: the clinic settings, images (and a deleted rendition),
  documents (rich text links to them by file name), sites, locales and privacy restrictions.

Not caught, on purpose, because nothing tells it from a draft save or there is no signal at
all: a script or data migration that changes a live page's row with ``save()`` instead of
publishing a revision, and ``QuerySet.update()`` (e.g.
``Page.objects.filter(...).update(live=False)``). Whole pages and fragments cached before stay
until the next change or ``PAGE_CACHE_SECONDS`` (routes still check that the page is live);
such a script should call ``core.cache.invalidate_site_content()`` when it is done."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from core.cache import invalidate_pages, invalidate_site_content
from core.dependents import (
    SHARED_FIELDS,
    before_publish,
    pages_showing_published,
    remember_before_save,
)
from core.models import ClinicSettings

from .models import ConditionIndexPage, HomePage, TreatmentIndexPage
from .translation_setup import attach_to_page


def on_page_created(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """Attach translators or the review workflow to a page that needs them, once, when it is
    created (by an editor, the demo loader, a translator or a migration)."""
    if created and not raw:
        attach_to_page(instance)


def on_page_row_saved(sender, instance: Page, created: bool, **kwargs) -> None:
    """A page created live shows at once, without ever being published; every other save of a
    page's row (a draft, an autosave, a workflow step, a lock) changes nothing visitors see."""
    if created and instance.live:
        invalidate_site_content()


def on_page_published(sender, instance: Page, **kwargs: Any) -> None:
    """Forget the cached pages that show ``instance`` (the module's docstring), or every page
    when the publish changes what they all show."""
    before = before_publish(instance)
    if (
        before.values is None
        or not before.values["live"]
        or getattr(instance, "shown_on_every_page", True)
        or any(before.values[name] != getattr(instance, name) for name in SHARED_FIELDS)
    ):
        invalidate_site_content()
    else:
        invalidate_pages(pages_showing_published(instance))


def register() -> None:
    for model in (HomePage, ConditionIndexPage, TreatmentIndexPage):
        post_save.connect(on_page_created, sender=model, dispatch_uid=f"attach-{model.__name__}")

    # The page cache (core.cache): Wagtail's page signals come from every page type.
    page_published.connect(on_page_published, dispatch_uid="page-cache-page-published")
    for signal, action in (
        (page_unpublished, "unpublished"),
        (page_slug_changed, "slug-changed"),
        (post_page_move, "moved"),
    ):
        signal.connect(invalidate_site_content, dispatch_uid=f"page-cache-page-{action}")
    post_delete.connect(
        invalidate_site_content, sender=Page, dispatch_uid="page-cache-page-deleted"
    )
    for model in get_page_models():
        post_save.connect(
            on_page_row_saved, sender=model, dispatch_uid=f"page-cache-{model._meta.label}-created"
        )
        pre_save.connect(
            remember_before_save,
            sender=model,
            dispatch_uid=f"page-cache-{model._meta.label}-before",
        )

    for model in (
        ClinicSettings,
        get_image_model(),
        get_document_model(),
        Site,
        Locale,
        PageViewRestriction,
    ):
        for action, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                invalidate_site_content,
                sender=model,
                dispatch_uid=f"page-cache-{model.__name__}-{action}",
            )
    # A deleted rendition's file is gone: no process may keep showing it (the renditions cache).
    # New renditions need nothing: they are looked up by what they are made from.
    post_delete.connect(
        invalidate_site_content,
        sender=get_image_model().get_rendition_model(),
        dispatch_uid="page-cache-rendition-deleted",
    )
