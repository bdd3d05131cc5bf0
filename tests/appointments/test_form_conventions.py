"""What every visitor's form has in common: one way of saying which questions may be left empty,
no question announced as invalid before the visitor sends anything, errors shown by more than
colour, and a consent box that links to the privacy notice it asks the visitor to accept."""

import re

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.utils import translation

from appointments import forms as visitor_forms

from .helpers import consultation_data, html

pytestmark = pytest.mark.django_db

# A label's last words in brackets: "(optional)", "(opcional)", "(facultatif)".
TRAILING_BRACKETS = re.compile(r"\(([^()]+)\)\s*$")


def visitor_form_classes() -> list[type[forms.Form]]:
    """Every form a visitor fills in, including any added later."""
    found, pending = [], [visitor_forms.VisitorInputMixin]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__ == visitor_forms.__name__ and not cls.__name__.endswith("Mixin"):
            found.append(cls)
    return found


def questions(form: forms.Form):
    """The questions a visitor sees: not the hidden fields nor the honeypot."""
    return [
        field
        for field in form
        if not field.is_hidden and field.name not in ("website", "captcha") and field.label
    ]


def label_text(field) -> str:
    return BeautifulSoup(str(field.label), "html.parser").get_text()


def test_both_visitor_forms_are_checked_for_the_conventions():
    names = {cls.__name__ for cls in visitor_form_classes()}
    assert {"ConsultationRequestForm", "AccessibilityRequestForm"} <= names


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_optional_questions_and_only_they_are_marked_optional_in_one_way(language):
    markers: dict[str, set[str]] = {"optional": set(), "required": set()}
    with translation.override(language):
        for form_class in visitor_form_classes():
            form = form_class()
            for field in questions(form):
                found = TRAILING_BRACKETS.search(label_text(field))
                marker = found.group(1) if found else None
                if field.field.required:
                    assert marker is None, (form_class.__name__, field.name, label_text(field))
                    markers["required"].add(field.name)
                elif field.widget_type == "checkbox" or field.name in form.conditionally_required:
                    assert marker is None, (form_class.__name__, field.name, label_text(field))
                else:
                    assert marker is not None, (form_class.__name__, field.name, label_text(field))
                    markers["optional"].add(marker)
    # One word for "optional" in each language, the same on every form.
    assert len(markers["optional"]) == 1, markers["optional"]
    if language == "en":
        assert markers["optional"] == {"optional"}
    assert {"full_name", "message", "contact_details", "consent"} <= markers["required"]


def test_no_question_carries_the_html_required_attribute_on_either_form(
    client, clinic_site, consultation_page
):
    for url in (consultation_page.url, clinic_site.accessibility.url):
        form = html(client.get(url)).find("form", attrs={"method": "post"})
        assert form.find_all(required=True) == [], url
        assert form.find_all(attrs={"aria-invalid": True}) == [], url
        required = [
            element["name"]
            for element in form.find_all(attrs={"aria-required": "true"})
            if element.name != "fieldset"
        ]
        assert "full_name" in required, url


def test_accommodation_form_requires_all_three_answers_with_aria_required(client, clinic_site):
    form = html(client.get(clinic_site.accessibility.url)).find("form", attrs={"method": "post"})
    fields = form.find_all(
        ["input", "textarea"], attrs={"name": True, "type": lambda t: t != "hidden"}
    )
    asked = {field["name"]: field.get("aria-required") for field in fields}
    assert asked == {
        "website": None,  # the honeypot
        "full_name": "true",
        "contact_details": "true",
        "message": "true",
    }


def test_accommodation_form_is_sent_to_the_page_itself_without_a_heading_anchor(
    client, clinic_site
):
    """A fragment in the URL stops the browser from focusing the error summary, and would
    follow the redirect to the confirmation."""
    page = html(client.post(clinic_site.accessibility.url, {"full_name": ""}))
    form = page.find("form", attrs={"method": "post"})
    assert form["action"] == clinic_site.accessibility.url
    summary = page.find(attrs={"data-error-summary": True})
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"


