"""Report metadata read from the report's own text: area, dates, document type, framework, outcome.

Every pattern lives in data/metadata.toml with a note. The extractor takes the ingested text (a
str) and never raises on its content: what it cannot read is None, and the type is "unknown".
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "metadata.toml"
UNKNOWN = "unknown"
SUFFICIENT = "sufficient_progress"
INSUFFICIENT = "insufficient_progress"
SENTENCE_REACH = 600  # characters looked at either side of an outcome phrase for its sentence


@dataclass
class ReportMetadata:
    local_area: str | None  # e.g. "Barking and Dagenham" (no "Local Area Partnership" suffix)
    inspection_start: date | None  # first day of the inspection
    inspection_end: date | None
    publication_date: date | None  # only where printed in the text
    document_type: str  # outcome_letter_2016 | revisit_letter | full_inspection_2023 | monitoring_inspection | unknown
    framework: str | None  # "2016" or "2023"
    outcome: str | None
    outcome_text: str | None  # the sentence the outcome was read from
    year: int | None  # inspection year (falls back to the publication year)

    def to_dict(self) -> dict:
        """JSON-friendly: dates as ISO strings."""
        return {
            "local_area": self.local_area,
            "inspection_start": iso(self.inspection_start),
            "inspection_end": iso(self.inspection_end),
            "publication_date": iso(self.publication_date),
            "document_type": self.document_type,
            "framework": self.framework,
            "outcome": self.outcome,
            "outcome_text": self.outcome_text,
            "year": self.year,
        }


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class OutcomeRule:
    pattern: re.Pattern
    outcome: str | None  # None for a counting rule
    count: bool


@dataclass(frozen=True)
class DocumentType:
    name: str
    framework: str
    signals: tuple[re.Pattern, ...]
    default_outcome: str | None


@dataclass(frozen=True)
class Rules:
    head_chars: int
    areas: tuple[re.Pattern, ...]
    inspection_dates: tuple[re.Pattern, ...]
    publication_dates: tuple[re.Pattern, ...]
    salutation: re.Pattern
    copyright: re.Pattern
    months: dict[str, int]
    document_types: tuple[DocumentType, ...]
    outcomes: dict[str, tuple[OutcomeRule, ...]]
    numbers: dict[str, int]
    all_words: frozenset[str]
    none_words: frozenset[str]
    headings: re.Pattern
    date: re.Pattern


def area_regex(connectors: list[str], stop_words: list[str]) -> str:
    """Capitalised words joined by connectors, commas or hyphens; one line break at most between."""
    stop = "|".join(map(re.escape, stop_words))
    word = rf"(?!(?:{stop})\b)[A-Z][A-Za-z']*(?:- ?\n? ?[A-Za-z']+)*"
    gap = r"(?: ?\n ?| )"
    connector = "|".join(map(re.escape, connectors))
    joiner = rf"(?:{gap}(?:(?:{connector}){gap})?|, ?\n? ?)"
    return rf"(?P<area>(?-i:{word}(?:{joiner}{word})*))"


def date_regexes(months: dict[str, int]) -> tuple[str, str]:
    """(one date, a range) with named groups d/m/y and d1/m1/y1/d2/m2/y2."""
    month = "(?:" + "|".join(sorted(months, key=len, reverse=True)) + r")\b\.?"
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    year = r"(?:19|20)\d\d\b"
    one = rf"(?P<d>{day})\s+(?P<m>{month}),?\s+(?P<y>{year})"
    span = (
        rf"(?P<d1>{day})(?:\s+(?P<m1>{month}))?(?:,?\s+(?P<y1>{year}))?"
        rf"\s*(?:to|and|until|[-–—])\s*(?P<d2>{day})\s+(?P<m2>{month}),?\s+(?P<y2>{year})"
    )
    return one, span


def compile_pattern(source: str, placeholders: dict[str, str], flags: int = re.IGNORECASE) -> re.Pattern:
    """A data-file pattern: each literal space matches any whitespace; {NAME}s are filled in."""
    regex = source.replace(" ", r"\s+")
    for name, value in placeholders.items():
        regex = regex.replace("{" + name + "}", value)
    return re.compile(regex, flags)


@lru_cache(maxsize=1)
def load_rules(path: Path = DATA) -> Rules:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    months = data["months"]["names"]
    one_date, date_range = date_regexes(months)
    fill = {
        "AREA": area_regex(data["area"]["connectors"], data["area"]["stop_words"]),
        "DATE": one_date,
        "RANGE": date_range,
    }

    def compiled(entries: list[dict]) -> tuple[re.Pattern, ...]:
        return tuple(compile_pattern(entry["pattern"], fill) for entry in entries)

    outcomes: dict[str, list[OutcomeRule]] = {}
    for entry in data["outcome"]:
        rule = OutcomeRule(compile_pattern(entry["pattern"], fill), entry.get("outcome"), entry.get("count", False))
        for name in entry["document_types"]:
            outcomes.setdefault(name, []).append(rule)
    headings = "|".join(data["sentence"]["headings"])
    return Rules(
        head_chars=data["head_chars"],
        areas=compiled(data["area"]["pattern"]),
        inspection_dates=compiled(data["dates"]["inspection"]),
        publication_dates=compiled(data["dates"]["publication"]),
        salutation=compile_pattern(data["letter"]["salutation"], fill),
        copyright=compile_pattern(data["copyright"]["pattern"], fill),
        months=months,
        document_types=tuple(
            DocumentType(t["name"], t["framework"], compiled(t["signal"]), t.get("default_outcome"))
            for t in data["document_type"]
        ),
        outcomes={name: tuple(rules) for name, rules in outcomes.items()},
        numbers=data["counts"]["numbers"],
        all_words=frozenset(data["counts"]["all"]),
        none_words=frozenset(data["counts"]["none"]),
        headings=compile_pattern(rf"\b(?:{headings})\b", {}, flags=0),
        date=re.compile(one_date, re.IGNORECASE),
    )


_NORMALISED = (("\u2019", "'"), ("\u2018", "'"), ("\ufffe", "-"), ("\u2010", "-"), ("\u2011", "-"), ("\u00ad", ""),
               ("\r", ""))


def normalise(text: str) -> str:
    """Straight quotes, PDF hyphen glyphs as '-', no soft hyphens or CRs, single spaces."""
    for old, new in _NORMALISED:  # str.replace per character: several times faster than str.translate with a dict
        if old in text:
            text = text.replace(old, new)
    return re.sub(r"[ \t\f\v\u00a0\u2007\u202f]+", " ", text)


def clean_area(raw: str) -> str:
    area = re.sub(r"\s+", " ", raw)
    area = re.sub(r"- ", "-", area)
    return area.strip(" ,.;:")


def read_area(text: str, rules: Rules) -> str | None:
    for pattern in rules.areas:
        found = pattern.search(text)
        if found and clean_area(found.group("area")):
            return clean_area(found.group("area"))
    return None


def make_date(day: str, month: str, year: int, rules: Rules) -> date | None:
    try:
        return date(year, rules.months[month.lower().rstrip(".")], int(re.match(r"\d+", day).group()))
    except ValueError:
        return None


def dates_of(found: re.Match, rules: Rules) -> tuple[date | None, date | None]:
    """(start, end) from a match of {DATE} or {RANGE}; a range's first part borrows what it omits."""
    groups = found.groupdict()
    if groups.get("d") is not None:
        day = make_date(groups["d"], groups["m"], int(groups["y"]), rules)
        return day, day
    end_year = int(groups["y2"])
    end = make_date(groups["d2"], groups["m2"], end_year, rules)
    start = make_date(groups["d1"], groups["m1"] or groups["m2"], int(groups["y1"] or end_year), rules)
    if start and end and start > end and groups["y1"] is None:  # "28 December to 2 January 2020"
        start = make_date(groups["d1"], groups["m1"] or groups["m2"], end_year - 1, rules)
    if start is None or end is None:
        return None, None
    return start, end


