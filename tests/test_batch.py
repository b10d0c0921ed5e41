"""`framing corpus`: inputs, broken files, the cache and resuming, the tables, workers and Ctrl-C.

The reports are the fictional samples in corpus/sample and short texts written here.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import deque
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import framing.audit
from framing.batch import (CHARACTERS_PER, WORKER_DIED, Pace, Prefetch, Settings, Task, audit_outcome, balanced_choice,
                           cache_key, document_ids, document_size, find_inputs, fingerprint, longest_first, run_corpus,
                           run_parallel, start_method)
from framing.cli import app
from framing.ingest import load
from framing.report.tables import ATTRIBUTION_COLUMNS, DOCUMENT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "sample"
REPORTS = ROOT.parent / "shared" / "data" / "reports"
AREAS = ["Ambleford", "Brackenhurst", "Calder Vale", "Dunmere", "Elsworth", "Fallowby", "Greysike", "Harrowden",
         "Inchmoor", "Juniper Bay", "Kettlewick", "Longmarsh", "Millbeck", "Northwold", "Oxley Fen", "Penhallow",
         "Quarrington", "Rushbrook", "Saltmere", "Thornleigh", "Upperby", "Varley"]
PARAGRAPHS = [
    "Parents and carers feel that they are not listened to. Leaders know that plans are often late.",
    "Many families are worried about the wait for therapy. Practitioners report that the new training has helped.",
    "Children and young people say that they enjoy the youth forum. Health leaders recognise that waits are too long.",
    "Some parents believe that support depends on the school their child attends. Leaders understand the needs of the area.",
    "The parent carer forum told inspectors that it is involved in decisions. Teachers say that the outreach service helps them.",
]
KNOWN = "Parents feel that the waiting times are too long. Leaders know that plans are late. " \
        "Practitioners report that the training has helped them."


def short_report(area: str, number: int) -> str:
    paragraphs = [PARAGRAPHS[(number + k) % len(PARAGRAPHS)] for k in range(3)]
    return "\n\n".join([f"Area SEND inspection of {area} Local Area Partnership",
                        f"Inspection dates: {number % 20 + 1} to {number % 20 + 5} May {2023 + number % 3}", *paragraphs])


def build_corpus(folder: Path, short: int = len(AREAS)) -> dict[str, list[Path]]:
    """The five samples, `short` short reports (text and Markdown, one in a subfolder), three broken files
    and a file that is not a report."""
    folder.mkdir(parents=True, exist_ok=True)
    good = []
    for sample in sorted(SAMPLES.glob("*.*")):
        if sample.suffix in (".pdf", ".docx", ".html"):
            good.append(Path(shutil.copy(sample, folder / sample.name)))
    for number, area in enumerate(AREAS[:short]):
        where = folder / "more" if number == 0 else folder
        where.mkdir(exist_ok=True)
        path = where / f"{area.lower().replace(' ', '_')}.{'md' if number % 4 == 3 else 'txt'}"
        path.write_text(short_report(area, number), encoding="utf-8")
        good.append(path)
    corrupt = folder / "corrupt.pdf"
    corrupt.write_bytes((SAMPLES / "sample_report.pdf").read_bytes()[:3000])
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    old_word = folder / "minutes.doc"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    not_report = folder / "budget.csv"
    not_report.write_text("year,spend\n2024,100\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("Parents feel ignored.", encoding="utf-8")
    return {"good": good, "broken": [corrupt, empty, old_word], "skipped": [not_report]}


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    """One CLI run over 30 files (3 broken), shared by the tests that only read its outputs."""
    folder = tmp_path_factory.mktemp("reports")
    files = build_corpus(folder)
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(app, ["corpus", str(folder), "--out", str(out), "--jobs", "1", "--rules-only"])
    return files, out, result


def test_broken_files_are_listed_and_every_good_result_is_written(corpus_run):
    files, out, result = corpus_run
    assert result.exit_code == 1
    assert len(files["broken"]) * 10 == len(files["good"]) + len(files["broken"])  # one in ten broken
    for broken, reason in zip(files["broken"], ["PDF", "empty file", "unsupported file type '.doc'"]):
        assert f"framing: error: {broken}: " in result.stderr
        assert reason in result.stderr.split(f"{broken}: ")[1].splitlines()[0]
    assert "budget.csv" not in result.stderr and ".hidden" not in result.stdout + result.stderr
    assert "1 file skipped" in result.stdout
    documents = pd.read_csv(out / "documents.csv")
    assert sorted(documents["path"]) == sorted(str(p) for p in files["good"])
    assert (documents["n_attributions"] > 0).all()
    assert sorted(p.name for p in (out / "audits").iterdir()) == sorted(f"{d}.html" for d in documents["document"])
    failures = pd.read_csv(out / "failures.csv")
    assert sorted(failures["path"]) == sorted(str(p) for p in files["broken"])
    assert (out / "index.html").is_file()


def test_tables_have_their_columns_and_one_row_per_item(corpus_run):
    files, out, _ = corpus_run
    documents = pd.read_parquet(out / "documents.parquet")
    attributions = pd.read_parquet(out / "attributions.parquet")
    assert list(documents.columns) == DOCUMENT_COLUMNS == list(pd.read_csv(out / "documents.csv").columns)
    assert list(attributions.columns) == ATTRIBUTION_COLUMNS == list(pd.read_csv(out / "attributions.csv").columns)
    assert len(documents) == len(files["good"])
    assert len(attributions) == documents["n_attributions"].sum() == len(pd.read_csv(out / "attributions.csv"))
    per_document = attributions.groupby("document").size()
    assert (per_document.reindex(documents["document"]).fillna(0).to_numpy() == documents["n_attributions"]).all()
    assert str(documents["year"].dtype) == "Int64" and str(documents["asymmetry"].dtype) == "Float64"
    assert str(documents["inspection_start"].dtype).startswith("datetime64")
    northbrook = documents.set_index("document").loc["sample_report"]
    assert (northbrook["local_area"], northbrook["year"], northbrook["format"]) == ("Northbrook", 2025, "pdf")
    assert northbrook["document_type"] == "full_inspection_2023" and northbrook["pages"] == 3
    assert northbrook["asymmetry_low"] <= northbrook["asymmetry"] <= northbrook["asymmetry_high"]
    assert northbrook["log_odds_low"] <= northbrook["log_odds_ratio"] <= northbrook["log_odds_high"]
    assert set(attributions["framing_model"]) == {"rules only"} and attributions["spacy_pipeline"].notna().all()
    assert attributions["page"].between(1, 3).all()


def test_known_attributions_land_in_the_attribution_table(tmp_path):
    report = tmp_path / "in" / "known.txt"
    report.parent.mkdir()
    report.write_text(KNOWN, encoding="utf-8")
    run_corpus([report.parent], tmp_path / "out", jobs=1, settings=Settings(framing_model=False))
    rows = pd.read_csv(tmp_path / "out" / "attributions.csv")
    found = set(zip(rows["source_text"], rows["source_class"], rows["cue_text"], rows["cue_class"], rows["voice"]))
    assert found == {("Parents", "PARENT_CARER", "feel", "BELIEF", "families"),
                     ("Leaders", "LEADER", "know", "FACTIVE", "professionals"),
                     ("Practitioners", "PRACTITIONER", "report", "REPORT", "professionals")}
    assert set(rows["sentence"]) >= {"Parents feel that the waiting times are too long."}
    document = pd.read_csv(tmp_path / "out" / "documents.csv").iloc[0]
    assert (document["families_n"], document["families_subjective"], document["professionals_n"]) == (1, 1, 2)
    assert document["verdict"].startswith("not enough evidence")


def test_a_rerun_reads_the_cache_and_redoes_only_what_is_missing(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    for number, area in enumerate(AREAS[:4]):
        folder.mkdir(exist_ok=True)
        (folder / f"r{number}.txt").write_text(short_report(area, number), encoding="utf-8")
    out, settings = tmp_path / "out", Settings(framing_model=False)
    first = run_corpus([folder], out, jobs=1, settings=settings)
    assert (first.computed, first.from_cache) == (4, 0)
    entries = sorted((out / ".cache").glob("*.json"))
    assert len(entries) == 4

    analysed: list[str] = []
    real_audit_file = framing.audit.audit_file
    monkeypatch.setattr(framing.audit, "audit_file", lambda path, nlp: analysed.append(str(path)) or real_audit_file(path, nlp))
    second = run_corpus([folder], out, jobs=1, settings=settings)
    assert (second.computed, second.from_cache, analysed) == (0, 4, [])
    assert [r.audit.attributions for r in second.results] == [r.audit.attributions for r in first.results]
    assert pd.read_csv(out / "documents.csv")["from_cache"].all()

    gone = next(r for r in first.results if r.doc_id == "r2")
    [entry] = [e for e in entries if e.stem == cache_key(Path(gone.audit.path), fingerprint(settings))]
    entry.unlink()
    third = run_corpus([folder], out, jobs=1, settings=settings)
    assert (third.computed, third.from_cache, analysed) == (1, 3, [str(folder / "r2.txt")])


def test_the_cache_key_follows_content_and_settings(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(KNOWN, encoding="utf-8")
    rules, model = fingerprint(Settings(framing_model=False)), fingerprint(Settings())
    key = cache_key(path, rules)
    assert rules != model and cache_key(path, model) != key
    moved = tmp_path / "elsewhere.txt"
    moved.write_text(KNOWN, encoding="utf-8")
    assert cache_key(moved, rules) == key  # the same report under another name is not analysed again
    path.write_text(KNOWN + " Parents are anxious about transport.", encoding="utf-8")
    assert cache_key(path, rules) != key


def test_inputs_from_files_folders_and_globs_each_once(tmp_path):
    files = build_corpus(tmp_path / "reports", short=3)
    out = tmp_path / "reports" / "out"
    out.mkdir()
    (out / "stale.txt").write_text("Leaders know this.", encoding="utf-8")
    named = files["good"][0]
    inputs = find_inputs([named, tmp_path / "reports", str(tmp_path / "reports" / "*.pdf"),
                          str(tmp_path / "nothing" / "*.pdf"), tmp_path / "missing.pdf"], exclude=[out])
    assert sorted(inputs.files) == sorted(files["good"] + files["broken"])
    assert inputs.files[0] == named and len(set(inputs.files)) == len(inputs.files)
    assert inputs.skipped == files["skipped"]
    assert [(f.path, f.reason) for f in inputs.failures] == [
        (str(tmp_path / "nothing" / "*.pdf"), "no file matches this pattern"),
        (str(tmp_path / "missing.pdf"), "no such file or folder")]


def test_document_names_are_unique_and_safe_for_file_names():
    paths = [Path("a/bury.pdf"), Path("a/bury.txt"), Path("b/bury.pdf"), Path("c/oldham report <1>.html")]
    assert document_ids(paths) == ["bury-pdf", "bury-txt", "bury-pdf-2", "oldham_report_1"]


def test_nothing_to_read_and_an_unwritable_folder_are_one_line_errors(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["corpus", str(tmp_path / "notes.csv"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["framing: error: no report files found: PDF, DOCX, HTML, "
                                                  "Markdown or plain text (1 other files skipped)"]
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(app, ["corpus", str(SAMPLES / "sample_report.pdf"), "--out", str(blocker / "out")])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "cannot create the folder" in result.stderr


def test_two_workers_give_the_same_results_as_one(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for sample in ("sample_report.pdf", "eastmere_2024.docx", "westcombe_2018.html"):
        shutil.copy(SAMPLES / sample, folder / sample)
    (folder / "empty.txt").write_bytes(b"")
    settings = Settings(framing_model=False)
    serial = run_corpus([folder], tmp_path / "one", jobs=1, use_cache=False, settings=settings)
    parallel = run_corpus([folder], tmp_path / "two", jobs=2, settings=settings)
    assert [(f.path, f.reason) for f in parallel.failures] == [(f.path, f.reason) for f in serial.failures]
    assert len(parallel.failures) == 1
    assert [r.doc_id for r in parallel.results] == [r.doc_id for r in serial.results]
    assert [r.audit.attributions for r in parallel.results] == [r.audit.attributions for r in serial.results]
    assert len(list((tmp_path / "two" / ".cache").glob("*.json"))) == 3
    assert not (tmp_path / "one" / ".cache").exists()
    one = pd.read_csv(tmp_path / "one" / "attributions.csv")
    two = pd.read_csv(tmp_path / "two" / "attributions.csv")
    pd.testing.assert_frame_equal(one, two)


@pytest.mark.skipif(start_method() != "fork", reason="documents are read ahead only where workers are forked")
def test_documents_read_ahead_give_the_same_entries_and_broken_files_are_left_to_the_worker(tmp_path):
    good = Path(shutil.copy(SAMPLES / "sample_report.pdf", tmp_path / "sample_report.pdf"))
    broken = tmp_path / "empty.txt"
    broken.write_bytes(b"")
    tasks = [Task(0, str(good), "sample_report", None), Task(1, str(broken), "empty", None)]
    prefetch = Prefetch(tasks)
    try:
        prefetch.process.join(timeout=120)
        read, sizes = prefetch.stop()
        assert set(read) == {0}
        assert sizes == {0: ("pages", 3), 1: ("bytes", 0)}  # the sample is three pages
        document, length = read[0]
        settings = Settings(framing_model=False)
        ahead, _ = audit_outcome(replace(tasks[0], document=document), settings, None)
        again, _ = audit_outcome(tasks[0], settings, None)
        for entry in (ahead, again):
            entry["audit"].pop("timings")
        assert ahead == again
        assert length == len(ahead["audit"]["text"])
        assert audit_outcome(tasks[1], settings, None) == (None, "empty file")
    finally:
        prefetch.remove()
    assert not prefetch.folder.exists()


def test_workers_take_the_most_text_first_estimated_from_pages_until_read():
    tasks = [Task(i, f"{name}", name, None) for i, name in enumerate(["a.pdf", "b.pdf", "c.pdf", "d.txt", "e.pdf"])]
    read = {0: ("a.pickle", 10_000), 4: ("e.pickle", 3_000)}  # a: 5 pages, e: 1 page; median 2,500 a page
    sizes = {0: ("pages", 5), 1: ("pages", 8), 2: ("pages", 2), 3: ("bytes", 12_000), 4: ("pages", 1)}
    # b: 8 x 2,500 = 20,000; d: 12,000 bytes x 1.0; a: 10,000 read; c: 2 x 2,500 = 5,000; e: 3,000 read
    ordered = longest_first(tasks, read, sizes)
    assert [t.doc_id for t in ordered] == ["b.pdf", "d.txt", "a.pdf", "c.pdf", "e.pdf"]
    assert [t.length for t in ordered] == [20_000, 12_000, 10_000, 5_000, 3_000]
    # nothing read yet: the first guess of characters a page (CHARACTERS_PER) puts c's 2 pages above 4,000 bytes
    sizes[3] = ("bytes", 4_000)
    assert [t.doc_id for t in longest_first(tasks, {}, sizes)] == ["b.pdf", "a.pdf", "c.pdf", "d.txt", "e.pdf"]
    # the helper stopped before it measured them all: the order stays as given
    assert longest_first(tasks, read, {0: ("pages", 5)}) == tasks


def test_a_docx_is_measured_by_its_unzipped_body_and_each_kind_of_file_learns_its_own_ratio(tmp_path):
    sample = SAMPLES / "eastmere_2024.docx"
    unit, size = document_size(str(sample))
    characters = len(load(sample).text)
    assert unit == "docx xml bytes"
    # the estimate from the unzipped body is within a factor of two; the file's bytes are ten times the text
    assert 0.5 < size * CHARACTERS_PER[unit] / characters < 2 and sample.stat().st_size > 9 * characters
    (tmp_path / "page.html").write_text("<p>Parents said it.</p>")
    (tmp_path / "fake.docx").write_text("not a zip file")  # the worker reports it; here it is only measured
    assert document_size(str(tmp_path / "page.html")) == ("html bytes", 23)
    assert document_size(str(tmp_path / "fake.docx")) == ("bytes", 14)
    tasks = [Task(i, name, name, None) for i, name in enumerate(["a.docx", "b.txt", "c.docx", "d.txt"])]
    read = {0: ("a.pickle", 3_000), 1: ("b.pickle", 4_000)}  # a: 0.3 a byte of XML; b: 1.0 a byte
    sizes = {0: ("docx xml bytes", 10_000), 1: ("bytes", 4_000), 2: ("docx xml bytes", 20_000), 3: ("bytes", 7_000)}
    # d: 7,000 x 1.0; c: 20,000 x 0.3 = 6,000 (one ratio for both kinds, 0.65, would put c first at 13,000)
    assert [(t.doc_id, t.length) for t in longest_first(tasks, read, sizes)] == [
        ("d.txt", 7_000), ("c.docx", 6_000), ("b.txt", 4_000), ("a.docx", 3_000)]


def test_the_last_tasks_are_shared_so_that_the_workers_finish_together():
    # two workers, one free, the other 0.3 s from done: the longest first ends at 0.7 (here 0.3 then 0.2,
    # there 0.2, and the last 0.2 at 0.5 on either); a 0.2 now ends at 0.6 (here the three 0.2, there the 0.3)
    assert balanced_choice([0.3, 0.2, 0.2, 0.2], [0.3]) == 1
    # the other worker is far behind: the free one takes the longest, and more
    assert balanced_choice([0.3, 0.2, 0.2, 0.2], [1.0]) == 0
    # three workers, the others 0.1 and 0.5 s from done: the longest first ends at 0.9 (the 0.5 here, a 0.4 on
    # the first other, then the last 0.4 on whichever is free at 0.5); a 0.4 here, then the other 0.4 here
    # while the 0.5 goes to the first other, ends at 0.8
    assert balanced_choice([0.5, 0.4, 0.4], [0.1, 0.5]) == 1
    # one worker, or too many waiting to compare every share: the longest
    assert balanced_choice([0.3, 0.2, 0.2, 0.2], []) == 0
    assert balanced_choice([0.3] + [0.2] * 9, [0.3]) == 0


def test_the_pace_of_the_tasks_done_predicts_the_rest():
    queue = deque(Task(i, f"{n}.pdf", f"{n}.pdf", None, length=length)
                  for i, (n, length) in enumerate([("a", 3000), ("b", 2000), ("c", 2000), ("d", 2000)]))
    running = [(Task(9, "r.pdf", "r.pdf", None, length=4000), 0.1)]
    pace = Pace()
    assert pace.next_task(deque(queue), running).doc_id == "a.pdf"  # nothing done yet: the longest
    pace.add(Task(8, "x.pdf", "x.pdf", None, length=1000), 0.1)  # 0.1 ms a character
    pace.add(Task(7, "y.pdf", "y.pdf", None), 5.0)  # no length: not counted
    # predicted: a 0.3, b, c, d 0.2 each; r has 0.3 left (0.4 - 0.1 run): as in the test above
    waiting = deque(queue)
    assert pace.next_task(waiting, running).doc_id == "b.pdf"
    assert [t.doc_id for t in waiting] == ["a.pdf", "c.pdf", "d.pdf"]
    # a length not known: the longest first, as without a pace
    unknown = deque([replace(queue[0], length=None), *list(queue)[1:]])
    assert pace.next_task(unknown, running).doc_id == "a.pdf"


@pytest.mark.skipif(start_method() != "fork", reason="documents are read ahead only where workers are forked")
def test_the_read_ahead_helper_starts_before_spacy_is_imported(tmp_path):
    for number, area in enumerate(AREAS[:3]):
        (tmp_path / f"r{number}.txt").write_text(short_report(area, number), encoding="utf-8")
    script = f"""
