"""framing.metadata: area, dates, type, framework and outcome read from a report's own text.

The letters below are synthetic openings written for these tests, shaped like the 2016-framework
outcome letters and revisits and the 2023-framework reports; the real reports are only read (and
only when ../shared/data is present).
"""
from __future__ import annotations

import json
import random
import string
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.metadata import ReportMetadata, extract_metadata

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO.parent / "shared" / "data" / "reports"
TRUTH = REPO / "bench" / "metadata_truth.json"

LETTER_2016_WSOA = """\
14 June 2018

Ms Alex Morgan
Director of Children’s Services
Kingsbridge Borough Council
Town Hall, Market Street
Kingsbridge KB1 4RT

Dear Ms Morgan

Joint local area SEND inspection in Kingsbridge upon Avon

Between 30 April 2018 and 4 May 2018, Ofsted and the Care Quality Commission (CQC) carried out a
joint inspection of the local area of Kingsbridge upon Avon to judge the effectiveness of the area
in implementing the disability and special educational needs reforms in the Children and Families
Act 2014.

The inspection was led by one of Her Majesty’s Inspectors (HMI), with a team that included a
children’s services inspector from the CQC.

As a result of the findings of this inspection and in line with the Children Act 2004 (Joint Area
Reviews) Regulations 2015, Her Majesty’s Chief Inspector (HMCI) has determined that a Written
Statement of Action (WSOA) is required because of significant areas of weakness in the local
area’s practice. HMCI has also decided that the local authority and the clinical commissioning
group are jointly responsible for submitting the written statement to Ofsted.

Main findings

Leaders know where the gaps in provision are, and parents feel that they are not listened to.
"""

LETTER_2016_NO_WSOA = """\
Mr Sam Patel
Director of Children's Services
Westford County Council

Dear Mr Patel

Joint local area SEND inspection in Westford

From 4 to 8 December 2017, Ofsted and the Care Quality Commission (CQC) carried out a joint
inspection of the local area of Westford to judge the effectiveness of the area in implementing
the disability and special educational needs reforms.

Main findings

Leaders have an accurate view of the area's strengths. Families say that staff are kind.

© Crown copyright 2018
"""

REVISIT_OPENING = """\
Published: 2 October 2019

Dear Mrs Okafor

Joint local area SEND revisit in Blackburn with Darwen

Between 9 and 11 September 2019, Ofsted and the Care Quality Commission (CQC) revisited the area
of Blackburn with Darwen to decide whether sufficient progress has been made in addressing each of
the areas of significant weakness set out in the inspection report letter published on 29 March 2017.

As a result of the findings of the first inspection, HMCI determined that a written statement of
action was required. {verdict} This letter sets out what inspectors found at the revisit.
"""

FULL_2023 = """\
Local area partnership report

Area SEND inspection of the Hollinsworth Local Area
Partnership

Inspection dates: 29 January 2024 to 02 February 2024 Dates of previous inspection: 12 to 16 June 2017

Inspection outcome {verdict}

A full reinspection is expected in about three years.

Information about the local area partnership

Hollinsworth Council and the integrated care board plan and commission services for children and
young people with SEND in Hollinsworth.

What is it like to be a child or young person with SEND in this area?

Parents are worried about waiting times, and leaders report that the backlog has fallen.
"""

POSITIVE = ("The local area partnership’s special educational needs and/or disabilities (SEND) arrangements "
            "typically lead to positive experiences and outcomes for children and young people with SEND.")
INCONSISTENT = ("The local area partnership's arrangements lead to inconsistent experiences and outcomes "
                "for children and young people with special educational needs and/or disabilities (SEND).")
SIGNIFICANT = ("There are widespread and/or systemic failings leading to significant concerns about the "
               "experiences and outcomes of children and young people with special educational needs "
               "and/or disabilities (SEND), which the local area partnership must address urgently.")

MONITORING = """\
Area SEND monitoring inspection of Ashcombe Local Area Partnership

Inspection dates: 3 to 5 March 2025 Date of previous inspection: 11 to 15 September 2023

{verdict}

Leaders say that the new panel meets weekly. Some parents feel that letters still arrive late.
"""


