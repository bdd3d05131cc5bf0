"""Intake staff see patients' health data: they sign in with a second factor (core.two_factor).
Superusers must too; they hold every permission already."""

from django.db import migrations

GROUP_NAME = "Intake staff"


def require_two_factor(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="enable_2fa"
    )
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.add(permission)


def no_longer_require_it(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="enable_2fa"
    ).first()
    if permission is not None:
        for group in Group.objects.filter(name=GROUP_NAME):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0012_triage_order_and_assignee_indexes"),
        ("core", "0004_two_factor_permission"),
    ]

    operations = [migrations.RunPython(require_two_factor, no_longer_require_it)]
