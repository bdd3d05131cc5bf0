"""Where every translation stands (pages.translation_status): each state of a page's
translation, the "Translation status" report (filters, export, who may read it) and the
translators' dashboard panel "Translations to do", each translator's languages only."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import Locale, Page, WorkflowState
from wagtail_localize.models import Translation, TranslationSource

from pages.translation_status import (
    IN_REVIEW,
    NOT_STARTED,
    OUT_OF_DATE,
    RETURNED,
    UP_TO_DATE,
    translation_rows,
)
from tests.factories.pages import StandardPageFactory

pytestmark = pytest.mark.django_db

COMMENT = "Please translate the grading scale too."


def member_of(django_user_model, group: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


def state_of(page, language: str) -> tuple[str, int | None]:
    row = next(
        row
        for row in translation_rows()
        if row.page.pk == page.pk and row.locale.language_code == language
    )
    return row.state, row.strings_to_translate


def change_and_sync(page, **changes) -> TranslationSource:
    """The English page changed and published, then "Sync translated pages": its translation
    source updated from it."""
    page = Page.objects.get(pk=page.pk).specific
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    source = TranslationSource.objects.get_for_instance(page)
    source.update_from_db()
    return source


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def send_for_review(client, translator, page) -> None:
    client.force_login(translator)
    assert client.post(reverse("submit_translation_for_review", args=[page.pk])).status_code == 302
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def request_changes(client, physician, page) -> None:
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    client.force_login(physician)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "reject", state.current_task_state.pk],
    )
    assert client.post(url, {"comment": COMMENT}).status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES


@pytest.fixture
def spanish_translator(django_user_model):
    return member_of(django_user_model, "Translators (Spanish)", "traductora")


@pytest.fixture
def french_translator(django_user_model):
    return member_of(django_user_model, "Translators (French)", "traductrice")


@pytest.fixture
def physician(django_user_model):
    return member_of(django_user_model, "Physicians (clinical review)", "doctora")


@pytest.fixture
def spanish_condition(clinic_site, translate):
    for page in (clinic_site.home, clinic_site.conditions):
        translate(page, "es", prefix="[es] ")
    return translate(clinic_site.condition, "es", prefix="[es] ")


# The states of one page's translation.


def test_a_page_nobody_translated_is_not_started_in_every_language(clinic_site):
    rows = [row for row in translation_rows() if row.page.pk == clinic_site.condition.pk]
    assert [(row.locale.language_code, row.state, row.translated_page) for row in rows] == [
        ("es", NOT_STARTED, None),
        ("fr", NOT_STARTED, None),
    ]
    assert rows[0].edit_url == edit_url(clinic_site.condition)


def test_rows_are_every_content_page_in_every_language_in_tree_order(clinic_site):
    rows = translation_rows()
    titles = [page.title for page in clinic_site.all_pages()]
    assert sorted({row.title for row in rows}) == sorted(titles)
    assert len(rows) == 2 * len(titles)  # no root, nothing twice
    assert [row.title for row in rows[:6]] == [
        "Home",
        "Home",
        "Conditions",
        "Conditions",
        "Synkinesis",
        "Synkinesis",
    ]


def test_a_page_translated_completely_is_up_to_date(clinic_site, spanish_condition):
    row = next(row for row in translation_rows(["es"]) if row.page.pk == clinic_site.condition.pk)
    assert (row.state, row.strings_to_translate) == (UP_TO_DATE, None)
    assert row.translated_page.pk == spanish_condition.pk
    assert row.edit_url == edit_url(spanish_condition)
    # The French translation is still to start.
    assert state_of(clinic_site.condition, "fr") == (NOT_STARTED, None)


def test_a_parent_copied_as_an_alias_is_not_started(clinic_site, translate):
    translate(clinic_site.home, "fr")
    # Translating the condition copies its untranslated parent, as an alias of the English one.
    translate(clinic_site.condition, "fr")
    french_conditions = clinic_site.conditions.get_translation(
        Locale.objects.get(language_code="fr")
    )
    assert french_conditions.alias_of_id == clinic_site.conditions.pk
    assert state_of(clinic_site.conditions, "fr") == (NOT_STARTED, None)
    assert state_of(clinic_site.condition, "fr") == (UP_TO_DATE, None)


def test_new_english_text_not_translated_makes_it_out_of_date_with_the_count(
    clinic_site, spanish_condition
):
    change_and_sync(
        clinic_site.condition,
        summary="Facial muscles that move together when they should not.",
        alternate_names="Facial miswiring",
    )

    assert state_of(clinic_site.condition, "es") == (OUT_OF_DATE, 2)
    translation = Translation.objects.get(
        source__object_id=clinic_site.condition.translation_key,
        target_locale__language_code="es",
    )
    total, translated = translation.get_progress()
    assert total - translated == 2
    # Spanish only: French was never started.
    assert state_of(clinic_site.condition, "fr") == (NOT_STARTED, None)


def test_translating_the_new_text_makes_it_up_to_date_again(
    clinic_site, spanish_condition, translate
):
    change_and_sync(clinic_site.condition, summary="Facial muscles that move together.")
    assert state_of(clinic_site.condition, "es") == (OUT_OF_DATE, 1)

    translate(clinic_site.condition, "es", prefix="[es] ")

    assert state_of(clinic_site.condition, "es") == (UP_TO_DATE, None)


def test_english_synced_after_the_translation_was_saved_is_out_of_date_with_nothing_to_do(
    clinic_site, spanish_condition
):
    # Every string of the new text is translated already (it is the same text): the Spanish
    # page has not been saved from it since.
    change_and_sync(clinic_site.condition)

    assert state_of(clinic_site.condition, "es") == (OUT_OF_DATE, 0)


def test_english_published_without_a_sync_leaves_translators_nothing_to_do(
    clinic_site, spanish_condition
):
    page = Page.objects.get(pk=clinic_site.condition.pk).specific
    page.summary = "Changed, not synced."
    page.save_revision().publish()

    assert state_of(clinic_site.condition, "es") == (UP_TO_DATE, None)


def test_a_translation_sent_for_review_is_in_review_and_returned_when_changes_are_requested(
    client, clinic_site, spanish_condition, spanish_translator, physician
):
    send_for_review(client, spanish_translator, spanish_condition)
    assert state_of(clinic_site.condition, "es") == (IN_REVIEW, None)

    request_changes(client, physician, spanish_condition)
    assert state_of(clinic_site.condition, "es") == (RETURNED, None)

    # New English text comes first: the returned page no longer says what the English says.
    change_and_sync(clinic_site.condition, summary="Muscles that move together.")
    assert state_of(clinic_site.condition, "es") == (OUT_OF_DATE, 1)


def test_rows_are_read_in_a_bounded_number_of_queries(
    client,
    clinic_site,
    spanish_condition,
    translate,
    spanish_translator,
    django_assert_max_num_queries,
):
    for page in (clinic_site.privacy, clinic_site.contact, clinic_site.treatments):
        translate(page, "es")
    translate(clinic_site.home, "fr")
    translate(clinic_site.privacy, "fr")
    change_and_sync(clinic_site.privacy, intro="How we keep your information.")
    send_for_review(client, spanish_translator, spanish_condition)

    for number in range(25):
        StandardPageFactory(parent=clinic_site.home, title=f"Page {number}", slug=f"p{number}")
    ContentType.objects.clear_cache()

    # The locales, the English pages, their translations, wagtail-localize's translations with
    # their untranslated strings, the workflows: however many pages, content types cached or not.
    with django_assert_max_num_queries(5):
        rows = translation_rows()
    assert len(rows) == 2 * (10 + 25)
    states = {(row.title, row.locale.language_code): row.state for row in rows}
    assert states[("Privacy notice", "es")] == OUT_OF_DATE
    assert states[("Privacy notice", "fr")] == OUT_OF_DATE
    assert states[("Synkinesis", "es")] == IN_REVIEW
    assert states[("Contact us", "es")] == UP_TO_DATE


# The report.


@pytest.fixture
def work(client, clinic_site, spanish_condition, translate, spanish_translator, physician):
    """Spanish: the home, Conditions and Synkinesis translated, Synkinesis returned by the
    reviewer; the privacy notice translated, then out of date by one string. French: the home
    translated; the contact page translated, then out of date by one string. Everything else
    not started."""
    spanish_privacy = translate(clinic_site.privacy, "es", prefix="[es] ")
    french_home = translate(clinic_site.home, "fr", prefix="[fr] ")
    french_contact = translate(clinic_site.contact, "fr", prefix="[fr] ")
    change_and_sync(clinic_site.privacy, intro="How we keep your information.")
    change_and_sync(clinic_site.contact, intro="How to find us.")
    send_for_review(client, spanish_translator, spanish_condition)
    request_changes(client, physician, spanish_condition)
    client.logout()
    return {
        "es condition": spanish_condition,
        "es privacy": spanish_privacy,
        "fr home": french_home,
        "fr contact": french_contact,
    }


def table_rows(html: str, table_class: str = "listing") -> list[tuple[str, ...]]:
    """The rows of the first table of the page: each cell's text, then the first link."""
    soup = BeautifulSoup(html, "html.parser")
    table = soup.select_one(f"table.{table_class}")
    if table is None:
        return []
    rows = []
    for tr in table.select("tbody tr"):
        cells = [" ".join(td.get_text(" ", strip=True).split()) for td in tr.find_all("td")]
        link = tr.find("a")
        rows.append((*cells, link["href"] if link else ""))
    return rows


