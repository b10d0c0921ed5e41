"""The corpus run behind `framing corpus`: many reports audited in parallel, cached, and written out.

    run = run_corpus(["reports/"], Path("out"), jobs=2)
    run.results, run.failures     # every good document's Audit; every broken file with its reason

Each document's cache key is the SHA-256 of its bytes plus a fingerprint of everything that decides
its result: the framing version, the spaCy pipeline's name and version, the lexicon version, the
framing model, the configuration, and a digest of framing's own modules and data files. A document's
audit is written to the cache (one JSON file named by the key) atomically, as soon as it is done, so a
rerun after Ctrl-C, a crash or a kill redoes only the documents without a cache file.

With jobs > 1 the documents go to worker processes, forked (on Linux) from this process once it has
loaded the pipeline, so each starts with it; a worker that dies (a crash, the out-of-memory killer) costs
only the documents it held, which are retried one at a time so that only the file that kills a worker is
recorded as failed. While this process imports spaCy and loads the pipeline (a second or two in which the
other cores would wait), a helper process reads the first documents ahead (see Prefetch). Documents go
to the workers the most text first, and the last few in the order predicted to end the run soonest, at
the pace of those done (Pace.next_task), so that no worker waits long for another at the end. Each worker
writes the cache entry and the audit page of the documents it analyses; this process writes the tables
and the dashboard, and imports what they need as soon as a worker has nothing left to do.

This module imports neither spaCy nor pyarrow at import time: spaCy comes with the pipeline, pyarrow with
the tables. Nothing here imports pandas (framing.report.tables says why); the Python API does.
"""
from __future__ import annotations

import gc
import glob
import hashlib
import itertools
import json
import os
import pickle
import re
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from . import __version__
from .ingest import printable
from .pipeline_id import file_digest, pipeline_identity  # noqa: F401 (pipeline_identity is part of this API)

if TYPE_CHECKING:
    from .audit import Audit

GLOB_CHARS = frozenset("*?[")
# Files of these types are reports framing cannot read: listed as failures. Other files of a type framing
# does not read (scripts, spreadsheets, images) are skipped and counted.
UNREADABLE_DOCUMENTS = frozenset({".doc", ".odt", ".rtf", ".pages", ".wpd", ".xps", ".epub", ".mht", ".mhtml"})
CACHE_FORMAT = 2  # 2: audits record `words` beside the timings
WORKER_DIED = "the worker process stopped while reading this file (a crash, or out of memory)"
PACKAGE = Path(__file__).resolve().parent
AUDITS_FOLDER = "audits"
# The modules whose code decides an audit's content (the cache key holds a digest of them). The command
# line, the linter, the report writers and this module only present or schedule results.
ANALYSIS_MODULES = ("__init__.py", "advice.py", "attribution.py", "audit.py", "classifier.py", "extract.py",
                    "ingest.py", "lexicon.py", "metadata.py", "pipeline.py", "pipeline_id.py", "scoring.py",
                    "report/jsonout.py")


@dataclass(frozen=True)
class Settings:
    """What the pipeline is loaded with (load_pipeline's arguments); part of every cache key."""

    model: str | None = None
    framing_model: bool = True
    config_key: tuple = ()


@dataclass(frozen=True)
class Task:
    """One input document to audit."""

    index: int  # position in input order
    path: str
    doc_id: str  # unique name: its audit page is audits/<doc_id>.html
    key: str | None  # cache key (None: no cache)
    document: str | None = None  # a pickled (Document, ingest seconds) read ahead by Prefetch, if any
    length: float | None = None  # characters of text, read ahead or estimated (longest_first), if known


@dataclass
class Failure:
    path: str  # as it can be printed (framing.ingest.printable)
    reason: str

    def __post_init__(self) -> None:
        self.path = printable(self.path)


@dataclass
class Result:
    doc_id: str
    audit: Audit
    cached: bool
    duplicate_of: str = ""  # the doc_id of the copy counted instead, when this file is the same report again


@dataclass
class CorpusRun:
    results: list[Result]  # good documents, in input order
    failures: list[Failure]
    skipped: list[Path] = field(default_factory=list)  # files that are not reports
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def counted(self) -> list[Result]:
        """The results every corpus figure counts: each report once (see mark_duplicates)."""
        return [r for r in self.results if not r.duplicate_of]

    @property
    def duplicates(self) -> list[tuple[Result, Result]]:
        """(the file, the file counted instead) for every file that repeats a report."""
        by_id = {r.doc_id: r for r in self.results}
        return [(r, by_id[r.duplicate_of]) for r in self.results if r.duplicate_of]

    @property
    def computed(self) -> int:
        return sum(not r.cached for r in self.results)

    @property
    def from_cache(self) -> int:
        return sum(r.cached for r in self.results)

    @property
    def words_analysed(self) -> int:
        """Words (spaCy tokens) of the documents analysed in this run, not those from the cache."""
        return sum(r.audit.words for r in self.results if not r.cached)


