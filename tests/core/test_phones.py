"""Phone numbers dial from anywhere (E.164 in every ``tel:`` link and in the search-engine data)
and read as people write them in the clinic's country; editors cannot save one that would not
dial."""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import phones

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "dialled", "shown"),
    [
        ("(202) 555-0100", "+12025550100", "(202) 555-0100"),
        ("202.555.0100", "+12025550100", "(202) 555-0100"),
        ("+1 202 555 0100", "+12025550100", "(202) 555-0100"),
        # NANP 555-01xx is reserved for fiction: libphonenumber calls it unassigned, yet it dials.
        ("555 555 0142", "+15555550142", "(555) 555-0142"),
        ("+44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
    ],
)
def test_a_number_typed_any_way_dials_in_e164_and_reads_in_the_national_format(
    typed, dialled, shown
):
    assert phones.e164(typed, "US") == dialled
    assert phones.display(typed, "US") == shown
    assert phones.link(typed, "US") == f'<a href="tel:{dialled}">{shown}</a>'


def test_a_number_without_country_code_is_read_in_the_clinics_country():
    assert phones.e164("01 23 45 67 89", "FR") == "+33123456789"
    assert phones.display("01 23 45 67 89", "FR") == "01 23 45 67 89"
    assert phones.display("+1 202 555 0100", "FR") == "+1 202-555-0100"


@pytest.mark.parametrize("typed", ["555-0100", "12345", "call us", "(202) 555-01000000"])
def test_a_number_that_cannot_dial_from_a_link_is_refused_with_an_example(typed):
    with pytest.raises(ValidationError) as refused:
        phones.validate(typed, "US")
    assert "(202) 555-0100" in refused.value.messages[0]


def test_a_relay_short_number_is_accepted_only_where_it_is_allowed():
    phones.validate("711", "US", allow_short=True)
    with pytest.raises(ValidationError):
        phones.validate("711", "US")
    with pytest.raises(ValidationError) as refused:
        phones.validate("5", "US", allow_short=True)
    assert "711" in refused.value.messages[0]


def test_clinic_settings_refuse_a_number_that_would_not_dial(clinic_site):
    clinic = clinic_site.settings
    clinic.phone = "555-0100"  # no area code
    clinic.accessibility_manager_phone = "(202) 555-0142"
    clinic.accessibility_manager_tty = "711"
    with pytest.raises(ValidationError) as refused:
        clinic.full_clean()
    assert set(refused.value.message_dict) == {"phone"}

    clinic.phone = "(202) 555-0100"
    clinic.accessibility_manager_tty = "12"
    clinic.tty_relay = "711"
    clinic.section_1557_coordinator_phone = "711"  # a person's direct line, not a service
    with pytest.raises(ValidationError) as refused:
        clinic.full_clean()
    assert set(refused.value.message_dict) == {
        "accessibility_manager_tty",
        "section_1557_coordinator_phone",
    }

    clinic.accessibility_manager_tty = "(202) 555-0143"
    clinic.section_1557_coordinator_phone = "+1 202 555 0147"
    clinic.full_clean()


def settings_form_data(html: BeautifulSoup) -> dict[str, str]:
    """What the settings form would send back unchanged."""
    form = html.find("form", id="w-editor-form")
    data: dict[str, str] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen.get("value", "") if chosen else ""
        else:
            data[name] = field.get("value", "")
    return data


def test_editor_cannot_save_a_clinic_phone_number_that_would_not_dial(admin_client, clinic_site):
    url = reverse("wagtailsettings:edit", args=("core", "clinicsettings", clinic_site.site.pk))
    data = settings_form_data(BeautifulSoup(admin_client.get(url).content, "html.parser"))
    assert data["phone"] == "(555) 555-0100"

    response = admin_client.post(url, {**data, "phone": "555-0100"})
    assert response.status_code == 200
    assert "with its area code, such as (202) 555-0100" in response.content.decode()
    clinic_site.settings.refresh_from_db()
    assert clinic_site.settings.phone == "(555) 555-0100"

    response = admin_client.post(url, {**data, "phone": "+1 202 555 0100"})
    assert response.status_code == 302
    clinic_site.settings.refresh_from_db()
    assert clinic_site.settings.phone == "+1 202 555 0100"


def test_every_phone_link_on_the_pages_dials_in_e164_and_reads_nationally(
    client, clinic_site, consultation_page
):
    clinic_site.settings.phone = "+1 202 555 0100"
    clinic_site.settings.save()
    pages = [*clinic_site.all_pages(), consultation_page]
    links = []
    for page in pages:
        html = BeautifulSoup(client.get(page.url).content, "html.parser")
        links += html.select('a[href^="tel:"]')
        clinic = next(
            obj
            for obj in map(json.loads, (t.string for t in html.select("script[type$=json]")))
            if obj.get("@type") == "MedicalClinic"
        )
        assert clinic["telephone"] == "+12025550100"
    assert len(links) >= 2 * len(pages)  # the header's and the footer's on every page, and more
    by_href = {link["href"]: link.get_text() for link in links}
    assert by_href["tel:+12025550100"] == "(202) 555-0100"
    assert by_href["tel:+15555550142"] == "(555) 555-0142"
    # Every other number too: E.164, or a relay's short number such as 711.
    for href in by_href:
        number = href.removeprefix("tel:")
        assert re.fullmatch(r"\+[1-9][0-9]{6,14}", number) or phones.is_short_number(number), href
