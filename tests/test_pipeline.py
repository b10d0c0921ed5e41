"""framing_sentences: every token after a line break starts a sentence, nothing else changes."""
from __future__ import annotations

import pytest
import spacy

from framing.pipeline import paragraph_sentence_starts

TEXTS = ["", "a", "\n", "a\n", "\nb", "Parents feel that.\n\nLeaders know.", "a \n\n b\n", "x\n\n\ny  \n z.\n\n",
         "One line. Two sentences on it.\nA bullet item\n\n\n", "no break at all, only  spaces   here"]


def one_token_at_a_time(doc):
    for t, nxt in zip(doc[:-1], doc[1:]):
        if t.is_space and "\n" in t.text:
            nxt.is_sent_start = True
    return doc


@pytest.mark.parametrize("text", TEXTS)
def test_sentence_starts_are_those_set_one_token_at_a_time(text):
    nlp = spacy.blank("en")
    expected = [t.is_sent_start for t in one_token_at_a_time(nlp.make_doc(text))]
    assert [t.is_sent_start for t in paragraph_sentence_starts(nlp.make_doc(text))] == expected


def test_a_parsed_doc_is_refused_as_by_token_is_sent_start():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Parents feel.\n\nLeaders know.")
    doc[0].dep_ = "ROOT"
    with pytest.raises(ValueError, match="E043"):
        paragraph_sentence_starts(doc)


def _fresh_python(code: str) -> str:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_framing_imports_spacy_without_its_command_line_and_both_still_work():
    out = _fresh_python(
        "import sys, contextlib, io\n"
        "import framing.pipeline, spacy\n"
        "print('cli imported' if any(m.startswith('spacy.cli') for m in sys.modules) else 'cli not imported')\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    info = spacy.info()\n"
        "print('info', info['spacy_version'] == spacy.__version__)\n"
        "import spacy.cli\n"
        "print('real cli', callable(spacy.cli.setup_cli), spacy.cli.__file__.endswith('__init__.py'))\n"
        "print('blank', [t.text for t in spacy.blank('en')('Parents feel ignored.')])")
    assert out.splitlines() == ["cli not imported", "info True", "real cli True True",
                                "blank ['Parents', 'feel', 'ignored', '.']"]


def test_spacy_imported_first_is_left_as_it_is():
    out = _fresh_python("import spacy\nfrom spacy.cli.info import info\nimport framing.pipeline\n"
                        "print(spacy.info is info)")
    assert out == "True"


# Special cases, URLs, e-mail addresses, hyphens, abbreviations and emoticons: every part of the tokenizer.
TOKENIZER_TEXT = ("Leaders don't know; parents can't say (e.g. at 9 a.m.). See https://www.example.org/send?x=1 "
                  "or e-mail send@example.gov.uk. Co-production isn't there yet :) \u2014 \"It's 50%,\" she said... "
                  "U.K. & N.H.S. 1st-2nd 'quoted' words. Mr. Smith's plan, Jan. 2023; 10km, 3.5hrs, £1,000.")


def test_the_default_pipeline_holds_spacys_own_tokenizer():
    from framing.pipeline import DEFAULT_MODELS, _load_spacy
    from framing.pipeline_id import is_package

    ours = _load_spacy(None)
    plain = spacy.load(next(name for name in DEFAULT_MODELS if is_package(name)), exclude=["ner"])
    assert ours.tokenizer.to_bytes(exclude=["vocab"]) == plain.tokenizer.to_bytes(exclude=["vocab"])
    tokens = [(t.text, t.idx, t.norm_, t.whitespace_) for t in ours.tokenizer(TOKENIZER_TEXT)]
    assert tokens == [(t.text, t.idx, t.norm_, t.whitespace_) for t in plain.tokenizer(TOKENIZER_TEXT)]
    assert ("do", "n't") == tuple(t for t, *_ in tokens[1:3])  # the special cases are there, not only equal
    assert ours.config["nlp"]["tokenizer"] == plain.config["nlp"]["tokenizer"] == {"@tokenizers": "spacy.Tokenizer.v1"}
