"""Clinical review is the only way live for condition and treatment pages, and nothing waits on
an empty group.

- The physicians lose ``publish_page``: approving the review publishes the page
  (``WAGTAIL_FINISH_WORKFLOW_ACTION``), and nobody but superusers publishes a medical page
  directly (``pages/models/review.py``).
- Wagtail's default "Moderators" and "Editors" groups lose ``publish_page``: theirs is on the
  tree's root, which covers every condition and treatment page. Nobody is in them here; they keep
  their other permissions.
- "Content leads" approve every other page in the "Content review" workflow, attached to each
  language's home page (Wagtail's "Moderators approval", on the root, waited on the empty
  Moderators group). Approving publishes, so the group needs no page permissions of its own."""

from django.db import migrations

REVIEWER_GROUP = "Physicians (clinical review)"
DEFAULT_GROUPS = ["Moderators", "Editors"]
CONTENT_LEADS_GROUP = "Content leads"
CONTENT_WORKFLOW = "Content review"


def get_permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def forward(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Page = apps.get_model("wagtailcore", "Page")

    GroupPagePermission.objects.filter(
        group__name__in=[REVIEWER_GROUP, *DEFAULT_GROUPS],
        permission__content_type__app_label="wagtailcore",
        permission__codename="publish_page",
    ).delete()

    leads, _ = Group.objects.get_or_create(name=CONTENT_LEADS_GROUP)
    leads.permissions.add(
        get_permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    )
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=CONTENT_WORKFLOW).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=CONTENT_WORKFLOW, content_type=task_type, active=True
        )
    task.groups.add(leads)
    workflow, _ = Workflow.objects.get_or_create(name=CONTENT_WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # Home pages that exist already (pages.translation_setup attaches the workflow to new ones).
    home_type = ContentType.objects.filter(app_label="pages", model="homepage").first()
    if home_type is not None:
        for home in Page.objects.filter(content_type=home_type):
            WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})


def backward(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=CONTENT_WORKFLOW).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=CONTENT_WORKFLOW).delete()
    Group.objects.filter(name=CONTENT_LEADS_GROUP).delete()
    publish = get_permission(apps, "wagtailcore", "page", "publish_page", "Can publish any page")
    sections = ContentType.objects.filter(
        app_label="pages", model__in=["conditionindexpage", "treatmentindexpage"]
    )
    reviewers = Group.objects.filter(name=REVIEWER_GROUP).first()
    if reviewers is not None:
        for section in Page.objects.filter(content_type__in=sections):
            GroupPagePermission.objects.get_or_create(
                group=reviewers, page=section, permission=publish
            )
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        for root in Page.objects.filter(depth=1):
            GroupPagePermission.objects.get_or_create(
                group=moderators, page=root, permission=publish
            )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0005_form_pages_moved"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forward, backward)]
