"""An editor choosing a block sees, in the block picker's preview, the block as visitors will see
it: drawn in Chromium with the site's stylesheet."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from .admin import log_in
from .capture import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "block-preview-pass-123"


def test_block_picker_previews_a_callout_as_visitors_will_see_it(
    browser, live_site, live_server, django_user_model, screenshot_dir
):
    editor = django_user_model.objects.create_user("editor", "editor@example.org", PASSWORD)
    editor.groups.add(Group.objects.get(name="Marketing editors"))
    page = log_in(browser, live_server, "editor", PASSWORD)

    page.goto(live_server.url + f"/admin/pages/add/pages/standardpage/{live_site.home.pk}/")
    page.get_by_role("button", name="Insert a block").first.click()
    callout = page.get_by_role("option", name="Callout")
    # Each choice has a "Preview" button beside it.
    callout.locator("xpath=..").get_by_role("button", name="Preview").click()

    preview = page.frame_locator("iframe[src*='block-preview']")
    box = preview.get_by_role("complementary", name="Good to know")
    expect(box).to_contain_text("Most people with Bell's palsy recover within a few months.")
    # The site's callout: a tinted box with the brand colour down its side (static/css/site.css).
    # Waited for, not read once: the stylesheet may arrive after the text.
    expect(box).to_have_css("background-color", "rgb(232, 241, 242)")
    expect(box).to_have_css("border-left-width", "6px")
    expect(page.get_by_text("A highlighted note that stands out from the text")).to_be_visible()
    screenshot(page, screenshot_dir, "block-picker-callout")
