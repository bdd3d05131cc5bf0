from django_recaptcha.widgets import ReCaptchaV3

from .spam import RECAPTCHA_ACTION


class InvisibleReCaptchaWidget(ReCaptchaV3):
    """reCAPTCHA v3 without inline script (a strict Content-Security-Policy allows it) and
    without making the form depend on it: if the service's script cannot load, the form is
    sent without a token and the request is flagged for review, never lost."""

    template_name = "appointments/recaptcha_v3.html"

    def value_from_datadict(self, data, files, name):
        # The token travels in this field's own hidden input.
        return data.get(name) or data.get(self.recaptcha_response_name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["action"] = RECAPTCHA_ACTION
        return context
