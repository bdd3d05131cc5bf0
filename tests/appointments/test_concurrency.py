"""Fifty visitors sending at the same moment against PostgreSQL: fifty rows, fifty references."""

import threading

import pytest
from django.db import connection
from django.test import Client

from appointments.models import ConsultationRequest

from .helpers import consultation_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_50_parallel_submissions_give_50_rows_with_unique_references(consultation_page, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI always runs it there")
    settings.CONSULTATION_RATE_LIMIT = "1000/h"
    url = consultation_page.url
    start = threading.Barrier(50)
    statuses: list[int] = []
    lock = threading.Lock()

    def visitor(number: int) -> None:
        client = Client(REMOTE_ADDR=f"10.0.{number // 250}.{number % 250 + 1}")
        data = consultation_data(full_name=f"Visitor {number}", email=f"v{number}@example.org")
        start.wait()
        try:
            response = client.post(url, data)
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert statuses == [302] * 50
    references = list(ConsultationRequest.objects.values_list("reference", flat=True))
    assert len(references) == 50
    assert len(set(references)) == 50


@pytest.mark.django_db(transaction=False)
def test_a_clashing_reference_is_drawn_again_instead_of_failing():
    from .factories import ConsultationRequestFactory

    first = ConsultationRequestFactory(reference="ABCDEF")
    second = ConsultationRequestFactory(reference="ABCDEF")
    assert first.reference == "ABCDEF"
    assert second.pk and second.reference != "ABCDEF"
