"""The "Intake staff" group: sees, triages and exports consultation requests, and nothing else.
Marketing editors and translators get no permission on requests at all."""

from django.db import migrations

GROUP_NAME = "Intake staff"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
    ("appointments", "consultationrequest", "view_consultationrequest", "Can view consultation request"),
    ("appointments", "consultationrequest", "change_consultationrequest", "Can change consultation request"),
    ("appointments", "consultationrequest", "export_consultationrequest", "Can export consultation requests"),
]


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, model, codename, name in PERMISSIONS:
        # On a fresh database post_migrate has not created the permissions yet.
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
