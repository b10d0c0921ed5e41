"""Compare pypdfium2 and pdfplumber as the PDF reader of framing's ingest stage.

For every report in ../shared/data/reports (PDF + reference .txt extracted by the data team) this prints,
per library: seconds to read the report, and the agreement of the text with the reference as a
difflib ratio over word tokens (\\w+, so punctuation and paragraph breaks do not count):
  raw    the library's own plain-text extraction, headers, footers and broken lines as they come
  clean  the library's lines run through framing.ingest.pdf_paragraphs (the same header/footer,
         paragraph and hyphen rules for both libraries), i.e. what ingest would produce with it.
Times are for the clean path (the library's line extraction plus the shared rules).
Three references (bury, stoke_on_trent, wiltshire) still contain the running header lines
("Inspection report: ... <page>"), so there the clean text agrees less than the raw text by design.

    python -m bench.pdf_libraries [REPORT_DIR]      (from the repository root)
"""
from __future__ import annotations

import difflib
import re
import statistics
import sys
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from framing.ingest import PdfLine, load, pdf_paragraphs

DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "reports"


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def agreement(text: str, reference: str) -> float:
    return difflib.SequenceMatcher(None, words(text), words(reference), autojunk=False).ratio()


def joined(paragraphs) -> str:
    return "\n\n".join("".join(piece for piece, _ in paragraph) for paragraph in paragraphs)


def pdfium_raw(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(texts)
    finally:
        pdf.close()


def pdfium_clean(path: Path) -> str:
    return load(path).text


def plumber_raw(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        texts = []
        for page in pdf.pages:
            texts.append(page.extract_text() or "")
            page.close()
        return "\n".join(texts)


def plumber_clean(path: Path) -> str:
    lines: list[PdfLine] = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            for line in page.extract_text_lines(return_chars=True, strip=True):
                chars = [c for c in line["chars"] if c["text"].strip()]
                if not chars:
                    continue
                lines.append(
                    PdfLine(
                        text=" ".join(line["text"].split()),
                        page=index,
                        baseline=line["bottom"],
                        page_height=float(page.height),
                        size=statistics.median(c["size"] for c in chars),
                        bold=sum("bold" in c["fontname"].lower() for c in chars) * 2 > len(chars),
                    )
                )
            page.close()
        pages = len(pdf.pages)
    return joined(pdf_paragraphs(lines, pages))


def timed(read, path: Path) -> tuple[float, str]:
    start = time.perf_counter()
    text = read(path)
    return time.perf_counter() - start, text


def main(directory: Path) -> None:
    reports = sorted(p for p in directory.glob("*.pdf") if p.with_suffix(".txt").exists())
    if not reports:
        sys.exit(f"{directory}: no PDF + .txt report pairs found")
    header = f"{'report':<32}{'pdfium s':>9}{'raw':>7}{'clean':>7}   {'plumber s':>9}{'raw':>7}{'clean':>7}"
    print(header)
    print("-" * len(header))
    rows = []

    def show(label: str, row: list[float]) -> None:
        print(f"{label:<32}{row[0]:>9.2f}{row[1]:>7.3f}{row[2]:>7.3f}   {row[3]:>9.2f}{row[4]:>7.3f}{row[5]:>7.3f}")

    for pdf_path in reports:
        reference = pdf_path.with_suffix(".txt").read_text(encoding="utf-8")
        pdfium_s, pdfium_text = timed(pdfium_clean, pdf_path)
        plumber_s, plumber_text = timed(plumber_clean, pdf_path)
        row = [
            pdfium_s,
            agreement(pdfium_raw(pdf_path), reference),
            agreement(pdfium_text, reference),
            plumber_s,
            agreement(plumber_raw(pdf_path), reference),
            agreement(plumber_text, reference),
        ]
        rows.append(row)
        show(pdf_path.stem, row)
    print("-" * len(header))
    show("mean", [statistics.mean(column) for column in zip(*rows)])
    columns = list(zip(*rows))
    show("worst (slowest, lowest)", [max(c) if i in (0, 3) else min(c) for i, c in enumerate(columns)])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR)
