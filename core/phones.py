"""The clinic's phone numbers as a phone dials them and as people read them.

Editors type a number as they would say it, "(202) 555-0100". A ``tel:`` link needs it in E.164,
"+12025550100", or a visitor abroad, or a phone set to another region, dials the wrong number;
people read it in the clinic's national format. ``phonenumbers`` (Google's libphonenumber) does
both; a number without a country code is read as one of the clinic's country.

Valid here means *possible* (the right length for its country), not *assigned*: the demo's and
the tests' numbers are NANP 555-01xx, reserved for fiction, which libphonenumber calls invalid
but which are still well-formed E.164."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

INVALID_MESSAGE = _(
    "Enter a phone number with its area code, such as (202) 555-0100, or from another country "
    "with its country code, such as +33 1 23 45 67 89."
)
INVALID_SHORT_MESSAGE = _(
    "Enter a phone number with its area code, such as (202) 555-0100, a number with its "
    "country code, such as +33 1 23 45 67 89, or a relay service's short number, such as 711."
)


def _region(region: str | None) -> str:
    return (region or settings.PHONE_DEFAULT_REGION).upper()


def parse(number: str, region: str | None = None) -> phonenumbers.PhoneNumber | None:
    """The number, if it can be dialled from anywhere (E.164); ``None`` otherwise."""
    try:
        parsed = phonenumbers.parse(number, _region(region))
    except phonenumbers.NumberParseException:
        return None
    # Not IS_POSSIBLE_LOCAL_ONLY: "555-0100" dials only from inside its area code.
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    return parsed if reason == phonenumbers.ValidationResult.IS_POSSIBLE else None


def is_short_number(number: str, region: str | None = None) -> bool:
    """A service number dialled only inside the country, such as 711 for the US relay service."""
    try:
        parsed = phonenumbers.parse(number, _region(region))
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_short_number_for_region(parsed, _region(region))


def e164(number: str, region: str | None = None) -> str:
    """What a ``tel:`` link dials: E.164 ("+12025550100"), a short number's digits ("711"), or,
    for a number saved before it was checked, its characters without spaces and punctuation."""
    parsed = parse(number, region)
    if parsed is not None:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return "".join(character for character in number if character.isdigit() or character == "+")


def display(number: str, region: str | None = None) -> str:
    """As people read it: the national format for a number of the clinic's country, "(202)
    555-0100", the international format for another country's, "+44 20 7946 0958"."""
    parsed = parse(number, region)
    if parsed is None:
        return number
    # By country code, not region: a fictional 555 number belongs to no region.
    if parsed.country_code == phonenumbers.country_code_for_region(_region(region)):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def link(number: str, region: str | None = None) -> SafeString:
    """``<a href="tel:+12025550100">(202) 555-0100</a>``."""
    return format_html('<a href="tel:{}">{}</a>', e164(number, region), display(number, region))


def validate(number: str, region: str | None = None, *, allow_short: bool = False) -> None:
    """Refuse a number that cannot be dialled from a link: the editor sees why, and an example."""
    if not number or parse(number, region) is not None:
        return
    if allow_short:
        if is_short_number(number, region):
            return
        raise ValidationError(INVALID_SHORT_MESSAGE, code="invalid_phone")
    raise ValidationError(INVALID_MESSAGE, code="invalid_phone")
