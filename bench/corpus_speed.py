"""Speed of `framing corpus` against the bare spaCy parse of the same texts (a benchmark, not a test).

    python bench/corpus_speed.py                  # the PDFs in ../shared/data/reports
    python bench/corpus_speed.py --profile        # and where one job's time goes (cProfile, by stage)

Words are spaCy tokens of the ingested texts. The bare parse is the same spaCy pipeline that
framing.pipeline loads (exclude=["ner"]) without framing's components, over the same ingested texts,
timed in this process (loading excluded). `framing corpus` is run as the command a user runs, with 1 and
with 2 jobs, each with a fresh cache and output folder, and timed from start to exit: it includes
starting Python, loading the pipeline, reading the PDFs and writing every output.
Targets: one job >= 0.8 of the bare parse rate; two jobs >= 1.8 times one job.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT.parent / "shared" / "data" / "reports"
ONE_JOB_TARGET = 0.8
TWO_JOB_TARGET = 1.8
STAGES = (  # (label, [(path fragment, function name)]) timed by cumulative time; a stage's parts do not overlap
    ("load the spaCy pipeline and framing's components", [("framing/pipeline.py", "load_pipeline")]),
    ("ingest: read PDFs (framing/ingest.py)", [("framing/ingest.py", "load")]),
    ("spaCy components, framing's excluded", [("spacy/language.py", "__call__")]),
    ("framing rules (framing/extract.py via the framing_attributions component)", [("framing/pipeline.py", "__call__")]),
    ("framing_sentences component", [("framing/pipeline.py", "framing_sentences")]),
    ("framing model (framing_classifier component)", [("framing/classifier.py", "__call__")]),
    ("metadata, advice, scoring", [("framing/metadata.py", "extract_metadata"), ("framing/advice.py", "annotate_advice"),
                                   ("framing/scoring.py", "score")]),
    ("cache entries (to JSON, written)", [("framing/report/jsonout.py", "audit_to_dict"), ("framing/batch.py", "write_atomic")]),
    ("outputs: audit pages, tables, dashboard", [("framing/report/html.py", "write_html"), ("framing/batch.py", "write_outputs")]),
)
INSIDE_SPACY = 3  # the stages after "spaCy components" up to here run inside Language.__call__



def ingested_texts(paths: list[Path]) -> tuple[list[str], float]:
    from framing.ingest import load
    from framing.pipeline import prepare_text

    started = time.perf_counter()
    texts = [prepare_text(load(p).text) for p in paths]
    return texts, time.perf_counter() - started


def bare_parse(texts: list[str]) -> tuple[int, float]:
    """(words, seconds) of the bare spaCy pipeline over the texts, the way load_pipeline loads it."""
    from framing.pipeline import MAX_LENGTH, _load_spacy

    nlp = _load_spacy(None)
    nlp.max_length = MAX_LENGTH
    started = time.perf_counter()
    words = sum(len(nlp(text)) for text in texts)  # one call per text, as framing does (here faster than nlp.pipe)
    return words, time.perf_counter() - started


CPU_USED: dict[int, float] = {}  # jobs -> cores the last full run of that many jobs kept busy on average


def corpus_command(paths: list[Path], jobs: int) -> float:
    """Seconds for `framing corpus` over the paths, fresh output and cache folders; CPU_USED[jobs] is set
    to the cores it kept busy (CPU seconds of it and its workers over wall seconds)."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-m", "framing", "corpus", *map(str, paths), "--out", f"{scratch}/out",
                   "--cache", f"{scratch}/cache", "--jobs", str(jobs), "--quiet"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"corpus_speed: framing corpus failed: {done.stderr.strip().splitlines()[-1:]}")
    CPU_USED[jobs] = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / seconds
    return seconds


def fixed_cost(jobs: int) -> float:
    """Seconds of `framing corpus` over two one-sentence texts: starting Python, imports, loading the pipeline
    (in each worker) and writing the outputs, with next to no analysis."""
    with tempfile.TemporaryDirectory() as scratch:
        tiny = [Path(scratch) / f"tiny{n}.txt" for n in (1, 2)]
        for n, path in enumerate(tiny):
            path.write_text(f"Parents feel that the plans are late{'.' * (n + 1)}", encoding="utf-8")
        return corpus_command(tiny, jobs)


