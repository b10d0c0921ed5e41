"""`framing check` as a linter and `framing config`: formats, exit codes, the bar, configuration, progress."""
from __future__ import annotations

import inspect
import io
import json
import re
from pathlib import Path

import docx
import pytest
from jsonschema import Draft202012Validator
from rich.console import Console
from typer.testing import CliRunner

import framing.cli as cli
from framing.cli import EXIT_ERROR, EXIT_FLAGGED, EXIT_OK, app
from framing.report import SCHEMA_PATH

runner = CliRunner()
LINE = re.compile(r"^(?P<path>.+?):(?P<page>\d+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|info): "
                  r"(?P<message>.+) \[(?P<rule>framing\.[a-z-]+)\]$")
# Written for these tests, in the register of an area SEND inspection report.
DRAFT = """Area SEND inspection of Eastmere Local Area Partnership

Parents feel that the local offer is hard to navigate.
# framing-ignore: the parents' survey used these words
Many families are worried about the wait for an assessment.
Leaders know that waiting times are too long.
"""
CALM = "Practitioners say that the new training has helped them.\nLeaders told inspectors that plans are late.\n"


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """`framing check` writes ./framing-out by default: keep it out of the repository."""
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str):
    return runner.invoke(app, ["check", "--rules-only", *args])


def test_text_format_lines_summary_and_exit_1(tmp_path):
    draft = write(tmp_path / "draft.txt", DRAFT)
    result = run(str(draft))
    assert result.exit_code == EXIT_FLAGGED
    lines = result.stdout.splitlines()
    parsed = [LINE.match(line) for line in lines[:-1]]
    assert all(parsed) and [m["rule"] for m in parsed] == ["framing.belief", "framing.unevidenced-knowledge"]
    belief = parsed[0]
    assert (belief["path"], belief["page"], belief["line"], belief["col"]) == (str(draft), "1", "3", "9")
    assert lines[-1] == "1 file checked: 0 errors, 1 warning, 1 info, 1 suppressed; fail-on warning: reached (warning)"
    # for people, on stderr: the headline figures; and the audit files in ./framing-out by default
    assert "asymmetry: not enough evidence" in result.stderr and "Audits written to framing-out/" in result.stderr
    assert (Path("framing-out") / "draft.html").exists() and (Path("framing-out") / "draft.json").exists()


def test_an_explicit_text_format_prints_only_the_flags(tmp_path):
    draft = write(tmp_path / "draft.txt", DRAFT)
    result = run(str(draft), "--format", "text")
    assert result.exit_code == EXIT_FLAGGED
    assert all(LINE.match(line) for line in result.stdout.splitlines()[:-1])
    assert result.stderr == ""


@pytest.mark.parametrize("bar, code", [
    (["none"], EXIT_OK), (["error"], EXIT_OK), (["belief"], EXIT_FLAGGED), (["emotion"], EXIT_OK),
    (["knowledge"], EXIT_FLAGGED), (["error,info"], EXIT_FLAGGED), (["error", "emotion"], EXIT_OK),
    (["asymmetry>0.2"], EXIT_OK),
])
def test_fail_on_variants(tmp_path, bar, code):
    draft = write(tmp_path / "draft.txt", DRAFT)
    args = [a for term in bar for a in ("--fail-on", term)]
    assert run(str(draft), *args).exit_code == code


def test_unknown_fail_on_term_is_a_usage_error(tmp_path):
    result = run(str(write(tmp_path / "draft.txt", DRAFT)), "--fail-on", "loud")
    assert result.exit_code == EXIT_ERROR
    assert result.stderr.startswith("framing: error: --fail-on: unknown --fail-on term 'loud'")
    assert len(result.stderr.splitlines()) == 1


def test_nothing_flagged_exits_0(tmp_path):
    result = run(str(write(tmp_path / "calm.txt", CALM)))
    assert result.exit_code == EXIT_OK
    assert result.stdout.splitlines() == ["1 file checked: 0 errors, 0 warnings, 0 info, 0 suppressed; "
                                          "fail-on warning: not reached"]


