"""Values that are the same in every language (the reviewing physician, review dates, a
physician's name, degrees, languages, sites and whether they take new patients or see them by
video, a site's address, phone, hours, access facts and map link, images, links between pages)
cannot be changed by a translator
through any of wagtail-localize's endpoints, and the links a translator may adapt only lead to
https:, mailto: or tel: addresses."""

import io
import json

import polib
import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import models
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import resolve, reverse
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, get_translatable_fields
from wagtail_localize.models import (
    OverridableSegment,
    SegmentOverride,
    String,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationContext,
    TranslationSource,
)
from wagtail_localize.strings import StringValue

from pages import admin_views
from pages.models import ConditionPage, PhysicianLocation, PhysicianPage
from tests.factories.pages import (
    ImageFactory,
    LocationIndexPageFactory,
    LocationPageFactory,
    PhysicianPageFactory,
)

pytestmark = pytest.mark.django_db

GUIDE = "https://example.org/synkinesis-guide"
HOSTILE_LINKS = [
    "javascript:alert(document.domain)//",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "http://example.org/es/guia",
    "//evil.example/guia",
    "/es/afecciones/",
    "https:alert(1)",
]


def member_of(django_user_model, group_name: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def translator(client, django_user_model):
    user = member_of(django_user_model, "Translators (Spanish)", "traductora")
    client.force_login(user)
    return user


@pytest.fixture
def spanish(clinic_site, translate):
    """The condition, with a link in its text and a figure in its body, translated into
    Spanish along with the pages it sits under and links to."""
    condition = clinic_site.condition
    condition.body = json.dumps(
        [
            {
                "type": "paragraph",
                "value": f'<p>Read <a href="{GUIDE}">the guide</a>.</p>',
                "id": "p1",
            },
            {
                "type": "image",
                "value": {
                    "image": {
                        "image": ImageFactory().pk,
                        "alt_text": "A face",
                        "decorative": False,
                    },
                    "caption": "Before treatment.",
                },
                "id": "f1",
            },
        ]
    )
    condition.save_revision().publish()
    pages = [
        clinic_site.home,
        clinic_site.conditions,
        clinic_site.treatments,
        clinic_site.physicians,
        clinic_site.physician,
        clinic_site.treatment,
        condition,
    ]
    return {page.pk: translate(page, "es", prefix="[es] ") for page in pages}


@pytest.fixture
def spanish_location(clinic_site, spanish, translate):
    """A site the physician works at, with a map link, translated into Spanish like the rest
    (the physician's Spanish page is translated again so that it links the Spanish site)."""
    index = LocationIndexPageFactory(parent=clinic_site.home)
    location = LocationPageFactory(
        parent=index, title="Bayview", map_url="https://www.openstreetmap.org/#map=17/37.77/-122.39"
    )
    physician = clinic_site.physician
    physician.location_links = [PhysicianLocation(location=location)]
    physician.save_revision().publish()
    translate(index, "es", prefix="[es] ")
    translated = translate(location, "es", prefix="[es] ")
    TranslationSource.update_or_create_from_instance(physician)
    translate(physician, "es", prefix="[es] ")
    return location, translated


def translation_of(page) -> Translation:
    return Translation.objects.get(
        source__object_id=page.translation_key, target_locale__language_code="es"
    )


def override_url(translation: Translation, segment) -> str:
    return reverse("wagtail_localize:edit_override", args=[translation.pk, segment.pk])


def string_url(translation: Translation, segment) -> str:
    return reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])


def put(client, url: str, value):
    return client.put(url, {"value": value}, content_type="application/x-www-form-urlencoded")


def put_form(client, url: str, value):
    """As the translation editor sends it: a multipart PUT."""
    return client.put(url, encode_multipart(BOUNDARY, {"value": value}), MULTIPART_CONTENT)


def stale_overridable_segment(translation: Translation, path: str, value) -> OverridableSegment:
    """An overridable segment as a source extracted before the value was declared synchronised
    still holds (or as a crafted request would name)."""
    context, _created = TranslationContext.objects.get_or_create(
        object_id=translation.source.object_id, path=path
    )
    return OverridableSegment.objects.create(
        source=translation.source,
        context=context,
        order=999,
        data_json=json.dumps(value, default=str),
    )


