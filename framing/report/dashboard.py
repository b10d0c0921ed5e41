"""The corpus dashboard (index.html): one self-contained page over every audited document.

Two corpus figures, and the page says which is which:
  pooled   every attribution of every document counted together (framing.scoring.score), with
           Newcombe's interval. It weights long reports more and treats attributions as independent,
           so its interval is too narrow when reports differ from each other;
  mean     the mean of the per-document asymmetries (documents with enough evidence), with a
           percentile bootstrap interval over documents (fixed seed): the typical report.
Groups (document type, outcome, year) are pooled within each group.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .. import __version__
from ..attribution import CUE_LABELS, CUES, FAMILIES, PROFESSIONALS, SOURCE_LABELS, SOURCES, Attribution
from ..scoring import Comparison, score
from .figures import accuracy_note, headline, signed_points
from .html import PROVENANCE_LABELS, environment
from .jsonout import write_text

DASHBOARD_TEMPLATE = "dashboard.html.j2"

if TYPE_CHECKING:
    from ..batch import CorpusRun, Result

BOOTSTRAP_SAMPLES = 2000
BOOTSTRAP_SEED = 20240101
MIN_DOCUMENTS_FOR_INTERVAL = 3
TOP_CUES = 10
HEAT_STEPS = (0.0, 0.1, 0.25, 0.5, 0.75)  # lower bounds of the shading steps h1..h5 (share of the row)
TYPE_LABELS = {
    "full_inspection_2023": "Full inspection (2023 framework)",
    "monitoring_inspection": "Monitoring inspection (2023 framework)",
    "outcome_letter_2016": "Outcome letter (2016 framework)",
    "revisit_letter": "Revisit letter (2016 framework)",
    "unknown": "Unknown type",
}
OUTCOME_LABELS = {
    "positive_experiences": "Positive experiences and outcomes",
    "inconsistent_experiences": "Inconsistent experiences and outcomes",
    "significant_concerns": "Widespread or systemic failings",
    "wsoa_required": "Written statement of action required",
    "no_wsoa": "No written statement of action",
    "sufficient_progress": "Sufficient progress",
    "insufficient_progress": "Insufficient progress",
}
NOT_READ = "Not read from the report"


@dataclass(frozen=True)
class Interval:
    """A point and its 95% interval in percentage points, placed on the -100..+100 chart."""

    point: float
    low: float
    high: float

    @property
    def text(self) -> str:
        return f"{signed_points(self.point / 100)} points"

    @property
    def interval_text(self) -> str:
        return f"{signed_points(self.low / 100)} to {signed_points(self.high / 100)} points"

    @property
    def left(self) -> float:  # CSS left of the bar, % of the track
        return round((self.low + 100) / 2, 2)

    @property
    def width(self) -> float:
        return round(max(self.high - self.low, 0.4) / 2, 2)

    @property
    def at(self) -> float:
        return round((self.point + 100) / 2, 2)


def interval_of(c: Comparison) -> Interval | None:
    if not c.enough_evidence:
        return None
    return Interval(c.difference * 100, c.difference_low * 100, c.difference_high * 100)


def bootstrap_mean(values: list[float], samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED) -> Interval | None:
    """Mean with a percentile bootstrap 95% interval (values are fractions; the result is in points)."""
    if len(values) < MIN_DOCUMENTS_FOR_INTERVAL:
        return None
    data = np.asarray(values) * 100
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), size=(samples, len(data)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return Interval(float(data.mean()), float(low), float(high))


def label_of(result: Result) -> str:
    meta = result.audit.metadata
    if meta.get("local_area"):
        return f"{meta['local_area']} ({meta['year']})" if meta.get("year") else str(meta["local_area"])
    return result.doc_id


def document_labels(results: list[Result]) -> list[str]:
    """Area and year; the document name added where two documents would share a label."""
    labels = [label_of(r) for r in results]
    counts = Counter(labels)
    return [f"{label} – {r.doc_id}" if counts[label] > 1 else label for label, r in zip(labels, results)]


def group_value(result: Result, dimension: str) -> str:
    value = result.audit.metadata.get(dimension)
    if value in (None, ""):
        return NOT_READ
    if dimension == "document_type":
        return TYPE_LABELS.get(value, str(value).replace("_", " "))
    if dimension == "outcome":
        return OUTCOME_LABELS.get(value, str(value).replace("_", " ").capitalize())
    return str(value)


def group_rows(results: list[Result], dimension: str) -> list[dict]:
    """One row per value of a metadata field: documents, pooled counts and asymmetry with interval."""
    groups: dict[str, list[Result]] = {}
    for r in results:
        groups.setdefault(group_value(r, dimension), []).append(r)
    rows = []
    for value in sorted(groups, key=lambda v: (v == NOT_READ, v)):
        members = groups[value]
        pooled = score(a for r in members for a in r.audit.attributions).asymmetry
        rows.append({"value": value, "documents": len(members), "interval": interval_of(pooled),
                     "families": f"{pooled.families_k} of {pooled.families_n}",
                     "professionals": f"{pooled.professionals_k} of {pooled.professionals_n}"})
    return rows


def heatmap(attributions: list[Attribution]) -> list[dict]:
    """Source x framing counts for the whole corpus, each cell with its share of the row and a shade step."""
    table = score(attributions).table
    rows = []
    for s in SOURCES:
        total = sum(table[s].values())
        cells = []
        for c in CUES:
            n = table[s][c]
            share = n / total if total else 0.0
            step = sum(share > bound for bound in HEAT_STEPS) if n else 0
            cells.append({"cue": c, "n": n, "share": f"{share * 100:.0f}%", "step": step})
        rows.append({"source": s, "label": SOURCE_LABELS[s], "total": total, "cells": cells,
                     "voice": "families" if s in FAMILIES else "professionals" if s in PROFESSIONALS else "neither"})
    return rows


def top_cues(attributions: list[Attribution], group: frozenset[str], limit: int = TOP_CUES) -> list[dict]:
    counts = Counter((" ".join(a.cue_text.lower().split()), a.cue) for a in attributions if a.source in group)
    total = sum(counts.values())
    return [{"text": text, "cue": cue, "label": CUE_LABELS[cue], "n": n, "share": f"{n / total * 100:.0f}%"}
            for (text, cue), n in counts.most_common(limit)]


def document_rows(results: list[Result]) -> list[dict]:
    rows = []
    for r, label in zip(results, document_labels(results)):
        asym = r.audit.score.asymmetry
        rows.append({
            "id": r.doc_id, "label": label, "path": r.audit.path, "href": f"audits/{r.doc_id}.html",
            "type": group_value(r, "document_type"), "outcome": group_value(r, "outcome"),
            "year": group_value(r, "year"), "year_sort": r.audit.metadata.get("year") or "",
            "n": r.audit.score.n_attributions,
            "families": f"{asym.families_k} of {asym.families_n}", "families_rate": asym.families_rate,
            "professionals": f"{asym.professionals_k} of {asym.professionals_n}",
            "professionals_rate": asym.professionals_rate, "interval": interval_of(asym),
            "warnings": r.audit.warnings,
        })
    return rows


def provenance_rows(results: list[Result]) -> list[tuple[str, str]]:
    """Each provenance field with its value, or every distinct value when documents differ (old cache entries)."""
    keys = list(dict.fromkeys(k for r in results for k in r.audit.provenance))
    rows = []
    for k in keys:
        values = list(dict.fromkeys(str(r.audit.provenance.get(k, "?")) for r in results))
        rows.append((PROVENANCE_LABELS.get(k, k.replace("_", " ")), "; ".join(values)))
    return rows


def context(run: CorpusRun) -> dict:
    results = run.counted  # each report once
    attributions = [a for r in results for a in r.audit.attributions]
    pooled = score(attributions)
    per_document = [r.audit.score.asymmetry.difference for r in results if r.audit.score.asymmetry.enough_evidence]
    docs = document_rows(results)
    ranked = sorted((d for d in docs if d["interval"]), key=lambda d: -d["interval"].point)
    return {
        "title": f"Framing audit of {len(results)} report{'s' if len(results) != 1 else ''}",
        "run": run,
        "duplicates": [(r.audit.path, kept.audit.path) for r, kept in run.duplicates],
        "n_attributions": len(attributions),
        "pooled": headline(pooled.asymmetry),
        "pooled_interval": interval_of(pooled.asymmetry),
        "minimising": headline(pooled.minimising),
        "mean": bootstrap_mean(per_document),
        "mean_documents": len(per_document),
        "min_documents": MIN_DOCUMENTS_FOR_INTERVAL,
        "bootstrap_samples": BOOTSTRAP_SAMPLES,
        "bootstrap_seed": BOOTSTRAP_SEED,
        "ranked": ranked,
        "not_enough": [d for d in docs if not d["interval"]],
        "groups": [(title, dimension, group_rows(results, dimension)) for title, dimension in
                   (("By document type", "document_type"), ("By outcome", "outcome"), ("By year", "year"))],
        "heatmap": heatmap(attributions),
        "cues": CUES,
        "cue_labels": CUE_LABELS,
        "top_cues": [("Families", "parents and carers, children and young people, the forum", top_cues(attributions, FAMILIES)),
                     ("Professionals", "leaders and practitioners", top_cues(attributions, PROFESSIONALS))],
        "documents": sorted(docs, key=lambda d: d["label"].lower()),
        "filters": [(name, label, sorted({d[name] for d in docs}, key=lambda v: (v == NOT_READ, v)))
                    for name, label in (("type", "Document type"), ("outcome", "Outcome"), ("year", "Year"))],
        "provenance": provenance_rows(results),
        "not_read": NOT_READ,
        "framing_version": __version__,
        "accuracy_note": accuracy_note(),
    }


def render_dashboard(run: CorpusRun) -> str:
    return environment().get_template(DASHBOARD_TEMPLATE).render(**context(run))


def write_dashboard(run: CorpusRun, path: str | Path) -> Path:
    return write_text(path, render_dashboard(run))

