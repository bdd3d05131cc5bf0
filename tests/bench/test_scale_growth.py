"""The scale benchmark grows the demo clinic in bulk (bench/scale_site.py), around the editor's
path: what it makes must be what the editor's path would make, or the benchmark measures another
site. A valid page tree, live translations sharing the English page's translation key, the demo's
links, medical reviews and search entries, each page served in its language and listed by its
language's sitemap."""

import pytest
from wagtail.models import Locale, Page
from wagtail.search.models import IndexEntry

from bench import scale_site
from core.dependents import links_of
from pages.models import ConditionPage, TreatmentPage
from pages.models.medical_review import MedicalReview

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def copies(model, language: str):
    return model.objects.filter(
        locale__language_code=language, slug__startswith=scale_site.PREFIX["condition"]
    ) | model.objects.filter(
        locale__language_code=language, slug__startswith=scale_site.PREFIX["treatment"]
    )


def test_grown_pages_are_a_valid_tree_served_linked_and_indexed_in_every_language(
    demo_content, client
):
    scale_site.grow(3)

    assert not any(Page.find_problems()), "treebeard finds the page tree broken"
    english = list(copies(ConditionPage, "en").order_by("slug"))
    assert [page.slug for page in english] == [
        "bench-condition-0001",
        "bench-condition-0002",
        "bench-condition-0003",
    ]
    assert copies(TreatmentPage, "en").count() == 3
    sitemaps = {
        code: client.get(f"/sitemap-{code}.xml").content.decode() for code in ("en", "es", "fr")
    }
    for page in english:
        assert page.treatment_options.count() == scale_site.LINKED_TREATMENTS
        assert page.physician_links.count() == scale_site.LINKED_PHYSICIANS
        assert MedicalReview.objects.filter(page=page).exists()
        translations = list(page.get_translations(inclusive=True).specific())
        assert sorted(t.locale.language_code for t in translations) == ["en", "es", "fr"]
        for translation in translations:
            assert translation.live and translation.alias_of_id is None
            assert IndexEntry.objects.filter(object_id=str(translation.pk)).exists()
            response = client.get(translation.url)
            assert response.status_code == 200
            assert translation.title in response.content.decode()
            assert translation.url in sitemaps[translation.locale.language_code]
        spanish = next(t for t in translations if t.locale.language_code == "es")
        linked = [option.treatment for option in spanish.treatments]
        assert [t.locale.language_code for t in linked] == ["es"] * scale_site.LINKED_TREATMENTS
        # Indexed as saving the page would have: a publish finds the pages that show it there.
        for version in (page, spanish):
            assert links_of([version.pk]) >= {
                *(option.treatment_id for option in version.treatment_options.all()),
                *(link.physician_id for link in version.physician_links.all()),
            }


def test_growing_again_adds_only_the_missing_pages_and_keeps_the_explorer_sections(demo_content):
    scale_site.grow(2)
    scale_site.grow(2)
    assert copies(ConditionPage, "fr").count() == 2

    scale_site.grow(4)

    assert not any(Page.find_problems())
    english = Locale.get_default()
    assert copies(ConditionPage, "en").count() == 4
    assert copies(ConditionPage, "es").count() == 4
    for rows in scale_site.EXPLORER_ROWS:
        section = Page.objects.get(slug=f"bench-explorer-{rows}", locale=english)
        assert not section.live
        assert section.get_children().count() == rows
