"""The notebook API: framing.analyse and framing.analyse_corpus."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import framing
from framing.audit import Audit
from framing.ingest import IngestError
from framing.report.tables import ATTRIBUTION_COLUMNS, DOCUMENT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "sample" / "sample_report.pdf"
LETTER = ("Joint local area SEND inspection in Saltmere\n\n"
          "Parents feel that the local offer is hard to use. Many parents are worried about transport. "
          "Leaders know that plans are late. Practitioners report that training has helped them. "
          "Leaders understand the needs of the area. Children say that they enjoy the holiday clubs.")


def test_import_framing_stays_light():
    code = "import framing, sys; print(sorted(m for m in ('framing.api', 'spacy', 'pandas') if m in sys.modules))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert shown.stdout.strip() == "[]"
    assert {"analyse", "analyse_corpus"} <= set(dir(framing))
    with pytest.raises(AttributeError):
        framing.analyze  # noqa: B018 - only the documented names exist


def test_one_report_is_analysed_and_shown_without_pandas_which_comes_with_the_first_frame():
    code = ("import sys, framing\n"
            f"audit = framing.analyse({str(SAMPLE)!r}, rules_only=True)\n"
            "audit._repr_html_()\n"
            "print('pandas' in sys.modules)\n"
            "print(type(audit.attributions_frame()).__module__.split('.')[0], 'pandas' in sys.modules)\n")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["False", "pandas", "True"]


def test_analyse_returns_an_audit_that_shows_itself_in_a_notebook(tmp_path):
    audit = framing.analyse(SAMPLE, rules_only=True)
    assert isinstance(audit, Audit)
    assert audit.metadata["local_area"] == "Northbrook" and len(audit.page_starts) == 3
    shown = audit._repr_html_()
    assert "Northbrook" in shown and "Framing asymmetry" in shown and "95% interval" in shown
    assert "<script" not in shown and "<style" not in shown  # a fragment that cannot restyle the notebook
    assert "Parents and carers" in shown and "Flags" in shown
    assert repr(audit).startswith(f"<NotebookAudit {str(SAMPLE)!r}: {len(audit.attributions)} attributions, asymmetry +")
    frame = audit.attributions_frame()
    assert list(frame.columns) == ATTRIBUTION_COLUMNS and len(frame) == len(audit.attributions)
    page = audit.write_html(tmp_path / "audit.html")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_notebook_view_escapes_report_text(tmp_path):
    report = tmp_path / "letter.txt"
    report.write_text(LETTER.replace("the local offer", "<b>the local offer</b>"), encoding="utf-8")
    shown = framing.analyse(report, rules_only=True)._repr_html_()
    assert "<b>" not in shown and "&lt;b&gt;" in shown


def test_analyse_raises_a_one_line_error_for_bad_input(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(IngestError) as caught:
        framing.analyse(empty)
    assert str(caught.value) == f"{empty}: empty file"


def test_analyse_corpus_returns_the_two_tables_and_warns_about_broken_files(tmp_path):
    (tmp_path / "saltmere.txt").write_text(LETTER, encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 cut short")
    with pytest.warns(UserWarning, match="broken.pdf"):
        documents, attributions = framing.analyse_corpus([tmp_path, SAMPLE], rules_only=True)
    assert isinstance(documents, pd.DataFrame) and isinstance(attributions, pd.DataFrame)
    assert list(documents.columns) == DOCUMENT_COLUMNS and list(attributions.columns) == ATTRIBUTION_COLUMNS
    assert sorted(documents["document"]) == ["saltmere", "sample_report"]
    assert documents.attrs["failures"][0]["path"] == str(tmp_path / "broken.pdf")
    saltmere = attributions[attributions["document"] == "saltmere"]
    assert {("PARENT_CARER", "BELIEF"), ("PARENT_CARER", "EMOTION"), ("LEADER", "FACTIVE"),
            ("PRACTITIONER", "REPORT"), ("CHILD_YP", "REPORT")} <= set(zip(saltmere["source_class"], saltmere["cue_class"]))
    row = documents.set_index("document").loc["saltmere"]
    assert row["local_area"] == "Saltmere" and row["document_type"] == "outcome_letter_2016"
    assert row["enough_evidence"] and row["asymmetry_low"] < row["asymmetry"] < row["asymmetry_high"]
    assert len(attributions) == documents["n_attributions"].sum()


def test_analyse_corpus_can_keep_a_cache(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "saltmere.txt").write_text(LETTER, encoding="utf-8")
    first, _ = framing.analyse_corpus(tmp_path / "in", rules_only=True, cache_dir=tmp_path / "cache")
    second, _ = framing.analyse_corpus(str(tmp_path / "in" / "*.txt"), rules_only=True, cache_dir=tmp_path / "cache")
    assert list(first["from_cache"]) == [False] and list(second["from_cache"]) == [True]
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1


def test_curly_quotes_are_parsed_straight_and_quoted_as_written(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text("Joint local area SEND inspection in Saltmere\n\n"
                    "This has damaged parents’ trust in the ‘front door’ service.", encoding="utf-8")
    audit = framing.analyse(path)
    [att] = [a for a in audit.attributions if a.lexicon_entry == "trust-in"]
    assert (att.source, att.cue) == ("PARENT_CARER", "EMOTION")  # "parents’" read as a possessive
    assert "parents’" in att.sentence and "‘front door’" in att.sentence
    assert att.sentence == audit.text[att.sentence_start:att.sentence_end]
