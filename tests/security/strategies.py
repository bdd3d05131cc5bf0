"""Hypothesis strategies for hostile form posts.

A post starts as a complete, valid submission whose free text is hostile but acceptable (markup,
SQL, control characters, mixed scripts, right-to-left marks, combining characters, emoji), then
goes through up to three mutations: a required answer dropped or blanked, a choice replaced by
junk, text past its length limit, several values for one field, numbers and JSON where text is
expected, invalid UTF-8, unexpected extra fields (including the model's own staff-only fields),
the honeypot filled or the time stamp forged. About half the posts are not mutated at all, so
both the accept and the reject branch run often.

Each post records what the test knows of it without asking the form: ``must_fail`` when no form
could accept it, ``honeypot`` when the hidden field is filled (the site then drops it quietly),
``forged_timing`` when its time stamp is not the one the site signed."""

import json
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

PROPERTY_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # Failures are reported with the example that shrank; no example folder in the project.
    database=None,
)

XSS_PAYLOADS = ['<script>alert("xss")</script>', '"><img src=x onerror=alert(1)>']
SNIPPETS = [
    *XSS_PAYLOADS,
    "'; DROP TABLE appointments_consultationrequest; --",
    "1' OR '1'='1",
    "{{ request.user.password }}{% debug %}",
    "\x00",
    "\x07\x08",
    "\x1b[2J",
    "\x7f\x85",
    "\u202eevil\u202c",
    "\u200f\u2066",
    "\ufeff",
    "مرحبا بالعيادة",
    "診察を予約したい",
    "😀👩🏽‍⚕️🏳️‍🌈",
    "e\u0301\u0301\u0301",
    "Z\u0351\u0308\u0337a\u0334",
    "&amp; &lt; &#x3C;",
    "\r\n",
    "\t",
    "  ",
]
LONG_PIECES = ["A", "ß", "😀", "\u202e", *XSS_PAYLOADS, SNIPPETS[2]]
NAMES = ["Rosa Delgado", "Zoë Ångström-Núñez", "O'Brien", "Nguyễn Thị Minh", "محمد الأمين"]
# As typed, and as the site stores them (E.164).
PHONES = {
    "(202) 555-0123": "+12025550123",
    "+33 1 23 45 67 89": "+33123456789",
    "202.555.0143": "+12025550143",
    "+44 20 7946 0958": "+442079460958",
}
EMAILS = ["rosa@example.org", "o.brien+clinic@example.co.uk", "ANA@EXAMPLE.ORG"]
JUNK_IDS = ["999999", "-1", "0", "abc", "1.5", "99999999999999999999999", "1; DROP TABLE x"]
STAFF_ONLY_FIELDS = [
    "status",
    "assignee",
    "note",
    "first_contact_at",
    "search_text",
    "reference",
    "kind",
    "flags",
    "is_flagged",
    "notified_at",
    "acknowledged_at",
    "submitted_language",
    "consent_given_at",
    "id",
]
# Field names a browser would never send; keys stay printable so that the test client can put
# them in a multipart body.
extra_names = st.one_of(
    st.sampled_from([*STAFF_ONLY_FIELDS, "__proto__", "full_name[]", "message[0]", "x" * 300]),
    st.text(st.characters(categories=["L", "N"]) | st.sampled_from("_-[]."), min_size=1),
)

hostile_text = st.lists(
    st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=10)), min_size=1, max_size=5
).map("".join)
wrong_types = st.one_of(
    st.integers().map(str),
    st.floats().map(str),
    st.sampled_from(["", "null", "true", "[]", "{}"]),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3).map(json.dumps),
    st.lists(st.text(max_size=5), max_size=3).map(json.dumps),
)


def without_control_characters(text: str) -> str:
    """Control characters (other than tab and line breaks) are removed by the site."""
    return "".join(char for char in text if char in "\t\n\r" or unicodedata.category(char) != "Cc")


def received(value: str | bytes) -> str:
    """What the form reads from one posted value: invalid UTF-8 decoded with replacement
    characters, control characters removed."""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return without_control_characters(text)


