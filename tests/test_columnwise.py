"""framing.columnwise: its stand-ins for spaCy's attribute_ruler and lemmatizer annotate exactly as they do."""
from __future__ import annotations

from pathlib import Path

import numpy
import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from framing import columnwise
from framing.ingest import load
from framing.pipeline import MAX_LENGTH, _load_spacy, prepare_text

REPORTS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "reports"

ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
CORPUS_SRC = Path(__file__).resolve().parents[1] / "corpus" / "src"
# Every two-token pattern of en_core_web_sm's attribute_ruler, and tokens its one-token ones set
# (spaces, "'s", "n't", particles), in sentences of the kind reports hold.
SPECIAL = ("There is a plan, and there were two more. Parents say they ain't heard back, \"y'all know it\", "
           "we're gonna wait, gotta ask, let's see, c'mon.\n\n  The leaders' plan isn't set out;  it's late.")


@pytest.fixture(scope="module")
def pipelines():
    stock, fast = _load_spacy(None), _load_spacy(None)
    stock.max_length = fast.max_length = MAX_LENGTH
    swapped = columnwise.install(fast)
    return stock, fast, swapped


def assert_same(stock, fast, text: str) -> None:
    a, b = stock(text), fast(text)
    A, B = a.to_array(ATTRS), b.to_array(ATTRS)
    differ = numpy.flatnonzero((A != B).any(axis=1))
    assert not len(differ), [(a[i].text, a[i].pos_, b[i].pos_, a[i].lemma_, b[i].lemma_, str(a[i].morph),
                              str(b[i].morph)) for i in differ[:5]]


def test_install_swaps_both_under_their_names(pipelines):
    stock, fast, swapped = pipelines
    assert swapped == ["attribute_ruler", "lemmatizer"]
    assert fast.pipe_names == stock.pipe_names
    assert isinstance(fast.get_pipe("attribute_ruler"), columnwise.ColumnwiseAttributeRuler)
    assert isinstance(fast.get_pipe("lemmatizer"), columnwise.ColumnwiseLemmatizer)


def test_two_token_patterns_fire_as_spacy_fires_them(pipelines):
    stock, fast, _ = pipelines
    assert_same(stock, fast, SPECIAL)
    doc = fast(SPECIAL)
    assert doc[1].text == "is" and doc[1].pos_ == "VERB"  # the "there is" pattern (index 1), not AUX
    gon = [t for t in doc if t.lower_ in ("gon", "na")]
    assert [t.lemma_ for t in gon] == ["go", "to"]


def test_the_projects_corpus_texts_are_annotated_identically(pipelines):
    stock, fast, _ = pipelines
    for path in sorted(CORPUS_SRC.glob("*.txt")):
        text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if line and not line.startswith(("#", "=")))
        assert_same(stock, fast, text)


def test_real_reports_are_annotated_identically(pipelines):
    paths = sorted(REPORTS.glob("*.pdf"))[:6]
    if not paths:
        pytest.skip("real reports not available (../shared/data)")
    stock, fast, _ = pipelines
    for path in paths:
        assert_same(stock, fast, prepare_text(load(path).text))


def test_an_empty_text_and_one_space(pipelines):
    stock, fast, _ = pipelines
    for text in ("", " ", "\n"):
        assert_same(stock, fast, text)


def test_components_it_does_not_cover_stay_spacys(pipelines):
    stock, _, _ = pipelines
    ruler = stock.get_pipe("attribute_ruler")
    assert columnwise.ColumnwiseAttributeRuler.covers(ruler)
    nlp = _load_spacy(None)
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "send"}, {"IS_PUNCT": True, "OP": "?"}]], {"POS": "PROPN"})
    nlp.remove_pipe("lemmatizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert columnwise.install(nlp) == []
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
