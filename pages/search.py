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

Nothing about the query is stored: it is neither logged nor kept in the cache."""

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import TrigramStrictWordSimilarity
from django.db import connection
from django.db.models import BooleanField, F, Func, TextField, Value
from django.http import HttpRequest
from wagtail.models import Locale, Page
from wagtail.query import PageQuerySet

from core.cache import cached_in_generation

from .models import ConditionPage, LocationPage, PhysicianPage, TreatmentPage
from .models.base import public

SEARCHABLE_TYPES = (ConditionPage, TreatmentPage, PhysicianPage, LocationPage)

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


def searchable_pages(locale: Locale) -> PageQuerySet:
    """The live public conditions, treatments, physicians and sites of one language."""
    return public(Page.objects.live()).type(*SEARCHABLE_TYPES).filter(locale=locale)


def find(pages: PageQuerySet, terms: str) -> Any:
    """The pages that match ``terms``: full-text first, then (on PostgreSQL) forgiving accents
    and typos. Lazy: a paginator reads one page of them."""
    results = pages.specific().search(terms)
    if connection.vendor != "postgresql" or results.count():
        return results
    return similar_pages(pages, terms)


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
    something."""
    suggestion = suggest(terms, vocabulary(request, Locale.get_active()))
    if suggestion is None or not find(pages, suggestion).count():
        return None
    return suggestion
