"""The report stage: HTML page, JSON file and terminal summary, on audits built by hand."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from lxml import html as lxml_html
from rich.console import Console

from framing.attribution import Attribution
from framing.audit import Audit
from framing.report.figures import measured_accuracy
from framing.report import SCHEMA_PATH, ReportError, audit_to_dict, print_summary, render_html, write_html, write_json
from framing.scoring import score
from htmlcheck import assert_well_formed

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

PAGE_1 = [
    "Area SEND inspection of Northmoor Local Area Partnership",
    "Parents and carers feel that communication from the local authority is poor. "
    "Leaders know that waiting times for assessments are too long.",
    "Some parents are worried about the wait for speech and language therapy. "
    "Children and young people told inspectors that they enjoy the holiday clubs.",
    "Parents said <script>alert(1)</script> &amp; \"quoted\" 'text' about the panel.",
]
PAGE_2 = [
    "Practitioners report that training has improved their practice. Leaders understand the needs of the area "
    "well. Senior leaders in health recognise that there is more to do.",
    "Many families say that they are not kept informed. Children feel safe in their schools.",
]
SPECS = [  # sentence (a unique substring), source, cue, source class, framing class, quantifier
    ("Parents and carers feel that", "Parents and carers", "feel", "PARENT_CARER", "BELIEF", "NONE"),
    ("Leaders know that waiting", "Leaders", "know", "LEADER", "FACTIVE", "NONE"),
    ("Some parents are worried", "Some parents", "are worried", "PARENT_CARER", "EMOTION", "SOME"),
    ("Children and young people told", "Children and young people", "told inspectors", "CHILD_YP", "REPORT", "NONE"),
    ("Parents said <script>", "Parents", "said", "PARENT_CARER", "REPORT", "NONE"),
    ("Practitioners report that", "Practitioners", "report", "PRACTITIONER", "REPORT", "NONE"),
    ("Leaders understand the needs", "Leaders", "understand", "LEADER", "FACTIVE", "NONE"),
    ("Senior leaders in health recognise", "Senior leaders in health", "recognise", "LEADER", "FACTIVE", "NONE"),
    ("Many families say that", "Many families", "say", "PARENT_CARER", "REPORT", "MANY"),
    ("Children feel safe", "Children", "feel", "CHILD_YP", "EMOTION", "NONE"),
]


def sentence_span(text: str, marker: str) -> tuple[int, int]:
    """The sentence holding `marker`: from after the previous full stop (or paragraph start) to its own."""
    at = text.index(marker)
    return sentence_around(text, at, at + len(marker))


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    full_stop = text.rfind(". ", 0, start)
    begin = max(full_stop + 2 if full_stop >= 0 else 0, text.rfind("\n", 0, start) + 1)
    return begin, max(text.find(".", end) + 1, end)


def attribution(text: str, marker: str, source: str, cue: str, source_class: str, cue_class: str,
                quantifier: str) -> Attribution:
    start, end = sentence_span(text, marker)
    source_start = text.index(source, start)
    after_source = text.find(cue, source_start + len(source), end)
    cue_start = after_source if after_source >= 0 else text.index(cue, start)
    return Attribution(
        source=source_class, cue=cue_class, quantifier=quantifier,
        source_start=source_start, source_end=source_start + len(source),
        cue_start=cue_start, cue_end=cue_start + len(cue), source_text=source, cue_text=cue,
        sentence_start=start, sentence_end=end, sentence=text[start:end],
        rule="verbal-subject", lexicon_entry=cue.split()[0], lexicon_note="A test lexicon note.",
    )


def build(pages: list[list[str]], specs: list[tuple], name: str = "northmoor_2024_1", **extra) -> Audit:
    text, page_starts = "", []
    for page in pages:
        page_starts.append(len(text) + (2 if text else 0))
        text = "\n\n".join([text, *page]) if text else "\n\n".join(page)
    atts = [attribution(text, *spec) for spec in specs]
    return Audit(
        path=f"reports/{name}.pdf", name=name, text=text, page_starts=page_starts, format="pdf",
        attributions=atts, score=score(atts),
        provenance={"framing_version": "0.1.0", "spacy_pipeline": "en_core_web_sm", "spacy_pipeline_version": "3.8.0",
                    "lexicon_version": "1.0.0", "framing_model": "rules only"},
        timings={"ingest": 0.12, "nlp": 1.5, "total": 1.7}, **extra,
    )


@pytest.fixture
def audit() -> Audit:
    return build([PAGE_1, PAGE_2], SPECS, warnings=["page 3: <odd> layout & tables skipped"],
                 metadata={"local_area": "Northmoor & District", "inspection_dates": "1 to 5 July 2024"})


def report_paragraph_text(doc) -> list[str]:
    """Text of the report-text paragraphs without the labels and page markers the page adds."""
    out = []
    for p in doc.xpath('//div[@class="report-text"]/p'):
        for extra in p.xpath('.//a[contains(@class, "tag")] | .//span[contains(@class, "page-inline")]'):
            extra.drop_tree()
        out.append(p.text_content())
    return out


# ---------------------------------------------------------------- HTML

def test_html_escapes_every_piece_of_report_text(audit):
    page = render_html(audit)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&amp;amp;" in page  # the literal "&amp;" of the report text
    assert "&#34;quoted&#34;" in page and "&#39;text&#39;" in page
    assert "Northmoor &amp; District" in page and "&lt;odd&gt; layout &amp; tables skipped" in page
    assert page.count("<script") == 1  # the page's own inline script only
    assert "<title>Framing audit: Northmoor &amp; District: area SEND inspection</title>" in page


def test_title_falls_back_to_the_file_stem():
    doc = lxml_html.fromstring(render_html(build([PAGE_1], SPECS[:3])))
    assert doc.xpath("//h1")[0].text == "northmoor_2024_1"


def test_html_is_well_formed_and_keeps_the_text(audit):
    page = render_html(audit)
    assert_well_formed(page)
    doc = lxml_html.fromstring(page)
    assert report_paragraph_text(doc) == PAGE_1 + PAGE_2
    assert doc.get("lang") == "en"


def test_html_makes_no_network_request(audit):
    audit.text = audit.text.replace("Area SEND", "See https://example.org/plan. Area SEND")
    page = render_html(audit)
    doc = lxml_html.fromstring(page)
    for element in doc.iter():
        for name in ("src", "href", "action", "srcset", "poster", "data", "{http://www.w3.org/1999/xlink}href"):
            value = (element.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (element.tag, name, value)
    assert "@import" not in page and "url(" not in page
    assert page.count("https://") == 1  # only the report's own words, as text


def test_source_and_cue_are_marked_differently(audit):
    doc = lxml_html.fromstring(render_html(audit))
    text = doc.xpath('//div[@class="report-text"]')[0]
    sources = [e.text_content() for e in text.xpath('.//span[contains(concat(" ", @class, " "), " src ")]')]
    cues = [(e.get("class"), e.text_content()) for e in text.xpath('.//span[contains(concat(" ", @class, " "), " cue ")]')]
    assert "Parents and carers" in sources and "Senior leaders in health" in sources
    assert ("cue cue-BELIEF", "feel") in cues and ("cue cue-EMOTION", "are worried") in cues
    cue_tags = [t.text_content() for t in text.xpath('.//a[contains(@class, "cue-tag")]')]
    source_tags = [t.text_content() for t in text.xpath('.//a[contains(@class, "src-tag")]')]
    assert "(framing: BELIEF)" in cue_tags and "(source: parent/carer)" in source_tags


def test_page_markers_come_before_each_page(audit):
    page = render_html(audit)
    doc = lxml_html.fromstring(page)
    assert doc.get_element_by_id("page-1") is not None and doc.get_element_by_id("page-2") is not None
    assert page.index('id="page-2"') < page.index(">Practitioners</span>") < page.index("</main>")
    assert page.index('id="page-1"') < page.index("Area SEND inspection of Northmoor Local Area Partnership</p>")


def test_flag_shows_explanation_suggestion_caveat_and_link(audit):
    doc = lxml_html.fromstring(render_html(audit))
    flag = doc.get_element_by_id("flag-0")
    content = flag.text_content()
    assert "‘feel’ presents what parents and carers said as a belief (BELIEF)" in content
    assert "Parents and carers told inspectors that communication from the local authority is poor." in content
    assert "only if the evidence supports it" in content
    assert "right only when the inspection evidence supports it" in doc.get_element_by_id("flags").text_content()
    link = flag.xpath('.//a[@href="#att-0"]')
    assert link and doc.get_element_by_id("att-0") is not None
    question = doc.get_element_by_id("flag-1").text_content()
    assert "Is this knowledge evidenced in the inspection, or a claim leaders made?" in question


def test_flags_put_families_belief_and_emotion_first(audit):
    doc = lxml_html.fromstring(render_html(audit))
    order = [li.get("id") for li in doc.xpath('//ol[@class="flags"]/li')]
    assert order == ["flag-0", "flag-2", "flag-9", "flag-1", "flag-6", "flag-7"]


def test_headline_gives_signed_points_interval_counts_and_verdict(audit):
    doc = lxml_html.fromstring(render_html(audit))
    card = doc.xpath('//section[@id="headline"]//div[contains(@class, "primary")]')[0].text_content()
    c = audit.score.asymmetry
    assert f"+{c.difference * 100:.1f} points" in card
    assert "95% interval:" in card and "Log-odds ratio:" in card
    assert "Families: 3 of 6 attributions framed as belief or emotion; professionals: 0 of 4." in card
    assert f"Verdict: {c.verdict}." in card


def test_not_enough_evidence_is_said_plainly():
    specs = [SPECS[0], SPECS[2], SPECS[1], SPECS[6], SPECS[7]]  # two families' attributions only
    audit = build([PAGE_1, PAGE_2], specs)
    page = render_html(audit)
    doc = lxml_html.fromstring(page)
    card = doc.xpath('//section[@id="headline"]//div[contains(@class, "primary")]')[0].text_content()
    assert "Not enough evidence" in card and "points" not in card
    assert "families: 2 of 2" in card.lower()
    data = audit_to_dict(audit)
    assert data["score"]["asymmetry"]["enough_evidence"] is False
    assert data["score"]["asymmetry"]["difference"] is None
    console = Console(record=True, width=200)
    print_summary([audit], console)
    assert "asymmetry: not enough evidence" in console.export_text()


def test_overlapping_and_shared_spans_give_well_formed_html():
    text_page = ["Leaders’ views are that parents, carers and children feel listened to by the team.",
                 "They said that they feel included in planning meetings at school."]
    specs = [
        # source and cue of one attribution overlap ("views" inside "Leaders’ views")
        ("Leaders’ views are", "Leaders’ views", "views", "LEADER", "BELIEF", "NONE"),
        # two coordinated sources share one cue span
        ("Leaders’ views are", "parents, carers", "feel", "PARENT_CARER", "EMOTION", "NONE"),
        ("Leaders’ views are", "children", "feel", "CHILD_YP", "EMOTION", "NONE"),
        # nested attributions in one sentence
        ("They said that", "They", "said", "CHILD_YP", "REPORT", "NONE"),
        ("They said that", "they", "feel", "CHILD_YP", "EMOTION", "NONE"),
    ]
    audit = build([text_page], specs)
    audit.attributions[0].source_start = audit.text.index("Leaders’ views")  # overlap the cue
    audit.attributions[0].cue_start = audit.text.index("views")
    audit.attributions[0].cue_end = audit.attributions[0].cue_start + len("views are that")  # crosses a source
    page = render_html(audit)
    assert_well_formed(page)
    doc = lxml_html.fromstring(page)
    assert report_paragraph_text(doc) == text_page
    for i in range(len(specs)):
        assert len(doc.xpath(f'//*[@id="att-{i}"]')) == 1
    shared = doc.xpath('//div[@class="report-text"]//span[@data-cue="1 2"]')
    assert [s.text_content() for s in shared] == ["feel"]


def test_source_framing_table_and_chart_are_accessible(audit):
    doc = lxml_html.fromstring(render_html(audit))
    table = doc.xpath('//section[@id="table"]//table')[0]
    assert table.xpath("caption") and table.xpath('.//th[@scope="col"]') and table.xpath('.//th[@scope="row"]')
    parents = [row for row in table.xpath(".//tbody/tr") if row.xpath("th")[0].text == "Parents and carers"][0]
    assert [td.text for td in parents.xpath("td")] == ["families", "0", "2", "1", "1", "4", "50%"]
    svg = doc.xpath('//figure[@class="chart"]/svg')[0]
    assert svg.get("role") == "img" and svg.xpath("title")
    assert "Parents and carers (4)" in svg.text_content() and "report 2 · belief 1 · emotion 1" in svg.text_content()


def test_filters_and_sortable_table_are_real_controls(audit):
    doc = lxml_html.fromstring(render_html(audit))
    boxes = doc.xpath('//section[@id="filters"]//input[@type="checkbox"]')
    assert {b.get("value") for b in boxes} >= {"PARENT_CARER", "LEADER", "BELIEF", "EMOTION"}
    for box in boxes:
        assert doc.xpath(f'//label[@for="{box.get("id")}"]')
    heads = doc.xpath('//table[@id="att-table"]/thead//th[button]')
    assert len(heads) == 7 and all(h.get("aria-sort") in ("none", "ascending") for h in heads)
    assert doc.get_element_by_id("filters").get("hidden") is not None  # shown by the script only
    assert len(doc.xpath('//table[@id="att-table"]/tbody/tr')) == len(SPECS)


def test_landmarks_skip_link_and_method(audit):
    doc = lxml_html.fromstring(render_html(audit, note="strict F1 0.71 on dev"))
    assert doc.xpath("//header") and doc.xpath("//main[@id='main']") and doc.xpath("//nav")
    assert doc.xpath('//a[@class="skip"]')[0].get("href") == "#main"
    assert doc.xpath('//meta[@name="viewport"]')
    method = doc.get_element_by_id("method").text_content()
    for expected in ("en_core_web_sm", "3.8.0", "Lexicon version", "rules only", "strict F1 0.71 on dev",
                     "1.50 s", "<odd> layout & tables skipped"):
        assert expected in method
    shown = " ".join(lxml_html.fromstring(render_html(audit)).get_element_by_id("method").text_content().split())
    measured = measured_accuracy()
    assert f"attribution F1 {measured['attribution_f1']:.2f}" in shown and measured["measured"] in shown
    assert measured["data"] in shown and "families' attributions" in shown


@pytest.mark.parametrize("families, professionals, warned", [
    (0.78, 0.86, "Families' attributions were missed more often"),
    (0.92, 0.86, "Professionals' attributions were missed more often"),
    (0.86, 0.87, None),
])
def test_the_accuracy_note_names_whichever_voice_is_missed_more(monkeypatch, families, professionals, warned):
    import framing.report.figures as figures

    stated = {**measured_accuracy(), "recall_families": families, "recall_professionals": professionals}
    monkeypatch.setattr(figures, "measured_accuracy", lambda: stated)
    note = figures.accuracy_note()
    assert f"{round(families * 100)}% of the families'" in note
    assert ("missed more often" not in note) if warned is None else (warned in note and note.count("missed") == 1)


def test_write_html_to_a_bad_path_is_a_one_line_error(audit, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(ReportError) as error:
        write_html(audit, blocker / "audit.html")
    assert "\n" not in str(error.value) and "file.txt" in str(error.value)


# ---------------------------------------------------------------- JSON

def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_json_output_validates_and_round_trips(audit, tmp_path):
    path = write_json(audit, tmp_path / "out" / "audit.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    validator().validate(data)
    assert data["text"] == audit.text and "<script>alert(1)</script>" in data["text"]
    assert data["pages"] == 2 and data["format"] == "pdf" and data["input_path"] == "reports/northmoor_2024_1.pdf"
    assert data["provenance"]["spacy_pipeline"] == "en_core_web_sm"
    assert data["score"]["asymmetry"]["verdict"] == audit.score.asymmetry.verdict
    for a in data["attributions"]:
        assert data["text"][a["cue_start"]:a["cue_end"]] == a["cue_text"]
        assert data["text"][a["source_start"]:a["source_end"]] == a["source_text"]
    assert [a["page"] for a in data["attributions"]] == [1, 1, 1, 1, 1, 2, 2, 2, 2, 2]
    assert data["attributions"][0]["suggestions"][0].startswith("Parents and carers told inspectors")


def test_schema_rejects_a_broken_record(audit):
    data = audit_to_dict(audit)
    data["attributions"][0]["cue"] = "OPINION"
    del data["score"]["minimising"]
    errors = list(validator().iter_errors(data))
    assert len(errors) == 2


def test_schema_describes_every_field():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    missing = []

    def walk(node: dict, where: str) -> None:
        for name, sub in node.get("properties", {}).items():
            if "description" not in sub:
                missing.append(f"{where}.{name}")
            walk(sub, f"{where}.{name}")

    walk(schema, "")
    for name, sub in schema["$defs"].items():
        walk(sub, name)
    assert missing == []


# ---------------------------------------------------------------- terminal

def test_terminal_summary_is_compact_and_families_first(audit):
    console = Console(record=True, width=160)
    print_summary([audit], console)
    out = console.export_text()
    lines = out.splitlines()
    assert lines[0] == "northmoor_2024_1  2 pages, 10 attributions"
    assert "asymmetry: +" in out and "95% interval" in out and "families: 3 of 6" in out
    flags = [line.strip() for line in lines if line.strip().startswith("reports/")]
    assert len(flags) == 5
    assert flags[0].startswith("reports/northmoor_2024_1.pdf:1: BELIEF Parents and carers “feel” — Parents and carers")
    assert flags[2].startswith("reports/northmoor_2024_1.pdf:2: EMOTION Children “feel” — Children feel safe")
    assert "warning: page 3: <odd> layout & tables skipped" in out


# ---------------------------------------------------------------- real reports (read, never copied)

@pytest.mark.real_data
def test_real_report_with_gold_attributions_renders_and_validates():
    gold = DATA / "gold" / "dev.jsonl"
    if not gold.exists():
        pytest.skip("../shared/data is not present")
    record = json.loads(gold.read_text(encoding="utf-8").splitlines()[0])
    text = record["text"]
    atts = []
    for g in record["attributions"]:
        start, end = sentence_around(text, min(g["source_start"], g["cue_start"]), max(g["source_end"], g["cue_end"]))
        atts.append(Attribution(
            source=g["source"], cue=g["cue"], quantifier=g["quantifier"],
            source_start=g["source_start"], source_end=g["source_end"], cue_start=g["cue_start"], cue_end=g["cue_end"],
            source_text=text[g["source_start"]:g["source_end"]], cue_text=text[g["cue_start"]:g["cue_end"]],
            sentence_start=start, sentence_end=end, sentence=text[start:end], rule="gold", lexicon_entry="gold"))
    breaks = [m.start() for m in re.finditer(r"\n\n", text)]
    audit = Audit(path=record["id"] + ".pdf", name=record["id"], text=text,
                  page_starts=[0] + breaks[len(breaks) // 2: len(breaks) // 2 + 1], format="pdf",
                  attributions=atts, score=score(atts), provenance={"framing_version": "0.1.0"})
    page = render_html(audit)
    assert_well_formed(page)
    doc = lxml_html.fromstring(page)
    assert all(len(doc.xpath(f'//*[@id="att-{i}"]')) == 1 for i in range(len(atts)))
    validator().validate(audit_to_dict(audit))
