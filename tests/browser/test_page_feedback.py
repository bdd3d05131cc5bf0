"""“Was this page helpful?” in a real browser with JavaScript switched off: a visitor says No and
leaves a comment with a phone number in it; the marketing editor reads it, masked, in the
"Page feedback" report. And the form by keyboard, with a visible focus at each stop."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from appointments.models import PageFeedback

from .admin import log_in
from .capture import screenshot
from .focus import assert_focus_visible, tab_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_visitor_without_javascript_says_no_and_the_editor_reads_the_masked_comment(
    browser, live_server, live_site, screenshot_dir, django_user_model
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + live_site.condition.url)
    feedback = page.get_by_role("group", name="Was this page helpful?")
    expect(feedback).to_be_visible()
    feedback.scroll_into_view_if_needed()
    screenshot(page, screenshot_dir, "page-feedback-form")

    feedback.get_by_role("button", name="No").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what was missing")
    note = "Please do not include your name, contact details or anything about your health."
    expect(page.get_by_text(note)).to_be_visible()
    box = page.get_by_label("What were you looking for, or what was unclear? (optional)")
    box.fill("Nothing about how long recovery takes. Call me on (202) 555-0143.")
    screenshot(page, screenshot_dir, "page-feedback-comment")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    expect(page.get_by_role("link", name="Back to Synkinesis")).to_be_visible()
    context.close()

    stored = PageFeedback.objects.get()
    assert (stored.page_id, stored.helpful) == (live_site.condition.pk, False)
    assert stored.comment == "Nothing about how long recovery takes. Call me on [phone]."

    editor = django_user_model.objects.create_user("mara", "mara@example.org", "a-long-password")
    editor.groups.add(Group.objects.get(name="Marketing editors"))
    admin = log_in(browser, live_server, "mara", "a-long-password")
    admin.goto(live_server.url + reverse("page_feedback_report"))
    expect(admin.get_by_role("cell", name="0%")).to_be_visible()  # no "yes" of one answer
    screenshot(admin, screenshot_dir, "page-feedback-admin-report")
    admin.get_by_role("link", name="Synkinesis").click()
    expect(admin.get_by_text("Call me on [phone].")).to_be_visible()
    assert "555-0143" not in admin.content()
    screenshot(admin, screenshot_dir, "page-feedback-admin-comments")
    admin.get_by_role("button", name="Mark handled").click()
    expect(admin.get_by_text("Handled by mara on")).to_be_visible()
    stored.refresh_from_db()
    assert stored.handled_by == editor
    admin.close()


def test_the_feedback_form_and_comment_step_work_by_keyboard_with_a_visible_focus(
    browser, live_server, live_site
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + live_site.treatment.url)
    # Start at the link just before the form (the consultation band's), then Tab on.
    page.locator(".cta-band a").last.focus()
    state = tab_to(page, lambda state: state["text"] == "Yes", limit=6)
    assert state["name"] == "helpful"
    page.keyboard.press("Tab")
    assert assert_focus_visible(page)["text"] == "No"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what was missing")

    # The comment box is labelled, and reached, typed into and sent from the keyboard.
    tab_to(page, lambda state: state["name"] == "comment", limit=40)
    page.keyboard.type("The risks section is hard to follow.")
    state = tab_to(page, lambda state: state["text"] == "Send", limit=3)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    assert PageFeedback.objects.get().comment == "The risks section is hard to follow."
    page.close()
