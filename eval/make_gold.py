"""Join an offsets-only gold file with the report texts it annotates: a gold file `framing evaluate` reads.

    python eval/make_gold.py eval/heldout_b.offsets.jsonl -o /tmp/heldout_b.jsonl
    framing evaluate /tmp/heldout_b.jsonl

The offsets files hold no report text (the project does not copy the reports' sentences): each record
names a report in ../shared/data/reports and the SHA-256 of the text its offsets refer to. A report whose
text differs from the one annotated is refused, so offsets are never read against the wrong text.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

REPORTS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "reports"


def gold_records(offsets: Path, reports: Path = REPORTS) -> list[dict]:
    """The gold records of an offsets file, each with the whole text of its report."""
    records = []
    for n, line in enumerate(offsets.read_text(encoding="utf-8").splitlines(), 1):
        entry = json.loads(line)
        source = reports / f"{entry['id']}.txt"
        if not source.is_file():
            raise SystemExit(f"make_gold: {offsets}:{n}: no report text {source}")
        text = source.read_text(encoding="utf-8")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != entry["text_sha256"]:
            raise SystemExit(f"make_gold: {offsets}:{n}: {source} is not the text that was annotated")
        records.append({"id": entry["id"], "text": text, "attributions": entry["attributions"]})
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("offsets", type=Path)
    parser.add_argument("-o", "--out", type=Path, required=True)
    parser.add_argument("--reports", type=Path, default=REPORTS, help="Folder of the report texts.")
    args = parser.parse_args()
    records = gold_records(args.offsets, args.reports)
    with args.out.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} records, {sum(len(r['attributions']) for r in records)} attributions -> {args.out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
