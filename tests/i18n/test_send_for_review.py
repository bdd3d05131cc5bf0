"""A translation with untranslated text is not sent to the physicians: the translator is told
which fields are missing, and nothing is saved; a complete one is sent. Previews of pages in the
admin run no inline script, whoever typed the page."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page, Revision, WorkflowState
from wagtail_localize.models import StringTranslation, Translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def translator(client, django_user_model):
    user = django_user_model.objects.create_user("traductora", "t@example.org", "pw")
    user.groups.add(Group.objects.get(name="Translators (Spanish)"))
    client.force_login(user)
    return user


@pytest.fixture
def spanish_condition(clinic_site, spanish_site):
    return spanish_site[clinic_site.condition.pk]


def untranslate(english_text: str) -> None:
    StringTranslation.objects.filter(
        locale__language_code="es", translation_of__data=english_text
    ).delete()


def send(client, page):
    return client.post(reverse("submit_translation_for_review", args=[page.pk]))


def messages_of(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def revisions_of(page) -> int:
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


def test_a_translation_with_a_missing_string_is_not_sent_and_the_field_is_named(
    client, clinic_site, spanish_condition, translator
):
    untranslate(clinic_site.condition.summary)
    revisions = revisions_of(spanish_condition)

    response = send(client, spanish_condition)

    assert response.status_code == 302
    told = messages_of(response)
    assert "Not sent for review" in told
    assert "Summary" in told
    assert not WorkflowState.objects.filter(object_id=str(spanish_condition.pk)).exists()
    assert revisions_of(spanish_condition) == revisions


def test_a_missing_paragraph_is_named_by_its_place_in_the_body(
    client, clinic_site, spanish_condition, translator
):
    untranslate("More about it.")

    response = send(client, spanish_condition)

    assert response.status_code == 302
    assert "Body → Paragraph 1" in messages_of(response)
    assert not WorkflowState.objects.filter(object_id=str(spanish_condition.pk)).exists()


def test_a_missing_treatment_note_is_named_with_its_treatment_option(
    client, clinic_site, spanish_condition, translator
):
    untranslate("Softens eye closure.")

    response = send(client, spanish_condition)

    assert response.status_code == 302
    assert re.search(r"Treatment option\w* 1 → Note", messages_of(response)), messages_of(response)


def test_a_translation_completed_after_a_refusal_is_sent_for_review(
    client, clinic_site, spanish_condition, translator
):
    summary = StringTranslation.objects.get(
        locale__language_code="es", translation_of__data=clinic_site.condition.summary
    )
    text = summary.data
    summary.delete()
    assert send(client, spanish_condition).status_code == 302
    assert not WorkflowState.objects.filter(object_id=str(spanish_condition.pk)).exists()

    StringTranslation.objects.create(
        translation_of=summary.translation_of,
        locale=summary.locale,
        context=summary.context,
        data=text,
    )
    response = send(client, spanish_condition)

    assert response.status_code == 302
    assert "was sent for review" in messages_of(response)
    state = WorkflowState.objects.get(object_id=str(spanish_condition.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def script_sources(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    for directive in policy.split(";"):
        name, *sources = directive.split()
        if name == "script-src":
            return sources
    return []


def assert_served_as_a_public_page(response) -> None:
    assert response.status_code == 200
    sources = script_sources(response)
    assert sources, response["Content-Security-Policy"]
    # No inline script, so no javascript: link or event handler runs. Eval stays allowed: the
    # editor's content checks (axe) build their functions from source text in the preview.
    assert "'unsafe-inline'" not in sources
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response["Cache-Control"]


def test_previews_run_no_inline_script_and_the_admin_keeps_its_policy(
    admin_client, clinic_site, spanish_condition, client, translator
):
    page = clinic_site.condition
    revision = page.save_revision()
    assert_served_as_a_public_page(
        admin_client.get(reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]))
    )
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale__language_code="es"
    )
    assert_served_as_a_public_page(
        admin_client.get(reverse("wagtail_localize:preview_translation", args=[translation.pk]))
    )
    assert send(client, spanish_condition).status_code == 302
    state = WorkflowState.objects.get(object_id=str(spanish_condition.pk))
    assert_served_as_a_public_page(
        admin_client.get(
            reverse(
                "wagtailadmin_pages:workflow_preview",
                args=[spanish_condition.pk, state.current_task_state.task.pk],
            )
        )
    )

    for url in ("/admin/", reverse("wagtailadmin_pages:edit", args=[page.pk])):
        admin = admin_client.get(url)
        assert admin.status_code == 200
        assert "'unsafe-inline'" in script_sources(admin), url
    assert Page.objects.get(pk=page.pk).live
