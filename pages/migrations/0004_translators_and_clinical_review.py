"""Translator groups for Spanish and French, the physicians' review group, and the "Clinical
review" workflow. Attaching them to each language's pages is done by pages.translation_setup
whenever those pages are created; this migration also attaches them to pages that exist already."""

from django.db import migrations

TRANSLATOR_GROUPS = {"es": "Translators (Spanish)", "fr": "Translators (French)"}
REVIEWER_GROUP = "Physicians (clinical review)"
REVIEW_WORKFLOW = "Clinical review"


def get_permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Locale = apps.get_model("wagtailcore", "Locale")

    access_admin = get_permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    submit_translation = get_permission(
        apps, "wagtail_localize", "translation", "submit_translation", "Can submit translations"
    )
    for language, name in TRANSLATOR_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
    # Editors start translations ("Translate this page"); translators then do the translating.
    # Translators do not get this permission: wagtail-localize's "sync translated pages" would
    # otherwise let them change a live page without review.
    marketing = Group.objects.filter(name="Marketing editors").first()
    if marketing is not None:
        marketing.permissions.add(submit_translation)

    reviewers, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    reviewers.permissions.add(access_admin)

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=REVIEW_WORKFLOW).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_WORKFLOW, content_type=task_type, active=True)
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    # Pages that already exist (an existing site upgraded): attach as translation_setup would.
    section_types = ContentType.objects.filter(
        app_label="pages", model__in=["conditionindexpage", "treatmentindexpage"]
    )
    for section in Page.objects.filter(content_type__in=section_types):
        WorkflowPage.objects.get_or_create(page=section, defaults={"workflow": workflow})
    home_type = ContentType.objects.filter(app_label="pages", model="homepage").first()
    for language, name in TRANSLATOR_GROUPS.items():
        locale = Locale.objects.filter(language_code=language).first()
        if not (home_type and locale):
            continue
        group = Group.objects.get(name=name)
        for home in Page.objects.filter(content_type=home_type, locale=locale):
            for codename in ("add_page", "change_page"):
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=home,
                    permission=get_permission(apps, "wagtailcore", "page", codename, codename),
                )


def remove(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[*TRANSLATOR_GROUPS.values(), REVIEWER_GROUP]).delete()
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=REVIEW_WORKFLOW).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=REVIEW_WORKFLOW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_spanish_and_french_locales"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, remove)]
