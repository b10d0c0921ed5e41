"""advice.py: explanations and evidence-style rewordings, on sentences written for these tests."""
from __future__ import annotations

import pytest

from framing.advice import annotate_advice, explain, suggest
from framing.attribution import Attribution


def make(sentence: str, source: str, cue: str, cue_class: str, source_class: str = "PARENT_CARER",
         prefix: str = "Inspectors met many groups. ", negated: bool = False, hedged: bool = False) -> Attribution:
    """An attribution inside a small document: offsets are document offsets, as the pipeline gives them."""
    text = prefix + sentence
    start = len(prefix)
    source_start = text.index(source, start)
    cue_start = text.index(cue, source_start + len(source)) if cue in text[source_start + len(source):] \
        else text.index(cue, start)
    return Attribution(
        source=source_class, cue=cue_class, quantifier="NONE",
        source_start=source_start, source_end=source_start + len(source),
        cue_start=cue_start, cue_end=cue_start + len(cue),
        source_text=source, cue_text=cue,
        sentence_start=start, sentence_end=start + len(sentence), sentence=sentence,
        rule="verbal-subject", lexicon_entry="feel", lexicon_note="feel + that-clause is a belief.",
        negated=negated, hedged=hedged,
    )


REWORDINGS = [
    # verbal, present plural: the task's own example
    (("Parents feel that communication from the council is poor.", "Parents", "feel", "BELIEF"),
     ["Parents told inspectors that communication from the council is poor.",
      "Parents report that communication from the council is poor."]),
    # present singular keeps agreement
    (("A parent feels that the plan no longer describes her son.", "A parent", "feels", "BELIEF"),
     ["A parent told inspectors that the plan no longer describes her son.",
      "A parent reports that the plan no longer describes her son."]),
    # past tense
    (("Carers felt that the annual review came too late.", "Carers", "felt", "BELIEF"),
     ["Carers told inspectors that the annual review came too late.",
      "Carers reported that the annual review came too late."]),
    # quantifier kept
    (("Some parents feel that the local offer is hard to find.", "Some parents", "feel", "BELIEF"),
     ["Some parents told inspectors that the local offer is hard to find.",
      "Some parents report that the local offer is hard to find."]),
    # feel + clause without 'that'
    (("Some felt their views were not heard at the panel.", "Some", "felt", "BELIEF"),
     ["Some told inspectors that their views were not heard at the panel.",
      "Some said that their views were not heard at the panel."]),
    # copular emotion with a topic
    (("Parents are worried about the wait for speech and language therapy.", "Parents", "are worried", "EMOTION"),
     ["Parents raised the wait for speech and language therapy as a concern.",
      "Parents told inspectors that they are worried about the wait for speech and language therapy."]),
    # feel + adjective
    (("Children feel safe in their schools.", "Children", "feel", "EMOTION", "CHILD_YP"),
     ["Children told inspectors that they feel safe in their schools."]),
    # singular person: the verb agrees with 'they'
    (("The young person feels let down by the transport service.", "The young person", "feels", "EMOTION", "CHILD_YP"),
     ["The young person told inspectors that they feel let down by the transport service."]),
    # emotion verb + object, source with a post-modifier, leading bullet dropped
    (("◼ Young people with SEND value the youth club that the council runs.", "Young people", "value", "EMOTION",
      "CHILD_YP"),
     ["Young people with SEND speak positively about the youth club that the council runs.",
      "Young people with SEND told inspectors that they value the youth club that the council runs."]),
    # copula + adverb + 'positive about', organisation in the singular past
    (("The forum was often positive about the new strategy.", "The forum", "positive about", "EMOTION", "FORUM"),
     ["The forum often spoke positively about the new strategy.",
      "The forum told inspectors that it was often positive about the new strategy."]),
    # speech verb + emotion noun + that-clause
    (("Several families expressed concerns that they wait too long for plans.", "Several families",
      "expressed concerns", "EMOTION"),
     ["Several families told inspectors that they wait too long for plans.",
      "Several families reported that they wait too long for plans."]),
    # introductory phrase kept
    (("As a result, members of the forum feel valued.", "members of the forum", "feel", "EMOTION", "FORUM"),
     ["As a result, members of the forum told inspectors that they feel valued."]),
    # passive with the source in a by-phrase
    (("The short breaks service is highly valued by families.", "families", "highly valued", "EMOTION"),
     ["Families speak positively about the short breaks service."]),
]


