"""Ingest: read a PDF, DOCX, HTML or plain-text file into one clean text with page and paragraph offsets.

Every later stage works on `Document.text`; `page_starts` and `paragraphs` map offsets back to the page
(PDF) or the Word paragraph (DOCX) a span came from. PDFs are read with pypdfium2 one page at a time;
running headers and footers are dropped, lines are re-joined into paragraphs from the vertical gaps
and font changes pdfium reports, and words broken at a line end are re-joined. Bad input raises
`IngestError` whose message is one line naming the file and the reason. Rules live in
`framing/data/ingest.toml`.
"""
from __future__ import annotations

import bisect
import ctypes
import re
import statistics
import tomllib
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:  # the readers import their libraries only when a file of that format comes in
    from bs4 import Tag
    from docx.table import Table
    from pypdfium2 import PdfPage, PdfTextPage

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt", ".md"}
NOT_ENGLISH = "text does not look like English: results are not meaningful"
SCANNED = "no text layer (scanned PDF?); OCR it first"
_FORMATS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".txt": "txt", ".md": "txt"}
_RULES_PATH = Path(__file__).parent / "data" / "ingest.toml"

Progress = Callable[[int, int], None]


def page_of_offset(page_starts: list[int], offset: int) -> int:
    """1-based page number of a character offset, given where each page starts."""
    return max(1, bisect.bisect_right(page_starts, offset))


@dataclass
class Document:
    path: str  # as given
    text: str  # clean text; paragraphs separated by "\n\n"
    page_starts: list[int]  # page_starts[i] = offset in `text` where page i+1 starts
    format: str  # "pdf" | "docx" | "html" | "txt"
    warnings: list[str] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each paragraph

    def page_at(self, offset: int) -> int:
        """1-based page number of a character offset."""
        return page_of_offset(self.page_starts, offset)

    @property
    def pages(self) -> int:
        return len(self.page_starts)


class IngestError(Exception):
    """A file that cannot be read; str(error) is one line: '<file>: <reason>'."""

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


# ---------------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Rules:
    limits: dict[str, float]
    bullets_any: tuple[str, ...]  # glyphs that start a list item on their own
    bullets_spaced: tuple[str, ...]  # glyphs that start a list item only before a space
    bullet_aliases: dict[str, str]
    hyphen_prefixes: frozenset[str]
    hyphen_suffixes: frozenset[str]
    function_words: frozenset[str]


@cache
def _rules() -> _Rules:
    data = tomllib.loads(_RULES_PATH.read_text(encoding="utf-8"))
    bullets_any = tuple(g for e in data["bullet"] if not e["needs_space"] for g in e["glyphs"])
    bullets_spaced = tuple(g for e in data["bullet"] if e["needs_space"] for g in e["glyphs"])
    aliases = {c: e["glyph"] for e in data["bullet_alias"] for c in e["chars"]}
    return _Rules(
        limits={k: float(v["value"]) for k, v in data["limits"].items()},
        bullets_any=bullets_any,
        bullets_spaced=bullets_spaced,
        bullet_aliases=aliases,
        hyphen_prefixes=frozenset(w for e in data["hyphen_prefix"] for w in e["words"]),
        hyphen_suffixes=frozenset(w for e in data["hyphen_suffix"] for w in e["words"]),
        function_words=frozenset(w for e in data["english_function_words"] for w in e["words"]),
    )


def _limit(name: str) -> float:
    return _rules().limits[name]


# ---------------------------------------------------------------------------------------- public API


