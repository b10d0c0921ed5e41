"""framing as a writer's linter: flags with rule ids and severities, the --fail-on bar, text and SARIF.

Rules (framing/data/lint_rules.toml): framing.emotion and framing.belief (anyone's evidence framed as
a feeling or a belief), framing.unevidenced-knowledge (professionals' claims framed as knowledge),
framing.asymmetry (document level) and framing.ignore-without-reason.

Where a flag is (`path:page:line:col`):
- .txt, .md, .html: line and column (1-based, in characters) of the cue's first character in the file as
  written, so an editor can jump to it; page = form-feed page of a text file (1 without form feeds).
- .pdf: the page; line = the paragraph's number on that page as framing reads it (running headers and
  footers left out; a paragraph carried over from the page before counts as 1); col = the cue's
  character position in that paragraph, counted from the top of the page.
- .docx: page 1 (Word files have no fixed pages); line = the Word paragraph's number (1-based, empty
  paragraphs included, table cells numbered after the body); col = character in that paragraph.
A document-level flag (asymmetry) is at 1:1:1.
"""
from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterable

from .advice import rewordings
from .attribution import PROFESSIONALS, SUBJECTIVE, Attribution
from .audit import Audit
from .report.figures import headline
from .scoring import Comparison
from .suppress import CONTEXT, Source, Suppression

RULES_PATH = Path(__file__).parent / "data" / "lint_rules.toml"
SEVERITIES = ("error", "warning", "info")
OFF = "off"
RANK = {"info": 1, "warning": 2, "error": 3}
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
DEFAULT_FAIL_ON = ("warning",)
EMOTION, BELIEF, KNOWLEDGE = "framing.emotion", "framing.belief", "framing.unevidenced-knowledge"
ASYMMETRY, NO_REASON = "framing.asymmetry", "framing.ignore-without-reason"
RULE_OF_CUE = {"EMOTION": EMOTION, "BELIEF": BELIEF, "FACTIVE": KNOWLEDGE}
FRAMED_AS = {"EMOTION": "a feeling (EMOTION)", "BELIEF": "a belief (BELIEF)"}
_THRESHOLD = re.compile(r"^asymmetry\s*(?P<op>>=?)\s*(?P<value>[0-9]*\.?[0-9]+)$")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    short: str
    help: str
    note: str


@cache
def rules() -> dict[str, Rule]:
    with RULES_PATH.open("rb") as f:
        data = tomllib.load(f)
    return {r["id"]: Rule(r["id"], r["severity"], r["short"], r["help"], r["note"]) for r in data["rule"]}


def rule_id(name: str) -> str | None:
    """'emotion', 'framing.emotion' or 'knowledge' -> the rule id; None when it names no rule."""
    name = name.strip().lower()
    name = name if name.startswith("framing.") else f"framing.{name}"
    if name == "framing.knowledge":
        name = KNOWLEDGE
    return name if name in rules() else None


# ------------------------------------------------------------------ the bar (--fail-on)

@dataclass(frozen=True)
class Bar:
    """One --fail-on term: a severity (and above), a rule, or an asymmetry threshold."""

    term: str
    severity: str | None = None
    rule: str | None = None
    threshold: float | None = None
    inclusive: bool = False

    def reached(self, flags: list[Flag], asymmetry: Comparison) -> bool:
        if self.threshold is not None:
            if not asymmetry.enough_evidence:
                return False
            d = asymmetry.difference
            return d >= self.threshold if self.inclusive else d > self.threshold
        live = [f for f in flags if f.suppressed is None]
        if self.rule:
            return any(f.rule == self.rule for f in live)
        return any(RANK[f.severity] >= RANK[self.severity] for f in live)


def parse_fail_on(terms: Iterable[str]) -> list[Bar]:
    """Terms (each may be comma-separated) -> bars; 'none' alone -> no bar. ValueError names a bad term."""
    bars: list[Bar] = []
    words = [w.strip() for term in terms for w in term.split(",") if w.strip()]
    for word in words:
        lower = word.lower().replace(" ", "")
        threshold = _THRESHOLD.match(lower)
        if lower == "none":
            continue
        if lower in SEVERITIES:
            bars.append(Bar(word, severity=lower))
        elif threshold:
            value = float(threshold["value"])
            if not 0 <= value <= 1:
                raise ValueError(f"{word!r}: the asymmetry bar is a difference of proportions between 0 and 1 (0.2 = 20 points)")
            bars.append(Bar(word, threshold=value, inclusive=threshold["op"] == ">="))
        elif rule_id(lower):
            bars.append(Bar(word, rule=rule_id(lower)))
        else:
            raise ValueError(f"unknown --fail-on term {word!r}: use a severity (error, warning, info), a rule "
                             f"({', '.join(r.removeprefix('framing.') for r in rules())}), asymmetry>N or none")
    return bars


# ------------------------------------------------------------------ flags

