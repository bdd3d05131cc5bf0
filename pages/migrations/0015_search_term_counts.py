"""Site-search terms counted per day and language (pages.models.search_terms), and who reads
them: the "Marketing editors" group may see the "Site searches" report (``view_searchtermcount``)
and turn a term into promoted results (wagtail.contrib.search_promotions' add, change and delete
permissions, which its views check)."""

from django.db import migrations, models

GROUP_NAME = "Marketing editors"
PERMISSIONS = [
    ("pages", "searchtermcount", "view_searchtermcount"),
    ("wagtailsearchpromotions", "searchpromotion", "add_searchpromotion"),
    ("wagtailsearchpromotions", "searchpromotion", "change_searchpromotion"),
    ("wagtailsearchpromotions", "searchpromotion", "delete_searchpromotion"),
]


def get_permission(apps, app_label, model, codename):
    # Permissions are created after all migrations ran (post_migrate); on a fresh database they
    # may not exist yet, so create them the way Django would.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    action = codename.split("_", 1)[0]
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {action} {model}"},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.add(*(get_permission(apps, *names) for names in PERMISSIONS))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        codename__in=[codename for _app, _model, codename in PERMISSIONS]
    )
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0014_remove_languages_spoken"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTermCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                ("language", models.CharField(max_length=16, verbose_name="language")),
                ("term", models.CharField(max_length=100, verbose_name="search term")),
                ("searches", models.PositiveIntegerField(default=0, verbose_name="searches")),
                (
                    "results",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="Results found by the last search for the term that day.",
                        verbose_name="results",
                    ),
                ),
            ],
            options={
                "verbose_name": "search term count",
                "verbose_name_plural": "search term counts",
                "indexes": [models.Index(fields=["day"], name="search_term_count_day")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "language", "term"), name="search_term_count_unique_day"
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
