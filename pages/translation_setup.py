"""Who may translate what, and which pages need clinical review, for every language tree.

Groups, the review task and the workflow are created by a data migration. Their *attachment* to
pages happens here, whenever the page it belongs on appears: a language's home page (for its
translators) and the Conditions and Treatments sections of every language (for the review
workflow). The demo loader, a translator creating the Spanish tree, or a migration on an existing
site all end up calling :func:`attach_to_page`."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
)

TRANSLATOR_GROUPS = {"es": "Translators (Spanish)", "fr": "Translators (French)"}
REVIEWER_GROUP = "Physicians (clinical review)"
REVIEW_WORKFLOW = "Clinical review"
# Translators edit and submit; they never publish.
TRANSLATOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
REVIEWER_PAGE_PERMISSIONS = ["change_page", "publish_page"]
REVIEWED_SECTIONS = ("conditionindexpage", "treatmentindexpage")


def attach_to_page(page: Page) -> None:
    """Give a new language home to its translators; put a new clinical section under review."""
    model_name = page.specific_class._meta.model_name
    if model_name == "homepage":
        grant_translators(page)
    elif model_name in REVIEWED_SECTIONS:
        workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW, active=True).first()
        if workflow is not None:
            WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})
        # Approving the last task publishes the page, so reviewers need that permission here.
        reviewers = Group.objects.filter(name=REVIEWER_GROUP).first()
        if reviewers is not None:
            for codename in REVIEWER_PAGE_PERMISSIONS:
                GroupPagePermission.objects.get_or_create(
                    group=reviewers, page=page, permission=page_permission(codename)
                )


def page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def grant_translators(home: Page) -> None:
    group_name = TRANSLATOR_GROUPS.get(home.locale.language_code)
    group = Group.objects.filter(name=group_name).first() if group_name else None
    if group is None:
        return
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
