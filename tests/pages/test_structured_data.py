"""Search engines get JSON-LD built from the typed fields of each page."""

import json

import pytest
from bs4 import BeautifulSoup

from tests.factories.pages import LocationIndexPageFactory, LocationPageFactory

pytestmark = pytest.mark.django_db


def json_ld(client, page) -> dict[str, dict]:
    """The page's JSON-LD objects, keyed by their @type."""
    response = client.get(page.url)
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    objects = [
        json.loads(tag.string) for tag in html.find_all("script", type="application/ld+json")
    ]
    return {obj["@type"]: obj for obj in objects}


def test_every_page_describes_the_clinic(client, clinic_site):
    # The address is the clinic's main (first) site's.
    LocationPageFactory(parent=LocationIndexPageFactory(parent=clinic_site.home))
    for page in clinic_site.all_pages():
        clinic = json_ld(client, page)["MedicalClinic"]
        assert clinic["name"] == "Meridian Facial Nerve Center"
        assert clinic["telephone"] == "+15555550100"
        assert clinic["address"]["addressLocality"] == "Bayview"
        assert clinic["url"] == "http://testserver/en/"


def test_condition_page_is_a_medical_web_page_about_the_condition(client, clinic_site):
    data = json_ld(client, clinic_site.condition)
    page = data["MedicalWebPage"]
    condition = page["about"]
    assert condition["@type"] == "MedicalCondition"
    assert condition["name"] == "Synkinesis"
    assert condition["alternateName"] == ["Aberrant regeneration", "Facial miswiring"]
    assert condition["signOrSymptom"] == [
        {"@type": "MedicalSignOrSymptom", "name": "Eye narrowing"}
    ]
    assert condition["cause"] == [{"@type": "MedicalCause", "name": "Bell's palsy"}]
    assert condition["possibleTreatment"][0]["name"] == "Botulinum toxin injections"
    assert condition["possibleTreatment"][0]["@type"] == "MedicalTherapy"
    assert page["lastReviewed"] == "2026-10-15"
    assert page["reviewedBy"]["name"] == "Dr Ana Rivera"


def test_treatment_page_is_a_therapy_or_a_procedure_by_its_kind(client, clinic_site):
    page = json_ld(client, clinic_site.treatment)["MedicalWebPage"]
    assert page["about"]["@type"] == "MedicalTherapy"
    assert page["mentions"] == [
        {
            "@type": "MedicalCondition",
            "name": "Synkinesis",
            "url": "http://testserver/en/conditions/synkinesis/",
        }
    ]

    clinic_site.treatment.kind = "procedure"
    clinic_site.treatment.save_revision().publish()
    procedure = json_ld(client, clinic_site.treatment)["MedicalWebPage"]["about"]
    assert procedure["@type"] == ["SurgicalProcedure", "MedicalTherapy"]
    assert "procedureType" not in procedure
    condition = json_ld(client, clinic_site.condition)["MedicalWebPage"]["about"]
    assert condition["possibleTreatment"][0]["@type"] == ["SurgicalProcedure", "MedicalTherapy"]


def test_physician_page_describes_the_physician(client, clinic_site):
    physician = json_ld(client, clinic_site.physician)["ProfilePage"]["mainEntity"]
    assert physician["@type"] == ["Person", "IndividualPhysician"]
    assert physician["name"] == "Dr Ana Rivera"
    # BCP 47 codes, as schema.org asks of knowsLanguage (the page names them in its language).
    assert physician["knowsLanguage"] == ["en", "es"]
    assert {"@type": "MedicalCondition", "name": "Synkinesis"} in physician["knowsAbout"]


def test_breadcrumb_list_below_home_only(client, clinic_site):
    assert "BreadcrumbList" not in json_ld(client, clinic_site.home)
    trail = json_ld(client, clinic_site.condition)["BreadcrumbList"]["itemListElement"]
    assert [item["name"] for item in trail] == ["Home", "Conditions", "Synkinesis"]
    assert [item["position"] for item in trail] == [1, 2, 3]
    assert trail[-1]["item"] == "http://testserver/en/conditions/synkinesis/"
    for page in clinic_site.all_pages()[1:]:
        assert "BreadcrumbList" in json_ld(client, page), page


def test_json_ld_cannot_be_broken_out_of_by_page_text(client, clinic_site):
    clinic_site.condition.summary = "</script><script>alert(1)</script>"
    clinic_site.condition.save()
    response = client.get(clinic_site.condition.url)
    assert b"</script><script>alert(1)" not in response.content
    data = json_ld(client, clinic_site.condition)
    assert data["MedicalWebPage"]["about"]["description"] == "</script><script>alert(1)</script>"
