"""The linter: rule ids, severities, positions in the file as written, suppressions, the bar, SARIF, HTML."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from framing.audit import audit_document
from framing.ingest import load, load_text
from framing.lint import (ASYMMETRY, BELIEF, EMOTION, KNOWLEDGE, NO_REASON, Settings, lint, parse_fail_on,
                          render_lint_html, rules, sarif, summary_line, text_lines)
from framing.pipeline import load_pipeline
from framing.report import render_html
from framing.suppress import read_source

# Written for these tests, in the register of an area SEND inspection report.
LOPSIDED = """Parents feel that the local offer is hard to navigate.
Many families are worried about the wait for an assessment.
Some parents think that communication with the partnership is poor.
Carers are anxious about the transport arrangements.
Leaders know that waiting times are too long.
Practitioners say that the new training has helped them.
Leaders understand the needs of the area well.
School leaders report that attendance has improved.
"""


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(framing_model=False)


def check_file(path: Path, nlp, settings: Settings | None = None):
    """What `framing check` does for one input, without the command line."""
    document = load(path)
    source = read_source(path)
    if source.ingest_text is not None:
        document = load_text(source.ingest_text, str(path))
    source.resolve(document.text)
    return lint(audit_document(document, nlp), source, settings or Settings())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def by_rule(result, rule: str):
    return [f for f in result.flags if f.rule == rule]


# ---------------------------------------------------------------- the bar

def test_fail_on_terms_parse_and_reject():
    bars = parse_fail_on(["emotion,framing.belief", "asymmetry>0.2", "error", "knowledge"])
    assert [b.rule for b in bars] == [EMOTION, BELIEF, None, None, KNOWLEDGE]
    assert bars[2].threshold == 0.2 and bars[3].severity == "error"
    assert parse_fail_on(["none"]) == []
    for bad in ("loud", "asymmetry>2", "asymmetry<0.1"):
        with pytest.raises(ValueError, match="asymmetry|unknown"):
            parse_fail_on([bad])


def test_every_attribution_flag_has_its_rule_and_default_severity(tmp_path, nlp):
    result = check_file(write(tmp_path, "draft.txt", LOPSIDED), nlp)
    rules_seen = [(f.rule, f.severity) for f in result.flags]
    assert rules_seen.count((BELIEF, "warning")) == 2
    assert rules_seen.count((EMOTION, "warning")) == 2
    assert rules_seen.count((KNOWLEDGE, "info")) == 2
    assert rules_seen[0] == (ASYMMETRY, "warning")  # 4 of 4 against 0 of 4: the interval excludes 0
    assert not [f for f in result.flags if "say" in f.message or "report" in f.message]  # REPORT is never flagged
    assert result.reached == ["warning"]


def test_bars_reached_or_not(tmp_path, nlp):
    path = write(tmp_path, "draft.txt", LOPSIDED)
    for terms, reached in ((["error"], []), (["info"], ["info"]), (["belief"], ["belief"]),
                           (["asymmetry>0.5"], ["asymmetry>0.5"]), (["asymmetry>=1"], ["asymmetry>=1"]),
                           (["none"], []), (["ignore-without-reason"], [])):
        assert check_file(path, nlp, Settings(bars=parse_fail_on(terms))).reached == reached, terms


def test_asymmetry_needs_enough_evidence_and_can_be_raised_by_the_bar(tmp_path, nlp):
    few = write(tmp_path, "few.txt", "Parents feel that the offer is poor.\nLeaders know that plans are late.\n")
    result = check_file(few, nlp, Settings(bars=parse_fail_on(["asymmetry>0.1"])))
    assert by_rule(result, ASYMMETRY) == [] and result.reached == []
    balanced = LOPSIDED.replace("Carers are anxious about", "Carers told inspectors about")
    result = check_file(write(tmp_path, "b.txt", balanced), nlp, Settings(bars=parse_fail_on(["asymmetry>0.5"])))
    assert len(by_rule(result, ASYMMETRY)) == 1 and "95% interval" in by_rule(result, ASYMMETRY)[0].message


def test_severity_override_and_rule_off(tmp_path, nlp):
    settings = Settings(severity={BELIEF: "error", KNOWLEDGE: "off"}, bars=parse_fail_on(["error"]))
    result = check_file(write(tmp_path, "draft.txt", LOPSIDED), nlp, settings)
    assert {f.severity for f in by_rule(result, BELIEF)} == {"error"}
    assert by_rule(result, KNOWLEDGE) == []
    assert result.reached == ["error"]


# ---------------------------------------------------------------- positions

def test_text_positions_are_lines_and_columns_of_the_file(tmp_path, nlp):
    text = "Eastmere draft\n\n  Parents and carers\n  feel that the offer is poor.\n\fSome parents think that plans are late.\n"
    path = write(tmp_path, "draft.txt", text)
    result = check_file(path, nlp)
    lines = text.split("\n")
    flags = by_rule(result, BELIEF)
    assert [(f.page, f.line, f.col) for f in flags] == [(1, 4, 3), (2, 5, 15)]  # the form feed is the first character of line 5
    for f in flags:
        assert lines[f.line - 1][f.col - 1:].startswith(("feel", "think"))
        assert text[f.raw_offset:f.raw_offset + f.length] in ("feel", "think")


def test_html_positions_point_into_the_markup(tmp_path, nlp):
    page = ("<html><head><title>Parents feel</title></head><body>\n<nav>Parents feel welcome</nav>\n"
            "<p>Parents &amp; carers <b>feel</b> that the\n   offer is poor.</p>\n</body></html>\n")
    result = check_file(write(tmp_path, "draft.html", page), nlp)
    (flag,) = by_rule(result, BELIEF)
    assert (flag.line, flag.col) == (3, 28)
    assert page.split("\n")[2][flag.col - 1:].startswith("feel</b>")


def test_pdf_positions_are_paragraph_on_the_page(report_pdf, nlp):
    document = load(report_pdf)
    result = lint(audit_document(document, nlp), read_source(report_pdf), Settings())
    anxious = next(f for f in result.flags if "anxious" in f.message)
    assert (anxious.page, anxious.line) == (3, 2)  # page 3: the heading, then this paragraph
    start = document.text.rfind("\n\n", 0, anxious.offset) + 2
    assert anxious.col == anxious.offset - start + 1 and anxious.raw_offset is None


# ---------------------------------------------------------------- suppressions

def test_txt_suppressions_with_and_without_reason(tmp_path, nlp):
    text = ("Parents feel that the local offer is hard to navigate.\n"
            "# framing-ignore: the parents' survey used this wording\n"
            "Many families are worried about the wait for an assessment.\n\n"
            "<!-- framing-ignore -->\n"
            "Some parents think that communication is poor.\n")
    path = write(tmp_path, "draft.txt", text)
    source = read_source(path)
    assert "framing-ignore" not in source.ingest_text
    result = check_file(path, nlp)
    emotion, = by_rule(result, EMOTION)
    assert emotion.suppressed == "the parents' survey used this wording" and (emotion.line, emotion.col) == (3, 15)
    beliefs = by_rule(result, BELIEF)
    assert [b.suppressed for b in beliefs] == [None, "(no reason given)"]
    no_reason, = by_rule(result, NO_REASON)
    assert (no_reason.line, no_reason.col, no_reason.severity) == (5, 1, "warning")
    assert all("worried" not in line and "think" not in line for line in text_lines(result))
    assert any(NO_REASON in line for line in text_lines(result))


def test_the_comment_line_does_not_join_the_paragraph(tmp_path, nlp):
    text = "Leaders know that plans are late.\n# framing-ignore: quoted\nParents feel that the offer is poor.\n"
    result = check_file(write(tmp_path, "draft.txt", text), nlp)
    assert "#" not in result.audit.text and "quoted" not in result.audit.text
    assert by_rule(result, BELIEF)[0].suppressed == "quoted" and by_rule(result, KNOWLEDGE)[0].suppressed is None


def test_markdown_and_html_suppressions(tmp_path, nlp):
    md = ("# Eastmere draft\n\nParents feel that the offer is poor.\n"
          "<!-- framing-ignore: agreed at moderation -->\nCarers are anxious about transport.\n")
    result = check_file(write(tmp_path, "draft.md", md), nlp)
    assert [f.suppressed for f in result.flags if f.attribution is not None] == [None, "agreed at moderation"]
    assert "framing-ignore" not in result.audit.text
    page = ("<html><body><p>Parents feel that the offer is poor.</p>\n"
            "<!-- framing-ignore: agreed at moderation -->\n<p>Carers are <i>anxious</i> about transport.</p>"
            "</body></html>")
    result = check_file(write(tmp_path, "draft.html", page), nlp)
    assert [f.suppressed for f in result.flags if f.attribution is not None] == [None, "agreed at moderation"]
    assert result.suppressions[0].line == 2


# ---------------------------------------------------------------- outputs

def test_text_lines_and_summary(tmp_path, nlp):
    result = check_file(write(tmp_path, "draft.txt", LOPSIDED), nlp)
    lines = text_lines(result)
    assert lines[1] == (f"{result.audit.path}:1:1:9: warning: Parents “feel”: evidence framed as a belief (BELIEF); "
                        "if the evidence supports it: “Parents told inspectors that the local offer is hard to "
                        "navigate.” [framing.belief]")
    assert summary_line([result], 1, parse_fail_on(["warning"])) == (
        "1 file checked: 0 errors, 5 warnings, 2 info, 0 suppressed; 1 file could not be checked; "
        "fail-on warning: reached (warning)")


def test_sarif_shape(tmp_path, nlp):
    text = "Parents feel that the offer is poor.\n# framing-ignore: quoted\nCarers are anxious about transport.\n"
    result = check_file(write(tmp_path, "draft.txt", text), nlp)
    log = sarif([result], ["missing.pdf: no such file"], "0.1.0")
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "framing" and [r["id"] for r in driver["rules"]] == list(rules())
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in driver["rules"])
    assert run["invocations"][0]["executionSuccessful"] is False
    for item in run["results"]:
        assert driver["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
        assert item["level"] in ("error", "warning", "note") and item["message"]["text"]
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].endswith("draft.txt")
        region = location["region"]
        assert text[region["charOffset"]:region["charOffset"] + region["charLength"]] in ("feel", "are anxious")
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert item["properties"]["page"] == 1 and item["properties"]["suggestions"]
    suppressed = [i for i in run["results"] if "suppressions" in i]
    assert [s["suppressions"][0] for s in suppressed] == [{"kind": "inSource", "justification": "quoted"}]


def test_html_lists_suppressed_flags(tmp_path, nlp):
    text = "Parents feel that the offer is poor.\n# framing-ignore: quoted\nCarers are anxious about transport.\n"
    result = check_file(write(tmp_path, "draft.txt", text), nlp)
    page = lxml_html.fromstring(render_lint_html(result, render_html(result.audit)))
    rows = page.xpath('//section[@id="lint"]//tbody/tr')
    assert [r.get("class") for r in rows] == ["active", "suppressed"]
    assert "suppressed: quoted" in rows[1].text_content() and "framing.emotion" in rows[1].text_content()
    assert page.xpath('//main/section[last()]/@id') == ["lint"]
    assert "only when the inspection evidence supports it" in page.get_element_by_id("lint").text_content()


def test_rewording_is_not_built_around_a_relative_clause(tmp_path, nlp):
    text = ("Some carers are anxious about transport routes which change without notice.\n"
            "Many families are worried about the wait for an assessment.\n")
    result = check_file(write(tmp_path, "draft.txt", text), nlp)
    first, second = by_rule(result, EMOTION)
    assert not any("as a concern" in s for s in first.suggestions)  # not "...change without notice as a concern."
    assert first.suggestions[0] == ("Some carers told inspectors that they are anxious about transport routes which "
                                    "change without notice.")
    assert second.suggestions[0] == "Many families raised the wait for an assessment as a concern."
