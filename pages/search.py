"""The public site search: what a patient types, forgiven its missing accents and its typos.

1. Wagtail's full-text search, as configured in ``WAGTAILSEARCH_BACKENDS`` (PostgreSQL's
   full-text search, or SQLite's FTS5), ranked by relevance. Most searches end here.
2. On PostgreSQL, when that finds nothing: the pages whose title holds words like the ones
   typed, compared without accents and by trigrams, so that "paralisis facial" finds
   "Parálisis facial" and "synkenesis" finds "Synkinesis". The filter is the ``<<%`` operator
   (strict word similarity: some run of whole words of the title is at least
   ``pg_trgm.strict_word_similarity_threshold`` alike, 0.5 unless the server says otherwise),
   which the trigram index of migration ``pages.0011_search_extensions`` serves: 2 to 10 ms
   for 12,000 titles. Titles only, because comparing with the text of the pages costs
   seconds at 1,000 pages in each of ten languages (measured: the index finds candidates,
   but each must then be unaccented and compared again). Wagtail's own ``Fuzzy`` query
   (django-modelsearch) compares the title and the text of every page of the language with
   ``word_similarity()``, which no index serves (half a second for 1,000 pages), and at its
   threshold matches "parking" to "paralysis".
3. When nothing is found: a suggestion ("Did you mean …?"), each word typed replaced by the
   closest word of the titles and search descriptions of the live pages of the language, when
   the suggestion finds something. The words are kept in the cache for the content
   generation (:func:`core.cache.cached_in_generation`), so a search reads them once per
   change of the site, not once per query. It works the same on SQLite.

4. Above the results, on their first page: the results editors promoted for the search
   (wagtail.contrib.search_promotions), those in the visitor's language (:func:`promotions`).

A search reads at most 101 results, best first, in one query (:func:`top_results`): the ten
pages of ten it offers, and one more to know that there are more than a hundred, which it says
instead of counting every match; the ids are kept in the cache for the content generation
(:func:`ranked`), and a page of results reads its ten pages in one query
(:func:`result_pages`). So a search costs the same with ten pages as with a thousand in each of
ten languages, and the next page of a search, or the same search again, runs no search at all.

What is kept of a search is a count, never the search itself: the query is not logged, and the
cache keeps the ids of its results under a hash of it, not its words (:func:`ranked`); its
term, made impersonal (:func:`search_term`: folded, e-mail addresses
and phone numbers masked, cut to 100 characters), is counted per day and language with the
number of results it found (``pages.models.SearchTermCount``, through ``core.analytics``,
which writes in batches outside the request). Nothing tells one visitor's searches from
another's; browsers that send ``Sec-GPC: 1`` and robots are not counted, nor empty searches
nor the later pages of a search. The counts are kept ``ANALYTICS_RETENTION_MONTHS`` months."""

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import TrigramStrictWordSimilarity
from django.db import connection, models
from django.db.models import BooleanField, F, Func, TextField, Value
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale, Page, Site
from wagtail.query import PageQuerySet
from wagtail.search.utils import normalise_query_string

from core import analytics
from core.cache import (
    cached_in_generation,
    content_generation,
    invalidate_site_content,
    page_cache,
    publications_stamp,
)
from core.text import mask_contact_details

from .models import ConditionPage, LocationPage, PhysicianPage, TreatmentPage
from .models.base import public
from .models.search_terms import COUNTER, TERM_LENGTH

SEARCHABLE_TYPES = (ConditionPage, TreatmentPage, PhysicianPage, LocationPage)
# The name by which a page reaches the row of each searchable type, its own (Django names the
# reverse of a parent link after the child model: ``conditionpage``), for ``select_related``.
OWN_ROWS: dict[type[Page], str] = {model: str(model._meta.model_name) for model in SEARCHABLE_TYPES}

WORD = re.compile(r"\w+")
# Shorter words are left as typed: "de", "la", "of" are not typos, and two or three letters
# are too few to tell which word was meant.
MIN_SUGGESTED_WORD_LENGTH = 4
# How alike a typed word and a word of the site must be (difflib's ratio: twice the letters in
# common over the letters of both): "sinkinesys" and "synkinesis" are 0.8.
SUGGESTION_CUTOFF = 0.75
# The words sharing the most pairs of letters with a typed word, which difflib then compares it
# with: comparing it with each of 5,000 words took 60 ms a word; with these, 1 to 2.5 ms a query.
CANDIDATES = 30

