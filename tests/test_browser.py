"""The HTML audit and the corpus dashboard in a real browser: Debian's chromium driven by Playwright.

Every page is opened from file:// with every request routed: anything that is not file: or data: is
recorded and aborted, and a test fails on it. Without playwright or /usr/bin/chromium the tests skip
and say why, except under CI (CI=true), where they fail: CI must run them.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import subprocess
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Callable

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
DESKTOP, PHONE = 1280, 375
CLASSES = {"FACTIVE", "REPORT", "BELIEF", "EMOTION"}

# A report written for these tests, in the register of an area SEND inspection report; "\f" starts page 2.
# Two lines carry markup that must reach the page as text, never as elements or script.
REPORT = """Area SEND inspection of Ashcombe Local Area Partnership

Inspection dates: 12 to 16 May 2025

What is it like to be a child or young person with SEND in this area?

Parents and carers feel that they are passed from one service to another. Many families are worried about the wait for an assessment of their child's needs. Some parents said that the local offer website is hard to use.

Leaders know that too many plans are finalised late. They recognise that communication with families must improve. Practitioners report that joint training has helped them to spot needs earlier.

Children and young people told inspectors that they like the youth council. A few young people feel nervous about starting college. Children feel safe in their schools.
\f
What is the area partnership doing that is effective?

Leaders understand the strengths of their special schools. Health visitors identify speech and language needs early. The parent carer forum says that leaders now listen to its members.

Some parents believe that reviews focus on paperwork rather than on their child. Practitioners know that the wait for therapy is too long.

One parent wrote <script>window.framingInjected = 1</script> & "quoted" <img src=x onerror="window.framingInjected = 2"> in a survey.

What does the area partnership need to do better?

Some families are frustrated that they are not told who to contact. School leaders say that they value the outreach team.
"""


# ---------------------------------------------------------------------------------------------- setup


def _missing() -> str | None:
    if find_spec("playwright") is None:
        return "playwright is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"Debian's chromium is not at {CHROMIUM} (as root: bash scripts/install-browser)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests must run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def audit_html(tmp_path_factory) -> Path:
    """`framing check` on REPORT through the installed CLI: the page a user opens."""
    folder = tmp_path_factory.mktemp("audit")
    source = folder / "ashcombe.txt"
    source.write_text(REPORT, encoding="utf-8")
    command = [_framing(), "check", str(source), "--out", str(folder / "out"), "--format", "html,json",
               "--fail-on", "none", "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return folder / "out" / "ashcombe.html"


def _framing() -> str:
    return shutil.which("framing", path=str(Path(sys.executable).parent)) or "framing"


@dataclass
class Guard:
    """What a page did: every request, the ones stopped because they left the machine, and errors."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _local(url: str) -> bool:
    return url.startswith(("file:", "data:"))


@pytest.fixture
def open_page(browser) -> Callable:
    contexts = []

    def open_(path: Path, width: int = DESKTOP, bypass_csp: bool = False):
        context = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block",
                                      bypass_csp=bypass_csp)
        contexts.append(context)
        guard = Guard()

        def route(route) -> None:
            if _local(route.request.url):
                route.continue_()
            else:
                guard.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        context.set_default_timeout(5000)
        page = context.new_page()
        page.on("request", lambda request: guard.requests.append(request.url))
        page.on("console", lambda message: guard.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: guard.errors.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        return page, guard

    yield open_
    for context in contexts:
        context.close()


def assert_clean(guard: Guard) -> None:
    assert guard.errors == []
    assert guard.blocked == []
    assert [url for url in guard.requests if not _local(url)] == []


def visible_rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#att-table tbody tr",
        "rows => rows.filter(r => !r.hidden).map(r => ({source: r.dataset.source, cue: r.dataset.cue,"
        " cells: Array.from(r.cells, c => c.textContent.trim())}))",
    )


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab from the top of the page until `selector` has the keyboard focus."""
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in result["violations"]]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


# ---------------------------------------------------------------------------------------------- the audit


def test_audit_renders_without_errors_or_network_requests(open_page, audit_html):
    page, guard = open_page(audit_html)
    data = json.loads(audit_html.with_suffix(".json").read_text(encoding="utf-8"))
    assert page.title().startswith("Framing audit:")
    assert page.is_visible("#filters")  # the script ran: the filter panel is shown only by it
    assert len(visible_rows(page)) == len(data["attributions"]) >= 15
    method = page.inner_text("#method")
    assert f"Words parsed\n{data['words']}" in method and "Time: words" not in method
    assert_clean(guard)


def test_report_markup_reaches_the_page_as_text(open_page, audit_html):
    page, guard = open_page(audit_html)
    assert page.evaluate("window.framingInjected") is None
    text = page.inner_text(".report-text")
    assert '<script>window.framingInjected = 1</script> & "quoted" <img src=x' in text
    assert page.locator(".report-text img, .report-text script").count() == 0
    assert_clean(guard)


PROBE = "() => fetch('http://127.0.0.1:9/probe.json').catch(() => null)"


def test_network_guard_stops_and_records_a_request(open_page, audit_html):
    """Control: a request leaving file:// is caught, so an empty list in the other tests means something."""
    page, guard = open_page(audit_html, bypass_csp=True)
    page.evaluate(PROBE)
    assert guard.blocked == ["http://127.0.0.1:9/probe.json"]


