"""What wagtail-localize's translation editor offers, narrowed to the routes a user may take."""

import json

from django import template
from wagtail.models import PagePermissionTester

register = template.Library()


@register.filter
def without_unreviewed_routes(props: str, page_perms: PagePermissionTester | None) -> str:
    """The editor's props (JSON), for those who may not publish the page: no "Convert to alias
    page" (the conversion publishes the source language's live content in its place) and no
    "Delete" (their work ends with "Send translation for review"). Its "Publish in …" button
    already follows the page's permissions."""
    if page_perms is None or page_perms.can_publish():
        return props
    data = json.loads(props)
    data["links"]["convertToAliasUrl"] = None
    data["perms"]["canDelete"] = False
    return json.dumps(data)
