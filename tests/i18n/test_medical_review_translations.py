"""A translation is medically reviewed as what it was translated from: it shows the original's
latest review, says when the original was reviewed again after the translation went live, and
the report lists it in its language."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page

from pages.medical_reviews import record_review
from pages.models import MedicalReview

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def without_page_cache(settings):
    # A review is recorded when the approval's transaction commits, which tests never do; the
    # page published with it empties the cache (pages.signals) in real use.
    settings.PAGE_CACHE_ENABLED = False


def review_texts(client, page) -> list[str]:
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    return [
        p.get_text(" ", strip=True)
        for p in html.find_all("p", class_=["medical-review", "medical-review-notice"])
    ]


def test_a_translation_shows_its_sources_review_not_its_own(client, clinic_site, spanish_site):
    spanish = spanish_site[clinic_site.condition.pk]
    # A physician approved the Spanish page's own review later: the byline stays the English
    # page's, what the content was translated from.
    record_review(spanish, physician=clinic_site.physician, on=datetime.date(2026, 11, 1))

    [byline] = review_texts(client, spanish)
    assert byline.startswith("Revisado médicamente por Dr Ana Rivera el 15 de octubre de 2026")
    assert spanish.specific.medical_review.page_id == clinic_site.condition.pk


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("es", "La versión original se revisó de nuevo el"),
        ("fr", "La version originale a été relue à nouveau le"),
    ],
)
def test_a_translation_says_when_its_source_was_reviewed_again_since_it_was_made(
    client, clinic_site, spanish_site, translate, language, notice
):
    if language == "es":
        translated = spanish_site[clinic_site.condition.pk]
    else:
        for page in (clinic_site.home, clinic_site.conditions):
            translate(page, "fr")
        translated = translate(clinic_site.condition, "fr")
    assert len(review_texts(client, translated)) == 1  # made after the last review: no notice

    # The translation went live ten days ago; the English page was reviewed again today.
    Page.objects.filter(pk=translated.pk).update(
        last_published_at=timezone.now() - datetime.timedelta(days=10)
    )
    record_review(clinic_site.condition, physician=clinic_site.physician)

    byline, shown_notice = review_texts(client, translated)
    assert shown_notice.startswith(notice)
    assert "Dr Ana Rivera" in byline


def test_the_report_filters_by_language_and_lists_translations_with_their_sources_review(
    admin_client, clinic_site, spanish_site
):
    clinic_site.condition.next_review_due = None
    clinic_site.condition.save_revision().publish()
    MedicalReview.objects.filter(page=clinic_site.condition).update(
        reviewed_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    spanish = spanish_site[clinic_site.condition.pk]
    es = Locale.objects.get(language_code="es").pk
    html = admin_client.get(reverse("medical_review_due"), {"language": es}).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[spanish.pk]) in html
    assert reverse("wagtailadmin_pages:edit", args=[clinic_site.condition.pk]) not in html
    assert "Dr Ana Rivera" in html
