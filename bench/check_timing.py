"""Time `framing check`'s work per report against the bare spaCy parse of the same text, in one run.

    python bench/check_timing.py [REPORT ...]      (default: ../shared/data/reports/*.pdf)

Per report: ingest seconds, framing pipeline seconds (parse + attributions + model + advice + score),
bare parse seconds (the same spaCy components, without framing's), their ratio, and the number of
attributions. The bare parse uses the same loaded components (`nlp.select_pipes` disables framing's),
so the ratio is the framing overhead alone. Not a test: timings depend on the machine and its load.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from framing.audit import audit_document
from framing.ingest import load
from framing.pipeline import load_pipeline, prepare_text
from framing.report import render_html

FRAMING_PIPES = ("framing_sentences", "framing_attributions", "framing_classifier")


def main(paths: list[str]) -> None:
    if not paths:
        paths = sorted(str(p) for p in (Path(__file__).resolve().parents[1].parent / "shared/data/reports").glob("*.pdf"))
    nlp = load_pipeline()
    nlp("Warm up the pipeline.")
    print(f"{'report':34} {'pages':>5} {'words':>6} {'ingest':>7} {'framing':>8} {'bare':>6} {'ratio':>6} {'html':>5} {'found':>5}")
    totals = [0.0, 0.0, 0.0]
    for path in paths:
        t0 = time.perf_counter()
        document = load(path)
        ingest = time.perf_counter() - t0
        t0 = time.perf_counter()
        audit = audit_document(document, nlp, ingest)
        framing = time.perf_counter() - t0
        t0 = time.perf_counter()
        render_html(audit)
        html = time.perf_counter() - t0
        with nlp.select_pipes(disable=[p for p in FRAMING_PIPES if p in nlp.pipe_names]):
            t0 = time.perf_counter()
            doc = nlp(prepare_text(document.text))
            bare = time.perf_counter() - t0
        totals[0] += framing
        totals[1] += bare
        totals[2] += ingest + framing + html
        print(f"{Path(path).stem:34} {len(document.page_starts):5} {len(doc):6} {ingest:7.2f} {framing:8.2f} {bare:6.2f} "
              f"{framing / bare:6.2f} {html:5.2f} {len(audit.attributions):5}")
    print(f"total: framing {totals[0]:.1f} s, bare parse {totals[1]:.1f} s, ratio {totals[0] / totals[1]:.2f}; "
          f"wall time per report (ingest + framing + HTML) {totals[2] / len(paths):.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