def test_2016_letter_with_written_statement_of_action() -> None:
    meta = extract_metadata(LETTER_2016_WSOA)
    assert meta.document_type == "outcome_letter_2016"
    assert meta.framework == "2016"
    assert meta.local_area == "Kingsbridge upon Avon"
    assert (meta.inspection_start, meta.inspection_end) == (date(2018, 4, 30), date(2018, 5, 4))
    assert meta.publication_date == date(2018, 6, 14)  # the letter's own date line
    assert meta.outcome == "wsoa_required"
    assert meta.outcome_text.startswith("As a result of the findings of this inspection")
    assert meta.outcome_text.endswith("weakness in the local area's practice.")
    assert "\n" not in meta.outcome_text
    assert meta.year == 2018


def test_2016_letter_without_written_statement_of_action() -> None:
    meta = extract_metadata(LETTER_2016_NO_WSOA)
    assert meta.document_type == "outcome_letter_2016"
    assert meta.local_area == "Westford"
    assert (meta.inspection_start, meta.inspection_end) == (date(2017, 12, 4), date(2017, 12, 8))
    assert meta.publication_date is None  # no date line in the heading
    assert meta.outcome == "no_wsoa"
    assert meta.outcome_text is None
    assert meta.year == 2017


def test_2016_letter_saying_no_statement_is_required_quotes_that_sentence() -> None:
    text = LETTER_2016_NO_WSOA.replace(
        "Main findings",
        "HMCI has determined that a written statement of action is not required.\n\nMain findings")
    meta = extract_metadata(text)
    assert meta.outcome == "no_wsoa"
    assert meta.outcome_text == "HMCI has determined that a written statement of action is not required."


def test_2016_letter_as_pdf_text_without_blank_lines() -> None:
    text = LETTER_2016_WSOA.replace("\n\n", "\n").replace("\n", "\r\n")
    meta = extract_metadata(text)
    assert meta.local_area == "Kingsbridge upon Avon"  # the next line, "Between ...", is not part of it
    assert meta.document_type == "outcome_letter_2016"
    assert meta.outcome == "wsoa_required"
    assert meta.outcome_text.startswith("As a result of the findings")
    assert meta.publication_date == date(2018, 6, 14)


@pytest.mark.parametrize("area", [
    "Stoke-on-Trent", "Bath and North East Somerset", "Kingston upon Thames",
    "Bournemouth, Christchurch and Poole", "Isles of Scilly", "Southend-on-Sea",
])
def test_2016_title_area_names(area: str) -> None:
    text = LETTER_2016_WSOA.replace("Kingsbridge upon Avon", area)
    assert extract_metadata(text).local_area == area


@pytest.mark.parametrize(("verdict", "outcome"), [
    ("The area has made sufficient progress in addressing all of the significant weaknesses identified "
     "at the first inspection.", "sufficient_progress"),
    ("The area has made sufficient progress in addressing the three areas of significant weakness "
     "identified at the first inspection.", "sufficient_progress"),
    ("The area has made sufficient progress in addressing 4 of the 4 significant weaknesses.", "sufficient_progress"),
    ("Inspectors have decided that the area has made sufficient progress in addressing two of the five "
     "significant weaknesses identified at the first inspection.", "insufficient_progress"),
    ("The area has made sufficient\nprogress in addressing one of the\ntwo significant weaknesses.",
     "insufficient_progress"),
    ("The area has not made sufficient progress in addressing any of the significant weaknesses.",
     "insufficient_progress"),
    ("", None),
])
def test_revisit_letter_outcomes(verdict: str, outcome: str | None) -> None:
    meta = extract_metadata(REVISIT_OPENING.format(verdict=verdict))
    assert meta.document_type == "revisit_letter"
    assert meta.framework == "2016"
    assert meta.local_area == "Blackburn with Darwen"
    assert (meta.inspection_start, meta.inspection_end) == (date(2019, 9, 9), date(2019, 9, 11))
    assert meta.publication_date == date(2019, 10, 2)  # not the earlier letter's 29 March 2017
    assert meta.outcome == outcome
    assert meta.outcome_text == (" ".join(verdict.split()) or None)