# A page of results shows ten, and a search offers at most ten pages of them: a patient who has
# not found the page in a hundred results searches again. One more is read to know that there
# are more than a hundred, which the page says instead of counting every match.
RESULTS_PER_PAGE = 10
MAX_PAGES = 10
SHOWN = RESULTS_PER_PAGE * MAX_PAGES
LIMIT = SHOWN + 1


def searchable_pages(locale: Locale) -> PageQuerySet:
    """The live public conditions, treatments, physicians and sites of one language."""
    return public(Page.objects.live()).type(*SEARCHABLE_TYPES).filter(locale=locale)


def find(pages: PageQuerySet, terms: str) -> Any:
    """The pages that match ``terms``: full-text first, then (on PostgreSQL) forgiving accents
    and typos. Lazy, and counted to know which of the two it is: :func:`top_results` is what
    the public search runs; this is the same search without a limit, kept as the reference its
    tests compare it with."""
    results = pages.specific().search(terms)
    if connection.vendor != "postgresql" or results.count():
        return results
    return similar_pages(pages, terms)


def top_results(pages: PageQuerySet, terms: str) -> list[int]:
    """The first :data:`LIMIT` pages that match ``terms``, best first, as :func:`find` ranks
    them, in one query (two when the full-text search finds nothing and the similar titles
    are tried): the full-text search is sliced, so the database keeps the best few of the
    ranking instead of counting every match first. On PostgreSQL the ranking is ``ORDER BY
    rank DESC, id DESC LIMIT 101``, a total order: the same pages in the same order as the
    unlimited search. The pages are read as plain pages, not their own types: only their ids
    are kept."""
    found = [page.pk for page in pages.search(terms)[:LIMIT]]
    if found or connection.vendor != "postgresql":
        return found
    similar = similar_pages(pages, terms).values_list("pk", flat=True)
    return list(similar[:LIMIT])


def normalised_terms(terms: str) -> str:
    """``terms`` as the search reads them: both searches ignore case and the spaces between
    words, so "Facial  Paralysis" and "facial paralysis" share their results in the cache."""
    return " ".join(terms.split()).lower()


def results_key(request: HttpRequest, locale: Locale, terms: str) -> str:
    """The cache key of the results of ``terms`` in ``locale`` on the site that answers
    ``request``, in the current content generation and since the last publish (a publish that
    leaves the rest of the site in the cache still changes what a search finds,
    :data:`core.cache.PUBLICATIONS`): hashed with the secret key, so that no
    search term can be read in the cache's keys, nor found by hashing guesses (a phone number
    pasted into the search box has few enough)."""
    site = Site.find_for_request(request)
    generation = content_generation(request)
    stamp = publications_stamp(request)
    parts = (generation, stamp, str(site.pk if site else 0), locale.language_code)
    identity = "\0".join((*parts, normalised_terms(terms)))
    return "search-results:" + salted_hmac(__name__, identity, algorithm="sha256").hexdigest()


def ranked(request: HttpRequest, locale: Locale, pages: PageQuerySet, terms: str) -> list[int]:
    """:func:`top_results` for ``terms`` among ``pages`` (those of ``locale``), kept in the
    ``pages`` cache per search (:func:`normalised_terms`), language, site and content
    generation, so that the next pages of a search, and the same search by anyone else, run no
    search query until the site changes (a publish renews the stamp in the key).

    What is kept is the ordered list of up to 101 page ids, under a key hashed with the secret
    key (:func:`results_key`), for ``PAGE_CACHE_SECONDS`` at most: server-side only, nothing
    of the visitor beyond the term, which is already counted as an aggregate
    (:func:`count_search`). The response itself is never stored (``no-store``:
    ``core.http_cache.NEVER_STORED_URL_NAMES``; and the full-page cache stores no page with a
    ``q``). The ids go to the shared cache only, not this process's memo
    (``core.cache.memo``), where a stream of different searches would crowd out the routes
    and fragments every page reads."""
    key = results_key(request, locale, terms)
    cache = page_cache()
    found = cache.get(key)
    if not isinstance(found, list):
        found = top_results(pages, terms)
        cache.set(key, found, settings.PAGE_CACHE_SECONDS)
    return found


