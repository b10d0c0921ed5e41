"""The asymmetry score: intervals against published values, counts, the not-enough-evidence rule."""
from __future__ import annotations

import math

import pytest

from framing.attribution import Attribution
from framing.scoring import MIN_PER_VOICE, compare, log_odds_ratio, newcombe_difference, score, wilson


def test_wilson_matches_newcombe_1998_table():
    # Newcombe (1998), Statistics in Medicine 17:857, Table I: 81/263 -> 0.2553 to 0.3662
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_newcombe_difference_matches_published_example():
    # Newcombe (1998) Table II example (56/70 vs 48/80): method 10 gives 0.0524 to 0.3339
    d, low, high = newcombe_difference(56, 70, 48, 80)
    assert round(d, 2) == 0.2
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_log_odds_ratio_with_haldane_correction():
    lor, low, high = log_odds_ratio(5, 10, 2, 10)
    assert lor == pytest.approx(math.log((5.5 * 8.5) / (5.5 * 2.5)))
    assert low < lor < high


def _att(source: str, cue: str, quantifier: str = "NONE") -> Attribution:
    return Attribution(source=source, cue=cue, quantifier=quantifier, source_start=0, source_end=1, cue_start=2,
                       cue_end=3, source_text="x", cue_text="y", sentence_start=0, sentence_end=4, sentence="x y.",
                       rule="verbal-subject", lexicon_entry="say")


def test_score_counts_and_asymmetry():
    atts = ([_att("PARENT_CARER", "EMOTION")] * 3 + [_att("CHILD_YP", "REPORT", "SOME")]
            + [_att("LEADER", "FACTIVE")] * 3 + [_att("PRACTITIONER", "BELIEF")] + [_att("INSPECTOR", "FACTIVE")])
    s = score(atts)
    assert s.n_attributions == 9
    assert s.table["PARENT_CARER"]["EMOTION"] == 3 and s.table["INSPECTOR"]["FACTIVE"] == 1
    a = s.asymmetry
    assert (a.families_k, a.families_n, a.professionals_k, a.professionals_n) == (3, 4, 1, 4)
    assert a.difference == pytest.approx(0.5) and a.difference_low < 0.5 < a.difference_high
    assert s.minimising.families_k == 1 and s.minimising.professionals_k == 0


def test_not_enough_evidence_below_three_per_voice():
    atts = [_att("PARENT_CARER", "EMOTION")] * 5 + [_att("LEADER", "FACTIVE")] * (MIN_PER_VOICE - 1)
    s = score(atts)
    assert not s.asymmetry.enough_evidence and s.asymmetry.difference is None
    assert s.asymmetry.verdict.startswith("not enough evidence")
    assert score([]).asymmetry.families_rate is None


def test_verdicts():
    assert compare("subjective framing", 9, 10, 1, 10).verdict == "families' voices get more subjective framing"
    assert compare("subjective framing", 1, 10, 9, 10).verdict == "professionals' voices get more subjective framing"
    assert compare("subjective framing", 2, 4, 2, 4).verdict == "no clear difference"
