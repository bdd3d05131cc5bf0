"""Filters of the admin reports whose rows are computed in Python rather than queried (the due
medical reviews, the translation status)."""

from typing import Any

from wagtail.admin.filters import WagtailFilterSet


class RowFilterSet(WagtailFilterSet):
    """Filters that only draw the report's form: each filter names ``method="unfiltered"``, and
    the view filters its rows by the form's cleaned data."""

    def unfiltered(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset
