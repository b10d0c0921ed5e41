"""The `framing` command: check, annotate, evaluate, train.

Bad input gives one line on stderr naming the file and the reason, and exit status 2; the other
inputs of the same command are still processed and written.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .ingest import IngestError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Audit how inspection reports attribute evidence to its sources.")
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

EXIT_OK, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2
FORMATS = ("html", "json")


def fail(message: str) -> None:
    """One line on stderr, no traceback (plain write: rich would wrap it at the console width)."""
    sys.stderr.write(f"framing: error: {' '.join(message.split())}\n")


def _pipeline(model: Optional[str], rules_only: bool):
    from .pipeline import PipelineError, load_pipeline

    try:
        return load_pipeline(model, framing_model=not rules_only)
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
    files: list[Path] = typer.Argument(..., help="Reports to check: PDF, DOCX, HTML or plain text."),
    out_dir: Path = typer.Option(Path("framing-out"), "--out", "-o", help="Folder for the audits."),
    formats: str = typer.Option("html,json", "--format", "-f", help="Comma-separated: html, json."),
    model: Optional[str] = typer.Option(None, "--model", help="An installed spaCy pipeline (default: en_core_web_sm)."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Do not use the trained framing model."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No terminal summary."),
) -> None:
    """Audit reports: an HTML audit and JSON per input, and a summary here."""
    from .audit import audit_file
    from .report import ReportError, print_summary, write_html, write_json

    chosen = _formats(formats)
    nlp = _pipeline(model, rules_only)
    audits, failed = [], 0
    for path in files:
        try:
            audit = audit_file(path, nlp)
        except IngestError as e:
            fail(str(e))
            failed += 1
            continue
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            if "html" in chosen:
                write_html(audit, out_dir / f"{path.stem}.html")
            if "json" in chosen:
                write_json(audit, out_dir / f"{path.stem}.json")
        except (ReportError, OSError) as e:
            fail(f"{out_dir}: cannot write the audit of {path} ({e})")
            failed += 1
            continue
        audits.append(audit)
    if audits and not quiet:
        print_summary(audits, out)
        out.print(f"Audits written to {out_dir}/", markup=False)
    raise typer.Exit(EXIT_ERROR if failed else EXIT_OK)


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


def main() -> None:  # pragma: no cover - console entry for `python -m framing`
    try:
        app()
    except KeyboardInterrupt:
        fail("interrupted")
        sys.exit(130)
