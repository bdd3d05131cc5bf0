"""Media embeds (a video from a video host) only from the origins a deployer allowed.

An embed is a frame or a script from the host, loaded by every visitor's browser: the host
learns who read which page. No rich text feature or block of the site offers embeds today, but
``wagtail.embeds`` expands any ``<embed embedtype="media">`` that reaches a rich text field (an
import, a translation file, a future feature), and its default finder asks any of some three
hundred providers. This finder is the one Wagtail uses instead (``WAGTAILEMBEDS_FINDERS``): with
THIRD_PARTY_ORIGINS empty it accepts no address at all, so nothing is fetched and the embed
renders as nothing; otherwise it keeps an embed only when everything its HTML loads is on a
listed origin, which the Content-Security-Policy allows too."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.oembed import OEmbedFinder

# The attributes through which embed HTML makes a browser load something.
LOADING_ATTRIBUTES = frozenset({"src", "data", "poster", "href", "srcset"})


def origin(url: str) -> str:
    """``scheme://host[:port]`` of an address, lower case; "" for a relative one."""
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return ""
    scheme = parts.scheme.lower() or "https"  # "//host/…" loads over the page's own scheme
    return f"{scheme}://{parts.netloc.lower()}"


def allowed_origins() -> set[str]:
    return {origin(allowed) for allowed in settings.THIRD_PARTY_ORIGINS}


class _LoadedAddresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in LOADING_ATTRIBUTES and value:
                if name == "srcset":
                    self.addresses += [item.split()[0] for item in value.split(",") if item.strip()]
                else:
                    self.addresses.append(value)


def loaded_origins(html: str) -> set[str]:
    """The other origins a fragment of HTML would make a browser load from."""
    parser = _LoadedAddresses()
    parser.feed(html)
    return {origin(address) for address in parser.addresses} - {""}


class AllowedOriginsOEmbedFinder(OEmbedFinder):
    """Wagtail's oEmbed finder, limited to what THIRD_PARTY_ORIGINS allows."""

    def accept(self, url: str) -> bool:
        return bool(allowed_origins()) and super().accept(url)

    def find_embed(self, url: str, max_width=None, max_height=None) -> dict:
        if not self.accept(url):
            raise EmbedNotFoundException
        embed = super().find_embed(url, max_width, max_height)
        foreign = loaded_origins(embed.get("html") or "") - allowed_origins()
        if foreign:
            raise EmbedNotFoundException(
                f"The embed loads from {', '.join(sorted(foreign))}, not in THIRD_PARTY_ORIGINS"
            )
        if origin(embed.get("thumbnail_url") or "") not in allowed_origins():
            embed["thumbnail_url"] = ""
        return embed
