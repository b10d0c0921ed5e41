"""The ingest stage: PDF, DOCX, HTML and text into one Document; every bad input is one clear line."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from framing import ingest
from framing.ingest import NOT_ENGLISH, SCANNED, IngestError, load, load_text


def paragraph_texts(document: ingest.Document) -> list[str]:
    return [document.text[start:end] for start, end in document.paragraphs]


def error_for(path: Path | str) -> str:
    with pytest.raises(IngestError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message


# ------------------------------------------------------------------------------------------- PDF


def test_pdf_pages_map_offsets_to_the_page_they_came_from(report_pdf):
    document = load(report_pdf)
    assert document.format == "pdf" and document.pages == 3
    assert document.page_at(document.text.index("Parents and carers feel")) == 1
    assert document.page_at(document.text.index("Inspectors found that the graduated")) == 2
    assert document.page_at(document.text.index("Some parents are anxious")) == 3
    assert document.page_starts == sorted(document.page_starts) and document.page_starts[0] == 0


def test_pdf_paragraph_running_across_a_page_break_is_one_paragraph_with_both_pages(report_pdf):
    document = load(report_pdf)
    paragraph = next(p for p in paragraph_texts(document) if p.startswith("Practitioners report"))
    assert "has helped them to identify needs earlier." in paragraph
    assert document.page_at(document.text.index("helped them to")) == 1
    assert document.page_at(document.text.index("identify needs earlier")) == 2


def test_pdf_running_header_and_page_numbers_are_dropped(report_pdf):
    document = load(report_pdf)
    assert "Inspection report" not in document.text and "Northbrook" not in document.text
    assert not any(p.strip().isdigit() for p in paragraph_texts(document))


def test_pdf_line_break_hyphen_is_joined_but_real_hyphens_stay(report_pdf):
    text = load(report_pdf).text
    assert "wait for a neurodevelopmental assessment" in text
    assert "young people in post-16 provision" in text
    assert "decision-makers" in text


def test_pdf_lines_rejoin_into_paragraphs_and_headings_stand_alone(report_pdf):
    paragraphs = paragraph_texts(load(report_pdf))
    assert "What is it like to be a child or young person with SEND in this area?" in paragraphs
    assert (
        "Parents and carers feel that communication from the partnership is inconsistent. Many families are "
        "worried about the wait for a neurodevelopmental assessment, which can take more than two years."
    ) in paragraphs


def test_pdf_each_bullet_item_is_its_own_paragraph(report_pdf):
    bullets = [p for p in paragraph_texts(load(report_pdf)) if p.startswith("■")]
    assert bullets == [
        "■ Leaders have established clear oversight of alternative provision.",
        "■ Children and young people say that they enjoy the youth forum and that it helps them to be heard by "
        "decision-makers.",
        "■ Health visitors identify speech delays early.",
    ]


def test_pdf_progress_is_reported_page_by_page(report_pdf):
    calls = []
    load(report_pdf, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize(
    ("before", "after", "keep"),
    [
        ("wait for a neuro", "developmental assessment", False),
        ("young people in post", "16 provision", True),
        ("a plan that was co", "produced with families", True),
        ("a partnership", "wide strategy", True),
        ("the commis", "sioning of services", False),
        ("the Stoke-on", "Trent partnership", True),
    ],
)
def test_hyphen_heuristic(before, after, keep):
    assert ingest._keep_hyphen(before, after, words={"partnership", "strategy"}, hyphenated=set()) is keep


def test_hyphen_heuristic_prefers_the_documents_own_spelling():
    assert ingest._keep_hyphen("a dual", "track referral", {"dual", "track"}, {"dual-track"}) is True
    assert ingest._keep_hyphen("the post", "code", {"postcode"}, set()) is False


# ------------------------------------------------------------------------------------------- bad input


def test_missing_file(tmp_path):
    assert "no such file" in error_for(tmp_path / "absent.pdf")


def test_directory(tmp_path):
    assert "directory" in error_for(tmp_path)


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "report.rtf"
    path.write_text("{\\rtf1 Parents feel}")
    assert "unsupported file type '.rtf'" in error_for(path)


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.html", "empty.txt"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert error_for(path).endswith("empty file")


def test_corrupt_pdf_garbage_bytes(tmp_path):
    path = tmp_path / "garbage.pdf"
    path.write_bytes(bytes(range(256)) * 40)
    assert "not a PDF" in error_for(path)


def test_corrupt_pdf_with_a_header_but_damaged_body(tmp_path):
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    assert "damaged PDF" in error_for(path)


def test_truncated_pdf(truncated_pdf):
    assert "truncated PDF" in error_for(truncated_pdf)


def test_encrypted_pdf(encrypted_pdf):
    assert error_for(encrypted_pdf) == f"{encrypted_pdf}: encrypted PDF (needs a password)"


def test_pdf_without_text_layer(scanned_pdf):
    assert error_for(scanned_pdf) == f"{scanned_pdf}: {SCANNED}"


def test_pdf_with_some_pages_without_text_warns(part_scanned_pdf):
    document = load(part_scanned_pdf)
    assert document.warnings == ["1 of 3 pages have no text layer (scanned pages?); their text is missing"]
    assert document.page_at(document.text.index("Parents say")) == 3


def test_text_file_without_text(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("   \n\n\t\n")
    assert error_for(path).endswith("no text found")


def test_html_without_visible_text(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><script>var x = 1;</script></head><body><nav>Home</nav></body></html>")
    assert error_for(path).endswith("no text found")


def test_docx_without_text(blank_docx):
    assert error_for(blank_docx).endswith("no text found")


def test_undecodable_text_file(tmp_path):
    path = tmp_path / "binaryish.txt"
    path.write_bytes(b"Parents feel \x81\x8d\x8f\x90\x9d")  # invalid in utf-8 and undefined in cp1252
    assert "cannot decode" in error_for(path)


def test_cp1252_text_file_is_decoded(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Parents’ views are valued – mostly.".encode("cp1252"))
    assert load(path).text == "Parents’ views are valued – mostly."


def test_utf8_bom_is_removed(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffLeaders know the area well.".encode("utf-8"))
    assert load(path).text == "Leaders know the area well."


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("Parents feel that this is not a Word file.")
    assert "not a valid DOCX" in error_for(path)


def test_zip_without_word_document(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", "<office/>")
    assert "no word/document.xml" in error_for(path)


def test_docx_zip_bomb_is_refused_by_ratio(bomb_docx):
    message = error_for(bomb_docx)
    assert "compression ratio" in message and "zip bomb" in message


def test_docx_zip_bomb_is_refused_by_size(bomb_docx, monkeypatch):
    monkeypatch.setitem(ingest._rules().limits, "docx_max_unpacked_mb", 10)
    message = error_for(bomb_docx)
    assert "unpacks to 20 MB" in message and "zip bomb" in message


def test_library_failure_becomes_one_line(tmp_path):
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
        archive.writestr("word/document.xml", "<not xml")
    assert "could not read the file" in error_for(path)


# ------------------------------------------------------------------------------------------- DOCX


def test_docx_has_one_paragraph_span_per_body_paragraph(report_docx):
    document = load(report_docx)
    word = docx.Document(str(report_docx))
    assert document.format == "docx" and document.page_starts == [0]
    assert len(document.paragraphs) == len(word.paragraphs)
    for (start, end), paragraph in zip(document.paragraphs, word.paragraphs):
        assert document.text[start:end] == paragraph.text.replace("\t", " ")
    assert document.text[slice(*document.paragraphs[1])] == ""


def test_docx_table_text_follows_the_body(report_docx):
    document = load(report_docx)
    body_end = document.paragraphs[-1][1]
    tail = document.text[body_end:]
    assert "NHS Northbrook ICB" in tail and "Northbrook Council" in tail
    assert "Practitioners say" not in tail


def test_docx_merged_cells_are_read_once(tmp_path):
    document = docx.Document()
    document.add_paragraph("Local area partnership details")
    grid = document.add_table(rows=2, cols=2)
    grid.cell(0, 0).merge(grid.cell(0, 1)).text = "Responsible bodies"
    grid.cell(1, 0).text = "Northbrook Council"
    document.save(str(tmp_path / "merged.docx"))
    text = load(tmp_path / "merged.docx").text
    assert text.count("Responsible bodies") == 1 and "Northbrook Council" in text


# ------------------------------------------------------------------------------------------- HTML


def test_html_visible_text_only_with_entities_decoded(report_html):
    document = load(report_html)
    assert document.format == "html"
    assert paragraph_texts(document) == [
        "Area SEND inspection of Northbrook",
        "Parents & carers feel that they are ‘not listened to’ by the partnership.",
        "Leaders know that waiting lists are too long.",
        "Practitioners report good joint working.",
        "Children enjoy the youth forum.",
        "Some families are worried about transport.",
    ]
    for hidden in ("hidden script text", "Home", "Northbrook report", "color", "Draft note", "comment"):
        assert hidden not in document.text


# ------------------------------------------------------------------------------------------- text


def test_text_paragraphs_split_at_blank_lines_and_bullets():
    document = load_text(
        "Parents told inspectors that\nthey wait too long.\n\n"
        "Leaders know this:\n• the new panel meets weekly\n• plans are reviewed\nevery term.\n"
    )
    assert paragraph_texts(document) == [
        "Parents told inspectors that they wait too long.",
        "Leaders know this:",
        "• the new panel meets weekly",
        "• plans are reviewed every term.",
    ]
    assert document.page_starts == [0] and document.path == "<text>"


def test_text_form_feeds_are_page_breaks():
    document = load_text("Leaders know the area.\fParents feel unheard.")
    assert document.pages == 2
    assert document.page_at(document.text.index("Parents")) == 2
    assert document.page_at(document.text.index("Leaders")) == 1


def test_markdown_reads_as_text(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Findings\n\nParents feel\nunheard.\n", encoding="utf-8")
    document = load(path)
    assert document.format == "txt" and paragraph_texts(document) == ["# Findings", "Parents feel unheard."]


def test_load_text_without_text_is_an_error():
    with pytest.raises(IngestError, match="^pasted: no text found$"):
        load_text("\n \n", name="pasted")


# ------------------------------------------------------------------------------------------- language

ENGLISH = (
    "Parents and carers told inspectors that they have to fight for the support their children need. "
    "Leaders know that the quality of education, health and care plans is too variable, and they have "
    "started to improve it. Practitioners say that the training they receive helps them to identify needs "
    "earlier. However, many families are still waiting too long for assessments, and some of them do not "
    "know what help is available while they wait. The partnership has not yet made sure that the local "
    "offer is clear for all of the families who use it, and this is one of the areas for improvement."
)
FRENCH = (
    "Les parents et les aidants ont indiqué aux inspecteurs qu'ils doivent se battre pour obtenir le soutien "
    "dont leurs enfants ont besoin. Les responsables savent que la qualité des plans d'éducation, de santé "
    "et de soins est trop variable, et ils ont commencé à l'améliorer. Les praticiens disent que la formation "
    "qu'ils reçoivent les aide à repérer les besoins plus tôt. Cependant, beaucoup de familles attendent "
    "encore trop longtemps les évaluations, et certaines ne savent pas quelle aide existe pendant l'attente. "
    "Le partenariat ne s'est pas encore assuré que l'offre locale soit claire pour toutes les familles."
)


def test_non_english_text_gets_a_warning_not_an_error():
    assert load_text(FRENCH).warnings == [NOT_ENGLISH]


def test_english_text_has_no_language_warning():
    assert load_text(ENGLISH).warnings == []


def test_short_text_is_not_judged_for_language():
    assert load_text("Les parents sont inquiets.").warnings == []


def page_lines_both_ways(path: Path) -> list[tuple[list, list | None]]:
    """Per page: the lines read character by character, and read from the page text at once (None when
    the page text is not used because it does not line up with the characters)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    pages = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            count, height = textpage.count_chars(), page.get_height()
            by_char = ingest._page_lines_by_char(textpage, count, index, height)
            chars = ingest._page_chars(textpage.raw, count)
            at_once = None if chars is None else ingest._page_lines(textpage.raw, chars, index, height)
            pages.append((by_char, at_once))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return pages


