"""The guides' example sessions are what the commands print: run them again and compare."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fenced(path: Path) -> list[tuple[str, str]]:
    """(language, body) of every fenced block in a Markdown file, in order."""
    return re.findall(r"```(\w+)\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    assert command.startswith("framing "), command
    return subprocess.run([sys.executable, "-m", "framing", *command.split()[1:]], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_the_writers_guide_first_session_prints_what_the_guide_shows(tmp_path):
    blocks = fenced(ROOT / "docs" / "writers-guide.md")
    (draft_kind, draft), (console_kind, console) = blocks[0], blocks[1]
    assert (draft_kind, console_kind) == ("markdown", "console")
    folder = tmp_path / "eastmere"
    folder.mkdir()
    (folder / "draft.md").write_text(draft, encoding="utf-8")
    lines = console.splitlines()
    command, shown = lines[0].removeprefix("$ "), lines[1:lines.index("$ echo $?")]
    done = run(command, folder)
    assert done.stdout.splitlines() == shown
    assert str(done.returncode) == lines[lines.index("$ echo $?") + 1]


def test_the_campaigners_guide_sample_run_gives_the_figures_it_shows(tmp_path):
    console = next(body for kind, body in fenced(ROOT / "docs" / "campaigners.md") if kind == "console")
    lines = console.splitlines()
    command = lines[0].removeprefix("$ ").replace("sample-out", str(tmp_path / "sample-out"))
    paths = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "corpus" / "sample").glob("*.*"))
    done = run(command.replace("corpus/sample/*.*", " ".join(paths)), ROOT)  # the shell's glob, without a shell
    shown = [line for line in lines if line.startswith(("Pooled asymmetry", "1 file skipped"))]
    printed = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith(("Pooled", "1 file"))]
    assert printed == shown
    assert str(done.returncode) == lines[lines.index("$ echo $?") + 1]
