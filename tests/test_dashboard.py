"""The corpus dashboard (index.html), on corpus runs built by hand: figures, escaping, accessibility."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from framing.attribution import Attribution
from framing.audit import Audit
from framing.batch import CorpusRun, Failure, Result
from framing.report.dashboard import bootstrap_mean, context, render_dashboard, write_dashboard
from framing.scoring import score
from htmlcheck import assert_well_formed

SUBJECT = {"PARENT_CARER": "Parents", "CHILD_YP": "Young people", "FORUM": "The forum", "LEADER": "Leaders",
           "PRACTITIONER": "Practitioners", "INSPECTOR": "Inspectors", "OTHER": "The data"}
CUE_WORDS = {"FACTIVE": "know", "REPORT": "say", "BELIEF": "feel", "EMOTION": "are worried"}


def audit(name: str, specs: list[tuple[str, str]], metadata: dict | None = None, path: str | None = None) -> Audit:
    """A report whose sentences are '<source> <cue> that the plans are late.', one per (source, cue) spec."""
    text, atts = "", []
    for source, cue in specs:
        start = len(text)
        words = CUE_WORDS[cue]
        sentence = f"{SUBJECT[source]} {words} that the plans are late."
        cue_start = start + len(SUBJECT[source]) + 1
        atts.append(Attribution(
            source=source, cue=cue, quantifier="NONE", source_start=start, source_end=start + len(SUBJECT[source]),
            cue_start=cue_start, cue_end=cue_start + len(words), source_text=SUBJECT[source], cue_text=words,
            sentence_start=start, sentence_end=start + len(sentence), sentence=sentence, rule="verbal-subject",
            lexicon_entry=words.split()[-1], page=1))
        text += sentence + " "
    return Audit(path=path or f"reports/{name}.pdf", name=name, text=text, page_starts=[0], format="pdf",
                 attributions=atts, score=score(atts),
                 provenance={"framing_version": "0.1.0", "spacy_pipeline": "en_core_web_sm", "framing_model": "rules only"},
                 metadata=metadata or {}, timings={"words": 40})


def mix(families: tuple[int, int], professionals: tuple[int, int]) -> list[tuple[str, str]]:
    """(subjective, not subjective) attributions for each voice."""
    return ([("PARENT_CARER", "BELIEF")] * families[0] + [("PARENT_CARER", "REPORT")] * families[1]
            + [("LEADER", "EMOTION")] * professionals[0] + [("LEADER", "FACTIVE")] * professionals[1])


def meta(area: str, year: int, outcome: str, kind: str = "full_inspection_2023") -> dict:
    return {"local_area": area, "year": year, "outcome": outcome, "document_type": kind}


@pytest.fixture
def run() -> CorpusRun:
    audits = [
        ("ambleford", audit("ambleford", mix((6, 2), (1, 7)), meta("Ambleford", 2023, "significant_concerns"))),
        ("brackenhurst", audit("brackenhurst", mix((2, 6), (0, 8)), meta("Brackenhurst", 2024, "positive_experiences"))),
        ("calder", audit("calder", mix((4, 4), (3, 5)), meta("Calder Vale", 2024, "inconsistent_experiences"))),
        ("dunmere", audit("dunmere", mix((5, 1), (0, 5)), meta("Dunmere", 2018, "wsoa_required", "outcome_letter_2016"))),
        ("thin", audit("thin", mix((1, 0), (0, 2)), {})),  # not enough evidence
    ]
    return CorpusRun([Result(doc_id, a, cached=False) for doc_id, a in audits],
                     [Failure("reports/broken.pdf", "not a PDF (no %PDF header: corrupt or another format)")],
                     seconds=3.2)


def test_page_is_well_formed_with_landmarks_and_ordered_headings(run):
    page = render_dashboard(run)
    assert_well_formed(page)
    doc = lxml_html.fromstring(page)
    assert doc.get("lang") == "en"
    for landmark in ("header", "main", "footer", "nav"):
        assert len(doc.findall(f".//{landmark}")) == 1
    levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    for element in doc.iter():  # every aria-labelledby points at an element
        for ref in (element.get("aria-labelledby") or "").split():
            assert ref in ids


def test_everything_from_the_reports_is_escaped(run):
    hostile = "<script>alert(1)</script>"
    run.results.append(Result("hostile", audit("hostile", mix((3, 1), (1, 3)), meta(f"Eastwick {hostile}", 2024, f"x{hostile}"),
                                                path=f"reports/{hostile}.pdf"), cached=True))
    run.results[-1].audit.attributions[0].cue_text = f"feel {hostile}"
    run.results[-1].audit.warnings.append(f"odd layout {hostile}")
    run.failures.append(Failure(f"reports/{hostile}.txt", f"empty file {hostile}"))
    page = render_dashboard(run)
    assert page.count("<script") == 1  # the page's own script
    assert "alert(1)" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"<[^>]*\bon\w+=", page)  # no inline event handler anywhere


def test_page_makes_no_network_request(run):
    page = render_dashboard(run)
    doc = lxml_html.fromstring(page)
    for element in doc.iter():
        for attribute in ("src", "href", "action", "srcset", "data"):
            value = element.get(attribute) or ""
            assert not re.match(r"^\s*(https?:|//|ftp:)", value), (element.tag, value)
    assert not doc.findall(".//link") and not doc.findall(".//img") and not doc.findall(".//iframe")
    assert "url(" not in page and "@import" not in page
    assert "default-src 'none'" in page
    links = [a.get("href") for a in doc.iter("a")]
    assert "audits/ambleford.html" in links


def test_pooled_figure_and_per_report_mean_say_which_is_which(run):
    page = render_dashboard(run)
    ctx = context(run)
    pooled = score(a for r in run.results for a in r.audit.attributions).asymmetry
    assert ctx["pooled_interval"].point == pytest.approx(pooled.difference * 100)
    assert ctx["pooled_interval"].low == pytest.approx(pooled.difference_low * 100)
    per_report = [r.audit.score.asymmetry.difference for r in run.results[:4]]
    assert ctx["mean_documents"] == 4
    assert ctx["mean"].point == pytest.approx(sum(per_report) / 4 * 100)
    assert ctx["mean"].low <= ctx["mean"].point <= ctx["mean"].high
    assert "All attributions pooled" in page and "Mean of the per-report figures" in page
    assert "bootstrap over reports" in page and f"fixed seed {ctx['bootstrap_seed']}" in page


def test_bootstrap_is_reproducible_and_needs_three_reports():
    values = [0.1, 0.4, 0.25, 0.6, -0.05]
    first, second = bootstrap_mean(values), bootstrap_mean(values)
    assert first == second
    assert first.point == pytest.approx(26.0)
    assert 0 < first.low < first.point < first.high < 60
    assert bootstrap_mean([0.2, 0.3]) is None


def test_reports_are_ranked_with_intervals_and_thin_ones_listed_apart(run):
    doc = lxml_html.fromstring(render_dashboard(run))
    forest = doc.get_element_by_id("forest")
    labels = [li.find(".//a").text for li in forest.iter("li")]
    points = {r.doc_id: r.audit.score.asymmetry.difference for r in run.results[:4]}
    assert labels == ["Dunmere (2018)", "Ambleford (2023)", "Brackenhurst (2024)", "Calder Vale (2024)"]
    assert sorted(points.values(), reverse=True) == [points[k] for k in ("dunmere", "ambleford", "brackenhurst", "calder")]
    for li in forest.iter("li"):
        value = li.find_class("f-value")[0].text_content()
        assert re.search(r"points \(.+ to .+ points\)", value)  # the interval is written, not only drawn
    not_enough = doc.xpath("//section[@id='per-document']//ul[@class='plain-list']/li")
    assert [li.find("a").text for li in not_enough] == ["thin"]


def test_groups_by_type_outcome_and_year_are_pooled(run):
    ctx = context(run)
    groups = {dimension: rows for _, dimension, rows in ctx["groups"]}
    years = {row["value"]: row for row in groups["year"]}
    assert list(years) == ["2018", "2023", "2024", "Not read from the report"]
    both = score(a for r in run.results[1:3] for a in r.audit.attributions).asymmetry
    assert years["2024"]["documents"] == 2 and years["2024"]["interval"].point == pytest.approx(both.difference * 100)
    assert years["2024"]["families"] == f"{both.families_k} of {both.families_n}"
    types = [row["value"] for row in groups["document_type"]]
    assert types == ["Full inspection (2023 framework)", "Outcome letter (2016 framework)", "Not read from the report"]
    outcomes = [row["value"] for row in groups["outcome"]]
    assert "Widespread or systemic failings" in outcomes and "Written statement of action required" in outcomes


def test_heatmap_and_common_cues_are_numbers_not_only_colour(run):
    ctx = context(run)
    parents = next(row for row in ctx["heatmap"] if row["source"] == "PARENT_CARER")
    belief = next(cell for cell in parents["cells"] if cell["cue"] == "BELIEF")
    total = sum(len([a for a in r.audit.attributions if a.source == "PARENT_CARER"]) for r in run.results)
    assert belief["n"] == 18 and parents["total"] == total and belief["share"] == f"{18 / total * 100:.0f}%"
    doc = lxml_html.fromstring(render_dashboard(run))
    heat = doc.find_class("heat")[0]
    assert heat.find("caption") is not None
    assert all(td.text_content().strip() for td in heat.iter("td"))  # every cell written out
    families, professionals = ctx["top_cues"]
    assert families[2][0] == {"text": "feel", "cue": "BELIEF", "label": "Belief", "n": 18,
                              "share": families[2][0]["share"]}
    assert {c["text"] for c in professionals[2]} == {"know", "are worried"}


def test_sortable_filterable_table_uses_real_controls(run):
    doc = lxml_html.fromstring(render_dashboard(run))
    table = doc.get_element_by_id("doc-table")
    heads = table.findall(".//thead/tr/th")
    sortable = [th for th in heads if th.find("button") is not None]
    assert len(sortable) == 8 and all(th.get("aria-sort") in ("ascending", "none") for th in sortable)
    assert all(th.find("button").get("type") == "button" for th in sortable)
    rows = table.findall(".//tbody/tr")
    assert len(rows) == len(run.results)
    assert [r.find("th/a").get("href") for r in rows][0] == "audits/ambleford.html"
    for select in doc.iter("select"):
        label = doc.xpath(f"//label[@for='{select.get('id')}']")
        assert label and select.find("option").get("value") == ""
    status = doc.get_element_by_id("filter-status")
    assert status.get("role") == "status" and status.get("aria-live") == "polite"
    failures = doc.get_element_by_id("failures").text_content()
    assert "reports/broken.pdf" in failures and "not a PDF" in failures


def test_write_dashboard_writes_the_file(run, tmp_path):
    target = write_dashboard(run, tmp_path / "site" / "index.html")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.browser
def test_dashboard_works_by_keyboard_and_at_375_pixels(run, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    playwright = pytest.importorskip("playwright.sync_api")
    if not chromium:
        pytest.skip("chromium not installed (scripts/install-browser)")
    page_path = write_dashboard(run, tmp_path / "index.html")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 375, "height": 800})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_path.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        asymmetry = page.locator("#doc-table thead th", has_text="Asymmetry")
        asymmetry.locator("button").focus()
        page.keyboard.press("Enter")
        assert asymmetry.get_attribute("aria-sort") == "ascending"
        first = page.locator("#doc-table tbody tr").first.locator("th a").inner_text()
        assert first == "Calder Vale (2024)"
        page.keyboard.press("Space")
        assert asymmetry.get_attribute("aria-sort") == "descending"
        assert page.locator("#doc-table tbody tr").first.locator("th a").inner_text() == "Dunmere (2018)"
        assert page.locator("#doc-table tbody tr").last.locator("th a").inner_text() == "thin"  # no figure: last
        page.select_option("#filter-year", "2024")
        visible = page.locator("#doc-table tbody tr:visible")
        assert visible.count() == 2
        assert page.locator("#forest li:visible").count() == 2
        assert "Showing 2 of 5 reports" in page.locator("#filter-status").inner_text()
        page.click("#filter-reset")
        assert page.locator("#doc-table tbody tr:visible").count() == 5
        assert requests == [page_path.as_uri()]
        browser.close()
