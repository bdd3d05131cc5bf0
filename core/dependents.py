"""Which live pages show a page: where a change to it must leave the caches.

A page's content shows on more pages than its own:

- itself in every language: a translation's language switcher and its synchronised values;
- the page above each of those, the section index that lists it (a listing shows its
  children, never pages further down; the home page links to the pages it features, and shows
  on every page anyway);
- the pages that link to it (a treatment that lists it among its conditions, a physician's
  page), and the pages it links to, whose lists are read from links the other way (a location
  page lists the physicians who link to it, a condition page the treatments that name it).

Links are read from Wagtail's reference index (``wagtail.models.ReferenceIndex``), which
records every foreign key, chooser and rich-text link of every page, updated when a page is
saved. A publish that removes a link would leave the page it pointed to out, so the links the
page had before are passed in too (:func:`links_of`, read before the save).

Whatever the number of languages or links, :func:`pages_showing` costs three queries, so a
publish costs the same with two translations or ten."""

from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Page, ReferenceIndex


def page_content_type() -> ContentType:
    # ContentType's own cache: a query once per process.
    return ContentType.objects.get_for_model(Page)


def links_of(page_ids: Collection[int]) -> set[int]:
    """The ids of the pages that link to these pages or that these pages link to, according to
    the reference index as it stands (one query)."""
    if not page_ids:
        return set()
    content_type = page_content_type()
    ids = [str(pk) for pk in page_ids]
    rows = ReferenceIndex.objects.filter(
        Q(base_content_type=content_type, object_id__in=ids, to_content_type=content_type)
        | Q(to_content_type=content_type, to_object_id__in=ids, base_content_type=content_type)
    ).values_list("object_id", "to_object_id")
    linked = {int(pk) for row in rows for pk in row if pk.isdigit()}
    return linked - set(page_ids)


def parent_paths(paths: Iterable[str]) -> set[str]:
    """The tree paths of the parents of pages at ``paths``, the tree's root excluded: it is no
    page of the site and has no address."""
    step = Page.steplen
    return {path[:-step] for path in paths if len(path) > 2 * step}


def pages_showing(pages: Iterable[Page], linked_before: Collection[int] = ()) -> list[Page]:
    """``pages`` and the live pages that show them (this module's docstring), each once, with
    its locale (for its address): three queries. ``linked_before`` are the ids of pages the
    changed pages linked to, or were linked from, before the change (:func:`links_of`)."""
    pages = list(pages)
    if not pages:
        return []
    versions = list(
        Page.objects.live()
        .filter(translation_key__in={page.translation_key for page in pages})
        .select_related("locale")
        .order_by()
    )
    changed = {page.pk: page for page in [*versions, *pages]}
    linked = links_of(changed.keys()) | set(linked_before)
    shown = (
        Page.objects.live()
        .filter(Q(pk__in=linked) | Q(path__in=parent_paths(p.path for p in changed.values())))
        .exclude(pk__in=changed.keys())
        .select_related("locale")
        .order_by()
    )
    return [*changed.values(), *shown]


# The fields of a page that show on pages that do not link to it (the menu, the breadcrumbs, a
# directory's filters, the search's suggestions): a publish that changes one empties the whole
# cache (pages.signals), as does a page's first publish (``live``).
SHARED_FIELDS = ("live", "title", "slug", "show_in_menus", "search_description")


class BeforePublish(NamedTuple):
    """What a page was before a publish: its :data:`SHARED_FIELDS` (None for a new page) and
    the pages it was linked with."""

    values: dict[str, Any] | None
    linked: set[int]


def remember_before_save(sender, instance: Page, update_fields=None, **kwargs: Any) -> None:
    """``pre_save`` of each page type: before a page's row is saved whole, as a publish saves it
    (a draft, a workflow step or a lock saves named fields only), what it was
    (:func:`before_publish`). Two queries, on a publish or a move only."""
    instance.__dict__.pop("_clinic_pages_showing", None)  # worked out for an earlier save
    if update_fields is not None or instance.pk is None or kwargs.get("raw"):
        return
    instance._clinic_before_publish = BeforePublish(
        Page.objects.filter(pk=instance.pk).values(*SHARED_FIELDS).first(),
        links_of([instance.pk]),
    )


def before_publish(page: Page) -> BeforePublish:
    """What ``page`` was before the save that is publishing it; nothing known when it was not
    saved whole in this process (a publish always is)."""
    return getattr(page, "_clinic_before_publish", BeforePublish(None, set()))


def pages_showing_published(page: Page) -> list[Page]:
    """:func:`pages_showing` for a page being published or unpublished, with the pages it was
    linked with before (:func:`before_publish`): worked out once per publish and kept on the
    page, for both caches that forget them (the site's, ``pages.signals``; the proxy's,
    :mod:`core.frontend_cache`)."""
    if "_clinic_pages_showing" not in page.__dict__:
        page._clinic_pages_showing = pages_showing([page], before_publish(page).linked)
    return page._clinic_pages_showing
