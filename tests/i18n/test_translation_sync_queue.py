"""Bringing translations up to date is queued when an English page is published, and done by
the worker (pages.tasks): nothing is queued by a publish rolled back, a failed attempt is tried
again later and given up after the last, and translators see the page as being updated until
the worker is done."""

import logging
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page
from wagtail_localize.models import StringSegment, TranslationSource

from pages.tasks import sync_page_translations
from pages.translation_status import OUT_OF_DATE, UP_TO_DATE, translation_rows

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "A new English summary that no translator has seen."


class Abandoned(Exception):
    pass


def backend(settings, name: str):
    """The notifications backend replaced by another (its queues kept)."""
    settings.TASKS = {
        **settings.TASKS,
        "notifications": {**settings.TASKS["notifications"], "BACKEND": name},
    }
    return task_backends["notifications"]


@pytest.fixture
def queue(settings):
    """A queue that runs nothing by itself, as production's, and shows what is in it."""
    return backend(settings, "django_tasks.backends.dummy.DummyBackend")


@pytest.fixture
def database_queue(settings):
    """Production's queue: the database, which the worker reads."""
    return backend(settings, "django_tasks_db.DatabaseBackend")


def publish_change(page, django_capture_on_commit_callbacks, summary: str = NEW_SUMMARY) -> None:
    page = Page.objects.get(pk=page.pk).specific
    page.summary = summary
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()


def synced(text: str = NEW_SUMMARY) -> bool:
    """Whether the English text is in the translation source: the sync has run."""
    return StringSegment.objects.filter(string__data=text).exists()


def row(page, language: str = "es"):
    return next(row for row in translation_rows([language]) if row.page.pk == page.pk)


def test_a_publish_queues_the_sync_once_it_commits_and_a_rolled_back_one_queues_nothing(
    clinic_site, spanish_site, queue, django_capture_on_commit_callbacks
):
    condition = clinic_site.condition
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                Page.objects.get(pk=condition.pk).specific.save_revision().publish()
                raise Abandoned
        except Abandoned:
            pass
    assert queue.results == []

    # A translated page has nothing to sync.
    with django_capture_on_commit_callbacks(execute=True):
        spanish_site[condition.pk].save_revision().publish()
    assert queue.results == []

    publish_change(condition, django_capture_on_commit_callbacks)
    [queued] = queue.results
    assert (queued.task.name, queued.args, queued.kwargs) == (
        sync_page_translations.name,
        [],
        {"page_id": condition.pk, "attempt": 1},
    )
    assert queued.task.queue_name == "translations"
    assert not synced(), "the request queues the sync and does not run it"


def test_a_failed_sync_is_tried_again_later_and_given_up_after_the_last_attempt(
    clinic_site, spanish_site, queue, settings, monkeypatch, caplog
):
    settings.TRANSLATION_SYNC_ATTEMPTS = 3
    settings.TRANSLATION_SYNC_RETRY_SECONDS = 60

    def broken(self):
        raise RuntimeError("translation memory unavailable")

    monkeypatch.setattr(TranslationSource, "update_from_db", broken)
    condition = clinic_site.condition
    started = timezone.now()
    with caplog.at_level(logging.ERROR, logger="pages.tasks"):
        with pytest.raises(RuntimeError):  # the attempt is marked failed in the queue
            sync_page_translations.call(page_id=condition.pk)
        [second] = queue.results
        assert second.kwargs == {"page_id": condition.pk, "attempt": 2}
        assert started + timedelta(seconds=60) <= second.task.run_after
        assert second.task.run_after <= timezone.now() + timedelta(seconds=60)

        with pytest.raises(RuntimeError):
            sync_page_translations.call(**second.kwargs)
        [_, third] = queue.results
        assert third.kwargs == {"page_id": condition.pk, "attempt": 3}
        assert third.task.run_after >= started + timedelta(seconds=120), "twice as late"

        with pytest.raises(RuntimeError):
            sync_page_translations.call(**third.kwargs)
    assert len(queue.results) == 2, "nothing queued after the last attempt"
    failures = [record.getMessage() for record in caplog.records if record.name == "pages.tasks"]
    assert failures == [
        f"Could not bring the translations of page {condition.pk} up to date (attempt 1 of 3); "
        "trying again in 0:01:00.",
        f"Could not bring the translations of page {condition.pk} up to date (attempt 2 of 3); "
        "trying again in 0:02:00.",
        f"Gave up bringing the translations of page {condition.pk} up to date after 3 "
        "attempts; its next publish tries again.",
    ]


