"""Notes become entries of the request's timeline (appointments.timeline): each request's
"internal notes" text, which every save replaced, is kept as one note entry, dated when the
request was last updated and without an author (it may hold several people's words), and the
column is removed."""

from django.db import migrations


def notes_to_entries(apps, schema_editor):
    ConsultationRequest = apps.get_model("appointments", "ConsultationRequest")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="appointments", model="consultationrequest"
    )
    with_notes = ConsultationRequest.objects.exclude(internal_notes="").only(
        "pk", "reference", "internal_notes", "updated_at"
    )
    ModelLogEntry.objects.bulk_create(
        (
            ModelLogEntry(
                content_type=content_type,
                object_id=str(request.pk),
                label=f"#{request.reference}",
                action="appointments.note",
                data={"text": request.internal_notes, "earlier_notes": True},
                timestamp=request.updated_at,
            )
            for request in with_notes.iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0010_fill_search_columns"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.RunPython(notes_to_entries, migrations.RunPython.noop),
        migrations.RemoveField(model_name="consultationrequest", name="internal_notes"),
    ]
