"""The trained framing model: reproducible training, a JSON file that loads without unpickling, the policy."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from framing.classifier import MODEL_PATH, FramingModel, ModelFileError, Policy, train
from framing.evaluate import read_jsonl
from framing.pipeline import load_pipeline, prepare_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rules():
    return load_pipeline(framing_model=False)


@pytest.fixture(scope="module")
def small_corpus():
    records = read_jsonl(ROOT / "corpus" / "train.jsonl")
    return records[:300]


def test_training_is_reproducible_and_round_trips_through_json(rules, small_corpus, tmp_path):
    first = train(small_corpus, rules, seed=0)
    second = train(small_corpus, rules, seed=0)
    assert np.array_equal(first.framing.coef, second.framing.coef)
    assert first.feature_index == second.feature_index
    path = tmp_path / "model.json"
    first.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))  # plain JSON: nothing to unpickle
    assert data["format"] == "framing-logreg/1" and data["card"]["training_records"] == 300
    loaded = FramingModel.load(path)
    assert loaded.framing.classes == first.framing.classes
    x = np.zeros(len(loaded.feature_index))
    x[:5] = 1.0
    assert np.allclose(loaded.framing.proba(x), first.framing.proba(x), atol=1e-5)
    assert loaded.framing.proba(x).sum() == pytest.approx(1.0)


def test_a_bad_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "model.json"
    bad.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(ModelFileError, match="not a framing-logreg/1 model file"):
        FramingModel.load(bad)
    with pytest.raises(ModelFileError, match="cannot read"):
        FramingModel.load(tmp_path / "missing.json")


def test_the_shipped_model_is_in_the_pipeline_and_says_so():
    if not MODEL_PATH.exists():
        pytest.fail("models/framing_model.json is missing: run `framing train`")
    nlp = load_pipeline()
    assert nlp.pipe_names[-1] == "framing_classifier"
    doc = nlp(prepare_text("Some parents feel that the local offer is hard to find. Leaders know this."))
    atts = doc._.attributions
    assert [(a.source, a.cue) for a in atts] == [("PARENT_CARER", "BELIEF"), ("LEADER", "FACTIVE")]
    assert all(a.decided_by.startswith("framing-logreg") and 0 < a.confidence <= 1 for a in atts)


def test_policy_limits_how_far_the_model_overrules_the_rules(rules):
    model = FramingModel.load(MODEL_PATH)
    doc = rules(prepare_text("Staff help children to understand their plans."))
    (candidate,) = doc._.framing_candidates
    assert candidate.rejected_by == "aim"
    strict = FramingModel(model.feature_index, model.keep, model.framing, Policy(add_from=1.01), model.card)
    keep, *_ = strict.decide(doc, candidate)
    assert not keep  # a rule-rejected candidate needs p(keep) >= add_from
    lenient = FramingModel(model.feature_index, model.keep, model.framing, Policy(add_from=0.0), model.card)
    assert lenient.decide(doc, candidate)[0]


def test_the_default_policy_never_drops_what_the_rules_accept(rules):
    model = FramingModel.load(MODEL_PATH)
    assert model.policy.drop_below == 0.0
    doc = rules(prepare_text("Parents feel that the plans are late."))
    (accepted,) = doc._.framing_candidates
    assert not accepted.rejected_by
    dropping = FramingModel(model.feature_index, model.keep, model.framing, Policy(drop_below=1.01), model.card)
    assert not dropping.decide(doc, accepted)[0]  # the policy is what keeps it
    assert model.decide(doc, accepted)[0]