@dataclass
class Flag:
    rule: str
    severity: str
    message: str
    page: int
    line: int
    col: int
    offset: int  # cue start in the ingested text (Audit.text); 0 for a document-level flag
    length: int  # cue length; 0 for a document-level flag
    raw_offset: int | None = None  # cue start in the file as written (.txt, .md, .html)
    attribution: int | None = None  # index into Audit.attributions
    suggestions: list[str] = field(default_factory=list)
    suppressed: str | None = None  # the reason, when a framing-ignore comment accepted the sentence

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Settings:
    """What the linter needs from the configuration and the command line."""

    severity: dict[str, str] = field(default_factory=dict)  # rule id -> severity or "off"; missing = default
    bars: list[Bar] = field(default_factory=lambda: parse_fail_on(DEFAULT_FAIL_ON))

    def severity_of(self, rule: str) -> str:
        return self.severity.get(rule, rules()[rule].severity)

    @property
    def thresholds(self) -> list[Bar]:
        return [b for b in self.bars if b.threshold is not None]


@dataclass
class LintResult:
    audit: Audit
    flags: list[Flag]  # every flag, suppressed ones included (marked), in reading order
    reached: list[str]  # the --fail-on terms this document reached
    suppressions: list[Suppression] = field(default_factory=list)

    @property
    def live(self) -> list[Flag]:
        return [f for f in self.flags if f.suppressed is None]


def attribution_rule(att: Attribution) -> str | None:
    if att.cue in SUBJECTIVE:
        return RULE_OF_CUE[att.cue]
    if att.cue == "FACTIVE" and att.source in PROFESSIONALS:
        return KNOWLEDGE
    return None


def message(att: Attribution) -> str:
    said = f"{att.source_text} “{att.cue_text}”"
    if att.cue in SUBJECTIVE:
        found = rewordings(att)
        advice = f"; if the evidence supports it: “{found[0]}”" if found else "; no safe automatic rewording"
        return f"{said}: evidence framed as {FRAMED_AS[att.cue]}{advice}"
    return f"{said}: a claim framed as knowledge (FACTIVE); is it evidenced in the inspection, or a claim they made?"


def asymmetry_message(c: Comparison) -> str:
    h = headline(c)
    return (f"families' evidence is framed as belief or emotion more often than professionals': "
            f"{h.difference} (95% interval {h.interval}); {h.counts}")


def asymmetry_raised(c: Comparison, thresholds: list[Bar]) -> bool:
    """The interval excludes 0 on the families' side, or the difference is over a configured bar."""
    if not c.enough_evidence:
        return False
    return c.difference_low > 0 or any(b.reached([], c) for b in thresholds)


def _paragraph_start(text: str, offset: int) -> int:
    return text.rfind("\n\n", 0, offset) + 2 if text.rfind("\n\n", 0, offset) >= 0 else 0


def _binary_position(audit: Audit, offset: int) -> tuple[int, int, int]:
    """(page, line, col) in a PDF (paragraph on the page) or a DOCX (Word paragraph)."""
    text = audit.text
    start = _paragraph_start(text, offset)
    if audit.format != "pdf":
        return 1, text.count("\n\n", 0, offset) + 1, offset - start + 1
    page = audit.page_at(offset)
    page_start = audit.page_starts[page - 1]
    starts = [s for s, e in audit.paragraphs] or [0]
    first = bisect.bisect_right(starts, page_start) - 1  # the paragraph the page starts in
    here = bisect.bisect_right(starts, offset) - 1
    return page, max(1, here - max(first, 0) + 1), offset - max(start, page_start) + 1


def build_flags(audit: Audit, source: Source, settings: Settings) -> list[Flag]:
    """Every flag of one document, suppressed ones marked, in reading order."""
    chosen = [(i, a, attribution_rule(a)) for i, a in enumerate(audit.attributions)]
    chosen = [(i, a, r) for i, a, r in sorted(chosen, key=lambda t: t[1].cue_start)
              if r and settings.severity_of(r) != OFF]
    raw = [None] * len(chosen)
    if source.raw:
        spans = [(max(_paragraph_start(audit.text, a.cue_start), a.cue_start - CONTEXT), a.cue_start, a.cue_end)
                 for _, a, _ in chosen]
        raw = source.raw_offsets(audit.text, spans)
    flags = []
    for (i, a, r), raw_offset in zip(chosen, raw):
        if raw_offset is not None:
            page, (line, col) = source.page_of(raw_offset), source.line_col(raw_offset)
        elif source.raw:  # not found in the file as written: the ingested paragraph and column
            page, line, col = audit.page_at(a.cue_start), *_binary_position(audit, a.cue_start)[1:]
        else:
            page, line, col = _binary_position(audit, a.cue_start)
        reason = next((s.reason or "(no reason given)" for s in source.suppressions
                       if s.covers(a.sentence_start, a.sentence_end)), None)
        flags.append(Flag(r, settings.severity_of(r), message(a), page, line, col, a.cue_start,
                          a.cue_end - a.cue_start, raw_offset, i, list(a.suggestions), reason))
    for s in source.suppressions:
        if not s.reason and settings.severity_of(NO_REASON) != OFF:
            flags.append(Flag(NO_REASON, settings.severity_of(NO_REASON),
                              "framing-ignore without a reason: write why after the colon", s.page, s.line, s.col,
                              s.start or 0, 0))
    if settings.severity_of(ASYMMETRY) != OFF and asymmetry_raised(audit.score.asymmetry, settings.thresholds):
        flags.insert(0, Flag(ASYMMETRY, settings.severity_of(ASYMMETRY), asymmetry_message(audit.score.asymmetry),
                             1, 1, 1, 0, 0))
    return flags


