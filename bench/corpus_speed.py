"""Speed of `framing corpus` against the bare spaCy parse of the same texts (a benchmark, not a test).

    python bench/corpus_speed.py                  # the PDFs in ../shared/data/reports, best of 3 rounds
    python bench/corpus_speed.py --rounds 5       # more rounds on a busy machine
    python bench/corpus_speed.py --profile        # and where one job's time goes (cProfile, by stage)

Words are spaCy tokens of the ingested texts. The bare parse is the spaCy pipeline that framing.pipeline
loads (framing.pipeline._load_spacy: exclude=["ner"]) as spaCy ships it: without framing's components and
with spaCy's own attribute_ruler and lemmatizer (framing swaps in column-wise stand-ins that annotate
identically, framing.columnwise), over the same ingested texts, one call per text, timed in this process
(loading excluded). `framing corpus` is
run as the command a user runs, with 1 and with 2 jobs, each with a fresh cache and output folder, and
timed from start to exit: it includes starting Python, importing, loading the pipeline, reading the PDFs
and writing every output.

Two bare parses at once, in two processes forked once the pipeline is loaded as framing's workers are,
show how much faster two processes parse than one on the machine at hand: the ceiling for two jobs,
whatever framing does (processes share caches and memory bandwidth).

Each round measures the bare parse, two parses at once, one job and two jobs, one after the other (then
the fixed costs, as many times); every figure is the best (shortest) of the rounds, so that work of other
programs on the machine (which only ever slows a run down) disturbs the figures less. Every run's time is
printed with the CPU time other processes (and, in a virtual machine, the hypervisor) used while it ran
(from /proc/stat, on Linux): a run where that is large was slowed by them. The load average is printed
before and after. The speed of a shared or virtual machine also drifts from run to run with no other
process in sight, so the two ratios are also given round by round (a round's runs are the closest in
time), sorted, with their median.
The last line puts the two figures together: an estimate of the most two jobs can gain over one on this
corpus and machine. A two-job run needs at least the least fixed cost either job count showed (starting
Python, loading the pipeline once, writing the outputs). Of one job's work on the documents (its time less
its fixed cost), only the reading can be done while the pipeline loads (by the read-ahead helper; credited
whole, as the "ingest alone" figure printed); the rest needs the pipeline, and is taken to go as fast as
two bare parses at once. So two jobs take about
    least fixed cost + (one job's document work - ingest alone) / two-parse gain
and the line says how much of that estimate the measured ratio reaches. It is not a hard bound: the
two-parse gain is measured at other moments than framing's runs (and the machine's speed drifts), and
framing's own work (its rules, the reading) may share two cores better than the parser does; a one-round
run has measured 1.84 against an estimate of 1.80.
Before any run, framing's modules are compiled to bytecode, as an installed package's are (pip compiles them
when it installs; Python writes them on a first run): where PYTHONDONTWRITEBYTECODE is set, as on this
project's machines, every run would otherwise compile all of framing from source, about 0.1 s of its start
that no user pays. --no-bytecode measures without it.
Targets: one job >= 0.8 of the bare parse rate; two jobs >= 1.8 times one job.
"""
from __future__ import annotations

import argparse
import compileall
import cProfile
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
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
    ("cache entries (to JSON, written)", [("framing/report/jsonout.py", "audit_to_dict"),
                                          ("framing/batch.py", "write_cache_entry")]),
    ("outputs: audit pages, tables, dashboard", [("framing/batch.py", "write_audit_page"),
                                                 ("framing/batch.py", "write_outputs")]),
)
INSIDE_SPACY = 3  # the stages after "spaCy components" up to here run inside Language.__call__


