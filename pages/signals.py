from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

from core.cache import invalidate_site_content
from core.models import ClinicSettings

from .models import ConditionIndexPage, HomePage, TreatmentIndexPage
from .translation_setup import attach_to_page


def on_page_created(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        attach_to_page(instance)


def on_any_save_or_delete(sender, instance, **kwargs) -> None:
    """Saving a page of any type (publishing, unpublishing and translating all save it) or
    deleting one changes what visitors see."""
    if isinstance(instance, Page):
        invalidate_site_content()


def register() -> None:
    for model in (HomePage, ConditionIndexPage, TreatmentIndexPage):
        post_save.connect(on_page_created, sender=model, dispatch_uid=f"attach-{model.__name__}")

    # The page cache (core.cache): page models are many, so pages are caught by type.
    post_save.connect(on_any_save_or_delete, dispatch_uid="page-cache-page-saved")
    post_delete.connect(on_any_save_or_delete, dispatch_uid="page-cache-page-deleted")
    # A move rewrites the URLs of a whole branch with bulk updates.
    post_page_move.connect(invalidate_site_content, dispatch_uid="page-cache-page-moved")
    for model in (ClinicSettings, get_image_model(), Site, Locale, PageViewRestriction):
        for action, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                invalidate_site_content,
                sender=model,
                dispatch_uid=f"page-cache-{model.__name__}-{action}",
            )
    # A deleted rendition's file is gone: no process may keep showing it (the renditions cache).
    # New renditions need nothing: they are looked up by what they are made from.
    post_delete.connect(
        invalidate_site_content,
        sender=get_image_model().get_rendition_model(),
        dispatch_uid="page-cache-rendition-deleted",
    )
