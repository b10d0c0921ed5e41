"""The terminal summary: per document, the headline figure and the top flagged sentences."""
from __future__ import annotations

from typing import Iterable

from rich.console import Console
from rich.text import Text

from ..audit import Audit
from .figures import flagged, headline, page_of, shorten

TOP_FLAGS = 5
SENTENCE_CHARS = 90
CUE_STYLES = {"FACTIVE": "bold blue", "REPORT": "bold", "BELIEF": "bold dark_orange3", "EMOTION": "bold magenta"}


def headline_text(audit: Audit) -> Text:
    h = headline(audit.score.asymmetry)
    line = Text("  asymmetry: ")
    if h.enough:
        line.append(h.difference, style="bold")
        line.append(f" (95% interval {h.interval}); {h.verdict}")
    else:
        line.append("not enough evidence", style="bold")
    line.append(f"\n  {h.counts}", style="dim")
    return line


def flag_lines(audit: Audit) -> list[Text]:
    """`path:page: CLASS source "cue" — sentence` for the first flags in reading priority."""
    lines = []
    for _, a in flagged(audit)[:TOP_FLAGS]:
        line = Text(f"  {audit.path}:{page_of(audit, a)}: ")
        line.append(a.cue, style=CUE_STYLES[a.cue])
        line.append(f" {a.source_text} “{a.cue_text}” — {shorten(a.sentence, SENTENCE_CHARS)}")
        lines.append(line)
    return lines


def print_summary(audits: Iterable[Audit], console: Console) -> None:
    for audit in audits:
        pages = len(audit.page_starts)
        title = Text(audit.name, style="bold")
        title.append(f"  {pages} page{'s' if pages != 1 else ''}, {len(audit.attributions)} attributions", style="")
        console.print(title)
        console.print(headline_text(audit))
        for line in flag_lines(audit):
            console.print(line, overflow="fold")
        for warning in audit.warnings:
            console.print(Text(f"  warning: {warning}", style="yellow"))
