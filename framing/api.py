"""The Python API, for notebooks and scripts.

    import framing
    audit = framing.analyse("report.pdf")           # a summary table in Jupyter; audit.attributions, audit.score
    audit.attributions_frame()                      # one row per attribution (pandas)
    documents, attributions = framing.analyse_corpus(["reports/"], jobs=2)

Bad input raises framing.ingest.IngestError (one line naming the file and the reason). A corpus keeps
going past broken files: each is reported with warnings.warn and listed in documents.attrs["failures"].
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NamedTuple

from .audit import Audit, audit_file
from .batch import CorpusError, Result, Settings, audit_corpus
from .pipeline import load_pipeline
from .report.tables import ATTRIBUTIONS, DOCUMENTS, attribution_rows, data_frame, document_rows

if TYPE_CHECKING:  # pandas (0.3 s to import) comes with the first DataFrame (framing.report.tables.data_frame)
    import pandas as pd

NOTEBOOK_FLAGS = 8


@dataclass(repr=False)
class NotebookAudit(Audit):
    """An Audit that shows itself in Jupyter as its headline figure, its counts and its first flags."""

    def __repr__(self) -> str:
        h = self.score.asymmetry
        figure = f"{h.difference:+.3f} [{h.difference_low:+.3f}, {h.difference_high:+.3f}]" if h.enough_evidence \
            else "not enough evidence"
        return f"<NotebookAudit {self.path!r}: {len(self.attributions)} attributions, asymmetry {figure}>"

    def _repr_html_(self) -> str:
        from .report.figures import flagged, headline, page_of, shorten
        from .report.html import display_title, environment, table_rows

        flags = [{"page": page_of(self, a), "att": a, "sentence": shorten(a.sentence, 160)}
                 for _, a in flagged(self)[:NOTEBOOK_FLAGS]]
        return environment().get_template("_notebook.html.j2").render(
            audit=self, title=display_title(self), h=headline(self.score.asymmetry), table=table_rows(self),
            flags=flags, more=max(0, len(flagged(self)) - NOTEBOOK_FLAGS))

    def attributions_frame(self) -> pd.DataFrame:
        """One row per attribution, the columns of attributions.csv."""
        return data_frame(ATTRIBUTIONS, attribution_rows([Result(Path(self.path).stem, self, cached=False)]))

    def write_html(self, path: str | Path) -> Path:
        """The full audit page (what `framing check` writes)."""
        from .report.html import write_html

        return write_html(self, path)


def analyse(path: str | Path, model: str | None = None, rules_only: bool = False) -> NotebookAudit:
    """Audit one report (PDF, DOCX, HTML, Markdown or text)."""
    audit = audit_file(path, load_pipeline(model, framing_model=not rules_only))
    return NotebookAudit(**{f.name: getattr(audit, f.name) for f in fields(Audit)})


class CorpusFrames(NamedTuple):
    documents: pd.DataFrame  # one row per document (documents.csv)
    attributions: pd.DataFrame  # one row per attribution (attributions.csv)


def analyse_corpus(paths: str | Path | Iterable[str | Path], jobs: int = 1, cache_dir: str | Path | None = None,
                   model: str | None = None, rules_only: bool = False) -> CorpusFrames:
    """Audit files, folders (recursive) and globs; returns (documents, attributions) DataFrames.

    jobs > 1 runs worker processes. cache_dir: reuse and keep finished documents there (as `framing corpus`).
    A file that repeats a report given in another file (a PDF and its text copy) has `duplicate_of` set, in
    both frames, to the document counted instead: documents[documents.duplicate_of.isna()] counts each once.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    run = audit_corpus(list(paths), jobs=jobs, cache_dir=Path(cache_dir) if cache_dir else None,
                       settings=Settings(model, not rules_only))
    if run.interrupted:
        raise KeyboardInterrupt
    for failure in run.failures:
        warnings.warn(f"{failure.path}: {failure.reason}", stacklevel=2)
    documents = data_frame(DOCUMENTS, document_rows(run.results))
    documents.attrs["failures"] = [{"path": f.path, "reason": f.reason} for f in run.failures]
    return CorpusFrames(documents, data_frame(ATTRIBUTIONS, attribution_rows(run.results)))


__all__ = ["CorpusError", "CorpusFrames", "NotebookAudit", "analyse", "analyse_corpus"]
