"""Clinical review is the only way live: no group but superusers can make a condition or
treatment page live, or change what visitors see of one, through any admin route, in English
or in a translation. Approval by a physician publishes; other pages go to the Content leads."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page, Revision, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail_localize.models import LocaleSynchronization, Translation, TranslationSource

from pages.models import ConditionIndexPage, ConditionPage, TreatmentPage
from tests.factories.pages import ConditionPageFactory

pytestmark = pytest.mark.django_db

# Every group a non-superuser may be in that could touch a page: none may publish medical pages.
GROUPS = [
    "Marketing editors",
    "Physicians (clinical review)",
    "Moderators",
    "Editors",
    "Translators (Spanish)",
    "Content leads",
]


def member(django_user_model, group_name: str):
    username = group_name.split(" ")[0].lower() + str(django_user_model.objects.count())
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    group = Group.objects.get(name=group_name)
    user.groups.add(group)
    # Wagtail's own groups (Moderators, Editors) come with admin access; make sure of it, so that
    # a refusal is the page's and not the admin's door.
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def what_visitors_see() -> dict:
    """Every condition and treatment page as visitors get it: live or not, which revision is
    live, its text, alias or not; and whether anything is scheduled to go live."""
    pages: dict = {}
    for model in (ConditionPage, TreatmentPage):
        for page in model.objects.order_by("pk"):
            pages[page.pk] = (
                page.url_path,
                page.live,
                page.live_revision_id,
                page.title,
                page.summary,
                page.alias_of_id,
            )
    pages["scheduled"] = list(
        Revision.page_revisions.filter(approved_go_live_at__isnull=False).values_list("pk")
    )
    return pages


def assert_unchanged_for_visitors(before: dict, route: str) -> None:
    """Pages that were there are as they were; a page a route created is not live."""
    after = what_visitors_see()
    assert {key: after.get(key) for key in before} == before, route
    for key in after.keys() - before.keys():
        assert after[key][1] is False, (route, after[key])


def condition_form_data(condition, **extra) -> dict:
    return nested_form_data(
        {
            "title": condition.title,
            "slug": condition.slug,
            "summary": "CHANGED WITHOUT REVIEW",
            "alternate_names": "",
            "symptoms": streamfield([]),
            "causes": streamfield([]),
            "body": streamfield([]),
            "treatment_options": inline_formset([]),
            "faq": streamfield([]),
            "physician_links": inline_formset([]),
            **extra,
        }
    )


def routes(clinic_site, condition, section, language: str, spanish: dict):
    """Each way the admin offers to make a medical page live or change its live content, as
    (name, method, url, data)."""
    edit = reverse("wagtailadmin_pages:edit", args=[condition.pk])
    if language == "en":
        publish = condition_form_data(condition, **{"action-publish": "action-publish"})
        later = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
        schedule = condition_form_data(
            condition, **{"action-publish": "action-publish", "go_live_at": later}
        )
    else:
        # A translated page is edited in wagtail-localize's editor: "Publish in Spanish".
        publish = {"action": "publish"}
        schedule = {"action": "publish"}
    other_section = ConditionIndexPage.objects.exclude(pk=section.pk).first()
    draft = ConditionPageFactory(parent=section, title=f"Draft {language}", live=False)
    draft.save_revision()
    revision = condition.save_revision()
    add = reverse("wagtailadmin_pages:add", args=("pages", "conditionpage", section.pk))
    bulk = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    return [
        ("publish from the edit view", "post", edit, publish),
        ("schedule publishing", "post", edit, schedule),
        (
            "create and publish",
            "post",
            add,
            condition_form_data(
                condition, slug=f"new-{language}", **{"action-publish": "action-publish"}
            ),
        ),
        ("bulk publish", "post", f"{bulk}?id={draft.pk}", {"include_descendants": "on"}),
        (
            "bulk publish the section with its pages",
            "post",
            f"{bulk}?id={section.pk}",
            {"include_descendants": "on"},
        ),
        (
            "revert a revision and publish",
            "post",
            f"{edit}?revision={revision.pk}",
            publish | {"revision": str(revision.pk)},
        ),
        ("unpublish", "post", reverse("wagtailadmin_pages:unpublish", args=[condition.pk]), {}),
        (
            "bulk unpublish",
            "post",
            reverse("wagtail_bulk_action", args=("wagtailcore", "page", "unpublish"))
            + f"?id={condition.pk}",
            {},
        ),
        (
            "move into the other language's section",
            "post",
            reverse("wagtailadmin_pages:move_confirm", args=[condition.pk, other_section.pk]),
            {},
        ),
        (
            "copy with publish copies",
            "post",
            reverse("wagtailadmin_pages:copy", args=[condition.pk]),
            {
                "new_title": "Copy",
                "new_slug": f"copy-{language}",
                "new_parent_page": section.pk,
                "publish_copies": "on",
            },
        ),
        (
            "copy the whole section, published, under the home page",
            "post",
            reverse("wagtailadmin_pages:copy", args=[section.pk]),
            {
                "new_title": "Copied conditions",
                "new_slug": f"copied-conditions-{language}",
                "new_parent_page": spanish["french_home"].pk,
                "copy_subpages": "on",
                "publish_copies": "on",
            },
        ),
        (
            "alias of the whole section under the home page",
            "post",
            reverse("wagtailadmin_pages:copy", args=[section.pk]),
            {
                "new_title": "Aliased conditions",
                "new_slug": f"aliased-conditions-{language}",
                "new_parent_page": spanish["french_home"].pk,
                "copy_subpages": "on",
                "alias": "on",
            },
        ),
        (
            "admin API write",
            "put",
            f"/admin/api/main/pages/{condition.pk}/",
            {"title": "CHANGED"},
        ),
    ]


@pytest.mark.parametrize("group_name", GROUPS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_no_group_makes_a_medical_page_live_by_any_admin_route(
    client,
    django_user_model,
    clinic_site,
    spanish,
    group_name,
    language,
    django_capture_on_commit_callbacks,
):
    user = member(django_user_model, group_name)
    if language == "en":
        condition, section = clinic_site.condition, clinic_site.conditions
    else:
        condition = spanish["condition"]
        section = ConditionIndexPage.objects.get(locale__language_code="es")
    client.force_login(user)
    for name, method, url, data in routes(clinic_site, condition, section, language, spanish):
        before = what_visitors_see()
        live_conditions = ConditionPage.objects.live().count()
        # wagtail-localize publishes once the transaction commits: run those callbacks too.
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, method)(url, data)
        assert response.status_code in (200, 302, 403, 405), (name, response.status_code)
        assert_unchanged_for_visitors(before, name)
        assert ConditionPage.objects.live().count() == live_conditions, name
        assert not Page.objects.filter(alias_of__isnull=False).exists(), name


@pytest.mark.parametrize("group_name", GROUPS)
def test_no_group_sees_publish_in_the_medical_pages_menus(
    client, django_user_model, clinic_site, spanish, group_name
):
    user = member(django_user_model, group_name)
    client.force_login(user)
    pages = [clinic_site.condition, clinic_site.treatment, spanish["condition"]]
    for page in pages:
        assert not page.permissions_for_user(user).can_publish(), page
        assert not page.permissions_for_user(user).can_unpublish(), page
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        html = response.content.decode()
        assert 'name="action-publish"' not in html, page
        # wagtail-localize's editor takes its "Publish in Spanish" button from this flag.
        assert '"canPublish": true' not in html, page
    revision = clinic_site.condition.save_revision()
    revert = reverse(
        "wagtailadmin_pages:revisions_revert", args=[clinic_site.condition.pk, revision.pk]
    )
    assert 'name="action-publish"' not in client.get(revert).content.decode()
    for section in (clinic_site.conditions, clinic_site.treatments):
        assert not section.permissions_for_user(user).can_publish_subpage()
        add = reverse("wagtailadmin_pages:add", args=("pages", "conditionpage", section.pk))
        assert 'name="action-publish"' not in client.get(add).content.decode()


def test_sync_translated_pages_with_publish_immediately_sends_drafts_to_review(
    client, django_user_model, clinic_site, spanish, django_capture_on_commit_callbacks
):
    editor = member(django_user_model, "Marketing editors")
    condition = clinic_site.condition
    condition.summary = "A new English summary, never translated."
    condition.save_revision(user=editor)
    # The English page is live with the new text (a superuser published it).
    condition.get_latest_revision().publish()
    source = TranslationSource.objects.get(object_id=condition.translation_key)
    before = what_visitors_see()

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:update_translations", args=[source.pk]),
            {"publish_translations": "on"},
        )
    assert response.status_code == 302
    es = ConditionPage.objects.get(pk=spanish["condition"].pk)
    assert es.summary != "A new English summary, never translated."
    assert what_visitors_see()[es.pk] == before[es.pk]
    # The new text is not translated yet: nothing is sent to review until translators finish.
    assert not WorkflowState.objects.filter(object_id=str(es.pk)).exists()


def test_sync_with_publish_immediately_sends_an_already_translated_page_to_review(
    client, django_user_model, clinic_site, spanish, django_capture_on_commit_callbacks
):
    editor = member(django_user_model, "Marketing editors")
    source = TranslationSource.objects.get(object_id=clinic_site.treatment.translation_key)
    es = spanish["treatment"]
    before = what_visitors_see()

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:update_translations", args=[source.pk]),
            {"publish_translations": "on"},
        )
    assert response.status_code == 302
    assert what_visitors_see()[es.pk] == before[es.pk]
    state = WorkflowState.objects.get(object_id=str(es.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Clinical review"


def test_sync_with_publish_immediately_is_refused_to_a_translator_and_nothing_is_sent(
    client, django_user_model, clinic_site, spanish, django_capture_on_commit_callbacks
):
    translator = member(django_user_model, "Translators (Spanish)")
    source = TranslationSource.objects.get(object_id=clinic_site.treatment.translation_key)
    before = what_visitors_see()
    client.force_login(translator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:update_translations", args=[source.pk]),
            {"publish_translations": "on"},
        )
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert what_visitors_see() == before
    assert not WorkflowState.objects.exists()


def test_convert_to_alias_is_refused_to_a_translator_and_the_translation_kept(
    client, django_user_model, clinic_site, spanish
):
    translator = member(django_user_model, "Translators (Spanish)")
    client.force_login(translator)
    es = spanish["condition"]
    before = what_visitors_see()
    url = reverse("wagtail_localize:convert_to_alias", args=[es.pk])
    # Wagtail's admin turns "permission denied" into a redirect to the dashboard.
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert_unchanged_for_visitors(before, "convert to alias")
    assert (
        Translation.objects.filter(target_locale__language_code="es")
        .filter(source__object_id=es.translation_key)
        .exists()
    )


def test_a_superuser_publishes_with_the_same_requests_so_the_refusals_mean_something(
    client, django_user_model, clinic_site, spanish, django_capture_on_commit_callbacks
):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    condition, section = clinic_site.condition, clinic_site.conditions
    routes_by_name = {
        name: (method, url, data)
        for name, method, url, data in routes(clinic_site, condition, section, "en", spanish)
    }
    method, url, data = routes_by_name["publish from the edit view"]
    assert getattr(client, method)(url, data).status_code == 302
    assert ConditionPage.objects.get(pk=condition.pk).summary == "CHANGED WITHOUT REVIEW"
    method, url, data = routes_by_name["copy the whole section, published, under the home page"]
    assert getattr(client, method)(url, data).status_code == 302
    assert ConditionPage.objects.live().descendant_of(spanish["french_home"]).exists()
    es = spanish["condition"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[es.pk]), {"action": "publish"}
        )
    assert response.status_code == 302
    assert ConditionPage.objects.get(pk=es.pk).live_revision_id != es.live_revision_id


def approve_as(client, user, page) -> None:
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    client.force_login(user)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    response = client.post(url, {"comment": ""})
    assert response.status_code in (200, 302), response.content.decode()[:500]


def test_condition_submitted_to_clinical_review_goes_live_when_a_physician_approves(
    client, django_user_model, clinic_site
):
    editor = member(django_user_model, "Marketing editors")
    physician = member(django_user_model, "Physicians (clinical review)")
    condition = clinic_site.condition
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[condition.pk]),
        condition_form_data(
            condition, summary="Reviewed summary.", **{"action-submit": "action-submit"}
        ),
    )
    assert response.status_code == 302
    assert ConditionPage.objects.get(pk=condition.pk).summary != "Reviewed summary."
    state = WorkflowState.objects.get(object_id=str(condition.pk))
    assert state.workflow.name == "Clinical review"

    approve_as(client, physician, condition)
    condition = ConditionPage.objects.get(pk=condition.pk)
    assert condition.live
    assert condition.summary == "Reviewed summary."
    assert "Reviewed summary." in client.get(condition.url).content.decode()


def test_translated_contact_page_reaches_content_leads_and_goes_live_on_approval(
    client, django_user_model, clinic_site, spanish, translate
):
    translator = member(django_user_model, "Translators (Spanish)")
    lead = member(django_user_model, "Content leads")
    # The privacy page, translated as a draft: never live in Spanish yet.
    privacy = translate(clinic_site.privacy, "es", publish=False)
    assert not privacy.live

    client.force_login(translator)
    response = client.post(reverse("submit_translation_for_review", args=[privacy.pk]))
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(privacy.pk))
    assert state.workflow.name == "Content review"
    assert state.current_task_state.task.specific.user_can_access_editor(privacy, lead)
    assert not Page.objects.get(pk=privacy.pk).live

    approve_as(client, lead, privacy)
    assert Page.objects.get(pk=privacy.pk).live


def test_every_page_in_every_language_goes_to_a_group_with_a_task_of_its_own(
    clinic_site, spanish, consultation_page
):
    # The clinical sections carry the workflow, so their own page (its introduction) is
    # reviewed by the physicians too.
    clinical = [clinic_site.conditions, clinic_site.condition, clinic_site.treatment]
    for page in [*clinical, spanish["condition"]]:
        assert page.get_workflow().name == "Clinical review", page
    others = [
        clinic_site.home,
        clinic_site.contact,
        clinic_site.privacy,
        clinic_site.physician,
        clinic_site.physicians,
        clinic_site.accessibility,
        consultation_page,
        spanish["french_home"],
        clinic_site.contact.get_translation(Locale.objects.get(language_code="es")),
    ]
    for page in others:
        assert page.get_workflow().name == "Content review", page


def test_every_review_group_has_a_task_and_none_waits_on_an_empty_default():
    from wagtail.models import GroupApprovalTask

    for name, group in (("Clinical review", "Physicians (clinical review)"),):
        task = GroupApprovalTask.objects.get(name=name)
        assert list(task.groups.values_list("name", flat=True)) == [group]
    task = GroupApprovalTask.objects.get(name="Content review")
    assert list(task.groups.values_list("name", flat=True)) == ["Content leads"]
    publishers = {
        permission.group.name
        for permission in Group.objects.model._meta.apps.get_model(
            "wagtailcore", "GroupPagePermission"
        ).objects.filter(permission__codename="publish_page")
    }
    assert publishers <= {"Marketing editors"}


@pytest.mark.parametrize("group_name", ["Marketing editors", "Translators (Spanish)"])
def test_routes_that_publish_without_review_are_not_offered(
    client, django_user_model, clinic_site, spanish, group_name
):
    """Refused when taken (above), and not shown: "Convert to alias page" in the translation
    editor and in the edit view's menu, and "Publish immediately" when syncing translations."""
    es = spanish["condition"]
    source = TranslationSource.objects.get(object_id=clinic_site.condition.translation_key)
    sync = reverse("wagtail_localize:update_translations", args=[source.pk])
    edit = reverse("wagtailadmin_pages:edit", args=[es.pk])
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    user = member(django_user_model, group_name)

    def offered(who) -> dict:
        client.force_login(who)
        editor = client.get(edit).content.decode()
        synced = (
            client.get(sync).content.decode()
            if who.has_perm("wagtail_localize.submit_translation")
            else ""
        )
        translation = Translation.objects.get(source=source, target_locale=es.locale)
        translation.enabled = False  # translated by hand from now on: Wagtail's own editor
        translation.save()
        menu = client.get(edit).content.decode()
        translation.enabled = True
        translation.save()
        return {
            "translation editor": "js-translation-editor" in editor
            and "convert_to_alias" in editor,
            "edit view menu": 'name="localize-convert-to-alias"' in menu,
            "publish immediately": 'name="publish_translations"' in synced,
        }

    everything = {"translation editor": True, "edit view menu": True, "publish immediately": True}
    assert offered(root) == everything  # so that the absences below mean something
    nothing = dict.fromkeys(everything, False)
    assert offered(user) == nothing


@pytest.mark.parametrize("group_name", GROUPS)
def test_no_group_may_set_a_language_to_copy_another_as_live_aliases(
    client, django_user_model, clinic_site, group_name
):
    """wagtail-localize's "Synchronise content from another locale" (Settings → Locales) makes
    every page of the source language an alias, live where the source is live, in the other
    language's tree: a route around review that only a superuser can take."""
    user = member(django_user_model, group_name)
    for permission in ("add_locale", "change_locale", "delete_locale"):
        assert not user.has_perm(f"wagtailcore.{permission}"), permission
    client.force_login(user)
    spanish = Locale.objects.get(language_code="es")
    response = client.post(
        reverse("wagtaillocales:edit", args=[spanish.pk]),
        {
            "language_code": "es",
            "component-wagtail_localize_localesynchronization-enabled": "on",
            "component-wagtail_localize_localesynchronization-sync_from": Locale.objects.get(
                language_code="en"
            ).pk,
        },
    )
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert not LocaleSynchronization.objects.exists()
