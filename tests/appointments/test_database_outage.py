"""The database goes away a moment after a request was committed (a restart, a failover): the
visitor must be confirmed, because the request is stored. Telling them "it has not been saved"
would be false, and would send them to send it again or to phone. Found by the reliability load
test (bench/load_test.py) with PostgreSQL restarted under load."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from appointments.models import ConsultationRequest

from .helpers import consultation_data, html

# Transactional, so that on_commit callbacks run when the request's transaction commits, as in
# production (a plain test wraps everything in one transaction that is never committed).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GONE = OperationalError("server closed the connection unexpectedly")


def test_a_request_committed_just_before_the_database_goes_away_is_confirmed(
    consultation_page, settings
):
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    visitor = Client(raise_request_exception=False)
    # Everything the request would write after its commit fails: queueing the e-mails and
    # (should the page ever use it again) the session.
    with (
        mock.patch(
            "django_tasks.backends.immediate.ImmediateBackend.enqueue", side_effect=GONE
        ) as enqueue,
        mock.patch("django.contrib.sessions.backends.db.SessionStore.save", side_effect=GONE),
    ):
        response = visitor.post(consultation_page.url, consultation_data())

    assert response.status_code == 302, response.content.decode()
    assert enqueue.call_count == 2  # the intake notification and the visitor's acknowledgement
    assert response.url == consultation_page.url + "confirmation/"
    stored = ConsultationRequest.objects.get()
    # The database is back: the confirmation shows the reference, and the request waits for
    # `retry_notifications` to announce it.
    confirmation = visitor.get(response.url)
    assert html(confirmation).find(class_="reference__number").get_text() == stored.reference
    assert stored.notified_at is None
