"""The page editor's accessibility checks, in Chromium: Wagtail's own rules stay on, and a link
whose text says nothing out of context ("Learn more", "Click here", "Más información") is flagged
for the editor before the page is published."""

import pytest

from .admin import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_editor_is_told_about_vague_link_text_and_nothing_else(
    browser, live_server, live_site, django_user_model, screenshot_dir
):
    privacy = live_site.privacy
    privacy.body = [
        (
            "paragraph",
            '<p>How we keep your data: <a href="https://example.org/">Learn more</a>. '
            '<a href="https://example.org/es/">Más información</a>. '
            f'To book, <a href="{live_site.contact.url}">click here</a>. '
            f'<a href="{live_site.accessibility.url}">Our accessibility statement</a> '
            "explains how to ask for other formats.</p>",
        ),
        ("heading", {"text": "Your rights", "level": "h2"}),
    ]
    privacy.save_revision().publish()
    django_user_model.objects.create_superuser("edith", "edith@example.org", "editor-pass-123")

    page = log_in(browser, live_server, "edith", "editor-pass-123")
    page.goto(f"{live_server.url}/admin/pages/{privacy.pk}/edit/")
    page.get_by_role("button", name="Toggle checks").click()

    panel = page.locator("[data-side-panel='checks']")
    issues = panel.get_by_text("Link text is vague")
    issues.first.wait_for()
    page.screenshot(path=screenshot_dir / "editor-checks-vague-links-1280.png")
    assert issues.count() == 3
    # The descriptive link is not flagged, and no other rule fires on this page.
    assert panel.locator("[data-content-checker-row]").count() == 3
    page.close()