def result_pages(ids: list[int]) -> list[Page]:
    """The pages of ``ids``, in that order, each as its own type (the results show each
    one's description and what it is): one query for a page of results, joining the tables of
    the searchable types, where ``.specific()`` would add one query per type. A page gone
    since (in the same generation, so hardly ever) is left out."""
    rows = Page.objects.filter(pk__in=ids).select_related(*OWN_ROWS.values())
    by_id = {page.pk: page for page in rows}
    return [own_type(by_id[pk]) for pk in ids if pk in by_id]


def own_type(page: Page) -> Page:
    """``page`` as its own type, from the row ``select_related`` read with it."""
    accessor = OWN_ROWS.get(page.specific_class)
    return getattr(page, accessor) if accessor else page.specific


class FUnaccent(Func):
    """``f_unaccent()`` from migration ``pages.0011_search_extensions``: ``unaccent()``, made
    immutable so that an index can hold its result."""

    function = "f_unaccent"
    output_field = TextField()


class StrictlyWordSimilar(Func):
    """``text <<% document``: some run of whole words of ``document`` is at least as alike to
    ``text`` as ``pg_trgm.strict_word_similarity_threshold`` says (a trigram index serves it)."""

    arg_joiner = " <<%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def similar_pages(pages: PageQuerySet, terms: str) -> PageQuerySet:
    """The pages whose title holds words like ``terms`` (PostgreSQL only), the most alike
    first."""
    typed = FUnaccent(Value(terms, output_field=TextField()))
    title = FUnaccent(F("index_entries__title_text"))
    return (
        pages.filter(StrictlyWordSimilar(typed, title))
        # Django's stubs say a string; the function takes any expression.
        .annotate(closeness=TrigramStrictWordSimilarity(typed, title))  # type: ignore[arg-type]
        .order_by("-closeness", "title")
        .specific()
    )


def fold(word: str) -> str:
    """``word`` as suggestions compare it: lower case, without accents ("Parálisis" is
    "paralisis")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass
class Vocabulary:
    """The words a site uses, folded, each with the way the site writes it ("paralisis":
    "parálisis"), and the words each pair of letters appears in, which narrows the words a
    typed one is compared with to the few that share the most pairs with it."""

    spellings: dict[str, str] = field(default_factory=dict)
    by_pair: dict[str, list[str]] = field(default_factory=dict)

    def add(self, word: str) -> None:
        folded = fold(word)
        if folded in self.spellings:
            return
        self.spellings[folded] = word.lower()
        for pair in letter_pairs(folded):
            self.by_pair.setdefault(pair, []).append(folded)

    def closest(self, folded: str) -> str | None:
        """The site's spelling of the word most like ``folded``, if one is alike enough."""
        if folded in self.spellings:
            return self.spellings[folded]
        shared: Counter[str] = Counter()
        for pair in letter_pairs(folded):
            shared.update(self.by_pair.get(pair, ()))
        candidates = [word for word, _count in shared.most_common(CANDIDATES)]
        found = difflib.get_close_matches(folded, candidates, n=1, cutoff=SUGGESTION_CUTOFF)
        return self.spellings[found[0]] if found else None


def letter_pairs(folded: str) -> set[str]:
    padded = f" {folded} "
    return {padded[index : index + 2] for index in range(len(padded) - 1)}


def vocabulary(request: HttpRequest | None, locale: Locale) -> Vocabulary:
    """The words of the titles and search descriptions of the live searchable pages of
    ``locale``: one query per change of the site, kept in the cache for the content generation
    (a few hundred kilobytes for 1,000 pages)."""

    def build() -> Vocabulary:
        words = Vocabulary()
        texts = searchable_pages(locale).values_list("title", "search_description")
        for title, description in texts.iterator():
            for word in WORD.findall(f"{title} {description}"):
                if len(word) >= MIN_SUGGESTED_WORD_LENGTH and not word.isdigit():
                    words.add(word)
        return words

    return cached_in_generation(request, f"search-vocabulary:{locale.pk}", build)


def suggest(terms: str, words: Vocabulary) -> str | None:
    """``terms`` with each word the site does not use replaced by the closest word it uses
    (and missing accents put back), or None when no word changes."""

    def closest(match: re.Match[str]) -> str:
        typed = match.group(0)
        folded = fold(typed)
        if len(folded) < MIN_SUGGESTED_WORD_LENGTH or typed.isdigit():
            return typed
        spelling = words.closest(folded)
        # As typed when the site writes it the same way, whatever the case.
        return typed if spelling is None or spelling == typed.lower() else spelling

    suggestion = WORD.sub(closest, terms)
    return suggestion if suggestion.lower() != terms.lower() else None


