"""Editorial journeys in the Wagtail admin, in Chromium: an editor publishes a new condition page;
its French translation goes live only after clinical review."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Locator, expect
from wagtail.images import get_image_model
from wagtail.models import Locale, WorkflowState

from pages.models import (
    ConditionIndexPage,
    ConditionPage,
    ConditionTreatmentOption,
    MedicalReview,
    PhysicianPage,
    TreatmentPage,
)

from .admin import log_in
from .capture import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "editorial-pass-123"
NAMES = {"marketing-editor": ("Sam", "Okafor"), "clinical-reviewer": ("Ana", "Rivera")}
TREATMENT = "Botulinum toxin injections"
NOTE = "Relaxes the overactive muscles for about three months."
ENGLISH_ALT = "One side of a face at rest, the eyelid and cheek slightly drawn"
FRENCH_ALT = "Un côté du visage au repos, la paupière et la joue légèrement tirées"
COMMENT = "Please say that it is usually caused by an irritated facial nerve."
REVIEWED_SUMMARY = "Twitching of the muscles on one side of the face, from an irritated nerve."
PHYSICIAN_USER = "Ana Rivera"  # the reviewer's account, as the admin names it


def today() -> str:
    with translation.override("en"):
        return date_format(timezone.localdate(), "DATE_FORMAT")


@pytest.fixture
def member_of(django_user_model):
    """Makes an admin user in one of the groups that the data migrations create."""

    def member_of(group_name: str, username: str):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
        user.first_name, user.last_name = NAMES.get(username, ("", ""))
        user.save()
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return member_of


def english_conditions() -> ConditionIndexPage:
    return ConditionIndexPage.objects.get(locale__language_code="en")


def translate_segment(tab: Locator, heading: str, text: str) -> None:
    """Type the translation of one segment in wagtail-localize's editor and save it."""
    # The innermost list item under the heading: for a field of an inline, the heading is
    # inside the segment's own item as well as the inline's.
    segment = (
        tab.get_by_role("listitem")
        .filter(has=tab.page.get_by_role("heading", name=heading, exact=True))
        .last
    )
    segment.get_by_role("button", name="Translate", exact=True).click()
    segment.get_by_role("textbox").fill(text)
    with tab.page.expect_response(re.compile(r"/strings/\d+/edit/$")) as saved:
        segment.get_by_role("button", name="Save").click()
    assert saved.value.ok
    expect(segment).to_contain_text(text)


