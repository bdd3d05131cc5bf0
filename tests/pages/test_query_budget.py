"""Every page type costs a fixed number of SQL queries, whatever the amount of content around
it: built small and built large, the same page costs the same, within its budget. Measured with
the full-page cache off (the cost of a page that is not in the cache yet) and after a first view
(which creates image renditions and fills the cache of the header, the footer and the routes)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.cache import new_generation
from pages import models
from pages.medical_reviews import record_review
from tests.factories.pages import (
    ConditionPageFactory,
    ImageFactory,
    PhysicianPageFactory,
    StandardPageFactory,
    TreatmentPageFactory,
)

pytestmark = pytest.mark.django_db

# The most queries each page type may take. Lower a budget when you make a page cheaper.
BUDGETS = {
    "home": 3,
    "condition index": 4,
    "treatment index": 4,
    # The physicians, their languages, their sites' rows and the sites in the visitor's language,
    # the photos' renditions (the filters' choices are kept in the cache: pages.directory).
    "physician index": 6,
    # The byline's medical review record is read the first time a page is served in a content
    # generation, then kept with the header and footer (pages.models.base.MedicallyReviewedMixin).
    # The physicians' cards name their languages: one query for all of them.
    "condition": 7,
    "treatment": 6,
    # Conditions treated, treatments performed, languages, and the sites (their rows, then the
    # pages in the physician's language).
    "physician": 5,
    "accessibility": 1,
    "contact": 1,
    "standard": 1,
    # The page, and the choices of condition, physician and site (appointments.forms).
    "consultation": 4,
    # The locale, the best 101 results (kept in the cache for the content generation, so none on
    # this second view), and the page's ten results as their own types (pages.search).
    "search": 3,
    # Built once per content generation, then served from the cache without a query
    # (pages.sitemaps); counted here as built, with the routing cache's site lookups (the host
    # names, the site, its root paths), then the home page of each language, and for the index
    # one count per language (one here), for a language's file its section's count, its pages
    # and their translations.
    "sitemap index": 5,
    "sitemap": 7,
}
SMALL, LARGE = 2, 12
NUMBERS = itertools.count(1)


@pytest.fixture(autouse=True)
def without_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def count_queries(client, url: str, keep_cache: bool = True) -> int:
    if keep_cache:
        client.get(url)  # the first view creates renditions and caches the header and footer
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def assert_flat(kind: str, small: int, large: int) -> None:
    assert small == large, f"{kind}: {small} queries small, {large} large"
    assert large <= BUDGETS[kind], f"{kind}: {large} queries, budget {BUDGETS[kind]}"


def add_physicians(clinic_site, size: int) -> list[models.PhysicianPage]:
    return [
        PhysicianPageFactory(parent=clinic_site.physicians, photo=ImageFactory())
        for _ in range(size)
    ]


def add_treatments(clinic_site, size: int, physicians=()) -> list[models.TreatmentPage]:
    treatments = [
        TreatmentPageFactory(
            parent=clinic_site.treatments,
            image=ImageFactory(),
            physician_links=[models.TreatmentPhysician(physician=p) for p in physicians],
        )
        for _ in range(size)
    ]
    for treatment in treatments:
        # Reviewed, as every treatment should be, by one of the physicians who perform it.
        record_review(treatment, physician=physicians[0] if physicians else None)
    return treatments


def add_condition(clinic_site, size: int, treatments=(), physicians=()) -> models.ConditionPage:
    condition = ConditionPageFactory(
        parent=clinic_site.conditions,
        title=f"Condition {next(NUMBERS)} with {size}",
        image=ImageFactory(),
        treatment_options=[
            models.ConditionTreatmentOption(treatment=t, note="note") for t in treatments
        ],
        physician_links=[models.ConditionPhysician(physician=p) for p in physicians],
        faq=[
            ("question", {"question": f"Question {n}?", "answer": "<p>Answer.</p>"})
            for n in range(size)
        ],
    )
    record_review(condition, physician=physicians[0] if physicians else None)
    return condition


def add_conditions(clinic_site, size: int) -> list[models.ConditionPage]:
    return [add_condition(clinic_site, 1) for _ in range(size)]


def test_a_condition_costs_the_same_with_2_or_12_treatments_physicians_and_questions(
    client, clinic_site
):
    costs = []
    for size in (SMALL, LARGE):
        physicians = add_physicians(clinic_site, size)
        condition = add_condition(
            clinic_site, size, add_treatments(clinic_site, size, physicians[:1]), physicians
        )
        assert len(condition.treatments) == size
        costs.append(count_queries(client, condition.url))
    assert_flat("condition", *costs)


def test_a_treatment_costs_the_same_with_2_or_12_physicians_and_conditions(client, clinic_site):
    costs = []
    for size in (SMALL, LARGE):
        physicians = add_physicians(clinic_site, size)
        [treatment] = add_treatments(clinic_site, 1, physicians)
        for _ in range(size):
            add_condition(clinic_site, 1, [treatment], physicians[:1])
        costs.append(count_queries(client, treatment.url))
    assert_flat("treatment", *costs)


def test_a_physician_costs_the_same_with_2_or_12_conditions_and_treatments(client, clinic_site):
    costs = []
    for size in (SMALL, LARGE):
        [physician] = add_physicians(clinic_site, 1)
        treatments = add_treatments(clinic_site, size, [physician])
        for _ in range(size):
            add_condition(clinic_site, 1, treatments[:1], [physician])
        costs.append(count_queries(client, physician.url))
    assert_flat("physician", *costs)


@pytest.mark.parametrize(
    ("kind", "section", "add"),
    [
        (
            "condition index",
            "conditions",
            lambda site, n: [add_condition(site, 1) for _ in range(n)],
        ),
        ("treatment index", "treatments", add_treatments),
        ("physician index", "physicians", add_physicians),
    ],
)
def test_a_section_costs_the_same_with_few_or_many_pages(client, clinic_site, kind, section, add):
    index = getattr(clinic_site, section)
    add(clinic_site, SMALL)
    small = count_queries(client, index.url)
    add(clinic_site, 40)  # more than a page of the listing
    large = count_queries(client, index.url)
    assert_flat(kind, small, large)
    assert count_queries(client, index.url + "?page=2") == large


def test_the_home_page_costs_the_same_with_2_or_8_featured_conditions(client, clinic_site):
    costs = []
    for size in (SMALL, 8):
        clinic_site.home.featured_conditions = [
            models.HomePageFeaturedCondition(condition=add_condition(clinic_site, 1))
            for _ in range(size)
        ]
        clinic_site.home.save()
        costs.append(count_queries(client, clinic_site.home.url))
    assert_flat("home", *costs)


@pytest.mark.parametrize("kind", ["accessibility", "contact", "standard"])
def test_text_pages_cost_the_same_however_long_they_are(client, clinic_site, kind):
    paragraphs = [("paragraph", f"<p>Paragraph {n}.</p>") for n in range(LARGE)]
    if kind == "standard":
        small_page = clinic_site.privacy
        large_page = StandardPageFactory(parent=clinic_site.home, slug="long", body=paragraphs)
        costs = [count_queries(client, small_page.url), count_queries(client, large_page.url)]
    else:
        page = clinic_site.accessibility if kind == "accessibility" else clinic_site.contact
        small = count_queries(client, page.url)
        page.body = paragraphs
        page.save_revision().publish()
        costs = [small, count_queries(client, page.url)]
    assert_flat(kind, *costs)


def test_the_consultation_form_costs_the_same_with_few_or_many_conditions_and_physicians(
    client, clinic_site, consultation_page
):
    small = count_queries(client, consultation_page.url)
    physicians = add_physicians(clinic_site, LARGE)
    for _ in range(LARGE):
        add_condition(clinic_site, 1, physicians=physicians[:1])
    large = count_queries(client, consultation_page.url)
    assert_flat("consultation", small, large)


def test_search_costs_the_same_with_2_or_12_results(client, clinic_site):
    add_treatments(clinic_site, SMALL)
    small = count_queries(client, "/en/search/?q=treatment")
    add_treatments(clinic_site, LARGE)
    large = count_queries(client, "/en/search/?q=treatment")
    assert_flat("search", small, large)


def count_building(client, url: str) -> int:
    """The queries of a response built anew, as after a publish: the sitemaps are otherwise
    served from the cache without any (tests/pages/test_site_services.py)."""
    client.get(url)
    new_generation()
    return count_queries(client, url, keep_cache=False)


def test_the_sitemaps_cost_the_same_to_build_with_few_or_many_pages(client, clinic_site):
    small = {url: count_building(client, url) for url in ("/sitemap.xml", "/sitemap-en.xml")}
    add_physicians(clinic_site, 40)
    large = {url: count_building(client, url) for url in ("/sitemap.xml", "/sitemap-en.xml")}
    assert_flat("sitemap index", small["/sitemap.xml"], large["/sitemap.xml"])
    assert_flat("sitemap", small["/sitemap-en.xml"], large["/sitemap-en.xml"])