def test_no_page_type_lets_a_translator_override_a_synchronised_value():
    """wagtail-localize makes a synchronised field overridable unless told otherwise, and offers
    an override for each foreign key and text field (other values it copies and never offers)."""
    overridable = []
    for model in apps.get_models():
        if not issubclass(model, TranslatableMixin) or model._meta.app_label not in (
            "pages",
            "appointments",
        ):
            continue
        for field in get_translatable_fields(model):
            if not isinstance(field, SynchronizedField) or not field.is_overridable(None):
                continue
            model_field = field.get_field(model)
            if isinstance(model_field, models.URLField):
                continue  # a translator may link to a resource in their language
            offered = isinstance(model_field, models.ForeignKey) or (
                isinstance(model_field, models.CharField | models.TextField)
                and not model_field.choices
            )
            if not offered:
                continue
            overridable.append(f"{model.__name__}.{field.field_name}")
    assert overridable == []


def test_the_translation_editor_offers_no_synchronised_value_of_a_condition_or_physician(
    clinic_site, spanish
):
    for page in (clinic_site.condition, clinic_site.physician, clinic_site.treatment):
        source = translation_of(page).source
        paths = set(
            OverridableSegment.objects.filter(source=source).values_list("context__path", flat=True)
        )
        for synchronised in (
            "reviewed_by",
            "image",
            "social_image",
            "photo",
            "honorific",
            "name",
            "credentials",
        ):
            assert synchronised not in paths, (page, synchronised)
        assert not any(path.startswith("treatment_options.") for path in paths), paths


@pytest.mark.parametrize(
    ("page_attr", "path", "value"),
    [
        ("condition", "reviewed_by", "other_physician"),
        ("condition", "image", "other_image"),
        ("condition", "social_image", "other_image"),
        ("condition", "last_reviewed", "2020-01-01"),
        ("physician", "credentials", "MD, PhD, Nobel laureate"),
        ("physician", "name", "Otro Médico"),
        ("physician", "honorific", "Prof."),
        ("physician", "photo", "other_image"),
        ("physician", "accepting_new_patients", False),
        ("physician", "offers_video_visits", True),
    ],
)
def test_a_crafted_override_of_a_synchronised_value_is_refused_and_nothing_is_saved(
    client, clinic_site, spanish, translator, page_attr, path, value
):
    page = getattr(clinic_site, page_attr)
    translation = translation_of(page)
    spanish_page = spanish[page.pk]
    english_value = getattr(page, path + "_id", getattr(page, path, None))
    if value == "other_physician":
        value = PhysicianPageFactory(parent=clinic_site.physicians, name="Otro").pk
    elif value == "other_image":
        value = ImageFactory().pk
    segment = stale_overridable_segment(translation, path, english_value)

    response = put_form(client, override_url(translation, segment), value)

    assert response.status_code == 400
    assert "same in every language" in response.json()["error"]
    assert not SegmentOverride.objects.filter(context=segment.context).exists()
    spanish_page.refresh_from_db()
    assert getattr(spanish_page, path + "_id", getattr(spanish_page, path, None)) == english_value


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("street_address", "1 Calle Falsa"),
        ("locality", "Otra Ciudad"),
        ("region", "NV"),
        ("postal_code", "89000"),
        ("latitude", "0.000000"),
        ("phone", "(555) 555-0199"),
        ("email", "otra@example.org"),
        ("opening_hours", [{"type": "period", "value": {"first_day": "6", "closed": True}}]),
        ("step_free_entrance", False),
        ("hearing_loop", True),
        ("map_url", "https://evil.example/map"),
        ("image", "other_image"),
        ("map_image", "other_image"),
    ],
)
def test_a_crafted_override_of_a_sites_facts_is_refused_and_nothing_is_saved(
    client, spanish_location, translator, path, value
):
    location, spanish_page = spanish_location
    translation = translation_of(location)
    english_value = site_fact(location, path)
    if value == "other_image":
        value = ImageFactory().pk
    segment = stale_overridable_segment(translation, path, english_value)

    response = put_form(client, override_url(translation, segment), json.dumps(value))

    assert response.status_code == 400
    assert "same in every language" in response.json()["error"]
    assert not SegmentOverride.objects.filter(context=segment.context).exists()
    assert site_fact(spanish_page, path) == english_value


