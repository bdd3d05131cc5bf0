"""The site's content languages besides English: Spanish and French."""

from django.db import migrations

LANGUAGES = ["es", "fr"]


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def remove_locales(apps, schema_editor):
    apps.get_model("wagtailcore", "Locale").objects.filter(language_code__in=LANGUAGES).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0002_marketing_editors_group")]

    operations = [migrations.RunPython(create_locales, remove_locales)]
