"""The corpus tables: one row per document and one per attribution, as CSV and parquet files (`framing corpus`)
and as pandas DataFrames (framing.analyse_corpus).

    write_table(DOCUMENTS, document_rows(run.results), out / "documents")   # documents.csv and .parquet
    data_frame(ATTRIBUTIONS, attribution_rows(run.results))                # the same table, in pandas

Every column has a fixed type (Table.columns), whatever a run finds: a column that is empty in this run (no
report repeated, no date printed) is still text or a date, not a column of nothing, so tables from
different runs stack. The type names are pandas': text "str", whole numbers "int64" (never missing) or
"Int64" (may be missing), "Float64", "boolean" and dates "datetime64[us]"; a missing value is an empty CSV
cell and a parquet null. The parquet files carry pandas' own description of the columns, so
pandas.read_parquet gives back exactly the frame that data_frame gives; other readers (R's arrow, DuckDB,
polars) see the plain parquet types.

The files are written with pyarrow and the csv module, not pandas: importing pandas takes about 0.3 s, as
long as a run's analysis of a short report, and the command line has no other use for it.
"""
from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..attribution import CUES, SOURCES, voice_of
from ..batch import AUDITS_FOLDER, Failure, Result, replace_atomic, write_atomic
from .figures import page_of

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

TEXT, WHOLE, COUNT, NUMBER, FLAG, DATE = "str", "int64", "Int64", "Float64", "boolean", "datetime64[us]"


@dataclass(frozen=True)
class Table:
    columns: tuple[tuple[str, str], ...]  # (name, type) in order

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.columns]


