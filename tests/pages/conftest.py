"""Fixtures of the page tests: the clinic translated the way wagtail-localize translates it."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource


@pytest.fixture
def translate(django_capture_on_commit_callbacks):
    """A page translated the way wagtail-localize does it (as ``tests/i18n/conftest.py``)."""

    def translate(page, language: str, publish: bool = True):
        locale = Locale.objects.get(language_code=language)
        source, _created = TranslationSource.get_or_create_from_instance(page)
        for segment in source.stringsegment_set.select_related("string", "context"):
            english = segment.string.data
            slug = segment.context.path.endswith("slug")
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": english if slug else f"[{language}] {english}"},
            )
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale
        )
        with django_capture_on_commit_callbacks(execute=True):
            translation.save_target(publish=publish)
        return page.get_translation(locale).specific

    return translate


@pytest.fixture
def spanish(clinic_site, translate):
    """The clinic in Spanish, with the condition and treatment live; and the French home alone."""
    for page in (clinic_site.home, clinic_site.conditions, clinic_site.treatments):
        translate(page, "es")
    for page in (clinic_site.physicians, clinic_site.physician, clinic_site.contact):
        translate(page, "es")
    treatment = translate(clinic_site.treatment, "es")
    condition = translate(clinic_site.condition, "es")
    # The French home alone, live: a home with no Conditions section yet, where a whole
    # section could be copied.
    french_home = translate(clinic_site.home, "fr")
    return {"condition": condition, "treatment": treatment, "french_home": french_home}
