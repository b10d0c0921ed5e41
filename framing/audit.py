"""One document's audit: ingest -> nlp -> scoring, and the record the report stage renders."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .advice import annotate_advice
from .attribution import Attribution
from .ingest import Document, load, page_of_offset
from .metadata import extract_metadata
from .scoring import Score, score

if TYPE_CHECKING:  # spaCy is imported with the pipeline: reading cached audits does not need it
    from spacy.language import Language


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
    words: int = 0  # spaCy tokens parsed
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each paragraph

    def page_at(self, offset: int) -> int:
        """1-based page number of a character offset."""
        return page_of_offset(self.page_starts, offset)

    @property
    def stem(self) -> str:
        return Path(self.path).stem


def audit_document(document: Document, nlp: Language, ingest_seconds: float = 0.0) -> Audit:
    """Run the pipeline over an ingested document and score it."""
    from .pipeline import prepare_text, provenance

    started = time.perf_counter()
    doc = nlp(prepare_text(document.text))
    attributions: list[Attribution] = doc._.attributions
    for a in attributions:
        a.page = document.page_at(a.cue_start)
        with_original_text(a, document.text)
    annotate_advice(attributions)
    nlp_seconds = time.perf_counter() - started
    return Audit(
        path=document.path,
        name=Path(document.path).stem,
        text=document.text,
        page_starts=document.page_starts,
        format=document.format,
        attributions=attributions,
        score=score(attributions),
        provenance=provenance(nlp),
        warnings=list(document.warnings),
        metadata=extract_metadata(document.text).to_dict(),
        timings={"ingest": round(ingest_seconds, 3), "nlp": round(nlp_seconds, 3),
                 "total": round(ingest_seconds + nlp_seconds, 3)},
        words=len(doc),
        paragraphs=list(document.paragraphs),
    )


def with_original_text(a: Attribution, text: str) -> None:
    """Quote the document as written (curly quotes and all), not the copy the parser read."""
    a.source_text = text[a.source_start:a.source_end]
    a.cue_text = text[a.cue_start:a.cue_end]
    a.sentence = text[a.sentence_start:a.sentence_end]


def audit_file(path: str | Path, nlp: Language, progress: Callable[[int, int], None] | None = None) -> Audit:
    """Ingest a file and audit it; raises ingest.IngestError (one line) for bad input."""
    started = time.perf_counter()
    document = load(path, progress=progress)
    return audit_document(document, nlp, time.perf_counter() - started)


def annotate_records(records: list[dict], nlp: Language, batch_size: int = 8) -> list[dict]:
    """Gold-format records with their `attributions` replaced by the pipeline's (offsets into `text`)."""
    from .pipeline import prepare_text

    texts = (prepare_text(r["text"]) for r in records)
    out = []
    for record, doc in zip(records, nlp.pipe(texts, batch_size=batch_size)):
        out.append({**record, "attributions": [a.to_gold() for a in doc._.attributions]})
    return out