def _columns(names: list[str], types: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Every name with its type in `types`, text where it has none."""
    return tuple((name, types.get(name, TEXT)) for name in names)


METADATA_COLUMNS = ["local_area", "document_type", "framework", "outcome", "year", "inspection_start",
                    "inspection_end", "publication_date"]
DATE_COLUMNS = ["inspection_start", "inspection_end", "publication_date"]
COUNT_COLUMNS = ["n_attributions", *(f"n_{s.lower()}" for s in SOURCES), *(f"n_{c.lower()}" for c in CUES),
                 "families_n", "families_subjective", "professionals_n", "professionals_subjective"]
SCORE_COLUMNS = ["families_rate", "professionals_rate", "asymmetry", "asymmetry_low", "asymmetry_high",
                 "log_odds_ratio", "log_odds_low", "log_odds_high", "minimising_difference", "minimising_low",
                 "minimising_high"]
DOCUMENT_COLUMNS = ["document", "path", "audit_html", "format", "pages", "words", *METADATA_COLUMNS,
                    *COUNT_COLUMNS, "enough_evidence", *SCORE_COLUMNS, "verdict", "warnings", "from_cache",
                    "framing_version", "framing_model", "duplicate_of"]
ATTRIBUTION_COLUMNS = [
    "document", "path", "page", "sentence", "source_text", "source_class", "voice", "cue_text", "cue_class",
    "quantifier", "negated", "hedged", "source_start", "source_end", "cue_start", "cue_end", "rule",
    "lexicon_entry", "decided_by", "confidence", "framing_version", "spacy_pipeline", "lexicon_version",
    "framing_model", "duplicate_of",
]

DOCUMENTS = Table(_columns(DOCUMENT_COLUMNS, {
    **{c: COUNT for c in ["pages", "words", "year", *COUNT_COLUMNS]}, **{c: NUMBER for c in SCORE_COLUMNS},
    **{c: DATE for c in DATE_COLUMNS}, "enough_evidence": FLAG, "from_cache": FLAG}))
ATTRIBUTIONS = Table(_columns(ATTRIBUTION_COLUMNS, {
    "page": COUNT, "negated": FLAG, "hedged": FLAG, "confidence": NUMBER,
    **{c: WHOLE for c in ["source_start", "source_end", "cue_start", "cue_end"]}}))
FAILURES = Table(_columns(["path", "reason"], {}))


# ---------------------------------------------------------------------------------------- rows


def document_rows(results: list[Result]) -> list[dict]:
    """One row per document: metadata, counts, asymmetry and log-odds ratio with their intervals."""
    return [_document_row(r) for r in results]


def _document_row(r: Result) -> dict:
    a = r.audit
    asym, mini = a.score.asymmetry, a.score.minimising
    row = {"document": r.doc_id, "path": a.path, "audit_html": f"{AUDITS_FOLDER}/{r.doc_id}.html",
           "format": a.format, "pages": len(a.page_starts), "words": a.words}
    row |= {k: a.metadata.get(k) for k in METADATA_COLUMNS}
    row["n_attributions"] = a.score.n_attributions
    row |= {f"n_{s.lower()}": sum(a.score.table[s].values()) for s in SOURCES}
    row |= {f"n_{c.lower()}": sum(a.score.table[s][c] for s in SOURCES) for c in CUES}
    row |= {
        "families_n": asym.families_n, "families_subjective": asym.families_k,
        "professionals_n": asym.professionals_n, "professionals_subjective": asym.professionals_k,
        "enough_evidence": asym.enough_evidence,
        "families_rate": asym.families_rate, "professionals_rate": asym.professionals_rate,
        "asymmetry": asym.difference, "asymmetry_low": asym.difference_low, "asymmetry_high": asym.difference_high,
        "log_odds_ratio": asym.log_odds_ratio, "log_odds_low": asym.log_odds_low, "log_odds_high": asym.log_odds_high,
        "minimising_difference": mini.difference, "minimising_low": mini.difference_low,
        "minimising_high": mini.difference_high,
        "verdict": asym.verdict, "warnings": " | ".join(a.warnings), "from_cache": r.cached,
        "framing_version": a.provenance.get("framing_version"), "framing_model": a.provenance.get("framing_model"),
        "duplicate_of": r.duplicate_of or None,
    }
    return row


def attribution_rows(results: list[Result]) -> list[dict]:
    """One row per attribution, with the model and lexicon versions that found it."""
    rows = []
    for r in results:
        p = r.audit.provenance
        for a in r.audit.attributions:
            rows.append({
                "document": r.doc_id, "path": r.audit.path,
                "page": page_of(r.audit, a),
                "sentence": " ".join(a.sentence.split()), "source_text": a.source_text, "source_class": a.source,
                "voice": voice_of(a.source) or "neither", "cue_text": a.cue_text, "cue_class": a.cue,
                "quantifier": a.quantifier, "negated": a.negated, "hedged": a.hedged,
                "source_start": a.source_start, "source_end": a.source_end, "cue_start": a.cue_start,
                "cue_end": a.cue_end, "rule": a.rule, "lexicon_entry": a.lexicon_entry, "decided_by": a.decided_by,
                "confidence": a.confidence, "framing_version": p.get("framing_version"),
                "spacy_pipeline": f"{p.get('spacy_pipeline')} {p.get('spacy_pipeline_version')}",
                "lexicon_version": p.get("lexicon_version"), "framing_model": p.get("framing_model"),
                "duplicate_of": r.duplicate_of or None,
            })
    return rows


def failure_rows(failures: list[Failure]) -> list[dict]:
    return [{"path": f.path, "reason": f.reason} for f in failures]


# ---------------------------------------------------------------------------------------- values


def cell(value, kind: str):
    """A row's value as the column's type: None where it is missing or cannot be read as that type (a date
    that is not YYYY-MM-DD, a number that is NaN)."""
    if value is None:
        return None
    if kind == TEXT:
        return str(value)
    if kind == DATE:  # metadata holds ISO text; str() of a date or datetime is ISO too
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    if kind == FLAG:
        return bool(value)
    if kind == NUMBER:
        number = float(value)
        return None if math.isnan(number) else number
    return int(value)


def typed_cells(table: Table, rows: list[dict]) -> list[list]:
    """Each row's cells in the table's column order, each as its column's type (cell): converted once for both
    the CSV and the parquet file."""
    return [[cell(row.get(name), kind) for name, kind in table.columns] for row in rows]


def _csv_text(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == DATE:
        return value.isoformat()
    if kind == TEXT and value.startswith(FORMULA_STARTS):
        return "'" + value
    return repr(value) if kind == NUMBER else str(value)


# A text cell starting like this would be run as a formula by a spreadsheet ("=1+2 ..."): in the CSV it gets a
# leading apostrophe, as spreadsheets themselves do for literal text. The parquet keeps the text exactly.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(table: Table, cells: list[list]) -> str:
    """The table as CSV (cells from typed_cells): a header, then one line per row (a comma between cells, quotes
    only where a cell needs them); numbers in full, dates as YYYY-MM-DD, true/false as True/False, a missing
    value as nothing."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.names)
    kinds = [kind for _, kind in table.columns]
    for values in cells:
        writer.writerow([_csv_text(value, kind) for value, kind in zip(values, kinds)])
    return out.getvalue()


# ---------------------------------------------------------------------------------------- arrow, pandas


def arrow_table(table: Table, cells: list[list]) -> pa.Table:
    """The table in pyarrow (cells from typed_cells), with pandas' description of every column's type in its
    schema.

    The rows go to pyarrow as JSON lines read against the table's schema: pyarrow's own conversion of Python
    values (pyarrow.array) imports pandas, whatever the values."""
    import pyarrow as pa
    import pyarrow.json as pj

    types = {TEXT: pa.string(), WHOLE: pa.int64(), COUNT: pa.int64(), NUMBER: pa.float64(), FLAG: pa.bool_(),
             DATE: pa.timestamp("us")}
    schema = pa.schema([(name, types[kind]) for name, kind in table.columns])
    metadata = {"pandas": json.dumps(_pandas_description(table))}
    if not cells:
        return schema.with_metadata(metadata).empty_table()
    names = table.names
    lines = "".join(json.dumps(dict(zip(names, map(_json_value, values))), ensure_ascii=False) + "\n"
                    for values in cells).encode("utf-8")
    data = pj.read_json(io.BytesIO(lines), read_options=pj.ReadOptions(block_size=max(len(lines), 1 << 20)),
                        parse_options=pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error"))
    return data.replace_schema_metadata(metadata)


def _json_value(value):
    return value.isoformat() if isinstance(value, date) else value  # pyarrow reads YYYY-MM-DD as a timestamp


PANDAS_TYPES = {TEXT: "unicode", WHOLE: "int64", COUNT: "int64", NUMBER: "float64", FLAG: "bool", DATE: "datetime"}


def _pandas_description(table: Table) -> dict:
    """What pandas writes in a parquet file's schema about its columns (the "pandas" metadata), so that
    pandas reads each column back with its type: Int64 and boolean keep their missing values."""
    from importlib.metadata import version

    import pyarrow

    return {"index_columns": [], "column_indexes": [], "columns": [
        {"name": name, "field_name": name, "pandas_type": PANDAS_TYPES[kind], "numpy_type": kind, "metadata": None}
        for name, kind in table.columns],
        "creator": {"library": "pyarrow", "version": pyarrow.__version__}, "pandas_version": version("pandas")}


def data_frame(table: Table, rows: list[dict]) -> pd.DataFrame:
    """The table as a pandas DataFrame, the types as in the parquet file."""
    return arrow_table(table, typed_cells(table, rows)).to_pandas()


# ---------------------------------------------------------------------------------------- files


def write_table(table: Table, rows: list[dict], stem: Path, parquet: bool = True) -> None:
    """stem.csv and (with parquet) stem.parquet, each written aside and renamed into place; a failure is a
    one-line CorpusError."""
    cells = typed_cells(table, rows)
    write_atomic(stem.with_suffix(".csv"), csv_text(table, cells))
    if parquet:
        import pyarrow.parquet as pq

        replace_atomic(stem.with_suffix(".parquet"), lambda temp: pq.write_table(arrow_table(table, cells), temp))
