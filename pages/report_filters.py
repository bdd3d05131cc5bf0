"""Filters of the admin reports whose rows are computed in Python rather than queried (the due
medical reviews, the translation status, the response times and the marketing reports), and the
period a report shows when its dates are left empty."""

import contextlib
import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from wagtail.admin.filters import WagtailFilterSet


class RowFilterSet(WagtailFilterSet):
    """Filters that only draw the report's form: each filter names ``method="unfiltered"``, and
    the view filters its rows by the form's cleaned data."""

    def unfiltered(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset


def with_default_period(
    data: QueryDict | None,
    field: str,
    default_period: Callable[..., tuple[datetime.date, datetime.date]],
) -> QueryDict:
    """The query string with the report's own period where a date of the range filter
    ``field`` (``<field>_from``, ``<field>_to``) is left empty: ``default_period()`` when both
    are, the period ending on the date to when only that one is given (``default_period(end)``),
    and up to today from a date from given alone. The defaults are put in the data rather than
    in the view, so that the form shows the dates the rows are for."""
    data = data.copy() if data is not None else QueryDict(mutable=True)
    start, end = default_period()
    given_start, given_end = data.get(f"{field}_from"), data.get(f"{field}_to")
    if not given_end:
        data[f"{field}_to"] = end.isoformat()
    if not given_start:
        if given_end:
            # A date the form cannot read is the form's to report; the default stands meanwhile.
            with contextlib.suppress(ValidationError):
                start, _end = default_period(forms.DateField().clean(given_end))
        data[f"{field}_from"] = start.isoformat()
    return data
