"""A private page (a Wagtail view restriction) is left out of everything that lists pages: the
section index, the pages that link to it, the sitemap and search. Whether any page is private is
cached (pages.models.base.public), so the first restriction must be noticed at once."""

import pytest
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


def shown(client, url: str, text: str) -> bool:
    response = client.get(url)
    assert response.status_code == 200, url
    return text in response.content.decode()


def test_a_page_made_private_leaves_listings_links_sitemap_and_search(client, clinic_site):
    condition = clinic_site.condition
    places = {
        "section index": (clinic_site.conditions.url, f'href="{condition.url}"'),
        "treatment it is linked from": (clinic_site.treatment.url, f'href="{condition.url}"'),
        "sitemap": ("/sitemap-en.xml", condition.full_url),
        "search": ("/en/search/?q=synkinesis", f'href="{condition.url}"'),
    }
    # Seen everywhere while no page is private (and "no page is private" is now cached).
    assert {name: shown(client, *place) for name, place in places.items()} == dict.fromkeys(
        places, True
    )

    PageViewRestriction.objects.create(page=condition, restriction_type=PageViewRestriction.LOGIN)

    assert {name: shown(client, *place) for name, place in places.items()} == dict.fromkeys(
        places, False
    )
    assert client.get(condition.url).status_code == 302  # asks for a sign-in