def report(client, **params) -> list[tuple[str, ...]]:
    response = client.get(reverse("translation_status"), params)
    assert response.status_code == 200
    return table_rows(response.content.decode())


def test_report_filters_by_language_and_state(admin_client, clinic_site, work):
    french = Locale.objects.get(language_code="fr")

    assert report(admin_client, language=french.pk, state=OUT_OF_DATE) == [
        ("Contact us", "French", "Out of date", "1", edit_url(work["fr contact"])),
    ]
    assert report(admin_client, state=RETURNED) == [
        ("Synkinesis", "Spanish", "Returned by the reviewer", "", edit_url(work["es condition"])),
    ]
    assert report(admin_client, language=french.pk, state=UP_TO_DATE) == [
        ("Home", "French", "Up to date", "", edit_url(work["fr home"])),
    ]
    not_started = report(admin_client, language=french.pk, state=NOT_STARTED)
    assert [row[0] for row in not_started] == [
        "Conditions",
        "Synkinesis",
        "Treatments",
        "Botulinum toxin injections",
        "Our physicians",
        "Dr Ana Rivera",
        "Accessibility",
        "Privacy notice",
    ]
    assert {row[1:4] for row in not_started} == {("French", "Not started", "")}
    assert not_started[1][4] == edit_url(clinic_site.condition)  # the English page
    assert len(report(admin_client)) == 20