import sys
import framing.batch as batch
from pathlib import Path

def helper(*args):
    print("helper has", sorted(m for m in ("spacy", "numpy", "pandas") if m in sys.modules), flush=True)
    return read(*args)

read, batch._prefetch = batch._prefetch, helper
batch.run_corpus([Path({str(tmp_path)!r})], Path({str(tmp_path / "out")!r}), jobs=2,
                 settings=batch.Settings(framing_model=False))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["helper has []"]


def crash_on_poison(task: Task) -> tuple[None, str, None]:
    """A worker's work that kills its process on one file, as a crashing PDF library would."""
    if "poison" in task.path:
        os._exit(1)
    return None, "read, but not analysed in this test", None


def test_a_file_that_kills_its_worker_is_the_only_one_blamed(tmp_path):
    tasks = [Task(i, str(tmp_path / name), name, None) for i, name in enumerate(["a.txt", "poison.pdf", "b.txt", "c.txt"])]
    outcomes: dict[str, str] = {}
    run_parallel(tasks, 2, Settings(framing_model=False), None,
                 lambda task, entry, reason: outcomes.setdefault(task.doc_id, reason), work=crash_on_poison)
    assert outcomes == {"a.txt": "read, but not analysed in this test", "poison.pdf": WORKER_DIED,
                        "b.txt": "read, but not analysed in this test", "c.txt": "read, but not analysed in this test"}


