"""Per-field accuracy of framing.metadata on the real reports, against bench/metadata_truth.json.

    python bench/metadata_accuracy.py            # the ingested .txt files
    python bench/metadata_accuracy.py --pdf      # text pulled from the PDFs (wrapped lines)

Prints each field's accuracy and every disagreement; exits 1 when any field disagrees.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from framing.metadata import extract_metadata  # noqa: E402

TRUTH = REPO / "bench" / "metadata_truth.json"
REPORTS = REPO.parent / "shared" / "data" / "reports"
FIELDS = ("local_area", "inspection_start", "inspection_end", "publication_date",
          "document_type", "framework", "outcome", "year")


def pdf_text(path: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def report_text(stem: str, reports: Path, from_pdf: bool) -> str:
    return pdf_text(reports / f"{stem}.pdf") if from_pdf else (reports / f"{stem}.txt").read_text(encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, default=REPORTS, help="folder of <stem>.txt / <stem>.pdf")
    parser.add_argument("--pdf", action="store_true", help="read the PDFs instead of the .txt files")
    args = parser.parse_args()
    if not args.reports.is_dir():
        print(f"error: no reports folder at {args.reports}", file=sys.stderr)
        return 2
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))["reports"]
    right = dict.fromkeys(FIELDS, 0)
    disagreements = []
    for stem, expected in sorted(truth.items()):
        try:
            text = report_text(stem, args.reports, args.pdf)
        except OSError as error:
            print(f"error: cannot read report {stem}: {error}", file=sys.stderr)
            return 2
        got = extract_metadata(text).to_dict()
        for name in FIELDS:
            if got[name] == expected[name]:
                right[name] += 1
            else:
                disagreements.append(f"{stem}: {name} expected {expected[name]!r}, got {got[name]!r}")
    source = "pdf" if args.pdf else "txt"
    print(f"metadata accuracy on {len(truth)} reports ({source})")
    for name in FIELDS:
        print(f"  {name:<17} {right[name]:>3}/{len(truth)}  {right[name] / len(truth):6.1%}")
    print(f"disagreements: {len(disagreements)}")
    for line in disagreements:
        print("  " + line)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