def read_inspection_dates(text: str, rules: Rules) -> tuple[date | None, date | None]:
    for pattern in rules.inspection_dates:
        for found in pattern.finditer(text):
            start, end = dates_of(found, rules)
            if start:
                return start, end
    return None, None


def read_publication_date(text: str, rules: Rules) -> date | None:
    for pattern in rules.publication_dates:
        for found in pattern.finditer(text):
            day, _ = dates_of(found, rules)
            if day:
                return day
    head = text[: rules.head_chars]
    salutation = rules.salutation.search(head)
    if salutation:
        for found in rules.date.finditer(head, 0, salutation.start()):
            day, _ = dates_of(found, rules)
            if day:
                return day
    return None


def read_document_type(text: str, rules: Rules) -> DocumentType | None:
    """The type whose signal comes earliest in the head (titles lead); ties go to the type listed first."""
    head = text[: rules.head_chars]
    earliest: tuple[int, int] | None = None
    for order, document_type in enumerate(rules.document_types):
        for signal in document_type.signals:
            found = signal.search(head)
            if found and (earliest is None or (found.start(), order) < earliest):
                earliest = (found.start(), order)
    return rules.document_types[earliest[1]] if earliest else None


def count_of(word: str, rules: Rules) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return rules.numbers.get(word)


