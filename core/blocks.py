"""Blocks for the clinic's sites. Opening hours and closures are structured rather than free
text, so that they appear in every visitor's language (day names, dates and time formats come
from Django's own translations) and in search-engine data, without a translator touching them."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy, pgettext
from wagtail import blocks

DAY_CHOICES = [(str(number), name) for number, name in WEEKDAYS.items()]
SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class OpeningHoursValue(blocks.StructValue):
    """One line of opening hours, rendered in the active language."""

    def days(self) -> list[int]:
        first = int(self["first_day"])
        last = int(self["last_day"]) if self.get("last_day") not in (None, "") else first
        return list(range(first, max(first, last) + 1))

    def day_label(self) -> str:
        days = self.days()
        if len(days) == 1:
            return str(WEEKDAYS[days[0]])
        return f"{WEEKDAYS[days[0]]}–{WEEKDAYS[days[-1]]}"

    def hours_label(self) -> str:
        if self.get("closed") or not (self.get("opens") and self.get("closes")):
            return pgettext("opening hours", "Closed")
        return f"{time_format(self['opens'])} – {time_format(self['closes'])}"

    def __str__(self) -> str:
        return f"{self.day_label()}: {self.hours_label()}"

    def as_schema(self) -> dict | None:
        if self.get("closed") or not (self.get("opens") and self.get("closes")):
            return None
        opens: datetime.time = self["opens"]
        closes: datetime.time = self["closes"]
        return {
            "@type": "OpeningHoursSpecification",
            # Members of schema.org's DayOfWeek enumeration, by their addresses.
            "dayOfWeek": [f"https://schema.org/{SCHEMA_DAYS[day]}" for day in self.days()],
            "opens": opens.strftime("%H:%M"),
            "closes": closes.strftime("%H:%M"),
        }


class OpeningHoursBlock(blocks.StructBlock):
    """One line of the clinic's opening hours: a day or a range of days, and the hours."""

    first_day = blocks.ChoiceBlock(
        choices=DAY_CHOICES, label=gettext_lazy("from"), help_text=gettext_lazy("First day.")
    )
    last_day = blocks.ChoiceBlock(
        choices=DAY_CHOICES,
        required=False,
        label=gettext_lazy("to"),
        help_text=gettext_lazy("Last day of a range. Leave empty for a single day."),
    )
    opens = blocks.TimeBlock(required=False, label=gettext_lazy("opens"))
    closes = blocks.TimeBlock(required=False, label=gettext_lazy("closes"))
    closed = blocks.BooleanBlock(
        required=False,
        label=gettext_lazy("closed"),
        help_text=gettext_lazy("Tick for days the clinic is closed."),
    )

    class Meta:
        icon = "time"
        label = gettext_lazy("Opening hours")
        value_class = OpeningHoursValue
        template = "components/opening_hours_block.html"
        # Times as the block stores them (strings would not format as times).
        preview_value = {
            "first_day": "0",
            "last_day": "4",
            "opens": datetime.time(8, 0),
            "closes": datetime.time(17, 0),
            "closed": False,
        }
        description = gettext_lazy("The days and hours the clinic is open, or closed.")


class ClosureValue(blocks.StructValue):
    """A day or a run of days the site is closed, rendered in the active language."""

    @property
    def last(self) -> datetime.date:
        return self.get("last_day") or self["first_day"]

    def dates_label(self) -> str:
        first, last = self["first_day"], self.last
        if last <= first:
            return date_format(first, "DATE_FORMAT")
        return f"{date_format(first, 'DATE_FORMAT')} – {date_format(last, 'DATE_FORMAT')}"

    def __str__(self) -> str:
        note = self.get("note")
        return f"{self.dates_label()}: {note}" if note else self.dates_label()

    def as_schema(self) -> dict:
        """Schema.org's way of saying "closed on these dates": opening hours valid only then,
        opening and closing at midnight."""
        return {
            "@type": "OpeningHoursSpecification",
            "opens": "00:00",
            "closes": "00:00",
            "validFrom": self["first_day"].isoformat(),
            "validThrough": self.last.isoformat(),
        }


class ClosureBlock(blocks.StructBlock):
    """A closure on given dates (a public holiday, a move), shown with the opening hours until
    it has passed."""

    first_day = blocks.DateBlock(label=gettext_lazy("from"), help_text=gettext_lazy("First day."))
    last_day = blocks.DateBlock(
        required=False,
        label=gettext_lazy("to"),
        help_text=gettext_lazy("Last day closed. Leave empty for a single day."),
    )
    note = blocks.CharBlock(
        required=False,
        max_length=120,
        label=gettext_lazy("reason"),
        help_text=gettext_lazy("Optional, e.g. “Public holiday”. Translators translate it."),
    )

    class Meta:
        icon = "date"
        label = gettext_lazy("Closure")
        value_class = ClosureValue
        template = "components/opening_hours_block.html"
        preview_value = {
            "first_day": datetime.date(2026, 12, 24),
            "last_day": datetime.date(2026, 12, 26),
            "note": "Winter holidays",
        }
        description = gettext_lazy("Dates the site is closed, whatever its usual hours.")

    def clean(self, value):
        value = super().clean(value)
        if value.get("last_day") and value["last_day"] < value["first_day"]:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "last_day": ValidationError(
                        gettext_lazy("The last day cannot be before the first.")
                    )
                }
            )
        return value
