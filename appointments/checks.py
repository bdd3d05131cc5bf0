from django.conf import settings
from django.core.checks import Warning, register


@register()
def recaptcha_keys_in_production(app_configs, **kwargs):
    """In production the consultation form should be defended by reCAPTCHA. It still works
    without keys (the other defences remain), so this is a warning, not an error."""
    if not getattr(settings, "RECAPTCHA_EXPECTED", False):
        return []
    if settings.RECAPTCHA_PUBLIC_KEY and settings.RECAPTCHA_PRIVATE_KEY:
        return []
    return [
        Warning(
            "reCAPTCHA keys are not set: the consultation form runs without its captcha.",
            hint="Set RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY (reCAPTCHA v3 keys).",
            id="appointments.W001",
        )
    ]
