"""What the request forms' templates call: ``form_field(field)`` draws one accessible field."""

from jinja2 import Environment, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context
from markupsafe import Markup

from appointments.form_fields import field_context


@pass_context
def form_field(context: Context, field) -> Markup:
    """An accessible form field (``appointments.form_fields``)."""
    template = context.environment.get_template("components/form_field.html")
    return Markup(template.render(field_context(field)))


class FormsExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals.update(form_field=form_field)