def lint(audit: Audit, source: Source, settings: Settings) -> LintResult:
    flags = build_flags(audit, source, settings)
    reached = [b.term for b in settings.bars if b.reached(flags, audit.score.asymmetry)]
    return LintResult(audit, flags, reached, list(source.suppressions))


# ------------------------------------------------------------------ outputs

def text_lines(result: LintResult) -> list[str]:
    """`path:page:line:col: severity: message [rule-id]`, one per flag that is not suppressed."""
    path = result.audit.path
    return [f"{path}:{f.page}:{f.line}:{f.col}: {f.severity}: {f.message} [{f.rule}]" for f in result.live]


def summary_line(results: list[LintResult], errors: int, bars: list[Bar]) -> str:
    live = [f for r in results for f in r.live]
    counts = {s: sum(f.severity == s for f in live) for s in SEVERITIES}
    suppressed = sum(len(r.flags) - len(r.live) for r in results)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in SEVERITIES]
    files = f"{len(results)} file{'s' if len(results) != 1 else ''} checked"
    line = f"{files}: {', '.join(parts)}, {suppressed} suppressed"
    if errors:
        line += f"; {errors} file{'s' if errors != 1 else ''} could not be checked"
    reached = sorted({t for r in results for t in r.reached})
    bar = ", ".join(b.term for b in bars) or "none"
    return line + (f"; fail-on {bar}: reached ({', '.join(reached)})" if reached else f"; fail-on {bar}: not reached")


def lint_dict(result: LintResult, bars: list[Bar], config: str | None) -> dict:
    """The `lint` member of the JSON audit (framing/data/audit.schema.json)."""
    return {
        "fail_on": [b.term for b in bars],
        "reached": result.reached,
        "config": config,
        "flags": [f.to_dict() for f in result.flags],
        "suppressions": [asdict(s) for s in result.suppressions],
    }


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_uri() if p.is_absolute() else p.as_posix()


def sarif(results: list[LintResult], errors: list[str], version: str) -> dict:
    """SARIF 2.1.0: one run, the rules in tool.driver.rules, one result per flag (suppressed ones marked).

    region: startLine/startColumn as in the text output; charOffset/charLength point into the file as
    written for .txt/.md/.html, and into framing's extracted text for PDF and DOCX (properties say which).
    """
    ids = list(rules())
    driver_rules = [{
        "id": r.id,
        "name": r.id.removeprefix("framing."),
        "shortDescription": {"text": r.short},
        "fullDescription": {"text": r.note},
        "help": {"text": r.help},
        "defaultConfiguration": {"level": SARIF_LEVEL[r.severity]},
    } for r in rules().values()]
    out = []
    for result in results:
        for f in result.flags:
            region = {"startLine": f.line, "startColumn": f.col}
            if f.length:
                region |= {"charOffset": f.raw_offset if f.raw_offset is not None else f.offset, "charLength": f.length}
            item = {
                "ruleId": f.rule,
                "ruleIndex": ids.index(f.rule),
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(result.audit.path)},
                                                    "region": region}}],
                "properties": {"page": f.page, "suggestions": f.suggestions,
                               "offsetsIn": "file" if f.raw_offset is not None else "extracted text"},
            }
            if f.suppressed is not None:
                item["suppressions"] = [{"kind": "inSource", "justification": f.suppressed}]
            out.append(item)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "framing", "version": version, "rules": driver_rules}},
            "invocations": [{"executionSuccessful": not errors,
                             "toolExecutionNotifications": [{"level": "error", "message": {"text": e}} for e in errors]}],
            "artifacts": [{"location": {"uri": _uri(r.audit.path)}} for r in results],
            "results": out,
        }],
    }


def render_lint_html(result: LintResult, page: str) -> str:
    """The HTML audit page with a 'Linter flags' section (suppressed flags listed as such) before </main>."""
    from .report.html import environment

    section = environment().get_template("_lint.html.j2").render(result=result, flags=result.flags,
                                                                  rules=rules())
    at = page.rfind("</main>")
    return page[:at] + section + page[at:] if at >= 0 else page + section