@pytest.mark.parametrize(("verdict", "outcome"), [
    (POSITIVE, "positive_experiences"),
    (INCONSISTENT, "inconsistent_experiences"),
    (SIGNIFICANT, "significant_concerns"),
    (SIGNIFICANT.replace("and/or", "and/\nor"), "significant_concerns"),
    (SIGNIFICANT.replace("widespread and/or", "widespread and"), "significant_concerns"),
    (INCONSISTENT.replace(" lead to ", "\nlead to\n"), "inconsistent_experiences"),
])
def test_2023_full_inspection_outcomes(verdict: str, outcome: str) -> None:
    meta = extract_metadata(FULL_2023.format(verdict=verdict))
    assert meta.document_type == "full_inspection_2023"
    assert meta.framework == "2023"
    assert meta.local_area == "Hollinsworth"
    assert (meta.inspection_start, meta.inspection_end) == (date(2024, 1, 29), date(2024, 2, 2))
    assert meta.publication_date is None
    assert meta.outcome == outcome
    expected = " ".join(verdict.replace("’", "'").split())
    assert meta.outcome_text == expected  # the heading "Inspection outcome" is not part of it
    assert meta.year == 2024


def test_2023_outcome_box_decides_over_later_body_wording() -> None:
    body = "\n\nLeaders know that some arrangements lead to inconsistent experiences for older pupils.\n"
    meta = extract_metadata(FULL_2023.format(verdict=POSITIVE) + body)
    assert meta.outcome == "positive_experiences"


def test_2023_full_report_promising_a_monitoring_inspection_stays_full() -> None:
    verdict = SIGNIFICANT + ("\n\nA monitoring inspection of the Hollinsworth Local Area Partnership will be "
                             "carried out within approximately 18 months.")
    meta = extract_metadata(FULL_2023.format(verdict=verdict))
    assert meta.document_type == "full_inspection_2023"
    assert meta.outcome == "significant_concerns"


def test_2023_pdf_style_text_with_carriage_returns_and_hyphen_glyph() -> None:
    text = FULL_2023.format(verdict=INCONSISTENT).replace("\n", " \r\n").replace(
        "the Hollinsworth Local Area", "Stoke-on\ufffeTrent Local Area")
    meta = extract_metadata(text)
    assert meta.local_area == "Stoke-on-Trent"
    assert meta.outcome == "inconsistent_experiences"


def test_area_name_broken_after_a_hyphen() -> None:
    text = FULL_2023.format(verdict=POSITIVE).replace("the Hollinsworth Local Area", "Stoke-on- Trent Local Area")
    assert extract_metadata(text).local_area == "Stoke-on-Trent"


@pytest.mark.parametrize(("verdict", "outcome"), [
    ("The local area partnership has made sufficient progress in addressing the areas for priority action.",
     "sufficient_progress"),
    ("The local area partnership has made sufficient progress in addressing one of the three areas for "
     "priority action.", "insufficient_progress"),
    ("The local area partnership has not made enough progress in addressing the areas for priority action.",
     "insufficient_progress"),
    ("Leaders have started to rebuild the assessment service.", None),
])
def test_monitoring_inspection_outcomes(verdict: str, outcome: str | None) -> None:
    meta = extract_metadata(MONITORING.format(verdict=verdict))
    assert meta.document_type == "monitoring_inspection"
    assert meta.framework == "2023"
    assert meta.local_area == "Ashcombe"
    assert (meta.inspection_start, meta.inspection_end) == (date(2025, 3, 3), date(2025, 3, 5))
    assert meta.outcome == outcome
    assert (meta.outcome_text is None) == (outcome is None)


