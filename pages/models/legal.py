from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from pages.blocks import BodyStreamBlock
from pages.translation_rules import synchronised

from .base import BasePage


class LegalNoticePageForm(WagtailAdminPageForm):
    """Refuses a second notice of the same kind in the same site and language: the footer, the
    forms and the content checks would not know which one to link."""

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        parent = getattr(self, "parent_page", None)
        if kind and parent is not None:
            # Notices live directly under a home page: one site, one language.
            others = (
                LegalNoticePage.objects.child_of(parent)
                .filter(kind=kind)
                .exclude(pk=self.instance.pk)
            )
            if others.exists():
                self.add_error(
                    "kind",
                    _("This site already has a notice of this kind: edit “%(title)s” instead.")
                    % {"title": others.first().title},
                )
        return cleaned_data


class LegalNoticePage(BasePage):
    """A notice the law asks the clinic to publish: the language assistance notice (with the
    taglines of the clinic settings), the nondiscrimination notice (with its Section 1557
    coordinator) and the Good Faith Estimate notice. Its kind tells the footer, the consultation
    form and the content checks which notice it is, in every language."""

    # The footer of every page links each kind: a publish empties the whole page cache
    # (pages.signals).
    shown_on_every_page = True

    class Kind(models.TextChoices):
        LANGUAGE_ASSISTANCE = "language_assistance", _("Language assistance")
        NONDISCRIMINATION = "nondiscrimination", _("Nondiscrimination")
        GOOD_FAITH_ESTIMATE = "good_faith_estimate", _("Good Faith Estimate")

    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=Kind.choices,
        help_text=_(
            "Which notice this is. The footer of every page links the language assistance and "
            "nondiscrimination notices; the consultation form links the Good Faith Estimate. "
            "A site has one notice of each kind."
        ),
    )
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("A sentence or two shown under the title.")
    )
    body = StreamField(
        BodyStreamBlock(),
        verbose_name=_("body"),
        help_text=_(
            "The notice's text. The clinic's phone, TTY and email, the taglines and the "
            "Section 1557 coordinator's details are added from the clinic settings."
        ),
    )
    last_updated = models.DateField(
        _("last updated"), null=True, blank=True, help_text=_("Shown under the text. Optional.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("last_updated"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    base_form_class = LegalNoticePageForm
    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    # Which notice a page is never changes with the language.
    override_translatable_fields = synchronised("social_image", "kind", "last_updated")
    template = "pages/legal_notice_page.html"

    # The notices every language of the site must have (pages.content_checks).
    REQUIRED_KINDS = (Kind.LANGUAGE_ASSISTANCE, Kind.NONDISCRIMINATION)

    class Meta:
        verbose_name = _("legal notice page")

    def get_meta_description(self) -> str:
        return self.search_description or self.intro
