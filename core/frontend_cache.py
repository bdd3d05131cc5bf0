"""Telling the proxy (or CDN) in front of the site to forget pages that changed: Wagtail's
frontend cache (``wagtail.contrib.frontend_cache``), sending ``PURGE <path>`` with the page's
``Host`` to the proxy's purge listener at ``FRONTEND_CACHE_PURGE_URL``.

The proxy keeps what :mod:`core.http_cache` marks public, for ``PUBLIC_CACHE_SECONDS`` at most.
The site's own cache (:mod:`core.cache`) forgets every page at once on any change; the proxy
can only be told one address at a time, so it is told the addresses a change is sure to show
on, and everything else ages out within ``PUBLIC_CACHE_SECONDS``:

- a page published or unpublished (deleting a page unpublishes it first, and each live page
  below it): the pages that show it (:func:`core.dependents.pages_showing`: the page, its live
  translations, the section listing each of them, the pages it links to and those that link to
  it, before and after the publish), and the sitemaps (the index and each language's first
  section);
- a page moved, reordered or given a new slug: the same, at its new place and its old one, and
  the old address of every live page below it;
- a privacy restriction added, changed or removed: the same, and every live page below it.

Left to age out: every page when the clinic settings, an image or a document change, or when a
publish changes what every page shows (a title in the menu; the site's own cache empties then,
``pages.signals``), a listing's later pages (``?page=2``) and any other query string.

Wagtail's own signal handlers purge a published or unpublished page's address alone, while the
change is still uncommitted (a visitor could put the old page back into the proxy before the
commit), and under every language prefix with its English slug (``/es/conditions/synkinesis/``
for a page whose Spanish address is ``/es/afecciones/sincinesia/``). :class:`FrontendCacheConfig`
installs the app without them, and this module's handlers collect every address a transaction
changes and purge them once, when it commits."""

import logging
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import ProxyHandler, build_opener

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import NoReverseMatch, reverse
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.apps import WagtailFrontendCacheAppConfig
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

if TYPE_CHECKING:
    from wagtail.models import Page

logger = logging.getLogger(__name__)


class FrontendCacheConfig(WagtailFrontendCacheAppConfig):
    """``wagtail.contrib.frontend_cache`` with this module's signal handlers instead of Wagtail's
    (the module's docstring says why), installed under Wagtail's name, which Wagtail's other
    apps look for (the redirects purge the old address of each redirect they create, as the
    redirect keeps it: without its final slash, so not the page's own, which is purged here)."""

    def ready(self) -> None:
        from wagtail.models import PageViewRestriction

        for signal, action in (
            (page_published, "published"),
            (page_unpublished, "unpublished"),
        ):
            signal.connect(purge_page, dispatch_uid=f"frontend-cache-page-{action}")
        post_page_move.connect(purge_moved_page, dispatch_uid="frontend-cache-page-moved")
        page_slug_changed.connect(
            purge_renamed_page, dispatch_uid="frontend-cache-page-slug-changed"
        )
        for signal, action in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                purge_restricted_pages,
                sender=PageViewRestriction,
                dispatch_uid=f"frontend-cache-restriction-{action}",
            )


def purging() -> bool:
    """Whether a purge backend is configured (``FRONTEND_CACHE_PURGE_URL``): without one, no
    address is worked out at all."""
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


class PendingPurge:
    """The addresses one transaction changed, purged once when it commits."""

    def __init__(self, urls: Iterable[str]) -> None:
        self.urls = set(urls)
        self.done = False

    def purge(self) -> None:
        self.done = True
        if self.urls:
            PurgeBatch([*self.urls, *sitemap_urls(self.urls)]).purge()


# This thread's current transaction's addresses.
_pending = threading.local()


def purge_after_commit(pages: Iterable["Page"]) -> None:
    """Purge these pages' addresses (each with its ``get_cached_paths()``), and the sitemap of
    each site they are on, once the transaction commits, together with every other address it
    changed, each once (at once outside a transaction). A rollback purges nothing."""
    # Not imported with this module, which INSTALLED_APPS imports before the models are ready.
    from . import framework_internals as internals

    found = PurgeBatch()  # works each address out, with the site roots read once
    found.add_pages(pages)
    pending = getattr(_pending, "current", None)
    if pending is not None and not pending.done and internals.awaits_commit(pending.purge):
        pending.urls.update(found.urls)
        return
    pending = _pending.current = PendingPurge(found.urls)
    # robust: a proxy that fails must not turn a committed change into an error page.
    transaction.on_commit(pending.purge, robust=True)


def sitemap_urls(urls: Iterable[str]) -> set[str]:
    """The sitemaps of each site these URLs are on: the index and each language's file (the
    first section; a language's later sections, ``?p=2``, age out), as a page's alternates
    are in every language's file."""
    try:
        paths = [reverse("sitemap")]
        paths.extend(
            reverse("sitemap_language", kwargs={"language": code})
            for code, _name in settings.LANGUAGES
        )
    except NoReverseMatch:
        return set()
    return {urlunsplit((*urlsplit(url)[:2], path, "", "")) for url in urls for path in paths}


