"""Translations follow their English page: when it is published, its translations' source is
brought up to date, as an editor's "Sync translated pages" (without "Publish immediately")
would, so that nobody has to remember to.

New and changed English strings then appear in the translation editor and count as work to do
(``pages.translation_status``, wagtail-localize's Translations report); changed synchronised
values (an image, the reviewing physician) are copied into the translation when a translator
sends it for review. The translated pages themselves, live or draft, are not touched: what
visitors read in Spanish or French changes only when that page's own review approves it.

It runs once the publishing transaction has committed, so a publish rolled back syncs nothing;
a failure to sync is logged and never fails the publish."""

import json
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from wagtail.models import Page
from wagtail.signals import page_published
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import TranslationSource

logger = logging.getLogger(__name__)


def content_of(source: TranslationSource) -> tuple:
    """What a translation of ``source`` is made from: its strings, the values translators may
    adapt, and the synchronised values copied into every language. Not the bookkeeping (the
    revision, the publishing dates) that changes with every publish."""
    model = source.specific_content_type.model_class()
    data = json.loads(source.content_json)
    synchronised = {
        field.field_name: data.get(field.field_name)
        for field in (get_translatable_fields(model) if model else [])
        if not field.is_translated(None)
    }
    return (
        sorted(source.stringsegment_set.values_list("context__path", "string__data")),
        sorted(source.overridablesegment_set.values_list("context__path", "data_json")),
        json.dumps(synchronised, sort_keys=True, default=str),
    )


def sync_translation_sources(page: Page) -> int:
    """Update the translation sources of ``page`` from it; the number whose content changed.

    A source whose content is the same keeps its ``last_updated_at``: publishing a page again
    without changing what its translations are made of leaves them up to date."""
    changed = 0
    for source in TranslationSource.objects.filter(
        object_id=page.translation_key, locale_id=page.locale_id
    ):
        if not source.translations.filter(enabled=True).exists():
            continue
        before, updated_at = content_of(source), source.last_updated_at
        source.update_from_db()
        if content_of(source) == before:
            source.last_updated_at = updated_at
            source.save(update_fields=["last_updated_at"])
        else:
            changed += 1
    return changed


def on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    if instance.alias_of_id or instance.locale.language_code != settings.LANGUAGE_CODE:
        return

    def sync() -> None:
        try:
            sync_translation_sources(instance)
        except Exception:  # the page is published; its translations catch up at the next one
            logger.exception("Could not bring the translations of page %s up to date", instance.pk)

    transaction.on_commit(sync)


def register() -> None:
    page_published.connect(on_page_published, dispatch_uid="sync-translations-on-publish")
