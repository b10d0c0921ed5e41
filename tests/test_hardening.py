"""Bad input never gets past ingest as anything but one clear line (issue 6).

Fuzzing (hypothesis): random bytes and mutated files of every format may only raise IngestError.
Through the installed CLI: corrupt, truncated, encrypted, scanned and empty files, a DOCX zip bomb, a
500-page PDF (bounded memory, a progress bar), markup in the report text, a non-English report, and
a corpus folder where one file in ten is broken. Every report text here is written for these tests.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import REPORT_HTML, REPORTS, build_docx, build_report_pdf
from framing.ingest import NOT_ENGLISH, SUPPORTED_SUFFIXES

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("fuzz_ingest", ROOT / "scripts" / "fuzz_ingest.py")
fuzz_ingest = sys.modules["fuzz_ingest"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz_ingest)  # the fuzzer's mutations and oracle, shared with the long run
HEADS, MUTATION, mutate, mutate_docx_xml = (fuzz_ingest.HEADS, fuzz_ingest.MUTATION, fuzz_ingest.mutate,
                                           fuzz_ingest.mutate_docx_xml)

FUZZ = settings(max_examples=120, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FRAMING = shutil.which("framing", path=str(Path(sys.executable).parent)) or "framing"

REPORT_TEXT = """Area SEND inspection of Harrowfield Local Area Partnership

Parents and carers feel that they are not listened to when plans are reviewed. Leaders know that
the wait for an assessment is too long.

Some families are worried about transport to special schools. Practitioners report that the new
panel makes decisions more quickly.
"""
MARKUP_SENTENCE = ('Parents feel that notes of <script>alert("kv")</script> meetings & "minutes" <b>vanish</b> &amp; '
                   '&lt;go&gt; [bold]missing[/bold].')
MARKUP = f"""Area SEND inspection of Kestrel Vale Local Area Partnership

{MARKUP_SENTENCE}

Leaders know that the panel meets every week. Children and young people say that they enjoy the clubs.
"""
GERMAN = """Bericht über die Inspektion der Förderung von Kindern mit besonderem Bedarf in Kestrel Vale

Die Eltern und Betreuer sagen, dass sie bei der Planung der Hilfen oft nicht gehört werden. Die Leitung
weiß, dass die Wartezeiten für eine Begutachtung zu lang sind, und sie hat zusätzliche Termine in den
Kliniken eingerichtet. Die Fachkräfte berichten, dass die gemeinsame Fortbildung ihnen hilft, Bedürfnisse
früher zu erkennen. Viele Familien machen sich Sorgen über den Übergang in die weiterführende Schule, weil
die Informationen dazu spät kommen. Die Kinder und Jugendlichen erzählen, dass sie die Jugendgruppe mögen
und dass sie dort gehört werden. Die Partnerschaft muss dafür sorgen, dass alle Familien wissen, wo sie
Hilfe finden, und dass die Pläne rechtzeitig überprüft werden.
"""


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([FRAMING, *args], capture_output=True, text=True, timeout=600, cwd=cwd,
                          env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("framing: error: ")]


# ------------------------------------------------------------------------------------------- fuzzing


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, bytes]:
    """A valid file of each format to mutate; real reports join in when ../shared/data is there."""
    folder = tmp_path_factory.mktemp("seeds")
    found = {
        "report.pdf": build_report_pdf(folder / "r.pdf").read_bytes(),
        "report.docx": build_docx(folder / "r.docx").read_bytes(),
        "report.html": REPORT_HTML.encode("utf-8"),
        "report.htm": REPORT_HTML.encode("cp1252", "replace"),
        "report.txt": REPORT_TEXT.encode("utf-8"),
        "report.md": ("# Findings\n\n" + REPORT_TEXT).encode("utf-8"),
    }
    real = sorted(REPORTS.glob("*.pdf"), key=lambda p: p.stat().st_size)[:1] if REPORTS.exists() else []
    for path in real:
        found["real.pdf"] = path.read_bytes()
    return found


def outcome(folder: Path, suffix: str, data: bytes) -> str:
    """"read" or the IngestError's reason; any other exception (or a bad message) fails the test."""
    return fuzz_ingest.outcome(folder / f"fuzz{suffix}", data)


def fuzz(folder: Path, suffix: str, data: bytes) -> None:
    event(f"{suffix}: {outcome(folder, suffix, data)}")  # pytest --hypothesis-show-statistics counts them


@FUZZ
@given(suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)),
       head=st.sampled_from(HEADS),
       data=st.binary(max_size=4096))
def test_random_bytes_in_every_format_give_only_ingest_errors(tmp_path_factory, suffix, head, data):
    fuzz(tmp_path_factory.getbasetemp(), suffix, head + data)