def busy_cpu_seconds() -> float | None:
    """CPU seconds all processors have spent not idle since boot, time taken by the hypervisor (steal) included
    (Linux), None elsewhere."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            values = [int(v) for v in f.readline().split()[1:9]]  # user nice system idle iowait irq softirq steal
    except (OSError, ValueError):
        return None
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


@dataclass
class Timed:
    seconds: float
    cores: float = 0.0  # CPU seconds of the run (and its workers) over its wall seconds
    others: float | None = None  # CPU seconds other processes used meanwhile


class Meter:
    """Wall time of a block, the CPU time of this process and its children, and what the rest of the machine used."""

    def __enter__(self) -> Meter:
        self.busy, self.self_cpu = busy_cpu_seconds(), self._own()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.timed = Timed(time.perf_counter() - self.started)
        used = self._own() - self.self_cpu
        self.timed.cores = used / self.timed.seconds
        busy = busy_cpu_seconds()
        if busy is not None and self.busy is not None:
            self.timed.others = max(0.0, busy - self.busy - used)

    @staticmethod
    def _own() -> float:
        me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def ingested_texts(paths: list[Path]) -> tuple[list[str], float]:
    from framing.ingest import load
    from framing.pipeline import prepare_text

    started = time.perf_counter()
    texts = [prepare_text(load(p).text) for p in paths]
    return texts, time.perf_counter() - started


def bare_nlp():
    """The spaCy pipeline as load_pipeline loads it, before framing adds its components and its stand-ins."""
    from framing.pipeline import MAX_LENGTH, _load_spacy

    nlp = _load_spacy(None)
    nlp.max_length = MAX_LENGTH
    return nlp


def bare_parse(texts: list[str]) -> tuple[int, Timed]:
    """(words, time) of the bare spaCy pipeline over the texts; a fresh pipeline each time, as a run has."""
    nlp = bare_nlp()
    with Meter() as meter:
        words = sum(len(nlp(text)) for text in texts)  # one call per text, as framing does (here faster than nlp.pipe)
    return words, meter.timed


def bare_parse_pair(texts: list[str]) -> Timed:
    """Time of two bare parses of all the texts at once, in two processes forked once the pipeline is loaded
    (as framing's workers are): how much of a second core two jobs can get on this machine (processes share
    caches and memory bandwidth), whatever framing does."""
    nlp = bare_nlp()
    with Meter() as meter:
        children = []
        for _ in range(2):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child
                try:
                    sum(len(nlp(text)) for text in texts)
                finally:
                    os._exit(0)
            children.append(pid)
        for pid in children:
            os.waitpid(pid, 0)
    return meter.timed


def corpus_command(paths: list[Path], jobs: int) -> Timed:
    """Time of `framing corpus` over the paths, with fresh output and cache folders."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-m", "framing", "corpus", *map(str, paths), "--out", f"{scratch}/out",
                   "--cache", f"{scratch}/cache", "--jobs", str(jobs), "--quiet"]
        with Meter() as meter:
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"corpus_speed: framing corpus failed: {done.stderr.strip().splitlines()[-1:]}")
    return meter.timed


def fixed_cost(jobs: int) -> Timed:
    """`framing corpus` over two one-sentence texts: starting Python, imports, loading the pipeline (in each
    worker) and writing the outputs, with next to no analysis."""
    with tempfile.TemporaryDirectory() as scratch:
        tiny = [Path(scratch) / f"tiny{n}.txt" for n in (1, 2)]
        for n, path in enumerate(tiny):
            path.write_text(f"Parents feel that the plans are late{'.' * (n + 1)}", encoding="utf-8")
        return corpus_command(tiny, jobs)


def describe(runs: list[Timed]) -> str:
    def one(t: Timed) -> str:
        return f"{t.seconds:.1f}" + (f" ({t.others:.1f})" if t.others is not None else "")
    return ", ".join(one(t) for t in runs)


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