def suggestion_for(request: HttpRequest, pages: PageQuerySet, terms: str) -> str | None:
    """A search to suggest instead of ``terms``, which found nothing: only one that finds
    something. Its results stay in the cache (:func:`ranked`) for the visitor who follows the
    suggestion."""
    locale = Locale.get_active()
    suggestion = suggest(terms, vocabulary(request, locale))
    if suggestion is None or not ranked(request, locale, pages, suggestion):
        return None
    return suggestion


SPACES = re.compile(r"\s+")


def search_term(query: str) -> str:
    """``query`` as it is counted and as promotions are chosen for it: folded to one case,
    composed (NFC: an "a" typed with a combining accent is the same term as an "á"), its spaces
    collapsed, e-mail addresses and phone numbers masked (people paste them into a search box;
    they are not kept) and cut to 100 characters."""
    folded = unicodedata.normalize("NFC", query.casefold())
    term = SPACES.sub(" ", folded).strip()
    return mask_contact_details(term)[:TERM_LENGTH].strip()


def count_search(request: HttpRequest, query: str, results: int) -> None:
    """Count a search for ``query`` in the active language that found ``results`` (what the
    visitor was shown: the full-text results or, when there were none, the similar titles).
    The search reads at most :data:`LIMIT` results, so a term that finds more than a hundred
    is counted with 101, read as "more than 100" (what the page says): the truth as far as it
    is known, and still above every count of a term that found fewer. Only the first page of a
    search counts (the next pages are the same search); an empty search, a browser that asks
    not to be tracked and a robot are not counted. Counting is a dictionary update in memory:
    no database write in the request."""
    term = search_term(query)
    if not term or request.GET.get("page", "1") not in ("", "1"):
        return
    if not analytics.counts_visitor(request):
        return
    key = (timezone.localdate(), Locale.get_active().language_code, term)
    analytics.count(COUNTER, key, 1, latest=results)


def promoted_terms(request: HttpRequest | None) -> set[str]:
    """The search terms that have promoted results, kept in the cache for the content
    generation (saving or deleting a promotion starts a new one: :func:`register`), so that a
    search for any other term, most of them, costs no query."""

    def build() -> set[str]:
        promoted = SearchPromotion.objects.values_list("query__query_string", flat=True)
        return set(promoted.distinct())

    return cached_in_generation(request, "search-promoted-terms", build)


def register() -> None:
    """A change of promoted results is a change of what visitors see: a new content
    generation."""
    for model in (SearchPromotion, Query):
        for action, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                invalidate_site_content,
                sender=model,
                dispatch_uid=f"search-promotions-{model.__name__}-{action}",
            )


@dataclass
class Promotion:
    """A result editors promoted for a search: a page of the site, or a link elsewhere."""

    title: str
    url: str
    description: str


def promotions(query: str, locale: Locale, request: HttpRequest | None = None) -> list[Promotion]:
    """The results editors promoted for ``query``, in their order: the live public pages of
    ``locale`` (a promotion of a page in another language is for that language's visitors) and
    the external links. Promotions are chosen per search term, as :func:`search_term` makes it
    (or as Wagtail writes a term an editor typed, which differs for a few letters: "ß" is "ss"
    once folded). Reads only: no hit is recorded (``Query.add_hit`` would write in the
    request)."""
    terms = {search_term(query), normalise_query_string(query)} & promoted_terms(request)
    if not terms:
        return []
    visible_pages = public(Page.objects.live()).filter(locale=locale).values("pk")
    picks = (
        SearchPromotion.objects.filter(query__query_string__in=terms)
        .filter(
            models.Q(page__isnull=True, external_link_url__gt="") | models.Q(page__in=visible_pages)
        )
        .select_related("page")
        .order_by("query__query_string", "sort_order", "pk")
    )
    found = []
    seen: set[str] = set()
    for pick in picks:
        if pick.page is not None:
            url, title = pick.page.get_url(request), pick.page.title
        else:
            url = pick.external_link_url
            title = pick.external_link_text or url
        # A page promoted twice (for the term as folded here and as Wagtail wrote it) shows once.
        if url and url not in seen:
            seen.add(url)
            found.append(Promotion(title=title, url=url, description=pick.description or ""))
    return found