@FUZZ
@given(kind=st.sampled_from(["report.pdf", "report.docx", "report.html", "report.htm", "report.txt", "report.md",
                             "real.pdf"]),
       mutations=st.lists(MUTATION, min_size=1, max_size=6))
def test_mutated_files_give_only_ingest_errors(tmp_path_factory, seeds, kind, mutations):
    if kind not in seeds:  # the real PDF, without ../shared/data
        return
    fuzz(tmp_path_factory.getbasetemp(), Path(kind).suffix, mutate(seeds[kind], mutations))


@settings(FUZZ, max_examples=60)
@given(mutations=st.lists(MUTATION, min_size=1, max_size=6))
def test_docx_with_mutated_xml_inside_a_valid_zip_gives_only_ingest_errors(tmp_path_factory, seeds, mutations):
    fuzz(tmp_path_factory.getbasetemp(), ".docx", mutate_docx_xml(seeds["report.docx"], mutations))


def test_mutation_reaches_both_outcomes(tmp_path, seeds):
    """Control: the seeds load, and the fuzzers' mutations can break them, so both branches are exercised."""
    assert {kind: outcome(tmp_path, Path(kind).suffix, data) for kind, data in seeds.items()} == dict.fromkeys(seeds, "read")
    assert outcome(tmp_path, ".pdf", mutate(seeds["report.pdf"], [("truncate", 0.5, b"x")])).startswith("truncated PDF")
    assert outcome(tmp_path, ".docx", mutate(seeds["report.docx"], [("delete", 0.5, b"x" * 48)])) != "read"


def test_fuzz_script_runs_within_its_budget_and_reports_its_size(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "fuzz_ingest.py"), "--max-inputs", "60",
                             "--seconds", "120", "--no-real", "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.match(r"fuzz_ingest: 60 inputs in \d+ s from 6 seed files: \d+ read, \d+ refused with IngestError, "
                    r"0 failures", result.stdout)


def test_fuzz_script_saves_an_input_that_escapes_as_another_exception(tmp_path, monkeypatch):
    def broken_load(path):
        raise KeyError("a library bug")

    monkeypatch.setattr(fuzz_ingest, "load", broken_load)
    run = fuzz_ingest.Run(out=tmp_path, deadline=0)
    run.load(".pdf", b"%PDF-1.7 odd", "a hand-made input")
    assert run.inputs == 1 and len(run.failures) == 1
    assert (tmp_path / "failure-1.pdf").read_bytes() == b"%PDF-1.7 odd"
    assert "KeyError: 'a library bug'" in (tmp_path / "failure-1.pdf.txt").read_text()


# ------------------------------------------------------------------------------------------- bad files, CLI


def test_every_bad_file_is_one_line_exit_2_and_the_good_ones_are_written(
        tmp_path, report_pdf, truncated_pdf, encrypted_pdf, scanned_pdf, bomb_docx):
    good = tmp_path / "harrowfield.txt"
    good.write_text(REPORT_TEXT, encoding="utf-8")
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n" + bytes(range(256)) * 8)
    empty_txt, empty_pdf = tmp_path / "empty.txt", tmp_path / "empty.pdf"
    empty_txt.touch()
    empty_pdf.touch()
    bad = [corrupt, truncated_pdf, encrypted_pdf, scanned_pdf, empty_txt, empty_pdf, bomb_docx]
    out = tmp_path / "out"

    result = run_cli("check", str(corrupt), str(good), *map(str, bad[1:]), str(report_pdf), "--out", str(out),
                     "--format", "html,json", "--fail-on", "none")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    lines = error_lines(result.stderr)
    assert len(lines) == len(bad)
    for path, line in zip(bad, lines):
        assert line.startswith(f"framing: error: {path}: ")
    reasons = "\n".join(lines)
    for expected in ("truncated", "password", "no text layer", "empty file", "zip bomb"):
        assert expected in reasons
    assert sorted(p.name for p in out.iterdir()) == ["harrowfield.html", "harrowfield.json",
                                                      "northbrook.html", "northbrook.json"]


def test_docx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    """A DOCX whose document.xml unpacks to 300 MB from about 300 kB: refused from the zip directory alone."""
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"<w:p/>" * (1 << 20)
            for _ in range(50):
                member.write(block)
    assert bomb.stat().st_size < 1024 * 1024
    result = run_cli("check", str(bomb), "--fail-on", "none", cwd=tmp_path)
    assert result.returncode == 2
    assert error_lines(result.stderr) == [line for line in result.stderr.splitlines() if line.strip()]
    assert "zip bomb" in result.stderr and "refused" in result.stderr


# ------------------------------------------------------------------------------------------- a 500-page PDF


