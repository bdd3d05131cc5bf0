"""What the people in a review are told: the physician, what their approval or request for
changes did; the editor or translator, the physician's comment, at the top of the page they open
to make the changes."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.models import WorkflowState

from pages.models import ConditionPage, MedicalReview
from tests.pages.test_clinical_review_routes import condition_form_data, member

pytestmark = pytest.mark.django_db

COMMENT = "Please say that recovery can take up to a year, and cite the grading scale."


def told(response) -> list[str]:
    """The messages the response shows, after any the same browser was shown before (another
    user's, on this test client)."""
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def submit_as_editor(client, editor, condition, **changes):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[condition.pk]),
        condition_form_data(condition, **changes, **{"action-submit": "action-submit"}),
    )
    assert response.status_code == 302


def workflow_action(page, action: str) -> str:
    state = WorkflowState.objects.get(object_id=str(page.pk), status__in=["in_progress"])
    return reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, action, state.current_task_state.pk]
    )


@pytest.fixture
def team(django_user_model):
    editor = member(django_user_model, "Marketing editors")
    editor.first_name, editor.last_name = "Sam", "Okafor"
    editor.save()
    physician = member(django_user_model, "Physicians (clinical review)")
    physician.first_name, physician.last_name = "Ana", "Rivera"
    physician.save()
    return editor, physician


def test_request_changes_confirms_to_the_physician_and_shows_the_comment_to_the_editor(
    client, clinic_site, team
):
    editor, physician = team
    condition = clinic_site.condition
    submit_as_editor(client, editor, condition, summary="First draft.")

    client.force_login(physician)
    response = client.post(
        workflow_action(condition, "reject"), {"comment": COMMENT}, HTTP_REFERER="/admin/"
    )
    assert response.status_code == 302
    assert told(response)[-1:] == [
        "Changes requested on “Synkinesis”. Sam Okafor sees your comment at the top of the "
        "page when they open it, and it goes back to you once they resubmit it."
    ]

    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[condition.pk]))
    today = date_format(timezone.localdate(), "DATE_FORMAT")
    expected = (
        f"Ana Rivera requested changes on {today}: “{COMMENT}” Make them, then choose "
        "“Resubmit to Clinical review”."
    )
    assert told(response)[-1:] == [expected]
    assert COMMENT in response.content.decode()

    # Resubmitted, the comment is gone: the review is the physician's again.
    submit_as_editor(client, editor, condition, summary="Second draft, as asked.")
    response = client.get(reverse("wagtailadmin_pages:edit", args=[condition.pk]))
    assert not any("requested changes" in message for message in told(response))


def test_approval_from_the_edit_view_says_the_page_is_live_and_whose_review_it_carries(
    client, clinic_site, team
):
    editor, physician = team
    condition = clinic_site.condition
    submit_as_editor(client, editor, condition, summary="Reviewed summary.")

    client.force_login(physician)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[condition.pk]),
        condition_form_data(
            condition,
            summary="Reviewed summary.",
            **{"action-workflow-action": "true", "workflow-action-name": "approve"},
        ),
    )
    assert response.status_code == 302
    review = MedicalReview.objects.filter(page=condition).latest("pk")
    assert review.user == physician
    assert told(response)[-1:] == [
        "Approved: “Synkinesis” is live, medically reviewed by Ana Rivera on "
        f"{date_format(review.reviewed_on, 'DATE_FORMAT')}."
    ]
    assert ConditionPage.objects.get(pk=condition.pk).summary == "Reviewed summary."


def test_approval_from_the_dashboard_is_confirmed_too(client, clinic_site, team):
    editor, physician = team
    submit_as_editor(client, editor, clinic_site.condition, summary="Reviewed summary.")
    client.force_login(physician)
    response = client.post(workflow_action(clinic_site.condition, "approve"), {"comment": ""})
    assert [m for m in told(response) if m.startswith("Approved: “Synkinesis” is live")]


def test_a_translator_sees_the_physicians_comment_in_the_translation_editor(
    client, django_user_model, clinic_site, spanish, team
):
    _editor, physician = team
    translator = member(django_user_model, "Translators (Spanish)")
    condition = spanish["condition"]
    client.force_login(translator)
    assert client.post(reverse("submit_translation_for_review", args=[condition.pk])).status_code
    client.force_login(physician)
    client.post(workflow_action(condition, "reject"), {"comment": COMMENT})

    client.force_login(translator)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[condition.pk]))
    html = response.content.decode()
    # wagtail-localize's editor (its React app's root), with the comment above it.
    assert "js-translation-editor" in html
    assert any(COMMENT in message for message in told(response))
