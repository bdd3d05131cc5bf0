"""The inbox stays quick with a hundred thousand requests: what it filters, sorts and searches by
is indexed, and a page of it costs the same number of queries however many rows are assigned.

These checks are cheap; bench/inbox.py measures the timings with 100,000 requests."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments.models import ConsultationRequest
from appointments.views import ConsultationRequestFilterSet, ConsultationRequestViewSet

from .factories import ConsultationRequestFactory

TRIGRAM_MIGRATION = importlib.import_module("appointments.migrations.0004_inbox_indexes")
SEARCH_MIGRATION = importlib.import_module("appointments.migrations.0010_fill_search_columns")


def indexed_fields() -> set[str]:
    """Fields a lookup or an ORDER BY on them alone can use an index for."""
    meta = ConsultationRequest._meta
    indexed = {
        field.name
        for field in meta.concrete_fields
        if field.db_index or field.unique or field.primary_key
    }
    return indexed | {index.fields[0].lstrip("-") for index in meta.indexes if index.fields}


def sortable_columns() -> list[str]:
    index_view = ConsultationRequestViewSet().index_view
    view = index_view.view_class(**index_view.view_initkwargs)
    view.setup(RequestFactory().get("/"))
    return [column.sort_key for column in view.columns if column.sort_key]


# Filters whose lookups are served by an index on another field: "Assigned to" (me, nobody)
# by the assignee's, "Overdue" (new and older than a time) by status and created_at's.
FILTERS_ON_OTHER_FIELDS = {"assigned": "assignee", "overdue": "status"}


def test_every_inbox_filter_has_an_index():
    filtered = {
        FILTERS_ON_OTHER_FIELDS.get(name, f.field_name)
        for name, f in ConsultationRequestFilterSet.base_filters.items()
    }
    assert filtered - indexed_fields() == set()


def test_every_sortable_inbox_column_has_an_index():
    columns = sortable_columns()
    assert "full_name" in columns
    assert set(columns) - indexed_fields() == set()


def test_the_status_filter_and_the_default_order_have_their_indexes():
    from appointments.models import triage_order

    indexes = {index.name: index for index in ConsultationRequest._meta.indexes}
    assert indexes["request_status_created"].fields == ["status", "-created_at"]
    # The default order (new first, oldest first, then the rest latest first) is the very
    # expressions of an index: PostgreSQL reads the first page from it without sorting.
    assert ConsultationRequestViewSet.ordering == "triage"
    assert indexes["request_triage_order"].expressions == triage_order()


@pytest.mark.django_db
def test_postgresql_reads_the_default_order_from_its_index():
    from appointments.models import triage_order

    if connection.vendor != "postgresql":
        pytest.skip("A query plan of PostgreSQL (this run uses SQLite).")
    ConsultationRequestFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table: make the planner show it
        queryset = ConsultationRequest.objects.order_by(*triage_order())[:50]
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "request_triage_order" in plan, plan
    assert "Sort" not in plan, plan


def test_every_inbox_search_field_gets_a_trigram_index_on_postgresql():
    # 0004 indexed the columns searched then; 0010 indexes the search columns and drops the
    # indexes of those no longer searched.
    indexed = set(TRIGRAM_MIGRATION.SEARCHED_COLUMNS) - set(SEARCH_MIGRATION.NO_LONGER_SEARCHED)
    indexed |= set(SEARCH_MIGRATION.SEARCH_COLUMNS)
    assert set(ConsultationRequestViewSet.search_fields) == indexed


@pytest.mark.django_db
def test_trigram_indexes_exist_in_a_postgresql_database():
    if connection.vendor != "postgresql":
        pytest.skip("Trigram indexes exist on PostgreSQL only (this run uses SQLite).")
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, ConsultationRequest._meta.db_table)
    for column in ConsultationRequestViewSet.search_fields:
        assert TRIGRAM_MIGRATION.trigram_index_name(column) in names
    for column in SEARCH_MIGRATION.NO_LONGER_SEARCHED:
        assert TRIGRAM_MIGRATION.trigram_index_name(column) not in names


@pytest.mark.django_db
def test_inbox_queries_do_not_grow_with_the_number_of_assigned_requests(client, django_user_model):
    staff = [
        django_user_model.objects.create_user(f"intake{n}", f"intake{n}@example.org", "pw")
        for n in range(6)
    ]
    for user in staff:
        user.groups.add(Group.objects.get(name="Intake staff"))
    client.force_login(staff[0])

    def inbox_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("consultation_requests:index")).status_code == 200
        return len(queries)

    ConsultationRequestFactory(assignee=staff[0])
    inbox_queries()  # the site's routing and settings are cached from the first request on
    few = inbox_queries()
    for user in staff[1:]:
        ConsultationRequestFactory.create_batch(2, assignee=user)
    assert inbox_queries() <= few  # (a cache warmed by the first pages can only save some)
