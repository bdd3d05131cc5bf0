"""Text that visitors type, made safe to keep: shared by the request forms and site search."""

import re

# Control characters other than tab and line breaks: nobody types them, PostgreSQL cannot store
# NUL in text and the inbox's XLSX export cannot hold any of them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control_characters(value):
    """``value`` without control characters, when it is text; anything else as it is."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


# What looks like an e-mail address, or a phone number (7 or more digits, with the separators
# people type between them). Masked in what is kept from visitors who did not ask to be
# contacted: page feedback comments and site-search terms.
EMAIL_LIKE = re.compile(r"[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+\.[^\s@<>()\[\],;:\"]+")
PHONE_LIKE = re.compile(r"\+?\(?\d(?:[\s().\-/]{0,3}\d){6,}")
EMAIL_MASK = "[e-mail]"
PHONE_MASK = "[phone]"


def mask_contact_details(text: str) -> str:
    """``text`` with every e-mail address and phone number replaced by a placeholder: people
    write them where they should not, and neither may be kept about someone who did not send a
    request."""
    return PHONE_LIKE.sub(PHONE_MASK, EMAIL_LIKE.sub(EMAIL_MASK, text))
