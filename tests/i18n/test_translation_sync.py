"""Publishing an English page brings its translations up to date, so that the new text waits
for translators without anyone syncing by hand: their source, and a draft of each translated
page, while the translated pages visitors read stay as they are until their own review."""

import logging

import pytest
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from tests.factories.pages import ImageFactory

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "A new English summary that no translator has seen."


def publish(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()


def progress(page, language: str) -> tuple[int, int]:
    return Translation.objects.get(
        source__object_id=page.translation_key, target_locale__language_code=language
    ).get_progress()


def test_publishing_the_english_page_puts_its_new_text_before_translators(
    clinic_site, spanish_site, django_capture_on_commit_callbacks
):
    condition = clinic_site.condition
    spanish = spanish_site[condition.pk]
    total, translated = progress(condition, "es")
    assert total == translated
    live_spanish = (spanish.live_revision_id, spanish.summary, spanish.latest_revision_id)

    condition.summary = NEW_SUMMARY
    publish(condition, django_capture_on_commit_callbacks)

    source = TranslationSource.objects.get(object_id=condition.translation_key)
    assert StringSegment.objects.filter(source=source, string__data=NEW_SUMMARY).exists()
    total, translated = progress(condition, "es")
    assert total - translated == 1
    # What Spanish visitors read is untouched.
    spanish = Page.objects.get(pk=spanish.pk).specific
    assert (spanish.live_revision_id, spanish.summary) == live_spanish[:2]
    assert spanish.has_unpublished_changes
    # The Spanish draft holds the Spanish text translated so far and, until a translator
    # reaches it, the new English summary; nobody saved it.
    draft = spanish.latest_revision
    assert draft.pk != live_spanish[2]
    assert draft.user is None
    assert draft.as_object().summary == NEW_SUMMARY
    assert draft.as_object().title == spanish.title


def test_the_draft_takes_the_new_synchronised_values_and_the_live_page_keeps_its_own(
    clinic_site, spanish_site, django_capture_on_commit_callbacks
):
    from pages.translation_status import OUT_OF_DATE, translation_rows

    condition = clinic_site.condition
    spanish = spanish_site[condition.pk]
    old_image = spanish.image_id
    condition.image = ImageFactory()
    publish(condition, django_capture_on_commit_callbacks)

    spanish = Page.objects.get(pk=spanish.pk).specific
    assert spanish.image_id == old_image
    assert spanish.latest_revision.as_object().image_id == condition.image_id
    # Every string is translated, but nobody has sent the new image on for review: visitors
    # still see the old one, so the translation is out of date with nothing to translate.
    [row] = [row for row in translation_rows(["es"]) if row.page.pk == condition.pk]
    assert (row.state, row.strings_to_translate) == (OUT_OF_DATE, 0)


def test_a_translation_waiting_for_its_review_gets_no_draft(
    clinic_site, spanish_site, django_capture_on_commit_callbacks, admin_user
):
    condition = clinic_site.condition
    spanish = spanish_site[condition.pk]
    spanish.get_workflow().start(spanish, admin_user)
    revisions = spanish.revisions.count()

    condition.summary = NEW_SUMMARY
    publish(condition, django_capture_on_commit_callbacks)

    assert spanish.revisions.count() == revisions
    total, translated = progress(condition, "es")
    assert total - translated == 1


def test_publishing_again_without_a_change_writes_no_draft(
    clinic_site, spanish_site, django_capture_on_commit_callbacks
):
    condition = clinic_site.condition
    publish(condition, django_capture_on_commit_callbacks)
    spanish = spanish_site[condition.pk]
    revisions = spanish.revisions.count()
    publish(condition, django_capture_on_commit_callbacks)
    assert spanish.revisions.count() == revisions


def test_publishing_a_translated_page_syncs_nothing(
    clinic_site, spanish_site, django_capture_on_commit_callbacks
):
    before = {s.pk: s.last_updated_at for s in TranslationSource.objects.all()}
    spanish = spanish_site[clinic_site.treatment.pk]
    spanish.title = "Inyecciones de toxina botulínica (revisado)"
    publish(spanish, django_capture_on_commit_callbacks)
    assert {s.pk: s.last_updated_at for s in TranslationSource.objects.all()} == before


def test_a_failed_sync_never_fails_the_publish(
    clinic_site, spanish_site, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(self):
        raise RuntimeError("translation memory unavailable")

    monkeypatch.setattr(TranslationSource, "update_from_db", broken)
    condition = clinic_site.condition
    condition.summary = NEW_SUMMARY
    with caplog.at_level(logging.ERROR, logger="pages.tasks"):
        publish(condition, django_capture_on_commit_callbacks)
    assert Page.objects.get(pk=condition.pk).specific.summary == NEW_SUMMARY
    assert "Could not bring the translations" in caplog.text


def test_publishing_again_without_a_change_leaves_translations_up_to_date(
    clinic_site, spanish_site, django_capture_on_commit_callbacks
):
    from pages.translation_sync import sync_translation_sources

    condition = clinic_site.condition
    source = TranslationSource.objects.get(object_id=condition.translation_key)
    publish(condition, django_capture_on_commit_callbacks)
    source.refresh_from_db()
    updated_at = source.last_updated_at
    publish(condition, django_capture_on_commit_callbacks)
    source.refresh_from_db()
    assert source.last_updated_at == updated_at
    # A synchronised value (the page's image) is a change, though no string changed.
    condition.image = ImageFactory()
    condition.save_revision().publish()
    assert sync_translation_sources(condition) == [source]
    source.refresh_from_db()
    assert source.last_updated_at > updated_at


def test_the_translated_pages_editor_says_it_is_out_of_date(
    client, clinic_site, spanish_site, django_capture_on_commit_callbacks, admin_user
):
    from bs4 import BeautifulSoup
    from django.contrib.messages import get_messages
    from django.urls import reverse

    condition = clinic_site.condition
    spanish = spanish_site[condition.pk]
    edit = reverse("wagtailadmin_pages:edit", args=[spanish.pk])
    client.force_login(admin_user)

    def told() -> list[str]:
        response = client.get(edit)
        return [str(message).strip() for message in get_messages(response.wsgi_request)]

    def header_status() -> list[str]:
        html = BeautifulSoup(client.get(edit).content, "html.parser")
        return [tag.get_text(strip=True) for tag in html.select("header .translation-out-of-date")]

    assert not [m for m in told() if "The original has changed" in m]
    assert header_status() == []
    condition.summary = NEW_SUMMARY
    publish(condition, django_capture_on_commit_callbacks)
    assert (
        "The original has changed: 1 text waits for translation. This page stays as it is for "
        "visitors until its update is approved."
    ) in told()
    # The page's header says it too, beside its "Live" status.
    assert header_status() == ["Translation out of date: 1 text to translate"]
    # The English page's header says nothing of translations.
    html = BeautifulSoup(
        client.get(reverse("wagtailadmin_pages:edit", args=[condition.pk])).content,
        "html.parser",
    )
    assert not html.select(".translation-out-of-date")


def test_the_explorer_lists_the_translation_as_out_of_date(
    client, clinic_site, spanish_site, django_capture_on_commit_callbacks, admin_user
):
    from bs4 import BeautifulSoup
    from django.urls import reverse

    condition = clinic_site.condition
    spanish = spanish_site[condition.pk]
    client.force_login(admin_user)

    def status(parent, page) -> str:
        html = BeautifulSoup(
            client.get(reverse("wagtailadmin_explore", args=[parent.pk])).content, "html.parser"
        )
        row = html.find("a", href=reverse("wagtailadmin_pages:edit", args=[page.pk]))
        return row.find_parent("tr").find(class_="w-status").get_text(" ", strip=True)

    spanish_section = spanish.get_parent()
    assert "translation out of date" not in status(spanish_section, spanish)
    condition.summary = NEW_SUMMARY
    publish(condition, django_capture_on_commit_callbacks)
    assert "live + draft, translation out of date" in status(spanish_section, spanish)
    assert "out of date" not in status(clinic_site.conditions, condition)