def test_the_pages_own_policy_forbids_requests(open_page, audit_html):
    page, guard = open_page(audit_html)
    page.evaluate(PROBE)
    assert guard.requests == [audit_html.as_uri()] and guard.blocked == []
    assert any("Content Security Policy" in error for error in guard.errors)


def test_source_and_framing_filters_work_by_mouse(open_page, audit_html):
    page, guard = open_page(audit_html)
    everything = visible_rows(page)
    parents = sum(row["source"] == "PARENT_CARER" for row in everything)
    assert parents >= 3

    page.click("label[for=f-source-PARENT_CARER]")
    rows = visible_rows(page)
    assert len(rows) == len(everything) - parents
    assert all(row["source"] != "PARENT_CARER" for row in rows)
    assert page.locator("ol.flags > li:visible").count() < page.locator("ol.flags > li").count()
    assert page.inner_text("#filter-status") == f"Showing {len(rows)} of {len(everything)} attributions."
    assert page.locator(".report-text .tag-PARENT_CARER:visible").count() == 0  # its source labels go too

    page.click("label[for=f-cue-FACTIVE]")
    rows = visible_rows(page)
    assert rows and all(row["source"] != "PARENT_CARER" and row["cue"] != "FACTIVE" for row in rows)
    assert page.locator(".report-text .cue-FACTIVE.off-cue").count() == page.locator(".report-text .cue-FACTIVE").count()

    page.click("#filter-reset")
    assert len(visible_rows(page)) == len(everything)
    assert page.locator("#filters input:not(:checked)").count() == 0
    assert_clean(guard)


def test_filters_work_by_keyboard(open_page, audit_html):
    page, guard = open_page(audit_html)
    total = len(visible_rows(page))
    tab_to(page, "#f-cue-BELIEF")
    page.keyboard.press("Space")
    rows = visible_rows(page)
    assert 0 < len(rows) < total and all(row["cue"] != "BELIEF" for row in rows)
    assert not page.is_checked("#f-cue-BELIEF")

    tab_to(page, "#filter-reset")
    page.keyboard.press("Enter")
    assert len(visible_rows(page)) == total and page.is_checked("#f-cue-BELIEF")
    assert_clean(guard)


def column(page, name: str) -> list[str]:
    index = page.eval_on_selector_all("#att-table thead th", "(ths, n) => ths.findIndex(th => th.innerText.trim()"
                                      ".startsWith(n))", name)
    return [row["cells"][index] for row in visible_rows(page)]


def sort_state(page, name: str) -> str:
    return page.locator("#att-table thead th", has=page.get_by_role("button", name=name, exact=True)).get_attribute(
        "aria-sort")


