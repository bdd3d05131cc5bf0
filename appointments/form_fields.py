"""Accessible form fields: every input is labelled, points to its hint and error with
``aria-describedby`` and says ``aria-invalid`` when it has an error."""

from typing import Any

from django import forms


def field_context(field: forms.BoundField) -> dict[str, Any]:
    widget = field.field.widget
    hint_id = f"{field.auto_id}_hint" if field.help_text else ""
    error_id = f"{field.auto_id}_error" if field.errors else ""
    described_by = " ".join(part for part in (hint_id, error_id) if part)
    attrs: dict[str, str] = {}
    if described_by:
        attrs["aria-describedby"] = described_by
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required and not isinstance(widget, forms.RadioSelect):
        attrs["aria-required"] = "true"
    is_group = isinstance(widget, forms.RadioSelect)
    return {
        "field": field,
        "widget_html": field.as_widget(attrs=attrs) if not is_group else "",
        "group_attrs": attrs,
        "is_group": is_group,
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "hint_id": hint_id,
        "error_id": error_id,
        "described_by": described_by,
    }