def load(path: str | Path, progress: Progress | None = None) -> Document:
    """Read a supported file into a Document; raise IngestError (one line) for anything unreadable."""
    name = printable(str(path))
    file = Path(path)
    try:
        if not file.exists():
            raise IngestError(name, "no such file")
        if file.is_dir():
            raise IngestError(name, "is a directory, not a file")
        suffix = file.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
            raise IngestError(name, f"unsupported file type '{suffix or '(none)'}' (supported: {supported})")
        if file.stat().st_size == 0:
            raise IngestError(name, "empty file")
        fmt = _FORMATS[suffix]
        if fmt == "pdf":
            read = _read_pdf(file, name, progress)
        elif fmt == "docx":
            read = _read_docx(file, name)
        elif fmt == "html":
            read = _read_html(file)
        else:
            read = _text_pieces(_decode_text(file.read_bytes(), name))
        return _finish(name, fmt, read)
    except IngestError:
        raise
    except MemoryError:
        raise IngestError(name, "out of memory while reading the file") from None
    except Exception as error:  # any library failure becomes one clear line, never a traceback
        raise IngestError(name, f"could not read the file ({_one_line(error)})") from None


def printable(name: str) -> str:
    """A file name as text that can be written out (UTF-8): a name that is not UTF-8, which Python holds with
    lone surrogates for its stray bytes, gets U+FFFD for each, as a file manager shows it. The file itself is
    still opened by the name as given."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def load_text(text: str, name: str = "<text>") -> Document:
    """A Document from a string (plain-text rules: blank lines separate paragraphs)."""
    return _finish(name, "txt", _text_pieces(text))


def _one_line(error: BaseException) -> str:
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


# ---------------------------------------------------------------------------------------- assembly

# A paragraph is a list of (text, page index) pieces concatenated as they are; pages are 0-based.
Paragraph = list[tuple[str, int]]


@dataclass
class _Read:
    """What a format reader hands to assembly."""

    paragraphs: list[Paragraph]
    pages: int = 1
    warnings: list[str] = field(default_factory=list)
    mapped: int | None = None  # only the first `mapped` paragraphs get a span (DOCX: the body, not tables)


def _finish(name: str, fmt: str, read: _Read) -> Document:
    text, spans, page_starts = _assemble(read.paragraphs, read.pages)
    if not text.strip():
        raise IngestError(name, SCANNED if fmt == "pdf" else "no text found")
    warnings = list(read.warnings)
    if not _looks_english(text):
        warnings.append(NOT_ENGLISH)
    spans = spans if read.mapped is None else spans[: read.mapped]
    return Document(path=name, text=text, page_starts=page_starts, format=fmt, warnings=warnings, paragraphs=spans)


def _assemble(paragraphs: list[Paragraph], pages: int) -> tuple[str, list[tuple[int, int]], list[int]]:
    """Join paragraphs with blank lines; record each paragraph's span and where each page's text starts."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    first_offset: dict[int, int] = {}
    offset = 0
    for index, paragraph in enumerate(paragraphs):
        if index:
            parts.append("\n\n")
            offset += 2
        start = offset
        for piece, page in paragraph:
            if piece.strip():
                first_offset.setdefault(page, offset + len(piece) - len(piece.lstrip()))
            parts.append(piece)
            offset += len(piece)
        spans.append((start, offset))
    page_starts = [0] * max(1, pages)
    following = offset
    for page in range(len(page_starts) - 1, 0, -1):  # a page without text starts where the next one does
        following = min(first_offset.get(page, following), following)
        page_starts[page] = following
    return "".join(parts), spans, page_starts


def _looks_english(text: str) -> bool:
    tokens = re.findall(r"[^\W\d_]+", text.lower())
    if len(tokens) < _limit("english_min_tokens"):
        return True
    common = sum(token in _rules().function_words for token in tokens)
    return common / len(tokens) >= _limit("english_min_share")


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = dict.fromkeys(map(ord, "\t\u00a0\u2007\u2009\u202f\u3000\v\f"), " ")
_LIGATURES = dict(zip("\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06", ["ff", "fi", "fl", "ffi", "ffl", "st", "st"]))


@cache
def _line_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {**_INVISIBLE, **_SPACES, **{ord(k): v for k, v in _LIGATURES.items()}}
    table.update({ord(k): v for k, v in _rules().bullet_aliases.items()})
    return table


