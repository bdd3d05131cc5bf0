"""A patient who misspells a condition on the demo site is offered the right spelling, in their
language, and one click on it finds the page."""

import pytest

from tests.browser.capture import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize(
    ("language", "query", "suggested", "title"),
    [
        ("en", "sinkinesys", "synkinesis", "Synkinesis"),
        ("es", "sinkinesya", "sincinesia", "Sincinesia"),
    ],
)
def test_did_you_mean_link_runs_the_suggested_search_and_finds_the_page(
    browser, live_server, demo_site, screenshot_dir, language, query, suggested, title
):
    page = browser.new_page()
    page.goto(f"{live_server.url}/{language}/search/")
    page.fill("#search-page-q", query)
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_url(f"**/{language}/search/?q=*")

    assert page.locator(".search-results").count() == 0
    link = page.locator(".search-suggestion a")
    assert link.inner_text() == suggested
    screenshot(page, screenshot_dir, f"search-did-you-mean-{language}")

    link.click()
    page.wait_for_url(f"**/{language}/search/?q={suggested}")
    assert page.locator("#search-page-q").input_value() == suggested
    titles = page.locator(".search-results h2 a").all_inner_texts()
    assert title in titles
    page.close()