def test_editor_adds_a_condition_that_goes_live_once_a_physician_approves_it(
    browser, live_server, demo_site, member_of, screenshot_dir
):
    editor = member_of("Marketing editors", "marketing-editor")
    reviewer = member_of("Physicians (clinical review)", "clinical-reviewer")
    # The physician's profile names their account: the byline names the profile.
    profile = PhysicianPage.objects.filter(locale__language_code="en").order_by("pk").first()
    profile.user = reviewer
    profile.save()
    reviewer_name = profile.display_name
    botox = TreatmentPage.objects.get(locale__language_code="en", title=TREATMENT)

    page = log_in(browser, live_server, "marketing-editor", PASSWORD)
    page.get_by_role("button", name="Pages").click()
    explorer = page.get_by_role("dialog", name="Page explorer")
    explorer.get_by_role("link", name="View child pages of 'Home'").click()
    explorer.get_by_role("link", name="Conditions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exploring: Conditions")

    page.get_by_role("link", name="Add child page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New: Condition page")
    page.get_by_role("textbox", name="Title*").fill("Hemifacial spasm")
    page.get_by_role("textbox", name="Summary*").fill(
        "Twitching of the muscles on one side of the face."
    )
    page.get_by_role("button", name="Add Treatment option").click()
    option = page.get_by_role("region", name="Treatment option 1")
    option.get_by_role("button", name="Choose a page (Treatment page)").click()
    chooser = page.get_by_role("dialog")
    expect(chooser.get_by_role("heading", name="Choose Treatment page")).to_be_visible()
    chooser.get_by_role("row", name="Home").get_by_role("link", name="Explore").click()
    chooser.get_by_role("row", name="Treatments").get_by_role("link", name="Explore").click()
    chooser.get_by_role("link", name=TREATMENT).click()
    expect(chooser).to_be_hidden()
    expect(option).to_contain_text(TREATMENT)
    option.get_by_role("textbox", name="Note for this condition").fill(NOTE)
    screenshot(page, screenshot_dir, "journey-editor-new-condition")

    # Clinical review is the only way live: the editor is offered no "Publish", only review.
    page.get_by_role("button", name="More actions").click()
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Submit to Clinical review").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{english_conditions().pk}/")
    expect(page.get_by_role("row", name="Hemifacial spasm")).to_contain_text(
        "Current page status: in moderation"
    )
    page.close()
    assert not ConditionPage.objects.get(title="Hemifacial spasm").live

    # A physician asks for changes from the dashboard, with a comment, and is told what it did.
    page = log_in(browser, live_server, "clinical-reviewer", PASSWORD)
    awaiting = page.get_by_role("region", name="Awaiting your review")
    row = awaiting.get_by_role("row", name="Hemifacial spasm")
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Request changes").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox", name="Comment").fill(COMMENT)
    dialog.get_by_role("button", name="Request changes").click()
    expect(page.locator(".messages")).to_contain_text(
        "Changes requested on “Hemifacial spasm”. Sam Okafor sees your comment"
    )
    screenshot(page, screenshot_dir, "journey-physician-requested-changes")
    page.close()
    assert not ConditionPage.objects.get(title="Hemifacial spasm").live

    # The editor opens the page: the physician's comment is at the top. They make the change
    # and resubmit; still no "Publish".
    page = log_in(browser, live_server, "marketing-editor", PASSWORD)
    condition = ConditionPage.objects.get(title="Hemifacial spasm")
    page.goto(f"{live_server.url}/admin/pages/{condition.pk}/edit/")
    expect(page.locator(".messages")).to_contain_text(
        f"{PHYSICIAN_USER} requested changes on {today()}: “{COMMENT}”"
    )
    screenshot(page, screenshot_dir, "journey-editor-sees-the-comment")
    page.get_by_role("textbox", name="Summary*").fill(REVIEWED_SUMMARY)
    page.get_by_role("button", name="More actions").click()
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    screenshot(page, screenshot_dir, "journey-editor-action-menu")
    page.get_by_role("button", name="Resubmit to Clinical review").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{english_conditions().pk}/")
    page.close()

    # The physician approves it from the dashboard; approval publishes it, with their review.
    page = log_in(browser, live_server, "clinical-reviewer", PASSWORD)
    awaiting = page.get_by_role("region", name="Awaiting your review")
    row = awaiting.get_by_role("row", name="Hemifacial spasm")
    row.get_by_role("button", name="Actions").click()
    with page.expect_response(re.compile(r"/workflow/action/\d+/approve/\d+/$")):
        row.get_by_role("button", name="Approve", exact=True).click()
    expect(awaiting).to_be_hidden()
    expect(page.locator(".messages")).to_contain_text(
        f"Approved: “Hemifacial spasm” is live, medically reviewed by {reviewer_name} on {today()}."
    )
    screenshot(page, screenshot_dir, "journey-editor-published")

    condition = ConditionPage.objects.get(title="Hemifacial spasm")
    assert condition.live
    assert condition.slug == "hemifacial-spasm"
    assert condition.locale.language_code == "en"
    assert condition.get_parent().pk == english_conditions().pk
    assert condition.owner == editor
    assert [(option.treatment_id, option.note) for option in condition.treatment_options.all()] == [
        (botox.pk, NOTE)
    ]

    response = page.goto(live_server.url + "/en/conditions/hemifacial-spasm/")
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Hemifacial spasm")
    expect(page.get_by_text(REVIEWED_SUMMARY)).to_be_visible()
    expect(page.locator(".medical-review")).to_have_text(
        f"Medically reviewed by {reviewer_name} on {today()}"
    )
    treatments = page.get_by_role("region", name="Treatment options")
    expect(treatments.get_by_role("heading", name=TREATMENT)).to_be_visible()
    expect(treatments).to_contain_text(NOTE)
    screenshot(page, screenshot_dir, "journey-editor-public-page")
    page.close()

    # Thirteen months on, the physician's dashboard lists the page as overdue, and so does the
    # "Due for medical review" report, filtered by that physician.
    MedicalReview.objects.filter(page=condition).update(
        reviewed_on=timezone.localdate() - timedelta(days=396)
    )
    page = log_in(browser, live_server, "clinical-reviewer", PASSWORD)
    panel = page.get_by_role("region", name="Your pages due for medical review")
    expect(panel.get_by_role("row", name="Hemifacial spasm")).to_contain_text("Overdue")
    screenshot(page, screenshot_dir, "review-due-dashboard-panel")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Due for medical review", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Due for medical review")
    page.get_by_role("button", name="Show filters").click()
    page.get_by_role("button", name="Reviewed by").click()
    page.get_by_label("Reviewed by").select_option(label=profile.title)
    page.wait_for_url(re.compile(rf"physician={profile.pk}"))
    report = page.get_by_role("table")
    expect(report.get_by_role("row", name="Hemifacial spasm")).to_contain_text(reviewer_name)
    screenshot(page, screenshot_dir, "review-due-report")
    page.close()


