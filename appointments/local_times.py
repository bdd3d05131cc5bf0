"""Times as intake staff read them in the admin: in a time zone they can see named.

A request holds times in UTC. A time shown without its zone is read as the reader's own, and
an hour off is the difference between calling a patient back in the morning and at night."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext


def with_time_zone(text: str, zone_name: str) -> str:
    """``text`` followed by a time zone's name: "Received (America/New_York)"."""
    return gettext("%(text)s (%(time_zone)s)") % {"text": text, "time_zone": zone_name}


def local_time_text(value: datetime) -> str:
    """A time as the inbox list and the request's timeline show it: in the admin's current time
    zone (the clinic's, ``settings.TIME_ZONE``, unless the staff member chose another in their
    account), in the format of their language, with the zone named."""
    local = timezone.localtime(value)
    return with_time_zone(
        formats.date_format(local, "DATETIME_FORMAT"), timezone.get_current_timezone_name()
    )