def site_fact(page, path: str):
    """The value at ``path`` of the page as stored (a stream as its JSON)."""
    page.refresh_from_db()
    value = getattr(page, path + "_id", getattr(page, path, None))
    return value.get_prep_value() if hasattr(value, "get_prep_value") else value


def test_a_physicians_languages_and_sites_cannot_be_changed_in_a_translation(
    client, clinic_site, spanish_location, translator
):
    location, spanish_site = spanish_location
    physician = clinic_site.physician
    translation = translation_of(physician)
    other = LocationPageFactory(parent=location.get_parent(), title="Elsewhere")
    language = physician.spoken_languages.first()
    link = physician.location_links.get()
    segments = [
        (
            stale_overridable_segment(translation, f"spoken_languages.{language.pk}.code", "en"),
            "fr",
        ),
        (
            stale_overridable_segment(
                translation, f"location_links.{link.pk}.location", location.pk
            ),
            other.pk,
        ),
    ]
    # Nor offered in the editor: neither the rows nor the facts of the site.
    offered = set(
        OverridableSegment.objects.filter(source=translation.source)
        .exclude(order=999)
        .values_list("context__path", flat=True)
    ) | set(
        StringSegment.objects.filter(
            source__in=[translation.source, translation_of(location).source]
        ).values_list("context__path", flat=True)
    )
    assert not {
        path
        for path in offered
        if path.split(".")[0]
        in {"spoken_languages", "location_links", "street_address", "phone", "opening_hours"}
    }

    for segment, value in segments:
        response = put(client, override_url(translation, segment), value)
        assert response.status_code == 400, segment.context.path
        assert not SegmentOverride.objects.filter(context=segment.context).exists()
    spanish_physician = PhysicianPage.objects.get(
        translation_key=physician.translation_key, locale__language_code="es"
    )
    assert spanish_physician.language_codes == ["en", "es"]
    assert [page.pk for page in spanish_physician.locations] == [spanish_site.pk]


def test_a_treatment_option_and_a_figures_image_cannot_be_changed_in_a_translation(
    client, clinic_site, spanish, translator
):
    translation = translation_of(clinic_site.condition)
    figure = OverridableSegment.objects.get(
        source=translation.source, context__path__startswith="body.f1."
    )
    option = stale_overridable_segment(
        translation,
        f"treatment_options.{clinic_site.condition.treatment_options.get().translation_key}"
        ".treatment",
        clinic_site.treatment.pk,
    )
    other_image = ImageFactory().pk

    for segment, value in ((figure, other_image), (option, clinic_site.physician.pk)):
        response = put(client, override_url(translation, segment), value)
        assert response.status_code == 400, segment.context.path
        assert not SegmentOverride.objects.filter(context=segment.context).exists()


def test_the_override_and_string_endpoints_are_answered_by_the_sites_checks():
    for name, args in (
        ("wagtail_localize:edit_override", [1, 2]),
        ("wagtail_localize:edit_string_translation", [1, 2]),
        ("wagtail_localize:upload_pofile", [1]),
        ("wagtail_localize:stop_translation", [1]),
    ):
        match = resolve(reverse(name, args=args))
        assert match.func.__module__ == admin_views.__name__, name


def link_segment(translation: Translation) -> OverridableSegment:
    return OverridableSegment.objects.get(
        source=translation.source, context__path__startswith="body.p1."
    )


@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_a_translator_cannot_put_an_unsafe_link_in_the_text(
    client, clinic_site, spanish, translator, link
):
    translation = translation_of(clinic_site.condition)
    segment = link_segment(translation)

    response = put_form(client, override_url(translation, segment), link)

    assert response.status_code == 400
    assert "https:, mailto: or tel:" in response.json()["error"]
    assert not SegmentOverride.objects.filter(context=segment.context).exists()