def test_unreadable_input_exits_2_and_the_others_are_written(tmp_path):
    good = write(tmp_path / "draft.txt", DRAFT)
    out = tmp_path / "out"
    result = run(str(tmp_path / "missing.pdf"), str(good), "--out", str(out), "--format", "text,json,html,sarif")
    assert result.exit_code == EXIT_ERROR
    assert result.stderr.splitlines() == [f"framing: error: {tmp_path / 'missing.pdf'}: no such file"]
    assert (out / "draft.html").exists() and (out / "draft.json").exists()
    log = json.loads((out / "framing.sarif").read_text(encoding="utf-8"))
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "no such file" in notes[0]["message"]["text"] and log["runs"][0]["results"]
    assert "1 file could not be checked" in result.stdout


def test_json_to_stdout_validates_and_lists_suppressed(tmp_path):
    result = run(str(write(tmp_path / "draft.txt", DRAFT)), "--format", "json")
    assert result.exit_code == EXIT_FLAGGED
    data = json.loads(result.stdout)
    Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))).validate(data)
    flags = data["lint"]["flags"]
    assert [(f["rule"], f["suppressed"]) for f in flags] == [
        ("framing.belief", None), ("framing.emotion", "the parents' survey used these words"),
        ("framing.unevidenced-knowledge", None)]
    assert data["lint"]["reached"] == ["warning"] and data["lint"]["config"] is None
    assert "framing-ignore" not in data["text"]


def test_several_inputs_give_json_lines(tmp_path):
    paths = [write(tmp_path / "a.txt", DRAFT), write(tmp_path / "b.txt", CALM)]
    result = run(*map(str, paths), "--format", "json")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["name"] for r in records] == ["a", "b"] and result.exit_code == EXIT_FLAGGED


def test_sarif_to_stdout(tmp_path):
    result = run(str(write(tmp_path / "draft.txt", DRAFT)), "--format", "sarif")
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == [
        "framing.belief", "framing.emotion", "framing.unevidenced-knowledge"]
    assert "suppressions" in log["runs"][0]["results"][1]


def test_two_machine_formats_need_an_out_folder(tmp_path):
    result = run(str(write(tmp_path / "draft.txt", DRAFT)), "--format", "json,sarif")
    assert result.exit_code == EXIT_ERROR and "--out" in result.stderr


def test_text_with_json_on_stdout_moves_text_to_stderr(tmp_path):
    result = run(str(write(tmp_path / "draft.txt", DRAFT)), "--format", "text,json")
    assert json.loads(result.stdout)["name"] == "draft"
    assert "[framing.belief]" in result.stderr


def test_text_and_html_default_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "draft.txt", DRAFT)
    result = run("draft.txt", "--format", "text,html")
    page = (tmp_path / "framing-out" / "draft.html").read_text(encoding="utf-8")
    assert 'id="lint"' in page and "suppressed: the parents" in page
    assert result.stdout.startswith("draft.txt:1:3:9: warning:")


