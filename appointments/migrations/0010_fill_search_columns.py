"""Fill the inbox's search columns (``search_text``, ``phone_digits``, added empty by 0009) for the
requests already stored, and on PostgreSQL index them for ``LIKE '%…%'``.

The values come from ``appointments.search``, the code that fills them on every save, so that a
request stored before this migration is found exactly like one stored after it.

The inbox no longer searches ``full_name``, ``email`` and ``phone`` themselves, and nothing else
runs ``LIKE`` on them (the duplicate check compares them for equality within a few minutes'
window, which the ``created_at`` index serves), so their trigram indexes from 0004 are dropped:
each cost every new request three GIN updates. The one on ``reference`` stays in use."""

import importlib

from django.db import migrations

from appointments.search import SEARCH_COLUMNS, fill_search_columns

TABLE = "appointments_consultationrequest"
# Rows read and written at a time: memory stays bounded however many requests there are.
BATCH_SIZE = 2000
NO_LONGER_SEARCHED = ["full_name", "email", "phone"]

inbox_indexes = importlib.import_module("appointments.migrations.0004_inbox_indexes")


def fill_existing_requests(apps, schema_editor):
    ConsultationRequest = apps.get_model("appointments", "ConsultationRequest")
    connection = schema_editor.connection
    requests = ConsultationRequest._default_manager.using(connection.alias)
    sources = ["full_name", "email", "contact_details", "phone"]
    # One UPDATE per row, sent together: three times as quick as bulk_update(), whose CASE
    # expression Django spends most of the time building (100,000 rows: about 45 s, not 130 s).
    quote = connection.ops.quote_name
    update = (
        f"UPDATE {quote(ConsultationRequest._meta.db_table)} "
        f"SET {quote('search_text')} = %s, {quote('phone_digits')} = %s WHERE {quote('id')} = %s"
    )
    last_pk = 0
    while True:
        batch = list(requests.filter(pk__gt=last_pk).order_by("pk").only(*sources)[:BATCH_SIZE])
        if not batch:
            return
        for request in batch:
            fill_search_columns(request)
        with connection.cursor() as cursor:
            cursor.executemany(
                update,
                [(request.search_text, request.phone_digits, request.pk) for request in batch],
            )
        last_pk = batch[-1].pk


def create_search_indexes(apps, schema_editor):
    # PostgreSQL only: SQLite (development, tests) has neither pg_trgm nor GIN indexes. The
    # columns are already normalised, so the index is on the column itself: Django runs
    # ``contains`` as ``column::text LIKE '%term%'``, which such an index serves.
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCH_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {inbox_indexes.trigram_index_name(column)} ON {TABLE} "
            f"USING gin ({schema_editor.quote_name(column)} gin_trgm_ops)"
        )
    for column in NO_LONGER_SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {inbox_indexes.trigram_index_name(column)}")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCH_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {inbox_indexes.trigram_index_name(column)}")
    for column in NO_LONGER_SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {inbox_indexes.trigram_index_name(column)} ON {TABLE} "
            f"USING gin ((UPPER({schema_editor.quote_name(column)}::text)) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0009_request_first_contact_and_search_columns"),
    ]

    operations = [
        migrations.RunPython(fill_existing_requests, migrations.RunPython.noop),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
