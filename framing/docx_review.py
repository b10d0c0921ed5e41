"""The Word round trip: a copy of the draft with a Word comment anchored on each flagged cue.

Each comment gives the framing class and rule, why the cue was flagged, and the suggested evidence-style
rewording (or, for professionals' knowledge, the question to ask). The draft's text is unchanged: runs
are split at the cue's edges (both halves keep the run's formatting) and the comment marks sit between
runs. The copy is checked paragraph by paragraph against the draft before it is written.
"""
from __future__ import annotations

from copy import deepcopy
from pathlib import Path

from .lint import ASYMMETRY, Flag, LintResult

AUTHOR, INITIALS = "framing", "FR"
CAVEAT = "A rewording is right only when the inspection evidence supports it."
_TEXT_TAGS = ("t", "tab", "br", "cr", "noBreakHyphen", "ptab")


class DocxReviewError(Exception):
    """The reviewed copy cannot be written; str(error) is one line."""


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def _text_runs(p) -> list:
    """The runs whose text makes up python-docx's Paragraph.text, in order (hyperlinks included)."""
    return p.xpath("./w:r | ./w:hyperlink/w:r")


def _length(child) -> int:
    return len(str(child)) if child.tag in {_w(t) for t in _TEXT_TAGS} else 0


def _keep(r, start: int, end: int | None) -> None:
    """Keep only the run content between two character positions of the run's text."""
    position = 0
    for child in list(r):
        if child.tag == _w("rPr"):
            continue
        n = _length(child)
        stop = position + n
        if n == 0:
            inside = start <= position and (end is None or position < end)
            if not inside:
                r.remove(child)
        elif stop <= start or (end is not None and position >= end):
            r.remove(child)
        elif position < start or (end is not None and stop > end):  # only a w:t holds several characters
            child.text = child.text[max(start - position, 0):(end - position if end is not None else n)]
            child.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        position = stop


def _split(p, offset: int) -> None:
    """Make a character offset of the paragraph's text a run boundary."""
    position = 0
    for r in _text_runs(p):
        n = len(r.text)
        if position < offset < position + n:
            twin = deepcopy(r)
            r.addnext(twin)
            _keep(r, 0, offset - position)
            _keep(twin, offset - position, None)
            return
        position += n


def runs_between(paragraph, start: int, end: int) -> list:
    """The runs covering exactly [start, end) of the paragraph's text, split out of their neighbours."""
    from docx.text.run import Run

    p = paragraph._p
    _split(p, start)
    _split(p, end)
    found, position = [], 0
    for r in _text_runs(p):
        n = len(r.text)
        if n and start <= position and position + n <= end:
            found.append(Run(r, paragraph))
        position += n
    return found


def comment_lines(flag: Flag, result: LintResult) -> list[str]:
    if flag.attribution is None:
        return [f"framing: {flag.rule} ({flag.severity})", flag.message,
                "Review the flagged sentences together."]
    att = result.audit.attributions[flag.attribution]
    lines = [f"framing: {att.cue} framing — {flag.rule} ({flag.severity})", f"Why: {att.explanation}"]
    if att.cue in ("BELIEF", "EMOTION"):
        lines += [f"Suggested rewording: {s}" for s in flag.suggestions]
        lines.append(CAVEAT)
    else:
        lines += [f"Question to ask: {s}" for s in flag.suggestions]
    lines.append("To accept the sentence as it is, add a comment starting ‘framing-ignore:’ and the reason.")
    return lines


def _add(document, runs: list, lines: list[str]) -> None:
    comment = document.add_comment(runs, text=lines[0], author=AUTHOR, initials=INITIALS)
    for line in lines[1:]:
        comment.add_paragraph(line)


def annotate_docx(draft: Path, target: Path, result: LintResult) -> tuple[int, int]:
    """Write `target`: the draft with a comment on each active flag. Returns (comments added, flags left
    without a comment because their text is in a table or could not be anchored)."""
    import docx

    if target.resolve() == draft.resolve():
        raise DocxReviewError(f"{target}: --annotate-docx must name a new file, not the draft itself")
    document = docx.Document(str(draft))
    paragraphs = document.paragraphs
    before = [p.text for p in paragraphs]
    spans = result.audit.paragraphs
    added = skipped = 0
    for flag in result.live:
        if flag.rule == ASYMMETRY:
            runs = next(([r for r in p.runs if r.text] for p in paragraphs if any(r.text for r in p.runs)), [])
        elif flag.attribution is not None:
            att = result.audit.attributions[flag.attribution]
            k = next((k for k, (s, e) in enumerate(spans) if s <= att.cue_start and att.cue_end <= e), None)
            runs = [] if k is None else runs_between(paragraphs[k], att.cue_start - spans[k][0], att.cue_end - spans[k][0])
        else:
            continue
        if not runs:
            skipped += 1
            continue
        _add(document, runs, comment_lines(flag, result))
        added += 1
    if [p.text for p in document.paragraphs] != before:
        raise DocxReviewError(f"{target}: not written: adding comments would have changed the draft's text")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        document.save(str(target))
    except OSError as error:
        raise DocxReviewError(f"{target}: cannot write ({error.strerror or error})") from None
    return added, skipped
