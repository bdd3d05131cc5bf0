"""“Was this page helpful?” on condition, treatment and physician pages (appointments.feedback),
and the "Page feedback" report that marketing editors read (appointments.feedback_reports)."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from appointments.feedback import TOKEN_SALT, purge_page_feedback
from appointments.models import PageFeedback
from tests.i18n.conftest import translate  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

# What a browser sends with a form's POST from a page of the same site.
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
NOTE = "Please do not include your name, contact details or anything about your health."


def answer(client, page, helpful: str, language: str = "en", **extra):
    data = {"page": str(page.pk), "helpful": helpful, "website": "", **extra}
    return client.post(f"/{language}/feedback/", data, **SAME_ORIGIN)


def token_in(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def comment(client, token: str, text: str, action: str = "send", language: str = "en"):
    data = {"token": token, "comment": text, "action": action, "website": ""}
    return client.post(f"/{language}/feedback/comment/", data, **SAME_ORIGIN)


def stored_values() -> list[dict]:
    return list(PageFeedback.objects.values())


# --- the visitor ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["condition", "treatment", "physician"])
def test_every_medical_and_physician_page_asks_was_this_page_helpful_without_a_csrf_token(
    client, clinic_site, which
):
    page = getattr(clinic_site, which)
    html = client.get(page.url).content.decode()
    assert "Was this page helpful?" in html
    assert 'action="/en/feedback/"' in html
    assert f'name="page" value="{page.pk}"' in html
    assert "csrfmiddlewaretoken" not in html


def test_other_pages_do_not_ask(client, clinic_site):
    for page in (clinic_site.home, clinic_site.contact, clinic_site.conditions):
        assert "Was this page helpful?" not in client.get(page.url).content.decode()


def test_the_page_with_the_form_is_still_served_from_the_page_cache_and_sets_no_cookie(
    clinic_site,
):
    for page in (clinic_site.condition, clinic_site.treatment, clinic_site.physician):
        client = Client()
        first, second = client.get(page.url), client.get(page.url)
        assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit"), page.url
        assert "Set-Cookie" not in first and "Set-Cookie" not in second
        assert not first.cookies and not second.cookies
        assert "Was this page helpful?" in second.content.decode()


def test_yes_is_stored_with_page_language_and_day_only_and_thanks_with_a_link_back(
    client, clinic_site
):
    response = answer(client, clinic_site.condition, "yes")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thank you for your feedback" in html
    assert f'href="{clinic_site.condition.url}"' in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert not response.cookies
    (row,) = stored_values()
    assert {k: v for k, v in row.items() if k != "id"} == {
        "page_id": clinic_site.condition.pk,
        "language": "en",
        "day": timezone.localdate(),
        "helpful": True,
        "comment": "",
        "handled": False,
        "handled_at": None,
        "handled_by_id": None,
    }


def test_no_is_stored_at_once_and_the_next_page_asks_an_optional_comment(client, clinic_site):
    response = answer(client, clinic_site.treatment, "no")
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTE in html
    assert 'name="comment"' in html
    assert ">Send<" in html and ">Skip<" in html
    (row,) = PageFeedback.objects.all()
    assert (row.page_id, row.helpful, row.comment) == (clinic_site.treatment.pk, False, "")

    response = comment(client, token_in(response), "", action="skip")
    assert "Thank you for your feedback" in response.content.decode()
    assert PageFeedback.objects.get().comment == ""


def test_a_comment_has_phone_numbers_and_email_addresses_masked_and_control_characters_removed(
    client, clinic_site
):
    token = token_in(answer(client, clinic_site.condition, "no"))
    response = comment(
        client,
        token,
        "No dates for\x00 surgery. Call me on (202) 555-0143 or write to rosa@example.org",
    )
    assert response.status_code == 200
    assert "Thank you for your feedback" in response.content.decode()
    stored = PageFeedback.objects.get().comment
    assert stored == "No dates for surgery. Call me on [phone] or write to [e-mail]"


def test_a_too_long_comment_says_so_and_keeps_the_text(client, clinic_site):
    token = token_in(answer(client, clinic_site.condition, "no"))
    text = "The page does not say how long recovery takes. " * 25  # over 1,000 characters
    response = comment(client, token, text)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please shorten it to 1000 characters or fewer" in html
    assert "Please check your answers" in html
    assert text.strip() in html
    assert PageFeedback.objects.get().comment == ""
    # Shortened, it is kept, on the same row.
    response = comment(client, token_in(response), text[:900])
    assert "Thank you for your feedback" in response.content.decode()
    assert PageFeedback.objects.get().comment == text[:900].strip()


@pytest.mark.parametrize("kind", ["forged", "expired"])
def test_an_expired_or_forged_token_says_the_comment_was_not_sent_and_keeps_it(
    client, clinic_site, kind, monkeypatch
):
    answer(client, clinic_site.condition, "no")
    row = PageFeedback.objects.get()
    if kind == "forged":
        token = signing.dumps(row.pk, salt="another-salt")
    else:
        token = signing.dumps(row.pk, salt=TOKEN_SALT)
        later = timezone.now().timestamp() + 2 * 3600
        monkeypatch.setattr(signing.time, "time", lambda: later)
    response = comment(client, token, "Nothing about recovery times.")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your comment was not sent" in html
    assert "Nothing about recovery times." in html
    assert PageFeedback.objects.get().comment == ""


def test_an_unknown_or_unpublished_page_gets_a_clear_message_not_an_error(client, clinic_site):
    for page_id in ("999999", "abc", "9" * 40, str(clinic_site.home.pk)):
        response = client.post("/en/feedback/", {"page": page_id, "helpful": "yes"}, **SAME_ORIGIN)
        assert response.status_code == 400, page_id
        assert "We could not record your answer" in response.content.decode()
    clinic_site.physician.unpublish()
    assert answer(client, clinic_site.physician, "no").status_code == 400
    assert answer(client, clinic_site.condition, "maybe").status_code == 400
    assert not PageFeedback.objects.exists()


def test_a_filled_honeypot_stores_nothing_but_the_visitor_sees_thanks(client, clinic_site):
    for helpful in ("yes", "no"):
        response = answer(client, clinic_site.condition, helpful, website="http://spam.example")
        assert response.status_code == 200
        assert "Thank you for your feedback" in response.content.decode()
    assert not PageFeedback.objects.exists()


def test_answers_past_the_rate_limit_get_a_polite_429(client, clinic_site, settings):
    settings.PAGE_FEEDBACK_RATE_LIMIT = "3/h"
    for _ in range(3):
        assert answer(client, clinic_site.condition, "yes").status_code == 200
    response = answer(client, clinic_site.condition, "yes")
    assert response.status_code == 429
    assert "we have paused new ones for a while" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert PageFeedback.objects.count() == 3
    # Another address is not paused.
    other = client.post(
        "/en/feedback/",
        {"page": clinic_site.condition.pk, "helpful": "yes"},
        REMOTE_ADDR="203.0.113.9",
        **SAME_ORIGIN,
    )
    assert other.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "https://attacker.example"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_a_post_from_another_site_is_refused(client, clinic_site, headers):
    response = client.post(
        "/en/feedback/", {"page": clinic_site.condition.pk, "helpful": "no"}, **headers
    )
    assert response.status_code == 403
    assert not PageFeedback.objects.exists()


def test_a_client_that_sends_no_fetch_metadata_is_not_a_browser_and_is_let_through(
    client, clinic_site
):
    response = client.post("/en/feedback/", {"page": clinic_site.condition.pk, "helpful": "yes"})
    assert response.status_code == 200
    assert PageFeedback.objects.count() == 1


def test_only_posts_are_taken(client, clinic_site):
    assert client.get("/en/feedback/").status_code == 405


def test_spanish_visitors_answer_in_spanish_and_the_spanish_page_is_stored(
    client,
    clinic_site,
    translate,  # noqa: F811
):
    for page in (clinic_site.home, clinic_site.conditions):
        translate(page, "es")
    spanish = translate(clinic_site.condition, "es", prefix="[es] ")
    html = client.get(spanish.url).content.decode()
    assert 'action="/es/feedback/"' in html
    response = answer(client, spanish, "no", language="es")
    assert response.status_code == 200
    assert '<html lang="es"' in response.content.decode()
    translation.activate("en")
    row = PageFeedback.objects.get()
    assert (row.page_id, row.language) == (spanish.pk, "es")


def test_feedback_older_than_the_requests_retention_is_purged(clinic_site, settings):
    settings.CONSULTATION_RETENTION_DAYS = 30
    today = timezone.localdate()
    for days_ago in (0, 30, 31, 400):
        PageFeedback.objects.create(
            page=clinic_site.condition,
            language="en",
            day=today - datetime.timedelta(days=days_ago),
            helpful=False,
            comment="Unclear.",
        )
    assert purge_page_feedback(timezone.now()) == 2
    kept = sorted((today - row.day).days for row in PageFeedback.objects.all())
    assert kept == [0, 30]


# --- the report -------------------------------------------------------------------------------


def member(django_user_model, group_name: str, username: str):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "pw", first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(django_user_model):
    return member(django_user_model, "Marketing editors", "mara")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def feedback(clinic_site, translate):  # noqa: F811
    """Answers over two days: the condition in English (2 yes, 3 no, 2 comments) and Spanish
    (1 no with a comment), the physician in English (1 yes)."""
    for page in (clinic_site.home, clinic_site.conditions):
        translate(page, "es")
    spanish = translate(clinic_site.condition, "es", prefix="[es] ")
    translation.activate("en")
    day1, day2 = datetime.date(2026, 11, 2), datetime.date(2026, 11, 9)

    def add(page, language, day, helpful, comment=""):
        return PageFeedback.objects.create(
            page=page, language=language, day=day, helpful=helpful, comment=comment
        )

    add(clinic_site.condition, "en", day1, True)
    add(clinic_site.condition, "en", day2, True)
    add(clinic_site.condition, "en", day1, False, "Nothing on recovery.")
    add(clinic_site.condition, "en", day2, False, "Call me on [phone]")
    add(clinic_site.condition, "en", day2, False)
    add(spanish, "es", day2, False, "No dice cuánto dura.")
    add(clinic_site.physician, "en", day1, True)
    return {"spanish": spanish, "day1": day1, "day2": day2}


def report_rows(client, **params) -> list[dict[str, str]]:
    response = client.get(reverse("page_feedback_report"), {**params, "export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_report_counts_yes_and_no_per_page_and_language_least_helpful_first(
    editor_client, clinic_site, feedback
):
    rows = report_rows(editor_client)
    assert [(r["Page"], r["Language"], r["Yes"], r["No"], r["Open comments"]) for r in rows] == [
        ("Synkinesis", "en", "2", "3", "2"),
        ("[es] Synkinesis", "es", "0", "1", "1"),
        (clinic_site.physician.title, "en", "1", "0", "0"),
    ]
    assert rows[0]["Share of “yes” (%)"] == "40.0"
    html = editor_client.get(reverse("page_feedback_report")).content.decode()
    assert "Synkinesis" in html and "40%" in html
    assert reverse("page_feedback_comments", args=[clinic_site.condition.pk, "en"]) in html


def test_the_report_filters_by_date_language_and_page_type(editor_client, clinic_site, feedback):
    day2 = feedback["day2"].isoformat()
    rows = report_rows(editor_client, day_from=day2, day_to=day2)
    assert [(r["Page"], r["Yes"], r["No"]) for r in rows] == [
        ("Synkinesis", "1", "2"),
        ("[es] Synkinesis", "0", "1"),
    ]
    rows = report_rows(editor_client, language="es")
    assert [r["Page"] for r in rows] == ["[es] Synkinesis"]
    rows = report_rows(editor_client, page_type="physicianpage")
    assert [r["Page"] for r in rows] == [clinic_site.physician.title]
    assert report_rows(editor_client, page_type="treatmentpage") == []


def test_the_report_exports_xlsx(editor_client, clinic_site, feedback):
    response = editor_client.get(reverse("page_feedback_report"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == [
        "Page",
        "Page type",
        "Language",
        "Yes",
        "No",
        "Share of “yes” (%)",
        "Open comments",
    ]
    assert list(values[1]) == ["Synkinesis", "Condition page", "en", 2, 3, 40.0, 2]


def test_a_pages_comments_are_listed_marked_handled_one_by_one_or_all_and_who_did_it_recorded(
    editor_client, editor, clinic_site, feedback
):
    url = reverse("page_feedback_comments", args=[clinic_site.condition.pk, "en"])
    html = editor_client.get(url).content.decode()
    assert "Nothing on recovery." in html and "Call me on [phone]" in html
    assert "No dice cuánto dura." not in html
    assert html.count("Mark handled") == 2

    first = PageFeedback.objects.get(comment="Nothing on recovery.")
    response = editor_client.post(
        reverse("page_feedback_handle", args=[first.pk]), {"next": url}, follow=True
    )
    assert response.status_code == 200
    first.refresh_from_db()
    assert (first.handled, first.handled_by, first.handled_at is not None) == (True, editor, True)
    html = response.content.decode()
    assert "Handled by Mara on" in html
    assert html.count("Mark handled") == 1

    editor_client.post(reverse("page_feedback_handle_all", args=[clinic_site.condition.pk, "en"]))
    assert not PageFeedback.objects.filter(page=clinic_site.condition, handled=False).exclude(
        comment=""
    )
    # The Spanish page's comment is another row of the report: untouched.
    assert not PageFeedback.objects.get(language="es").handled
    assert report_rows(editor_client)[0]["Open comments"] == "0"


def test_a_pages_comments_filter_by_date_and_export_as_csv_and_xlsx(
    editor_client, editor, clinic_site, feedback
):
    url = reverse("page_feedback_comments", args=[clinic_site.condition.pk, "en"])
    day1 = feedback["day1"].isoformat()
    html = editor_client.get(url, {"day_from": day1, "day_to": day1}).content.decode()
    assert "Nothing on recovery." in html and "Call me on [phone]" not in html
    PageFeedback.objects.filter(comment="Nothing on recovery.").update(
        handled=True, handled_at=timezone.now(), handled_by=editor
    )
    response = editor_client.get(url, {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(r["Comment"] for r in rows) == ["Call me on [phone]", "Nothing on recovery."]
    assert set(rows[0]) == {"Date", "Comment", "Handled", "Handled by", "Handled at"}
    handled = next(r for r in rows if r["Comment"] == "Nothing on recovery.")
    assert (handled["Handled"], handled["Handled by"]) == ("True", "mara")
    assert handled["Handled at"]
    response = editor_client.get(url, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3
    assert {row[1] for row in values[1:]} == {"Call me on [phone]", "Nothing on recovery."}


@pytest.mark.parametrize("group_name", ["Translators (Spanish)", "Physicians (clinical review)"])
def test_translators_and_physicians_get_403_and_no_menu_item(
    client, django_user_model, clinic_site, feedback, group_name
):
    client.force_login(member(django_user_model, group_name, "someone"))
    comment = PageFeedback.objects.exclude(comment="").first()
    for url in (
        reverse("page_feedback_report"),
        reverse("page_feedback_report") + "?export=csv",
        reverse("page_feedback_report_results"),
        reverse("page_feedback_comments", args=[clinic_site.condition.pk, "en"]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("page_feedback_handle", args=[comment.pk])).status_code == 403
    comment.refresh_from_db()
    assert not comment.handled
    assert (
        reverse("page_feedback_report")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_marketing_editors_and_superusers_see_the_menu_item(
    editor_client, client, django_user_model
):
    assert (
        reverse("page_feedback_report")
        in editor_client.get(reverse("wagtailadmin_home")).content.decode()
    )
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    superuser = Client()
    superuser.force_login(admin)
    assert superuser.get(reverse("page_feedback_report")).status_code == 200


def test_the_form_and_every_feedback_page_are_valid_html(client, clinic_site, tmp_path):
    from tests.pages.test_html_validity import validate

    # The form alone, in a page of its own: the small clinic's factory images have srcset widths
    # the checker rejects, which is no concern of this form.
    html = client.get(clinic_site.condition.url).content.decode()
    form = re.search(r'<section class="page-feedback".*?</section>', html, re.S).group(0)
    page = f'<!DOCTYPE html><html lang="en"><title>Form</title><main>{form}</main></html>'
    documents = {"the form": page.encode()}
    documents["thanks"] = answer(client, clinic_site.condition, "yes").content
    comment_step = answer(client, clinic_site.condition, "no")
    documents["comment step"] = comment_step.content
    documents["comment too long"] = comment(client, token_in(comment_step), "x" * 1001).content
    documents["expired"] = comment(client, "forged", "Unclear.").content
    documents["unknown page"] = client.post(
        "/en/feedback/", {"page": "999999", "helpful": "no"}, **SAME_ORIGIN
    ).content
    assert validate(documents, tmp_path) == {}
