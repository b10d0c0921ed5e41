"""The HTML audit: one self-contained page per document (no network requests), Jinja2 with autoescape.

Report text is cut at every span boundary (source, cue, page start) and each flat segment is wrapped
with the classes of every span that covers it, so overlapping and shared spans never nest tags.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .. import __version__
from ..attribution import CUE_LABELS, CUES, FAMILIES, PROFESSIONALS, SOURCE_LABELS, SOURCES, SUBJECTIVE, Attribution
from ..audit import Audit
from .figures import accuracy_note, flagged, headline, is_flagged, page_of, percent, shorten
from .jsonout import ensure_advice, write_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SOURCE_TAGS = {"PARENT_CARER": "parent/carer", "CHILD_YP": "child/young person", "FORUM": "forum",
               "LEADER": "leader", "PRACTITIONER": "practitioner", "INSPECTOR": "inspector", "OTHER": "other"}
PROVENANCE_LABELS = {
    "framing_version": "framing version",
    "spacy_pipeline": "spaCy pipeline",
    "spacy_pipeline_version": "spaCy pipeline version",
    "spacy_version": "spaCy version",
    "lexicon_version": "lexicon version",
    "framing_model": "framing model",
    "sklearn_version": "scikit-learn version",
}
CHART_WIDTH = 300
CHART_ROW = 60


@dataclass
class Piece:
    """One item of rendered text: a text segment, a span label, an anchor or a page marker."""

    kind: str  # "text", "tag", "anchor", "page"
    text: str = ""
    src: list[int] = field(default_factory=list)  # attributions whose source covers this segment
    cue: list[int] = field(default_factory=list)  # attributions whose cue covers this segment
    classes: str = ""  # CSS classes
    atts: list[int] = field(default_factory=list)  # for tags and anchors
    href: str = ""


@dataclass
class Paragraph:
    id: str
    pages_before: list[int]
    pieces: list[Piece]
    heading_like: bool


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph; paragraphs are separated by a blank line."""
    spans, start = [], 0
    for m in re.finditer(r"\n[ \t]*\n\s*", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _tags(atts: list[tuple[int, Attribution]], kind: str, href: dict[int, str]) -> list[Piece]:
    """One label per class for the spans of `kind` ending here (several attributions can share a span)."""
    by_class: dict[str, list[int]] = {}
    for i, a in atts:
        by_class.setdefault(a.source if kind == "src" else a.cue, []).append(i)
    return [Piece("tag", SOURCE_TAGS[c] if kind == "src" else c, classes=f"tag {kind}-tag tag-{c}", atts=ids,
                  href=href[ids[0]]) for c, ids in by_class.items()]


def pieces(text: str, start: int, end: int, atts: list[tuple[int, Attribution]], pages: dict[int, int],
           href: dict[int, str], marks: bool = True) -> list[Piece]:
    """The text between start and end cut at every boundary; marks: add labels, anchors, page markers."""
    spans = {i: ((a.source_start, a.source_end), (a.cue_start, a.cue_end)) for i, a in atts}
    inside = [(i, a) for i, a in atts if min(a.source_start, a.cue_start) < end and max(a.source_end, a.cue_end) > start]
    cuts = {start, end} | {p for p in pages if start < p < end}
    for i, _ in inside:
        cuts |= {min(max(x, start), end) for span in spans[i] for x in span}
    by_id = dict(inside)
    out: list[Piece] = []
    bounds = sorted(cuts)
    for b, nxt in zip(bounds, bounds[1:] + [None]):
        if marks:
            for kind, which in (("src", 0), ("cue", 1)):
                ending = [(i, a) for i, a in inside
                          if max(spans[i][which][0], start) < b == min(spans[i][which][1], end)]
                out += _tags(ending, kind, href)
            if b in pages:
                out.append(Piece("page", str(pages[b]), classes="page-inline"))
            out += [Piece("anchor", atts=[i]) for i, a in inside if a.cue_start == b < end]
        if nxt is None:
            break
        src = [i for i in by_id if spans[i][0][0] <= b < spans[i][0][1]]
        cue = [i for i in by_id if spans[i][1][0] <= b < spans[i][1][1]]
        cue_classes = sorted({by_id[i].cue for i in cue})
        classes = " ".join((["src"] if src else []) + (["cue"] + [f"cue-{c}" for c in cue_classes] if cue else []))
        out.append(Piece("text", text[b:nxt], src=src, cue=cue, classes=classes))
    return out


def paragraphs(audit: Audit, href: dict[int, str]) -> tuple[list[Paragraph], list[int]]:
    """The report text paragraph by paragraph, and the pages that start after the last paragraph."""
    numbered = {}
    for page, offset in enumerate(audit.page_starts, start=1):
        numbered.setdefault(offset, page)
    atts = list(enumerate(audit.attributions))
    out, previous_end = [], -1
    for k, (start, end) in enumerate(paragraph_spans(audit.text)):
        before = [n for n, p in enumerate(audit.page_starts, start=1) if previous_end <= p <= start]
        inline = {p: n for p, n in numbered.items() if start < p < end}
        body = audit.text[start:end]
        out.append(Paragraph(f"p{k + 1}", before, pieces(audit.text, start, end, atts, inline, href),
                             len(body) < 90 and not body.rstrip().endswith((".", ":", ";", ","))))
        previous_end = end
    return out, [n for n, p in enumerate(audit.page_starts, start=1) if p >= previous_end]


def _flag(audit: Audit, i: int, a: Attribution, href: dict[int, str]) -> dict:
    return {
        "id": i,
        "page": page_of(audit, a),
        "att": a,
        "subjective": a.cue in SUBJECTIVE,
        "source_label": SOURCE_LABELS[a.source],
        "pieces": pieces(audit.text, a.sentence_start, a.sentence_end, [(i, a)], {}, href, marks=False),
    }


def chart(audit: Audit) -> dict:
    """Stacked bars, one per source class with attributions: geometry for the template's SVG."""
    table = audit.score.table
    rows = []
    for s in SOURCES:
        total = sum(table[s].values())
        if not total:
            continue
        x, segments = 0.0, []
        for c in CUES:
            width = CHART_WIDTH * table[s][c] / total
            if table[s][c]:
                segments.append({"cue": c, "count": table[s][c], "x": round(x, 1), "width": round(width, 1),
                                 "labelled": width >= 22})
            x += width
        counts = " · ".join(f"{CUE_LABELS[c].lower()} {table[s][c]}" for c in CUES if table[s][c])
        rows.append({"source": s, "label": SOURCE_LABELS[s], "total": total, "segments": segments,
                     "counts": counts, "y": len(rows) * CHART_ROW})
    return {"rows": rows, "width": CHART_WIDTH, "height": max(1, len(rows)) * CHART_ROW}


def table_rows(audit: Audit) -> list[dict]:
    rows = []
    for s in SOURCES:
        counts = audit.score.table[s]
        total = sum(counts.values())
        subjective = counts["BELIEF"] + counts["EMOTION"]
        voice = "families" if s in FAMILIES else ("professionals" if s in PROFESSIONALS else "neither voice")
        rows.append({"source": s, "label": SOURCE_LABELS[s], "voice": voice, "counts": [counts[c] for c in CUES],
                     "total": total, "subjective": percent(subjective / total if total else None)})
    return rows


def display_title(audit: Audit) -> str:
    """The report's name: a title from the metadata, else its local area and year, else the file stem."""
    meta = audit.metadata
    if meta.get("title"):
        return str(meta["title"])
    if meta.get("local_area"):
        year = f" ({meta['year']})" if meta.get("year") else ""
        return f"{meta['local_area']}: area SEND inspection{year}"
    return audit.name


def context(audit: Audit, accuracy_note: str) -> dict:
    ensure_advice(audit)
    href = {i: (f"#flag-{i}" if is_flagged(a) else f"#row-{i}") for i, a in enumerate(audit.attributions)}
    paras, pages_after = paragraphs(audit, href)
    present_sources = Counter(a.source for a in audit.attributions)
    present_cues = Counter(a.cue for a in audit.attributions)
    return {
        "audit": audit,
        "title": display_title(audit),
        "asymmetry": headline(audit.score.asymmetry),
        "minimising": headline(audit.score.minimising),
        "table": table_rows(audit),
        "cues": CUES,
        "cue_labels": CUE_LABELS,
        "chart": chart(audit),
        "paragraphs": paras,
        "pages_after": pages_after,
        "flags": [_flag(audit, i, a, href) for i, a in flagged(audit)],
        "rows": [{"id": i, "att": a, "page": page_of(audit, a), "source_label": SOURCE_LABELS[a.source],
                  "sentence": shorten(a.sentence, 140), "href": href[i]} for i, a in enumerate(audit.attributions)],
        "source_filters": [(s, SOURCE_LABELS[s], present_sources[s]) for s in SOURCES if present_sources[s]],
        "cue_filters": [(c, CUE_LABELS[c], present_cues[c]) for c in CUES if present_cues[c]],
        "provenance": [(PROVENANCE_LABELS.get(k, k.replace("_", " ")), v) for k, v in audit.provenance.items()],
        "framing_version": audit.provenance.get("framing_version", __version__),
        "metadata": [(k.replace("_", " "), v) for k, v in audit.metadata.items() if k != "title" and v not in (None, "", [])],
        "accuracy_note": accuracy_note,
    }


@cache
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def render_html(audit: Audit, note: str | None = None) -> str:
    return environment().get_template("audit.html.j2").render(**context(audit, note or accuracy_note()))


def write_html(audit: Audit, path: str | Path, note: str | None = None) -> Path:
    return write_text(path, render_html(audit, note))
