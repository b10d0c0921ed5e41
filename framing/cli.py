"""The `framing` command: check, corpus, config, annotate, evaluate, train.

Bad input gives one line on stderr naming the file and the reason, and exit status 2; the other
inputs of the same command are still processed and written.
"""
from __future__ import annotations

import atexit
import gc
import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .ingest import IngestError

# Run last at exit (exit handlers run last-registered first): the interpreter's shutdown runs full garbage
# collections over every object still alive, half a second with spaCy and pandas loaded; frozen, they are
# skipped. Objects are still freed (files flushed and closed) as the modules are torn down.
atexit.register(gc.freeze)

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Audit how inspection reports attribute evidence to its sources.")
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

EXIT_OK, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "html", "sarif")


def fail(message: str) -> None:
    """One line on stderr, no traceback (plain write: rich would wrap it at the console width)."""
    sys.stderr.write(f"framing: error: {' '.join(message.split())}\n")


def _pipeline(model: Optional[str], rules_only: bool, config_key: tuple = ()):
    from .pipeline import PipelineError, load_pipeline

    try:
        return load_pipeline(model, framing_model=not rules_only, config_key=config_key)
    except PipelineError as e:
        fail(str(e))
        raise typer.Exit(EXIT_ERROR)


def _formats(value: str) -> list[str]:
    chosen = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise typer.BadParameter(f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}")
    return chosen


def _read_records(path: Path) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        fail(f"{path}: no such file")
        raise typer.Exit(EXIT_ERROR)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        fail(f"{path}: not JSON Lines ({e})")
        raise typer.Exit(EXIT_ERROR)
    bad = [i + 1 for i, r in enumerate(records) if not isinstance(r, dict) or not isinstance(r.get("text"), str) or "id" not in r]
    if bad:
        fail(f"{path}: record {bad[0]} lacks an 'id' or a 'text'")
        raise typer.Exit(EXIT_ERROR)
    return records


@app.command()
def check(
    files: list[Path] = typer.Argument(..., help="Reports to check: PDF, DOCX, HTML, Markdown or plain text."),
    out_dir: Optional[Path] = typer.Option(
        None, "--out", "-o", help="Folder for the html, json and sarif outputs (default ./framing-out). With an "
                                  "explicit --format and no --out, json or sarif go to stdout."),
    formats: Optional[str] = typer.Option(
        None, "--format", "-f", help="Comma-separated: text, json, html, sarif. Default: text,html,json."),
    fail_on: list[str] = typer.Option(
        [], "--fail-on", help="The bar for exit status 1 (repeatable or comma-separated): a severity (error, warning, "
                              "info), a rule (emotion, belief, unevidenced-knowledge, asymmetry, ignore-without-reason), "
                              "asymmetry>N (N a difference of proportions, 0.2 = 20 points) or none. Default: warning."),
    config_path: Optional[Path] = typer.Option(
        None, "--config", help="Configuration file (default: framing.toml or \\[tool.framing] in pyproject.toml, "
                               "searched upwards from each input)."),
    annotate_docx: Optional[Path] = typer.Option(
        None, "--annotate-docx", help="Write a copy of the (single) DOCX input with a Word comment on each flag."),
    model: Optional[str] = typer.Option(None, "--model", help="An installed spaCy pipeline (default: en_core_web_sm)."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Do not use the trained framing model."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No text output and no progress bar."),
) -> None:
    r"""Lint reports: one line per flag (path:page:line:col: severity: message \[rule-id]) and a summary.

    Exit status: 0 when nothing reaches the --fail-on bar, 1 when something does, 2 when an input or the configuration cannot be read (the other inputs are still checked and written).
    """  # each paragraph on one line: typer's help keeps a paragraph's line breaks
    from .config import ConfigError, resolve
    from .lint import parse_fail_on, summary_line

    chosen = _formats(formats or "text,html,json")
    if formats is None and out_dir is None:
        out_dir = Path("framing-out")
    to_stdout = [f for f in ("json", "sarif") if f in chosen and out_dir is None]
    if len(to_stdout) > 1:
        fail("--format json,sarif without --out: only one machine format can go to stdout; give --out DIR")
        raise typer.Exit(EXIT_ERROR)
    if annotate_docx and (len(files) != 1 or files[0].suffix.lower() != ".docx"):
        fail("--annotate-docx needs exactly one .docx input")
        raise typer.Exit(EXIT_ERROR)
    try:
        bars = parse_fail_on(fail_on) if fail_on else None
        configs = {path: resolve(path, config_path) for path in files}
    except ValueError as e:  # ConfigError is a ValueError; a bad --fail-on term too
        fail(str(e) if isinstance(e, ConfigError) else f"--fail-on: {e}")
        raise typer.Exit(EXIT_ERROR)
    results, errors = [], []
    with _check_progress(files, quiet) as progress:
        for path in files:
            result = _check_one(path, configs[path], fail_on, model, rules_only, progress, errors)
            if result is not None and _write_outputs(result, configs[path], fail_on, chosen, out_dir, to_stdout, errors):
                results.append(result)
            progress.file_done()
    if "sarif" in chosen:
        _write_sarif(results, errors, out_dir)
    if annotate_docx and results:
        _annotate_docx(files[0], annotate_docx, results[0], errors)
    if results and not quiet and (formats is None or sys.stderr.isatty()):
        from .report import print_summary

        print_summary([r.audit for r in results], err)  # the headline figures, for people (stderr)
        if out_dir is not None:
            err.print(f"Audits written to {out_dir}/", markup=False)
    if "text" in chosen and not quiet:
        stream = sys.stderr if to_stdout else sys.stdout
        from .lint import text_lines

        for result in results:
            for line in text_lines(result):
                print(line, file=stream)
        shown_bars = bars if bars is not None else (configs[files[0]].bars() if files else [])
        print(summary_line(results, len(errors), shown_bars), file=stream)
    if errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FLAGGED if any(r.reached for r in results) else EXIT_OK)


