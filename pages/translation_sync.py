"""Translations follow their English page: when it is published, its translations are brought
up to date, as an editor's "Sync translated pages" (without "Publish immediately") would, so
that nobody has to remember to.

1. The translation source is updated from the English page: new and changed English strings
   appear in the translation editor and count as work to do (``pages.translation_status``).
2. Each translated page gets a draft revision from it (:func:`save_translation_as_draft`): the
   new synchronised values (an image, the reviewing physician), the strings translated so far
   and, until translators reach them, the new English strings. A page waiting for its review
   is left alone (its translator sends it again once the new text is translated).

What visitors read in Spanish or French is not touched: the translated page changes only when
its own review approves it. A page whose English content did not change (published again as it
was) gets neither.

It runs in the task queue, after the publishing transaction has committed (``pages.tasks``):
a publish rolled back syncs nothing, the editor does not wait for it, and a failure is logged,
retried and never fails the publish."""

import json
from typing import Any

from wagtail.coreutils import find_available_slug
from wagtail.models import Page
from wagtail_localize.fields import copy_synchronised_fields, get_translatable_fields
from wagtail_localize.models import (
    OverridableSegment,
    SegmentOverride,
    Translation,
    TranslationSource,
)
from wagtail_localize.segments import OverridableSegmentValue
from wagtail_localize.segments.ingest import ingest_segments

from .translation_rules import is_translators_link, link_refusal


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


def sync_translation_sources(page: Page) -> list[TranslationSource]:
    """Update the translation sources of ``page`` from it; those whose content changed.

    A source whose content is the same keeps its ``last_updated_at``: publishing a page again
    without changing what its translations are made of leaves them up to date."""
    changed = []
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
            changed.append(source)
    return changed


def save_translation_as_draft(translation: Translation, user: Any, fallback: bool = False) -> Page:
    """The translated strings as a new draft revision of the translated page; with
    ``fallback``, the English text where a string has no translation (else
    ``MissingTranslationError``).

    wagtail-localize's ``save_target(publish=False)`` saves the page row itself, and for a page
    that is already live that row *is* what visitors see: the unreviewed translation would go
    live at once. Here only a revision is written; the live page changes when it is published."""
    source = translation.source
    original = source.as_instance()
    page = translation.get_target_instance()
    overrides = allowed_overrides(translation, original)
    copy_synchronised_fields(original, page)
    segments = [
        segment
        for segment in source._get_segments_for_translation(
            translation.target_locale, fallback=fallback
        )
        if not isinstance(segment, OverridableSegmentValue) or segment.path in overrides
    ]
    ingest_segments(original, page, source.locale, translation.target_locale, segments)
    page.slug = find_available_slug(page.get_parent(), page.slug, ignore_page_id=page.pk)
    page.save_revision(user=user, log_action=True)
    return page


def allowed_overrides(translation: Translation, original) -> set[str]:
    """The paths of the overrides that the rules accept today. An override stored before a
    value was made synchronised, or before the link checks, is left out: the English value
    stays."""
    allowed = set()
    for segment in OverridableSegment.objects.filter(source=translation.source).select_related(
        "context"
    ):
        try:
            field_path = segment.context.get_field_path(original)
        except (LookupError, AttributeError):
            continue
        if not is_translators_link(type(original), field_path):
            continue
        override = SegmentOverride.objects.filter(
            context=segment.context, locale=translation.target_locale
        ).first()
        if override is None or link_refusal(override.data) is None:
            allowed.add(segment.context.path)
    return allowed


def draft_translations(source: TranslationSource) -> int:
    """A draft revision of each page translated from ``source``, from its updated content, with
    the English text where a string has no translation yet; the number written. Pages not
    translated yet, and pages waiting for their review, are left as they are."""
    drafted = 0
    for translation in source.translations.filter(enabled=True).select_related(
        "source", "source__locale", "target_locale"
    ):
        try:
            page = translation.get_target_instance()
        except Page.DoesNotExist:
            continue
        if not isinstance(page, Page) or page.alias_of_id:
            continue
        if page.workflow_states.active().exists():
            continue
        save_translation_as_draft(translation, None, fallback=True)
        drafted += 1
    return drafted
