"""The corpus tables (framing.report.tables): fixed column types in CSV, parquet and pandas."""
from __future__ import annotations

import csv
import io
import math
from datetime import datetime

import pandas as pd
import pyarrow.parquet as pq
import pytest

from framing.batch import CorpusError
from framing.report.tables import (ATTRIBUTIONS, DOCUMENTS, FAILURES, Table, csv_text, data_frame, typed_cells,
                                   write_table)

SMALL = Table((("sentence", "str"), ("page", "Int64"), ("start", "int64"), ("confidence", "Float64"),
               ("hedged", "boolean"), ("published", "datetime64[us]")))
ROWS = [
    {"sentence": "=1+2 Leaders know this.", "page": 3, "start": 10, "confidence": 0.875, "hedged": False,
     "published": "2024-03-05"},
    {"sentence": 'Parents said "it is slow", twice.\nThen again.', "page": None, "start": 0,
     "confidence": math.nan, "hedged": None, "published": "not printed"},
    {"sentence": None, "page": 12, "start": 7, "confidence": 1e-05, "hedged": True, "published": None},
]


def read_csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_cells_follow_the_column_types_and_formulas_are_neutralised():
    header, *lines = read_csv_cells(csv_text(SMALL, typed_cells(SMALL, ROWS)))
    assert header == ["sentence", "page", "start", "confidence", "hedged", "published"]
    assert lines[0] == ["'=1+2 Leaders know this.", "3", "10", "0.875", "False", "2024-03-05"]
    # quotes, commas and line breaks survive CSV quoting; NaN, None and an unreadable date are empty cells
    assert lines[1] == ['Parents said "it is slow", twice.\nThen again.', "", "0", "", "", ""]
    assert lines[2] == ["", "12", "7", "1e-05", "True", ""]


def test_parquet_keeps_the_text_and_pandas_reads_back_the_frame_data_frame_gives(tmp_path):
    write_table(SMALL, ROWS, tmp_path / "small")
    frame = pd.read_parquet(tmp_path / "small.parquet")
    pd.testing.assert_frame_equal(frame, data_frame(SMALL, ROWS))
    assert frame["sentence"][0] == "=1+2 Leaders know this."  # only the CSV gets the apostrophe
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "sentence": "str", "page": "Int64", "start": "int64", "confidence": "Float64", "hedged": "boolean",
        "published": "datetime64[us]"}
    assert frame["page"].isna().tolist() == [False, True, False] and frame["confidence"].isna()[1]
    assert frame["published"][0] == datetime(2024, 3, 5) and frame["published"].isna()[1:].all()
    # a reader without pandas sees plain parquet types
    assert [str(f.type) for f in pq.read_schema(tmp_path / "small.parquet")] == [
        "string", "int64", "int64", "double", "bool", "timestamp[us]"]


@pytest.mark.parametrize("table", [DOCUMENTS, ATTRIBUTIONS], ids=["documents", "attributions"])
def test_a_column_with_nothing_in_it_keeps_its_type(tmp_path, table):
    """No report repeated and no date printed: duplicate_of is still text and dates still dates, so tables of
    different runs stack; with no rows at all the columns are all there."""
    rows = [{name: None for name in table.names} | {n: 0 for n, kind in table.columns if kind == "int64"}]
    for stem, given in (("one", rows), ("none", [])):
        write_table(table, given, tmp_path / stem)
        schema = pq.read_schema(tmp_path / f"{stem}.parquet")
        assert schema.names == table.names and "null" not in {str(f.type) for f in schema}
        assert pd.read_csv(tmp_path / f"{stem}.csv").columns.tolist() == table.names


def test_failures_have_no_parquet_and_an_unwritable_folder_is_a_one_line_error(tmp_path):
    write_table(FAILURES, [{"path": "a.pdf", "reason": "truncated PDF"}], tmp_path / "failures", parquet=False)
    assert (tmp_path / "failures.csv").read_text() == "path,reason\na.pdf,truncated PDF\n"
    assert not (tmp_path / "failures.parquet").exists()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(CorpusError, match="cannot write"):
        write_table(DOCUMENTS, [], blocked / "documents")


def test_framing_corpus_writes_its_tables_without_importing_pandas(tmp_path):
    """pandas costs a run about 0.3 s of start-up: only the Python API, which returns DataFrames, imports it."""
    import subprocess
    import sys

    (tmp_path / "letter.txt").write_text("Parents feel that plans are late. Leaders know that waits are long.\n")
    code = ("import sys\nfrom framing.cli import app\n"
            f"sys.argv = ['framing', 'corpus', {str(tmp_path / 'letter.txt')!r}, '--out', {str(tmp_path / 'out')!r},"
            " '--jobs', '1', '--rules-only', '--quiet']\n"
            "try:\n    app()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print('pandas' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
    frame = pd.read_parquet(tmp_path / "out" / "attributions.parquet")
    assert frame["source_class"].tolist() == ["PARENT_CARER", "LEADER"]
