"""Who can open what in the admin, role by role and address by address, and where a request's
personal data may appear: only in the inbox, to intake staff and superusers. Never on the
dashboard, in a search, to any other group, or in an e-mail."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from appointments.models import ConsultationRequest, IntakeSettings
from tests.appointments.helpers import consultation_data

from .conftest import staff_member

pytestmark = pytest.mark.django_db

CANARY = {
    "full_name": "Canary Zebulon-Quill",
    "email": "canary-7f3a@example.org",
    "phone": "(202) 555-0199",
    "message": "canary-message-91c2",
}
# How the site stores and shows the canary's phone number: as stored (E.164) in the admin's
# views, in the national format in exports (appointments.exports).
PHONE_FORMS = ("+12025550199", CANARY["phone"])
CANARY_STRINGS = [CANARY["full_name"], CANARY["email"], PHONE_FORMS[0], CANARY["message"]]


def canary_strings_in(text: str) -> list[str]:
    """The canary's strings that ``text`` holds, its phone number in any of its forms."""
    found = [string for string in CANARY_STRINGS if string in text]
    if PHONE_FORMS[0] not in found and any(form in text for form in PHONE_FORMS):
        found.append(PHONE_FORMS[0])
    return found


# Searches use part of the name: search pages repeat the query, which must not count as a leak.
QUERY = "Zebulon"

LOGIN = "302 to sign-in"
DASHBOARD = "302 to dashboard"  # Wagtail's answer to a page the user has no permission for

URLS = [
    "inbox",
    "inbox_results",
    "detail",
    "edit",
    "history",
    "delete",
    "export_csv",
    "export_xlsx",
    "inbox_search",
    "dashboard",
    "clinic_settings",
    "intake_settings",
    "page_search",
    "site_history",
    "site_search",
]
# fmt: off
EXPECTED = {
    # role            inbox results detail edit history delete csv xlsx search
    #                 dashboard clinic_settings intake_settings page_search site_history site_search
    "anonymous":     (*[LOGIN] * 9,
                      LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 200),
    "marketing":     (*[403] * 9,
                      200, DASHBOARD, DASHBOARD, 200, 200, 200),
    "translator_es": (*[403] * 9,
                      200, DASHBOARD, DASHBOARD, DASHBOARD, 200, 200),
    "translator_fr": (*[403] * 9,
                      200, DASHBOARD, DASHBOARD, DASHBOARD, 200, 200),
    "physician":     (*[403] * 9,
                      200, DASHBOARD, DASHBOARD, 200, 200, 200),
    "intake":        (200, 200, 200, 200, 200, DASHBOARD, 200, 200, 200,
                      200, DASHBOARD, DASHBOARD, DASHBOARD, 200, 200),
    "superuser":     (*[200] * 9,
                      200, 200, 200, 200, 200, 200),
}
# fmt: on
GROUPS = {
    "marketing": "Marketing editors",
    "translator_es": "Translators (Spanish)",
    "translator_fr": "Translators (French)",
    "physician": "Physicians (clinical review)",
    "intake": "Intake staff",
}
# Where the canary belongs, and only for those who triage requests: the whole request in its
# detail, edit and export views, its name in the inbox's lists.
MAY_SEE_REQUESTS = {"intake", "superuser"}
WHOLE_REQUEST_VIEWS = {"detail", "edit", "export_csv", "export_xlsx"}
LIST_VIEWS = {"inbox", "inbox_results", "inbox_search"}


