"""Work on pages that their editors do not wait for: bringing the translations of a published
English page up to date (:mod:`pages.translation_sync`).

Doing that in the editor's request cost about 57 queries per language the page is translated
into (a physician's approval of a condition page in two languages: 315 queries, in four: 429;
``tests/pages/test_publish_cost.py``). The request now only queues
:func:`sync_page_translations` when its transaction commits (a publish rolled back queues
nothing): 113 queries, whatever the number of languages. In production the task waits in
the database for ``manage.py db_worker`` (the "translations" queue of the "notifications"
backend, after any e-mail waiting there); in development and tests it runs at once.

The task reads the page again by its id, so it works from what is published when it runs, and
it is idempotent: it works in one transaction, so a failed attempt leaves nothing half done
(a source updated but no drafts written would make the next attempt see no change and write
none), and an attempt after a successful one finds nothing changed and writes nothing. A failed
attempt is logged, queued again ``TRANSLATION_SYNC_RETRY_SECONDS`` later (twice as long after
each further failure) and marked failed in the queue; after ``TRANSLATION_SYNC_ATTEMPTS``
attempts the give-up is logged as an error, and the page's next publish tries again.

While a sync is queued or running, the translation status report says its rows are out of date
and being updated (:func:`pending_syncs`, read by :mod:`pages.translation_status`)."""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import IntegerField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page
from wagtail.signals import page_published

from .translation_sync import draft_translations, sync_translation_sources

logger = logging.getLogger(__name__)

TRANSLATIONS_QUEUE = "translations"
# A sync still "running" this long after it started was lost with its worker (killed in the
# middle of it): it no longer counts as in progress. A sync takes seconds.
LOST_AFTER = timedelta(hours=1)


# Below the e-mails of the same worker (priority 0): a patient's acknowledgement never waits
# behind the translations of a dozen pages.
@task(backend="notifications", queue_name=TRANSLATIONS_QUEUE, priority=-10)
def sync_page_translations(page_id: int, attempt: int = 1) -> int:
    """Bring the translations of the English page ``page_id`` up to date: its translation
    sources, then a draft of each translated page whose source changed. The number of drafts
    written; 0 for a page deleted since."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None or page.alias_of_id:
        return 0
    try:
        with transaction.atomic():
            return sum(draft_translations(source) for source in sync_translation_sources(page))
    except Exception:
        retry_or_give_up(page_id, attempt)
        raise  # this attempt is marked failed in the queue, with its traceback


def retry_or_give_up(page_id: int, attempt: int) -> None:
    """After the failed attempt number ``attempt``: queue the next one a while later, or log
    that there will be none."""
    attempts = settings.TRANSLATION_SYNC_ATTEMPTS
    if attempt >= attempts:
        logger.exception(
            "Gave up bringing the translations of page %s up to date after %s attempts; "
            "its next publish tries again.",
            page_id,
            attempt,
        )
        return
    delay = timedelta(seconds=settings.TRANSLATION_SYNC_RETRY_SECONDS * 2 ** (attempt - 1))
    logger.exception(
        "Could not bring the translations of page %s up to date (attempt %s of %s); "
        "trying again in %s.",
        page_id,
        attempt,
        attempts,
        delay,
    )
    queue_sync(page_id, attempt + 1, delay)


def queue_sync(page_id: int, attempt: int = 1, delay: timedelta | None = None) -> None:
    """Queue the sync of page ``page_id``, ``delay`` from now where the backend can wait (the
    immediate backend of development and tests runs it at once). A failure to queue is logged,
    never raised: the page is published, and its next publish queues the sync again."""
    sync = sync_page_translations
    if delay is not None and sync.get_backend().supports_defer:
        sync = sync.using(run_after=timezone.now() + delay)
    try:
        sync.enqueue(page_id=page_id, attempt=attempt)
    except Exception:
        logger.exception("Could not queue the sync of the translations of page %s.", page_id)


def pending_syncs() -> QuerySet[DBTaskResult]:
    """The syncs waiting in the database queue (retries included) or running, each with the id
    of its page as ``page_id``: to filter on ``page_id=OuterRef(...)`` in a subquery. Empty
    with a backend that queues nothing in the database (they ran in the request)."""
    lost = timezone.now() - LOST_AFTER
    return DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING, started_at__gte=lost),
        task_path=sync_page_translations.module_path,
    ).annotate(page_id=Cast(KT("args_kwargs__kwargs__page_id"), IntegerField()))


def on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    """An English page published: once the publish has committed, queue the sync of its
    translations. Its aliases (also announced) and translated pages have nothing to sync."""
    if instance.alias_of_id or instance.locale.language_code != settings.LANGUAGE_CODE:
        return
    page_id = instance.pk
    transaction.on_commit(lambda: queue_sync(page_id))


def register() -> None:
    page_published.connect(on_page_published, dispatch_uid="sync-translations-on-publish")
