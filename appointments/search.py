"""The inbox's search: staff find a request however they type what the visitor wrote.

"Jose" finds "José" and "202 555 0143" finds "+12025550143". Each request keeps two columns
made for this (``search_text``, ``phone_digits``), filled whenever it is saved; a query is
reduced the same way and matched with ``LIKE '%…%'``, which PostgreSQL's trigram indexes on
those columns serve (migration 0010). The columns live in the database, not in a search index,
so personal data stays where the rest of the request is (and is deleted with it)."""

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

# The fields ``search_text`` is made from: who the visitor is and how to reach them
# (``contact_details`` is where the accessibility form asks for a phone number or an address).
SEARCH_TEXT_SOURCES = ("full_name", "email", "contact_details")
PHONE_DIGITS_SOURCE = "phone"
SEARCH_COLUMNS = ("search_text", "phone_digits")

# Fewer digits than this are part of a reference, a house number or a year far more often than
# the part of a phone number someone remembers, and would match thousands of rows.
MIN_PHONE_DIGITS = 4


def normalise(text: str) -> str:
    """``text`` as the search compares it: case folded ("ß" is "ss"), accents and other combining
    marks removed ("José" is "jose"), compatibility forms unified ("ﬁ" is "fi") and every run of
    white space a single space.

    Decomposing before and after case folding catches letters that only decompose once folded
    (and the reverse), so that no accent survives either way."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    unmarked = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unmarked.split())


def digits(text: str) -> str:
    """The decimal digits in ``text``, in order, as ASCII: what is left of a phone number once
    its spaces, brackets, dashes and "+" are gone (digits typed on another script's keyboard
    count too)."""
    return "".join(str(unicodedata.decimal(char)) for char in text if char.isdecimal())


def _max_length(request: Any, column: str) -> int:
    # Read from the model, so that the historical model of a migration works as well.
    return request._meta.get_field(column).max_length


def search_text_for(request: Any) -> str:
    """The normalised name, email address and contact details, cut to the column's length (only
    the end of a very long ``contact_details`` can be lost)."""
    parts = (getattr(request, field) or "" for field in SEARCH_TEXT_SOURCES)
    text = normalise(" ".join(parts))
    return text[: _max_length(request, "search_text")]


def fill_search_columns(request: Any) -> None:
    """Set ``search_text`` and ``phone_digits`` from the fields they are made from.

    Called by ``ConsultationRequest.save()`` and by migration 0010 with its historical model;
    whatever writes requests without ``save()`` (``bulk_create``, ``QuerySet.update`` of a
    name, email or phone) must call it too, or those requests cannot be found."""
    request.search_text = search_text_for(request)
    phone = getattr(request, PHONE_DIGITS_SOURCE) or ""
    request.phone_digits = digits(phone)[: _max_length(request, "phone_digits")]


def with_search_columns(update_fields: Iterable[str]) -> list[str]:
    """``save(update_fields=…)`` writes only the fields named: when a field the search columns
    are made from is among them, the search columns are written as well."""
    fields = list(update_fields)
    sources = {*SEARCH_TEXT_SOURCES, PHONE_DIGITS_SOURCE}
    if sources.intersection(fields):
        fields += [column for column in SEARCH_COLUMNS if column not in fields]
    return fields


def looks_like_a_phone_number(query: str) -> bool:
    """At least ``MIN_PHONE_DIGITS`` digits and no letters: "(202) 555-0143" or "+1 202 555"
    is a phone number, whereas "ana1984@example.org" or a reference such as "7K2M9Q" is not,
    and must not also match every phone number that happens to contain "1984"."""
    has_letters = any(char.isalpha() for char in query)
    return not has_letters and len(digits(query)) >= MIN_PHONE_DIGITS


def search_filter(query: str) -> Q:
    """The requests a query typed in the inbox finds: those whose reference contains it (in
    any case), whose name, email or contact details contain it once both are normalised, or,
    when it looks like a phone number, whose phone number contains its digits."""
    condition = Q(reference__icontains=query.strip())
    text = normalise(query)
    if text:
        condition |= Q(search_text__contains=text)
    if looks_like_a_phone_number(query):
        condition |= Q(phone_digits__contains=digits(query))
    return condition
