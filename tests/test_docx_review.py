"""The Word round trip: comments on the flagged cues, the draft's text unchanged, Word suppressions."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from framing.audit import audit_document
from framing.docx_review import AUTHOR, DocxReviewError, annotate_docx, runs_between
from framing.ingest import load
from framing.lint import BELIEF, EMOTION, KNOWLEDGE, Settings, lint
from framing.pipeline import load_pipeline
from framing.suppress import read_docx_suppressions, read_source


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(framing_model=False)


def build_draft(path: Path, ignore: str | None = "framing-ignore: the children's own words") -> Path:
    """A draft whose cues cross run boundaries and formatting (a bold cue, a cue split inside a word)."""
    document = docx.Document()
    document.add_heading("Eastmere: draft report", 1)
    p = document.add_paragraph("Parents and carers ")
    p.add_run("feel").bold = True
    p.add_run(" that the local offer is hard to navigate. Many families are wor")
    p.add_run("ried about the wait.\tThey ").italic = True
    p.add_run("said so at the forum.")
    document.add_paragraph("")
    document.add_paragraph("Leaders know that waiting times are too long. Some parents think that communication is poor.")
    last = document.add_paragraph("Children say that they enjoy the youth council.")
    if ignore is not None:
        document.add_comment(last.runs, text=ignore, author="Writer", initials="W")
    document.save(str(path))
    return path


def check(path: Path, nlp):
    document = load(path)
    source = read_source(path)
    source.suppressions = read_docx_suppressions(path, document.paragraphs)
    return lint(audit_document(document, nlp), source, Settings())


def anchored_texts(path: Path) -> dict[str, str]:
    """Comment id -> the text between its range start and end."""
    body = docx.Document(str(path)).element.body
    open_ids: set[str] = set()
    texts: dict[str, str] = {}
    for el in body.iter():
        if el.tag == qn("w:commentRangeStart"):
            open_ids.add(el.get(qn("w:id")))
        elif el.tag == qn("w:commentRangeEnd"):
            open_ids.discard(el.get(qn("w:id")))
        elif el.tag == qn("w:t"):
            for cid in open_ids:
                texts[cid] = texts.get(cid, "") + (el.text or "")
    return texts


def test_runs_between_splits_without_changing_text_or_formatting(tmp_path):
    draft = build_draft(tmp_path / "draft.docx", ignore=None)
    paragraph = docx.Document(str(draft)).paragraphs[1]
    before = paragraph.text
    start = before.index("are worried")
    runs = runs_between(paragraph, start, start + len("are worried"))
    assert "".join(r.text for r in runs) == "are worried" and paragraph.text == before
    assert [r.italic for r in runs] == [None, True]  # "wor" kept its plain run, "ried" its italic one
    tab = before.index("\t")
    assert "".join(r.text for r in runs_between(paragraph, tab - 5, tab + 5)) == before[tab - 5:tab + 5]
    assert paragraph.text == before


def test_round_trip_comments_on_each_cue_and_text_unchanged(tmp_path, nlp):
    draft = build_draft(tmp_path / "draft.docx")
    result = check(draft, nlp)
    reviewed = tmp_path / "out" / "reviewed.docx"
    added, skipped = annotate_docx(draft, reviewed, result)
    original, copy = docx.Document(str(draft)), docx.Document(str(reviewed))
    assert [p.text for p in copy.paragraphs] == [p.text for p in original.paragraphs]
    assert [t.cell(0, 0).text for t in copy.tables] == [t.cell(0, 0).text for t in original.tables]
    ours = [c for c in copy.comments if c.author == AUTHOR]
    assert added == len(ours) == len(result.live) and skipped == 0
    anchors = anchored_texts(reviewed)
    for flag, comment in zip(result.live, ours):
        att = result.audit.attributions[flag.attribution]
        assert anchors[str(comment.comment_id)] == att.cue_text
        assert comment.text.startswith(f"framing: {att.cue} framing — {flag.rule}")
        assert "Why: " in comment.text
    emotion = next(c.text for c, f in zip(ours, result.live) if f.rule == EMOTION)
    assert "Suggested rewording: Many families raised the wait as a concern." in emotion
    assert "only when the inspection evidence supports it" in emotion
    knowledge = next(c.text for c, f in zip(ours, result.live) if f.rule == KNOWLEDGE)
    assert "Question to ask: Is this knowledge evidenced" in knowledge
    bold = [r for r in copy.paragraphs[1].runs if r.text == "feel"]
    assert bold and bold[0].bold


def test_word_comment_suppresses_the_sentence(tmp_path, nlp):
    result = check(build_draft(tmp_path / "draft.docx"), nlp)
    enjoy = next(f for f in result.flags if "enjoy" in f.message)
    assert enjoy.suppressed == "the children's own words"
    assert all(f.suppressed is None for f in result.flags if "enjoy" not in f.message)
    believe = next(f for f in result.flags if f.rule == BELIEF and "think" in f.message)
    assert (believe.page, believe.line) == (1, 4)  # Word paragraph 4: heading, paragraph, empty, this one
    reviewed = tmp_path / "reviewed.docx"
    annotate_docx(tmp_path / "draft.docx", reviewed, result)
    texts = {c.text for c in docx.Document(str(reviewed)).comments if c.author == AUTHOR}
    assert not any("enjoy" in t for t in texts)  # no comment on an accepted sentence


def test_word_comment_without_reason_is_reported(tmp_path, nlp):
    result = check(build_draft(tmp_path / "draft.docx", ignore="framing-ignore:"), nlp)
    no_reason = [f for f in result.flags if f.rule == "framing.ignore-without-reason"]
    assert len(no_reason) == 1 and (no_reason[0].line, no_reason[0].col) == (5, 1)
    assert next(f for f in result.flags if "enjoy" in f.message).suppressed == "(no reason given)"


def test_refuses_to_overwrite_the_draft(tmp_path, nlp):
    draft = build_draft(tmp_path / "draft.docx")
    with pytest.raises(DocxReviewError, match="new file"):
        annotate_docx(draft, draft, check(draft, nlp))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_reviewed_copy_opens_in_libreoffice(tmp_path, nlp):
    import pikepdf

    draft = build_draft(tmp_path / "draft.docx")
    reviewed = tmp_path / "reviewed.docx"
    added, _ = annotate_docx(draft, reviewed, check(draft, nlp))
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                           "--convert-to", 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
                           "--outdir", str(tmp_path), str(reviewed)],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "reviewed.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    with pikepdf.open(pdf) as document:
        notes = [str(a.get("/Contents", "")) for page in document.pages for a in page.get("/Annots", [])
                 if a.get("/Subtype") == "/Text"]
    assert sum(n.startswith("framing: ") for n in notes) == added
