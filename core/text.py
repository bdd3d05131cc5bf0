"""Text that visitors type, made safe to keep: shared by the request forms and site search."""

import re

# Control characters other than tab and line breaks: nobody types them, PostgreSQL cannot store
# NUL in text and the inbox's XLSX export cannot hold any of them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control_characters(value):
    """``value`` without control characters, when it is text; anything else as it is."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value
