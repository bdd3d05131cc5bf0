"""Who may translate what, and which pages need clinical review, for every language tree.

Groups, the review task and the workflow are created by a data migration. Their *attachment* to
pages happens here, whenever the page it belongs on appears: a language's home page (for its
translators, and the "Content review" workflow) and the Conditions and Treatments sections of
every language (for the "Clinical review" workflow). The demo loader, a translator creating
the Spanish tree, or a migration on an existing site all end up calling :func:`attach_to_page`.
Each language translated into (``WAGTAIL_CONTENT_LANGUAGES``) has a group of translators, named
after it."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
)

from core.languages import source_language_name, translated_languages

REVIEWER_GROUP = "Physicians (clinical review)"
REVIEW_WORKFLOW = "Clinical review"
# Every other page (home, contact, privacy, physicians, the sections, the form pages) in every
# language: the workflow attached to each language's home. The Clinical review workflow sits
# deeper, on the clinical sections, so it is the one that applies to their pages.
CONTENT_LEADS_GROUP = "Content leads"
CONTENT_WORKFLOW = "Content review"
# Translators edit and submit; they never publish.
TRANSLATOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
# Physicians change a page while it waits for them; they do not publish: approving the review
# publishes it (settings.WAGTAIL_FINISH_WORKFLOW_ACTION), and nobody but superusers publishes a
# condition or treatment page directly (pages/models/review.py).
REVIEWER_PAGE_PERMISSIONS = ["change_page"]
REVIEWED_SECTIONS = ("conditionindexpage", "treatmentindexpage")


def attach_to_page(page: Page) -> None:
    """Give a new language home to its translators; put a new clinical section under review."""
    model_name = page.specific_class._meta.model_name
    if model_name == "homepage":
        grant_translators(page)
        attach_workflow(page, CONTENT_WORKFLOW)
    elif model_name in REVIEWED_SECTIONS:
        attach_workflow(page, REVIEW_WORKFLOW)
        reviewers = Group.objects.filter(name=REVIEWER_GROUP).first()
        if reviewers is not None:
            for codename in REVIEWER_PAGE_PERMISSIONS:
                GroupPagePermission.objects.get_or_create(
                    group=reviewers, page=page, permission=page_permission(codename)
                )


def attach_workflow(page: Page, name: str) -> None:
    workflow = Workflow.objects.filter(name=name, active=True).first()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})


def page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def translator_group_name(language_code: str) -> str:
    """The name of the group that translates into a language: "Translators (Spanish)".

    Not translated: it names a row in the database, which must be found whatever language the
    admin is read in (and migration 0004 created the first groups with these names)."""
    return f"Translators ({source_language_name(language_code)})"


def translator_group(language_code: str) -> Group:
    """The group of a language's translators, created with access to the admin for a language
    added to the settings after migration 0004 created the first ones."""
    group, created = Group.objects.get_or_create(name=translator_group_name(language_code))
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return group


def grant_translators(home: Page) -> None:
    language = home.locale.language_code
    if language not in translated_languages():
        return
    group = translator_group(language)
    for codename in TRANSLATOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=home, permission=page_permission(codename)
        )
    # Translators see the images a page uses; they do not upload or change them.
    root = Collection.get_first_root_node()
    GroupCollectionPermission.objects.get_or_create(
        group=group,
        collection=root,
        permission=Permission.objects.get(
            content_type__app_label="wagtailimages", codename="choose_image"
        ),
    )
