"""One document's audit: ingest -> nlp -> scoring, and the record the report stage renders."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from .attribution import Attribution
from .scoring import Score


@dataclass
class Audit:
    path: str  # the input file as given
    name: str  # a short display name (the file stem)
    text: str  # the whole ingested text; every offset below points into it
    page_starts: list[int]  # page_starts[i] = offset where page i+1 starts
    format: str  # "pdf", "docx", "html" or "txt"
    attributions: list[Attribution]
    score: Score
    provenance: dict  # spacy pipeline name+version, framing version, lexicon version, framing model
    warnings: list[str] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)  # seconds: ingest, nlp, total

    def page_at(self, offset: int) -> int:
        """1-based page number of a character offset."""
        return max(1, bisect.bisect_right(self.page_starts, offset))

    @property
    def stem(self) -> str:
        return Path(self.path).stem
