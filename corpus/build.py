"""Build the project's own gold corpus from the annotated sources in corpus/src/*.txt.

Each source file is a list of blocks separated by blank lines; '#' lines are comments.
A block is one line of text followed by zero or more annotation lines:

    = SOURCE "source span" | CUE "cue span" | QUANTIFIER

A span is found in the text by exact, case-sensitive search; `"span"@N` picks the N-th
occurrence (1-based) and is required when the span occurs more than once.

    python corpus/build.py           validate, then write corpus/train.jsonl and corpus/test.jsonl
    python corpus/build.py --check   validate and print the counts, write nothing
    (--src DIR and --out DIR read and write elsewhere)

Exits 1, with file:line and the reason for every error, when any block is invalid.
Standard library only (the class names come from framing/attribution.py, itself stdlib only).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent
SRC_DIR = CORPUS_DIR / "src"
sys.path.insert(0, str(CORPUS_DIR.parent))

from framing.attribution import CUES, QUANTIFIERS, SOURCES  # noqa: E402

ANNOTATION_RE = re.compile(
    r'^= (?P<source>\S+) "(?P<source_span>[^"]+)"(?:@(?P<source_n>\d+))?'
    r' \| (?P<cue>\S+) "(?P<cue_span>[^"]+)"(?:@(?P<cue_n>\d+))?'
    r"(?: \| (?P<quantifier>\S+))?\s*$"
)
SENTENCE_BREAK_RE = re.compile(r"(?<=[.!?’”])\s+(?=[A-Z‘“\"(▪◼•])|\s*[▪◼•]\s+")
TEST_MODULUS = 5


class CorpusError(Exception):
    """A problem in a source file, reported as 'file:line: reason'."""


@dataclass
class Block:
    """One block of a source file, before it becomes a gold record."""

    file: str
    line: int
    number: int
    text: str
    annotations: list[tuple[int, str]] = field(default_factory=list)  # (line number, annotation line)

    @property
    def id(self) -> str:
        return f"{Path(self.file).stem}-{self.number:04d}"


def split_of(record_id: str) -> str:
    """'test' for about one record in five, chosen by a hash of the id; otherwise 'train'."""
    return "test" if int(hashlib.sha1(record_id.encode()).hexdigest(), 16) % TEST_MODULUS == 0 else "train"


def count_sentences(text: str) -> int:
    """Sentences in a block by a simple splitter: end punctuation before a capital, or a bullet mark."""
    return len([part for part in SENTENCE_BREAK_RE.split(text) if part.strip()])


def read_blocks(path: Path) -> list[Block]:
    """The blocks of one source file, in order, numbered from 1."""
    blocks: list[Block] = []
    current: Block | None = None
    for line_number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            current = None
        elif line.startswith("#"):
            continue
        elif current is None:
            if line.startswith("="):
                raise CorpusError(f"{path.name}:{line_number}: annotation line with no text line before it")
            current = Block(path.name, line_number, len(blocks) + 1, line)
            blocks.append(current)
        elif line.startswith("="):
            current.annotations.append((line_number, line))
        else:
            raise CorpusError(
                f"{path.name}:{line_number}: a block's text must be one line; "
                "separate blocks with a blank line"
            )
    return blocks


def is_whole_words(text: str, start: int, end: int) -> bool:
    """True when text[start:end] neither starts nor ends inside a word."""
    return not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())


def locate(text: str, span: str, occurrence: str | None, where: str) -> tuple[int, int]:
    """Offsets of the chosen occurrence of span in text."""
    starts = [match.start() for match in re.finditer(re.escape(span), text)]
    if not starts:
        raise CorpusError(f'{where}: span "{span}" not found in the text')
    whole_words = [start for start in starts if is_whole_words(text, start, start + len(span))]
    if occurrence is None:
        if len(starts) > 1:
            raise CorpusError(f'{where}: span "{span}" occurs {len(starts)} times; add @N to choose one')
        if not whole_words:
            raise CorpusError(f'{where}: span "{span}" is part of a longer word')
        return starts[0], starts[0] + len(span)
    index = int(occurrence)
    if not 1 <= index <= len(starts):
        raise CorpusError(f'{where}: span "{span}"@{index} but it occurs {len(starts)} time(s)')
    start = starts[index - 1]
    if start not in whole_words:
        raise CorpusError(f'{where}: span "{span}"@{index} is part of a longer word')
    return start, start + len(span)


def parse_annotation(block: Block, line_number: int, line: str) -> dict:
    """One attribution in the ANNOTATION.md gold form, or a CorpusError saying what is wrong."""
    where = f"{block.file}:{line_number}"
    match = ANNOTATION_RE.match(line)
    if match is None:
        raise CorpusError(f'{where}: expected = SOURCE "source span" | CUE "cue span" | QUANTIFIER')
    if match["source"] not in SOURCES:
        raise CorpusError(f"{where}: unknown source class {match['source']} (one of {', '.join(SOURCES)})")
    if match["cue"] not in CUES:
        raise CorpusError(f"{where}: unknown cue class {match['cue']} (one of {', '.join(CUES)})")
    if match["quantifier"] is None:
        raise CorpusError(f"{where}: quantifier missing (one of {', '.join(QUANTIFIERS)})")
    if match["quantifier"] not in QUANTIFIERS:
        raise CorpusError(f"{where}: unknown quantifier {match['quantifier']} (one of {', '.join(QUANTIFIERS)})")
    source_start, source_end = locate(block.text, match["source_span"], match["source_n"], where)
    cue_start, cue_end = locate(block.text, match["cue_span"], match["cue_n"], where)
    if source_start < cue_end and cue_start < source_end:
        raise CorpusError(f"{where}: source span and cue span overlap")
    return {
        "source": match["source"],
        "source_start": source_start,
        "source_end": source_end,
        "cue": match["cue"],
        "cue_start": cue_start,
        "cue_end": cue_end,
        "quantifier": match["quantifier"],
    }


def to_record(block: Block) -> tuple[dict, list[str]]:
    """The gold record of a block, and every error in its annotation lines."""
    attributions: list[dict] = []
    errors: list[str] = []
    seen: set[tuple[str, int, int, int]] = set()
    for number, line in block.annotations:
        try:
            attribution = parse_annotation(block, number, line)
        except CorpusError as error:
            errors.append(str(error))
            continue
        key = (attribution["source"], attribution["source_start"], attribution["cue_start"], attribution["cue_end"])
        if key in seen:
            errors.append(f"{block.file}:{number}: the same source and cue are annotated twice")
        seen.add(key)
        attributions.append(attribution)
    record = {
        "id": block.id,
        "text": block.text,
        "attributions": attributions,
        "meta": {"file": block.file, "line": block.line},
    }
    return record, errors


def build(src_dir: Path = SRC_DIR) -> tuple[list[dict], list[str]]:
    """Every valid record from every source file, and every error found (as 'file:line: reason')."""
    records: list[dict] = []
    errors: list[str] = []
    first_seen: dict[str, str] = {}
    paths = sorted(src_dir.glob("*.txt"))
    if not paths:
        return [], [f"{src_dir}: no source files (*.txt)"]
    for path in paths:
        try:
            blocks = read_blocks(path)
        except UnicodeDecodeError:
            errors.append(f"{path.name}: not UTF-8 text")
            continue
        except CorpusError as error:
            errors.append(str(error))
            continue
        for block in blocks:
            where = f"{block.file}:{block.line}"
            if block.text in first_seen:
                errors.append(f"{where}: same text as {first_seen[block.text]}")
                continue
            first_seen[block.text] = where
            record, block_errors = to_record(block)
            records.append(record)
            errors.extend(block_errors)
    return records, errors


def summarise(name: str, records: list[dict]) -> str:
    """The counts of one split, as printable lines."""
    attributions = [a for record in records for a in record["attributions"]]
    empty = sum(1 for record in records if not record["attributions"])
    share = empty / len(records) if records else 0.0

    def counts(key: str, names: tuple[str, ...]) -> str:
        counter = Counter(a[key] for a in attributions)
        return " ".join(f"{n}={counter[n]}" for n in names)

    return "\n".join(
        [
            f"{name}: {len(records)} records, {sum(count_sentences(r['text']) for r in records)} sentences, "
            f"{len(attributions)} attributions, {empty} records with none ({share:.0%})",
            f"  sources:     {counts('source', SOURCES)}",
            f"  cues:        {counts('cue', CUES)}",
            f"  quantifiers: {counts('quantifier', QUANTIFIERS)}",
        ]
    )


def write_jsonl(path: Path, records: list[dict]) -> None:
    """One JSON record a line, UTF-8, non-ASCII kept as is."""
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build corpus/train.jsonl and corpus/test.jsonl.")
    parser.add_argument("--check", action="store_true", help="validate and print counts, write nothing")
    parser.add_argument("--src", type=Path, default=SRC_DIR, help="folder of source files (default: corpus/src)")
    parser.add_argument("--out", type=Path, default=CORPUS_DIR, help="folder for the .jsonl files (default: corpus)")
    args = parser.parse_args(argv)
    records, errors = build(args.src)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if errors:
        print(f"{len(errors)} error(s); nothing written", file=sys.stderr)
        return 1
    splits = {"train": [], "test": []}
    for record in records:
        splits[split_of(record["id"])].append(record)
    for name in ("train", "test"):
        print(summarise(name, splits[name]))
    if not args.check:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, split_records in splits.items():
            write_jsonl(args.out / f"{name}.jsonl", split_records)
        print(f"wrote {args.out / 'train.jsonl'} and {args.out / 'test.jsonl'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