def compile_framing() -> str:
    """Compile framing's modules to bytecode (see the module's docstring); what was done, in a line."""
    compileall.compile_dir(ROOT / "framing", quiet=1)
    unwritten = " (PYTHONDONTWRITEBYTECODE is set: no run would have written it)" if sys.dont_write_bytecode else ""
    return f"framing's modules compiled to bytecode first, as an installed package's are{unwritten}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="Reports (default: the PDFs in ../shared/data/reports).")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds of measurements; the best of each is kept (3).")
    parser.add_argument("--profile", action="store_true", help="Also profile a one-job run by stage.")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="Do not compile framing's modules to bytecode first (see above).")
    args = parser.parse_args()
    paths = args.paths or sorted(REPORTS.glob("*.pdf"))
    if not paths:
        print(f"corpus_speed: no reports given and none in {REPORTS}", file=sys.stderr)
        return 2
    rounds = max(1, args.rounds)
    print(f"{len(paths)} reports; {os.cpu_count()} cores; best of {rounds} rounds; load average before: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("framing's modules as they are: not compiled first" if args.no_bytecode else compile_framing())
    texts, ingest_seconds = ingested_texts(paths)
    bare_runs, pair_runs, one_runs, two_runs = [], [], [], []
    for _ in range(rounds):
        words, timed = bare_parse(texts)
        bare_runs.append(timed)
        if hasattr(os, "fork"):
            pair_runs.append(bare_parse_pair(texts))
        one_runs.append(corpus_command(paths, 1))
        two_runs.append(corpus_command(paths, 2))
    fixed_one = [fixed_cost(1) for _ in range(rounds)]
    fixed_two = [fixed_cost(2) for _ in range(rounds)]
    bare, one, two = (min(r, key=lambda t: t.seconds) for r in (bare_runs, one_runs, two_runs))
    bare_rate, one_rate, two_rate = words / bare.seconds, words / one.seconds, words / two.seconds
    one_over_bare, two_over_one = one_rate / bare_rate, two_rate / one_rate
    print(f"words (spaCy tokens): {words:,}; ingest alone: {ingest_seconds:.2f} s")
    print("every run, in seconds (CPU seconds other processes used meanwhile):")
    for label, runs in (("bare parse", bare_runs), ("two at once", pair_runs), ("-j 1", one_runs), ("-j 2", two_runs),
                        ("fixed -j 1", fixed_one), ("fixed -j 2", fixed_two)):
        if runs:
            print(f"  {label:11} {describe(runs)}")
    print(f"bare spaCy parse:       {bare.seconds:6.1f} s  {bare_rate:8,.0f} words/s")
    # round by round: the best pair against the best single parse would mix fast and slow moments
    gains = sorted(2 * b.seconds / p.seconds for b, p in zip(bare_runs, pair_runs))
    if gains:
        print(f"two bare parses at once (two processes) do {', '.join(f'{g:.2f}' for g in gains)} times the work of one "
              f"in the same time, round by round (median {statistics.median(gains):.2f}): the most two jobs can gain here")
    print(f"framing corpus -j 1:    {one.seconds:6.1f} s  {one_rate:8,.0f} words/s  (kept {one.cores:.2f} cores busy)")
    print(f"framing corpus -j 2:    {two.seconds:6.1f} s  {two_rate:8,.0f} words/s  (kept {two.cores:.2f} cores busy; "
          "well under 2 means other work had the second core)")
    print(f"one job / bare parse:   {one_over_bare:.2f}  (target >= {ONE_JOB_TARGET}: "
          f"{'met' if one_over_bare >= ONE_JOB_TARGET else 'missed'})")
    print(f"two jobs / one job:     {two_over_one:.2f}  (target >= {TWO_JOB_TARGET}: "
          f"{'met' if two_over_one >= TWO_JOB_TARGET else 'missed'})")
    if rounds > 1:  # the machine's speed drifts between runs: the same round's runs are the closest pairs
        one_bare = sorted(b.seconds / o.seconds for b, o in zip(bare_runs, one_runs))
        two_one = sorted(o.seconds / t.seconds for o, t in zip(one_runs, two_runs))
        print(f"round by round:         one job / bare parse {', '.join(f'{x:.2f}' for x in one_bare)} "
              f"(median {statistics.median(one_bare):.2f}); two jobs / one job {', '.join(f'{x:.2f}' for x in two_one)} "
              f"(median {statistics.median(two_one):.2f})")
    fixed_1, fixed_2 = (min(t.seconds for t in r) for r in (fixed_one, fixed_two))
    work_one, work_two = one.seconds - fixed_1, two.seconds - fixed_2
    print(f"fixed cost (two one-line texts): {fixed_1:.2f} s with 1 job, {fixed_2:.2f} s with 2 jobs")
    print(f"without it: one job {words / work_one:,.0f} words/s ({words / work_one / bare_rate:.2f} of the bare parse); "
          f"two jobs {work_one / work_two:.2f} times one job")
    if gains:  # Amdahl, with the read-ahead credited: an estimate (see the module's docstring)
        gain = statistics.median(gains)
        least_fixed = min(fixed_1, fixed_2)
        ceiling = one.seconds / (least_fixed + max(0.0, work_one - ingest_seconds) / gain)
        print(f"estimated ceiling for two jobs / one job here: {ceiling:.2f} = {one.seconds:.2f} s / ({least_fixed:.2f} s "
              f"fixed + ({work_one:.2f} - {ingest_seconds:.2f} s read while loading) / {gain:.2f}); measured "
              f"{two_over_one:.2f}, {two_over_one / ceiling:.0%} of it; the target {TWO_JOB_TARGET} is "
              f"{'within' if ceiling >= TWO_JOB_TARGET else 'above'} this estimate")
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine "
          "slows every figure)")
    if args.profile:
        profile_one_job(paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