def test_an_attempt_that_failed_half_way_leaves_nothing_done_and_the_retry_does_it_all(
    clinic_site, spanish_site, queue, monkeypatch
):
    condition = Page.objects.get(pk=clinic_site.condition.pk).specific
    condition.summary = NEW_SUMMARY
    condition.save_revision().publish()
    spanish = spanish_site[condition.pk]
    revisions = spanish.revisions.count()

    def draft_fails(*args, **kwargs):
        raise RuntimeError("disk full")

    # The source is updated, then writing the Spanish draft fails.
    with monkeypatch.context() as patch:
        patch.setattr("pages.translation_sync.save_translation_as_draft", draft_fails)
        with pytest.raises(RuntimeError):
            sync_page_translations.call(page_id=condition.pk)
    assert not synced(), "the source's update was undone with the failed draft"
    assert spanish.revisions.count() == revisions

    [retry] = queue.results
    assert sync_page_translations.call(**retry.kwargs) == 1
    assert synced()
    assert Page.objects.get(pk=spanish.pk).specific.latest_revision.as_object().summary == (
        NEW_SUMMARY
    )
    # Once more (a second publish's task, say): nothing changed, nothing written.
    assert sync_page_translations.call(page_id=condition.pk) == 0
    assert spanish.revisions.count() == revisions + 1


def test_a_page_deleted_before_its_sync_ran_is_skipped(clinic_site, queue):
    page_id = clinic_site.privacy.pk
    clinic_site.privacy.delete()
    assert sync_page_translations.call(page_id=page_id) == 0
    assert queue.results == []


def test_translators_see_the_translation_being_updated_until_the_worker_is_done(
    admin_client,
    clinic_site,
    spanish_site,
    database_queue,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    condition = clinic_site.condition
    assert (row(condition).state, row(condition).strings_to_translate) == (UP_TO_DATE, None)

    publish_change(condition, django_capture_on_commit_callbacks)

    [queued] = DBTaskResult.objects.filter(task_path="pages.tasks.sync_page_translations")
    assert queued.status == TaskResultStatus.READY
    assert not synced()
    # Not "Up to date": out of date, being updated, the count not known yet; in the report's
    # five queries.
    with django_assert_max_num_queries(5):
        rows = translation_rows(["es"])
    [updating] = [each for each in rows if each.page.pk == condition.pk]
    assert (updating.state, updating.strings_to_translate) == (OUT_OF_DATE, None)
    assert str(updating.state_label) == "Out of date (being updated)"
    # The other pages are as they were.
    assert row(clinic_site.treatment).state == UP_TO_DATE
    # The report says it, and the Spanish explorer.
    report = admin_client.get(reverse("translation_status"), {"state": OUT_OF_DATE})
    assert "Out of date (being updated)" in report.content.decode()
    spanish = spanish_site[condition.pk]
    explorer = BeautifulSoup(
        admin_client.get(reverse("wagtailadmin_explore", args=[spanish.get_parent().pk])).content,
        "html.parser",
    )
    link = explorer.find("a", href=reverse("wagtailadmin_pages:edit", args=[spanish.pk]))
    status = link.find_parent("tr").find(class_="w-status").get_text(" ", strip=True)
    assert "translation out of date" in status

    # While the worker runs it, too.
    queued.claim("worker-1")
    assert (row(condition).state, row(condition).strings_to_translate) == (OUT_OF_DATE, None)

    worker = Worker(
        queue_names=["default", "translations"],
        interval=0,
        batch=True,
        backend_name="notifications",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-1",
        excluded_queue_names=[],
    )
    worker.run_task(queued)

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert synced()
    done = row(condition)
    assert (done.state, done.strings_to_translate) == (OUT_OF_DATE, 1)
    assert str(done.state_label) == "Out of date"


def test_a_sync_lost_with_its_worker_no_longer_shows_as_being_updated(
    clinic_site, spanish_site, database_queue, django_capture_on_commit_callbacks
):
    condition = clinic_site.condition
    publish_change(condition, django_capture_on_commit_callbacks)
    queued = DBTaskResult.objects.get(task_path="pages.tasks.sync_page_translations")
    queued.claim("worker-killed-mid-task")
    assert row(condition).state == OUT_OF_DATE
    DBTaskResult.objects.filter(pk=queued.pk).update(started_at=timezone.now() - timedelta(hours=2))
    assert row(condition).state == UP_TO_DATE
