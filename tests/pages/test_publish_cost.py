"""Publishing an English page costs the editor the same whatever the number of languages it is
translated into: the request only queues the work on its translations (``pages.tasks``), which
the worker does after the commit."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import task_backends
from wagtail.models import Locale, WorkflowState
from wagtail_localize.models import StringSegment

from pages.models import ConditionPage
from pages.tasks import sync_page_translations
from pages.translation_setup import REVIEWER_GROUP
from tests.factories.pages import ConditionPageFactory

pytestmark = pytest.mark.django_db

EXTRA_LANGUAGES = [("de", "German"), ("it", "Italian")]


@pytest.fixture
def queued_tasks(settings):
    """The queue production has (a backend that runs nothing in the request), inspectable."""
    settings.TASKS = {
        **settings.TASKS,
        "notifications": {
            **settings.TASKS["notifications"],
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        },
    }
    return task_backends["notifications"]


def translate_page(clinic_site, translate, page, languages: list[str]) -> None:
    for language in languages:
        for parent in (clinic_site.home, clinic_site.conditions):
            if parent.get_translation_or_none(Locale.objects.get(language_code=language)) is None:
                translate(parent, language)
        translate(page, language)


@pytest.fixture
def approve(client, django_user_model, django_capture_on_commit_callbacks):
    """A physician approves a page's clinical review over HTTP; the queries of that request,
    including what runs when its transaction commits (as it does in the request)."""
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    physician = django_user_model.objects.create_user("ana", "ana@example.org", "pw")
    physician.groups.add(Group.objects.get(name=REVIEWER_GROUP))

    def approve(page) -> int:
        page.summary = f"A summary of {page.title} the translators have not seen."
        page.save_revision(user=editor)
        page.get_workflow().start(page, editor)
        state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
        client.force_login(physician)
        url = reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", state.current_task_state.pk],
        )
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post(url, {"comment": ""})
        assert response.status_code in (200, 302)
        assert ConditionPage.objects.get(pk=page.pk).summary == page.summary
        return len(queries)

    return approve


@pytest.fixture
def five_languages(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, *EXTRA_LANGUAGES]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    for code, _name in EXTRA_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def test_an_editor_publishing_a_page_waits_no_longer_for_four_languages_than_for_two(
    clinic_site, translate, five_languages, queued_tasks, approve
):
    two = ConditionPageFactory(parent=clinic_site.conditions, title="Ptosis")
    four = ConditionPageFactory(parent=clinic_site.conditions, title="Bell's palsy")
    translate_page(clinic_site, translate, two, ["es", "fr"])
    translate_page(clinic_site, translate, four, ["es", "fr", "de", "it"])
    # The first approval of the test fills Django's and Wagtail's caches (content types,
    # permissions): a page of its own, so that the two compared find them filled.
    approve(ConditionPageFactory(parent=clinic_site.conditions, title="Facial palsy"))
    queued_tasks.clear()

    with_two, with_four = approve(two), approve(four)

    # The same pages (from the same factory) with the same change: the same queries. Before
    # the sync left the request it was 315 against 429.
    assert with_four == with_two
    # The work on the translations is queued, once per page, not done in the request.
    assert [(result.task.name, result.kwargs) for result in queued_tasks.results] == [
        (sync_page_translations.name, {"page_id": two.pk, "attempt": 1}),
        (sync_page_translations.name, {"page_id": four.pk, "attempt": 1}),
    ]
    assert not StringSegment.objects.filter(string__data=four.summary).exists()

    # What the worker then does brings the four languages up to date.
    sync_page_translations.call(**queued_tasks.results[1].kwargs)
    assert StringSegment.objects.filter(string__data=four.summary).count() == 1
    for language in ("es", "fr", "de", "it"):
        translation = four.get_translation(Locale.objects.get(language_code=language))
        assert translation.latest_revision.as_object().summary == four.summary
