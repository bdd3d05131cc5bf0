"""Signing in to the Wagtail admin, as each browser journey's staff member does."""

from playwright.sync_api import Browser, Page, expect


def log_in(browser: Browser, live_server, username: str, password: str) -> Page:
    """A new window at a laptop's width, signed in as ``username`` through the login form, on
    the admin's dashboard."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")
    return page


def wait_for_autosave(page: Page) -> None:
    """Wait until the editor's autosave has stored the last change.

    Wagtail saves a draft half a second after each change and then redraws parts of the form,
    the action menu among them. A click on "Resubmit" while that draft is on its way can land on
    a button the redraw replaces, and the form is never sent (seen once in CI, on a slow
    machine). The indicator says when the draft is stored."""
    expect(page.locator("#w-autosave-indicator")).to_have_attribute(
        "data-w-autosave-state-value", "saved"
    )