def _clean_line(line: str) -> str:
    """One line of text with invisible characters removed, odd spaces and ligatures normalised."""
    line = line.translate(_line_table())
    if not line.isprintable():  # printable text has no control or format (category C) characters to drop
        line = "".join(ch for ch in line if ch == " " or unicodedata.category(ch)[0] != "C")
    return " ".join(line.split())


def _starts_bullet(line: str) -> bool:
    rules = _rules()
    if line.startswith(rules.bullets_any):
        return True
    return any(line.startswith(glyph + " ") for glyph in rules.bullets_spaced)


# ---------------------------------------------------------------------------------------- plain text


def _decode_text(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise IngestError(name, "binary data, not a text file")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding).removeprefix("\ufeff")  # a UTF-8 byte-order mark is not text
        except UnicodeDecodeError:
            continue
    raise IngestError(name, "cannot decode the text (tried utf-8 with or without BOM, and cp1252)")


def _text_pieces(text: str) -> _Read:
    """Pages at form feeds, paragraphs at blank lines and bullet lines, lines joined with a space."""
    paragraphs: list[Paragraph] = []
    pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    for page, page_text in enumerate(pages):
        current: list[str] = []
        for raw in page_text.split("\n"):
            line = _clean_line(raw)
            if not line or _starts_bullet(line):
                if current:
                    paragraphs.append([(" ".join(current), page)])
                current = [line] if line else []
            else:
                current.append(line)
        if current:
            paragraphs.append([(" ".join(current), page)])
    return _Read(paragraphs, pages=len(pages))


# ---------------------------------------------------------------------------------------- HTML

_HTML_DROP = {
    "script", "style", "nav", "head", "noscript", "template", "svg", "iframe", "object", "canvas", "button", "select",
}
_HTML_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "html", "legend", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
}


