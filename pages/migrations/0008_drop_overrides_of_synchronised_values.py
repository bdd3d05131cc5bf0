"""Overrides translators made before synchronised values became non-overridable (0006's code).

wagtail-localize applies a stored override whenever it writes the translated page (a sync, a
publish), whatever the model now declares; so an override of a reviewing physician, a
credential, an image or a link between pages, or of a link to anything but an ``https:``,
``mailto:`` or ``tel:`` address, made before that release would come back. They are deleted;
the English values apply again. Overrides of links translators may adapt are kept.

The rules are the application's own (``pages.translation_rules``), read with the real models:
they live in the page models' declarations, which historical models do not carry."""

import json

from django.core.exceptions import ObjectDoesNotExist
from django.db import migrations


def drop_overrides_of_synchronised_values(apps, schema_editor):
    from wagtail_localize.models import SegmentOverride, TranslationSource

    from pages.translation_rules import is_translators_link, link_refusal

    sources: dict = {}
    refused = []
    for override in SegmentOverride.objects.select_related("context"):
        object_id = override.context.object_id
        if object_id not in sources:
            source = TranslationSource.objects.filter(object_id=object_id).order_by("-pk").first()
            try:
                sources[object_id] = source.get_source_instance() if source else None
            except ObjectDoesNotExist:
                sources[object_id] = None
        instance = sources[object_id]
        if instance is None:
            continue
        try:
            field_path = override.context.get_field_path(instance)
        except (LookupError, AttributeError, KeyError):
            field_path = ""
        try:
            value = json.loads(override.data_json)
        except ValueError:
            value = None
        if not is_translators_link(type(instance), field_path) or link_refusal(value):
            refused.append(override.pk)
    SegmentOverride.objects.filter(pk__in=refused).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0007_medical_review_record"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [
        migrations.RunPython(drop_overrides_of_synchronised_values, migrations.RunPython.noop),
    ]
