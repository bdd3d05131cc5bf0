"""A visitor sends a consultation request: stored once, confirmed with a reference, and every
mistake explained next to the field with the typed answers kept."""

import pytest
from django.core import mail

from appointments.models import ConsultationRequest, IntakeSettings

from .helpers import consultation_data, html

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake_email(clinic_site):
    intake = IntakeSettings.for_site(clinic_site.site)
    intake.intake_email = "intake@example.org"
    intake.save()
    return intake.intake_email


def test_every_schedule_button_leads_to_the_consultation_page(
    client, clinic_site, consultation_page
):
    for page in clinic_site.all_pages():
        buttons = html(client.get(page.url)).find_all("a", string="Schedule a consultation")
        assert buttons, page
        # Each names the page it is on, for the report of where requests come from.
        assert {button["href"] for button in buttons} == {f"{consultation_page.url}?from={page.pk}"}


def test_valid_request_is_stored_confirmed_with_a_reference_and_announced_without_personal_data(
    client, clinic_site, consultation_page, intake_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            consultation_page.url,
            consultation_data(condition=str(clinic_site.condition.pk)),
        )
    assert response.status_code == 302
    assert response.url == consultation_page.url + "confirmation/"

    stored = ConsultationRequest.objects.get()
    assert stored.full_name == "Rosa Delgado"
    assert stored.phone == "+12025550123"  # normalised
    assert stored.condition_id == clinic_site.condition.pk
    assert stored.kind == "consultation" and stored.status == "new"
    assert not stored.is_flagged
    assert stored.consent_given_at is not None
    assert stored.privacy_notice_version.startswith(f"page-{clinic_site.privacy.pk}-revision-")

    confirmation = client.get(response.url)
    assert confirmation.status_code == 200
    assert "no-store" in confirmation["Cache-Control"]
    assert html(confirmation).find(class_="reference__number").get_text() == stored.reference

    [email] = [message for message in mail.outbox if message.to == [intake_email]]
    assert email.subject == f"New consultation request #{stored.reference}"
    assert f"/admin/consultation_requests/inspect/{stored.pk}/" in email.body
    for personal in ("Rosa", "Delgado", "rosa@example.org", "0123", "eye", "Synkinesis"):
        assert personal not in email.subject + email.body
    stored.refresh_from_db()
    assert stored.notified_at is not None
    assert stored.acknowledged_at is not None  # the visitor's own e-mail went out too


def test_reloading_the_confirmation_or_resending_the_same_form_stores_once(
    client, consultation_page
):
    data = consultation_data()
    first = client.post(consultation_page.url, data)
    client.get(first.url)
    client.get(first.url)  # reload
    second = client.post(consultation_page.url, data)  # the browser's "resend form"
    assert second.status_code == 302
    assert ConsultationRequest.objects.count() == 1
    reference = ConsultationRequest.objects.get().reference
    confirmation = client.get(second.url).content.decode()
    assert reference in confirmation
    assert "You had already sent us this request" in confirmation


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "", "Enter your full name."),
        ("phone", "12", "Enter a phone number we can call"),
        ("email", "rosa@", "Enter an email address like name@example.com."),
        ("consent", None, "Tick the box to let us contact you about your request."),
        ("symptom_onset", "", "Choose when your symptoms began."),
        ("patient_status", None, "Tell us whether you are a new or returning patient."),
    ],
)
def test_invalid_answer_shows_error_summary_and_keeps_every_typed_answer(
    client, consultation_page, field, value, message
):
    data = consultation_data(**{field: value})
    response = client.post(consultation_page.url, data)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert not ConsultationRequest.objects.exists()
    page = html(response)

    summary = page.find(attrs={"data-error-summary": True})
    assert summary is not None and summary.has_attr("autofocus")
    assert summary["tabindex"] == "-1"
    link = summary.find("a", string=lambda text: text and message in text)
    assert link is not None, summary
    target = page.find(id=link["href"].removeprefix("#"))
    assert target is not None and target.name in ("input", "select", "textarea")
    assert target["aria-invalid"] == "true"
    # A radio group is described on its fieldset, other fields on the input itself.
    described_by = (
        target.get("aria-describedby") or target.find_parent("fieldset")["aria-describedby"]
    )
    error_id = described_by.split()[-1]
    assert message in page.find(id=error_id).get_text()
    assert page.title.get_text().startswith("Error:")

    # Nothing the visitor typed is lost.
    if field != "full_name":
        assert page.find("input", attrs={"name": "full_name"})["value"] == "Rosa Delgado"
    if field != "phone":
        assert page.find("input", attrs={"name": "phone"})["value"] == data["phone"]
    assert page.find("textarea", attrs={"name": "message"}).get_text().strip() == (
        "My left eye closes when I smile."
    )
    assert page.find("input", attrs={"name": "best_time", "value": "morning"}).has_attr("checked")


