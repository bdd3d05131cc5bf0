"""The permission that makes a second factor required at sign-in (core.two_factor), under the
name and content type wagtail-2fa's own migration gives it, so that a later wagtail-2fa
installed as an app finds it there. Superusers hold it, as they hold every permission."""

from django.db import migrations


def create_permission(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    Permission.objects.get_or_create(
        content_type=content_type, codename="enable_2fa", defaults={"name": "Enable 2FA"}
    )


def remove_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="enable_2fa"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_language_access"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_permission, remove_permission)]
