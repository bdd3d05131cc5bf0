"""Signing in to the Wagtail admin, as each browser journey's staff member does."""

from playwright.sync_api import Browser, Page


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