def progress_from_count(done: str, total: str | None, rules: Rules) -> str | None:
    """'two of the four' -> insufficient; 'all of the' / 'four of the four' -> sufficient."""
    if done.lower() in rules.all_words:
        return SUFFICIENT
    if done.lower() in rules.none_words:
        return INSUFFICIENT
    addressed = count_of(done, rules)
    of_total = count_of(total, rules) if total else None
    if addressed is None or of_total is None:
        return None
    return SUFFICIENT if addressed >= of_total else INSUFFICIENT


def sentence_around(text: str, start: int, end: int, rules: Rules) -> str:
    """The sentence holding text[start:end], without a heading that runs into it."""
    low = max(0, start - SENTENCE_REACH)
    before = text[low:start]
    cut = 0
    for found in re.finditer(r"[.!?](?=\s)|\n *\n", before):
        cut = found.end()
    for found in rules.headings.finditer(before, cut):
        cut = max(cut, found.end())
    after = text[end : end + SENTENCE_REACH]
    stop = re.search(r"[.!?](?=\s|$)|\n *\n", after)
    sentence = before[cut:] + text[start:end] + (after[: stop.end()] if stop else after)
    return re.sub(r"\s+", " ", sentence).strip()


def read_outcome(text: str, document_type: DocumentType, rules: Rules) -> tuple[str | None, str | None]:
    """(outcome, sentence): of all this type's rules, the match that starts first and decides."""
    matches = sorted(
        (found.start(), index, found, rule)
        for index, rule in enumerate(rules.outcomes.get(document_type.name, ()))
        for found in rule.pattern.finditer(text)
    )
    for _, _, found, rule in matches:
        outcome = progress_from_count(found.group("done"), found.group("total"), rules) if rule.count else rule.outcome
        if outcome:
            return outcome, sentence_around(text, found.start(), found.end(), rules)
    return document_type.default_outcome, None


def extract_metadata(text: str) -> ReportMetadata:
    """Everything the report's own text says about itself; None for what it does not say."""
    if not isinstance(text, str):
        raise TypeError(f"extract_metadata needs the report text as str, not {type(text).__name__}")
    rules = load_rules()
    text = normalise(text)
    start, end = read_inspection_dates(text, rules)
    published = read_publication_date(text, rules)
    document_type = read_document_type(text, rules)
    outcome, outcome_text = read_outcome(text, document_type, rules) if document_type else (None, None)
    copyright_year = rules.copyright.search(text)
    year = (
        start.year if start
        else published.year if published
        else int(copyright_year.group("year")) if copyright_year
        else None
    )
    return ReportMetadata(
        local_area=read_area(text, rules),
        inspection_start=start,
        inspection_end=end,
        publication_date=published,
        document_type=document_type.name if document_type else UNKNOWN,
        framework=document_type.framework if document_type else None,
        outcome=outcome,
        outcome_text=outcome_text,
        year=year,
    )