@dataclass(frozen=True)
class FormSpec:
    """What one public form reads: every field name, the free-text fields with their length
    limits, the answers it requires, the fields with fixed choices or a choice of pages, and the
    text fields with a format (phone, email)."""

    fields: tuple[str, ...]
    text_limits: dict[str, int]
    required: tuple[str, ...]
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page_choices: tuple[str, ...] = ()
    formatted: tuple[str, ...] = ()


CONSULTATION = FormSpec(
    fields=(
        "full_name",
        "phone",
        "email",
        "preferred_contact_method",
        "best_time",
        "preferred_language",
        "interpreter_needed",
        "condition",
        "physician",
        "symptom_onset",
        "patient_status",
        "referring_clinician",
        "message",
        "consent",
        "website",
        "rendered_at",
        "captcha",
    ),
    text_limits={"full_name": 200, "referring_clinician": 200, "message": 1000},
    required=(
        "full_name",
        "preferred_contact_method",
        "best_time",
        "preferred_language",
        "symptom_onset",
        "patient_status",
        "consent",
    ),
    choices={
        "preferred_contact_method": ("phone", "email", "either"),
        "best_time": ("morning", "afternoon", "any"),
        "preferred_language": ("en", "es", "fr"),
        "symptom_onset": ("lt3m", "lt1y", "lt5y", "gt5y", "unknown"),
        "patient_status": ("new", "returning"),
    },
    page_choices=("condition", "physician"),
    formatted=("phone", "email"),
)
ACCESSIBILITY = FormSpec(
    fields=("full_name", "contact_details", "message", "website", "rendered_at"),
    text_limits={"full_name": 200, "contact_details": 255, "message": 2000},
    required=("full_name", "contact_details", "message"),
)


@dataclass
class Post:
    """One submission as it goes over the wire: each field name with its values in order."""

    fields: dict[str, list[str | bytes]]
    encoding: str
    must_fail: bool = False
    honeypot: bool = False
    forged_timing: bool = False

    def value(self, name: str) -> str:
        """The answer the form reads for ``name`` (the last value sent), or "" when absent."""
        values = self.fields.get(name)
        return received(values[-1]) if values else ""

    def send(self, client: Client, url: str):
        if self.encoding == "urlencoded":
            pairs = [(name, value) for name, values in self.fields.items() for value in values]
            return client.post(
                url, urlencode(pairs), content_type="application/x-www-form-urlencoded"
            )
        return client.post(url, self.fields)


def _definitely_invalid(post: Post, spec: FormSpec) -> bool:
    """Whether no form could accept ``post``: a required answer missing, blank or not one of
    the choices, text past its limit, or a page that does not exist."""
    for name in spec.required:
        value, allowed = post.value(name), spec.choices.get(name)
        if not value.strip() or (allowed and value not in allowed):
            return True
    if any(len(post.value(name).strip()) > limit for name, limit in spec.text_limits.items()):
        return True
    return any(post.value(name) in JUNK_IDS for name in spec.page_choices)


MUTATIONS = [
    "drop_required",
    "blank_required",
    "junk_choice",
    "too_long",
    "several_values",
    "wrong_type",
    "invalid_utf8",
    "extra_fields",
    "honeypot",
    "forged_timing",
]


