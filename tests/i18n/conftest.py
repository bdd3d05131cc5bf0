import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource


@pytest.fixture
def translate(django_capture_on_commit_callbacks):
    """Translate a page the way wagtail-localize does: a translation source, a translated string
    for every segment (``prefix`` + the English text, unless ``strings`` says otherwise), then
    the target page, published. Parents must be translated before their children."""

    def translate(page, language: str, strings: dict[str, str] | None = None, prefix: str = ""):
        locale = Locale.objects.get(language_code=language)
        source, _created = TranslationSource.get_or_create_from_instance(page)
        for segment in source.stringsegment_set.select_related("string", "context"):
            english = segment.string.data
            text = (strings or {}).get(english)
            if text is None:
                text = english if segment.context.path.endswith("slug") else prefix + english
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": text},
            )
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale
        )
        with django_capture_on_commit_callbacks(execute=True):
            translation.save_target(publish=True)
        return page.get_translation(locale).specific

    return translate


@pytest.fixture
def spanish_site(clinic_site, consultation_page, translate):
    """The whole small clinic in Spanish."""
    translated = {}
    pages = [
        clinic_site.home,
        clinic_site.conditions,
        clinic_site.treatments,
        clinic_site.physicians,
        clinic_site.physician,
        clinic_site.treatment,
        clinic_site.condition,
        clinic_site.accessibility,
        clinic_site.contact,
        clinic_site.privacy,
        consultation_page,
    ]
    names = {
        "Synkinesis": "Sincinesia",
        "synkinesis": "sincinesia",
        "Conditions": "Afecciones",
        "conditions": "afecciones",
        "Involuntary movement of facial muscles.": "Movimiento involuntario de los músculos.",
        "Softens eye closure.": "Suaviza el cierre del ojo.",
    }
    for page in pages:
        translated[page.pk] = translate(page, "es", names, prefix="[es] ")
    return translated