def as_before(page: "Page", url_path: str) -> "Page":
    """A copy of ``page`` at its former ``url_path``, for its former address (as Wagtail's
    redirects work it out)."""
    before = type(page)()
    before.__dict__.update(page.__dict__)
    before.url_path = url_path
    return before


def former_addresses(page: "Page", url_path_before: str) -> list["Page"]:
    """The page and every live page below it, each at the address it had before the page's
    ``url_path`` became what it is now."""
    url_path_after = page.url_path
    below = page.get_descendants().live().defer_streamfields().specific()
    return [
        as_before(page, url_path_before),
        *(
            as_before(descendant, url_path_before + descendant.url_path[len(url_path_after) :])
            for descendant in below
        ),
    ]


def pages_showing(pages: list["Page"], linked_before: Iterable[int] = ()) -> list["Page"]:
    # Not imported with this module, which INSTALLED_APPS imports before the models are ready.
    from .dependents import pages_showing

    return pages_showing(pages, set(linked_before))


def pages_showing_published(page: "Page") -> list["Page"]:
    from .dependents import pages_showing_published

    return pages_showing_published(page)


def purge_page(sender: Any, instance: "Page", **kwargs: Any) -> None:
    """``page_published`` and ``page_unpublished``."""
    if purging():
        purge_after_commit(pages_showing_published(instance))


def purge_moved_page(
    sender: Any,
    instance: "Page",
    parent_page_before: "Page",
    url_path_before: str,
    url_path_after: str,
    **kwargs: Any,
) -> None:
    """``post_page_move``: a move, or a reorder among its siblings (the same ``url_path``)."""
    if not purging():
        return
    instance = instance.specific_deferred
    shown = pages_showing([instance, parent_page_before])
    if url_path_before != url_path_after:
        shown.extend(former_addresses(instance, url_path_before))
    purge_after_commit(shown)


def purge_renamed_page(
    sender: Any, instance: "Page", instance_before: "Page", **kwargs: Any
) -> None:
    """``page_slug_changed``, sent once the new slug is committed, whether it was published or
    saved by wagtail-localize to keep a translation's slug free."""
    if purging():
        shown = [*pages_showing([instance]), *former_addresses(instance, instance_before.url_path)]
        purge_after_commit(shown)


def purge_restricted_pages(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A privacy restriction saved or deleted: a page that became private must leave the proxy
    at once, and the pages that listed it with it."""
    from wagtail.models import Page

    if not purging():
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # deleted with its page, which was unpublished first
        return
    shown = [*pages_showing([page]), *page.get_descendants().live()]
    purge_after_commit(shown)


class ProxyPurgeBackend(HTTPBackend):
    """Wagtail's ``HTTPBackend`` (``PURGE <path>``, ``Host`` the page's host, sent to
    ``LOCATION``), made safe to run while an editor waits for a publish to finish.

    Wagtail's waits as long as the connection does (no time limit), logs an error for every
    address the proxy did not have (ngx_cache_purge answers 404), and tries every address of
    the batch after the proxy has stopped answering. This one waits at most ``TIMEOUT``
    seconds (default 2), takes a 404 for "not in the cache", and gives up the batch at the
    first address that gets no answer, logging once: the rest age out within
    ``PUBLIC_CACHE_SECONDS``. It never goes through an HTTP proxy from the environment."""

    def __init__(self, params: dict[str, Any]):
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", 2))
        super().__init__(params)
        self.opener = build_opener(ProxyHandler({}))

    def purge(self, url: str) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls: Iterable[str]) -> None:
        urls = list(urls)
        for sent, url in enumerate(urls):
            try:
                with self.opener.open(self.request(url), timeout=self.timeout) as response:
                    response.read()
            except HTTPError as error:
                if error.code != 404:
                    logger.error(
                        "The proxy refused to purge %s: %s %s", url, error.code, error.reason
                    )
            except OSError as error:  # refused, unreachable, timed out (URLError is one)
                logger.error(
                    "The proxy's purge listener at %s://%s did not answer (%s): %d addresses "
                    "not purged, which it keeps for PUBLIC_CACHE_SECONDS at most",
                    self.cache_scheme,
                    self.cache_netloc,
                    getattr(error, "reason", error),
                    len(urls) - sent,
                )
                return

    def request(self, url: str) -> PurgeRequest:
        """``PURGE`` of the URL's path and query at the purge listener, for the URL's host (and
        port, if it names one), as Wagtail's ``HTTPBackend`` sends it."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return PurgeRequest(
            url=urlunsplit((self.cache_scheme, self.cache_netloc, parts.path, parts.query, "")),
            headers={"Host": host, "User-Agent": f"Wagtail-frontendcache/{wagtail_version}"},
        )