@pytest.fixture
def english_condition(demo_site, member_of) -> ConditionPage:
    """A condition page the editor published in English, with one treatment option and an
    image described on the page."""
    editor = member_of("Marketing editors", "marketing-editor")
    condition = ConditionPage(
        title="Hemifacial spasm",
        slug="hemifacial-spasm",
        summary="Twitching of the muscles on one side of the face.",
        image=get_image_model().objects.order_by("pk").first(),
        image_alt=ENGLISH_ALT,
        owner=editor,
        treatment_options=[
            ConditionTreatmentOption(
                treatment=TreatmentPage.objects.get(locale__language_code="en", title=TREATMENT),
                note=NOTE,
            )
        ],
    )
    english_conditions().add_child(instance=condition)
    # Published before the test starts, as a clinical review approval would have published it.
    condition.save_revision(user=editor).publish(user=editor, skip_permission_checks=True)
    return condition


NEW_SUMMARY = "Twitching of the muscles on one side of the face, often at rest."
MACHINE_SUMMARY = " ".join(reversed(NEW_SUMMARY.split(" ")))


def test_french_translation_goes_live_only_after_clinical_review(
    browser, live_server, english_condition, member_of, screenshot_dir, settings
):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"
    }
    member_of("Translators (French)", "french-translator")
    member_of("Physicians (clinical review)", "clinical-reviewer")
    french_locale = Locale.objects.get(language_code="fr")

    # The editor starts the translation.
    page = log_in(browser, live_server, "marketing-editor", PASSWORD)
    page.goto(f"{live_server.url}/admin/pages/{english_conditions().pk}/")
    page.get_by_role("button", name="More options for 'Hemifacial spasm'").click()
    page.get_by_role("link", name="Translate this page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Translate page")
    page.get_by_role("checkbox", name="French").check()
    screenshot(page, screenshot_dir, "journey-translation-start")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    french = english_condition.get_translation(french_locale).specific
    assert page.url == f"{live_server.url}/admin/pages/{french.pk}/edit/"
    expect(page.locator(".messages")).to_contain_text(
        "successfully submitted for translation into French"
    )
    page.close()
    # A new translation is a draft: the English text does not appear in the French site.
    assert not french.live
    visitor = browser.new_page(viewport={"width": 1280, "height": 900})
    assert visitor.goto(live_server.url + "/fr/affections/hemifacial-spasm/").status == 404

    # The translator translates every segment in wagtail-localize's editor.
    page = log_in(browser, live_server, "french-translator", PASSWORD)
    # The translation editor runs without a JavaScript error (it used to fail to read the
    # pages a translation links to, and wait forever).
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    page.on(
        "console",
        lambda message: script_errors.append(message.text) if message.type == "error" else None,
    )
    page.get_by_role("button", name="Pages").click()
    explorer = page.get_by_role("dialog", name="Page explorer")
    explorer.get_by_role("link", name="Affections", exact=True).click()
    page.get_by_role("link", name="Hemifacial spasm", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{french.pk}/edit/")
    expect(page.get_by_role("heading", name="English to French translation").first).to_be_visible()
    content = page.get_by_role("tabpanel", name="Content")
    translate_segment(content, "Title", "Spasme hémifacial")
    translate_segment(
        content, "Summary", "Contractions involontaires des muscles d'un côté du visage."
    )
    translate_segment(content, "Alternative text", FRENCH_ALT)
    page.get_by_role("tab", name="Promote").click()
    promote = page.get_by_role("tabpanel", name="Promote")
    translate_segment(promote, "Slug", "spasme-hemifacial")
    expect(promote.get_by_role("button", name="Translate", exact=True)).to_have_count(0)

    # Sent for review (from the editor's header) with the treatment's note still untranslated,
    # it is not sent, and the translator is told, back in the editor, which field is missing.
    page.get_by_role("button", name="Send translation for review").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{french.pk}/edit/")
    expect(page.locator(".messages")).to_contain_text(
        "Not sent for review: these fields are not translated yet: Treatment option 1 → Note "
        "for this condition."
    )
    screenshot(page, screenshot_dir, "journey-translation-missing-string")
    assert not WorkflowState.objects.filter(object_id=str(french.pk)).exists()

    content = page.get_by_role("tabpanel", name="Content")
    translate_segment(
        content,
        "Note for this condition",
        "Détend les muscles trop actifs pendant environ trois mois.",
    )
    expect(content.get_by_role("button", name="Translate", exact=True)).to_have_count(0)
    # The translator's actions: "Send translation for review", and no "Publish in French",
    # "Delete", "Stop Synced translation" or "Convert to alias page".
    send = page.get_by_role("button", name="Send translation for review")
    expect(send).to_be_visible()
    for action in ("Publish in French", "Delete", "Stop Synced translation"):
        expect(page.get_by_role("button", name=action)).to_be_hidden()
    expect(page.get_by_text("Convert to alias page")).to_be_hidden()
    screenshot(page, screenshot_dir, "journey-translation-editor")

    # Complete, it is sent for review from the editor.
    send.click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{french.pk}/edit/")
    expect(page.locator(".messages")).to_contain_text(
        "“Spasme hémifacial” was sent for review. It goes live once it is approved."
    )
    screenshot(page, screenshot_dir, "journey-translation-sent-for-review")
    page.goto(f"{live_server.url}/admin/pages/{french.get_parent().pk}/")
    expect(page.get_by_role("row", name="Spasme hémifacial")).to_contain_text(
        "Current page status: in moderation"
    )
    page.close()
    assert script_errors == []

    state = WorkflowState.objects.get(object_id=str(french.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Clinical review"
    assert state.requested_by.username == "french-translator"
    french.refresh_from_db()
    assert not french.live
    for url in ("/fr/affections/hemifacial-spasm/", "/fr/affections/spasme-hemifacial/"):
        assert visitor.goto(live_server.url + url).status == 404

    # A physician compares it with the English, field by field, then approves it from the
    # dashboard.
    page = log_in(browser, live_server, "clinical-reviewer", PASSWORD)
    page.goto(f"{live_server.url}/admin/pages/{french.pk}/edit/")
    expect(page.locator(".messages")).to_contain_text("compare this translation with the original")
    page.locator(".messages").get_by_role("link", name="Compare with the original").click()
    expect(page.get_by_role("row", name=re.compile("^Summary"))).to_contain_text(
        "Contractions involontaires des muscles d'un côté du visage."
    )
    screenshot(page, screenshot_dir, "journey-translation-compare")
    page.goto(f"{live_server.url}/admin/")
    awaiting = page.get_by_role("region", name="Awaiting your review")
    row = awaiting.get_by_role("row", name="Spasme hémifacial")
    expect(row).to_contain_text("french-translator")
    screenshot(page, screenshot_dir, "journey-translation-awaiting-review")
    row.get_by_role("button", name="Actions").click()
    with page.expect_response(re.compile(r"/workflow/action/\d+/approve/\d+/$")):
        row.get_by_role("button", name="Approve", exact=True).click()
    expect(awaiting).to_be_hidden()
    page.close()

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    french.refresh_from_db()
    assert french.live
    assert (french.title, french.slug) == ("Spasme hémifacial", "spasme-hemifacial")
    english_condition.refresh_from_db()
    assert english_condition.title == "Hemifacial spasm"

    response = visitor.goto(live_server.url + "/fr/affections/spasme-hemifacial/")
    assert response.status == 200
    expect(visitor.locator("html")).to_have_attribute("lang", "fr")
    expect(visitor.locator("h1")).to_have_text("Spasme hémifacial")
    # The image is described in French, as the translator wrote it.
    expect(visitor.locator("img.page-header__image")).to_have_attribute("alt", FRENCH_ALT)
    treatments = visitor.get_by_role("region", name="Options de traitement")
    expect(treatments.get_by_role("heading", name="Injections de toxine botulique")).to_be_visible()
    expect(treatments).to_contain_text("Détend les muscles trop actifs pendant environ trois mois.")
    screenshot(visitor, screenshot_dir, "journey-translation-live")
    visitor.close()

    # The English summary changes and is published: the French translator's dashboard says
    # the page is out of date, with one string to translate, and the editor shows the new
    # English text; French visitors still read the reviewed French page.
    english_condition.summary = NEW_SUMMARY
    english_condition.save_revision().publish(skip_permission_checks=True)
    page = log_in(browser, live_server, "french-translator", PASSWORD)
    panel = page.get_by_role("region", name="Translations to do")
    row = panel.get_by_role("row", name="Hemifacial spasm")
    expect(row).to_contain_text("Out of date")
    expect(row.get_by_role("cell").last).to_have_text("1")
    screenshot(page, screenshot_dir, "journey-translation-out-of-date-panel")
    row.get_by_role("link", name="Hemifacial spasm").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{french.pk}/edit/")
    expect(page.locator(".messages")).to_contain_text(
        "The original has changed: 1 text waits for translation."
    )
    expect(page.get_by_text("often at rest.")).to_be_visible()
    # The page's header says it too, beside its status.
    expect(page.locator("header .translation-out-of-date")).to_have_text(
        "Translation out of date: 1 text to translate"
    )
    screenshot(page, screenshot_dir, "journey-translation-out-of-date-editor")
    visitor = browser.new_page(viewport={"width": 1280, "height": 900})
    visitor.goto(live_server.url + "/fr/affections/spasme-hemifacial/")
    expect(visitor.get_by_text("Contractions involontaires des muscles")).to_be_visible()

    # The translator takes a machine suggestion for the new sentence (DeepL in production;
    # here wagtail-localize's own dummy translator, which reverses the words) and sends the
    # page for review: the suggestion is marked machine-assisted.
    page.get_by_role("button", name="Translate with Dummy translator").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{french.pk}/edit/")
    expect(page.locator(".messages")).to_contain_text("Successfully translated with Dummy")
    expect(page.get_by_text(MACHINE_SUMMARY)).to_be_visible()
    page.get_by_role("button", name="Send translation for review").click()
    expect(page.locator(".messages")).to_contain_text("was sent for review")
    page.close()

    # The physician is told one text is a machine's, checks it in the comparison, confirms
    # it, and approves the update.
    page = log_in(browser, live_server, "clinical-reviewer", PASSWORD)
    page.goto(f"{live_server.url}/admin/pages/{french.pk}/edit/")
    expect(page.locator(".messages")).to_contain_text("1 of its texts were translated by machine")
    page.locator(".messages").get_by_role("link", name="Compare with the original").click()
    summary = page.get_by_role("row", name=re.compile("^Summary"))
    expect(summary).to_contain_text("Machine translation, not edited since")
    summary.get_by_role("checkbox", name="I have checked this translation of “Summary”").check()
    screenshot(page, screenshot_dir, "journey-translation-confirm-machine")
    page.get_by_role("button", name="Confirm the checked machine translations").click()
    expect(page.locator(".messages")).to_contain_text("1 machine translation confirmed as checked.")
    expect(summary).not_to_contain_text("Machine translation")
    page.goto(f"{live_server.url}/admin/")
    row = page.get_by_role("region", name="Awaiting your review").get_by_role(
        "row", name="Spasme hémifacial"
    )
    row.get_by_role("button", name="Actions").click()
    with page.expect_response(re.compile(r"/workflow/action/\d+/approve/\d+/$")):
        row.get_by_role("button", name="Approve", exact=True).click()
    page.close()
    visitor.goto(live_server.url + "/fr/affections/spasme-hemifacial/")
    expect(visitor.get_by_text(MACHINE_SUMMARY)).to_be_visible()
    visitor.close()