def _read_html(file: Path) -> _Read:
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import PreformattedString

    soup = BeautifulSoup(file.read_bytes(), "lxml")
    paragraphs: list[Paragraph] = []
    buffer: list[str] = []

    def flush() -> None:
        line = _clean_line("".join(buffer))
        buffer.clear()
        if line:
            paragraphs.append([(line, 0)])

    stack: list[object] = [soup]
    while stack:  # iterative walk: deeply nested markup cannot exhaust the recursion limit
        node = stack.pop()
        if node is flush:
            flush()
        elif isinstance(node, Tag):
            if node.name in _HTML_DROP or _html_hidden(node):
                continue
            if node.name in _HTML_BLOCKS:
                flush()
                stack.append(flush)
            stack.extend(reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            buffer.append(str(node))
    flush()
    return _Read(paragraphs)


def _html_hidden(tag: Tag) -> bool:
    style = "".join(str(tag.get("style") or "").split()).lower()
    return tag.has_attr("hidden") or "display:none" in style or "visibility:hidden" in style


# ---------------------------------------------------------------------------------------- DOCX


def _read_docx(file: Path, name: str) -> _Read:
    """One paragraph per body paragraph (python-docx order, empty ones too), then the tables' text.

    Each body paragraph keeps python-docx's `paragraph.text` character for character (tabs and line
    breaks become spaces) so an offset inside it maps back into the Word paragraph. DOCX files have
    no fixed pages: everything is page 1.
    """
    _check_docx_archive(file, name)
    import docx

    document = docx.Document(str(file))
    paragraphs: list[Paragraph] = [[(_docx_line(p.text), 0)] for p in document.paragraphs]
    body = len(paragraphs)
    for table in document.tables:
        paragraphs.extend([(cell, 0)] for cell in _table_cells(table))
    return _Read(paragraphs, mapped=body)


def _docx_line(text: str) -> str:
    """Same length as `text`: tabs, breaks and control characters become spaces."""
    return "".join(" " if ch in "\t\n\r\v\f" or unicodedata.category(ch) == "Cc" else ch for ch in text)


def _table_cells(table: Table) -> Iterable[str]:
    """Text of each distinct cell (merged cells repeat in python-docx), nested tables included."""
    seen: set = set()  # the cells' XML elements; holding them keeps lxml's proxies (and identities) alive
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            for paragraph in cell.paragraphs:
                line = _clean_line(paragraph.text)
                if line:
                    yield line
            for inner in cell.tables:
                yield from _table_cells(inner)


def _check_docx_archive(file: Path, name: str) -> None:
    """Refuse files that are not DOCX archives, and zip bombs, before any XML is parsed."""
    with file.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(name, "old binary Word (.doc) or encrypted DOCX; save it as .docx without a password")
    if not zipfile.is_zipfile(file):
        raise IngestError(name, "not a valid DOCX (not a zip archive: damaged or another format)")
    with zipfile.ZipFile(file) as archive:
        members = archive.infolist()
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    mb = 1024 * 1024
    max_mb, max_ratio = _limit("docx_max_unpacked_mb"), _limit("docx_max_ratio")
    if unpacked > max_mb * mb:
        raise IngestError(name, f"refused: unpacks to {unpacked / mb:.0f} MB (limit {max_mb:.0f} MB; zip bomb?)")
    ratio = unpacked / max(packed, 1)
    if unpacked > _limit("docx_ratio_floor_mb") * mb and ratio > max_ratio:
        raise IngestError(name, f"refused: compression ratio {ratio:.0f}:1 (limit {max_ratio:.0f}:1; zip bomb?)")
    if "word/document.xml" not in {m.filename for m in members}:
        raise IngestError(name, "not a Word document (the archive has no word/document.xml)")


# ---------------------------------------------------------------------------------------- PDF


@dataclass
class PdfLine:
    """One text line of a PDF page, with the geometry the paragraph rules use (points, from page top)."""

    text: str
    page: int  # 0-based
    baseline: float  # distance of the baseline from the top of the page
    page_height: float
    size: float  # font size
    bold: bool
    hyphen_break: bool = False  # the line ended with a hyphen at the line break (hyphen not in `text`)


def _read_pdf(file: Path, name: str, progress: Progress | None) -> _Read:
    import pypdfium2 as pdfium

    _check_pdf_bytes(file, name)
    try:
        pdf = pdfium.PdfDocument(str(file))
    except pdfium.PdfiumError as error:
        if error.err_code == 4:  # FPDF_ERR_PASSWORD
            raise IngestError(name, "encrypted PDF (needs a password)") from None
        if error.err_code == 6:  # FPDF_ERR_SECURITY
            raise IngestError(name, "PDF uses an unsupported security handler") from None
        raise IngestError(name, "damaged PDF (cannot be parsed)") from None
    lines: list[PdfLine] = []
    empty_pages = 0
    try:
        total = len(pdf)
        if total == 0:
            raise IngestError(name, "PDF has no pages")
        for index in range(total):  # one page object alive at a time
            page = pdf[index]
            try:
                page_lines = pdfium_page_lines(page, index)
            finally:
                page.close()
            if sum(len(line.text.replace(" ", "")) for line in page_lines) < _limit("empty_page_chars"):
                empty_pages += 1
            lines.extend(page_lines)
            if progress is not None:
                progress(index + 1, total)
    finally:
        pdf.close()
    if empty_pages == total:
        raise IngestError(name, SCANNED)
    warnings = []
    if empty_pages:
        warnings.append(f"{empty_pages} of {total} pages have no text layer (scanned pages?); their text is missing")
    return _Read(pdf_paragraphs(lines, total), pages=total, warnings=warnings)


def _check_pdf_bytes(file: Path, name: str) -> None:
    size = file.stat().st_size
    window = int(_limit("pdf_eof_window"))
    with file.open("rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, size - window))
        tail = handle.read()
    if b"%PDF-" not in head:
        raise IngestError(name, "not a PDF (no %PDF header: corrupt or another format)")
    if b"%%EOF" not in tail:
        raise IngestError(name, "truncated PDF (the file ends before its end-of-file marker)")


_HYPHEN_CODES = {0x02, 0xFFFE}  # what pdfium reports for a hyphen it saw at a line break


def pdfium_page_lines(page: PdfPage, index: int) -> list[PdfLine]:
    """The text lines of one pypdfium2 page, in content order, with baseline, font size and weight."""
    textpage = page.get_textpage()
    try:
        height = page.get_height()
        count = textpage.count_chars()
        chars = _page_chars(textpage.raw, count)
        if chars is None:  # pdfium's page text does not line up with its characters: read them one by one
            return _page_lines_by_char(textpage, count, index, height)
        return _page_lines(textpage.raw, chars, index, height)
    finally:
        textpage.close()


_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\x02\ufffe\n\r-]")  # the characters the line splitting looks at


def _page_chars(handle, count: int) -> str | None:
    """The page's characters as one string, chars[i] == chr(FPDFText_GetUnicode(i)) for every i, read in one
    call; None when the page text cannot be trusted to line up with the characters (pdfium leaves some
    characters out of it or splits one in two), or holds UTF-16 surrogates (the character-by-character
    reader pairs them). pdfium writes U+FFFE into the text for a hyphen at a line break and for a character
    without Unicode, where the character itself is 0x02 or 0: those few are read one by one."""
    import pypdfium2.raw as raw

    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * (2 * count + 2))()  # room for a surrogate pair per character and the NUL
    if raw.FPDFText_GetText(handle, 0, count, buffer) != count + 1:
        return None
    chars = ctypes.string_at(buffer, 2 * count).decode("utf-16-le", errors="surrogatepass")
    if len(chars) != count or _SURROGATE.search(chars):
        return None
    if "\ufffe" not in chars:
        return chars
    codes = list(chars)
    for i, char in enumerate(codes):
        if char == "\ufffe":
            code = raw.FPDFText_GetUnicode(handle, i)
            if 0xD800 <= code < 0xE000 or code > 0x10FFFF:
                return None
            codes[i] = chr(code)
    return "".join(codes)


