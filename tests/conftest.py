"""Fixtures that build input files (PDF, DOCX, HTML, text) in tmp_path. The wording is written for the tests."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

REPORTS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "reports"

HEADER = "Inspection report: Northbrook Local Area Partnership 3 to 7 March 2025"

# Each page: a list of blocks; a block is ("heading" | "para" | "bullet", [lines as laid out]).
# The last paragraph of page 1 runs on to page 2 (its lines are split across the two pages).
REPORT_PAGES = [
    [
        ("heading", ["What is it like to be a child or young person with SEND in this area?"]),
        ("para", [
            "Parents and carers feel that communication from the partnership is",
            "inconsistent. Many families are worried about the wait for a neuro-",
            "developmental assessment, which can take more than two years.",
        ]),
        ("para", [
            "Leaders know that waiting times are too long. They have commissioned",
            "extra clinics for young people in post-",
            "16 provision and for those in the early years.",
        ]),
        ("para", [
            "Practitioners report that the new training on speech and language has",
            "helped them to",
        ]),
    ],
    [
        ("para", [
            "identify needs earlier. Inspectors found that the graduated approach is",
            "understood well in most schools.",
        ]),
        ("heading", ["What is the area partnership doing that is effective?"]),
        ("bullet", ["Leaders have established clear oversight of alternative provision."]),
        ("bullet", [
            "Children and young people say that they enjoy the youth forum and that",
            "it helps them to be heard by decision-makers.",
        ]),
        ("bullet", ["Health visitors identify speech delays early."]),
    ],
    [
        ("heading", ["What does the area partnership need to do better?"]),
        ("para", [
            "Some parents are anxious that annual reviews are not completed on",
            "time. The local offer is not well known among families in the north of",
            "the borough.",
        ]),
    ],
]


def build_report_pdf(path: Path) -> Path:
    """A three-page report with a running header (not on the cover page), page numbers and bullets."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font("helvetica", size=9)
                self.set_y(8)
                self.cell(0, 5, HEADER)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("helvetica", size=9)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Report(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(False)
    for page in REPORT_PAGES:
        pdf.add_page()
        pdf.set_y(30)
        for kind, lines in page:
            if kind == "heading":
                pdf.set_font("helvetica", "B", 13)
            else:
                pdf.set_font("helvetica", size=11)
            for number, line in enumerate(lines):
                if kind == "bullet":
                    pdf.set_x(15)
                    pdf.set_font("zapfdingbats", size=9)
                    pdf.cell(6, 6, "n" if number == 0 else "")  # "n" is a black square in ZapfDingbats
                    pdf.set_font("helvetica", size=11)
                    pdf.set_x(22)
                pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
            if kind != "bullet":  # list items are set tight: only the glyph separates them
                pdf.ln(5)
    pdf.output(str(path))
    return path


@pytest.fixture
def report_pdf(tmp_path: Path) -> Path:
    return build_report_pdf(tmp_path / "northbrook.pdf")


@pytest.fixture
def encrypted_pdf(report_pdf: Path) -> Path:
    import pikepdf

    target = report_pdf.with_name("locked.pdf")
    with pikepdf.open(report_pdf) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret"))
    return target


@pytest.fixture
def truncated_pdf(report_pdf: Path) -> Path:
    data = report_pdf.read_bytes()
    target = report_pdf.with_name("cut.pdf")
    target.write_bytes(data[: len(data) // 2])
    return target


@pytest.fixture
def scanned_pdf(tmp_path: Path) -> Path:
    """Two pages of drawings and only a scanner's stamp as text, like a scan without OCR."""
    from fpdf import FPDF

    pdf = FPDF()
    for number in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 170, 250, style="F")
        if number == 0:
            pdf.set_font("helvetica", size=8)
            pdf.text(100, 150, "SCAN0042")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    return path


@pytest.fixture
def part_scanned_pdf(tmp_path: Path) -> Path:
    """A report whose second page is an image only (a signed letter scanned in, say)."""
    from fpdf import FPDF

    pages = [
        "Leaders know that the partnership must improve the timeliness of plans.",
        None,
        "Parents say that the new key workers have made a difference to their family.",
    ]
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if text is None:
            pdf.rect(20, 20, 170, 250, style="F")
        else:
            pdf.set_y(60)
            pdf.multi_cell(0, 6, text)
    path = tmp_path / "part_scan.pdf"
    pdf.output(str(path))
    return path


DOCX_PARAGRAPHS = [
    "Area SEND inspection of Northbrook",
    "",
    "Parents\tfeel that they have to fight for support.",
    "Leaders know that the quality of plans varies.",
    "",
    "Practitioners say that training has improved their practice.",
]


def build_docx(path: Path, paragraphs: list[str] = DOCX_PARAGRAPHS, table: bool = True) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=2, cols=2)
        grid.cell(0, 0).text = "Local authority"
        grid.cell(0, 1).text = "Integrated care board"
        grid.cell(1, 0).text = "Northbrook Council"
        grid.cell(1, 1).text = "NHS Northbrook ICB"
    document.save(str(path))
    return path


@pytest.fixture
def report_docx(tmp_path: Path) -> Path:
    return build_docx(tmp_path / "letter.docx")


@pytest.fixture
def blank_docx(tmp_path: Path) -> Path:
    """A Word file whose only paragraphs are empty or blank."""
    return build_docx(tmp_path / "blank.docx", paragraphs=["", "  "], table=False)


@pytest.fixture
def bomb_docx(tmp_path: Path) -> Path:
    """A DOCX-like zip whose media member unpacks from a few kB to 20 MB of zeros."""
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.bin", "w") as member:
            block = bytes(1024 * 1024)
            for _ in range(20):
                member.write(block)
    return path


REPORT_HTML = """<!DOCTYPE html>
<html><head><title>Northbrook report</title>
<style>p { color: #333 }</style>
<script>var parentsFeel = "hidden script text";</script></head>
<body>
<nav><a href="/">Home</a> | <a href="/reports">Reports</a></nav>
<h1>Area SEND inspection of Northbrook</h1>
<p>Parents &amp; carers feel that they are &lsquo;not listened to&rsquo; by
   the partnership.</p>
<p>Leaders <b>know</b> that waiting lists are too long.<br>Practitioners report good joint working.</p>
<div hidden>Draft note that must not appear.</div>
<ul><li>Children enjoy the youth forum.</li><li>Some families are worried about transport.</li></ul>
<!-- a comment that must not appear -->
</body></html>
"""


@pytest.fixture
def report_html(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(REPORT_HTML, encoding="utf-8")
    return path


@pytest.fixture
def real_report() -> Path:
    path = REPORTS / "bury_2024_1.pdf"
    if not path.exists():
        pytest.skip("real reports not available (../shared/data)")
    return path
