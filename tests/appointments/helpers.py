import time
from unittest import mock

from bs4 import BeautifulSoup

from appointments.spam import timing_token


def aged_timing_token(seconds: int = 60) -> str:
    """The hidden time stamp of a form shown ``seconds`` ago."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds):
        return timing_token()


def consultation_data(**overrides) -> dict[str, str]:
    """A complete, valid consultation request as the browser would post it."""
    data = {
        "full_name": "Rosa Delgado",
        "phone": "(202) 555-0123",
        "email": "rosa@example.org",
        "preferred_contact_method": "phone",
        "best_time": "morning",
        "preferred_language": "en",
        "symptom_onset": "lt1y",
        "patient_status": "new",
        "referring_clinician": "",
        "message": "My left eye closes when I smile.",
        "consent": "on",
        "website": "",
        "rendered_at": aged_timing_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")
