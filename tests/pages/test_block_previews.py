"""Editors choosing a block in a StreamField see a preview of it drawn with the site's own
stylesheet, showing sample content rather than an empty box."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import get_page_models

from core.models import ClinicSettings
from tests.factories.pages import ImageFactory

pytestmark = pytest.mark.django_db

# What each block's preview shows, by the block's class.
PREVIEW_TEXT = {
    "HeadingBlock": "How synkinesis is diagnosed",
    "RichTextBlock": "Facial retraining helps the muscles of the face",
    "CalloutBlock": "Most people with Bell's palsy recover",
    "FigureBlock": "Facial retraining with a physiotherapist.",
    "DescribedItemBlock": "Eye narrowing when smiling",
    "ListSectionBlock": "Targeted exercises",
    "FAQItemBlock": "Is synkinesis permanent?",
    "OpeningHoursBlock": "Monday–Friday",
    "ClosureBlock": "Winter holidays",
}


def picker_blocks() -> dict[str, object]:
    """Each block an editor can add to a StreamField of the site, once per block class."""
    found = {}
    for model in [*get_page_models(), ClinicSettings]:
        if model._meta.app_label not in ("pages", "appointments", "core"):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                for block in field.stream_block.child_blocks.values():
                    found.setdefault(type(block).__name__, block)
    return found


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_user("marketing", "m@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Marketing editors"))
    client.force_login(editor)
    return client


def preview(client, block) -> BeautifulSoup:
    response = client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200, type(block).__name__
    return BeautifulSoup(response.content, "html.parser")


def test_every_block_of_the_site_has_a_preview_with_sample_content():
    assert set(picker_blocks()) == set(PREVIEW_TEXT)
    for name, block in picker_blocks().items():
        assert block.is_previewable, name
        assert block.get_description(), name


@pytest.mark.parametrize("block_name", sorted(PREVIEW_TEXT))
def test_block_preview_shows_sample_content_with_the_site_stylesheet(editor_client, block_name):
    page = preview(editor_client, picker_blocks()[block_name])
    stylesheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert "/static/css/site.css" in stylesheets
    assert PREVIEW_TEXT[block_name] in page.find("main").get_text()


def test_a_symptom_is_previewed_inside_its_list(editor_client):
    page = preview(editor_client, picker_blocks()["DescribedItemBlock"])
    assert page.select_one("main ul.item-list > li strong").get_text() == (
        "Eye narrowing when smiling"
    )


def test_the_image_block_previews_an_image_of_the_library(editor_client):
    image = ImageFactory(title="Physiotherapy session")
    page = preview(editor_client, picker_blocks()["FigureBlock"])
    img = page.select_one("main figure.figure img")
    assert img is not None and img["alt"]
    assert image.renditions.exists()  # drawn from that image, not a placeholder
