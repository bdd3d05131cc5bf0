"""Translators work in their own language's tree only, never publish, and their work reaches
visitors only after clinical review. PO files round-trip through the translation editor."""

import io

import polib
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail_localize.models import StringTranslation, Translation

pytestmark = pytest.mark.django_db


def member_of(django_user_model, group_name: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def spanish_translator(django_user_model):
    return member_of(django_user_model, "Translators (Spanish)", "traductora")


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_translator_edits_only_their_languages_tree(
    client, clinic_site, spanish_site, translate, spanish_translator
):
    for page in (clinic_site.home, clinic_site.conditions):
        translate(page, "fr", prefix="[fr] ")
    french = translate(clinic_site.condition, "fr", prefix="[fr] ")
    spanish = spanish_site[clinic_site.condition.pk]
    client.force_login(spanish_translator)

    assert client.get(edit_url(spanish)).status_code == 200
    for page in (clinic_site.condition, french):
        response = client.get(edit_url(page))
        assert response.status_code in (302, 403), page
        assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")
    assert not spanish.permissions_for_user(spanish_translator).can_publish()
    assert not clinic_site.condition.permissions_for_user(spanish_translator).can_edit()


def test_translator_cannot_reach_settings_or_requests(client, clinic_site, spanish_translator):
    client.force_login(spanish_translator)
    settings_url = reverse(
        "wagtailsettings:edit", args=("core", "clinicsettings", clinic_site.site.pk)
    )
    # Wagtail's admin answers "permission denied" with a redirect to the dashboard.
    response = client.get(settings_url)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert client.get(reverse("consultation_requests:index")).status_code == 403


def test_translators_edit_goes_to_clinical_review_and_goes_live_after_approval(
    client, django_user_model, clinic_site, spanish_site, spanish_translator
):
    spanish = spanish_site[clinic_site.condition.pk]
    summary_string = StringTranslation.objects.get(
        locale__language_code="es",
        translation_of__data="Involuntary movement of facial muscles.",
    )
    summary_string.data = "Movimientos involuntarios de la cara (revisado)."
    summary_string.save()

    client.force_login(spanish_translator)
    # The translation editor refuses to publish for a translator...
    publish = client.post(
        reverse("wagtailadmin_pages:edit", args=[spanish.pk]), {"action": "publish"}
    )
    assert publish.status_code == 403 or publish.url == reverse("wagtailadmin_home")
    assert "(revisado)" not in client.get(spanish.url).content.decode()
    # ...who sends the work to review instead.
    response = client.post(reverse("submit_translation_for_review", args=[spanish.pk]))
    assert response.status_code == 302

    assert "(revisado)" not in client.get(spanish.url).content.decode()  # not live yet
    state = WorkflowState.objects.get(object_id=str(spanish.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Clinical review"

    reviewer = member_of(django_user_model, "Physicians (clinical review)", "doctora")
    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(spanish, reviewer)
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    spanish.refresh_from_db()
    assert "(revisado)" in client.get(spanish.url).content.decode()


def test_po_file_downloaded_and_uploaded_changes_the_translation(
    admin_client, clinic_site, spanish_site
):
    translation = Translation.objects.get(
        source__object_id=clinic_site.condition.translation_key,
        target_locale__language_code="es",
    )
    download = admin_client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert download.status_code == 200
    po = polib.pofile(download.content.decode())
    entry = next(e for e in po if e.msgid == "Involuntary movement of facial muscles.")
    assert entry.msgstr == "Movimiento involuntario de los músculos."
    entry.msgstr = "Movimiento involuntario: texto subido en un archivo PO."

    upload = admin_client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": io.BytesIO(str(po).encode()), "next": "/admin/"},
    )
    assert upload.status_code == 302
    assert (
        StringTranslation.objects.get(
            locale__language_code="es",
            translation_of__data="Involuntary movement of facial muscles.",
        ).data
        == "Movimiento involuntario: texto subido en un archivo PO."
    )


def test_machine_translation_is_offered_only_with_a_deepl_key():
    import subprocess
    import sys

    from django.conf import settings

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='clinic_site.settings.dev'; "
        "django.setup(); from django.conf import settings; "
        "print(getattr(settings, 'WAGTAILLOCALIZE_MACHINE_TRANSLATOR', {}).get('CLASS', 'none'))"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    without = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    with_key = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, "DEEPL_API_KEY": "test-key:fx"},
        capture_output=True,
        text=True,
    )
    assert without.stdout.strip() == "none", without.stderr
    assert with_key.stdout.strip().endswith("DeepLTranslator"), with_key.stderr


def test_machine_translation_stays_a_draft_until_a_translator_submits_it(
    client, clinic_site, spanish_site, spanish_translator, settings
):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"
    }
    spanish = spanish_site[clinic_site.condition.pk]
    live_before = client.get(spanish.url).content
    StringTranslation.objects.filter(locale__language_code="es").delete()
    translation = Translation.objects.get(
        source__object_id=clinic_site.condition.translation_key, target_locale__language_code="es"
    )
    client.force_login(spanish_translator)
    response = client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]), {"next": "/admin/"}
    )
    assert response.status_code == 302
    machine = StringTranslation.objects.filter(
        locale__language_code="es", translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE
    )
    assert machine.exists()
    client.logout()
    assert client.get(spanish.url).content == live_before  # nothing went live