def test_table_sorts_by_mouse(open_page, audit_html):
    page, guard = open_page(audit_html)
    page.get_by_role("button", name="Cue", exact=True).click()
    cues = column(page, "Cue")
    assert sort_state(page, "Cue") == "ascending"
    assert cues == sorted(cues, key=str.casefold) and cues != column_unsorted(page)

    page.get_by_role("button", name="Cue", exact=True).click()
    assert sort_state(page, "Cue") == "descending"
    assert column(page, "Cue") == list(reversed(cues))

    page.get_by_role("button", name="Page", exact=True).click()
    pages = [int(p) for p in column(page, "Page")]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 2
    assert sort_state(page, "Cue") == "none" and sort_state(page, "Page") == "ascending"
    assert_clean(guard)


def column_unsorted(page) -> list[str]:
    """The Cue column in document order (the # column ascending)."""
    return [row["cells"][5] for row in sorted(visible_rows(page), key=lambda row: int(row["cells"][0]))]


def test_table_sorts_by_keyboard(open_page, audit_html):
    page, guard = open_page(audit_html)
    tab_to(page, "#att-table thead th:nth-child(3) button")  # Source class
    page.keyboard.press("Enter")
    classes = column(page, "Source class")
    assert sort_state(page, "Source class") == "ascending" and classes == sorted(classes)
    page.keyboard.press("Space")
    assert sort_state(page, "Source class") == "descending"
    assert column(page, "Source class") == sorted(classes, reverse=True)
    assert_clean(guard)


def test_keyboard_focus_is_visible(open_page, audit_html):
    page, _ = open_page(audit_html)
    page.locator("body").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.is_visible(".skip")  # the skip link shows itself when focused
    for selector in (".skip", "#f-source-PARENT_CARER", "#filter-reset"):
        tab_to(page, selector)
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", selector


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_audit_has_no_serious_accessibility_violation(open_page, audit_html, width):
    page, guard = open_page(audit_html, width)
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.click("label[for=f-source-LEADER]")  # the filtered state too: hidden rows, toggled classes
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert_clean(guard)


SHOWN_TEXT = "t => Array.from(t.childNodes).filter(n => !n.classList || !n.classList.contains('vh'))" \
             ".map(n => n.textContent).join('').trim()"  # a label's text without its screen-reader-only words


def test_colour_is_never_the_only_signal(open_page, audit_html):
    page, _ = open_page(audit_html)
    styles = page.evaluate("""() => {
        const style = s => getComputedStyle(document.querySelector(s));
        const src = style('.report-text .src:not(.cue)'), cue = style('.report-text .cue:not(.src)');
        return {src: [src.borderBottomStyle, src.borderBottomWidth, src.textDecorationLine],
                cue: [cue.borderBottomStyle, cue.textDecorationLine, cue.textDecorationStyle]};
    }""")
    assert styles["src"][0] == "solid" and styles["src"][1] != "0px"
    assert styles["cue"] == ["none", "underline", "dotted"]
    # every highlighted span carries a text label too: the class of its source or of its framing
    labels = page.eval_on_selector_all(".report-text a.tag", "tags => tags.map(t => t.textContent)")
    cue_labels = page.eval_on_selector_all(".report-text a.cue-tag", f"tags => tags.map({SHOWN_TEXT})")
    assert cue_labels and set(cue_labels) <= CLASSES
    assert all(label.startswith(("(source: ", "(framing: ")) for label in labels)  # spoken labels say which
    flags = page.eval_on_selector_all("ol.flags > li .cue-tag", "tags => tags.map(t => t.innerText.trim())")
    assert flags and set(flags) <= CLASSES
    # the chart writes its counts under each bar, so the colours of its segments need no decoding
    assert page.locator("figure.chart text.c-counts").count() == page.locator("figure.chart g").count() > 0


def test_screenshots_at_desktop_and_phone_width(open_page, audit_html):
    for width in (DESKTOP, PHONE):
        page, guard = open_page(audit_html, width)
        path = screenshot(page, f"audit-{width}.png")
        assert path.stat().st_size > 20_000
        # nothing is wider than the screen: wide tables scroll inside their own region, on a phone only
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        scrolling = page.eval_on_selector_all(".table-wrap", "wraps => wraps.filter(w => w.scrollWidth > w.clientWidth)"
                                              ".length")
        assert scrolling == 0 if width == DESKTOP else scrolling > 0
        assert_clean(guard)


# ---------------------------------------------------------------------------------------------- the dashboard

