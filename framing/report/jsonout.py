"""The JSON audit: one file per input, documented by framing/data/audit.schema.json."""
from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from .. import __version__
from ..advice import annotate_advice
from ..attribution import Attribution
from ..audit import Audit
from ..scoring import score
from .figures import page_of

SCHEMA_VERSION = "1.0"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "audit.schema.json"


class ReportError(Exception):
    """An output that cannot be written; str(error) is one line naming the file and the reason."""


def ensure_advice(audit: Audit) -> None:
    """Fill explanations and suggestions the pipeline has not filled yet."""
    annotate_advice(a for a in audit.attributions if not a.explanation)


def audit_to_dict(audit: Audit) -> dict:
    ensure_advice(audit)
    return {
        "schema_version": SCHEMA_VERSION,
        "framing_version": audit.provenance.get("framing_version", __version__),
        "provenance": audit.provenance,
        "input_path": audit.path,
        "name": audit.name,
        "format": audit.format,
        "pages": len(audit.page_starts),
        "words": audit.words,
        "page_starts": audit.page_starts,
        "metadata": audit.metadata,
        "warnings": audit.warnings,
        "timings": audit.timings,
        "score": audit.score.to_dict(),
        "attributions": [a.to_dict() | {"page": page_of(audit, a)} for a in audit.attributions],
        "text": audit.text,
    }


ATTRIBUTION_FIELDS = frozenset(f.name for f in fields(Attribution))


def audit_from_dict(data: dict) -> Audit:
    """The Audit an audit_to_dict() dict describes; the score is recomputed from the attributions.
    Paragraph spans are not part of the JSON: the rebuilt Audit has none."""
    attributions = [Attribution(**{k: v for k, v in a.items() if k in ATTRIBUTION_FIELDS})
                    for a in data["attributions"]]
    return Audit(
        path=data["input_path"],
        name=data["name"],
        text=data["text"],
        page_starts=list(data["page_starts"]),
        format=data["format"],
        attributions=attributions,
        score=score(attributions),
        provenance=dict(data["provenance"]),
        warnings=list(data["warnings"]),
        metadata=dict(data["metadata"]),
        timings=dict(data["timings"]),
        words=int(data["words"]),
    )


def write_text(path: str | Path, content: str) -> Path:
    """Write UTF-8 text, creating the folder; a failure is a one-line ReportError."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    except OSError as error:
        raise ReportError(f"{target}: cannot write ({error.strerror or error})") from error
    return target


def write_json(audit: Audit, path: str | Path) -> Path:
    return write_text(path, json.dumps(audit_to_dict(audit), ensure_ascii=False, indent=1, default=str) + "\n")