def test_report_exports_csv(admin_client, work):
    response = admin_client.get(
        reverse("translation_status"), {"export": "csv", "state": OUT_OF_DATE}
    )
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == [
        "Page,Language,State,Strings to translate",
        "Contact us,French,Out of date,1",
        "Privacy notice,Spanish,Out of date,1",
    ]
    everything = admin_client.get(reverse("translation_status"), {"export": "csv"})
    lines = b"".join(everything.streaming_content).decode().splitlines()
    assert len(lines) == 21
    assert "Synkinesis,Spanish,Returned by the reviewer," in lines
    assert "Home,Spanish,Up to date," in lines


def test_report_exports_xlsx(admin_client, work):
    response = admin_client.get(reverse("translation_status"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


@pytest.mark.parametrize(
    ("group", "allowed"),
    [
        ("Marketing editors", True),
        ("Translators (Spanish)", True),
        ("Intake staff", False),
        ("Physicians (clinical review)", False),
    ],
)
def test_report_and_its_menu_item_are_for_translators_and_marketing_editors(
    client, django_user_model, work, group, allowed
):
    client.force_login(member_of(django_user_model, group, "someone"))
    response = client.get(reverse("translation_status"))
    if allowed:
        assert response.status_code == 200
        assert table_rows(response.content.decode())
    else:
        # Wagtail's admin answers a refusal with the dashboard and a "permission denied".
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (reverse("translation_status") in home) is allowed


def test_marketing_editors_see_every_language_and_translators_their_own(
    client, django_user_model, work, spanish_translator
):
    client.force_login(member_of(django_user_model, "Marketing editors", "editor"))
    assert {row[1] for row in report(client)} == {"Spanish", "French"}

    client.force_login(spanish_translator)
    rows = report(client)
    assert len(rows) == 10
    assert {row[1] for row in rows} == {"Spanish"}
    # Asking for French shows no French either.
    french = Locale.objects.get(language_code="fr")
    assert {row[1] for row in report(client, language=french.pk)} == {"Spanish"}


# The translators' dashboard panel.


def panel(client) -> list[tuple[str, ...]] | None:
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    section = soup.select_one("#translations-to-do-section")
    if section is None:
        assert "Translations to do" not in html
        return None
    return table_rows(str(section))


def test_a_spanish_translator_sees_spanish_work_and_no_french_page(
    client, clinic_site, work, spanish_translator
):
    client.force_login(spanish_translator)
    rows = panel(client)
    assert rows == [
        ("Synkinesis", "Spanish", "Returned by the reviewer", "", edit_url(work["es condition"])),
        ("Privacy notice", "Spanish", "Out of date", "1", edit_url(work["es privacy"])),
        ("Treatments", "Spanish", "Not started", "", edit_url(clinic_site.treatments)),
        (
            "Botulinum toxin injections",
            "Spanish",
            "Not started",
            "",
            edit_url(clinic_site.treatment),
        ),
        ("Our physicians", "Spanish", "Not started", "", edit_url(clinic_site.physicians)),
        ("Dr Ana Rivera", "Spanish", "Not started", "", edit_url(clinic_site.physician)),
        ("Accessibility", "Spanish", "Not started", "", edit_url(clinic_site.accessibility)),
        ("Contact us", "Spanish", "Not started", "", edit_url(clinic_site.contact)),
    ]
    french_pages = Page.objects.filter(locale__language_code="fr")
    assert not {edit_url(page) for page in french_pages} & {row[-1] for row in rows}


def test_a_french_translator_sees_french_work_and_no_spanish_page(
    client, clinic_site, work, french_translator
):
    client.force_login(french_translator)
    rows = panel(client)
    assert rows[0] == ("Contact us", "French", "Out of date", "1", edit_url(work["fr contact"]))
    assert [row[0] for row in rows[1:]] == [
        "Conditions",
        "Synkinesis",
        "Treatments",
        "Botulinum toxin injections",
        "Our physicians",
        "Dr Ana Rivera",
        "Accessibility",
        "Privacy notice",
    ]
    assert {row[1:4] for row in rows[1:]} == {("French", "Not started", "")}
    spanish_pages = Page.objects.filter(locale__language_code="es")
    assert not {edit_url(page) for page in spanish_pages} & {row[-1] for row in rows}


def test_a_translator_with_nothing_to_do_is_told_so(
    client, clinic_site, translate, french_translator
):
    for page in clinic_site.all_pages():
        translate(page, "fr")
    client.force_login(french_translator)
    assert panel(client) == []
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Nothing to translate" in html


@pytest.mark.parametrize("who", ["Marketing editors", "Physicians (clinical review)", "admin"])
def test_no_panel_for_anyone_who_is_no_translator(client, django_user_model, admin_user, work, who):
    user = admin_user if who == "admin" else member_of(django_user_model, who, "someone")
    client.force_login(user)
    assert panel(client) is None
