"""The inbox's spreadsheet exports (CSV and XLSX), written for the person who opens them.

Wagtail's export writes what the database holds: ``contacted``, ``es``, ``True``, the username
of the assignee, times in UTC. A spreadsheet is read away from the admin, by someone who cannot
look the codes up, so each value is written as the admin shows it: the label of a choice and
"Yes"/"No" in the exporting staff member's admin language, people by name, pages by title, times
in the clinic's time zone (named in the column heading), phone numbers as people write them."""

import datetime
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

import phonenumbers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from .local_times import with_time_zone

CSV = SpreadsheetExportMixin.FORMAT_CSV
XLSX = SpreadsheetExportMixin.FORMAT_XLSX


# --- times -------------------------------------------------------------------------------------


def clinic_time(value: datetime.datetime) -> datetime.datetime:
    """``value`` in the clinic's time zone (``settings.TIME_ZONE``): every export uses the same
    zone whoever exports it, so that two staff members' files agree."""
    return timezone.localtime(value, timezone.get_default_timezone())


def time_for_csv(value: datetime.datetime) -> str:
    """In the form spreadsheet programs read as a date and time, "2026-03-02 14:05:09". The
    zone is in the column heading rather than in each cell, where an offset would make the
    cell text. (In the hour repeated when clocks go back, two times read the same.)"""
    return clinic_time(value).strftime("%Y-%m-%d %H:%M:%S")


def time_for_xlsx(value: datetime.datetime) -> datetime.datetime:
    """A date cell in the clinic's time zone: XLSX has no time zones, and Wagtail's own export
    writes the UTC time."""
    return timezone.make_naive(clinic_time(value), timezone.get_default_timezone())


# --- phone numbers -----------------------------------------------------------------------------


def parse_phone(value: str) -> phonenumbers.PhoneNumber | None:
    """The number in ``value`` (the form stores E.164, "+12025550143"), or None if it is not a
    valid one (a request stored before the form checked numbers)."""
    try:
        number = phonenumbers.parse(value, settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def is_local(number: phonenumbers.PhoneNumber) -> bool:
    return phonenumbers.region_code_for_number(number) == settings.PHONE_DEFAULT_REGION


def phone_for_xlsx(value: str) -> str:
    """A number of the clinic's region in its national format ("(202) 555-0143"), any other in
    the international one ("+44 20 7946 0958"). An XLSX cell holding text is never run as a
    formula, so the "+" is safe there; anything that is not a valid number is written as
    stored."""
    number = parse_phone(value) if value else None
    if number is None:
        return value
    if is_local(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_for_csv(value: str) -> str:
    """A number as it is dialled from the clinic's region, which never starts with a character
    a spreadsheet program reads as the start of a formula, so it needs no apostrophe in front.

    A number of the clinic's region is in its national format ("(202) 555-0143"); any other
    starts with the region's international call prefix instead of "+" (from the US
    "011 44 20 7946 0958", from most of the world "00 44 20 7946 0958"; a Canadian number from
    the US is "1 (604) 555-0143"). Where a region has several international prefixes
    ``phonenumbers`` writes a "+"; then the ITU's recommended prefix, 00, stands in for it.
    Anything that is not a valid number is written as stored, and the CSV formula defence
    treats it like any other text the visitor typed."""
    number = parse_phone(value) if value else None
    if number is None:
        return value
    if is_local(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    dialled = phonenumbers.format_out_of_country_calling_number(
        number, settings.PHONE_DEFAULT_REGION
    )
    if dialled.startswith("+"):
        return "00 " + dialled[1:]
    return dialled


# --- the values of a row -----------------------------------------------------------------------


def yes_or_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def person_name(user: Any) -> str:
    """A member of staff as colleagues know them: their full name, else their username."""
    return user.get_full_name() or user.get_username()


def readable_value(item: models.Model, name: str, value: Any) -> Any:
    """What the admin shows for ``item``'s field ``name`` (whose stored value is ``value``):
    a choice's label and "Yes"/"No" in the active language, a person's name, a page's title.
    Times, phone numbers and anything else are left for ``preprocess_field_value``."""
    if value is None:
        return None
    display = getattr(item, f"get_{name}_display", None)
    if callable(display):  # a choice field, or ``flags`` (ConsultationRequest.get_flags_display)
        return display()
    if isinstance(value, bool):
        return yes_or_no(value)
    if isinstance(value, get_user_model()):
        return person_name(value)
    if isinstance(value, models.Model):
        return str(getattr(value, "title", value))
    return value


def in_language(language: str | None, chunks: Iterable[str]) -> Iterator[str]:
    """``chunks`` made with ``language`` active, one at a time.

    Wagtail activates the staff member's admin language around the view, but a CSV export is a
    streaming response: its rows are made after the view has returned, when that language is
    no longer active. Activating it for each chunk only (rather than across a ``yield``) leaves
    nothing changed for whatever runs between two chunks."""
    iterator = iter(chunks)
    while True:
        with translation.override(language):
            chunk = next(iterator, None)
        if chunk is None:
            return
        yield chunk


class ReadableExportMixin(SpreadsheetExportMixin):
    """Wagtail's spreadsheet export with each value as ``readable_value`` has it, times in the
    clinic's time zone with the zone in the heading, phone numbers as ``phone_for_csv`` and
    ``phone_for_xlsx`` write them. Placed before an index view class (which has Wagtail's)."""

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        datetime.datetime: {CSV: time_for_csv, XLSX: time_for_xlsx},
    }
    custom_field_preprocess = {"phone": {CSV: phone_for_csv, XLSX: phone_for_xlsx}}

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        return OrderedDict((name, readable_value(item, name, value)) for name, value in row.items())

    def get_heading(self, queryset, field):
        heading = super().get_heading(queryset, field)
        try:
            model_field = queryset.model._meta.get_field(field)
        except FieldDoesNotExist:
            return heading
        if isinstance(model_field, models.DateTimeField):
            return with_time_zone(heading, timezone.get_default_timezone_name())
        return heading

    def stream_csv(self, queryset):
        return in_language(translation.get_language(), super().stream_csv(queryset))

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # Each row shows its condition's and physician's titles: fetched with the row rather
        # than with a query each.
        related = [
            field.name
            for field in queryset.model._meta.concrete_fields
            if field.is_relation and field.name in self.list_export
        ]
        return super().as_spreadsheet(queryset.select_related(*related), spreadsheet_format)
