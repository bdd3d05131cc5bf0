"""What the site search needs of PostgreSQL to forgive accents and typos (``pages.search``).

- ``pg_trgm`` (trigram similarity) and ``unaccent``, both trusted extensions, which the
  database's owner may create;
- ``f_unaccent()``, an immutable wrapper of ``unaccent()`` (which is only stable, so no index
  can use it), defined exactly as Wagtail's search (django-modelsearch's ``enable_unaccent``
  command) defines it, so that either may create it;
- a trigram index on the accent-free titles in Wagtail's search index, which serves the
  ``<<%`` (strict word similarity) filter of ``pages.search``: without it, each search that
  the full-text search cannot answer would compare the words with the title of every page in
  every language. The name is the one modelsearch's ``enable_trigram`` command gives it.

A no-op on SQLite (development, tests), where the search stays plain full-text search."""

from django.db import migrations

INDEXED_COLUMNS = {"title_text": "modelsearch_title_text_unaccent_trgm"}

F_UNACCENT = """
CREATE OR REPLACE FUNCTION f_unaccent(text)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$func$
SELECT public.unaccent('public.unaccent', $1)
$func$
"""


def create_unaccent_function_and_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table)
    for extension in ("pg_trgm", "unaccent"):
        schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    schema_editor.execute(F_UNACCENT)
    for column, index in INDEXED_COLUMNS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} "
            f"USING gin (f_unaccent({schema_editor.quote_name(column)}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    # The extensions and the function stay: the inbox's indexes (appointments) need pg_trgm,
    # and modelsearch's own fuzzy search may use f_unaccent().
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXED_COLUMNS.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0010_legal_notice_page"),
        # Adds the plain-text columns (title_text, body_text) indexed here.
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(create_unaccent_function_and_indexes, drop_indexes),
    ]