def test_a_field_in_error_is_marked_by_a_bar_an_icon_and_its_message_not_colour_alone(
    client, consultation_page
):
    page = html(client.post(consultation_page.url, consultation_data(full_name="")))
    name = page.find("input", attrs={"name": "full_name"})
    assert name["aria-invalid"] == "true"
    field = name.find_parent(class_="field")
    assert "field--error" in field["class"]
    error = field.find(class_="field__error")
    icon = error.find("svg")
    assert icon is not None and icon["aria-hidden"] == "true"
    assert "field__error-icon" in icon["class"]
    assert error.get_text(" ", strip=True) == "Error: Enter your full name."
    # Only the answer in error is invalid; a radio group's error is said on its radios.
    assert [element["name"] for element in page.find_all(attrs={"aria-invalid": "true"})] == [
        "full_name"
    ]
    group = (
        html(client.post(consultation_page.url, consultation_data(patient_status=None)))
        .find("input", attrs={"name": "patient_status"})
        .find_parent("fieldset")
    )
    assert group["role"] == "radiogroup" and group["aria-required"] == "true"
    assert "field--error" in group["class"]
    assert group.find(class_="field__error").find("svg") is not None


def test_consent_label_links_to_the_privacy_notice_in_the_same_tab(
    client, clinic_site, consultation_page
):
    for response in (
        client.get(consultation_page.url),
        client.post(consultation_page.url, consultation_data(consent=None)),
    ):
        page = html(response)
        consent = page.find("input", attrs={"name": "consent"})
        label = page.find("label", attrs={"for": consent["id"]})
        link = label.find("a")
        assert link is not None, label
        assert link["href"] == clinic_site.privacy.url
        assert link.get_text() == "privacy notice"
        assert not link.has_attr("target")
        assert label.get_text(" ", strip=True).startswith("I agree that the clinic may contact me")


def test_consent_label_has_no_link_while_no_live_privacy_notice_is_chosen(
    client, clinic_site, consultation_page
):
    clinic_site.privacy.unpublish()
    page = html(client.get(consultation_page.url))
    label = page.find("label", attrs={"for": "id_consent"})
    assert label.find("a") is None
    assert "privacy notice" in label.get_text()

    clinic_site.settings.privacy_page = None
    clinic_site.settings.save()
    page = html(client.get(consultation_page.url))
    assert page.find("label", attrs={"for": "id_consent"}).find("a") is None


def test_privacy_address_is_escaped_in_the_consent_label():
    form = visitor_forms.ConsultationRequestForm(privacy_url='/en/privacy/"><script>')
    label = str(form["consent"].label_tag())
    assert "<script>" not in label
    assert 'href="/en/privacy/&quot;&gt;&lt;script&gt;"' in label


def test_forms_keep_answers_only_in_this_tab_and_forget_them_once_sent(
    client, clinic_site, consultation_page
):
    """forms.js keeps the answers of a form marked data-keep-answers, under its own page's
    address; the confirmation names the same address to forget them. The honeypot is never
    kept."""
    for form_page in (consultation_page, clinic_site.accessibility):
        page = html(client.get(form_page.url))
        form = page.find("form", attrs={"method": "post"})
        assert form["data-keep-answers"] == form_page.url
        assert page.find("input", attrs={"name": "website"}).find_parent(
            attrs={"data-not-kept": True}
        )
        assert page.find("script", src=re.compile(r"js/forms(\.[0-9a-f]+)?\.js$"))
    response = client.post(consultation_page.url, consultation_data())
    confirmation = html(client.get(response.url))
    assert confirmation.find(attrs={"data-forget-answers": consultation_page.url})
    assert confirmation.find("script", src=re.compile(r"js/forms(\.[0-9a-f]+)?\.js$"))
