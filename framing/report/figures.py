"""Numbers and orderings shared by the HTML page, the JSON file and the terminal summary."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..attribution import FAMILIES, PROFESSIONALS, SUBJECTIVE, Attribution
from ..audit import Audit
from ..scoring import Comparison

MINUS = "−"  # typographic minus: screen readers say "minus"
ACCURACY_FILE = Path(__file__).resolve().parent.parent / "data" / "accuracy.toml"

WHAT_COUNTED = {
    "subjective framing": "framed as belief or emotion",
    "minimising quantifier": "with a minimising quantifier (‘some’ or ‘a few’)",
}


def signed_points(fraction: float) -> str:
    """0.225 -> '+22.5', -0.05 -> '−5.0' (percentage points)."""
    points = fraction * 100
    sign = "+" if points > 0.05 else (MINUS if points < -0.05 else "±")
    return f"{sign}{abs(points):.1f}"


def signed(value: float) -> str:
    return f"{'+' if value >= 0 else MINUS}{abs(value):.2f}"


def percent(fraction: float | None) -> str:
    return "–" if fraction is None else f"{fraction * 100:.0f}%"


@dataclass(frozen=True)
class Headline:
    """One comparison in words: what a reader needs to see, already formatted."""

    what: str
    enough: bool
    difference: str  # "+22.5 points" or ""
    interval: str  # "+3.1 to +40.2 points" or ""
    counts: str  # "families: 9 of 20 attributions framed as ...; professionals: 2 of 25"
    log_odds: str  # "1.23 (95% interval 0.10 to 2.36)" or ""
    verdict: str
    low: float | None  # the interval and point in percentage points, for the chart
    point: float | None
    high: float | None


def headline(c: Comparison) -> Headline:
    counted = WHAT_COUNTED.get(c.what, c.what)
    counts = (f"families: {c.families_k} of {c.families_n} attributions {counted}; "
              f"professionals: {c.professionals_k} of {c.professionals_n}")
    if not c.enough_evidence:
        return Headline(c.what, False, "", "", counts, "", c.verdict, None, None, None)
    return Headline(
        what=c.what,
        enough=True,
        difference=f"{signed_points(c.difference)} points",
        interval=f"{signed_points(c.difference_low)} to {signed_points(c.difference_high)} points",
        counts=counts,
        log_odds=f"{signed(c.log_odds_ratio)} (95% interval {signed(c.log_odds_low)} to {signed(c.log_odds_high)})",
        verdict=c.verdict,
        low=c.difference_low * 100,
        point=c.difference * 100,
        high=c.difference_high * 100,
    )


def is_flagged(att: Attribution) -> bool:
    """Belief or emotion framing of anyone; knowledge framing of professionals."""
    return att.cue in SUBJECTIVE or (att.cue == "FACTIVE" and att.source in PROFESSIONALS)


def flag_order(att: Attribution) -> tuple[int, int]:
    """Families' belief/emotion first, then other belief/emotion, then professionals' knowledge."""
    if att.cue in SUBJECTIVE:
        return (0 if att.source in FAMILIES else 1), att.cue_start
    return 2, att.cue_start


def flagged(audit: Audit) -> list[tuple[int, Attribution]]:
    """(index in audit.attributions, attribution) of every flag, in reading priority."""
    found = [(i, a) for i, a in enumerate(audit.attributions) if is_flagged(a)]
    return sorted(found, key=lambda pair: flag_order(pair[1]))


def page_of(audit: Audit, att: Attribution) -> int:
    return att.page if att.page is not None else audit.page_at(att.cue_start)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@lru_cache(maxsize=1)
def measured_accuracy() -> dict:
    """framing/data/accuracy.toml: the default pipeline's accuracy on real reports held out from development."""
    with open(ACCURACY_FILE, "rb") as f:
        return tomllib.load(f)


def accuracy_note() -> str:
    """One sentence for every audit and dashboard: how often the checker is right, and its known bias."""
    m = measured_accuracy()
    fam, prof = m["recall_families"], m["recall_professionals"]
    missed, other = ("families", "professionals") if fam < prof else ("professionals", "families")
    uneven = (f" {missed.capitalize()}' attributions were missed more often than {other}', so {missed}' figures rest"
              " on fewer of them." if fam < prof - 0.03 or prof < fam - 0.03 else "")
    return (f"On {m['data']}: attribution F1 {m['attribution_f1']:.2f}; it found {percent(fam)} of the families' "
            f"attributions and {percent(prof)} of the professionals'; per-report asymmetry within "
            f"{m['asymmetry_mae']:.2f} of careful readers' on average.{uneven} Measured {m['measured']}: "
            f"{m['command']}")
