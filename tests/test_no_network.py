"""`framing check` (and `framing corpus`) open no network connection.

The command runs in a subprocess whose `sitecustomize` installs an audit hook: any socket connect,
name lookup or datagram send writes the event to stderr and ends the process at once with status 97
(an exception could be caught and swallowed by the code under test; os._exit cannot). A control run
proves the hook is installed and fires.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FRAMING = shutil.which("framing", path=str(Path(sys.executable).parent)) or "framing"
TRIPPED = 97
HOOK = f"""
import os, sys

WATCHED = {{"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
            "socket.sendto", "socket.sendmsg", "urllib.Request", "http.client.connect"}}
WATCHED |= set(filter(None, os.environ.get("NO_NETWORK_ALSO", "").split(",")))  # for the control runs


def _no_network(event, args):
    if event in WATCHED:
        os.write(2, ("network event: " + event + " " + repr(args)[:200] + "\\n").encode())
        os._exit({TRIPPED})


sys.addaudithook(_no_network)
"""
REPORT = """Area SEND inspection of Wexcombe Local Area Partnership

Parents and carers feel that the partnership does not explain its decisions. Leaders know that
annual reviews are often late. Practitioners report that the new assessment hub has shortened waits.

Some families are worried about the move to secondary school. Children and young people told
inspectors that they enjoy the holiday schemes.
"""


@pytest.fixture
def guarded_env(tmp_path) -> dict[str, str]:
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(hook_dir), os.environ.get("PYTHONPATH", "")]))
    return {**os.environ, "PYTHONPATH": path}


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)


def test_the_hook_fires_on_a_connection_attempt(guarded_env):
    """Control: a name lookup and a connect to a closed local port are both caught before anything is sent."""
    for code in ("import socket; socket.getaddrinfo('localhost', 9)",
                 "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"):
        result = run([sys.executable, "-c", code], guarded_env)
        assert result.returncode == TRIPPED, code
        assert "network event: socket." in result.stderr


def test_the_hook_is_active_inside_the_framing_command(tmp_path, guarded_env):
    """Control on the command itself: told to treat file opens as forbidden too, `framing check` trips at once."""
    report = tmp_path / "wexcombe.txt"
    report.write_text(REPORT, encoding="utf-8")
    result = run([FRAMING, "check", str(report)], {**guarded_env, "NO_NETWORK_ALSO": "open"})
    assert result.returncode == TRIPPED
    assert "network event: open" in result.stderr


def test_check_opens_no_network_connection(tmp_path, guarded_env):
    report = tmp_path / "wexcombe.txt"
    report.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out"
    result = run([FRAMING, "check", str(report), "--out", str(out), "--format", "text,html,json,sarif",
                  "--fail-on", "none"], guarded_env)
    assert "network event" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir()} >= {"wexcombe.html", "wexcombe.json", "framing.sarif"}


def test_corpus_opens_no_network_connection(tmp_path, guarded_env):
    folder = tmp_path / "reports"
    folder.mkdir()
    for area in ("Wexcombe", "Yarrow", "Zennor"):
        (folder / f"{area.lower()}.txt").write_text(REPORT.replace("Wexcombe", area), encoding="utf-8")
    result = run([FRAMING, "corpus", str(folder), "--out", str(tmp_path / "out"), "--jobs", "2", "--no-cache"],
                 guarded_env)
    assert "network event" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "index.html").is_file()