def urls_for(request: ConsultationRequest, site_pk: int) -> dict[str, str]:
    index = reverse("consultation_requests:index")
    settings_url = "wagtailsettings:edit"
    return {
        "inbox": index,
        "inbox_results": reverse("consultation_requests:index_results"),
        "detail": reverse("consultation_requests:inspect", args=[request.pk]),
        "edit": reverse("consultation_requests:edit", args=[request.pk]),
        "history": reverse("consultation_requests:history", args=[request.pk]),
        "delete": reverse("consultation_requests:delete", args=[request.pk]),
        "export_csv": f"{index}?export=csv",
        "export_xlsx": f"{index}?export=xlsx",
        "inbox_search": f"{index}?q={QUERY}",
        "dashboard": reverse("wagtailadmin_home"),
        "clinic_settings": reverse(settings_url, args=("core", "clinicsettings", site_pk)),
        "intake_settings": reverse(settings_url, args=("appointments", "intakesettings", site_pk)),
        "page_search": f"{reverse('wagtailadmin_pages:search')}?q={QUERY}",
        "site_history": reverse("wagtailadmin_reports:site_history"),
        "site_search": f"{reverse('search')}?q={QUERY}",
    }


def readable_text(response) -> str:
    """The response body as text; a spreadsheet as the text of its cells."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    return body.decode()


def outcome(response) -> int | str:
    if response.status_code != 302:
        return response.status_code
    if response.url.startswith(reverse("wagtailadmin_login")):
        return LOGIN
    return DASHBOARD if response.url == reverse("wagtailadmin_home") else response.url


@pytest.fixture
def canary(client, consultation_page, clinic_site, django_capture_on_commit_callbacks):
    """A request sent through the public form, with the intake team told of it by e-mail and
    the visitor sent an acknowledgement."""
    intake = IntakeSettings.for_site(clinic_site.site)
    intake.intake_email = "intake@example.org"
    intake.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(consultation_page.url, consultation_data(**CANARY))
    assert response.status_code == 302
    return ConsultationRequest.objects.get()


@pytest.fixture
def browsers(django_user_model) -> dict[str, Client]:
    """A browser for each role, signed in as a member of that role's group."""
    browsers = {"anonymous": Client()}
    for role, group_name in GROUPS.items():
        browsers[role] = Client()
        browsers[role].force_login(staff_member(django_user_model, group_name, role))
    browsers["superuser"] = Client()
    browsers["superuser"].force_login(
        django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    )
    return browsers


def test_each_role_gets_what_the_matrix_says_and_sees_requests_only_where_allowed(
    canary, browsers, clinic_site
):
    urls = urls_for(canary, clinic_site.site.pk)
    assert list(urls) == URLS
    mismatches, leaks, missing = [], [], []
    for role, expected_row in EXPECTED.items():
        for name, expected in zip(URLS, expected_row, strict=True):
            response = browsers[role].get(urls[name])
            if outcome(response) != expected:
                mismatches.append((role, name, outcome(response), expected))
            text = readable_text(response)
            shown = canary_strings_in(text)
            if role in MAY_SEE_REQUESTS and name in WHOLE_REQUEST_VIEWS | LIST_VIEWS:
                belongs = CANARY_STRINGS if name in WHOLE_REQUEST_VIEWS else [CANARY["full_name"]]
                if set(belongs) - set(shown):
                    missing.append((role, name, set(belongs) - set(shown)))
            elif shown:
                leaks.append((role, name, shown))
    assert mismatches == [], "role, url, got, expected"
    assert leaks == [], "personal data shown where it must not be"
    assert missing == [], "the canary is missing where it belongs: the test would prove nothing"


def test_emails_about_a_request_carry_no_personal_data(canary, mailoutbox):
    """The intake team's notification names only the request number; the visitor's
    acknowledgement goes to their address and repeats none of their answers."""
    assert sorted(message.to[0] for message in mailoutbox) == [
        CANARY["email"],
        "intake@example.org",
    ]
    for message in mailoutbox:
        headers = "\n".join(f"{name}: {value}" for name, value in message.extra_headers.items())
        parts = [message.subject, message.body, headers, message.from_email]
        parts += [content for content, _mimetype in getattr(message, "alternatives", [])]
        if message.to != [CANARY["email"]]:
            parts += [*message.to, *message.cc, *message.bcc, *message.reply_to]
        text = "\n".join(parts)
        assert canary_strings_in(text) == [], message.subject
        assert canary.reference in message.subject
