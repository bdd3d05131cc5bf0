"""What marketing staff can do in the admin: create pages only where they belong, send condition
pages to clinical review, and never reach site settings or users."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from appointments.models import AccessibilityPage
from pages import models

pytestmark = pytest.mark.django_db

# Each page type and the only page types it may be created under.
ALLOWED_PARENTS = {
    models.HomePage: {Page},
    models.ConditionIndexPage: {models.HomePage},
    models.TreatmentIndexPage: {models.HomePage},
    models.PhysicianIndexPage: {models.HomePage},
    models.ConditionPage: {models.ConditionIndexPage},
    models.TreatmentPage: {models.TreatmentIndexPage},
    models.PhysicianPage: {models.PhysicianIndexPage},
    AccessibilityPage: {models.HomePage},
    models.ContactPage: {models.HomePage},
    models.StandardPage: {models.HomePage, models.StandardPage},
}


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("marketing", "m@example.org", "pw")
    user.groups.add(Group.objects.get(name="Marketing editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_each_page_type_exists_only_under_its_allowed_parents():
    for page_type, parents in ALLOWED_PARENTS.items():
        assert set(page_type.allowed_parent_page_models()) == parents, page_type


def test_sections_cannot_be_added_twice_to_the_same_home(clinic_site):
    for page_type in (
        models.ConditionIndexPage,
        models.TreatmentIndexPage,
        models.PhysicianIndexPage,
        AccessibilityPage,
        models.ContactPage,
    ):
        assert not page_type.can_create_at(clinic_site.home), page_type
    assert models.StandardPage.can_create_at(clinic_site.home)


def test_editor_cannot_open_the_create_form_under_a_wrong_parent(editor_client, clinic_site):
    for page_type, parent in (
        (models.ConditionPage, clinic_site.home),
        (models.ConditionPage, clinic_site.treatments),
        (models.TreatmentPage, clinic_site.conditions),
        (models.PhysicianPage, clinic_site.home),
    ):
        url = reverse(
            "wagtailadmin_pages:add",
            args=("pages", page_type._meta.model_name, parent.pk),
        )
        # Wagtail turns the editor away with a "permission denied" redirect to the dashboard.
        response = editor_client.get(url)
        assert response.status_code == 302 and response.url == "/admin/", (page_type, parent)
        before = page_type.objects.count()
        editor_client.post(url, {"title": "Misplaced", "slug": "misplaced", "action-publish": "1"})
        assert page_type.objects.count() == before


def test_editor_creates_a_condition_that_goes_live_when_a_physician_approves_it(
    editor_client, clinic_site, django_user_model
):
    url = reverse(
        "wagtailadmin_pages:add", args=("pages", "conditionpage", clinic_site.conditions.pk)
    )
    assert editor_client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title": "Hemifacial spasm",
            "slug": "hemifacial-spasm",
            "summary": "Twitching on one side of the face.",
            "alternate_names": "",
            "symptoms": streamfield(
                [("symptom", {"name": "Eyelid twitching", "description": "Starts around the eye."})]
            ),
            "causes": streamfield([]),
            "body": streamfield([("paragraph", rich_text("<p>More text.</p>"))]),
            "treatment_options": inline_formset(
                [{"treatment": clinic_site.treatment.pk, "note": "First choice for most."}]
            ),
            "faq": streamfield([]),
            "physician_links": inline_formset([{"physician": clinic_site.physician.pk}]),
            # Editors cannot publish a condition: they submit it to Clinical review.
            "action-submit": "action-submit",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = models.ConditionPage.objects.get(slug="hemifacial-spasm")
    assert not page.live
    physician = django_user_model.objects.create_user("physician", "p@example.org", "pw")
    physician.groups.add(Group.objects.get(name="Physicians (clinical review)"))
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, physician, "approve")
    page.refresh_from_db()
    assert page.live
    assert [option.treatment for option in page.treatment_options.all()] == [
        clinic_site.treatment.page_ptr.specific
    ]
    assert editor_client.get(page.url).status_code == 200
    # The treatment page now lists the new condition without anyone entering it there.
    treatment_html = editor_client.get(clinic_site.treatment.url).content.decode()
    assert "Hemifacial spasm" in treatment_html


def test_editor_can_reach_images_but_not_settings_or_users(editor_client, clinic_site):
    assert editor_client.get(reverse("wagtailimages:index")).status_code == 200
    assert editor_client.get(reverse("wagtailimages:add")).status_code == 200
    settings_url = reverse(
        "wagtailsettings:edit", args=("core", "clinicsettings", clinic_site.site.pk)
    )
    # Wagtail's admin answers "permission denied" with a redirect to the dashboard.
    response = editor_client.get(settings_url)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert editor_client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
    assert editor_client.get(reverse("wagtailusers_groups:index")).status_code in (302, 403)


def test_every_editable_field_has_help_text():
    for page_type in ALLOWED_PARENTS:
        if page_type is models.HomePage or not issubclass(page_type, models.BasePage):
            continue
        own_fields = [
            field
            for field in page_type._meta.get_fields(include_parents=False)
            if field.concrete and not field.auto_created and field.editable
        ]
        for field in own_fields:
            assert field.help_text, f"{page_type.__name__}.{field.name}"
    for field in models.HomePage._meta.get_fields(include_parents=False):
        if field.concrete and not field.auto_created:
            assert field.help_text, f"HomePage.{field.name}"


def test_every_clinic_setting_has_help_text():
    from core.models import ClinicSettings

    for field in ClinicSettings._meta.get_fields(include_parents=False):
        if field.concrete and not field.auto_created and field.name != "site":
            assert field.help_text, f"ClinicSettings.{field.name}"


def test_the_page_editor_keeps_wagtails_checks_and_adds_the_vague_link_rule(
    client, clinic_site, editor
):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[clinic_site.condition.pk]))
    soup = BeautifulSoup(response.content, "html.parser")
    configuration = json.loads(soup.find(id="checker-axe-configuration").string)

    run_only = configuration["options"]["runOnly"]
    assert set(ContentCheckerItem.axe_run_only) < set(run_only)
    assert "link-text-quality" in run_only
    rules = {rule["id"]: rule for rule in configuration["spec"]["rules"]}
    assert rules["link-text-quality"]["any"] == ["check-link-text"]
    checks = {check["id"]: check for check in configuration["spec"]["checks"]}
    assert {"learn more", "click here", "más información", "en savoir plus"} <= set(
        checks["check-link-text"]["options"]["phrases"]
    )
    assert configuration["messages"]["link-text-quality"]["error_name"] == "Link text is vague"