@pytest.mark.parametrize(("line", "start", "end"), [
    ("Inspection dates: 8 to 12 July 2024", date(2024, 7, 8), date(2024, 7, 12)),
    ("Inspection dates: 29 January 2024 to 02 February 2024", date(2024, 1, 29), date(2024, 2, 2)),
    ("Dates of inspection: 27 to 31 March 2017", date(2017, 3, 27), date(2017, 3, 31)),
    ("Inspection dates: 28 February to 4 March 2022", date(2022, 2, 28), date(2022, 3, 4)),
    ("Inspection dates:\n23 September to\n27 September 2024", date(2024, 9, 23), date(2024, 9, 27)),
    ("Inspection dates: 30 December to 3 January 2025", date(2024, 12, 30), date(2025, 1, 3)),
    ("Inspection dates: 1st–3rd Sept 2025", date(2025, 9, 1), date(2025, 9, 3)),
    ("Inspection date: 5 June 2025", date(2025, 6, 5), date(2025, 6, 5)),
    ("Date of previous inspection: 8 to 10 July 2019", None, None),
    ("Inspection dates: 30 to 31 February 2024", None, None),
])
def test_inspection_date_formats(line: str, start: date | None, end: date | None) -> None:
    meta = extract_metadata(f"Area SEND inspection of Ashcombe Local Area Partnership\n\n{line}\n")
    assert (meta.inspection_start, meta.inspection_end) == (start, end)
    assert meta.year == (start.year if start else None)


def test_running_header_supplies_area_and_dates_when_the_title_is_missing() -> None:
    text = ("Leaders have a clear plan.\n\nInspection report: Ashcombe Local Area Partnership "
            "12 to 16 February 2024 2\n\nParents say that waiting lists are long.")
    meta = extract_metadata(text)
    assert meta.local_area == "Ashcombe"
    assert (meta.inspection_start, meta.inspection_end) == (date(2024, 2, 12), date(2024, 2, 16))
    assert meta.document_type == "unknown"
    assert meta.outcome is None


def test_year_falls_back_to_publication_then_copyright() -> None:
    assert extract_metadata("Some notes.\nPublished: 3 May 2022\n").year == 2022
    assert extract_metadata("Some notes.\n© Crown copyright 2021\n").year == 2021


def test_to_dict_is_json_ready() -> None:
    as_dict = extract_metadata(LETTER_2016_WSOA).to_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert as_dict["inspection_start"] == "2018-04-30"
    assert as_dict["publication_date"] == "2018-06-14"
    assert set(as_dict) == set(ReportMetadata.__dataclass_fields__)


def assert_unknown(meta: ReportMetadata) -> None:
    assert meta.document_type == "unknown"
    assert meta.framework is None
    assert meta.outcome is None
    assert meta.outcome_text is None


def test_empty_text_is_unknown_with_nones() -> None:
    meta = extract_metadata("")
    assert_unknown(meta)
    assert (meta.local_area, meta.inspection_start, meta.inspection_end, meta.publication_date, meta.year) == (
        None, None, None, None, None)


def test_unrelated_prose_is_unknown() -> None:
    text = ("The parish council met on Tuesday. Members agreed that the hall roof needs repair, "
            "and the treasurer reported that the accounts balance.")
    meta = extract_metadata(text)
    assert_unknown(meta)
    assert meta.local_area is None and meta.inspection_start is None


def test_random_characters_do_not_raise() -> None:
    alphabet = string.printable + "’‘–—\u00ad\ufffe\u00a0é"
    generator = random.Random(7)
    for _ in range(50):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 3000)))
        assert_unknown(extract_metadata(text))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_gives_a_record(text: str) -> None:
    meta = extract_metadata(text)
    assert meta.document_type in {"outcome_letter_2016", "revisit_letter", "full_inspection_2023",
                                  "monitoring_inspection", "unknown"}
    json.dumps(meta.to_dict())


def test_non_text_input_is_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match="report text as str, not bytes"):
        extract_metadata(b"Area SEND inspection")  # type: ignore[arg-type]


@pytest.mark.real_data
def test_real_reports_match_the_hand_read_truth() -> None:
    if not REPORTS.is_dir():
        pytest.skip("../shared/data/reports not present")
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))["reports"]
    assert len(truth) == 19
    wrong = []
    for stem, expected in truth.items():
        got = extract_metadata((REPORTS / f"{stem}.txt").read_text(encoding="utf-8")).to_dict()
        wrong += [f"{stem}.{name}: {got[name]!r} != {value!r}" for name, value in expected.items() if got[name] != value]
        assert got["outcome_text"], stem
    assert wrong == []