def many_pages(seed: Path, target: Path, pages: int = 500) -> Path:
    import pikepdf

    with pikepdf.open(seed) as source, pikepdf.new() as out:
        while len(out.pages) < pages:
            out.pages.extend(source.pages)
        del out.pages[pages:]
        out.save(target)
    return target


MEASURE = """
import resource, sys, tracemalloc
from framing.ingest import load
import pypdfium2
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
document = load(sys.argv[1])
peak = tracemalloc.get_traced_memory()[1]
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(document.pages, len(document.text), (after - before) * 1024, peak)
"""


def test_500_page_pdf_is_read_in_bounded_memory(tmp_path, report_pdf):
    big = many_pages(report_pdf, tmp_path / "long.pdf")  # 500 full pages of report text
    result = subprocess.run([sys.executable, "-c", MEASURE, str(big)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    pages, chars, rss_growth, python_peak = map(int, result.stdout.split())
    assert pages == 500 and chars > 150_000
    mb = 1024 * 1024
    assert rss_growth < 150 * mb  # measured: about 10 MB; pages are read and closed one at a time
    assert python_peak < 64 * mb  # measured: about 4 MB


def test_long_pdf_shows_a_progress_bar_on_a_terminal(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.set_y(60)
    pdf.multi_cell(0, 6, "Leaders know that the local offer is being rewritten with families.")
    seed = tmp_path / "page.pdf"
    pdf.output(str(seed))
    big = many_pages(seed, tmp_path / "long.pdf")

    primary, secondary = pty.openpty()  # stderr is a terminal, as for a person at a shell
    with open(tmp_path / "stdout.txt", "w") as stdout_file:
        child = subprocess.Popen([FRAMING, "check", str(big), "--fail-on", "none"], stdout=stdout_file, cwd=tmp_path,
                                 stderr=secondary, env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
        os.close(secondary)
        shown = read_all(primary, child)
        os.close(primary)
        assert child.wait(timeout=60) == 0
    stdout = (tmp_path / "stdout.txt").read_text()
    assert "reading long.pdf" in shown
    counts = {int(n) for n in re.findall(r"\b(\d+)/500\b", shown)}
    assert len(counts) >= 2 and max(counts) <= 500  # the bar moved while the pages were read
    assert "1 file checked" in stdout


def read_all(fd: int, child: subprocess.Popen, seconds: float = 300) -> str:
    """Everything written to the terminal until the child exits (and its last output is drained)."""
    chunks, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunks.append(os.read(fd, 65536))
                continue
            except OSError:  # the child closed its end
                break
        if child.poll() is not None:
            break
    return b"".join(chunks).decode("utf-8", "replace")


# ------------------------------------------------------------------------------------------- markup, language


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """`framing check` over a report with markup in its text and a German one, with every output."""
    folder = tmp_path_factory.mktemp("written")
    (folder / "kestrel.txt").write_text(MARKUP, encoding="utf-8")
    (folder / "bericht.txt").write_text(GERMAN, encoding="utf-8")
    out = folder / "out"
    result = run_cli("check", str(folder / "kestrel.txt"), str(folder / "bericht.txt"), "--out", str(out),
                     "--format", "text,html,json", "--fail-on", "none")
    assert result.returncode == 0, result.stderr
    return result, out


def test_markup_in_the_report_is_escaped_in_the_html(written):
    from lxml import html as lxml_html

    _, out = written
    page = (out / "kestrel.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>vanish" not in page
    assert "&lt;script&gt;alert(&#34;kv&#34;)&lt;/script&gt;" in page or "&lt;script&gt;alert(&quot;kv&quot;)" in page
    tree = lxml_html.fromstring(page)
    assert len(tree.xpath("//script")) == 1  # the page's own script only
    assert tree.xpath("//b") == []
    flagged = [" ".join(p.text_content().split()) for p in tree.xpath("//p[@class='flag-sentence']")]
    assert MARKUP_SENTENCE in flagged


def test_markup_in_the_report_is_kept_verbatim_in_the_json(written):
    _, out = written
    data = json.loads((out / "kestrel.json").read_text(encoding="utf-8"))
    assert MARKUP_SENTENCE in data["text"]
    sentences = {a["sentence"].strip() for a in data["attributions"]}
    assert MARKUP_SENTENCE in sentences


def test_markup_in_the_report_reaches_the_terminal_as_plain_text(written):
    result, _ = written
    flagged = [line for line in result.stdout.splitlines() if "vanish" in line]
    assert flagged, result.stdout
    assert '<script>alert("kv")</script>' in flagged[0] and "&amp; &lt;go&gt; [bold]missing[/bold]" in flagged[0]
    assert "\x1b" not in result.stdout + result.stderr


def test_control_characters_in_the_report_never_reach_the_terminal(tmp_path):
    report = tmp_path / "controls.txt"
    report.write_text(MARKUP.replace("notes", "notes\x1b[2J\x1b]0;pwned\x07\x08\x08"), encoding="utf-8")
    result = run_cli("check", str(report), "--fail-on", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "vanish" in result.stdout
    assert not any(ch in result.stdout + result.stderr for ch in "\x1b\x07\x08")


def test_non_english_report_warns_in_the_terminal_and_in_the_html(written):
    result, out = written
    warned = [line for line in (result.stdout + result.stderr).splitlines() if NOT_ENGLISH in line]
    assert len(warned) == 1 and "bericht" in warned[0]
    assert NOT_ENGLISH in (out / "bericht.html").read_text(encoding="utf-8")
    assert NOT_ENGLISH not in (out / "kestrel.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------- corpus


def test_corpus_with_one_file_in_ten_broken_writes_every_good_result(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    areas = ["Ashby", "Brantwood", "Calder", "Dunmore", "Eastleigh Vale", "Fenwick", "Glenholme", "Hartside",
             "Ivybridge", "Juniper", "Kelso", "Lindale", "Marston", "Northbeck", "Orwell", "Pendle", "Quarry Bank",
             "Rydal"]
    for n, area in enumerate(areas):
        text = REPORT_TEXT.replace("Harrowfield", area)
        if n % 3 == 0:
            (folder / f"{area.lower()}.md").write_text(text, encoding="utf-8")
        elif n % 3 == 1:
            (folder / f"{area.lower()}.html").write_text(
                "<html><body>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) + "</body></html>", encoding="utf-8")
        else:
            (folder / f"{area.lower()}.txt").write_text(text, encoding="utf-8")
    (folder / "kestrel.txt").write_text(MARKUP, encoding="utf-8")  # 19 good files
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj <<")  # and 1 broken in 20 ...
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")  # ... and another: 2 in 21
    out = tmp_path / "out"

    result = run_cli("corpus", str(folder), "--out", str(out), "--jobs", "1", "--no-cache")

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    broken = sorted(line for line in error_lines(result.stderr))
    assert [line.split(": ")[2] for line in broken] == [str(folder / "broken.docx"), str(folder / "broken.pdf")]
    with open(out / "failures.csv", newline="", encoding="utf-8") as f:
        assert sorted(row["path"] for row in csv.DictReader(f)) == [str(folder / "broken.docx"), str(folder / "broken.pdf")]
    with open(out / "documents.csv", newline="", encoding="utf-8") as f:
        documents = list(csv.DictReader(f))
    assert len(documents) == 19 and all((out / row["audit_html"]).is_file() for row in documents)
    with open(out / "attributions.csv", newline="", encoding="utf-8") as f:  # markup survives CSV quoting
        assert MARKUP_SENTENCE in {row["sentence"] for row in csv.DictReader(f)}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "broken.pdf" in index and "<script>alert" not in index


def test_file_names_that_are_not_utf8_are_audited_and_shown_with_a_replacement_character(tmp_path):
    """Linux allows any bytes in a file name; Python holds the stray ones as lone surrogates, which no UTF-8
    output can hold. Such a report is still audited, and its name is shown with U+FFFD, in every output."""
    folder = tmp_path / "reports"
    folder.mkdir()
    good, broken = os.fsencode(folder) + b"/caf\xe9.txt", os.fsencode(folder) + b"/br\xe9.pdf"
    try:
        with open(good, "wb") as f:
            f.write(REPORT_TEXT.encode("utf-8"))
    except OSError:
        pytest.skip("this file system only takes UTF-8 file names")
    with open(broken, "wb") as f:
        f.write(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj <<")
    out = tmp_path / "out"

    for jobs in ("1", "2"):
        result = run_cli("corpus", str(folder), "--out", str(out), "--jobs", jobs, "--no-cache")
        assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout, result.stderr
        assert [line.split(": ")[2] for line in error_lines(result.stderr)] == [f"{folder}/br\ufffd.pdf"]
        with open(out / "documents.csv", newline="", encoding="utf-8") as f:
            assert [row["path"] for row in csv.DictReader(f)] == [f"{folder}/caf\ufffd.txt"]
        with open(out / "failures.csv", newline="", encoding="utf-8") as f:
            assert [row["path"] for row in csv.DictReader(f)] == [f"{folder}/br\ufffd.pdf"]
        assert "caf\ufffd.txt" in (out / "index.html").read_text(encoding="utf-8")
    checked = run_cli("check", os.fsdecode(good), "--out", str(tmp_path / "check"))
    assert "Traceback" not in checked.stderr + checked.stdout and "caf\ufffd.txt" in checked.stdout, checked.stderr
