"""Hostile search queries (NUL, which PostgreSQL refuses in text, control characters, markup,
SQL, very long strings) never cause a server error in the public search, the inbox search or
the admin's page search, and are shown back escaped."""

import pytest
from django.test import Client
from django.urls import reverse

from .strategies import XSS_PAYLOADS

pytestmark = pytest.mark.django_db

QUERIES = [
    "\x00",
    "canary\x00zebulon",
    "\x01\x1b[2J\x7f",
    *XSS_PAYLOADS,
    "'; DROP TABLE appointments_consultationrequest; --",
    "%' OR 1=1 --",
    "\u202eevil\u202c e\u0301 😀 مرحبا 診察",
    "x" * 5000,
]


@pytest.fixture
def superuser_client(django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    return client


def server_errors_and_live_markup(browser: Client, urls: list[str]) -> list[tuple]:
    """Each URL with each hostile query: what answered with an error or showed markup."""
    problems = []
    for url in urls:
        for query in QUERIES:
            response = browser.get(url, {"q": query})
            if response.status_code != 200:
                problems.append((url, query, response.status_code))
            elif any(payload in response.content.decode() for payload in XSS_PAYLOADS):
                problems.append((url, query, "unescaped"))
    return problems


def test_public_search_answers_any_query(client, clinic_site):
    urls = [f"/{language}/search/" for language in ("en", "es", "fr")]
    assert server_errors_and_live_markup(client, urls) == []


def test_inbox_and_admin_page_search_answer_any_query(superuser_client, clinic_site):
    urls = [
        reverse("consultation_requests:index"),
        reverse("consultation_requests:index_results"),
        reverse("wagtailadmin_pages:search"),
    ]
    assert server_errors_and_live_markup(superuser_client, urls) == []
