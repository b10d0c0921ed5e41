#!/usr/bin/env python3
"""Fuzz every ingest path with hypothesis: random bytes and mutated files, within a time and count budget.

    python scripts/fuzz_ingest.py --seconds 300 --max-inputs 20000 [--out fuzz-out] [--seed 1]

Inputs: random bytes (some behind a PDF, ZIP, HTML, BOM or OLE header) under every supported suffix,
byte-level mutations of a valid file of each format (plus the real reports in ../shared/data/reports
when that folder is there), and DOCX files whose document.xml is mutated inside a valid zip. Only
`IngestError` may come out of `framing.ingest.load`; anything else is a failure: its input is saved
under --out with the traceback, and the run ends with status 1. Each input is written to
--out/last-input.* before it is read, so a hard crash (a segfault in a PDF library) leaves it behind;
faulthandler prints where the crash happened. tests/test_hardening.py imports the helpers below.
"""
from __future__ import annotations

import argparse
import faulthandler
import io
import sys
import time
import traceback
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from framing.ingest import SUPPORTED_SUFFIXES, Document, IngestError, load

ROOT = Path(__file__).resolve().parents[1]
REAL_REPORTS = ROOT.parent / "shared" / "data" / "reports"
HEADS = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xd0\xcf\x11\xe0"]
MUTATION = st.tuples(st.sampled_from(["flip", "flip", "flip", "delete", "insert", "insert", "truncate", "repeat"]),
                     st.floats(0, 1), st.binary(min_size=1, max_size=48))
SEED_TEXT = """Area SEND inspection of Tollbridge Local Area Partnership

Parents and carers feel that they wait too long for a decision. Leaders know that plans are often late.

Some families are worried about transport. Practitioners report that joint training has helped them.
"""
SEED_HTML = ("<!DOCTYPE html><html><head><title>Tollbridge</title><script>var x = 1;</script></head><body>"
             "<h1>Area SEND inspection</h1><p>Parents &amp; carers feel that they are not heard.</p>"
             "<ul><li>Leaders know that plans are late.</li></ul><div hidden>draft</div></body></html>")


