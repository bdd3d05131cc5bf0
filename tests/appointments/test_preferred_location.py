"""From a physician's profile to the consultation form: the visitor arrives with the physician
and a site already chosen, may prefer a site when the clinic has more than one, and the request
reaches the front desk of the site it prefers, wherever intake staff look for it."""

from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Locale

from appointments.models import ConsultationRequest, IntakeLocationEmail, IntakeSettings
from appointments.tasks import notify_intake
from appointments.timeline import timeline
from pages.models import LocationIndexPage, LocationPage, PhysicianLocation

from .factories import ConsultationRequestFactory
from .helpers import consultation_data, html
from .test_inbox import INDEX, user_in
from .test_inbox_search_and_export import as_dicts, export, heading

pytestmark = pytest.mark.django_db


def add_sites(clinic_site, *titles: str) -> list[LocationPage]:
    """Live location pages with these titles, under a locations index of the clinic's home."""
    index = clinic_site.home.add_child(
        instance=LocationIndexPage(title="Locations", slug="locations", intro="Our sites.")
    )
    return [
        index.add_child(
            instance=LocationPage(
                title=title,
                slug=title.lower(),
                street_address="1 Harbour Road",
                locality=title,
                postal_code="94000",
                phone="(555) 555-0100",
            )
        )
        for title in titles
    ]


@pytest.fixture
def two_sites(clinic_site) -> list[LocationPage]:
    return add_sites(clinic_site, "Bayview", "Eastbrook")


def spanish_copy(page: LocationPage) -> LocationPage:
    """The Spanish translation of ``page`` (its parents copied as needed)."""
    spanish = page.copy_for_translation(Locale.objects.get(language_code="es"), copy_parents=True)
    spanish.title = f"{page.title} (es)"
    spanish.save_revision().publish()
    return spanish


def selected(page, name: str) -> str | None:
    """The value of the option chosen in the select ``name``, None if the form has none."""
    select = page.find("select", attrs={"name": name})
    if select is None:
        return None
    option = select.find("option", selected=True)
    return option["value"] if option is not None else ""


def test_the_form_asks_for_a_site_only_when_the_clinic_has_more_than_one(
    client, clinic_site, consultation_page
):
    assert selected(html(client.get(consultation_page.url)), "location") is None
    bayview, eastbrook = add_sites(clinic_site, "Bayview", "Eastbrook")
    page = html(client.get(consultation_page.url))
    options = page.find("select", attrs={"name": "location"}).find_all("option")
    assert [(option["value"], option.get_text()) for option in options] == [
        ("", "No preference"),
        (str(bayview.pk), "Bayview"),
        (str(eastbrook.pk), "Eastbrook"),
    ]
    label = page.find("label", attrs={"for": "id_location"}).get_text()
    assert "Preferred location (optional)" in label


def test_a_link_from_a_profile_arrives_with_the_physician_and_the_site_chosen(
    client, clinic_site, consultation_page, two_sites
):
    eastbrook = two_sites[1]
    query = {"physician": clinic_site.physician.pk, "location": eastbrook.pk}
    response = client.get(f"{consultation_page.url}?{urlencode(query)}")
    assert response.status_code == 200
    page = html(response)
    assert selected(page, "physician") == str(clinic_site.physician.pk)
    assert selected(page, "location") == str(eastbrook.pk)


def test_a_link_with_anything_but_one_of_the_choices_shows_the_form_with_nothing_chosen(
    client, clinic_site, consultation_page, two_sites
):
    spanish = spanish_copy(two_sites[0])
    physician, location = clinic_site.physician.pk, two_sites[0].pk
    for query in (
        "physician=999999&location=999999",
        "physician=abc&location=-1",
        "physician=99999999999999999999999&location=1e3",
        f"physician={physician}&physician={physician}&location={location}&location={location}",
        "physician=" + "7" * 5000 + "&location=" + "%00" * 1700,
        f"location={spanish.pk}",  # the same site, in another language than the form's
    ):
        response = client.get(f"{consultation_page.url}?{query}")
        assert response.status_code == 200, query
        page = html(response)
        assert selected(page, "physician") == "", query
        assert selected(page, "location") == "", query


def test_the_chosen_site_is_stored_with_the_request_and_a_post_ignores_the_query(
    client, clinic_site, consultation_page, two_sites
):
    bayview, eastbrook = two_sites
    response = client.post(
        f"{consultation_page.url}?location={eastbrook.pk}",
        consultation_data(location=str(bayview.pk)),
    )
    assert response.status_code == 302
    assert ConsultationRequest.objects.get().location == bayview


def test_a_clinic_with_one_site_records_it_without_asking(client, clinic_site, consultation_page):
    [bayview] = add_sites(clinic_site, "Bayview")
    assert selected(html(client.get(consultation_page.url)), "location") is None
    # A crafted answer for the question that is not asked changes nothing.
    response = client.post(consultation_page.url, consultation_data(location="999999"))
    assert response.status_code == 302
    assert ConsultationRequest.objects.get().location == bayview


def test_an_unknown_site_is_an_error_next_to_the_question(
    client, clinic_site, consultation_page, two_sites
):
    response = client.post(consultation_page.url, consultation_data(location="999999"))
    assert response.status_code == 200
    assert not ConsultationRequest.objects.exists()
    assert html(response).find("select", attrs={"name": "location"})["aria-invalid"] == "true"


@pytest.fixture
def intake_user(django_user_model):
    return user_in(django_user_model, "Intake staff", "intake")


