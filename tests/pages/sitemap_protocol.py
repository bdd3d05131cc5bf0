"""Reading the site's sitemaps as a crawler does, from the index at /sitemap.xml through every
file it names, and checking each against the sitemaps protocol (sitemaps.org/protocol.html and
Google's hreflang extension). The protocol's XSD cannot be downloaded here, so the structure it
asks for is checked element by element."""

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree import ElementTree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
S = f"{{{SITEMAP_NS}}}"
XHTML_LINK = f"{{{XHTML_NS}}}link"

MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
URL_CHILDREN = {f"{S}loc", f"{S}lastmod", f"{S}changefreq", f"{S}priority", XHTML_LINK}
SITEMAP_CHILDREN = {f"{S}loc", f"{S}lastmod"}


@dataclass
class Entry:
    """One ``<url>`` of a language's sitemap: its address and its alternates by ``hreflang``."""

    location: str
    alternates: dict[str, str]
    file: str


def local_path(url: str) -> str:
    """The path and query to ask Django's test client for."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def absolute_on(url: str, host: str) -> None:
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.netloc == host, url
    assert len(url) < 2048, url


def parse(client, path: str, root: str) -> ElementTree.Element:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith(("application/xml", "text/xml")), path
    assert len(response.content) <= MAX_BYTES, path
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), path
    tree = ElementTree.fromstring(response.content)  # well-formed, or this raises
    assert tree.tag == f"{S}{root}", (path, tree.tag)
    return tree


def validate_index(client, host: str) -> list[str]:
    """The sitemap index's ``<loc>``s, after checking its structure."""
    tree = parse(client, "/sitemap.xml", "sitemapindex")
    locations = []
    for sitemap in tree:
        assert sitemap.tag == f"{S}sitemap", sitemap.tag
        assert {child.tag for child in sitemap} <= SITEMAP_CHILDREN
        assert len(sitemap.findall(f"{S}loc")) == 1
        location = sitemap.findtext(f"{S}loc").strip()
        absolute_on(location, host)
        locations.append(location)
    assert 0 < len(locations) <= MAX_URLS
    return locations


def validate_urlset(client, location: str, host: str) -> Iterator[Entry]:
    """The entries of one sitemap file, after checking its structure."""
    tree = parse(client, local_path(location), "urlset")
    assert 0 < len(tree) <= MAX_URLS, location
    for url in tree:
        assert url.tag == f"{S}url", url.tag
        assert {child.tag for child in url} <= URL_CHILDREN, location
        assert len(url.findall(f"{S}loc")) == 1
        loc = url.findtext(f"{S}loc").strip()
        absolute_on(loc, host)
        alternates = {}
        for link in url.iter(XHTML_LINK):
            assert link.get("rel") == "alternate", link.attrib
            assert link.get("hreflang") and link.get("href"), link.attrib
            absolute_on(link.get("href"), host)
            assert link.get("hreflang") not in alternates, (loc, link.attrib)
            alternates[link.get("hreflang")] = link.get("href")
        if alternates:
            assert alternates.get(url_language(loc)) == loc, (loc, alternates)
        yield Entry(loc, alternates, location)


def url_language(url: str) -> str:
    return urlsplit(url).path.strip("/").split("/")[0]


def sitemap_entries(client, host: str = "testserver") -> list[Entry]:
    """Every ``<url>`` of every sitemap the index names, each file checked against the
    protocol."""
    return [
        entry
        for location in validate_index(client, host)
        for entry in validate_urlset(client, location, host)
    ]


def sitemap_locations(client, host: str = "testserver") -> list[str]:
    return [entry.location for entry in sitemap_entries(client, host)]