@pytest.mark.parametrize(
    "link", ["https://example.org/es/guia", "mailto:clinica@example.org", "tel:+12025550143"]
)
def test_a_translator_can_link_the_text_to_a_resource_in_their_language(
    client, clinic_site, spanish, translator, link
):
    translation = translation_of(clinic_site.condition)
    segment = link_segment(translation)

    response = put_form(client, override_url(translation, segment), link)

    assert response.status_code in (200, 201)
    override = SegmentOverride.objects.get(
        context=segment.context, locale=translation.target_locale
    )
    assert override.data == link
    # Going back to the English address still works.
    assert client.delete(override_url(translation, segment)).status_code == 200
    assert not SegmentOverride.objects.filter(context=segment.context).exists()


def paragraph_string(translation: Translation) -> StringSegment:
    return StringSegment.objects.select_related("string").get(
        source=translation.source, context__path__startswith="body.p1"
    )


@pytest.mark.parametrize(
    "text",
    [
        'Lea <a id="a1" href="javascript:alert(1)">la guía</a>.',
        'Lea <a href="https://example.org">la guía</a>.',
        'Lea <a id="a1" onclick="alert(1)">la guía</a>.',
        'Lea <a id="a9">la guía</a>.',
    ],
)
def test_a_translated_string_cannot_bring_a_link_address_into_the_text(
    client, clinic_site, spanish, translator, text
):
    translation = translation_of(clinic_site.condition)
    segment = paragraph_string(translation)
    before = StringTranslation.objects.get(
        translation_of=segment.string, context=segment.context, locale=translation.target_locale
    ).data

    response = put_form(client, string_url(translation, segment), text)

    assert response.status_code == 400
    assert "cannot add HTML attributes or links" in response.json()["error"]
    assert (
        StringTranslation.objects.get(
            translation_of=segment.string, context=segment.context, locale=translation.target_locale
        ).data
        == before
    )


def test_a_translated_string_keeps_its_link_by_id(client, clinic_site, spanish, translator):
    translation = translation_of(clinic_site.condition)
    segment = paragraph_string(translation)

    response = put_form(client, string_url(translation, segment), 'Lea <a id="a1">la guía</a>.')

    assert response.status_code == 200
    assert (
        StringTranslation.objects.get(
            translation_of=segment.string, context=segment.context, locale=translation.target_locale
        ).data
        == 'Lea <a id="a1">la guía</a>.'
    )


def test_a_crafted_string_translation_of_a_physicians_name_is_refused(
    client, clinic_site, spanish, translator
):
    translation = translation_of(clinic_site.physician)
    context, _created = TranslationContext.objects.get_or_create(
        object_id=translation.source.object_id, path="credentials"
    )
    string = String.from_value(
        translation.source.locale, StringValue.from_plaintext(clinic_site.physician.credentials)
    )
    segment = StringSegment.objects.create(
        source=translation.source, context=context, string=string, order=999, attrs="{}"
    )

    response = put_form(client, string_url(translation, segment), "MD, PhD, Nobel laureate")

    assert response.status_code == 400
    assert not StringTranslation.objects.filter(context=context).exists()
    physician = PhysicianPage.objects.get(pk=spanish[clinic_site.physician.pk].pk)
    assert physician.credentials == clinic_site.physician.credentials


def po_with(translation: Translation, client, text: str) -> polib.POFile:
    download = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    po = polib.pofile(download.content.decode())
    entry = next(entry for entry in po if entry.msgid.startswith("Read <a"))
    entry.msgstr = text
    return po


def upload(client, translation: Translation, po: polib.POFile):
    return client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": io.BytesIO(str(po).encode()), "next": "/admin/"},
    )


def test_a_po_file_that_brings_a_link_address_into_the_text_is_refused_whole(
    client, clinic_site, spanish, translator
):
    translation = translation_of(clinic_site.condition)
    segment = paragraph_string(translation)
    po = po_with(translation, client, 'Lea <a id="a1" href="javascript:alert(1)">la guía</a>.')
    summary = next(entry for entry in po if entry.msgid == clinic_site.condition.summary)
    summary.msgstr = "Subido con un enlace peligroso."

    response = upload(client, translation, po)

    assert response.status_code == 302
    assert "cannot add HTML attributes or links" in " ".join(
        str(message) for message in get_messages(response.wsgi_request)
    )
    assert not StringTranslation.objects.filter(data__contains="javascript").exists()
    assert not StringTranslation.objects.filter(data="Subido con un enlace peligroso.").exists()
    assert (
        "href"
        not in StringTranslation.objects.get(
            translation_of=segment.string, context=segment.context, locale=translation.target_locale
        ).data
    )