PROGRESS_MIN_PAGES = 20


class _CheckProgress:
    """A rich progress bar on stderr: pages of a long PDF (over PROGRESS_MIN_PAGES), files when several."""

    def __init__(self, files: list[Path], enabled: bool):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            console=err, transient=True, disable=not enabled,
                            redirect_stdout=False, redirect_stderr=False)
        self.files_task = self.bar.add_task("files", total=len(files)) if len(files) > 1 else None
        self.pages_task = None

    def __enter__(self) -> _CheckProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.stop()

    def pages(self, path: Path):
        def update(done: int, total: int) -> None:
            if total <= PROGRESS_MIN_PAGES:
                return
            if self.pages_task is None:
                self.pages_task = self.bar.add_task(f"reading {path.name}", total=total)
            self.bar.update(self.pages_task, completed=done, total=total, description=f"reading {path.name}")
            self.bar.refresh()
        return update

    def file_done(self) -> None:
        if self.pages_task is not None:
            self.bar.remove_task(self.pages_task)
            self.pages_task = None
        if self.files_task is not None:
            self.bar.advance(self.files_task)


def _check_progress(files: list[Path], quiet: bool) -> _CheckProgress:
    """Shown only on a terminal: piped or captured stderr gets no bar."""
    return _CheckProgress(files, enabled=not quiet and err.is_terminal)


def _check_one(path: Path, config, fail_on: list[str], model: Optional[str], rules_only: bool,
               progress: _CheckProgress, errors: list[str]):
    """Ingest, audit and lint one input; None (and the error reported) when it cannot be read."""
    from .audit import audit_document
    from .ingest import load, load_text
    from .lint import lint
    from .suppress import read_docx_suppressions, read_source

    started = time.perf_counter()
    try:
        document = load(path, progress=progress.pages(path))
        source = read_source(path)
        if source.ingest_text is not None:  # comments cut out of a text or Markdown file
            document = load_text(source.ingest_text, str(path))
        if source.format == "docx":
            source.suppressions = read_docx_suppressions(path, document.paragraphs)
        else:
            source.resolve(document.text)
    except IngestError as e:
        fail(str(e))
        errors.append(str(e))
        return None
    except Exception as e:  # a DOCX whose comments cannot be read: one line, never a traceback
        fail(f"{path}: could not read its comments ({type(e).__name__}: {' '.join(str(e).split())})")
        errors.append(str(path))
        return None
    nlp = _pipeline(model, rules_only, config.pipeline_key())
    audit = audit_document(document, nlp, time.perf_counter() - started)
    for warning in audit.warnings:  # on stderr: stdout stays parseable
        err.print(f"framing: warning: {path}: {warning}", markup=False, soft_wrap=True)
    return lint(audit, source, config.settings(fail_on or None))


