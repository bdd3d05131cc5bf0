"""What the pages' templates call to draw the site's chrome (``pages.chrome``): the header and
footer links, the menu, the language switcher, breadcrumbs and search-engine data."""

from jinja2 import Environment, pass_context
from jinja2.ext import Extension

from pages import chrome


class ChromeExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals.update(
            settings_links=pass_context(chrome.settings_links),
            legal_notices=pass_context(chrome.legal_notices),
            site_home=pass_context(chrome.site_home),
            main_menu=pass_context(chrome.main_menu),
            page_translations=pass_context(chrome.page_translations),
            structured_data=pass_context(chrome.structured_data),
            open_graph_locales=pass_context(chrome.open_graph_locales),
            breadcrumbs=pass_context(chrome.breadcrumbs),
            clinic_locations=pass_context(chrome.clinic_locations),
            consultation_url=pass_context(chrome.consultation_url),
            accessibility_url=pass_context(chrome.accessibility_url),
        )