def test_a_po_file_with_links_kept_by_id_is_imported(client, clinic_site, spanish, translator):
    translation = translation_of(clinic_site.condition)
    po = po_with(translation, client, 'Lea <a id="a1">la guía</a> (PO).')

    assert upload(client, translation, po).status_code == 302
    assert StringTranslation.objects.filter(data='Lea <a id="a1">la guía</a> (PO).').exists()


def test_an_override_stored_before_the_rules_never_reaches_the_review(
    client, clinic_site, spanish, translator
):
    """Overrides made through the endpoint before it was closed are left out of the draft."""
    translation = translation_of(clinic_site.condition)
    other = PhysicianPageFactory(parent=clinic_site.physicians, name="Otro")
    reviewer = stale_overridable_segment(translation, "reviewed_by", clinic_site.physician.pk)
    SegmentOverride.objects.create(
        locale=translation.target_locale, context=reviewer.context, data_json=json.dumps(other.pk)
    )
    link = link_segment(translation)
    SegmentOverride.objects.create(
        locale=translation.target_locale,
        context=link.context,
        data_json=json.dumps("javascript:alert(document.domain)//"),
    )
    spanish_page = spanish[clinic_site.condition.pk]

    response = client.post(reverse("submit_translation_for_review", args=[spanish_page.pk]))

    assert response.status_code == 302
    draft = Page.objects.get(pk=spanish_page.pk).get_latest_revision_as_object()
    assert isinstance(draft, ConditionPage)
    assert draft.reviewed_by_id == clinic_site.physician.pk
    assert "javascript" not in str(draft.body.raw_data)
    assert GUIDE in str(draft.body.raw_data)


def test_a_translator_cannot_stop_a_translation_to_edit_its_synchronised_fields(
    client, clinic_site, spanish, translator, admin_client
):
    """A stopped translation is edited in Wagtail's own editor, every field of it."""
    spanish_physician = spanish[clinic_site.physician.pk]
    translation = translation_of(clinic_site.physician)
    stop = reverse("wagtail_localize:stop_translation", args=[translation.pk])

    refused = client.post(stop, {"next": "/admin/pages/"})
    # Wagtail answers a refusal in the admin with its home page and a message.
    assert refused.status_code == 403 or refused.url == reverse("wagtailadmin_home")
    translation.refresh_from_db()
    assert translation.enabled
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[spanish_physician.pk]))
    assert 'name="credentials"' not in editor.content.decode()

    assert admin_client.post(stop, {"next": "/admin/pages/"}).url == "/admin/pages/"
    translation.refresh_from_db()
    assert not translation.enabled


def test_the_upgrade_deletes_overrides_of_synchronised_values_and_unsafe_links(
    clinic_site, spanish
):
    """Migration pages 0008: the overrides a site holds from before the rules. wagtail-localize
    would apply them again at the next sync or publish, whatever the model now declares."""
    import importlib

    migration = importlib.import_module(
        "pages.migrations.0008_drop_overrides_of_synchronised_values"
    )
    translation = translation_of(clinic_site.condition)
    es = translation.target_locale
    other = PhysicianPageFactory(parent=clinic_site.physicians, name="Otro")
    reviewer = stale_overridable_segment(translation, "reviewed_by", clinic_site.physician.pk)
    link = link_segment(translation)
    kept_link = SegmentOverride.objects.create(
        locale=es, context=link.context, data_json=json.dumps("https://example.org/es/guia")
    )
    kept_pks = {kept_link.pk}
    stale = {
        SegmentOverride.objects.create(
            locale=es, context=reviewer.context, data_json=json.dumps(other.pk)
        ).pk,
    }
    # An unsafe link, in French (one override per language and place).
    french = Locale.objects.get(language_code="fr")
    stale.add(
        SegmentOverride.objects.create(
            locale=french, context=link.context, data_json=json.dumps(HOSTILE_LINKS[0])
        ).pk
    )

    migration.drop_overrides_of_synchronised_values(apps, None)

    assert set(SegmentOverride.objects.values_list("pk", flat=True)) == kept_pks
    assert not SegmentOverride.objects.filter(pk__in=stale).exists()