def test_pdf_text_read_at_once_gives_the_same_lines_as_character_by_character(report_pdf):
    pages = page_lines_both_ways(report_pdf)
    assert all(at_once == by_char for by_char, at_once in pages)
    assert all(at_once is not None for _, at_once in pages)  # the fast path is the one taken


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_MATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf")


@pytest.mark.skipif(not (DEJAVU.exists() and DEJAVU_MATH.exists()), reason="needs the DejaVu fonts")
def test_pdf_text_with_ligatures_and_characters_beyond_the_bmp_reads_the_same(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("sans", fname=str(DEJAVU))
    pdf.add_font("math", fname=str(DEJAVU_MATH))
    pdf.add_page()
    pdf.set_font("sans", size=12)
    pdf.multi_cell(0, 6, "Parents \ufb01nd the of\ufb01ce di\ufb03cult; co-produced plans, well-\nknown to staff.")
    pdf.add_page()
    pdf.set_font("math", size=12)
    pdf.multi_cell(0, 6, "Leaders know \U0001D400\U0001D401 and x\u2013y.")
    path = tmp_path / "unicode.pdf"
    pdf.output(str(path))
    pages = page_lines_both_ways(path)
    assert pages[0][1] is not None and pages[0][1] == pages[0][0]
    assert pages[1][1] is None  # surrogate pairs: read character by character
    assert "\U0001D400\U0001D401" in load(path).text


# ------------------------------------------------------------------------------------------- real data


@pytest.mark.real_data
def test_real_report_keeps_its_pages(real_report):
    document = load(real_report)
    assert document.pages == 12
    assert document.page_at(document.text.index("adaptive cycling offer")) == 5
    assert "Inspection report:" not in document.text
    assert "neurodevelopmental" in document.text
    assert not any(p.startswith("◼") and "◼" in p[1:] for p in paragraph_texts(document))
