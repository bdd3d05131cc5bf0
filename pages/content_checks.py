"""Wagtail's content checker (the accessibility checks in the page editor and the userbar), with
one rule added for this clinic's editors: link text that says nothing out of context.

Screen reader users often move from link to link or list a page's links; "Learn more" or
"Click here" then tells them nothing (WCAG 2.4.4). The rule knows the usual vague phrases in each
of the site's languages, so translators get the same help as editors."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.userbar import ContentCheckerItem

VAGUE_LINK_TEXT = [
    # English
    "click here",
    "click",
    "here",
    "learn more",
    "read more",
    "find out more",
    "more",
    "more info",
    "more information",
    "details",
    "link",
    "this link",
    "continue",
    # Spanish
    "haga clic aquí",
    "haz clic aquí",
    "pulse aquí",
    "aquí",
    "más",
    "más información",
    "leer más",
    "saber más",
    "ver más",
    "enlace",
    # French
    "cliquez ici",
    "cliquer ici",
    "ici",
    "plus",
    "en savoir plus",
    "lire la suite",
    "lire plus",
    "plus d'informations",
    "plus d’informations",
    "voir plus",
    "lien",
]

# axe-core builds a check's evaluate function from its source text: Wagtail passes the checker's
# configuration to the browser as JSON, which cannot carry a function. A link passes when its
# text, or the aria-label that replaces it, is more than one of the vague phrases.
LINK_TEXT_EVALUATE = """function (node, options) {
    var normalise = function (text) {
        return (text || "").toLowerCase().replace(/\\s+/g, " ")
            .replace(/^[\\s.:…>»›→-]+|[\\s.:…>»›→-]+$/g, "");
    };
    var label = normalise(node.getAttribute("aria-label"));
    var text = label || normalise(node.textContent);
    return text !== "" && options.phrases.indexOf(text) === -1;
}"""


class ClinicContentChecker(ContentCheckerItem):
    axe_run_only = [*ContentCheckerItem.axe_run_only, "link-text-quality"]
    axe_custom_rules = [
        *ContentCheckerItem.axe_custom_rules,
        {
            "id": "link-text-quality",
            "impact": "serious",
            "selector": "a[href]",
            "tags": ["best-practice", "wcag2a", "wcag244"],
            "any": ["check-link-text"],
            "enabled": True,
        },
    ]
    axe_custom_checks = [
        *ContentCheckerItem.axe_custom_checks,
        {
            "id": "check-link-text",
            "evaluate": LINK_TEXT_EVALUATE,
            "options": {"phrases": VAGUE_LINK_TEXT},
        },
    ]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "link-text-quality": {
            "error_name": _("Link text is vague"),
            "help_text": _(
                "Say where the link goes, e.g. “About synkinesis” rather than “Learn more”"
            ),
        },
    }


def use_clinic_content_checker(items: list) -> None:
    """Swap Wagtail's checker for this one wherever the userbar or the editor's checks run."""
    for position, item in enumerate(items):
        if isinstance(item, ContentCheckerItem) and not isinstance(item, ClinicContentChecker):
            items[position] = ClinicContentChecker(in_editor=item.in_editor)