def _page_lines(handle, chars: str, index: int, height: float) -> list[PdfLine]:
    """_page_lines_by_char's lines from the page's characters read at once (see _page_chars)."""
    import pypdfium2.raw as raw

    lines: list[PdfLine] = []
    font_name = ctypes.create_string_buffer(128)
    start = 0

    def end_line(stop: int, hyphen: bool) -> None:
        piece = chars[start:stop]
        line = _clean_line(piece.replace("\r", "") if "\r" in piece else piece)
        if line:
            shown = [start + k for k, char in enumerate(piece) if not char.isspace()]  # "\r" is a space too
            lines.append(_pdfium_line(handle, shown, line, index, height, hyphen, font_name))

    for match in _LINE_BREAKS.finditer(chars):
        char, at = match.group(), match.start()
        if char == "\r" or (char == "-" and raw.FPDFText_IsHyphen(handle, at) != 1):
            continue  # a carriage return is dropped from the line; an ordinary hyphen is part of it
        end_line(at, char != "\n")
        start = at + 1
    end_line(len(chars), False)
    return lines


def _page_lines_by_char(textpage: PdfTextPage, count: int, index: int, height: float) -> list[PdfLine]:
    """The text lines of a page read one character at a time (FPDFText_GetUnicode)."""
    import pypdfium2.raw as raw

    lines: list[PdfLine] = []
    chars: list[int] = []  # char indices of the current line
    text: list[str] = []
    font_name = ctypes.create_string_buffer(128)

    def end_line(hyphen: bool) -> None:
        line = _clean_line("".join(text))
        if line:
            lines.append(_pdfium_line(textpage, chars, line, index, height, hyphen, font_name))
        chars.clear()
        text.clear()

    pending_high = 0
    for i in range(count):
        code = raw.FPDFText_GetUnicode(textpage, i)
        if code in _HYPHEN_CODES or (code == 0x2D and raw.FPDFText_IsHyphen(textpage, i) == 1):
            end_line(True)
        elif code == 0x0A:
            end_line(False)
        elif code == 0x0D:
            continue
        elif 0xD800 <= code < 0xDC00:
            pending_high = code
        else:
            if 0xDC00 <= code < 0xE000:
                code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00) if pending_high else 0xFFFD
                pending_high = 0
            text.append(chr(code))
            if not chr(code).isspace():
                chars.append(i)
    end_line(False)
    return lines