def test_out_folder_defaults_to_text_html_and_json(tmp_path):
    out = tmp_path / "out"
    result = run(str(write(tmp_path / "draft.txt", DRAFT)), "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["draft.html", "draft.json"]
    assert "[framing.belief]" in result.stdout


def test_configuration_found_upwards_and_config_option(tmp_path):
    draft = write(tmp_path / "team" / "drafts" / "draft.txt", DRAFT)
    write(tmp_path / "team" / "framing.toml", 'fail_on = ["error"]\n[severity]\n"framing.belief" = "info"\n')
    result = run(str(draft))
    assert result.exit_code == EXIT_OK and "info: Parents “feel”" in result.stdout
    strict = write(tmp_path / "strict.toml", 'fail_on = ["info"]\n')
    result = run(str(draft), "--config", str(strict))
    assert result.exit_code == EXIT_FLAGGED and "warning: Parents “feel”" in result.stdout
    assert run(str(draft), "--fail-on", "belief").exit_code == EXIT_FLAGGED  # the command line wins


def test_malformed_configuration_exits_2_naming_file_and_key(tmp_path):
    draft = write(tmp_path / "draft.txt", DRAFT)
    config = write(tmp_path / "framing.toml", '[aliases]\n"Eastmere Voice" = "CHARITY"\n')
    result = run(str(draft))
    assert result.exit_code == EXIT_ERROR and result.stdout == ""
    assert result.stderr == f"framing: error: {config}: aliases.Eastmere Voice: unknown source class 'CHARITY' " \
                            f"(known: PARENT_CARER, CHILD_YP, FORUM, LEADER, PRACTITIONER, INSPECTOR, OTHER)\n"


def test_alias_and_disabled_rule_through_the_command(tmp_path):
    draft = write(tmp_path / "draft.txt", "Eastmere Voice believes that co-production has improved.\n"
                                          "Leaders know that waiting times are too long.\n")
    write(tmp_path / "framing.toml", 'disable = ["framing.unevidenced-knowledge"]\n[aliases]\n"Eastmere Voice" = "FORUM"\n')
    data = json.loads(run(str(draft), "--format", "json").stdout)
    assert [(a["source"], a["source_text"]) for a in data["attributions"] if a["cue"] == "BELIEF"] == \
        [("FORUM", "Eastmere Voice")]
    assert [f["rule"] for f in data["lint"]["flags"]] == ["framing.belief"]
    assert data["lint"]["config"] == str(tmp_path / "framing.toml")


def test_config_command_prints_effective_values_and_origins(tmp_path):
    config = write(tmp_path / "framing.toml", 'fail_on = ["emotion"]\n[aliases]\n"Eastmere Voice" = "FORUM"\n')
    result = runner.invoke(app, ["config", str(tmp_path)])
    assert result.exit_code == EXIT_OK
    assert result.stdout.splitlines()[0] == f"# configuration file: {config}"
    assert re.search(r'^fail_on = \["emotion"\] +# ' + re.escape(str(config)) + "$", result.stdout, re.M)
    assert re.search(r'^"framing.emotion" = "warning" +# default$', result.stdout, re.M)
    bad = runner.invoke(app, ["config", "--config", str(write(tmp_path / "bad.toml", "fail_on = 3\n"))])
    assert bad.exit_code == EXIT_ERROR and "bad.toml: fail_on: must be a string" in bad.stderr


def test_annotate_docx_through_the_command(tmp_path):
    document = docx.Document()
    document.add_paragraph("Parents feel that the local offer is hard to navigate.")
    document.add_paragraph("Leaders know that waiting times are too long.")
    draft = tmp_path / "draft.docx"
    document.save(str(draft))
    reviewed = tmp_path / "reviewed.docx"
    result = run(str(draft), "--annotate-docx", str(reviewed), "--fail-on", "none")
    assert result.exit_code == EXIT_OK and "2 comments written to" in result.stderr
    copy = docx.Document(str(reviewed))
    assert [p.text for p in copy.paragraphs] == [p.text for p in document.paragraphs]
    assert len(list(copy.comments)) == 2
    wrong = run(str(write(tmp_path / "draft.txt", DRAFT)), "--annotate-docx", str(reviewed))
    assert wrong.exit_code == EXIT_ERROR and "needs exactly one .docx input" in wrong.stderr


def test_progress_bar_on_stderr_never_in_json(tmp_path, monkeypatch):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for page in range(25):
        pdf.add_page()
        pdf.set_y(90)
        pdf.multi_cell(0, 6, f"In the {page + 1} schools visited, parents feel that the wait for an assessment "
                             f"is too long. Leaders know that {page + 3} plans are late.")
    long_pdf = tmp_path / "long.pdf"
    pdf.output(str(long_pdf))
    screen = io.StringIO()
    monkeypatch.setattr(cli, "err", Console(file=screen, force_terminal=True, width=100))
    result = run(str(long_pdf), str(write(tmp_path / "calm.txt", CALM)), "--format", "json")
    assert "reading long.pdf" in screen.getvalue() and "files" in screen.getvalue()
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["pages"] for r in records] == [25, 1]
    assert "reading" not in result.stdout and "\x1b" not in result.stdout


def test_every_commands_help_paragraphs_are_one_line_each_so_typer_does_not_break_them_mid_sentence():
    """typer joins the lines of a help text's first paragraph but prints the later ones' line breaks as they are
    (`framing check --help` once broke "an input or the / configuration" across two lines)."""
    for command in app.registered_commands:
        first, *later = inspect.cleandoc(command.callback.__doc__ or "").split("\n\n")
        assert first.strip(), command.callback.__name__
        for paragraph in later:
            assert "\n" not in paragraph.strip(), f"{command.callback.__name__}: {paragraph[:60]!r}"
