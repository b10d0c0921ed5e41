"""framing-ignore: sentences a writer has accepted deliberately, and where things sit in the file as written.

A suppression is a comment that starts `framing-ignore:` followed by the reason:

- .txt: a line `# framing-ignore: reason`, or `<!-- framing-ignore: reason -->`;
- .md and .html: `<!-- framing-ignore: reason -->`;
- .docx: a Word comment whose text starts `framing-ignore:`.

In text, Markdown and HTML the comment accepts the sentence that contains the first word after it
(put it on the line before the sentence). In Word it accepts every sentence the commented range
touches. Ingest drops HTML comments and would read text comments as report text, so the raw file is
read here: its comments are cut out of plain text and Markdown before ingest (`Source.ingest_text`),
and each one is mapped onto the ingested text by the words that follow it.

The same raw reading gives the line and column of an offset of the ingested text in the file as
written (.txt, .md, .html), by finding the words around it in the file's visible text.
"""
from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

IGNORE = re.compile(r"framing-ignore\b:?[ \t]*(?P<reason>[^\n]*)", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--(?P<body>.*?)-->", re.DOTALL)
_HASH_LINE = re.compile(r"^[ \t]*#[ \t]*(?P<body>framing-ignore\b[^\n]*)(?:\n|$)", re.MULTILINE | re.IGNORECASE)
_HTML_SKIP = re.compile(
    r"<!--.*?-->|<(script|style|head|template|noscript|svg)\b.*?</\1\s*>|<(?P<tag>/?[a-zA-Z][\w-]*)[^>]*>|&#?\w+;",
    re.DOTALL | re.IGNORECASE)
_INLINE_TAGS = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s",
                "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}
_INVISIBLE = set("\u00ad\u200b\u200c\u200d\u2060\ufeff")
SNIPPET = 60  # characters of visible text that identify a place in the ingested text
CONTEXT = 40  # characters before a cue used to find it in the file as written


@dataclass
class Suppression:
    """One framing-ignore comment; `start`/`end` is the span of ingested text it accepts."""

    reason: str
    page: int
    line: int
    col: int
    start: int | None = None  # None: nothing follows the comment that could be found in the text
    end: int | None = None

    def covers(self, sentence_start: int, sentence_end: int) -> bool:
        if self.start is None or self.end is None:
            return False
        return sentence_start < max(self.end, self.start + 1) and self.start < sentence_end


@dataclass
class Stream:
    """Visible text normalised (one space for any run of white space), each character's offset in `raw`."""

    text: str
    index: list[int]

    @classmethod
    def build(cls, pieces: list[tuple[str, int]]) -> Stream:
        chars: list[str] = []
        index: list[int] = []
        for piece, at in pieces:
            for k, ch in enumerate(piece):
                if ch.isspace():
                    if chars and chars[-1] != " ":
                        chars.append(" ")
                        index.append(at + k)
                    continue
                if ch in _INVISIBLE:
                    continue
                for folded in unicodedata.normalize("NFKC", ch) if "\ufb00" <= ch <= "\ufb06" else ch:
                    chars.append(folded)
                    index.append(at + k)
        return cls("".join(chars), index)

    def after(self, raw_offset: int) -> str:
        """The first SNIPPET characters of visible text at or after a raw offset."""
        k = bisect.bisect_left(self.index, raw_offset)
        return self.text[k:k + SNIPPET].strip()


def normalise(text: str) -> Stream:
    return Stream.build([(text, 0)])


@dataclass
class Source:
    """What framing reads from a file as written, besides what ingest reads."""

    path: str
    format: str  # "txt", "md", "html", "docx", "pdf"
    raw: str = ""  # the decoded file (txt, md, html)
    ingest_text: str | None = None  # txt/md with the comments cut out; None when ingest can read the file as is
    stream: Stream = field(default_factory=lambda: Stream("", []))
    suppressions: list[Suppression] = field(default_factory=list)
    pending: list[tuple[Suppression, str]] = field(default_factory=list)  # suppressions and the words after them
    _line_starts: list[int] = field(default_factory=list)

    def line_col(self, raw_offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset of the file as written."""
        if not self._line_starts:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.raw)]
        line = bisect.bisect_right(self._line_starts, raw_offset)
        return line, raw_offset - self._line_starts[line - 1] + 1

    def page_of(self, raw_offset: int) -> int:
        return self.raw.count("\f", 0, raw_offset) + 1

    def resolve(self, text: str) -> None:
        """Map each comment onto the ingested text: the sentence after it is found by its first words."""
        document = normalise(text)
        hint = 0
        for suppression, snippet in self.pending:
            found = _find(document.text, snippet, hint)
            if found is None:
                continue
            hint = found
            suppression.start = document.index[found]
            suppression.end = suppression.start + 1
        self.pending.clear()

    def raw_offsets(self, text: str, cues: list[tuple[int, int, int]]) -> list[int | None]:
        """For each (context start, cue start, cue end) in the ingested text, in order, the cue's offset in
        the file as written: the words before the cue in its paragraph, then the cue alone, are looked up."""
        out: list[int | None] = []
        hint = 0
        for context_start, start, end in cues:
            prefix = normalise(text[context_start:start]).text.lstrip()
            cue = normalise(text[start:end]).text
            found, shift = (_find(self.stream.text, prefix + cue, hint), len(prefix)) if prefix else (None, 0)
            if found is None:
                found, shift = _find(self.stream.text, cue, hint), 0
            if found is None:
                out.append(None)
                continue
            hint = found
            out.append(self.stream.index[found + shift])
        return out


def _find(haystack: str, needle: str, hint: int) -> int | None:
    if not needle:
        return None
    found = haystack.find(needle, hint)
    if found < 0:
        found = haystack.find(needle)
    return found if found >= 0 else None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _reason(body: str) -> str | None:
    """The reason of a framing-ignore comment ('' when none is given), None when it is another comment."""
    m = IGNORE.search(body)
    if not m or body[:m.start()].strip():
        return None
    return m.group("reason").strip()


def read_source(path: str | Path) -> Source:
    """Read a file's comments and visible text (the file has already been read by ingest without error)."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in (".txt", ".md"):
        return _read_text(str(path), _decode(file.read_bytes()), markdown=suffix == ".md")
    if suffix in (".html", ".htm"):
        return _read_html(str(path), _decode(file.read_bytes()))
    if suffix == ".docx":
        return Source(str(path), "docx")
    return Source(str(path), "pdf")


def _read_text(name: str, raw: str, markdown: bool) -> Source:
    """Cut comments out (HTML comments in Markdown; framing-ignore comments in text); keep their places."""
    source = Source(name, "md" if markdown else "txt", raw=raw)
    cuts: list[tuple[int, int, str | None]] = []  # (start, end, reason or None for a plain comment)
    for m in _HTML_COMMENT.finditer(raw):
        reason = _reason(m.group("body"))
        if reason is not None or markdown:
            cuts.append((m.start(), m.end(), reason))
    if not markdown:
        cuts += [(m.start(), m.end(), _reason(m.group("body"))) for m in _HASH_LINE.finditer(raw)]
    cuts = _whole_lines(raw, sorted(cuts))
    if not cuts:
        source.stream = Stream.build([(raw, 0)])
        return source
    kept: list[tuple[str, int]] = []
    position = 0
    for start, end, _ in cuts:
        kept.append((raw[position:start], position))
        position = max(position, end)
    kept.append((raw[position:], position))
    source.ingest_text = "".join(piece for piece, _ in kept)
    source.stream = Stream.build(kept)
    for start, end, reason in cuts:
        if reason is not None:
            _add(source, reason, start, end)
    return source


def _whole_lines(raw: str, cuts: list[tuple[int, int, str | None]]) -> list[tuple[int, int, str | None]]:
    """A comment alone on its line takes the line break with it, so no blank line (paragraph break) appears."""
    out = []
    for start, end, reason in cuts:
        line_start = raw.rfind("\n", 0, start) + 1
        line_end = raw.find("\n", end)
        line_end = len(raw) if line_end < 0 else line_end
        if not raw[line_start:start].strip() and not raw[end:line_end].strip():
            start, end = line_start, min(line_end + 1, len(raw))
        out.append((start, end, reason))
    return out


def _add(source: Source, reason: str, start: int, end: int) -> None:
    comment_at = start + len(source.raw[start:end]) - len(source.raw[start:end].lstrip())
    line, col = source.line_col(comment_at)
    suppression = Suppression(reason, source.page_of(comment_at), line, col)
    source.suppressions.append(suppression)
    source.pending.append((suppression, source.stream.after(end)))


def _read_html(name: str, raw: str) -> Source:
    source = Source(name, "html", raw=raw)
    pieces: list[tuple[str, int]] = []
    position = 0
    comments = []
    for m in _HTML_SKIP.finditer(raw):
        pieces.append((raw[position:m.start()], position))
        token = m.group()
        if token.startswith("&"):
            pieces.append((html.unescape(token), m.start()))
        elif token.startswith("<!--"):
            reason = _reason(token[4:-3])
            if reason is not None:
                comments.append((reason, m.start(), m.end()))
        elif m.group("tag") and m.group("tag").lstrip("/").lower() not in _INLINE_TAGS:
            pieces.append((" ", m.start()))
        position = m.end()
    pieces.append((raw[position:], position))
    source.stream = Stream.build(pieces)
    for reason, start, end in comments:
        _add(source, reason, start, end)
    return source


# ------------------------------------------------------------------ Word comments

def read_docx_suppressions(path: str | Path, paragraphs: list[tuple[int, int]]) -> list[Suppression]:
    """framing-ignore Word comments, each with the span of ingested text its commented range covers.

    `paragraphs` are the ingested spans of the body paragraphs (ingest's Document.paragraphs): offsets
    inside a Word paragraph's text are offsets inside its span.
    """
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    reasons = {c.comment_id: _reason(c.text) for c in document.comments}
    reasons = {k: v for k, v in reasons.items() if v is not None}
    if not reasons:
        return []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    where: dict[int, tuple[int, int]] = {}
    tags = (qn("w:r"), qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference"))
    for k, paragraph in enumerate(document.paragraphs[:len(paragraphs)]):
        p = paragraph._p
        base = paragraphs[k][0]
        position = 0
        for el in p.iter(*tags):
            if el.tag == qn("w:r"):
                if el.getparent() is p or (el.getparent().tag == qn("w:hyperlink") and el.getparent().getparent() is p):
                    position += len(el.text)
                continue
            cid = int(el.get(qn("w:id")))
            if cid not in reasons:
                continue
            if el.tag == qn("w:commentRangeStart"):
                starts[cid] = base + position
                where[cid] = (k, position)
            elif el.tag == qn("w:commentRangeEnd"):
                ends[cid] = base + position
            else:
                starts.setdefault(cid, base + position)
                ends.setdefault(cid, base + position)
                where.setdefault(cid, (k, position))
    out = []
    for cid, reason in reasons.items():
        if cid not in starts:
            continue
        k, position = where[cid]
        out.append(Suppression(reason, 1, k + 1, position + 1, starts[cid], max(ends.get(cid, starts[cid]), starts[cid])))
    return out