@st.composite
def _mutate(draw, fields: dict[str, list[str | bytes]], spec: FormSpec) -> None:
    """Apply one mutation to the fields of a post."""
    has_choices = bool(spec.choices or spec.page_choices)
    mutation = draw(st.sampled_from([m for m in MUTATIONS if has_choices or m != "junk_choice"]))
    text_names = sorted(spec.text_limits)
    if mutation == "drop_required":
        fields.pop(draw(st.sampled_from(spec.required)), None)
    elif mutation == "blank_required":
        fields[draw(st.sampled_from(spec.required))] = [""]
    elif mutation == "junk_choice":
        name = draw(st.sampled_from(sorted([*spec.choices, *spec.page_choices])))
        junk = st.sampled_from(JUNK_IDS) if name in spec.page_choices else wrong_types
        fields[name] = [draw(st.one_of(hostile_text, junk))]
    elif mutation == "too_long":
        name = draw(st.sampled_from(text_names))
        piece = draw(st.sampled_from(LONG_PIECES))
        fields[name] = [piece * (spec.text_limits[name] + draw(st.integers(1, 400)))]
    elif mutation == "several_values":
        # Browsers send one value per field; the form reads the last one.
        name = draw(st.sampled_from(sorted(fields)))
        junk = draw(st.lists(st.one_of(hostile_text, wrong_types), min_size=1, max_size=3))
        fields[name] = [*junk, *fields[name]]
    elif mutation == "wrong_type":
        name = draw(st.sampled_from([*text_names, *spec.formatted]))
        fields[name] = [draw(wrong_types)]
    elif mutation == "invalid_utf8":
        name = draw(st.sampled_from(text_names))
        fields[name] = [draw(st.binary(min_size=1, max_size=40)) + b"\xff\xfe"]
    elif mutation == "extra_fields":
        extras = draw(
            st.dictionaries(
                extra_names.filter(lambda name: name not in spec.fields),
                st.lists(hostile_text, min_size=1, max_size=2),
                min_size=1,
                max_size=4,
            )
        )
        fields.update(extras)
    elif mutation == "honeypot":
        fields["website"] = [draw(st.sampled_from(["http://spam.example", "x", "<b>"]))]
    elif mutation == "forged_timing":
        fields["rendered_at"] = [draw(st.one_of(hostile_text, st.just("form:1:abc")))]


@st.composite
def _posts(draw, fields: dict[str, list[str | bytes]], spec: FormSpec) -> Post:
    timing_token = fields["rendered_at"][0]
    for _ in range(draw(st.one_of(st.just(0), st.integers(1, 3)))):
        draw(_mutate(fields, spec))
    post = Post(fields=fields, encoding=draw(st.sampled_from(["multipart", "urlencoded"])))
    post.must_fail = _definitely_invalid(post, spec)
    post.honeypot = bool(post.value("website").strip())
    post.forged_timing = post.value("rendered_at") != timing_token
    return post


@st.composite
def consultation_posts(draw, timing_token: str, condition_pk: int, physician_pk: int) -> Post:
    fields = {
        "full_name": [draw(st.one_of(st.sampled_from(NAMES), hostile_text))],
        "phone": [draw(st.sampled_from(sorted(PHONES)))],
        "email": [draw(st.sampled_from(EMAILS))],
        "preferred_contact_method": [draw(st.sampled_from(["phone", "either", "email"]))],
        "best_time": [draw(st.sampled_from(CONSULTATION.choices["best_time"]))],
        "preferred_language": [draw(st.sampled_from(CONSULTATION.choices["preferred_language"]))],
        "condition": [draw(st.sampled_from(["", str(condition_pk)]))],
        "physician": [draw(st.sampled_from(["", str(physician_pk)]))],
        "symptom_onset": [draw(st.sampled_from(CONSULTATION.choices["symptom_onset"]))],
        "patient_status": [draw(st.sampled_from(CONSULTATION.choices["patient_status"]))],
        "referring_clinician": [draw(st.one_of(st.just(""), hostile_text))],
        "message": [draw(st.one_of(st.just(""), hostile_text))],
        "consent": ["on"],
        "website": [""],
        "rendered_at": [timing_token],
    }
    if draw(st.booleans()):
        fields["interpreter_needed"] = ["on"]
    return draw(_posts(fields, CONSULTATION))


@st.composite
def accessibility_posts(draw, timing_token: str) -> Post:
    fields = {
        "full_name": [draw(st.one_of(st.sampled_from(NAMES), hostile_text))],
        "contact_details": [draw(st.one_of(st.sampled_from(sorted(PHONES)), hostile_text))],
        "message": [draw(hostile_text)],
        "website": [""],
        "rendered_at": [timing_token],
    }
    return draw(_posts(fields, ACCESSIBILITY))