def _write_outputs(result, config, fail_on: list[str], chosen: list[str], out_dir: Optional[Path],
                   to_stdout: list[str], errors: list[str]) -> bool:
    """The html and json of one input (files, or json on stdout as one line); False when writing failed."""
    from .lint import lint_dict, render_lint_html
    from .report import ReportError, audit_to_dict, render_html
    from .report.jsonout import write_text

    folder = out_dir or Path("framing-out")
    stem = Path(result.audit.path).stem
    try:
        if "html" in chosen:
            write_text(folder / f"{stem}.html", render_lint_html(result, render_html(result.audit)))
        if "json" in chosen:
            config_name = str(config.path) if config.path else None
            data = audit_to_dict(result.audit) | {"lint": lint_dict(result, config.bars(fail_on or None), config_name)}
            if "json" in to_stdout:
                sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
            else:
                write_text(folder / f"{stem}.json", json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")
    except ReportError as e:
        fail(str(e))
        errors.append(str(e))
        return False
    return True


def _write_sarif(results: list, errors: list[str], out_dir: Optional[Path]) -> None:
    from . import __version__
    from .lint import sarif
    from .report import ReportError
    from .report.jsonout import write_text

    text = json.dumps(sarif(results, errors, __version__), ensure_ascii=False, indent=1) + "\n"
    if out_dir is None:
        sys.stdout.write(text)
        return
    try:
        write_text(out_dir / "framing.sarif", text)
    except ReportError as e:
        fail(str(e))
        errors.append(str(e))


def _annotate_docx(draft: Path, target: Path, result, errors: list[str]) -> None:
    from .docx_review import DocxReviewError, annotate_docx

    try:
        added, skipped = annotate_docx(draft, target, result)
    except DocxReviewError as e:
        fail(str(e))
        errors.append(str(e))
        return
    note = f" ({skipped} in tables or not anchorable, listed in the other outputs only)" if skipped else ""
    err.print(f"{added} comment{'s' if added != 1 else ''} written to {target}{note}", markup=False)


@app.command("config")
def show_config(
    path: Path = typer.Argument(Path("."), help="An input file or folder: the search for a configuration starts there."),
    config_path: Optional[Path] = typer.Option(None, "--config", help="Use this configuration file instead of searching."),
    fail_on: list[str] = typer.Option([], "--fail-on", help="As for `framing check`: shows the bar it sets."),
) -> None:
    """Print the effective configuration for an input, and where each value came from."""
    from .config import ConfigError, describe, resolve
    from .lint import parse_fail_on

    try:
        if fail_on:
            parse_fail_on(fail_on)
        config = resolve(path, config_path)
    except ValueError as e:
        fail(str(e) if isinstance(e, ConfigError) else f"--fail-on: {e}")
        raise typer.Exit(EXIT_ERROR)
    for line in describe(config, fail_on or None):
        print(line)


@app.command()
def annotate(
    infile: Path = typer.Argument(..., help="Records in the ANNOTATION.md gold format (their attributions are ignored)."),
    outfile: Path = typer.Option(..., "--out", "-o", help="Where to write the records with predicted attributions."),
    model: Optional[str] = typer.Option(None, "--model", help="An installed spaCy pipeline."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Do not use the trained framing model."),
) -> None:
    """Predict attributions for gold-format records (the interface every evaluation uses)."""
    from .audit import annotate_records

    records = _read_records(infile)
    nlp = _pipeline(model, rules_only)
    predicted = annotate_records(records, nlp)
    outfile.parent.mkdir(parents=True, exist_ok=True)
    with open(outfile, "w", encoding="utf-8") as f:
        for record in predicted:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    err.print(f"{len(predicted)} records, {sum(len(r['attributions']) for r in predicted)} attributions -> {outfile}",
              markup=False)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold records (ANNOTATION.md format)."),
    model: Optional[str] = typer.Option(None, "--model", help="An installed spaCy pipeline."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Do not use the trained framing model."),
    errors: Optional[Path] = typer.Option(None, "--errors", help="Write every error (TSV) with its sentence here."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="Also write the predicted records here."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Run the pipeline on gold records and print the ANNOTATION.md figures."""
    from .audit import annotate_records
    from .evaluate import score, write_errors
    from .pipeline import provenance

    records = _read_records(gold)
    nlp = _pipeline(model, rules_only)
    started = time.perf_counter()
    predicted = annotate_records(records, nlp)
    gold_by_id = {r["id"]: r for r in records}
    result, error_cases = score(gold_by_id, {r["id"]: r for r in predicted})
    result["provenance"] = provenance(nlp)
    result["seconds"] = round(time.perf_counter() - started, 2)
    if predictions:
        with open(predictions, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in predicted)
    if errors:
        write_errors(error_cases, gold_by_id, errors)
    if as_json:
        print(json.dumps(result, indent=1))
        return
    from .report import print_evaluation

    print_evaluation(result, out)
    if errors:
        out.print(f"{len(error_cases)} errors written to {errors}", markup=False)


@app.command()
def train(
    corpus: Path = typer.Option(Path("corpus/train.jsonl"), "--corpus", help="Training records (the project's corpus)."),
    test: list[Path] = typer.Option([Path("corpus/test.jsonl")], "--test",
                                    help="Gold sets to evaluate on for the model card (repeatable)."),
    model: Optional[str] = typer.Option(None, "--model", help="An installed spaCy pipeline."),
    seed: int = typer.Option(0, "--seed", help="Random seed."),
) -> None:
    """Rebuild the framing model from corpus/ and write models/ (model and model card)."""
    from .audit import annotate_records
    from .classifier import MODEL_PATH, FramingClassifier, train as fit, write_model_card
    from .evaluate import score

    rules = _pipeline(model, rules_only=True)
    fitted = fit(_read_records(corpus), rules, seed=seed)
    fitted.save(MODEL_PATH)
    evaluations: dict[str, dict] = {}
    for path in [p for p in test if p.exists()]:
        records = _read_records(path)
        gold = {r["id"]: r for r in records}
        rules_result, _ = score(gold, {r["id"]: r for r in annotate_records(records, rules)})
        rules.add_pipe("framing_classifier")
        try:
            model_result, _ = score(gold, {r["id"]: r for r in annotate_records(records, rules)})
        finally:
            rules.remove_pipe("framing_classifier")
        evaluations[str(path)] = {"rules only": rules_result, "rules + model": model_result}
        out.print(f"{path}: F1 rules only {rules_result['attribution_f1']}, rules + model {model_result['attribution_f1']}",
                  markup=False)
    write_model_card(fitted, evaluations, MODEL_PATH.parent / "MODEL_CARD.md")
    out.print(f"model written to {MODEL_PATH} ({fitted.card['features']} features); card: {MODEL_PATH.parent / 'MODEL_CARD.md'}",
              markup=False)


EXIT_SOME_FAILED, EXIT_INTERRUPTED = 1, 130


@app.command()
def corpus(
    paths: list[str] = typer.Argument(..., help="Reports: files, folders (searched recursively) or quoted globs "
                                                "('reports/**/*.pdf') of PDF, DOCX, HTML or plain text."),
    out_dir: Path = typer.Option(..., "--out", "-o", help="Folder for the dashboard, the tables and the audits."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes (default 0: one per core)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache", help="Cache folder (default: OUT/.cache)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Analyse every document again; read and write no cache."),
    config_path: Optional[Path] = typer.Option(None, "--config", help="Configuration file (default: framing.toml, or "
                                                                      "pyproject.toml with a tool.framing table, found "
                                                                      "from the current folder)."),
    model: Optional[str] = typer.Option(None, "--model", help="An installed spaCy pipeline (default: en_core_web_sm)."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Do not use the trained framing model."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary (failures still listed)."),
) -> None:
    """Audit a corpus: a dashboard (index.html), documents and attributions tables (CSV, Parquet), one audit per report.

    Resumable: each finished report is cached by its content, the model and the lexicon, so a rerun after an interruption does only the missing ones.

    Exit status: 0 all read; 1 some files failed (listed at the end, every other report is written); 2 nothing could run; 130 interrupted.
    """
    from .batch import CorpusError, Settings, run_corpus
    from .config import ConfigError, resolve
    from .pipeline_id import PipelineError  # not framing.pipeline: spaCy is imported when the pipeline loads
    from .report.jsonout import ReportError

    try:
        config = resolve(Path.cwd(), config_path)
        settings = Settings(model, not rules_only, config.pipeline_key())
        run = run_corpus(paths, out_dir, jobs=jobs or None, cache_dir=cache_dir, use_cache=not no_cache,
                         settings=settings, console=None if quiet else err)
    except (CorpusError, PipelineError, ConfigError, ReportError) as e:
        fail(str(e))
        raise typer.Exit(EXIT_ERROR)
    if run.failures:
        err.print(f"{len(run.failures)} file{'s' if len(run.failures) != 1 else ''} failed:", markup=False, soft_wrap=True)
        for failure in run.failures:
            fail(f"{failure.path}: {failure.reason}")
    if run.interrupted:
        fail(f"interrupted: {len(run.results)} reports done and written to {out_dir}/; "
             "run the same command again to finish the rest")
        raise typer.Exit(EXIT_INTERRUPTED)
    if not quiet:
        from .report.figures import headline
        from .scoring import score

        pooled = headline(score(a for r in run.counted for a in r.audit.attributions).asymmetry)
        rate = f"; {run.words_analysed / run.seconds:,.0f} words a second" if run.computed and run.seconds else ""
        audited = (f"{len(run.results)} files audited ({len(run.counted)} reports)" if run.duplicates
                   else f"{len(run.results)} reports audited")
        out.print(f"{audited} in {run.seconds:.1f} s ({run.computed} analysed, "
                  f"{run.from_cache} from the cache{rate}).", markup=False, soft_wrap=True)
        out.print(f"Pooled asymmetry: {pooled.difference} (95% interval {pooled.interval})" if pooled.enough
                  else "Pooled asymmetry: not enough evidence", markup=False, soft_wrap=True)
        if run.duplicates:
            pairs = [f"{Path(r.audit.path).name} = {Path(kept.audit.path).name}" for r, kept in run.duplicates]
            n = len(pairs)
            out.print(f"{n} file{'s' if n != 1 else ''} repeat{'s' if n == 1 else ''} a report already counted (same "
                      f"local area, inspection dates and type, or the same words), counted once: "
                      f"{', '.join(pairs[:3])}{', ...' if n > 3 else ''}", markup=False, soft_wrap=True)
        if run.skipped:
            names = ", ".join(p.name for p in run.skipped[:3]) + (", ..." if len(run.skipped) > 3 else "")
            out.print(f"{len(run.skipped)} file{'s' if len(run.skipped) != 1 else ''} skipped: not a report "
                      f"({names})", markup=False, soft_wrap=True)
        out.print(f"Written to {out_dir}/: index.html (dashboard), documents.csv/.parquet, attributions.csv/.parquet, "
                  f"failures.csv, audits/", markup=False, soft_wrap=True)
    raise typer.Exit(EXIT_SOME_FAILED if run.failures else EXIT_OK)


def main() -> None:  # pragma: no cover - console entry for `python -m framing`
    try:
        app()
    except KeyboardInterrupt:
        fail("interrupted")
        sys.exit(130)
