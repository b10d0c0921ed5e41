"""The cue, source and grammar lexicons: versioned data files (framing/data/*.toml), loaded into typed entries.

Every entry carries an id and a note, so every flag can name the entry that fired and say why.
A configuration can add cue entries and source aliases (a local forum's own name) on top.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .attribution import CUES, QUANTIFIERS, SOURCES

DATA = Path(__file__).parent / "data"
COMPLEMENT_TYPES = ("clause", "object_adjective", "adjective", "object", "topic", "bare")
CUE_KINDS = ("verb", "adjective", "noun", "phrase")


class LexiconError(ValueError):
    """A lexicon or configuration entry is malformed (message names the entry)."""


@dataclass(frozen=True)
class Experiencer:
    """Who perceives a thing, named in a preposition: 'the process can feel fragmented for parents'."""

    preps: frozenset[str]
    framing: str
    only: bool = False  # the subject is never the source ('services seem disjointed to them')


@dataclass(frozen=True)
class CueEntry:
    id: str
    lemmas: frozenset[str]
    kind: str
    framing: str
    note: str
    reason: str = ""
    complements: dict[str, str] = field(default_factory=dict)  # complement type -> class or "none"
    emotion_object: str | None = None
    objects_not: frozenset[str] = frozenset()
    needs_object: frozenset[str] = frozenset()
    object_classes: dict[str, str] = field(default_factory=dict)
    subjects: frozenset[str] | None = None
    topic_preps: frozenset[str] | None = None
    requires_topic: bool = False
    needs_as: bool = False
    source_prep: str | None = None
    phrase: tuple[str, ...] | None = None
    content_required: bool = False
    documents: bool = False
    particle: str | None = None
    adverbs: frozenset[str] = frozenset()
    source_is_object: bool = False
    span_extends: tuple[str, ...] = ()
    not_with_agent: bool = False
    personal: bool = False
    experiencer: Experiencer | None = None

    def framing_for(self, complement: str) -> str | None:
        """The class this cue gives with that complement type; None when it is no attribution."""
        if not self.complements:
            return self.framing
        cls = self.complements.get(complement, self.framing)
        return None if cls == "none" else cls


@dataclass(frozen=True)
class SourceEntry:
    id: str
    cls: str
    heads: frozenset[str]
    with_: frozenset[str]
    note: str


@dataclass
class Lexicon:
    version: str
    cues: list[CueEntry]
    sources: list[SourceEntry]
    look_through: frozenset[str]
    quantifiers: list[tuple[tuple[str, ...], str]]  # word sequences, longest first -> class
    aliases: dict[str, str] = field(default_factory=dict)  # lowercase name -> source class
    disabled_rules: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._by_kind: dict[tuple[str, str], list[CueEntry]] = {}
        for e in self.cues:
            if e.id in self.disabled_rules:
                continue
            for lemma in e.lemmas:
                self._by_kind.setdefault((e.kind, lemma), []).append(e)
        # entries with an object condition are more specific: try them first ("This worries parents" is the
        # causative's, which needs an object; "parents worry about" has none and falls to the feeling verb)
        for entries in self._by_kind.values():
            entries.sort(key=lambda e: (not e.needs_object, not e.needs_as, not e.particle, not e.adverbs,
                                        not e.source_is_object))
        self._phrases = [e for e in self.cues if e.kind == "phrase" and e.id not in self.disabled_rules]
        self.source_words = frozenset().union(*(e.heads for e in self.sources), self.look_through,
                                              (w for alias in self.aliases for w in alias.split()))
        self.cue_words = frozenset(lemma for _, lemma in self._by_kind)  # a word no cue entry keys on is no cue
        self._by_head: dict[str, list[SourceEntry]] = {}  # entries with `with` first, then in file order
        for entry in sorted(self.sources, key=lambda e: not e.with_):
            for head in entry.heads:
                self._by_head.setdefault(head, []).append(entry)

    def cue_entries(self, kind: str, lemma: str) -> list[CueEntry]:
        return self._by_kind.get((kind, lemma.lower()), [])

    @property
    def phrases(self) -> list[CueEntry]:
        return self._phrases

    def classify_noun(self, head: str, modifiers: set[str]) -> SourceEntry | None:
        """The source entry for a head lemma with its modifier lemmas (entries with `with` first)."""
        for entry in self._by_head.get(head.lower(), ()):
            if not entry.with_ or entry.with_ & modifiers:
                return entry
        return None

    def names_a_source(self, head: str) -> bool:
        """Could a noun with this head word name a source (with some modifiers)?"""
        return head.lower() in self._by_head


LIST_FIELDS = ("lemmas", "objects_not", "needs_object", "subjects", "topic_preps", "phrase", "adverbs", "span_extends")


def _cue_entry(raw: dict, origin: str) -> CueEntry:
    listed_as_text = [k for k in LIST_FIELDS if isinstance(raw.get(k), str)]
    if listed_as_text:  # a string would be read letter by letter: lemmas = "grumble" is seven one-letter cues
        raise LexiconError(f"{origin}: cue entry {raw.get('id', '?')!r}: {listed_as_text[0]} must be a list, "
                           f"like [\"{raw[listed_as_text[0]]}\"]")
    try:
        entry = CueEntry(
            id=raw["id"],
            lemmas=frozenset(w.lower() for w in raw["lemmas"]),
            kind=raw["kind"],
            framing=raw["framing"],
            note=raw["note"],
            reason=raw.get("reason", ""),
            complements=dict(raw.get("complements", {})),
            emotion_object=raw.get("emotion_object"),
            objects_not=frozenset(raw.get("objects_not", [])),
            needs_object=frozenset(raw.get("needs_object", [])),
            object_classes=dict(raw.get("object_classes", {})),
            subjects=frozenset(raw["subjects"]) if "subjects" in raw else None,
            topic_preps=frozenset(raw["topic_preps"]) if "topic_preps" in raw else None,
            requires_topic=bool(raw.get("requires_topic", False)),
            needs_as=bool(raw.get("needs_as", False)),
            source_prep=raw.get("source_prep"),
            phrase=tuple(raw["phrase"]) if "phrase" in raw else None,
            content_required=bool(raw.get("content_required", False)),
            documents=bool(raw.get("documents", False)),
            particle=raw.get("particle"),
            adverbs=frozenset(raw.get("adverbs", [])),
            source_is_object=bool(raw.get("source_is_object", False)),
            span_extends=tuple(raw.get("span_extends", ())),
            not_with_agent=bool(raw.get("not_with_agent", False)),
            personal=bool(raw.get("personal", False)),
            experiencer=Experiencer(frozenset(raw["experiencer"]["preps"]), raw["experiencer"]["framing"],
                                    bool(raw["experiencer"].get("only", False))) if "experiencer" in raw else None,
        )
    except KeyError as missing:
        raise LexiconError(f"{origin}: cue entry {raw.get('id', '?')!r} lacks {missing}") from None
    bad = [c for c in [entry.framing, *entry.complements.values(), *entry.object_classes.values(),
                       *([entry.experiencer.framing] if entry.experiencer else [])] if c not in CUES and c != "none"]
    if entry.kind not in CUE_KINDS or bad or set(entry.complements) - set(COMPLEMENT_TYPES):
        raise LexiconError(f"{origin}: cue entry {entry.id!r} has an unknown kind, class or complement type")
    if entry.kind == "phrase" and not entry.phrase:
        raise LexiconError(f"{origin}: phrase entry {entry.id!r} needs `phrase`")
    return entry


def _source_entry(raw: dict, origin: str) -> SourceEntry:
    if raw.get("class") not in SOURCES:
        raise LexiconError(f"{origin}: source entry {raw.get('id', '?')!r} has an unknown class {raw.get('class')!r}")
    return SourceEntry(raw["id"], raw["class"], frozenset(h.lower() for h in raw["heads"]),
                       frozenset(w.lower() for w in raw.get("with", [])), raw.get("note", ""))


@lru_cache(maxsize=1)
def _base_files() -> tuple[dict, dict]:
    with open(DATA / "cues.toml", "rb") as f:
        cues = tomllib.load(f)
    with open(DATA / "sources.toml", "rb") as f:
        sources = tomllib.load(f)
    return cues, sources


GRAMMAR_LISTS = frozenset({
    "aim-governors", "aim-infinitive-governors", "aim-after-make", "volition-verbs", "volition-auxiliaries",
    "raising-verbs", "copulas", "causatives", "question-words", "hedge-auxiliaries", "hedge-verbs", "relative-pronouns",
    "plural-pronouns", "singular-pronouns", "inspector-pronouns", "quantifier-pronouns", "part-heads", "group-heads", "co-source-prepositions", "co-source-with",
    "holder-modifiers", "addressees", "topic-prepositions", "not-content-prepositions", "noun-topic-prepositions",
    "reporting-predicates", "emotion-objects", "emotion-object-carriers", "singular-determiners", "verbs-read-as-prepositions",
    "likeness-verbs", "likeness-markers", "running-header-patterns",
})


@lru_cache(maxsize=1)
def _grammar_file() -> dict:
    with open(DATA / "grammar.toml", "rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def grammar_words() -> dict[str, frozenset[str]]:
    """The grammar word lists of framing/data/grammar.toml by id; exactly the lists extract.py uses."""
    raw = _grammar_file()
    lists = {}
    for entry in raw["words"]:
        if not entry.get("note") or not entry.get("reason"):
            raise LexiconError(f"grammar.toml: entry {entry.get('id', '?')!r} needs a note and a reason")
        lists[entry["id"]] = frozenset(w.lower() for w in entry["words"])
    if set(lists) != GRAMMAR_LISTS:
        raise LexiconError(f"grammar.toml: unknown or missing lists {sorted(set(lists) ^ GRAMMAR_LISTS)}")
    return lists


def load_lexicon(extra_cues: list[dict] | None = None, aliases: dict[str, str] | None = None,
                 disabled_rules: list[str] | None = None) -> Lexicon:
    """The bundled lexicon plus a configuration's extra cue entries, source aliases and disabled rules."""
    cues_raw, sources_raw = _base_files()
    cues = [_cue_entry(c, "cues.toml") for c in cues_raw["cue"]]
    cues += [_cue_entry(c, "configuration") for c in extra_cues or []]
    aliases = {k.lower(): v for k, v in (aliases or {}).items()}
    for name, cls in aliases.items():
        if cls not in SOURCES:
            raise LexiconError(f"configuration: source alias {name!r} has an unknown class {cls!r}")
    quantifiers = []
    for cls, words in sources_raw["quantifiers"].items():
        if cls == "note":
            continue
        if cls not in QUANTIFIERS:
            raise LexiconError(f"sources.toml: unknown quantifier class {cls!r}")
        quantifiers += [(tuple(w.split()), cls) for w in words]
    quantifiers.sort(key=lambda q: -len(q[0]))
    version = f"cues {cues_raw['version']}, sources {sources_raw['version']}, grammar {_grammar_file()['version']}"
    if extra_cues or aliases or disabled_rules:
        version += " + configuration"
    return Lexicon(
        version=version,
        cues=cues,
        sources=[_source_entry(s, "sources.toml") for s in sources_raw["source"]],
        look_through=frozenset(sources_raw["look_through"]["heads"]),
        quantifiers=quantifiers,
        aliases=aliases,
        disabled_rules=frozenset(disabled_rules or []),
    )
