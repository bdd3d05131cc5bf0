"""A condition page costs the same number of SQL queries however many treatments and
physicians it links: the cost must not grow as editors add content."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pages import models
from tests.factories.pages import ConditionPageFactory, PhysicianPageFactory, TreatmentPageFactory

pytestmark = pytest.mark.django_db

# Routing (Wagtail walks the path), settings, menu, breadcrumbs, translations for the language
# switcher, physicians with their photo
# renditions, treatment options with their treatments. Lower it when you make pages cheaper.
QUERY_BUDGET = 20


def build_condition(clinic_site, size: int) -> models.ConditionPage:
    physicians = [PhysicianPageFactory(parent=clinic_site.physicians) for _ in range(size)]
    treatments = [
        TreatmentPageFactory(
            parent=clinic_site.treatments,
            physician_links=[models.TreatmentPhysician(physician=physicians[0])],
        )
        for _ in range(size)
    ]
    return ConditionPageFactory(
        parent=clinic_site.conditions,
        title=f"Condition with {size}",
        reviewed_by=physicians[0],
        treatment_options=[
            models.ConditionTreatmentOption(treatment=t, note="note") for t in treatments
        ],
        physician_links=[models.ConditionPhysician(physician=p) for p in physicians],
    )


def count_queries(client, page) -> int:
    client.get(page.url)  # first view creates image renditions; measure the steady state
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    return len(queries)


def test_condition_page_query_count_is_fixed_for_2_and_12_treatments_and_physicians(
    client, clinic_site
):
    small = build_condition(clinic_site, 2)
    large = build_condition(clinic_site, 12)
    small_count = count_queries(client, small)
    large_count = count_queries(client, large)
    assert small_count == large_count
    assert large.treatments and len(large.treatments) == 12
    assert large_count <= QUERY_BUDGET, large_count