def mutate(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    """Apply byte-level mutations at relative positions (so they land anywhere in a file of any size)."""
    for kind, where, chunk in mutations:
        at = int(where * len(data))
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (chunk[0] or 1)]) + data[at + 1:]
        elif kind == "delete":
            data = data[:at] + data[at + len(chunk) * 16:]
        elif kind == "insert":
            data = data[:at] + chunk + data[at:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "repeat":  # a duplicated slice: repeated objects, streams or zip members
            data = data[:at] + data[at:at + 512] * 2 + data[at + 512:]
    return data


def mutate_docx_xml(docx: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    """The same DOCX with its word/document.xml mutated, repacked into a valid zip."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["word/document.xml"] = mutate(members["word/document.xml"], mutations)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return packed.getvalue()


def outcome(path: Path, data: bytes) -> str:
    """Write `data` to `path` and load it: "read", or the IngestError's reason (its text before any detail).

    Raises AssertionError when a document comes back without text or an error message is not one line;
    any other exception from `load` propagates: both are fuzzing failures.
    """
    path.write_bytes(data)
    try:
        document = load(path)
    except IngestError as error:
        assert "\n" not in str(error) and str(error).startswith(f"{path}: "), str(error)
        return error.reason.split(" (")[0]
    assert isinstance(document, Document) and document.text.strip(), "a document without text"
    return "read"


def built_seeds() -> dict[str, bytes]:
    """A small valid file of each format, built here (fpdf2 and python-docx)."""
    import docx
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for paragraph in SEED_TEXT.split("\n\n"):
        pdf.add_page()
        pdf.multi_cell(0, 6, paragraph)
    document = docx.Document()
    for paragraph in SEED_TEXT.split("\n\n"):
        document.add_paragraph(paragraph)
    document.add_table(rows=1, cols=2).cell(0, 0).text = "Tollbridge Council"
    packed = io.BytesIO()
    document.save(packed)
    return {
        "seed.pdf": bytes(pdf.output()),
        "seed.docx": packed.getvalue(),
        "seed.html": SEED_HTML.encode("utf-8"),
        "seed.htm": SEED_HTML.encode("cp1252"),
        "seed.txt": SEED_TEXT.encode("utf-8"),
        "seed.md": ("# Findings\n\n" + SEED_TEXT).encode("utf-8"),
    }


def real_seeds() -> dict[str, bytes]:
    if not REAL_REPORTS.is_dir():
        return {}
    return {path.name: path.read_bytes() for path in sorted(REAL_REPORTS.iterdir())
            if path.suffix.lower() in SUPPORTED_SUFFIXES}


@dataclass
class Run:
    out: Path
    deadline: float
    inputs: int = 0
    outcomes: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def load(self, suffix: str, data: bytes, how: str) -> None:
        self.inputs += 1
        path = self.out / f"last-input{suffix}"
        try:
            self.outcomes[f"{suffix} {outcome(path, data)}"] += 1
        except Exception:  # noqa: BLE001 - every escape from ingest other than IngestError is the finding
            saved = self.out / f"failure-{len(self.failures) + 1}{suffix}"
            saved.write_bytes(data)
            detail = traceback.format_exc()
            saved.with_suffix(saved.suffix + ".txt").write_text(f"{how}\n{detail}", encoding="utf-8")
            self.failures.append(f"{saved}: {how}: {detail.strip().splitlines()[-1]}")


CHUNK = 200  # inputs per hypothesis run; the budgets are checked between runs


def fuzz(seeds: dict[str, bytes], run: Run, max_inputs: int, random_seed: int) -> None:
    """Hypothesis runs of CHUNK inputs, each with its own seed, until either budget is spent."""
    chunk = 0
    while run.inputs < max_inputs and time.monotonic() < run.deadline:
        fuzz_chunk(seeds, run, min(CHUNK, max_inputs - run.inputs), random_seed * 1_000_003 + chunk)
        chunk += 1


def fuzz_chunk(seeds: dict[str, bytes], run: Run, examples: int, random_seed: int) -> None:
    names = sorted(seeds)
    docx_seeds = [name for name in names if name.endswith(".docx")]

    @seed(random_seed)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def one(data) -> None:
        how = data.draw(st.sampled_from(["random", "mutated", "mutated", "mutated", "docx-xml"]))
        if how == "random":
            suffix = data.draw(st.sampled_from(sorted(SUPPORTED_SUFFIXES)))
            raw = data.draw(st.sampled_from(HEADS)) + data.draw(st.binary(max_size=8192))
            run.load(suffix, raw, f"random bytes as {suffix}")
            return
        mutations = data.draw(st.lists(MUTATION, min_size=1, max_size=8))
        if how == "docx-xml" and docx_seeds:
            name = data.draw(st.sampled_from(docx_seeds))
            run.load(".docx", mutate_docx_xml(seeds[name], mutations), f"{name} with document.xml mutated {mutations}")
            return
        name = data.draw(st.sampled_from(names))
        run.load(Path(name).suffix.lower(), mutate(seeds[name], mutations), f"{name} mutated {mutations}")

    one()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120, help="time budget (default 120)")
    parser.add_argument("--max-inputs", type=int, default=100_000, help="input budget (default 100000)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"), help="folder for failing inputs (default fuzz-out)")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed (default 0)")
    parser.add_argument("--no-real", action="store_true", help="do not add the real reports as seeds")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.max_inputs <= 0:
        parser.error("--seconds and --max-inputs must be positive")

    faulthandler.enable()
    args.out.mkdir(parents=True, exist_ok=True)
    seeds = built_seeds() | ({} if args.no_real else real_seeds())
    started = time.monotonic()
    run = Run(out=args.out, deadline=started + args.seconds)
    fuzz(seeds, run, args.max_inputs, args.seed)
    elapsed = time.monotonic() - started
    read = sum(n for key, n in run.outcomes.items() if key.endswith(" read"))
    print(f"fuzz_ingest: {run.inputs} inputs in {elapsed:.0f} s from {len(seeds)} seed files: {read} read, "
          f"{run.inputs - read - len(run.failures)} refused with IngestError, {len(run.failures)} failures")
    for key, n in sorted(run.outcomes.items(), key=lambda item: -item[1]):
        print(f"  {n:6d}  {key}")
    for failure in run.failures:
        print(f"FAILURE {failure}")
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