def _pdfium_line(
    textpage, chars: list[int], text: str, index: int, height: float, hyphen: bool, font_name
) -> PdfLine:
    """Geometry of a line from three sample characters (first, middle, last): robust to a bullet glyph."""
    import pypdfium2.raw as raw

    samples = sorted({chars[0], chars[len(chars) // 2], chars[-1]}) if chars else []
    x, y = ctypes.c_double(), ctypes.c_double()
    baselines, sizes, bolds = [], [], []
    for i in samples:
        if raw.FPDFText_GetCharOrigin(textpage, i, x, y):
            baselines.append(height - y.value)
        sizes.append(raw.FPDFText_GetFontSize(textpage, i))
        bolds.append(_pdfium_bold(textpage, i, font_name))
    return PdfLine(
        text=text,
        page=index,
        baseline=statistics.median(baselines) if baselines else 0.0,
        page_height=height,
        size=statistics.median(sizes) if sizes else 0.0,
        bold=sum(bolds) * 2 > len(bolds),
        hyphen_break=hyphen,
    )


def _pdfium_bold(textpage, i: int, font_name) -> bool:
    import pypdfium2.raw as raw

    if raw.FPDFText_GetFontWeight(textpage, i) >= 600:
        return True
    flags = ctypes.c_int()
    font_name.value = b""
    raw.FPDFText_GetFontInfo(textpage, i, font_name, len(font_name), flags)
    font = font_name.value.decode("latin-1").lower()
    return any(word in font for word in ("bold", "black", "heavy")) or bool(flags.value & (1 << 18))


def pdf_paragraphs(lines: list[PdfLine], pages: int) -> list[Paragraph]:
    """Drop running headers/footers, group lines into paragraphs and re-join broken words.

    Shared by every PDF library the bench compares: a library only has to produce PdfLine records.
    """
    body = [_mark_hyphen(line) for line, running in zip(lines, _running_flags(lines, pages)) if not running]
    words, hyphenated = _vocabulary(body)
    usual_pitch = _usual_pitch(body)
    paragraphs: list[Paragraph] = []
    previous: PdfLine | None = None
    for line in body:
        new = previous is None or _starts_paragraph(previous, line, usual_pitch)
        if previous is not None and previous.hyphen_break:
            if new or _keep_hyphen(previous.text, line.text, words, hyphenated):
                _end_with_hyphen(paragraphs[-1])
        if new:
            paragraphs.append([(line.text, line.page)])
        else:
            paragraphs[-1].append((("" if previous.hyphen_break else " ") + line.text, line.page))
        previous = line
    if previous is not None and previous.hyphen_break:
        _end_with_hyphen(paragraphs[-1])
    return paragraphs


def _end_with_hyphen(paragraph: Paragraph) -> None:
    text, page = paragraph[-1]
    paragraph[-1] = (text + "-", page)


def _mark_hyphen(line: PdfLine) -> PdfLine:
    """A line ending in letter + '-' is a hyphen break too (libraries that do not flag them)."""
    if line.hyphen_break or not re.search(r"[^\W\d_]-$", line.text):
        return line
    return replace(line, text=line.text[:-1], hyphen_break=True)


def _margin_key(text: str) -> str:
    """A margin line with digits normalised and page numbers at either end removed."""
    key = re.sub(r"\d+", "#", text.lower())
    return re.sub(r"^(?:[#\W]+\s)+|(?:\s[#\W]+)+$|^[#\W]+$", "", key).strip()


def _running_flags(lines: list[PdfLine], pages: int) -> list[bool]:
    """True for lines in the top/bottom margin whose digit-normalised text recurs on many pages."""
    zone = _limit("margin_zone")

    def in_margin(line: PdfLine) -> bool:
        return line.baseline < zone * line.page_height or line.baseline > (1 - zone) * line.page_height

    pages_of: dict[str, set[int]] = defaultdict(set)
    for line in lines:
        if in_margin(line):
            pages_of[_margin_key(line.text)].add(line.page)
    needed = max(_limit("running_min_pages"), _limit("running_share") * pages)  # never met by a 1-page PDF
    return [in_margin(line) and len(pages_of[_margin_key(line.text)]) >= needed for line in lines]


def _usual_pitch(lines: list[PdfLine]) -> float:
    """Median baseline-to-baseline distance, in font sizes, between consecutive lines of one paragraph style."""
    pitches = [
        (b.baseline - a.baseline) / b.size
        for a, b in zip(lines, lines[1:])
        if a.page == b.page and b.size > 0 and abs(a.size - b.size) < 0.5 and 0 < b.baseline - a.baseline < 3 * b.size
    ]
    return statistics.median(pitches) if pitches else 1.2


_SENTENCE_END = re.compile(r"[.!?:;][’”'\")\]]*$")


def _starts_paragraph(previous: PdfLine, line: PdfLine, usual_pitch: float) -> bool:
    if _starts_bullet(line.text):
        return True
    if abs(previous.size - line.size) > _limit("size_change") or previous.bold != line.bold:
        return True
    if previous.hyphen_break:
        return False
    if previous.page != line.page:  # no gap to measure across a page break: use the punctuation
        return bool(_SENTENCE_END.search(previous.text)) and not line.text[:1].islower()
    pitch = line.baseline - previous.baseline
    if pitch <= 0:  # the text went back up: a new column or table cell
        return True
    gap = line.size > 0 and pitch / line.size > usual_pitch * _limit("paragraph_gap")
    # a sentence running on into a lowercase word continues across an odd gap (loose table rows)
    return gap and not (line.text[:1].islower() and not _SENTENCE_END.search(previous.text))


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _vocabulary(lines: list[PdfLine]) -> tuple[set[str], set[str]]:
    """Lowercase words and hyphenated pairs seen whole in the text (not the fragments of a broken word)."""
    words: set[str] = set()
    hyphenated: set[str] = set()
    broken_before = False
    for line in lines:
        tokens = _WORD.findall(line.text.lower())
        if line.hyphen_break and tokens:
            tokens = tokens[:-1]
        if broken_before and tokens:
            tokens = tokens[1:]
        for token in tokens:
            parts = token.split("-")
            words.update(parts)
            hyphenated.update(f"{a}-{b}" for a, b in zip(parts, parts[1:]))
        broken_before = line.hyphen_break
    return words, hyphenated


def _keep_hyphen(before: str, after: str, words: set[str], hyphenated: set[str]) -> bool:
    """Whether a hyphen at a line break is a real one ('post-16', 'co-produced') or a broken word."""
    head = re.search(r"[^\W\d_]+$", before)
    tail = re.match(r"[^\W\d_]+", after)
    if not head or not tail:  # a digit, a URL or punctuation on either side: the hyphen is real
        return True
    first, second = head.group().lower(), tail.group().lower()
    if f"{first}-{second}" in hyphenated:
        return True
    if first + second in words:
        return False
    rules = _rules()
    if tail.group()[0].isupper() or first in rules.hyphen_prefixes or second in rules.hyphen_suffixes:
        return True
    return first in words and second in words
