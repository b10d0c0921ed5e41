"""Render the fictional sample reports in src/ to the files beside this script.

    python corpus/sample/make_samples.py        (needs fpdf2 and python-docx: pip install -e ".[test]")

Every area, person and figure in src/ is invented; the text is written for this project in the register
of area SEND inspection reports. A source's first line is its running header; then "# " starts a
heading, "- " a bullet, and a blank line ends a paragraph. Three reports become PDFs (a running header
from page 2 and a page number on every page, as published reports have), one a Word file and one a web
page, so a corpus run over this folder meets every format. The outputs are committed; rerun this after
editing a source.
"""
from __future__ import annotations

import html
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian: apt-get install fonts-dejavu-core
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
OUTPUTS = {  # source stem -> output file
    "sample_report": "sample_report.pdf",
    "holmwood_2023": "holmwood_2023.pdf",
    "ashby_vale_2025": "ashby_vale_2025.pdf",
    "eastmere_2024": "eastmere_2024.docx",
    "westcombe_2018": "westcombe_2018.html",
}
FIXED_DATE = (2025, 1, 1, 0, 0, 0)  # PDF and DOCX creation dates, so rebuilt files do not differ for nothing


@dataclass
class Block:
    kind: str  # "title", "heading", "para" or "bullet"
    text: str


@dataclass
class Source:
    header: str
    blocks: list[Block]


def read_source(path: Path) -> Source:
    header, *body = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(Block("para", " ".join(paragraph)))
            paragraph.clear()

    for line in body:
        line = line.strip()
        if not line:
            end_paragraph()
        elif line.startswith("# "):
            end_paragraph()
            blocks.append(Block("heading" if blocks else "title", line[2:]))
        elif line.startswith("- "):
            end_paragraph()
            blocks.append(Block("bullet", line[2:]))
        else:
            paragraph.append(line)
    end_paragraph()
    return Source(header, blocks)


def write_pdf(source: Source, target: Path) -> None:
    from datetime import datetime, timezone

    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font("DejaVu", size=9)
                self.set_y(10)
                self.cell(0, 5, source.header)
            self.set_y(self.t_margin)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("DejaVu", size=9)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Report(format="A4")
    pdf.set_creation_date(datetime(*FIXED_DATE, tzinfo=timezone.utc))
    for style, name in FONTS.items():
        pdf.add_font("DejaVu", style, str(FONT_DIR / name))
    pdf.set_margins(22, 24, 22)
    pdf.set_auto_page_break(True, margin=24)
    pdf.add_page()
    for block in source.blocks:
        if block.kind == "title":
            pdf.set_font("DejaVu", "B", 18)
            pdf.multi_cell(0, 9, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(6)
        elif block.kind == "heading":
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 13)
            pdf.multi_cell(0, 7, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif block.kind == "bullet":
            pdf.set_font("DejaVu", size=11.5)
            pdf.set_x(26)
            pdf.cell(6, 6.5, "•")
            pdf.multi_cell(0, 6.5, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)
        else:
            pdf.set_font("DejaVu", size=11.5)
            pdf.multi_cell(0, 6.5, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
    pdf.output(str(target))


def write_docx(source: Source, target: Path) -> None:
    from datetime import datetime

    import docx

    document = docx.Document()
    document.core_properties.created = datetime(*FIXED_DATE)
    document.core_properties.modified = datetime(*FIXED_DATE)
    document.sections[0].header.paragraphs[0].text = source.header
    for block in source.blocks:
        if block.kind == "title":
            document.add_heading(block.text, level=1)
        elif block.kind == "heading":
            document.add_heading(block.text, level=2)
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        else:
            document.add_paragraph(block.text)
    document.save(str(target))


def write_html(source: Source, target: Path) -> None:
    body, in_list = [], False
    for block in source.blocks:
        if block.kind != "bullet" and in_list:
            body.append("</ul>")
            in_list = False
        text = html.escape(block.text)
        if block.kind == "title":
            body.append(f"<h1>{text}</h1>")
        elif block.kind == "heading":
            body.append(f"<h2>{text}</h2>")
        elif block.kind == "bullet":
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{text}</li>")
        else:
            body.append(f"<p>{text}</p>")
    if in_list:
        body.append("</ul>")
    page = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            f"<title>{html.escape(source.header)}</title>", "</head>", "<body>",
            f"<header><p>{html.escape(source.header)}</p></header>", "<main>", *body, "</main>", "</body>", "</html>"]
    target.write_text("\n".join(page) + "\n", encoding="utf-8")


WRITERS = {".pdf": write_pdf, ".docx": write_docx, ".html": write_html}


def main() -> int:
    missing = [name for name in FONTS.values() if not (FONT_DIR / name).is_file()]
    if missing:
        print(f"make_samples: font {FONT_DIR / missing[0]} not found (apt-get install fonts-dejavu-core)",
              file=sys.stderr)
        return 2
    for stem, output in OUTPUTS.items():
        target = HERE / output
        WRITERS[target.suffix](read_source(SOURCES / f"{stem}.txt"), target)
        print(f"{SOURCES.name}/{stem}.txt -> {target.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
