"""The editors' content checks warn of a search description that search engines would cut (over
160 characters), in whichever language it is, including the summary used in its place."""

import pytest

from pages.content_checks import DESCRIPTION_MAX_LENGTH, description_length_problems

pytestmark = pytest.mark.django_db


def test_a_description_that_fits_in_every_language_raises_no_warning(clinic_site, translate):
    for page in (clinic_site.home, clinic_site.conditions):
        translate(page, "es")
    translate(clinic_site.condition, "es")
    assert description_length_problems(clinic_site.condition) == []


def test_a_translation_too_long_is_reported_in_its_language_from_any_language(
    clinic_site, translate
):
    for page in (clinic_site.home, clinic_site.conditions):
        translate(page, "es")
        translate(page, "fr")
    spanish = translate(clinic_site.condition, "es")
    translate(clinic_site.condition, "fr")
    # A draft the translator has not published yet is what will go live: it counts.
    spanish.search_description = "Sincinesia: " + "síntomas, causas y tratamiento. " * 5
    spanish.save_revision()
    length = len(spanish.search_description)
    assert length > DESCRIPTION_MAX_LENGTH

    for page in (clinic_site.condition, spanish):
        assert description_length_problems(page) == [
            f"The search description in Spanish is {length} characters long; search engines "
            "show about 160. Write a shorter one under “Search description” in the Promote tab."
        ]


def test_the_summary_used_in_place_of_a_description_is_checked(clinic_site):
    condition = clinic_site.condition
    condition.search_description = ""
    condition.summary = "A" * (DESCRIPTION_MAX_LENGTH + 1)
    condition.save_revision().publish()
    [problem] = description_length_problems(condition)
    assert "in English is 161 characters" in problem

    condition.search_description = "Synkinesis explained."
    condition.save_revision()
    assert description_length_problems(condition) == []


def test_the_page_editor_shows_the_warning(client, clinic_site, admin_user):
    condition = clinic_site.condition
    condition.search_description = "B" * 200
    condition.save_revision().publish()
    client.force_login(admin_user)
    response = client.get(f"/admin/pages/{condition.pk}/edit/")
    assert response.status_code == 200
    assert "The search description in English is 200 characters long" in response.text

    condition.search_description = "Short."
    condition.save_revision().publish()
    response = client.get(f"/admin/pages/{condition.pk}/edit/")
    assert "The search description in" not in response.text