def test_ctrl_c_stops_writes_what_is_done_and_a_rerun_finishes(tmp_path):
    folder = tmp_path / "reports"
    build_corpus(folder)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "framing", "corpus", str(folder), "--out", str(out), "--jobs", "1", "--rules-only"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    # two cache files: the first document is then surely done (a Ctrl-C just after a document's cache file
    # is written, before its result is kept, leaves that document to the rerun)
    while len(list((out / ".cache").glob("*.json"))) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip().splitlines()[-1].startswith("framing: error: interrupted: ")
    assert "Traceback" not in stderr
    done = len(pd.read_csv(out / "documents.csv"))
    cached = len(list((out / ".cache").glob("*.json")))
    assert 1 <= done <= cached < 27
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 1  # the three broken files
    assert f"({27 - cached} analysed, {cached} from the cache" in rerun.stdout
    assert len(pd.read_csv(out / "documents.csv")) == 27


@pytest.mark.real_data
def test_real_reports_get_metadata_and_attributions(tmp_path):
    reports = sorted(REPORTS.glob("*.pdf"))[:2]
    if not reports:
        pytest.skip("real reports not available (../shared/data)")
    run = run_corpus(reports, tmp_path / "out", jobs=1)
    documents = pd.read_csv(tmp_path / "out" / "documents.csv")
    assert not run.failures and len(documents) == 2
    assert documents["local_area"].notna().all() and documents["year"].between(2016, 2030).all()
    assert (documents["n_attributions"] >= 10).all()


