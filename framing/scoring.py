"""Framing asymmetry between families' and professionals' voices, with intervals.

subjective rate of a voice = (BELIEF + EMOTION) / all attributions of that voice;
asymmetry = families' rate - professionals' rate (ANNOTATION.md). The difference's 95% interval is
Newcombe's hybrid score interval (built from the two Wilson intervals); the log-odds ratio uses the
Haldane-Anscombe +0.5 correction with a Woolf (normal) interval. Below MIN_PER_VOICE attributions in
either voice the comparison is "not enough evidence".
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Iterable

from .attribution import CUES, FAMILIES, MINIMISING, PROFESSIONALS, SOURCES, SUBJECTIVE, Attribution

Z95 = 1.959963984540054
MIN_PER_VOICE = 3


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for k successes out of n (0..1); (0, 1) when n == 0."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_difference(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """p1 - p2 with Newcombe's hybrid score 95% interval (method 10)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, max(-1.0, low), min(1.0, high)


def log_odds_ratio(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """log((k1/(n1-k1)) / (k2/(n2-k2))) with +0.5 in every cell and its Woolf interval."""
    a, b, c, d = k1 + 0.5, n1 - k1 + 0.5, k2 + 0.5, n2 - k2 + 0.5
    lor = math.log((a * d) / (b * c))
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return lor, lor - z * se, lor + z * se


@dataclass
class Comparison:
    """One rate compared between the two voices: families minus professionals."""

    what: str  # "subjective framing" or "minimising quantifier"
    families_k: int
    families_n: int
    professionals_k: int
    professionals_n: int
    enough_evidence: bool
    families_rate: float | None = None
    professionals_rate: float | None = None
    difference: float | None = None
    difference_low: float | None = None
    difference_high: float | None = None
    log_odds_ratio: float | None = None
    log_odds_low: float | None = None
    log_odds_high: float | None = None

    @property
    def verdict(self) -> str:
        if not self.enough_evidence:
            return f"not enough evidence (fewer than {MIN_PER_VOICE} attributions for a voice)"
        if self.difference_low > 0:
            return f"families' voices get more {self.what}"
        if self.difference_high < 0:
            return f"professionals' voices get more {self.what}"
        return "no clear difference"


def compare(what: str, families_k: int, families_n: int, prof_k: int, prof_n: int) -> Comparison:
    c = Comparison(what, families_k, families_n, prof_k, prof_n,
                   enough_evidence=families_n >= MIN_PER_VOICE and prof_n >= MIN_PER_VOICE)
    if families_n:
        c.families_rate = families_k / families_n
    if prof_n:
        c.professionals_rate = prof_k / prof_n
    if c.enough_evidence:
        c.difference, c.difference_low, c.difference_high = newcombe_difference(families_k, families_n, prof_k, prof_n)
        c.log_odds_ratio, c.log_odds_low, c.log_odds_high = log_odds_ratio(families_k, families_n, prof_k, prof_n)
    return c


@dataclass
class Score:
    """Everything the audit reports about one document's (or a pooled corpus's) attributions."""

    n_attributions: int
    table: dict[str, dict[str, int]]  # source class -> framing class -> count
    asymmetry: Comparison  # subjective (BELIEF + EMOTION) rate, families minus professionals
    minimising: Comparison  # FEW/SOME quantifier rate, families minus professionals

    def to_dict(self) -> dict:
        d = asdict(self)
        d["asymmetry"]["verdict"] = self.asymmetry.verdict
        d["minimising"]["verdict"] = self.minimising.verdict
        return d


def score(attributions: Iterable[Attribution]) -> Score:
    atts = list(attributions)
    table = {s: {c: 0 for c in CUES} for s in SOURCES}
    for a in atts:
        table[a.source][a.cue] += 1
    voices = Counter()
    for a in atts:
        for name, group in (("families", FAMILIES), ("professionals", PROFESSIONALS)):
            if a.source in group:
                voices[name, "n"] += 1
                voices[name, "subjective"] += a.cue in SUBJECTIVE
                voices[name, "minimised"] += a.quantifier in MINIMISING
    fam_n, prof_n = voices["families", "n"], voices["professionals", "n"]
    return Score(
        n_attributions=len(atts),
        table=table,
        asymmetry=compare("subjective framing", voices["families", "subjective"], fam_n,
                          voices["professionals", "subjective"], prof_n),
        minimising=compare("minimising quantifier", voices["families", "minimised"], fam_n,
                           voices["professionals", "minimised"], prof_n),
    )