class CorpusError(Exception):
    """The run cannot start (no inputs, no pipeline, an unwritable folder); one line."""


# ---------------------------------------------------------------------------------------- inputs


@dataclass
class Inputs:
    files: list[Path]  # to audit, each once, in order
    failures: list[Failure]  # paths that name nothing
    skipped: list[Path]  # files that are not reports (scripts, spreadsheets...)


def find_inputs(paths: Iterable[str | Path], exclude: Iterable[Path] = ()) -> Inputs:
    """Report files named, under folders (recursive, hidden names skipped) or matching globs; files of
    other types (scripts, spreadsheets, images) are skipped. Folders in `exclude` are not entered."""
    from .ingest import SUPPORTED_SUFFIXES

    skip = [p.resolve() for p in exclude]
    inputs = Inputs([], [], [])

    def add_found(candidates: list[Path]) -> None:
        for f in candidates:
            suffix = f.suffix.lower()
            (inputs.files if suffix in SUPPORTED_SUFFIXES or suffix in UNREADABLE_DOCUMENTS else inputs.skipped).append(f)

    for raw in paths:
        text = str(raw)
        path = Path(text)
        if path.is_dir():
            add_found(folder_files(path, skip))
        elif path.exists():
            add_found([path])
        elif GLOB_CHARS & set(text):
            matches = [Path(m) for m in sorted(glob.glob(text, recursive=True))]
            found = [f for m in matches for f in (folder_files(m, skip) if m.is_dir() else [m])]
            if not found:
                inputs.failures.append(Failure(text, "no file matches this pattern"))
            add_found(found)
        else:
            inputs.failures.append(Failure(text, "no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for f in inputs.files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    inputs.files = unique
    return inputs


def folder_files(folder: Path, skip: list[Path]) -> list[Path]:
    files = []
    for p in sorted(folder.rglob("*")):
        relative = p.relative_to(folder).parts
        if any(part.startswith(".") for part in relative) or not p.is_file():
            continue
        if any(p.resolve().is_relative_to(s) for s in skip):
            continue
        files.append(p)
    return files


def document_ids(paths: list[Path]) -> list[str]:
    """A unique, file-name-safe name per input: the stem; the suffix added when stems repeat; then a number."""
    stems = Counter(p.stem for p in paths)
    used: set[str] = set()
    ids = []
    for p in paths:
        base = p.stem if stems[p.stem] == 1 else f"{p.stem}-{p.suffix.lstrip('.').lower() or 'file'}"
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "document"
        name, n = base, 2
        while name.lower() in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name.lower())
        ids.append(name)
    return ids


# ---------------------------------------------------------------------------------------- cache


@cache
def code_digest() -> str:
    """One digest of the modules that make an audit and of framing's data files: a change to either (a
    developer's edit, a new release) makes every document be analysed again."""
    h = hashlib.sha256()
    for p in sorted([*(PACKAGE / m for m in ANALYSIS_MODULES), *(PACKAGE / "data").glob("*")]):
        h.update(p.name.encode() + b"\0" + (p.read_bytes() if p.is_file() else b""))
    return h.hexdigest()


def fingerprint(settings: Settings) -> str:
    """What, besides a document's bytes, decides its audit."""
    from .lexicon import load_lexicon
    from .pipeline_id import MODEL_PATH

    config = json.loads(settings.config_key[0]) if settings.config_key else {}
    parts = {
        "cache_format": CACHE_FORMAT,
        "framing_version": __version__,
        "spacy_pipeline": pipeline_identity(settings.model),
        "lexicon_version": load_lexicon(config.get("extra_cues"), config.get("aliases"),
                                        config.get("disabled_rules")).version,
        "framing_model": file_digest(MODEL_PATH) if settings.framing_model else "rules only",
        "configuration": config,
        "code": code_digest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def cache_key(path: Path, fingerprint_: str) -> str:
    h = hashlib.sha256(fingerprint_.encode())
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cached_audit(cache_dir: Path, key: str, path: str) -> Audit | None:
    """The cached Audit for a key, or None: absent, or unreadable (then the document is simply redone)."""
    try:
        entry = json.loads((cache_dir / f"{key}.json").read_text(encoding="utf-8"))
        return entry_audit(entry, path) if entry.get("key") == key else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (see replace_atomic)."""
    replace_atomic(path, lambda temp: temp.write_text(text, encoding="utf-8"))


def replace_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """write() a temporary file in the same folder, then rename it to path: a reader never sees half a file.
    A failure is a one-line CorpusError, and leaves no temporary file."""
    temp = temporary_name(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(temp)
        os.replace(temp, path)
    except OSError as e:
        _remove(temp)
        raise CorpusError(f"{path}: cannot write ({e.strerror or e})") from None
    except BaseException:
        _remove(temp)
        raise


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # its folder is not there or not a folder: nothing was written
        pass


def temporary_name(path: Path) -> Path:
    """A hidden name beside `path`, unique to this process and call."""
    return path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


# ---------------------------------------------------------------------------------------- auditing


def audit_entry(task: Task, settings: Settings, cache_dir: Path | None) -> dict:
    """Audit one file and cache the result; returns the cache entry. Raises IngestError for bad input."""
    from .audit import audit_document, audit_file
    from .pipeline import load_pipeline
    from .report.jsonout import audit_to_dict

    nlp = load_pipeline(settings.model, settings.framing_model, settings.config_key)
    read = _prefetched(task)
    if read is None:
        audit = audit_file(task.path, nlp)
    else:
        document, ingest_seconds = read
        audit = audit_document(document, nlp, ingest_seconds)
    entry = {"key": task.key, "paragraphs": audit.paragraphs, "audit": audit_to_dict(audit)}
    if cache_dir is not None and task.key:
        write_cache_entry(cache_dir, task.key, entry)
    return entry


def write_cache_entry(cache_dir: Path, key: str, entry: dict) -> None:
    write_atomic(cache_dir / f"{key}.json", json.dumps(entry, ensure_ascii=False))


def _prefetched(task: Task) -> tuple | None:
    """The (Document, ingest seconds) Prefetch read for this task, or None: not read ahead, or unreadable
    (then the file is simply read again)."""
    if not task.document:
        return None
    try:
        with open(task.document, "rb") as f:
            return pickle.load(f)
    except Exception:
        return None


def audit_outcome(task: Task, settings: Settings, cache_dir: Path | None) -> tuple[dict | None, str | None]:
    """(entry, None) for a good document, (None, reason) for a broken one: never raises for a document."""
    from .ingest import IngestError

    try:
        entry = audit_entry(task, settings, cache_dir)
    except IngestError as e:
        return None, e.reason
    except MemoryError:
        return None, "out of memory while analysing the file"
    except Exception as e:  # an analysis failure on one odd document must not stop the corpus
        return None, one_line(e)
    return entry, None


def write_audit_page(audit: Audit, audits_dir: Path, doc_id: str) -> None:
    """audits_dir/<doc_id>.html, written aside and renamed into place (a worker may be stopped at any point);
    ReportError (one line) when it cannot be written."""
    from .report.html import render_html
    from .report.jsonout import ReportError

    try:
        write_atomic(audits_dir / f"{doc_id}.html", render_html(audit))
    except CorpusError as e:
        raise ReportError(str(e)) from None


def one_line(error: BaseException) -> str:
    message = " ".join(str(error).split())
    return f"analysis failed ({type(error).__name__}{': ' + message if message else ''})"


def entry_audit(entry: dict, path: str) -> Audit:
    """The Audit of a cache entry, named after the file it was found at now."""
    from .report.jsonout import audit_from_dict

    audit = audit_from_dict(entry["audit"])
    audit.path = printable(path)
    audit.name = Path(audit.path).stem
    audit.paragraphs = [tuple(p) for p in entry.get("paragraphs", [])]
    return audit


_worker: dict = {}


def _init_worker(settings: Settings, cache_dir: Path | None, audits_dir: Path | None = None) -> None:
    """Each worker ignores Ctrl-C (the parent stops it) and keeps the run's settings."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker.update(settings=settings, cache_dir=cache_dir, audits_dir=audits_dir)


def _work(task: Task) -> tuple[dict | None, str | None, Exception | None]:
    """(entry, failure reason, fatal error) for one document, in a worker (a forked worker has the pipeline
    already; a spawned one loads it for its first document). A fatal error (no pipeline, an audit page that
    cannot be written) stops the run: the parent raises it."""
    from .pipeline import PipelineError, load_pipeline
    from .report.jsonout import ReportError

    settings = _worker["settings"]
    try:
        load_pipeline(settings.model, settings.framing_model, settings.config_key)
    except PipelineError as e:
        return None, None, PipelineError(str(e))
    entry, reason = audit_outcome(task, settings, _worker["cache_dir"])
    if entry is not None and _worker.get("audits_dir") is not None:
        try:  # the page as the parent would write it: from the Audit the cache entry gives back
            write_audit_page(entry_audit(entry, task.path), _worker["audits_dir"], task.doc_id)
        except ReportError as e:
            return None, None, ReportError(str(e))
    return entry, reason, None


Work = Callable[[Task], tuple[dict | None, str | None, Exception | None]]
Done = Callable[[Task, dict | None, str | None], None]


def run_serial(tasks: list[Task], settings: Settings, cache_dir: Path | None, done: Done) -> None:
    """In this process. Ctrl-C raises KeyboardInterrupt at once; if library code swallows it, the run still
    stops after the current document, and a failure it caused is not blamed on the file."""
    from .pipeline import load_pipeline

    load_pipeline(settings.model, settings.framing_model, settings.config_key)  # PipelineError before any file
    with frozen_heap(), interrupt_flag() as stop:
        for task in tasks:
            entry, reason = audit_outcome(task, settings, cache_dir)
            if entry is not None or not stop.is_set():
                done(task, entry, reason)
            if stop.is_set():
                raise KeyboardInterrupt


@contextmanager
def frozen_heap() -> Iterator[None]:
    """gc.freeze() for the run: the objects alive now (spaCy, the loaded pipeline: about 100,000) are left out
    of the cyclic garbage collector's full collections, which otherwise traverse them all a few times a run
    (0.3 s over the 19 reports), and a forked worker does not copy the pages they live on by touching them.
    Garbage is still freed as it is made; the heap is unfrozen after the run."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def interrupt_flag() -> Iterator[threading.Event]:
    """An Event set by Ctrl-C (which still raises KeyboardInterrupt); outside the main thread, never set."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def on_interrupt(signum, frame) -> None:
        stop.set()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def start_method() -> str:
    """fork on Linux: the pipeline is loaded once here and every worker starts with it at once (spawning
    costs each worker its imports and its own load, seconds that two jobs cannot win back on a small corpus).
    spawn elsewhere: fork is unsafe on macOS and absent on Windows."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def run_parallel(tasks: list[Task], jobs: int, settings: Settings, cache_dir: Path | None, done: Done,
                 work: Work = _work, audits_dir: Path | None = None, on_idle: Callable[[], None] | None = None) -> None:
    """Workers hold at most one document each; when a worker dies, the documents it held are retried
    alone, and one that dies alone is recorded as a failure. on_idle is called once, in this process, when
    the last document has gone to a worker and another worker has nothing left to do."""
    ordered = sorted(tasks, key=lambda t: -_size(t.path))  # the most bytes first: a poor guess, kept without Prefetch
    with ExitStack() as stack:
        if start_method() == "fork":
            prefetch = Prefetch(ordered)  # before spaCy is imported (framing.pipeline imports it)
            stack.callback(prefetch.remove)
            from .pipeline import load_pipeline

            load_pipeline(settings.model, settings.framing_model, settings.config_key)
            read, sizes = prefetch.stop()
            ordered = longest_first([replace(t, document=read[t.index][0] if t.index in read else None)
                                     for t in ordered], read, sizes)
        stack.enter_context(frozen_heap())  # before the workers are forked: they inherit the frozen heap
        queue: deque[Task] = deque(ordered)
        suspects: deque[Task] = deque()
        idle = [on_idle] if on_idle else []
        while queue or suspects:
            if suspects:
                for task in _pool_pass(deque([suspects.popleft()]), 1, settings, cache_dir, done, work, audits_dir, idle):
                    done(task, None, WORKER_DIED)
            else:
                suspects.extend(_pool_pass(queue, jobs, settings, cache_dir, done, work, audits_dir, idle))


class Prefetch:
    """A helper process, forked before spaCy is imported, that reads documents ahead (ingest only) while this
    process imports spaCy and loads the pipeline: a second or two in which the other cores would otherwise
    wait. It first measures every document cheaply (a PDF's page count; another file's bytes) for the
    workers' order, then reads the longest first. Each document it reads is pickled into a scratch folder;
    stop() ends it, and the documents it finished go to the workers, which read the rest themselves. A file
    it cannot read is left to the worker, which reports it as before."""

    def __init__(self, tasks: list[Task]):
        self.folder = Path(tempfile.mkdtemp(prefix="framing-prefetch-"))
        sys.stdout.flush()  # a forked process flushes what it inherited when it exits: nothing may be pending
        sys.stderr.flush()
        self.process = get_context("fork").Process(target=_prefetch, args=(tasks, self.folder), daemon=True)
        self.process.start()

    def stop(self) -> tuple[dict[int, tuple[str, int]], dict[int, tuple[str, int]]]:
        """End the helper now: (the pickle, the text's length) of every document it finished, and the
        (unit, size) it measured of every document (empty if it was stopped before it had), by task index."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        read = {}
        for path in self.folder.glob("*.pickle"):
            index, length = path.stem.split("-")
            read[int(index)] = (str(path), int(length))
        try:
            sizes = {int(i): (unit, n) for i, (unit, n) in json.loads((self.folder / SIZES_FILE).read_text()).items()}
        except (OSError, ValueError):
            sizes = {}
        return read, sizes

    def remove(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        shutil.rmtree(self.folder, ignore_errors=True)


SIZES_FILE = "sizes.json"


def _prefetch(tasks: list[Task], folder: Path) -> None:
    """Prefetch's process: measure every file, then read each in turn, longest first, each pickled (written
    aside, then renamed into place)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends this process
    from .ingest import load

    sizes = {t.index: document_size(t.path) for t in tasks}
    write_atomic(folder / SIZES_FILE, json.dumps(sizes))
    for task in longest_first(tasks, {}, sizes):
        index, started = task.index, time.perf_counter()
        try:
            document = load(task.path)
        except Exception:  # left to the worker, which reads it again and reports why it cannot
            continue
        temp = folder / f".{index}.tmp"
        with open(temp, "wb") as f:
            pickle.dump((document, time.perf_counter() - started), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, folder / f"{index}-{len(document.text)}.pickle")


# A first guess of the characters of text in each unit of document_size, used until documents read ahead give
# the ratio for that unit: a PDF's page (the 19 PDFs in ../shared/data/reports: 1,964 to 2,540 a page), a byte
# of a DOCX file's document.xml (the bundled sample 0.57; python-docx's XML of four of the real reports' texts
# 0.85 to 0.88; Word's own XML, with more markup to a run, probably less: not measured), a byte of HTML (the
# bundled sample 0.89; a page with a site's navigation around the report, less: not measured) and a byte of
# plain text (1, a little less where it is UTF-8).
CHARACTERS_PER = {"pages": 2200.0, "docx xml bytes": 0.5, "html bytes": 0.5, "bytes": 1.0}
DOCX_BODY = "word/document.xml"


def document_size(path: str) -> tuple[str, int]:
    """A cheap measure of how much text a document holds, before it is read: a PDF's page count (its bytes
    say nothing: on the 19 reports in ../shared/data their correlation with the text's length is -0.08, the
    page count's is 0.88), a DOCX file's document.xml as unzipped (its bytes are mostly the fixed styles,
    fonts and images: the bundled sample's 3,859 characters take 38,884 bytes, a real report's 18,164, written
    by python-docx as the sample is, 42,998), an HTML file's bytes, any other file's bytes (CHARACTERS_PER has each unit's ratio)."""
    lower = path.lower()
    if lower.endswith(".pdf"):
        try:
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(path)
            try:
                return "pages", len(pdf)
            finally:
                pdf.close()
        except Exception:  # unreadable here: the worker reports it
            pass
    elif lower.endswith(".docx"):
        try:
            with zipfile.ZipFile(path) as archive:  # the zip's directory only: nothing is unzipped
                return "docx xml bytes", archive.getinfo(DOCX_BODY).file_size
        except Exception:  # not a DOCX file after all: the worker reports it
            pass
    elif lower.endswith((".html", ".htm")):
        return "html bytes", _size(path)
    return "bytes", _size(path)


def longest_first(tasks: list[Task], read: dict[int, tuple[str, int]], sizes: dict[int, tuple[str, int]]) -> list[Task]:
    """The tasks, the most text first, each with its length: a document read ahead by its text's length;
    another by its size (see document_size) times the median characters per unit of that kind (a page, a byte
    of DOCX XML, ...) of the documents of that kind read ahead (CHARACTERS_PER until some are); without sizes,
    in the order given (no lengths)."""
    if not all(t.index in read or t.index in sizes for t in tasks):
        return tasks
    per = dict(CHARACTERS_PER)
    for unit in per:
        ratios = [read[i][1] / sizes[i][1] for i in read if i in sizes and sizes[i][0] == unit and sizes[i][1]]
        if ratios:
            per[unit] = statistics.median(ratios)

    def length(task: Task) -> float:
        if task.index in read:
            return read[task.index][1]
        unit, size = sizes[task.index]
        return size * per[unit]

    return sorted((replace(t, length=length(t)) for t in tasks), key=lambda t: -t.length)


BALANCE_WAYS = 256  # the most ways of sharing the waiting tasks among the workers that balanced_choice compares


def balanced_choice(waiting: list[float], busy: list[float]) -> int:
    """Which waiting task a free worker should start so that the workers are predicted to finish soonest:
    waiting holds each waiting task's predicted seconds (the longest first), busy the predicted seconds
    left on each other worker. Every way of sharing the waiting tasks among the workers is compared when
    there are at most BALANCE_WAYS; the free worker starts the longest task of its share in the best one
    (of equal ones, the first found). Otherwise, or with no other worker, 0: the longest first, which
    leaves the workers out of step by up to one task at the end (with two workers on the 19 reports in
    ../shared/data, up to a quarter of a second)."""
    workers = 1 + len(busy)
    if not busy or len(waiting) < 2 or not _comparable(len(waiting), workers):
        return 0
    best, choice = float("inf"), 0
    for shares in itertools.product(range(workers), repeat=len(waiting)):
        if 0 not in shares:  # the free worker takes a task now: never later than leaving it idle
            continue
        loads = [0.0, *busy]
        for seconds, worker in zip(waiting, shares):
            loads[worker] += seconds
        end = max(loads)
        if end < best:
            best = end
            choice = max((i for i, w in enumerate(shares) if w == 0), key=lambda i: waiting[i])
    return choice


def _comparable(tasks: int, workers: int) -> bool:
    """Whether balanced_choice compares every way of sharing this many tasks among this many workers."""
    return tasks <= BALANCE_WAYS.bit_length() and workers ** tasks <= BALANCE_WAYS


@dataclass
class Pace:
    """Seconds a character of text takes, from the tasks done so far (the time from handing a task to a
    worker to its result: each worker holds one task at a time)."""

    characters: float = 0.0
    seconds: float = 0.0

    def add(self, task: Task, seconds: float) -> None:
        if task.length:
            self.characters += task.length
            self.seconds += seconds

    def next_task(self, queue: deque[Task], running: list[tuple[Task, float]]) -> Task:
        """Take from queue (longest first) the task a free worker should start; running holds each other
        worker's task and the seconds it has run. The longest, until a task is done and every length is
        known; then balanced_choice, with each task predicted to take its length times the pace."""
        if (not self.characters or not running or not _comparable(len(queue), 1 + len(running))
                or any(t.length is None for t in queue) or any(t.length is None for t, _ in running)):
            return queue.popleft()  # (a long queue is passed over at once: a run of thousands stays linear)
        per = self.seconds / self.characters
        index = balanced_choice([t.length * per for t in queue],
                                [max(0.0, t.length * per - ran) for t, ran in running])
        task = queue[index]
        del queue[index]
        return task


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _pool_pass(queue: deque[Task], width: int, settings: Settings, cache_dir: Path | None, done: Done,
               work: Work, audits_dir: Path | None = None, idle: list[Callable[[], None]] | None = None) -> list[Task]:
    """Run tasks off `queue` in a pool of `width` workers until it is empty or a worker dies; returns the
    tasks in flight when a worker died (the rest stay in `queue`). Tasks go out longest first, the last few
    in the order that should end the run soonest (Pace.next_task). The callables in `idle` are taken out
    and called once a worker has nothing left to do."""
    sys.stdout.flush()  # a forked worker flushes what it inherited when it exits: nothing may be pending
    sys.stderr.flush()
    executor = ProcessPoolExecutor(max_workers=width, mp_context=get_context(start_method()),
                                   initializer=_init_worker, initargs=(settings, cache_dir, audits_dir))
    flight: dict[Future, tuple[Task, float]] = {}  # each task in a worker, with when it was handed over
    pace = Pace()
    try:
        while queue or flight:
            while queue and len(flight) < width:
                now = time.perf_counter()
                task = pace.next_task(queue, [(t, now - handed) for t, handed in flight.values()])
                flight[executor.submit(work, task)] = task, now
            while idle and not queue and len(flight) < width:
                idle.pop()()
            finished, _ = wait(flight, return_when=FIRST_COMPLETED)
            ended = time.perf_counter()
            broken = False
            for future in finished:
                error = future.exception()
                if isinstance(error, BrokenProcessPool):
                    broken = True
                    continue
                entry, reason, fatal = future.result() if error is None else (None, one_line(error), None)
                if fatal is not None:
                    raise fatal
                task, handed = flight.pop(future)
                if entry is not None:  # a file that fails, fails fast: its time says nothing of the pace
                    pace.add(task, ended - handed)
                done(task, entry, reason)
            if broken:
                return [task for task, _ in flight.values()]
        return []
    except BaseException:
        _stop_workers(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """End the pool's worker processes now (on Ctrl-C or an error), not after their current document."""
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()


# ---------------------------------------------------------------------------------------- the run


class ProgressBar:
    """A rich progress bar on stderr: documents done, rate, time left; the cached ones said up front."""

    def __init__(self, total: int, cached: int, console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
            TimeRemainingColumn

        note = f" ({cached} from cache)" if cached else ""
        # redrawn as each document finishes, not by a thread: workers are forked from this process
        self.progress = Progress(TextColumn(f"Auditing{note}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("documents"), TextColumn("{task.fields[rate]}"),
                                 TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                                 console=console, transient=False, auto_refresh=False)
        self.task = self.progress.add_task("audit", total=total, rate="")
        self.started = time.perf_counter()
        self.done = 0

    def __enter__(self) -> ProgressBar:
        self.progress.start()
        self.progress.refresh()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def advance(self) -> None:
        self.done += 1
        per_minute = 60 * self.done / max(time.perf_counter() - self.started, 1e-9)
        self.progress.update(self.task, advance=1, rate=f"{per_minute:.1f} a minute")
        self.progress.refresh()


def audit_corpus(paths: Iterable[str | Path], jobs: int | None = None, cache_dir: Path | None = None,
                 settings: Settings = Settings(), console=None, exclude: Iterable[Path] = (),
                 on_result: Callable[[Result], None] | None = None, audits_dir: Path | None = None,
                 on_idle: Callable[[], None] | None = None) -> CorpusRun:
    """Audit every input (cache_dir None: no cache). on_result is called with each good document as soon as
    it is known; with audits_dir, each good document's audit page is written there (by the worker that
    analysed it). on_idle is called once when a worker has nothing left to do (with workers only). Ctrl-C
    stops the run: run.interrupted, with what was done."""
    started = time.perf_counter()
    inputs = find_inputs(paths, exclude=[*exclude, *([cache_dir] if cache_dir else [])])
    if not inputs.files and not inputs.failures:
        skipped = f" ({len(inputs.skipped)} other files skipped)" if inputs.skipped else ""
        raise CorpusError(f"no report files found: PDF, DOCX, HTML, Markdown or plain text{skipped}")
    if cache_dir is not None:
        _prepare_folder(cache_dir)
    fingerprint_ = fingerprint(settings) if cache_dir is not None else ""
    tasks: list[Task] = []
    results: dict[int, Result] = {}
    failed: dict[int, Failure] = {}

    def keep(index: int, result: Result) -> None:
        results[index] = result
        if on_result:
            on_result(result)

    for index, (path, doc_id) in enumerate(zip(inputs.files, document_ids(inputs.files))):
        try:
            key = cache_key(path, fingerprint_) if cache_dir is not None else None
        except OSError as e:
            failed[index] = Failure(str(path), f"cannot read the file ({e.strerror or e})")
            continue
        audit = cached_audit(cache_dir, key, str(path)) if cache_dir is not None and key else None
        if audit:
            if audits_dir is not None:
                write_audit_page(audit, audits_dir, doc_id)
            keep(index, Result(doc_id, audit, cached=True))
        else:
            tasks.append(Task(index, str(path), doc_id, key))

    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    interrupted = False
    with ProgressBar(len(tasks), len(results), console) if console is not None and tasks else nullcontext() as bar:
        def done(task: Task, entry: dict | None, reason: str | None) -> None:
            if entry is None:
                failed[task.index] = Failure(task.path, reason or "unknown error")
            else:
                result = Result(task.doc_id, entry_audit(entry, task.path), cached=False)
                keep(task.index, result)
                if audits_dir is not None and jobs == 1:  # with workers, the worker wrote it
                    write_audit_page(result.audit, audits_dir, task.doc_id)
            if bar:
                bar.advance()

        try:
            if jobs == 1 and tasks:
                run_serial(tasks, settings, cache_dir, done)
            elif tasks:
                run_parallel(tasks, jobs, settings, cache_dir, done, audits_dir=audits_dir, on_idle=on_idle)
        except KeyboardInterrupt:
            interrupted = True
    good = [results[i] for i in sorted(results)]
    mark_duplicates(good)
    return CorpusRun(results=good,
                     failures=inputs.failures + [failed[i] for i in sorted(failed)], skipped=inputs.skipped,
                     interrupted=interrupted, seconds=time.perf_counter() - started)


# The format kept when one report comes in several: the richest first (pages; the layout the writer saw).
FORMAT_PREFERENCE = ("pdf", "docx", "html", "md", "txt")
INSPECTION_FIELDS = ("local_area", "inspection_start", "inspection_end", "document_type")


def report_identity(audit: Audit) -> tuple:
    """What makes two files the same report: the same local area, inspection dates and document type, read
    from the text (a PDF and its text version, a second download); where those are not all read, the same
    words."""
    m = audit.metadata
    values = [str(m.get(k) or "").strip().lower() for k in INSPECTION_FIELDS]
    if values[0] and values[1] and values[3] not in ("", "unknown"):
        return ("inspection", *values)
    return ("text", hashlib.sha256(" ".join(audit.text.split()).encode("utf-8")).hexdigest())


def mark_duplicates(results: list[Result]) -> None:
    """Set duplicate_of on every result that is the same report as another (report_identity): one copy of
    each report is counted, in the richest format (FORMAT_PREFERENCE), then the one with the shortest file
    name ("letter.pdf", not its copy "letter (1).pdf"), then the first given."""
    def preference(r: Result) -> tuple[int, int]:
        fmt = r.audit.format
        return (FORMAT_PREFERENCE.index(fmt) if fmt in FORMAT_PREFERENCE else len(FORMAT_PREFERENCE),
                len(Path(r.audit.path).name))

    kept: dict[tuple, Result] = {}
    for r in sorted(results, key=preference):  # stable: input order among equals
        identity = report_identity(r.audit)
        if identity in kept:
            r.duplicate_of = kept[identity].doc_id
        else:
            r.duplicate_of = ""
            kept[identity] = r


def run_corpus(paths: Iterable[str | Path], out_dir: Path, jobs: int | None = None, cache_dir: Path | None = None,
               use_cache: bool = True, settings: Settings = Settings(), console=None) -> CorpusRun:
    """audit_corpus, writing each document's audit page as it finishes and then the tables and the dashboard
    (see write_outputs); the cache is out_dir/.cache unless cache_dir is given. After Ctrl-C what was done
    is still written (run.interrupted)."""
    out_dir = Path(out_dir)
    _prepare_folder(out_dir)
    cache = (Path(cache_dir) if cache_dir else out_dir / ".cache") if use_cache else None
    run = audit_corpus(paths, jobs, cache, settings, console, exclude=[out_dir], audits_dir=out_dir / AUDITS_FOLDER,
                       on_idle=prepare_outputs)
    write_outputs(run, out_dir)
    return run


def prepare_outputs() -> None:
    """Import what write_outputs needs (pyarrow, the tables, the dashboard template) ahead of time: called
    while a worker is idle at the end of a run, so that this work does not wait for the last document."""
    import pyarrow.parquet  # noqa: F401

    from .report import tables  # noqa: F401
    from .report.dashboard import DASHBOARD_TEMPLATE
    from .report.html import environment

    environment().get_template(DASHBOARD_TEMPLATE)


def _prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CorpusError(f"{folder}: cannot create the folder ({e.strerror or e})") from None
    if not os.access(folder, os.W_OK):
        raise CorpusError(f"{folder}: folder is not writable")


def write_outputs(run: CorpusRun, out_dir: Path) -> None:
    """attributions.csv/.parquet, documents.csv/.parquet, failures.csv (framing.report.tables) and index.html
    (the dashboard); the per-document audits are written as each document finishes."""
    from .report.dashboard import write_dashboard
    from .report.tables import ATTRIBUTIONS, DOCUMENTS, FAILURES, attribution_rows, document_rows, failure_rows, \
        write_table

    write_table(DOCUMENTS, document_rows(run.results), out_dir / "documents")
    write_table(ATTRIBUTIONS, attribution_rows(run.results), out_dir / "attributions")
    write_table(FAILURES, failure_rows(run.failures), out_dir / "failures", parquet=False)
    write_dashboard(run, out_dir / "index.html")
