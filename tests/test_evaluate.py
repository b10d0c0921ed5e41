"""`framing annotate` writes the gold format exactly, and `framing evaluate` agrees with score.py."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from framing.evaluate import score

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RECORDS = [
    {"id": "t-1", "text": "Some parents feel that the local offer is hard to find. Leaders know this.",
     "attributions": [{"source": "PARENT_CARER", "source_start": 0, "source_end": 12, "cue": "BELIEF",
                       "cue_start": 13, "cue_end": 17, "quantifier": "SOME"},
                      {"source": "LEADER", "source_start": 56, "source_end": 63, "cue": "FACTIVE",
                       "cue_start": 64, "cue_end": 68, "quantifier": "NONE"}]},
    {"id": "t-2", "text": "Leaders have prioritised the recruitment of therapists.", "attributions": []},
    {"id": "t-3", "text": "Young people told inspectors that they enjoy the drama club.",
     "attributions": [{"source": "CHILD_YP", "source_start": 0, "source_end": 12, "cue": "REPORT",
                       "cue_start": 13, "cue_end": 28, "quantifier": "NONE"}]},
]


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    d = tmp_path_factory.mktemp("eval")
    gold = d / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    pred = d / "pred.jsonl"
    run = subprocess.run([sys.executable, "-m", "framing", "annotate", str(gold), "-o", str(pred)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return gold, pred


def test_annotate_output_follows_the_gold_format(annotated):
    gold, pred = annotated
    records = [json.loads(line) for line in pred.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["t-1", "t-2", "t-3"]
    assert [r["text"] for r in records] == [r["text"] for r in RECORDS]
    keys = {"source", "source_start", "source_end", "cue", "cue_start", "cue_end", "quantifier"}
    for r in records:
        for a in r["attributions"]:
            assert set(a) == keys
            assert 0 <= a["cue_start"] < a["cue_end"] <= len(r["text"])
    assert records[1]["attributions"] == []
    first = records[0]["attributions"]
    assert [(a["source"], a["cue"], a["quantifier"]) for a in first] == [("PARENT_CARER", "BELIEF", "SOME"), ("LEADER", "FACTIVE", "NONE")]
    assert records[0]["text"][first[0]["cue_start"]:first[0]["cue_end"]] == "feel"
    # the nested cue ("they enjoy") is found too: one false positive against this small gold
    assert [(a["source"], a["cue"]) for a in records[2]["attributions"]] == [("CHILD_YP", "REPORT"), ("CHILD_YP", "EMOTION")]


def test_evaluate_matches_shared_score_py(annotated):
    script = SHARED / "tools" / "score.py"
    if not script.exists():
        pytest.skip("../shared/tools/score.py is not here")
    gold, pred = annotated
    spec = importlib.util.spec_from_file_location("shared_score", script)
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    theirs = shared.score(shared.load(gold), shared.load(pred))
    ours, errors = score(shared.load(gold), shared.load(pred))
    assert {k: ours[k] for k in theirs} == theirs  # every figure score.py gives, identical
    assert set(ours) - set(theirs) == {"recall_by_voice"}
    assert [e.kind for e in errors] == ["false positive"]


def test_evaluate_matches_score_py_on_the_real_dev_gold(tmp_path):
    gold = SHARED / "data" / "gold" / "dev.jsonl"
    if not gold.exists():
        pytest.skip("../shared/data is not here")
    out = tmp_path / "pred.jsonl"
    run = subprocess.run([sys.executable, "-m", "framing", "evaluate", str(gold), "--json", "--predictions", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    ours = json.loads(run.stdout)
    theirs = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), str(gold), str(out), "--json"],
                            capture_output=True, text=True)
    theirs = json.loads(theirs.stdout)
    assert {k: ours[k] for k in theirs} == theirs


def test_annotate_bad_input_is_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "framing", "annotate", str(bad), "-o", str(tmp_path / "o.jsonl")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "bad.jsonl" in run.stderr and "Traceback" not in run.stderr


def _make_gold():
    spec = importlib.util.spec_from_file_location("make_gold", ROOT / "eval" / "make_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_offsets_gold_is_joined_with_its_own_text_only(tmp_path):
    import hashlib

    reports = tmp_path / "reports"
    reports.mkdir()
    text = "Parents feel that the plans are late."
    (reports / "r1.txt").write_text(text, encoding="utf-8")
    att = {"source": "PARENT_CARER", "source_start": 0, "source_end": 7, "cue": "BELIEF", "cue_start": 8,
           "cue_end": 12, "quantifier": "NONE"}
    offsets = tmp_path / "o.jsonl"
    offsets.write_text(json.dumps({"id": "r1", "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
                                   "attributions": [att]}) + "\n", encoding="utf-8")
    make_gold = _make_gold()
    assert make_gold.gold_records(offsets, reports) == [{"id": "r1", "text": text, "attributions": [att]}]
    (reports / "r1.txt").write_text(text.replace("late", "early"), encoding="utf-8")
    with pytest.raises(SystemExit, match="not the text that was annotated"):
        make_gold.gold_records(offsets, reports)


@pytest.mark.parametrize("name", ["heldout_a", "heldout_b"])
def test_the_real_held_out_gold_matches_the_shared_reports(name):
    if not (SHARED / "data" / "reports").exists():
        pytest.skip("../shared/data is not here")
    records = _make_gold().gold_records(ROOT / "eval" / f"{name}.offsets.jsonl")
    assert len(records) == 5
    for r in records:
        for a in r["attributions"]:
            assert 0 <= a["source_start"] < a["source_end"] <= len(r["text"])
            assert r["text"][a["cue_start"]:a["cue_end"]].strip(), a


def test_the_accuracy_every_audit_states_is_what_the_pipeline_does():
    """framing/data/accuracy.toml is shown in every audit and dashboard: re-measure it."""
    if not (SHARED / "data" / "reports").exists():
        pytest.skip("../shared/data is not here")
    from framing.audit import annotate_records
    from framing.pipeline import load_pipeline
    from framing.report.figures import measured_accuracy

    stated = measured_accuracy()
    records = _make_gold().gold_records(ROOT / stated["gold"])
    result, _ = score({r["id"]: r for r in records}, {r["id"]: r for r in annotate_records(records, load_pipeline())})
    assert (result["attribution_f1"], result["recall_by_voice"]["families"], result["recall_by_voice"]["professionals"],
            result["asymmetry_mae"]) == (stated["attribution_f1"], stated["recall_families"],
                                         stated["recall_professionals"], stated["asymmetry_mae"])
