"""Visitors' answers to "Was this page helpful?" (PageFeedback). Marketing editors read them in
the "Page feedback" report and mark comments handled (view and change); nobody else but
superusers sees them: not translators, physicians or intake staff."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

READERS = ["Marketing editors"]
PERMISSIONS = [
    ("view_pagefeedback", "Can view page feedback"),
    ("change_pagefeedback", "Can change page feedback"),
]


def grant_report(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # On a fresh database post_migrate has not created the permissions yet.
    content_type, _ = ContentType.objects.get_or_create(
        app_label="appointments", model="pagefeedback"
    )
    for codename, name in PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        for group in Group.objects.filter(name__in=READERS):
            group.permissions.add(permission)


class Migration(migrations.Migration):

    dependencies = [
        ('appointments', '0015_request_source'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
        # The "Marketing editors" group.
        ('pages', '0002_marketing_editors_group'),
    ]

    operations = [
        migrations.CreateModel(
            name='PageFeedback',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(help_text='The language of the page the visitor read.', max_length=16, verbose_name='language')),
                ('day', models.DateField(help_text='The day it was sent; no time of day is kept.', verbose_name='day')),
                ('helpful', models.BooleanField(help_text='Whether the visitor said yes.', verbose_name='helpful')),
                ('comment', models.TextField(blank=True, help_text='What the visitor added after “no”, with e-mail addresses and phone numbers masked.', verbose_name='comment')),
                ('handled', models.BooleanField(default=False, help_text='Whether an editor has dealt with the comment.', verbose_name='handled')),
                ('handled_at', models.DateTimeField(blank=True, help_text='When it was marked handled.', null=True, verbose_name='handled at')),
                ('handled_by', models.ForeignKey(blank=True, help_text='Who marked it handled.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by')),
                ('page', models.ForeignKey(help_text='The page the answer is about, in the language it was read in.', on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='page')),
            ],
            options={
                'verbose_name': 'page feedback',
                'verbose_name_plural': 'page feedback',
                'indexes': [models.Index(fields=['day', 'page', 'language'], name='page_feedback_day_page'), models.Index(fields=['page', 'language', 'day'], name='page_feedback_page_day')],
            },
        ),
        migrations.RunPython(grant_report, migrations.RunPython.noop),
    ]
