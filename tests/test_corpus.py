"""The project's own annotated corpus (corpus/src/*.txt) and its builder, corpus/build.py."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from framing.attribution import CUES, QUANTIFIERS, SOURCES

REPO = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = REPO / "corpus" / "build.py"
SRC = REPO / "corpus" / "src"


def _load_build():
    spec = importlib.util.spec_from_file_location("corpus_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


build = _load_build()


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    records, errors = build.build()
    assert errors == []
    return records


def _split(records: list[dict], name: str) -> list[dict]:
    return [record for record in records if build.split_of(record["id"]) == name]


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_build_check_passes_on_the_corpus():
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("train: ")
    assert "\ntest: " in result.stdout


def test_every_offset_slices_to_its_span_string():
    checked = 0
    for path in sorted(SRC.glob("*.txt")):
        for block in build.read_blocks(path):
            record, errors = build.to_record(block)
            assert errors == []
            for (_, line), attribution in zip(block.annotations, record["attributions"]):
                match = build.ANNOTATION_RE.match(line)
                text = record["text"]
                assert text[attribution["source_start"]:attribution["source_end"]] == match["source_span"], line
                assert text[attribution["cue_start"]:attribution["cue_end"]] == match["cue_span"], line
                checked += 1
    assert checked > 300


def test_records_have_unique_ids_and_the_gold_fields(corpus):
    ids = [record["id"] for record in corpus]
    assert len(ids) == len(set(ids))
    for record in corpus:
        assert set(record) == {"id", "text", "attributions", "meta"}
        for attribution in record["attributions"]:
            assert attribution["source"] in SOURCES
            assert attribution["cue"] in CUES
            assert attribution["quantifier"] in QUANTIFIERS
            assert 0 <= attribution["source_start"] < attribution["source_end"] <= len(record["text"])
            assert 0 <= attribution["cue_start"] < attribution["cue_end"] <= len(record["text"])


def test_every_class_and_quantifier_appears_in_train(corpus):
    train = [a for record in _split(corpus, "train") for a in record["attributions"]]
    assert {a["source"] for a in train} == set(SOURCES)
    assert {a["cue"] for a in train} == set(CUES)
    assert {a["quantifier"] for a in train} == set(QUANTIFIERS)


def test_every_source_and_cue_appears_in_test(corpus):
    test = [a for record in _split(corpus, "test") for a in record["attributions"]]
    assert {a["source"] for a in test} == set(SOURCES)
    assert {a["cue"] for a in test} == set(CUES)


def test_at_least_40_percent_of_records_have_no_attribution(corpus):
    empty = sum(1 for record in corpus if not record["attributions"])
    assert empty / len(corpus) >= 0.40


def test_split_is_about_one_in_five_and_follows_the_id_hash(corpus):
    share = len(_split(corpus, "test")) / len(corpus)
    assert 0.14 <= share <= 0.26
    assert build.split_of("a-parents-0001") == build.split_of("a-parents-0001")
    assert {build.split_of(f"x-{n:04d}") for n in range(50)} == {"train", "test"}


def test_corpus_has_800_sentences_needs_both_writers_files(corpus):
    """Needs writer A's (a-*.txt) and writer B's (b-*.txt) files: fails until the corpus is complete."""
    assert sorted(SRC.glob("a-*.txt")), "writer A's files are missing"
    assert sorted(SRC.glob("b-*.txt")), "writer B's files are missing"
    sentences = sum(build.count_sentences(record["text"]) for record in corpus)
    assert sentences >= 800, f"only {sentences} sentences"


def test_written_jsonl_files_match_a_fresh_build(corpus):
    written = {name: REPO / "corpus" / f"{name}.jsonl" for name in ("train", "test")}
    if not all(path.exists() for path in written.values()):
        pytest.skip("corpus/*.jsonl not built yet (run python corpus/build.py)")
    for name, path in written.items():
        on_disk = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert on_disk == _split(corpus, name), f"{path.name} is stale: run python corpus/build.py"


def test_sentence_counter_splits_sentences_and_bullets():
    assert build.count_sentences("Parents feel heard. They say so.") == 2
    assert build.count_sentences("▪ Leaders know this. ▪ Parents do not.") == 2
    assert build.count_sentences("Waits fell to 12.5 weeks in the north of the area.") == 1
    assert build.count_sentences("Areas for improvement") == 1


def test_pronoun_span_needs_an_occurrence_and_whole_words(tmp_path):
    _write(
        tmp_path,
        "x-demo.txt",
        "Some parents told us about transport. They said they wait too long.\n"
        '= PARENT_CARER "Some parents" | REPORT "told us" | SOME\n'
        '= PARENT_CARER "They" | REPORT "said" | NONE\n'
        '= PARENT_CARER "they" | FACTIVE "wait" | NONE\n',
    )
    records, errors = build.build(tmp_path)
    assert errors == []
    text = records[0]["text"]
    assert [text[a["source_start"]:a["source_end"]] for a in records[0]["attributions"]] == [
        "Some parents",
        "They",
        "they",
    ]
    assert records[0]["attributions"][2]["source_start"] == text.index("they wait")


def test_build_reports_each_bad_annotation_with_file_and_line(tmp_path):
    _write(
        tmp_path,
        "x-bad.txt",
        "# a comment\n"
        "Parents and carers report that they wait and wait.\n"
        '= PARENT_CARER "Parents and carers" | REPORT "report" | NONE\n'
        '= PARENT_CARER "Parents and carers" | REPORT "report" | NONE\n'
        '= PARENT_CARER "teachers" | REPORT "report" | NONE\n'
        '= PARENTS "Parents and carers" | REPORT "report" | NONE\n'
        '= PARENT_CARER "Parents and carers" | OPINION "report" | NONE\n'
        '= PARENT_CARER "Parents and carers" | REPORT "report"\n'
        '= PARENT_CARER "Parents and carers" | REPORT "wait" | NONE\n'
        '= PARENT_CARER "Parents and carers" | REPORT "wait"@3 | NONE\n'
        '= PARENT_CARER "Parent" | REPORT "report" | NONE\n'
        '= PARENT_CARER "Parents and carers" | REPORT "report" | SEVERAL\n'
        "= PARENT_CARER Parents | REPORT report | NONE\n",
    )
    _, errors = build.build(tmp_path)
    assert errors == [
        "x-bad.txt:4: the same source and cue are annotated twice",
        'x-bad.txt:5: span "teachers" not found in the text',
        "x-bad.txt:6: unknown source class PARENTS (one of " + ", ".join(SOURCES) + ")",
        "x-bad.txt:7: unknown cue class OPINION (one of " + ", ".join(CUES) + ")",
        "x-bad.txt:8: quantifier missing (one of " + ", ".join(QUANTIFIERS) + ")",
        'x-bad.txt:9: span "wait" occurs 2 times; add @N to choose one',
        'x-bad.txt:10: span "wait"@3 but it occurs 2 time(s)',
        'x-bad.txt:11: span "Parent" is part of a longer word',
        "x-bad.txt:12: unknown quantifier SEVERAL (one of " + ", ".join(QUANTIFIERS) + ")",
        'x-bad.txt:13: expected = SOURCE "source span" | CUE "cue span" | QUANTIFIER',
    ]


def test_build_rejects_layout_errors_and_repeated_text(tmp_path):
    _write(tmp_path, "x-a.txt", "Leaders know the area well.\nThis second line should be its own block.\n")
    _write(tmp_path, "x-b.txt", '= LEADER "Leaders" | FACTIVE "know" | NONE\n')
    _write(tmp_path, "x-c.txt", "Families receive a welcome pack.\n\nFamilies receive a welcome pack.\n")
    _, errors = build.build(tmp_path)
    assert errors == [
        "x-a.txt:2: a block's text must be one line; separate blocks with a blank line",
        "x-b.txt:1: annotation line with no text line before it",
        "x-c.txt:3: same text as x-c.txt:1",
    ]


def test_command_line_gives_one_line_errors_and_exit_1(tmp_path):
    src = tmp_path / "src"
    _write(src, "x-bad.txt", 'Leaders know the area well.\n= LEADER "Leaders" | FACTIVE "knows" | NONE\n')
    (src / "x-latin1.txt").write_bytes("Parents’ views\n".encode("cp1252"))
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--src", str(src), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        'error: x-bad.txt:2: span "knows" not found in the text',
        "error: x-latin1.txt: not UTF-8 text",
        "2 error(s); nothing written",
    ]
    assert not (tmp_path / "out").exists()


def test_command_line_writes_both_splits(tmp_path):
    src = tmp_path / "src"
    block = 'Parents in area {n} report long waits.\n= PARENT_CARER "Parents" | REPORT "report" | NONE\n'
    lines = [block.format(n=n) for n in range(20)]
    _write(src, "x-waits.txt", "\n".join(lines))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--src", str(src), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    records = {
        name: [json.loads(line) for line in (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
        for name in ("train", "test")
    }
    assert len(records["train"]) + len(records["test"]) == 20
    assert records["test"], "about one in five records goes to test"
    assert all(build.split_of(r["id"]) == "test" for r in records["test"])
    assert all(build.split_of(r["id"]) == "train" for r in records["train"])
    first = next(r for r in records["train"] + records["test"] if r["id"] == "x-waits-0001")
    assert first["meta"] == {"file": "x-waits.txt", "line": 1}
    assert first["attributions"][0]["cue_start"] == len("Parents in area 0 ")


def test_empty_source_folder_is_an_error(tmp_path):
    records, errors = build.build(tmp_path)
    assert records == []
    assert errors == [f"{tmp_path}: no source files (*.txt)"]


def test_blind_set_c_is_what_its_source_builds():
    """eval/blind_c/blind_c.jsonl is built from eval/blind_c/src (train then test records, as the builder splits them)."""
    records, errors = build.build(REPO / "eval" / "blind_c" / "src")
    assert errors == []
    ordered = _split(records, "train") + _split(records, "test")
    committed = [json.loads(line) for line in (REPO / "eval" / "blind_c" / "blind_c.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    assert committed == ordered and len(committed) == 90
    assert sum(len(r["attributions"]) for r in committed) == 73
