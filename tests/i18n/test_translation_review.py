"""A reviewer compares a translation with its original before approving it: field by field,
side by side, with machine-translated strings marked and counted until a person confirms them,
and for an update of a live translation, a link to what changed since the live version."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

pytestmark = pytest.mark.django_db


def member_of(django_user_model, group_name: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def in_review(client, clinic_site, spanish_site, django_user_model):
    """The Spanish condition, its summary translated by machine, sent for review."""
    spanish = spanish_site[clinic_site.condition.pk]
    source = TranslationSource.objects.get(object_id=clinic_site.condition.translation_key)
    summary = StringSegment.objects.get(source=source, string__data=clinic_site.condition.summary)
    StringTranslation.objects.filter(
        translation_of=summary.string, context=summary.context, locale=spanish.locale
    ).update(
        data="Movimiento involuntario (máquina).",
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
    )
    translator = member_of(django_user_model, "Translators (Spanish)", "traductora")
    client.force_login(translator)
    response = client.post(reverse("submit_translation_for_review", args=[spanish.pk]))
    assert response.status_code == 302
    return spanish


def test_the_physician_is_pointed_to_the_comparison_with_the_machine_count(
    client, in_review, django_user_model
):
    physician = member_of(django_user_model, "Physicians (clinical review)", "medica")
    client.force_login(physician)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[in_review.pk]))
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("1 of its texts were translated by machine" in message for message in told), told

    response = client.get(reverse("compare_translation", args=[in_review.pk]))
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert html.h1.get_text(" ", strip=True) == "Compare with the original Sincinesia"
    rows = {
        row.th.get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row("td")]
        for row in html.select("table.compare-translation tbody tr")
    }
    assert rows["Summary"] == [
        "Involuntary movement of facial muscles.",
        "Movimiento involuntario (máquina). Machine translation, not edited since "
        "I have checked this translation of “Summary”",
    ]
    assert rows["Title"] == ["Synkinesis", "Sincinesia"]
    marked = html.select("tr.compare-translation__machine")
    assert [row.th.get_text(strip=True) for row in marked] == ["Summary"]
    # A live translation updated: what changed since the live version is a click away.
    changes = html.find("a", string="What changed since the live version")
    assert changes["href"] == reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[in_review.pk, "live", Page.objects.get(pk=in_review.pk).latest_revision_id],
    )
    assert client.get(changes["href"]).status_code == 200


def test_the_translator_who_sent_it_is_not_asked_to_approve_it(client, in_review):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[in_review.pk]))
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert not any("Before approving" in message for message in told)


def test_someone_who_may_not_see_the_page_cannot_compare_it(client, in_review, django_user_model):
    client.force_login(member_of(django_user_model, "Intake staff", "intake"))
    response = client.get(reverse("compare_translation", args=[in_review.pk]))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")


def machine_strings(page) -> list[StringTranslation]:
    return list(
        StringTranslation.objects.filter(
            locale=page.locale, translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE
        )
    )


def test_the_physician_confirms_a_machine_translation_they_checked(
    client, in_review, django_user_model
):
    from wagtail.models import PageLogEntry

    from pages.translation_review import machine_assisted

    physician = member_of(django_user_model, "Physicians (clinical review)", "medica")
    client.force_login(physician)
    url = reverse("compare_translation", args=[in_review.pk])
    html = BeautifulSoup(client.get(url).content, "html.parser")
    [box] = html.select("input[name=confirm]")
    [machine] = machine_strings(in_review)
    assert box["value"] == str(machine.pk)

    response = client.post(url, {"confirm": [box["value"]]})

    assert response.status_code == 302 and response.url == url
    machine.refresh_from_db()
    assert machine.translation_type == StringTranslation.TRANSLATION_TYPE_MANUAL
    assert machine.last_translated_by == physician
    assert machine.data == "Movimiento involuntario (máquina)."  # the text itself is untouched
    assert machine_assisted(in_review) == 0
    entry = PageLogEntry.objects.get(page=in_review, action="pages.confirm_machine_translation")
    assert entry.user == physician
    assert entry.message == "Machine translation checked and confirmed: Summary"
    html = BeautifulSoup(client.get(url).content, "html.parser")
    assert not html.select("input[name=confirm]")
    assert not html.select("tr.compare-translation__machine")


def test_only_this_pages_machine_translations_can_be_confirmed(
    client, in_review, django_user_model
):
    [machine] = machine_strings(in_review)
    human = StringTranslation.objects.filter(locale=in_review.locale).exclude(pk=machine.pk)[0]
    physician = member_of(django_user_model, "Physicians (clinical review)", "medica")
    client.force_login(physician)
    url = reverse("compare_translation", args=[in_review.pk])

    response = client.post(url, {"confirm": [str(human.pk), "999999", "x"]})
    assert response.status_code == 302
    machine.refresh_from_db()
    assert machine.translation_type == StringTranslation.TRANSLATION_TYPE_MACHINE
    assert machine_strings(in_review) == [machine]
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Tick the machine translations you have checked." in told

    client.force_login(member_of(django_user_model, "Intake staff", "intake"))
    response = client.post(url, {"confirm": [str(machine.pk)]})
    assert response.status_code in (302, 403)
    machine.refresh_from_db()
    assert machine.translation_type == StringTranslation.TRANSLATION_TYPE_MACHINE
