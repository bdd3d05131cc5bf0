"""wagtail-localize's translation editor works for translators: the pages a translation links to
are readable through the admin API it asks, and the admin's "not found" is an answer the
editor can read, not a redirect to a visitor's page."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

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


def test_the_translators_editor_offers_send_for_review_and_no_delete(
    client, clinic_site, spanish_site, django_user_model, admin_user
):
    spanish = spanish_site[clinic_site.condition.pk]
    edit = reverse("wagtailadmin_pages:edit", args=[spanish.pk])
    send = reverse("submit_translation_for_review", args=[spanish.pk])

    def editor(user) -> tuple[bool, dict]:
        client.force_login(user)
        html = BeautifulSoup(client.get(edit).content, "html.parser")
        root = html.find(class_="js-translation-editor")
        props = json.loads(root["data-props"])
        form = html.find("form", action=send)
        offered = form is not None and form.find("input", attrs={"name": "next"})["value"] == edit
        return offered, {
            "delete": props["perms"]["canDelete"],
            "convert": bool(props["links"]["convertToAliasUrl"]),
            "stop hidden": "translation-editor--for-review" in root["class"],
        }

    translator = member_of(django_user_model, "Translators (Spanish)", "traductora")
    assert editor(translator) == (True, {"delete": False, "convert": False, "stop hidden": True})
    assert editor(admin_user) == (False, {"delete": True, "convert": True, "stop hidden": False})


def test_sent_from_the_editor_the_translator_is_answered_in_the_editor(
    client, clinic_site, spanish_site, django_user_model
):
    spanish = spanish_site[clinic_site.condition.pk]
    edit = reverse("wagtailadmin_pages:edit", args=[spanish.pk])
    client.force_login(member_of(django_user_model, "Translators (Spanish)", "traductora"))
    response = client.post(
        reverse("submit_translation_for_review", args=[spanish.pk]), {"next": edit}
    )
    assert response.status_code == 302 and response.url == edit
    # Somewhere else than the admin is not followed.
    response = client.post(
        reverse("submit_translation_for_review", args=[spanish.pk]),
        {"next": "https://elsewhere.example/"},
    )
    assert response.url == reverse("wagtailadmin_explore", args=[spanish.get_parent().pk])