def profile_one_job(paths: list[Path]) -> None:
    """cProfile of an in-process one-job run, its time split by stage (cumulative times of each stage's entry
    functions), then framing's own slowest functions."""
    from framing.batch import run_corpus

    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        profiler.enable()
        run_corpus(paths, Path(scratch) / "out", jobs=1, use_cache=True)
        profiler.disable()
        total = time.perf_counter() - started
    stats = pstats.Stats(profiler).stats

    def cumulative(fragment: str, name: str) -> float:
        return sum(ct for (f, _, n), (_, _, _, ct, _) in stats.items() if fragment in f and n == name)

    seconds = {label: sum(cumulative(f, n) for f, n in parts) for label, parts in STAGES}
    spacy_label = STAGES[2][0]
    seconds[spacy_label] -= sum(seconds[label] for label, _ in STAGES[3:3 + INSIDE_SPACY])
    seconds["everything else (imports, cache keys, scheduling)"] = total - sum(seconds.values())
    print(f"\nwhere one job's time goes (in-process, under cProfile: {total:.1f} s):")
    for label, value in seconds.items():
        print(f"  {value:6.1f} s  {value / total:5.1%}  {label}")
    print("\nframing's slowest functions (own time, not counting what they call):")
    rows = [(tt, f"{f.split('/framing/')[-1]}:{line} {name}") for (f, line, name), (_, _, tt, _, _) in stats.items()
            if "/framing/" in f]
    for tt, where in sorted(rows, reverse=True)[:12]:
        print(f"  {tt:6.2f} s  {where}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="Reports (default: the PDFs in ../shared/data/reports).")
    parser.add_argument("--profile", action="store_true", help="Also profile a one-job run by stage.")
    args = parser.parse_args()
    paths = args.paths or sorted(REPORTS.glob("*.pdf"))
    if not paths:
        print(f"corpus_speed: no reports given and none in {REPORTS}", file=sys.stderr)
        return 2
    print(f"{len(paths)} reports; {os.cpu_count()} cores; load average before: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    texts, ingest_seconds = ingested_texts(paths)
    words, bare_seconds = bare_parse(texts)
    one = corpus_command(paths, 1)
    two = corpus_command(paths, 2)
    cores = dict(CPU_USED)
    bare_rate, one_rate, two_rate = words / bare_seconds, words / one, words / two
    print(f"words (spaCy tokens): {words:,}; ingest alone: {ingest_seconds:.1f} s")
    print(f"bare spaCy parse:       {bare_seconds:6.1f} s  {bare_rate:8,.0f} words/s")
    print(f"framing corpus -j 1:    {one:6.1f} s  {one_rate:8,.0f} words/s  (kept {cores[1]:.2f} cores busy)")
    print(f"framing corpus -j 2:    {two:6.1f} s  {two_rate:8,.0f} words/s  (kept {cores[2]:.2f} cores busy; "
          "well under 2 means other work had the second core)")
    print(f"one job / bare parse:   {one_rate / bare_rate:.2f}  (target >= {ONE_JOB_TARGET}: "
          f"{'met' if one_rate / bare_rate >= ONE_JOB_TARGET else 'missed'})")
    print(f"two jobs / one job:     {two_rate / one_rate:.2f}  (target >= {TWO_JOB_TARGET}: "
          f"{'met' if two_rate / one_rate >= TWO_JOB_TARGET else 'missed'})")
    fixed_one, fixed_two = fixed_cost(1), fixed_cost(2)
    work_one, work_two = one - fixed_one, two - fixed_two
    print(f"fixed cost (two one-line texts): {fixed_one:.1f} s with 1 job, {fixed_two:.1f} s with 2 jobs")
    print(f"without it: one job {words / work_one:,.0f} words/s ({words / work_one / bare_rate:.2f} of the bare parse); "
          f"two jobs {work_one / work_two:.2f} times one job")
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine "
          "slows every figure)")
    if args.profile:
        profile_one_job(paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
