from django.db.models.signals import post_save

from .models import ConditionIndexPage, HomePage, TreatmentIndexPage
from .translation_setup import attach_to_page


def on_page_created(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        attach_to_page(instance)


def register() -> None:
    for model in (HomePage, ConditionIndexPage, TreatmentIndexPage):
        post_save.connect(on_page_created, sender=model, dispatch_uid=f"attach-{model.__name__}")
