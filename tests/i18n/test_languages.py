"""The site's languages are one list, the ``LANGUAGES`` setting: a language added there is offered
to visitors, filtered on in the inbox and given a locale and translators, with nothing else to
change (not even a migration)."""

import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Locale

from appointments.forms import ConsultationRequestForm
from appointments.models import ConsultationRequest
from demo.loader import demo_languages
from pages.translation_setup import translator_group, translator_group_name
from tests.appointments.factories import ConsultationRequestFactory
from tests.appointments.helpers import consultation_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_portuguese(settings):
    """The settings of a clinic that has just added Portuguese, and changed nothing else."""
    settings.LANGUAGES = [*settings.LANGUAGES, ("pt", "Portuguese")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES


def choice_values(choices) -> list[str]:
    return [value for value, _label in choices]


def test_existing_translator_groups_keep_the_names_their_migration_gave_them():
    names = [translator_group_name(code) for code in ("es", "fr")]
    assert names == ["Translators (Spanish)", "Translators (French)"]
    assert sorted(Group.objects.filter(name__in=names).values_list("name", flat=True)) == sorted(
        names
    )


def test_every_content_language_has_a_locale_after_migrate():
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"en", "es", "fr"}


def test_a_fourth_language_is_a_choice_of_the_request_and_of_its_form(with_portuguese):
    for name in ("preferred_language", "submitted_language"):
        field = ConsultationRequest._meta.get_field(name)
        assert choice_values(field.choices) == ["en", "es", "fr", "pt"]
        field.clean("pt", ConsultationRequest())  # a valid value of the model
    form = ConsultationRequestForm(consultation_data(preferred_language="pt"))
    assert choice_values(form.fields["preferred_language"].choices) == ["en", "es", "fr", "pt"]
    assert form.is_valid(), form.errors


def test_a_visitor_can_ask_for_a_consultation_in_a_fourth_language(
    with_portuguese, client, consultation_page
):
    page = BeautifulSoup(client.get(consultation_page.url).content, "html.parser")
    select = page.find("select", attrs={"name": "preferred_language"})
    assert [option["value"] for option in select.find_all("option")] == ["en", "es", "fr", "pt"]

    response = client.post(consultation_page.url, consultation_data(preferred_language="pt"))
    assert response.status_code == 302
    assert ConsultationRequest.objects.get().preferred_language == "pt"


def test_the_inbox_filters_on_a_fourth_language(with_portuguese, admin_client):
    ConsultationRequestFactory(full_name="Rosa Delgado", preferred_language="pt")
    ConsultationRequestFactory(full_name="Ana Rivera", preferred_language="es")
    response = admin_client.get(
        reverse("consultation_requests:index"), {"preferred_language": "pt"}
    )
    page = BeautifulSoup(response.content, "html.parser")
    select = page.find("select", attrs={"name": "preferred_language"})
    assert "pt" in [option.get("value") for option in select.find_all("option")]
    content = response.content.decode()
    assert "Rosa Delgado" in content and "Ana Rivera" not in content


def test_a_fourth_language_gets_a_locale_and_a_translator_group_named_after_it(with_portuguese):
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    assert Locale.objects.filter(language_code="pt").exists()

    assert translator_group_name("pt") == "Translators (Portuguese)"
    group = translator_group("pt")
    assert group.name == "Translators (Portuguese)"
    assert group.permissions.filter(codename="access_admin").exists()


def test_the_demo_is_translated_only_into_languages_it_has_translations_for(settings):
    assert demo_languages() == ["es", "fr"]
    settings.LANGUAGES = [*settings.LANGUAGES, ("pt", "Portuguese")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    assert demo_languages() == ["es", "fr"]  # there is no demo/translations/pt.json


def test_a_fourth_language_needs_no_migration(with_portuguese):
    # Exits with an error if the models no longer match their migrations.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0, stdout=io.StringIO())
