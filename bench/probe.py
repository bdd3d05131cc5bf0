"""Finds the benchmark's URLs in the demo site and counts the SQL queries each one takes.

Run by bench/run.py in a subprocess with the benchmark's environment (``python -m bench.probe
OUT.json``), once with the full-page cache on and once with it off. It talks to the same
PostgreSQL and Redis databases as gunicorn does, through Django's test client, so the counts are
those of a production request without the network. Each URL is requested twice with a fresh
client (no cookies: an anonymous visitor) and the second request is counted, so that one-off
work such as the first rendering of an image does not inflate the figure."""

import json
import sys
import time
from urllib.parse import quote

import django
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

LANGUAGES = ["en", "es"]
# One page of each type, chosen by its English slug; its translation gives the Spanish URL.
PAGES = {
    "home": ("pages.HomePage", None),
    "condition": ("pages.ConditionPage", "bells-palsy"),
    "treatment": ("pages.TreatmentPage", "facial-retraining-therapy"),
    "physician": ("pages.PhysicianPage", "marisol-trevane"),
}
SEARCH_TERMS = {"en": "palsy", "es": "parálisis"}
HOST = "127.0.0.1"

# A complete, valid consultation request (an invented visitor; 555-01xx numbers are fictional).
CONSULTATION_FORM = {
    "full_name": "Bench Visitor",
    "phone": "(202) 555-0143",
    "email": "bench.visitor@example.org",
    "preferred_contact_method": "phone",
    "best_time": "morning",
    "symptom_onset": "lt1y",
    "patient_status": "new",
    "referring_clinician": "",
    "condition": "",
    "physician": "",
    "consent": "on",
    "website": "",
}


def page_path(model_label: str, slug: str | None, language: str) -> str:
    from django.apps import apps
    from wagtail.models import Locale

    model = apps.get_model(model_label)
    english = model.objects.live().filter(locale__language_code="en")
    page = english.get(slug=slug) if slug else english.get()
    translation = page.get_translation(Locale.objects.get(language_code=language))
    return translation.get_url_parts()[2]


def counted_get(path: str) -> dict:
    """The second anonymous GET of ``path``: status, size, cache header and SQL queries."""
    Client(HTTP_HOST=HOST).get(path)
    with CaptureQueriesContext(connection) as queries:
        response = Client(HTTP_HOST=HOST).get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}, not 200.")
    return {
        "path": path,
        "bytes": len(response.content),
        "x_cache": response.get("X-Cache", ""),
        "queries": len(queries),
        "content": response.content.decode(),
    }


class AgedTimestampSigner(signing.TimestampSigner):
    """Signs as if the form had been shown a minute ago: a person's pace, so not flagged."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 60)


def consultation_post_data(language: str, message: str) -> dict[str, str]:
    from appointments.spam import TIMING_SALT

    token = AgedTimestampSigner(salt=TIMING_SALT).sign("form")
    return {
        **CONSULTATION_FORM,
        "preferred_language": language,
        "message": message,
        "rendered_at": token,
    }


def counted_post(path: str, language: str) -> dict:
    """The second of two valid, different consultation requests: its SQL queries and answer."""
    client = Client(HTTP_HOST=HOST)
    client.get(path)
    client.post(path, consultation_post_data(language, f"Probe warm-up {time.time()}"))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, consultation_post_data(language, f"Probe {time.time()}"))
    location = response.get("Location", "")
    if response.status_code not in (302, 303) or "confirmation" not in location:
        raise SystemExit(f"POST {path} answered {response.status_code} {location!r}.")
    return {"path": path, "queries": len(queries), "location": location}


def probe() -> dict:
    rows = []
    for language in LANGUAGES:
        paths = {name: page_path(*found, language) for name, found in PAGES.items()}
        rows += [get_row(name, language, path) for name, path in paths.items()]
        search = get_row(
            "search", language, f"/{language}/search/?q={quote(SEARCH_TERMS[language])}"
        )
        if paths["condition"] not in search["content"]:
            raise SystemExit(f"The search {search['path']} does not find {paths['condition']}.")
        rows.append(search)
        consultation = page_path("appointments.ConsultationRequestPage", None, language)
        rows.append(get_row("consultation", language, consultation))
        rows.append(
            {"page": "consultation", "language": language, "method": "POST"}
            | counted_post(consultation, language)
        )
    for row in rows:
        row.pop("content", None)
    return {"rows": rows}


def get_row(page: str, language: str, path: str) -> dict:
    return {"page": page, "language": language, "method": "GET"} | counted_get(path)


def main() -> None:
    django.setup()
    with open(sys.argv[1], "w") as out:
        json.dump(probe(), out, indent=2)


if __name__ == "__main__":
    main()