def test_the_inbox_filter_by_site_counts_a_request_from_its_spanish_page(
    client, clinic_site, two_sites, intake_user
):
    bayview, eastbrook = two_sites
    ConsultationRequestFactory(full_name="Rosa Delgado", location=bayview)
    ConsultationRequestFactory(full_name="Lucía Ortega", location=spanish_copy(bayview))
    ConsultationRequestFactory(full_name="Imogen Hale", location=eastbrook)
    ConsultationRequestFactory(full_name="Tom Baker")
    client.force_login(intake_user)

    page = html(client.get(reverse(INDEX)))
    options = page.find("select", attrs={"name": "location"}).find_all("option")
    # Each site once, by its original title, though one has a Spanish translation.
    assert [option.get_text().strip() for option in options if option["value"]] == [
        "Bayview",
        "Eastbrook",
    ]

    response = client.get(reverse(INDEX), {"location": str(bayview.translation_key)})
    assert response.status_code == 200
    listed = response.content.decode()
    assert "Rosa Delgado" in listed and "Lucía Ortega" in listed
    assert "Imogen Hale" not in listed and "Tom Baker" not in listed


def test_the_request_shows_its_site_and_the_export_has_the_sites_title(
    client, clinic_site, two_sites, intake_user, django_assert_max_num_queries
):
    bayview, eastbrook = two_sites
    rosa = ConsultationRequestFactory(full_name="Rosa Delgado", location=bayview)
    ConsultationRequestFactory(full_name="Imogen Hale", location=eastbrook)
    client.force_login(intake_user)

    detail = client.get(reverse("consultation_requests:inspect", args=[rosa.pk]))
    assert "Bayview" in detail.content.decode()

    for export_format in ("csv", "xlsx"):
        rows = as_dicts(export(client, export_format))
        column = heading(ConsultationRequest, "location")
        assert rows["Rosa Delgado"][column] == "Bayview"
        assert rows["Imogen Hale"][column] == "Eastbrook"

    # The sites are read with the rows: more requests, no more queries.
    with django_assert_max_num_queries(100) as few:
        export(client, "csv")
    for _ in range(5):
        ConsultationRequestFactory(location=eastbrook)
    with django_assert_max_num_queries(len(few.captured_queries)):
        export(client, "csv")


@pytest.fixture
def intake(clinic_site) -> IntakeSettings:
    intake = IntakeSettings.for_site(clinic_site.site)
    intake.intake_email = "intake@example.org"
    intake.save()
    return intake


def test_a_request_for_a_site_with_its_own_address_is_announced_there_instead(
    clinic_site, two_sites, intake
):
    bayview, eastbrook = two_sites
    IntakeLocationEmail.objects.create(settings=intake, location=bayview, email="bay@example.org")
    # Made on the Spanish page of Bayview: the same site.
    for_bayview = ConsultationRequestFactory(location=spanish_copy(bayview))
    for_eastbrook = ConsultationRequestFactory(location=eastbrook)
    without_site = ConsultationRequestFactory()

    for request in (for_bayview, for_eastbrook, without_site):
        assert notify_intake.call(request.pk)
    assert [message.to for message in mail.outbox] == [
        ["bay@example.org"],
        ["intake@example.org"],
        ["intake@example.org"],
    ]
    messages = [event.message for event in timeline(for_bayview)]
    assert "E-mail sent to the address of the preferred site" in messages


def test_a_superuser_gives_a_site_its_own_address_in_the_intake_settings(
    client, django_user_model, clinic_site, two_sites, intake
):
    bayview, _eastbrook = two_sites
    url = reverse(
        "wagtailsettings:edit", args=("appointments", "intakesettings", clinic_site.site.pk)
    )
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    form = client.get(url)
    assert b"Addresses of the sites" in form.content
    rows = {
        "location_emails-TOTAL_FORMS": "1",
        "location_emails-INITIAL_FORMS": "0",
        "location_emails-MIN_NUM_FORMS": "0",
        "location_emails-MAX_NUM_FORMS": "1000",
        "location_emails-0-location": str(bayview.pk),
        "location_emails-0-email": "bay@example.org",
        "location_emails-0-ORDER": "1",
        "location_emails-0-DELETE": "",
        "location_emails-0-id": "",
    }
    response = client.post(url, {"intake_email": "intake@example.org", **rows})
    assert response.status_code == 302
    [row] = IntakeSettings.for_site(clinic_site.site).location_emails.all()
    assert (row.location_id, row.email) == (bayview.pk, "bay@example.org")


def test_a_profile_lists_the_sites_and_asks_for_a_consultation_with_that_physician(
    client, clinic_site, consultation_page, two_sites
):
    eastbrook = two_sites[1]  # not the first site: the link names the physician's own
    physician = clinic_site.physician
    physician.location_links = [PhysicianLocation(location=eastbrook)]
    physician.offers_video_visits = True
    physician.save_revision().publish()

    page = html(client.get(physician.url))
    facts = page.find(class_="profile-facts")
    assert [(link.get_text(), link["href"]) for link in facts.find_all("a")] == [
        ("Eastbrook", eastbrook.url)
    ]
    assert "Accepting new patients" in facts.get_text()
    assert "Offered, as well as visits in person" in facts.get_text()
    link = page.find("a", string=f"Request a consultation with {physician.display_name}")
    assert (
        link["href"] == f"{consultation_page.url}?physician={physician.pk}&location={eastbrook.pk}"
        f"&from={physician.pk}"
    )

    form = html(client.get(link["href"]))
    assert selected(form, "physician") == str(physician.pk)
    assert selected(form, "location") == str(eastbrook.pk)