def test_a_report_given_twice_is_counted_once_and_kept_in_the_tables(tmp_path):
    folder, out, alone = tmp_path / "in", tmp_path / "out", tmp_path / "alone"
    folder.mkdir()
    shutil.copy(SAMPLES / "sample_report.pdf", folder / "sample_report.pdf")
    (folder / "sample_report.txt").write_text(load(SAMPLES / "sample_report.pdf").text, encoding="utf-8")  # its text
    (folder / "notes.txt").write_text(KNOWN, encoding="utf-8")  # no metadata: the same words make it the same
    shutil.copy(folder / "notes.txt", folder / "notes (1).txt")
    for number, name in ((0, "ambleford_2023.txt"), (1, "ambleford_2024.txt")):  # one area, two inspections
        (folder / name).write_text(short_report(AREAS[0], number), encoding="utf-8")

    result = CliRunner().invoke(app, ["corpus", str(folder), "--out", str(out), "--jobs", "1", "--rules-only"])
    assert result.exit_code == 0, result.output
    assert "6 files audited (4 reports)" in result.stdout
    assert "2 files repeat a report already counted" in result.stdout
    assert "sample_report.txt = sample_report.pdf" in result.stdout and "notes (1).txt = notes.txt" in result.stdout

    documents = pd.read_csv(out / "documents.csv").set_index("path")
    copies = documents["duplicate_of"].dropna().to_dict()
    assert copies == {str(folder / "sample_report.txt"): documents.loc[str(folder / "sample_report.pdf"), "document"],
                      str(folder / "notes (1).txt"): documents.loc[str(folder / "notes.txt"), "document"]}
    attributions = pd.read_csv(out / "attributions.csv")
    marked = attributions[attributions["duplicate_of"].notna()]
    assert len(marked) == documents.loc[list(copies), "n_attributions"].sum() > 0
    assert len(list((out / "audits").iterdir())) == 6  # every file's audit is still written

    # every figure counts each report once: the same as a run over the four counted files alone
    alone.mkdir()
    for name in ("sample_report.pdf", "notes.txt", "ambleford_2023.txt", "ambleford_2024.txt"):
        shutil.copy(folder / name, alone / name)
    once = CliRunner().invoke(app, ["corpus", str(alone), "--out", str(tmp_path / "out2"), "--jobs", "1",
                                    "--rules-only"])
    pooled = [line for line in result.stdout.splitlines() if line.startswith("Pooled asymmetry")]
    assert pooled == [line for line in once.stdout.splitlines() if line.startswith("Pooled asymmetry")]
    dashboard = (out / "index.html").read_text(encoding="utf-8")
    assert "Framing audit of 4 reports" in dashboard and "Files counted once" in dashboard
    assert f"{folder / 'notes (1).txt'}</span>: the same report as" in dashboard
