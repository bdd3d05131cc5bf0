"""StreamField blocks that marketing staff compose pages from. Each renders through its own
template under ``templates/components/streamfield/`` and shows a preview in the block picker,
drawn with the site's stylesheet (``templates/wagtailcore/shared/block_preview.html``)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; level 2 or 3 so the page keeps a single h1 and a sound outline."""

    text = blocks.CharBlock(label=_("text"), help_text=_("Keep it short and descriptive."))
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section (h2)")), ("h3", _("Subsection (h3)"))],
        default="h2",
        help_text=_("Use a subsection only below a section."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "components/streamfield/heading_block.html"
        preview_value = {"text": "How synkinesis is diagnosed", "level": "h2"}
        description = _("A heading that starts a new section of the page.")


class CalloutBlock(blocks.StructBlock):
    """A highlighted box for the one thing a reader must not miss."""

    title = blocks.CharBlock(label=_("title"), help_text=_("A short lead-in, e.g. “Good to know”."))
    text = blocks.RichTextBlock(
        label=_("text"), features=["bold", "italic", "link"], help_text=_("One or two sentences.")
    )

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "components/streamfield/callout_block.html"
        preview_value = {
            "title": "Good to know",
            "text": "<p>Most people with Bell's palsy recover within a few months.</p>",
        }
        description = _("A highlighted note that stands out from the text around it.")


class FigureBlock(blocks.StructBlock):
    """An image with its alternative text and an optional caption."""

    image = ImageBlock(
        label=_("image"),
        help_text=_("Alternative text describes the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(
        label=_("caption"), required=False, help_text=_("Shown under the image. Optional.")
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/streamfield/figure_block.html"
        description = _("An image with alternative text and an optional caption.")

    def get_preview_value(self) -> blocks.StructValue:
        """The newest image of the library, with a caption, for the block picker's preview: a
        real picture says more than a placeholder (only the caption while the library is empty).
        A method rather than ``Meta.preview_value``: the image is looked up when shown."""
        return self.normalize(
            {
                "image": get_image_model().objects.order_by("-created_at", "-pk").first(),
                "caption": gettext("Facial retraining with a physiotherapist."),
            }
        )


class BodyStreamBlock(blocks.StreamBlock):
    """The free-form part of a page."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        features=RICH_TEXT_FEATURES,
        template="components/streamfield/paragraph_block.html",
        help_text=_("Text with optional headings, lists and links."),
        preview_value=(
            "<p>Facial retraining helps the muscles of the face learn to move together again.</p>"
        ),
        description=_("Formatted text."),
    )
    callout = CalloutBlock()
    image = FigureBlock()


class DescribedItemBlock(blocks.StructBlock):
    """A named item with a short explanation: a symptom or a cause of a condition."""

    name = blocks.CharBlock(
        label=_("name"), help_text=_("A few words, e.g. “Eye narrowing” or “Bell's palsy”.")
    )
    description = blocks.TextBlock(
        label=_("description"),
        required=False,
        help_text=_("One or two plain sentences that explain it."),
    )

    class Meta:
        icon = "list-ul"
        template = "components/streamfield/described_item_block.html"
        # The block is a list item: its preview puts it in the list it belongs to.
        preview_template = "block_previews/list_item.html"
        preview_value = {
            "name": "Eye narrowing when smiling",
            "description": "The eye on the affected side closes a little with every smile.",
        }
        description = _("A name and a sentence or two about it, shown as an item of a list.")


class ListSectionBlock(blocks.StructBlock):
    """A titled list on a treatment page: its techniques, the steps of a procedure, or its types."""

    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[
            ("techniques", _("Techniques")),
            ("procedure", _("Procedure")),
            ("types", _("Types")),
        ],
        default="techniques",
        help_text=_("Procedure steps are numbered; techniques and types are bulleted."),
    )
    heading = blocks.CharBlock(
        label=_("heading"), help_text=_("e.g. “Techniques” or “How the procedure is done”.")
    )
    items = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("name", blocks.CharBlock(label=_("name"), help_text=_("A short name."))),
                (
                    "description",
                    blocks.TextBlock(
                        label=_("description"),
                        required=False,
                        help_text=_("What it is and what it does, in one or two sentences."),
                    ),
                ),
            ],
            icon="list-ul",
        ),
        label=_("items"),
        min_num=1,
    )

    class Meta:
        icon = "list-ol"
        label = _("List")
        template = "components/streamfield/list_section_block.html"
        preview_value = {
            "kind": "techniques",
            "heading": "Techniques",
            "items": [
                {"name": "Targeted exercises", "description": "Slow, controlled movements."},
                {"name": "Biofeedback", "description": "Watching muscle activity on a screen."},
            ],
        }
        description = _("A list of techniques, procedure steps or types.")


class FAQItemBlock(blocks.StructBlock):
    """One question patients ask, with its answer."""

    question = blocks.CharBlock(label=_("question"), help_text=_("Phrased as a patient would ask."))
    answer = blocks.RichTextBlock(
        label=_("answer"),
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("A short, plain answer."),
    )

    class Meta:
        icon = "help"
        label = _("Question")
        template = "components/streamfield/faq_item_block.html"
        preview_value = {
            "question": "Is synkinesis permanent?",
            "answer": "<p>It usually lasts, but treatment can reduce it a great deal.</p>",
        }
        description = _("A question and its answer.")
