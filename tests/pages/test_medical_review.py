"""A physician's approval of clinical review is the medical review visitors see: who and when,
in the byline and the search-engine data; and the next review falls due a set interval later
unless an editor chose a later date."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from pages.medical_reviews import record_review
from pages.models import MedicalReview
from pages.translation_setup import REVIEWER_GROUP

pytestmark = pytest.mark.django_db


def physician_user(django_user_model, username="arivera", first="Ana", last="Rivera"):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "pw", first_name=first, last_name=last
    )
    user.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    return user


def approve_clinical_review(page, editor, reviewer):
    """Submit the page's latest draft to its workflow (Clinical review) and approve it."""
    revision = page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    return revision


def review_text(client, page) -> str:
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    review = html.find(class_="medical-review")
    return review.get_text(" ", strip=True) if review else ""


def structured_page(client, page) -> dict:
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    blocks = [json.loads(s.string) for s in html.find_all("script", type="application/ld+json")]
    return next(b for b in blocks if b.get("@type") == "MedicalWebPage")


def test_physicians_approval_records_them_and_today_and_the_live_byline_and_json_ld_show_it(
    client, clinic_site, django_user_model, admin_user
):
    physician = clinic_site.physician
    physician.user = physician_user(django_user_model)
    physician.save_revision().publish()
    treatment = clinic_site.treatment
    treatment.summary = "Reviewed text."

    revision = approve_clinical_review(treatment, admin_user, physician.user)

    review = MedicalReview.objects.get(page=treatment)
    assert (review.user, review.physician, review.revision) == (physician.user, physician, revision)
    assert review.reviewed_on == timezone.localdate()
    today = timezone.localdate()
    with translation.override("en"):
        shown = date_format(today, "DATE_FORMAT")
    assert review_text(client, treatment) == f"Medically reviewed by Dr Ana Rivera on {shown}"
    data = structured_page(client, treatment)
    assert data["lastReviewed"] == today.isoformat()
    assert data["reviewedBy"] == {
        "@type": ["Person", "IndividualPhysician"],
        "name": "Dr Ana Rivera",
        "url": physician.get_full_url(),
    }


def test_approval_by_a_physician_without_a_profile_names_them_without_a_link(
    client, clinic_site, django_user_model, admin_user
):
    reviewer = physician_user(django_user_model, "locum", "Lee", "Morgan")
    approve_clinical_review(clinic_site.treatment, admin_user, reviewer)

    html = BeautifulSoup(client.get(clinic_site.treatment.url).content, "html.parser")
    byline = html.find(class_="medical-review")
    assert byline.get_text(" ", strip=True).startswith("Medically reviewed by Lee Morgan on ")
    assert byline.find("a") is None
    assert structured_page(client, clinic_site.treatment)["reviewedBy"] == {
        "@type": "Person",
        "name": "Lee Morgan",
    }


def test_a_superuser_approving_is_no_medical_review(client, clinic_site, admin_user):
    approve_clinical_review(clinic_site.treatment, admin_user, admin_user)
    assert not MedicalReview.objects.filter(page=clinic_site.treatment).exists()


def test_a_page_without_a_review_record_shows_no_byline_even_with_typed_fields(client, clinic_site):
    treatment = clinic_site.treatment
    # The fields editors used to type: no longer what visitors see.
    treatment.reviewed_by = clinic_site.physician
    treatment.last_reviewed = datetime.date(2026, 1, 1)
    treatment.save_revision().publish()

    assert review_text(client, treatment) == ""
    data = structured_page(client, treatment)
    assert "reviewedBy" not in data and "lastReviewed" not in data


def test_the_latest_review_is_the_one_shown(client, clinic_site):
    record_review(
        clinic_site.condition, physician=clinic_site.physician, on=datetime.date(2027, 2, 1)
    )
    assert review_text(client, clinic_site.condition) == (
        "Medically reviewed by Dr Ana Rivera on Feb. 1, 2027"
    )


def test_next_review_falls_due_the_configured_interval_after_the_last_review(clinic_site, settings):
    condition = clinic_site.condition  # reviewed on 2026-10-15
    condition.next_review_due = None
    assert condition.review_due == datetime.date(2027, 10, 15)
    settings.MEDICAL_REVIEW_INTERVAL_DAYS = 180
    assert condition.review_due == datetime.date(2027, 4, 13)


def test_an_editors_next_review_date_after_the_last_review_is_kept(clinic_site):
    condition = clinic_site.condition
    condition.next_review_due = datetime.date(2027, 1, 31)
    condition.check_next_review_due()
    assert condition.review_due == datetime.date(2027, 1, 31)


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_an_editors_next_review_date_before_the_last_review_is_refused_with_a_message(
    clinic_site, language
):
    condition = clinic_site.condition  # reviewed on 2026-10-15
    condition.next_review_due = datetime.date(2026, 1, 1)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        condition.check_next_review_due()
    message = refused.value.message_dict["next_review_due"][0]
    expected = {
        "en": "The next review must be after the last one",
        "es": "La próxima revisión",
        "fr": "La prochaine relecture",
    }[language]
    assert message.startswith(expected)


def test_the_editor_edits_only_the_next_review_date_not_the_reviewer_or_the_review_date(
    admin_client, clinic_site
):
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[clinic_site.condition.pk]))
    assert b'name="next_review_due"' in edit.content
    assert b'name="last_reviewed"' not in edit.content
    assert b'name="reviewed_by"' not in edit.content


def edit_form_data(page, **changes) -> dict:
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "alternate_names": "",
            "symptoms": streamfield([]),
            "causes": streamfield([]),
            "body": streamfield([("paragraph", rich_text("<p>More text.</p>"))]),
            "treatment_options": inline_formset([]),
            "faq": streamfield([]),
            "physician_links": inline_formset([]),
            **changes,
        }
    )


@pytest.mark.parametrize(
    ("chosen", "refused"), [("2026-01-01", True), ("2026-10-15", True), ("2027-03-01", False)]
)
def test_the_editor_refuses_a_next_review_date_not_after_the_last_review_with_a_message(
    admin_client, clinic_site, chosen, refused
):
    condition = clinic_site.condition  # reviewed on 2026-10-15
    url = reverse("wagtailadmin_pages:edit", args=[condition.pk])
    response = admin_client.post(url, edit_form_data(condition, next_review_due=chosen))
    message = "The next review must be after the last one, on Oct. 15, 2026."
    if refused:
        assert response.status_code == 200
        assert message in response.content.decode()
    else:
        assert response.status_code == 302, response.content.decode()[:3000]
        condition.refresh_from_db()
        draft = condition.get_latest_revision_as_object()
        assert draft.next_review_due == datetime.date(2027, 3, 1)


def test_a_next_review_date_an_approval_overtook_is_ignored_not_refused(clinic_site):
    condition = clinic_site.condition
    condition.next_review_due = datetime.date(2026, 11, 1)
    record_review(condition, physician=clinic_site.physician, on=datetime.date(2026, 12, 1))
    condition.save_revision()  # a later save (a translation's sync, a draft) is not refused
    assert condition.review_due == datetime.date(2027, 12, 1)