YEARS = {"ashcombe": "12 to 16 May 2025", "brinsley": "3 to 7 June 2024", "corrow": "4 to 8 March 2024",
         "dunstall": "9 to 13 October 2023"}


@pytest.fixture(scope="module")
def dashboard_html(tmp_path_factory) -> Path:
    """`framing corpus` over four reports, one with too little evidence and one broken file."""
    folder = tmp_path_factory.mktemp("corpus")
    reports = folder / "reports"
    reports.mkdir()
    for name, dates in YEARS.items():
        text = REPORT.replace("Ashcombe", name.capitalize()).replace("12 to 16 May 2025", dates)
        (reports / f"{name}.txt").write_text(text, encoding="utf-8")
    (reports / "elmsworth.md").write_text("# Elmsworth\n\nParents feel that they are heard.\n", encoding="utf-8")
    (reports / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    command = [_framing(), "corpus", str(reports), "--out", str(folder / "out"), "--jobs", "1", "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr  # 1: a file failed, every other report written
    return folder / "out" / "index.html"


def report_rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#doc-table tbody tr",
        "rows => rows.filter(r => !r.hidden).map(r => ({year: r.dataset.year,"
        " cells: Array.from(r.cells, c => c.dataset.sort !== undefined ? c.dataset.sort : c.textContent.trim())}))",
    )


def test_dashboard_renders_without_errors_or_network_requests(open_page, dashboard_html):
    page, guard = open_page(dashboard_html)
    assert page.is_visible("#doc-filters")
    assert len(report_rows(page)) == 5
    assert "broken.pdf" in page.inner_text("#failures")
    page.click("#doc-table tbody tr th a >> nth=0")  # a report's own audit opens from the dashboard
    page.wait_for_load_state("load")
    assert page.title().startswith("Framing audit:") and page.is_visible("#filters")
    assert_clean(guard)


def test_dashboard_filters_work_by_mouse_and_by_keyboard(open_page, dashboard_html):
    page, guard = open_page(dashboard_html)
    page.select_option("#filter-year", "2024")
    assert sorted(row["year"] for row in report_rows(page)) == ["2024", "2024"]
    assert page.locator("#forest li:visible").count() == 2
    assert page.inner_text("#filter-status").startswith("Showing 2 of 5 reports")
    page.click("#filter-reset")
    assert len(report_rows(page)) == 5

    tab_to(page, "#filter-year")
    page.keyboard.press("ArrowDown")  # the first year in the list
    years = {row["year"] for row in report_rows(page)}
    assert len(years) == 1 and len(report_rows(page)) < 5
    tab_to(page, "#doc-filters #filter-reset")
    page.keyboard.press("Enter")
    assert len(report_rows(page)) == 5
    assert_clean(guard)


def test_dashboard_table_sorts_by_mouse_and_by_keyboard(open_page, dashboard_html):
    page, guard = open_page(dashboard_html)
    year = page.locator("#doc-table thead th", has=page.get_by_role("button", name="Year", exact=True))
    page.get_by_role("button", name="Year", exact=True).click()
    years = [row["cells"][3] for row in report_rows(page)]
    assert year.get_attribute("aria-sort") == "ascending"
    assert [y for y in years if y] == sorted(y for y in years if y) and years[0] == "2023"

    tab_to(page, "#doc-table thead th:nth-child(5) button")  # Attributions
    page.keyboard.press("Enter")
    counts = [float(row["cells"][4]) for row in report_rows(page)]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    page.keyboard.press("Space")
    assert [float(row["cells"][4]) for row in report_rows(page)] == sorted(counts, reverse=True)
    assert year.get_attribute("aria-sort") == "none"
    assert_clean(guard)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_dashboard_has_no_serious_accessibility_violation(open_page, dashboard_html, width):
    page, guard = open_page(dashboard_html, width)
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert_clean(guard)


def test_dashboard_screenshots_at_desktop_and_phone_width(open_page, dashboard_html):
    for width in (DESKTOP, PHONE):
        page, guard = open_page(dashboard_html, width)
        path = screenshot(page, f"dashboard-{width}.png")
        assert path.stat().st_size > 20_000
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_clean(guard)