def test_phone_is_required_when_the_visitor_asks_to_be_called(client, consultation_page):
    response = client.post(consultation_page.url, consultation_data(phone=""))
    assert "Enter a phone number so that we can call you back." in response.content.decode()
    response = client.post(
        consultation_page.url,
        consultation_data(phone="", preferred_contact_method="email"),
    )
    assert response.status_code == 302
    assert ConsultationRequest.objects.get().phone == ""


def test_fields_have_labels_hints_and_autocomplete_tokens(client, consultation_page):
    page = html(client.get(consultation_page.url))
    assert page.find("input", attrs={"name": "full_name"})["autocomplete"] == "name"
    assert page.find("input", attrs={"name": "email"})["autocomplete"] == "email"
    assert page.find("input", attrs={"name": "phone"})["autocomplete"] == "tel"
    phone = page.find("input", attrs={"name": "phone"})
    assert page.find("label", attrs={"for": phone["id"]})
    assert "country code" in page.find(id=phone["aria-describedby"]).get_text()
    message_hint = page.find(id=page.find("textarea")["aria-describedby"]).get_text()
    assert "do not include detailed medical history" in message_hint


def test_required_questions_say_so_to_assistive_technology_without_being_invalid_before_sending(
    client, consultation_page
):
    page = html(client.get(consultation_page.url))
    form = page.find("form", class_="request-form")
    # aria-required, on the input or on a radio group's fieldset: the HTML attribute would
    # have the browser expose the empty questions as invalid before anything is typed.
    required = {
        element["name"]
        for element in form.find_all(["input", "select", "textarea"])
        if element.get("aria-required") == "true"
    } | {
        group.find("input")["name"]
        for group in form.find_all("fieldset", attrs={"role": "radiogroup"})
        if group.get("aria-required") == "true"
    }
    assert required == {
        "full_name",
        "preferred_contact_method",
        "best_time",
        "preferred_language",
        "symptom_onset",
        "patient_status",
        "consent",
    }
    assert not form.find_all(required=True)
    assert not form.find_all(attrs={"aria-invalid": True})
    # A radio never carries aria-required (not allowed on its role): its group does.
    assert not form.find_all("input", attrs={"type": "radio", "aria-required": True})
    # A group of choices is a fieldset whose legend asks the question.
    group = page.find("input", attrs={"name": "patient_status"}).find_parent("fieldset")
    assert group.legend.get_text(strip=True) == "Have you been seen at our clinic before?"


def test_language_defaults_to_the_pages_and_choices_are_live_pages(
    client, clinic_site, consultation_page
):
    page = html(client.get(consultation_page.url))
    language = page.find("select", attrs={"name": "preferred_language"})
    assert language.find("option", selected=True)["value"] == "en"
    conditions = [
        o.get_text() for o in page.find("select", attrs={"name": "condition"}).find_all("option")
    ]
    assert conditions == ["Not sure / something else", "Synkinesis"]
    clinic_site.condition.unpublish()
    page = html(client.get(consultation_page.url))
    options = page.find("select", attrs={"name": "condition"}).find_all("option")
    assert [o.get_text() for o in options] == ["Not sure / something else"]


def test_form_page_is_never_cached_and_a_stray_confirmation_visit_is_harmless(
    client, consultation_page
):
    assert "no-store" in client.get(consultation_page.url)["Cache-Control"]
    response = client.get(consultation_page.url + "confirmation/")
    assert response.status_code == 200
    assert html(response).find(class_="reference__number") is None