@pytest.mark.parametrize(("args", "expected"), REWORDINGS)
def test_rewordings_keep_content_and_change_framing(args, expected):
    assert suggest(make(*args)) == expected


@pytest.mark.parametrize("args", [
    # hedged: the report does not assert the view, so it cannot be turned into evidence
    ("Parents may feel that the process is slow.", "Parents", "feel", "BELIEF"),
    # embedded in another clause
    ("This means that children can enjoy an active social life.", "children", "enjoy", "EMOTION", "CHILD_YP"),
    # nominal: no verb to reword
    ("Parental concerns about transport were shared with leaders.", "Parental", "concerns", "EMOTION"),
    # passive whose subject carries a comma
    ("Since it opened, the hub is valued by families.", "families", "valued", "EMOTION"),
])
def test_no_safe_rewording_gives_one_line_of_generic_advice(args):
    att = make(*args)
    (advice,) = suggest(att)
    assert advice.startswith("No safe automatic rewording.")
    assert "\n" not in advice
    assert att.sentence not in advice


def test_negated_belief_never_loses_its_negation():
    att = make("Parents do not feel that leaders listen to them.", "Parents", "feel", "BELIEF", negated=True)
    suggestions = suggest(att)
    assert suggestions
    assert all("not" in s for s in suggestions)
    assert "Parents told inspectors that leaders listen to them." not in suggestions


def test_offsets_that_do_not_match_the_sentence_give_generic_advice():
    att = make("Parents feel that the plan is late.", "Parents", "feel", "BELIEF")
    att.source_start += 3  # a span that no longer covers "Parents"
    att.source_end += 3
    assert suggest(att)[0].startswith("No safe automatic rewording.")


def test_professionals_knowledge_gets_the_reverse_question_with_a_rewording():
    att = make("Leaders know that there is more to do to improve plans.", "Leaders", "know", "FACTIVE", "LEADER")
    (question,) = suggest(att)
    assert question.startswith("Is this knowledge evidenced in the inspection, or a claim leaders made?")
    assert "‘Leaders told inspectors that there is more to do to improve plans.’" in question


def test_reverse_question_uses_it_for_an_organisation():
    att = make("The partnership knows its strengths and weaknesses.", "The partnership", "knows", "FACTIVE", "LEADER")
    assert "‘The partnership told inspectors that it knows its strengths and weaknesses.’" in suggest(att)[0]


def test_reverse_question_without_a_safe_rewording_offers_the_template():
    att = make("While leaders know what a good plan looks like, quality varies.", "leaders", "know", "FACTIVE",
               "LEADER")
    assert suggest(att) == ["Is this knowledge evidenced in the inspection, or a claim leaders made? "
                            "If leaders said it, consider ‘Leaders told inspectors that …’."]


@pytest.mark.parametrize("args", [
    ("Leaders report that waiting times have fallen.", "Leaders", "report", "REPORT", "LEADER"),
    ("Parents know about the local offer.", "Parents", "know", "FACTIVE", "PARENT_CARER"),
    ("Inspectors found that plans are late.", "Inspectors", "found", "FACTIVE", "INSPECTOR"),
])
def test_no_suggestion_for_statements_or_others_knowledge(args):
    assert suggest(make(*args)) == []


def test_explain_names_cue_class_rule_and_entry():
    att = make("Parents feel that communication is poor.", "Parents", "feel", "BELIEF")
    text = explain(att)
    assert text.startswith("‘feel’ presents what parents and carers said as a belief (BELIEF)")
    assert "Rule: verbal-subject; lexicon entry: feel." in text
    assert "feel + that-clause is a belief." in text


def test_explain_mentions_negation_and_the_model():
    att = make("Parents are not worried about the transport.", "Parents", "worried", "EMOTION", negated=True)
    att.decided_by, att.confidence = "framing-lr-1", 0.874
    text = explain(att)
    assert "(EMOTION)" in text and "negated" in text
    assert "framing model framing-lr-1 (confidence 0.87)" in text


def test_annotate_advice_fills_in_place():
    atts = [make("Parents feel that communication is poor.", "Parents", "feel", "BELIEF"),
            make("Leaders report that waits have fallen.", "Leaders", "report", "REPORT", "LEADER")]
    annotate_advice(atts)
    assert atts[0].explanation.startswith("‘feel’") and atts[0].suggestions[0].startswith("Parents told")
    assert atts[1].explanation.startswith("‘report’ presents what leaders said as a statement (REPORT)")
    assert atts[1].suggestions == []
