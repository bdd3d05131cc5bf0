"""wagtail-localize's translation editor works for translators: the pages a translation links to
are readable through the admin API it asks, and the admin's "not found" is an answer the
editor can read, not a redirect to a visitor's page."""

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def member_of(django_user_model, group_name: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def api_detail(page_pk: int) -> str:
    return f"/admin/api/main/pages/{page_pk}/"


def test_a_translator_reads_the_english_pages_a_translation_links_to(
    client, clinic_site, spanish_site, django_user_model
):
    translator = member_of(django_user_model, "Translators (Spanish)", "traductora")
    client.force_login(translator)
    # The condition's reviewer and treatment are English pages outside the translator's tree.
    for page in (clinic_site.physician, clinic_site.treatment, clinic_site.condition):
        response = client.get(api_detail(page.pk))
        assert response.status_code == 200, page
        assert response.json()["title"] == page.title
    # One page at a time: the English tree does not join their explorer's listings.
    listing = client.get("/admin/api/main/pages/", {"child_of": clinic_site.conditions.pk})
    assert listing.status_code == 400  # "parent page doesn't exist", for them
    top = client.get("/admin/api/main/pages/", {"child_of": "root"}).json()["items"]
    assert [item["meta"]["html_url"] for item in top] == ["http://testserver/es/"]


def test_someone_with_no_pages_to_edit_reads_none(client, clinic_site, django_user_model):
    intake = member_of(django_user_model, "Intake staff", "intake")
    intake.groups.first().permissions.add(
        *Group.objects.get(name="Translators (Spanish)").permissions.filter(codename="access_admin")
    )
    client.force_login(intake)
    response = client.get(api_detail(clinic_site.condition.pk))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/admin/api/main/pages/999999/", "/admin/pages/999999/edit/", "/documents/999999/x.pdf"],
)
def test_a_not_found_outside_the_visitors_site_stays_not_found(admin_client, clinic_site, path):
    """Django's locale middleware redirected every such 404 to /en/…, where Wagtail answers any
    address: the editor then got a visitor's HTML 404 page instead of the API's JSON."""
    response = admin_client.get(path)
    assert response.status_code == 404
    assert not response.get("Location")


def test_a_visitors_address_without_a_language_still_finds_its_language(client, clinic_site):
    response = client.get("/conditions/synkinesis/")
    assert response.status_code == 302
    assert response["Location"] == "/en/conditions/synkinesis/"
