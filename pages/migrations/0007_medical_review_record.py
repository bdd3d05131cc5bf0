"""Medical reviews become records written when a physician approves clinical review.

- Each condition and treatment page that had a review typed in (``last_reviewed``, with
  ``reviewed_by``) gets a record of it, so that existing sites keep their bylines.
- Physicians and marketing editors may see the records (the "Due for medical review" report).
- A physician's profile names their sign-in account (``PhysicianPage.user``)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


REVIEWED_MODELS = ["ConditionPage", "TreatmentPage"]
READERS = ["Physicians (clinical review)", "Marketing editors"]


def record_typed_reviews(apps, schema_editor):
    MedicalReview = apps.get_model("pages", "MedicalReview")
    for model_name in REVIEWED_MODELS:
        model = apps.get_model("pages", model_name)
        for page in model.objects.filter(last_reviewed__isnull=False).select_related("reviewed_by"):
            physician = page.reviewed_by
            name = f"{physician.honorific} {physician.name}".strip() if physician else ""
            MedicalReview.objects.get_or_create(
                page_id=page.pk,
                reviewed_on=page.last_reviewed,
                defaults={
                    "physician": physician,
                    "reviewer_name": name,
                    "revision_id": page.live_revision_id,
                },
            )


def grant_report(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="pages", model="medicalreview")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_medicalreview",
        defaults={"name": "Can view medical review"},
    )
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0006_clinical_review_only_way_live"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="physicianpage",
            name="user",
            field=models.ForeignKey(
                blank=True,
                help_text="The physician's account in the admin. Reviews they approve are shown on pages as reviewed by this physician. Not shown to visitors.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="sign-in account",
            ),
        ),
        migrations.AlterField(
            model_name="conditionpage",
            name="next_review_due",
            field=models.DateField(
                blank=True,
                help_text="When the page should be reviewed again: a date after its last review. Leave empty for the clinic's usual interval after the last review. Not shown to visitors.",
                null=True,
                verbose_name="next review due",
            ),
        ),
        migrations.AlterField(
            model_name="treatmentpage",
            name="next_review_due",
            field=models.DateField(
                blank=True,
                help_text="When the page should be reviewed again: a date after its last review. Leave empty for the clinic's usual interval after the last review. Not shown to visitors.",
                null=True,
                verbose_name="next review due",
            ),
        ),
        migrations.CreateModel(
            name="MedicalReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reviewer_name",
                    models.CharField(blank=True, max_length=255, verbose_name="reviewer's name"),
                ),
                ("reviewed_on", models.DateField(verbose_name="reviewed on")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
                (
                    "page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="medical_reviews",
                        to=settings.WAGTAIL_PAGE_MODEL,
                        verbose_name="page",
                    ),
                ),
                (
                    "physician",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="pages.physicianpage",
                        verbose_name="physician",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        blank=True,
                        help_text="The version of the page the physician approved.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="revision",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="approved by",
                    ),
                ),
            ],
            options={
                "verbose_name": "medical review",
                "verbose_name_plural": "medical reviews",
                "ordering": ["-reviewed_on", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["page", "-reviewed_on"], name="pages_medic_page_id_5b6c1c_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ReviewReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("due_on", models.DateField()),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
                (
                    "page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("page", "due_on"), name="one_reminder_per_due_date"
                    )
                ],
            },
        ),
        migrations.RunPython(record_typed_reviews, migrations.RunPython.noop),
        migrations.RunPython(grant_report, migrations.RunPython.noop),
    ]
