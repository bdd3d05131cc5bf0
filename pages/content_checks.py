"""Wagtail's content checker (the accessibility checks in the page editor and the userbar), with
one rule added for this clinic's editors: link text that says nothing out of context.

Screen reader users often move from link to link or list a page's links; "Learn more" or
"Click here" then tells them nothing (WCAG 2.4.4). The rule knows the usual vague phrases in each
of the site's languages, so translators get the same help as editors."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.models import Site

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


# Search descriptions -------------------------------------------------------------------------
# Search engines show about 160 characters of a page's description and cut the rest. A
# translation often runs longer than its English, and the translator never sees the page
# editor: so whenever a page is edited, every language of it is checked, on the text the page
# would publish (its latest revision), with the fallback a page uses when it has no search
# description of its own (its summary or introduction: ``get_meta_description``).

DESCRIPTION_MAX_LENGTH = 160


def description_length_problems(page: Any) -> list[str]:
    """One sentence for each language in which the page's search description (or the text used
    in its place) is longer than search engines show; empty when every language fits."""
    problems = []
    names = dict(settings.LANGUAGES)
    order = {code: position for position, code in enumerate(names)}
    translations = sorted(
        page.get_translations(inclusive=True).select_related("locale"),
        key=lambda translation: order.get(translation.locale.language_code, len(order)),
    )
    for translation in translations:
        draft = translation.specific.get_latest_revision_as_object()
        if not hasattr(draft, "get_meta_description"):
            continue
        length = len(draft.get_meta_description() or "")
        if length > DESCRIPTION_MAX_LENGTH:
            code = translation.locale.language_code
            problems.append(
                gettext(
                    "The search description in %(language)s is %(length)d characters long; "
                    "search engines show about %(limit)d. Write a shorter one under “Search "
                    "description” in the Promote tab."
                )
                % {
                    "language": str(names.get(code, code)),
                    "length": length,
                    "limit": DESCRIPTION_MAX_LENGTH,
                }
            )
    return problems


def warn_of_long_descriptions(request: HttpRequest, page: Any) -> None:
    """In the page editor: a warning for each language whose description is too long."""
    if request.method != "GET":
        return
    for problem in description_length_problems(page):
        messages.warning(request, problem)


# Required notices ----------------------------------------------------------------------------
# Section 1557 of the Affordable Care Act (45 CFR 92.10, 92.11) asks for a nondiscrimination
# notice and a notice of free language assistance on the website, in every language the site
# is offered in. These checks look at the whole site, not at one page: they are shown on the
# admin dashboard (``LegalNoticesPanel``) whenever a notice is missing or unpublished.


def legal_notice_problems(site: Site) -> list[str]:
    """What is wrong with the site's required notices, one sentence per notice and language:
    missing, or there but not published. Empty when every language has them live. Two queries."""
    from pages.models import LegalNoticePage  # the models import this module's neighbours

    kinds = dict(LegalNoticePage.Kind.choices)
    homes = {
        home.locale.language_code: home
        for home in site.root_page.get_translations(inclusive=True).select_related("locale")
    }
    notices = list(
        LegalNoticePage.objects.filter(kind__in=LegalNoticePage.REQUIRED_KINDS).values_list(
            "kind", "path", "live"
        )
    )
    problems = []
    for code, language in settings.WAGTAIL_CONTENT_LANGUAGES:
        home = homes.get(code)
        for kind in LegalNoticePage.REQUIRED_KINDS:
            found = [
                live
                for notice_kind, path, live in notices
                if home is not None and notice_kind == kind and path.startswith(home.path)
            ]
            values = {"notice": kinds[kind], "language": str(language)}
            if not found:
                problems.append(
                    gettext("The notice “%(notice)s” is missing in %(language)s.") % values
                )
            elif not any(found):
                problems.append(
                    gettext("The notice “%(notice)s” is not published in %(language)s.") % values
                )
    return problems


class LegalNoticesPanel(Component):
    """The dashboard's warning that a notice the law requires is missing or unpublished."""

    name = "legal_notices"
    template_name = "pages/admin/legal_notices_panel.html"
    order = 80  # above every other panel: the site is out of step with the law

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        return {"problems": self.problems}


def add_legal_notices_panel(request: HttpRequest, panels: list) -> None:
    """Shown to the people who can do something about it: those who may edit pages."""
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None or not _can_edit_pages(request.user):
        return
    problems = legal_notice_problems(site)
    if problems:
        panels.append(LegalNoticesPanel(problems))


def _can_edit_pages(user: Any) -> bool:
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"})
