"""Find attributions in a parsed document: cues, their sources, and their classes.

Plain Python over spaCy tokens (the spaCy components in framing.pipeline only call this).
The steps, per sentence:
  1. cue candidates: tokens whose lemma is in the cue lexicon (verbs, adjectives, nouns, phrases);
  2. the complement each cue governs (clause, adjective, object, topic...) decides its class, or
     that it is no attribution ("felt the impact", "find creative ways");
  3. decided cases that make it no attribution: an aim (inside help/ensure/enable..., a purpose clause);
  4. the source: the subject, the by-agent of a passive, the holder of a noun, a relative pronoun's
     antecedent, a pronoun's referent; coordinated sources give one attribution per class;
  5. the source class and quantifier from the source lexicon.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Iterable, Iterator

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.parts_of_speech import NOUN, PROPN
from spacy.tokens import Doc, Span, Token

from .attribution import Attribution
from .lexicon import CueEntry, Lexicon, grammar_words

# The grammar word lists live in framing/data/grammar.toml, each with a note and a reason.
WORDS = grammar_words()
AIM_GOVERNORS = WORDS["aim-governors"]
AIM_INFINITIVE_GOVERNORS = WORDS["aim-infinitive-governors"]
AIM_AFTER_MAKE = WORDS["aim-after-make"]
VOLITION_VERBS = WORDS["volition-verbs"]
VOLITION_AUX = WORDS["volition-auxiliaries"]
RAISING = WORDS["raising-verbs"]
COPULAS = WORDS["copulas"]
CAUSATIVES = WORDS["causatives"]
QUESTION_WORDS = WORDS["question-words"]
HEDGE_AUX = WORDS["hedge-auxiliaries"]
HEDGE_VERBS = WORDS["hedge-verbs"]
RELATIVE = WORDS["relative-pronouns"]
PLURAL_PRONOUNS = WORDS["plural-pronouns"]
SINGULAR_PRONOUNS = WORDS["singular-pronouns"]
INSPECTOR_PRONOUNS = WORDS["inspector-pronouns"]
QUANTIFIER_PRONOUNS = WORDS["quantifier-pronouns"]
PART_HEADS = WORDS["part-heads"]
GROUP_HEADS = WORDS["group-heads"]
CO_SOURCE_PREPS = WORDS["co-source-prepositions"]
CO_SOURCE_WITH = WORDS["co-source-with"]
HOLDER_MODIFIERS = WORDS["holder-modifiers"]
ADDRESSEES = WORDS["addressees"]
TOPIC_PREPS = WORDS["topic-prepositions"]
NOT_CONTENT_PREPS = WORDS["not-content-prepositions"]
NOUN_TOPIC_PREPS = WORDS["noun-topic-prepositions"]
REPORTING_PREDICATES = WORDS["reporting-predicates"]
EMOTION_NOUNS = WORDS["emotion-objects"]
EMOTION_CARRIERS = WORDS["emotion-object-carriers"]
SINGULAR_DETERMINERS = WORDS["singular-determiners"]
MISREAD_PREPOSITIONS = WORDS["verbs-read-as-prepositions"]
LIKENESS_VERBS = WORDS["likeness-verbs"]
LIKENESS_MARKERS = WORDS["likeness-markers"]
ORGANISATIONS = frozenset({"FORUM", "LEADER", "INSPECTOR", "OTHER", "PRACTITIONER"})  # what "it" may refer to
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


@dataclass
class SourceGroup:
    """The tokens standing for one source class in one source phrase."""

    cls: str
    start: int  # character offsets in the doc
    end: int
    quantifier: str
    entry: str  # source lexicon entry id (or "pronoun:<word>")


# ------------------------------------------------------------------ complements


def misparsed_auxiliary(cue: Token) -> bool:
    """'Parents feel ignored', 'they felt included': the parse takes the cue verb for an auxiliary of the
    participle or adjective after it, which is really its complement (and holds its subject)."""
    return cue.dep_ in ("aux", "auxpass") and cue.head.i > cue.i and (cue.head.tag_ == "VBN" or cue.head.pos_ == "ADJ")


def misparsed_causative(t: Token) -> bool:
    """'This reassures parents': the parse takes the verb for a plural noun modifying its object, which the
    singular 'this' or 'that' before both rules out."""
    before = t.doc[t.i - 1] if t.i > 0 else None
    if t.tag_ != "NNS" or before is None or before.lower_ not in SINGULAR_DETERMINERS:
        return False
    if t.dep_ in ("compound", "amod") and t.head.i == t.i + 1:  # "This reassures parents": the object is its head
        return before.head in (t, t.head)
    return before.head == t and any(c.dep_ == "dobj" for c in t.children)  # "This upsets many carers, who..."


def misparsed_preposition(t: Token) -> Token | None:
    """'Young people like the youth club.', 'Pupils in the base like their key adults.': a sentence with no
    verb but this word, which the parse takes for a preposition on the subject (or on a noun in its
    prepositional phrases). A full sentence needs a verb, so the word is it: returns the subject, the
    sentence's root noun. Not a heading (no full stop); not 'Services like speech therapy are stretched',
    which has its verb."""
    if t.dep_ != "prep" or t.lower_ not in MISREAD_PREPOSITIONS:
        return None
    root = t.head
    while root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.head.i < root.i:
        root = root.head.head
    if root.dep_ != "ROOT" or root.pos_ not in ("NOUN", "PROPN") or t.i < root.i:
        return None
    sent = t.sent
    last = next((w for w in reversed(sent) if not w.is_space), None)
    inside = {w.i for w in t.subtree}
    verbless = not any(w.pos_ in ("VERB", "AUX") for w in sent if w.i not in inside)
    return root if verbless and last is not None and last.text in (".", "!") else None


def free_adjunct(verb: Token) -> bool:
    """'Parents wait months, feeling that nobody listens': an -ing participle after a comma that adds to the
    clause before it, whose subject it shares (a free adjunct, not the verb's complement)."""
    return (verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp") and verb.i > verb.head.i
            and verb.doc[verb.i - 1].lower_ == "," and not any(c.dep_ in ("mark", "prep") for c in verb.children))


def _likeness(cue: Token) -> str | None:
    """'feel like they are not listened to' (clause), 'feel like outsiders', 'feels like a battle' (a predicate,
    read as an adjective), after a likeness verb; None otherwise."""
    if cue.lemma_.lower() not in LIKENESS_VERBS and cue.lower_ not in LIKENESS_VERBS:
        return None
    doc = cue.doc
    for n in (1, 2):  # the marker right after the verb: "like", "as if"
        words = doc[cue.i + 1:cue.i + 1 + n]
        if len(words) < n or " ".join(w.lower_ for w in words) not in LIKENESS_MARKERS:
            continue
        marker = words[-1]
        if marker.dep_ == "mark" and marker.head.head == cue:
            return "clause"
        if marker.dep_ == "prep" and marker.head == cue and any(c.dep_ == "pobj" for c in marker.children):
            return "adjective"
    return None


def complement_type(cue: Token) -> str:
    """What a verb cue governs: clause, object_adjective, adjective, object, topic or bare."""
    if misparsed_auxiliary(cue):
        return "adjective"
    likeness = _likeness(cue)
    if likeness:
        return likeness
    kids = list(cue.children)
    deps = {k.dep_ for k in kids}
    objects = _objects(cue)
    for k in kids:
        if free_adjunct(k):
            continue  # "describe being at breaking point, feeling ...": the participle after the comma is not the content
        if k.dep_ == "xcomp" and any(c.lower_ in QUESTION_WORDS and c.i < k.i for c in k.children):
            return "clause"  # "not knowing where to turn": a question infinitive
        if k.dep_ == "xcomp" and k.tag_ == "VBG" and k.i == cue.i + 1:
            return "clause"  # "describe being at breaking point", "report having to wait": a gerund clause
        if k.dep_ == "acl" and k.i == cue.i + 1 and cue.tag_ == "VBG" and (k.pos_ == "ADJ" or k.tag_ == "VBN"):
            return "adjective"  # "feeling isolated", parsed as a participle modifying the cue
        if k.dep_ in ("ccomp", "xcomp", "oprd", "acomp"):
            finite = any(c.dep_ in ("aux", "auxpass", "mark") and c.lower_ != "to" for c in k.children)
            subject = any(c.dep_ in SUBJECT_DEPS for c in k.children)
            if finite or (k.pos_ in ("VERB", "AUX") and k.tag_ != "VBN" and (subject or k.dep_ != "xcomp")):
                return "clause"
            if k.dep_ == "ccomp" and subject and k.pos_ in ("VERB", "AUX"):
                return "clause"  # "felt their voices were not heard"
            if k.dep_ in ("ccomp", "oprd", "xcomp") and any(c.dep_ in SUBJECT_DEPS | {"dobj"} for c in k.children):
                return "object_adjective"  # "find the paperwork burdensome" (parsed as a small clause)
            if objects and k.pos_ in ("ADJ", "ADV", "VERB"):
                return "object_adjective"
            if k.pos_ in ("ADJ", "VERB", "ADV", "NOUN") or k.tag_ == "VBN":
                return "adjective"
    if "parataxis" in deps or cue.dep_ == "parataxis":
        return "clause"
    if objects:
        obj = objects[0]
        if obj.pos_ == "ADJ":
            return "object_adjective"  # "find the new portal confusing" parsed with the adjective as object
        if any(c.dep_ in ("oprd", "amod", "acomp", "ccomp", "xcomp") and c.pos_ == "ADJ" and c.i > obj.i
               for c in obj.children):
            return "object_adjective"
        return "object"
    if any(k.dep_ == "attr" for k in kids):
        return "adjective"  # "feel part of the community"
    if any(k.dep_ == "prep" and k.lower_ in TOPIC_PREPS - NOT_CONTENT_PREPS and any(c.dep_ in ("pobj", "pcomp") for c in k.children)
           for k in kids):
        return "topic"
    if any(k.dep_ == "prt" for k in kids) and any(k.dep_ == "prep" for k in kids):
        return "topic"
    return "bare"


def _objects(verb: Token) -> list[Token]:
    """Noun objects of a verb, or of the verb it is coordinated with ('identified or addressed the weaknesses')."""
    objs = [k for k in verb.children if k.dep_ in ("dobj", "dative") and k.lower_ not in ADDRESSEES]
    if not objs and verb.dep_ == "prep" and misparsed_preposition(verb) is not None:  # "Pupils like their teachers."
        objs = [k for k in verb.children if k.dep_ in ("pobj", "pcomp")]
    if not objs:
        for conj in verb.children:
            if conj.dep_ == "conj" and conj.pos_ == "VERB" and conj.i > verb.i:
                objs = [k for k in conj.children if k.dep_ == "dobj"]
                break
    return objs


def _first_object(cue: Token) -> Token | None:
    objs = _objects(cue)
    if objs:
        return objs[0]
    for k in cue.children:  # "speak highly of X", "feed back about X"
        if k.dep_ == "prep":
            for c in k.children:
                if c.dep_ == "pobj":
                    return c
    return None


def _object_lemmas(obj: Token) -> set[str]:
    """The object's lemma and those of its conjuncts and of-phrase ('areas of concern')."""
    lemmas = {obj.lemma_.lower()} | {c.lemma_.lower() for c in obj.conjuncts}
    for prep in obj.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            lemmas |= {c.lemma_.lower() for c in prep.children if c.dep_ == "pobj"}
    return lemmas


# ------------------------------------------------------------------ exclusions


def _governor_chain(t: Token, limit: int = 4) -> Iterator[tuple[Token, str]]:
    """(governor, dependency of the child below it) up the tree through clausal links."""
    child = t
    for _ in range(limit):
        if child.dep_ not in ("xcomp", "ccomp", "csubj", "advcl", "conj", "acomp", "oprd", "pcomp", "acl", "relcl") or child.head == child:
            return
        yield child.head, child.dep_
        if child.dep_ in ("relcl", "acl"):
            return
        child = child.head


def states_an_aim(cue: Token) -> bool:
    """Decided case: a knowing/feeling verb inside help/ensure/enable..., or in a purpose clause."""
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children)
    marks = {c.lower_ for c in cue.children if c.dep_ == "mark"}
    if marks & {"so", "order"} or (infinitive and cue.dep_ == "advcl"):
        return True
    if any(c.lower_ == "order" for c in cue.children if c.dep_ in ("mark", "prep")):
        return True
    below = cue
    for gov, dep in _governor_chain(cue):
        lemma = gov.lemma_.lower()
        if lemma in AIM_GOVERNORS:
            return True
        if lemma in AIM_INFINITIVE_GOVERNORS and (any(c.dep_ == "aux" and c.lower_ == "to" for c in below.children)
                                                  or not any(c.dep_ in SUBJECT_DEPS for c in below.children)):
            return True  # "want to know", "want children to be happy"; not a finite clause misattached to "plan"
        if lemma in AIM_AFTER_MAKE and gov.head.lemma_.lower() == "make":
            return True  # "make sure that pupils feel safe" is "ensure"
        below = gov
        if dep == "conj":
            continue
        if lemma in RAISING or lemma in CAUSATIVES or lemma in COPULAS:
            continue
        break
    if infinitive and cue.dep_ in ("xcomp", "acl", "relcl", "advcl", "pcomp"):
        gov = cue.head
        return gov.lemma_.lower() not in RAISING and gov.lemma_.lower() not in CAUSATIVES
    return False


# ------------------------------------------------------------------ sources


def _subjects(verb: Token) -> list[Token]:
    subs = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if subs:
        return subs
    for c in verb.children:  # "many parents spoken to during the inspection were not aware": a reduced relative
        if c.dep_ == "csubj" and c.tag_ in ("VBN", "VBG"):   # parsed as a clausal subject
            subs = [g for g in c.children if g.dep_ == "nsubj" and g.pos_ in ("NOUN", "PROPN")]
            if subs:
                return subs
    if free_adjunct(verb) or verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.i < verb.head.i and not any(
            c.dep_ in ("mark", "prep") for c in verb.children):
        # a participle clause shares the main clause's subject, before it ("Recognising that..., parents
        # have...") or after it ("Parents wait months, feeling that...")
        return [c for c in verb.head.children if c.dep_ == "nsubj"]
    if verb.dep_ == "conj" and verb.head != verb:
        shared = _subjects(verb.head)
        ancestor = verb.head
        for _ in range(3):  # coordinated predicates share the clause's subject, even when misattached
            if shared or ancestor.head == ancestor:
                break
            ancestor = ancestor.head
            shared = [c for c in ancestor.children if c.dep_ == "nsubj"]
        return shared
    if verb.dep_ in ("xcomp", "acomp", "oprd", "advcl") and verb.head.lemma_.lower() in RAISING | COPULAS:
        if verb.dep_ != "advcl" or any(c.lower_ == "to" for c in verb.children):
            return _subjects(verb.head)
    return []


def co_sources(subject: Token) -> list[Token]:
    """Sources coordinated by a preposition next to a subject: 'Young people, alongside the forum, told...',
    'Parents, together with the forum, feel...' (the parse hangs the phrase on the noun or on the verb)."""
    verb = subject.head
    scope = list(subject.children)
    if subject.dep_ in SUBJECT_DEPS and subject.i < verb.i:  # the parse may hang it on the verb or a comma
        scope += [t for t in subject.doc[subject.i + 1:verb.i] if subject.i <= t.head.i <= verb.i and t.head != subject]
    found = []
    for prep in scope:
        if prep.dep_ != "prep":
            continue
        if prep.lower_ == "with" and not any(c.lower_ in CO_SOURCE_WITH for c in prep.children):
            continue
        if prep.lower_ in CO_SOURCE_WITH:  # "along with" parsed as along > with
            prep = next((c for c in prep.children if c.dep_ == "prep" and c.lower_ == "with"), prep)
        elif prep.lower_ not in CO_SOURCE_PREPS | {"with"}:
            continue
        found += [p for p in prep.children if p.dep_ == "pobj"]
    return found


def _passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    if verb.tag_ != "VBN":
        return False
    if verb.dep_ == "conj" and verb.head != verb and _passive(verb.head):
        return True  # "updated by the area and shared with..."
    return bool(_agents(verb))  # "well used and appreciated by parents"


def _own_agents(verb: Token) -> list[Token]:
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            return [p for p in c.children if p.dep_ == "pobj"]
    return []


def _agents(verb: Token) -> list[Token]:
    """The by-phrase of a passive, or of the passive it is coordinated with."""
    found = _own_agents(verb)
    if not found and verb.dep_ == "conj" and verb.head.tag_ == "VBN":
        found = _own_agents(verb.head)
    if not found:  # "are valued and listened to by leaders"
        found = next((a for c in verb.children if c.dep_ == "conj" and c.tag_ == "VBN" for a in _own_agents(c)), None)
        found = [found] if found is not None else []
    return found


def _prep_objects(t: Token, preps: Iterable[str]) -> list[Token]:
    preps = set(preps)
    return [p for c in t.children if c.dep_ in ("prep", "agent") and c.lower_ in preps
            for p in c.children if p.dep_ == "pobj"]


def cue_holders(cue: Token, entry: CueEntry) -> tuple[list[Token], str]:
    """The tokens heading the source of a cue, and the linking rule that found them."""
    if entry.source_prep:
        return _prep_objects(cue, [entry.source_prep]), f"{entry.source_prep}-phrase"
    if entry.kind == "noun":
        return noun_holders(cue), "noun-holder"
    if entry.kind == "adjective":
        return adjective_holders(cue)
    if entry.source_is_object and not _passive(cue):
        return _objects(cue) or ([cue.head] if misparsed_causative(cue) else []), "causative-object"
    if _passive(cue):
        agents = _agents(cue)
        if agents:
            return agents, "passive-agent"
        return [], "passive-no-agent"
    verbless_subject = misparsed_preposition(cue) if cue.dep_ == "prep" else None
    subs = _subjects(cue) or (_subjects(cue.head) if misparsed_auxiliary(cue) else []) or (
        [verbless_subject] if verbless_subject is not None else [])
    if subs:
        return subs + co_sources(subs[0]), "relative-clause" if subs[0].lower_ in RELATIVE else "verbal-subject"
    if cue.head.lemma_.lower() in CAUSATIVES and (cue.dep_ in ("xcomp", "ccomp", "oprd")
                                                   or cue.dep_ == "advcl" and cue.tag_ == "VBG"):
        return _caused(cue.head), "causative-object"
    if cue.dep_ == "acl" and cue.tag_ == "VBG":  # "young people speaking to GPs about..."
        return [cue.head], "participle-subject"
    before = _noun_before_participle(cue)  # "led to parents and carers feeling that...", "leaves families feeling"
    if before is not None:
        return [before], "participle-subject"
    return [], "no-subject"


def _caused(verb: Token) -> list[Token]:
    """Who a causative verb leaves or makes feel or know something: its object ('leaves families feeling
    isolated'), the subject of its passive ('families are left feeling isolated'), or the noun a reduced
    passive describes ('parents being left not knowing how to help')."""
    for dep in ("dobj", "nsubjpass"):
        found = [c for c in verb.children if c.dep_ == dep]
        if found:
            return found
    return [verb.head] if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON") else []


def _noun_before_participle(verb: Token) -> Token | None:
    """The noun phrase right before an -ing participle with no subject of its own ('families feeling')."""
    if verb.tag_ != "VBG" or verb.i == 0:
        return None
    before = verb.doc[verb.i - 1]
    while before.dep_ == "conj" and before.head.i < before.i:
        before = before.head
    if before.pos_ in ("NOUN", "PROPN") and before.dep_ in ("pobj", "dobj", "nsubj"):
        return before
    return None


def adjective_holders(adj: Token) -> tuple[list[Token], str]:
    head = adj.head
    if adj.dep_ == "acl" and head.dep_ == "dobj" and head.head.lemma_.lower() == "keep":
        return [head], "kept-informed"  # "keep schools informed"
    if adj.dep_ in ("acomp", "oprd", "xcomp", "attr", "ccomp") and head != adj:
        if head.lemma_.lower() in CAUSATIVES and not _passive(head):  # "keep schools informed", "leaves parents anxious"
            objs = [c for c in head.children if c.dep_ == "dobj"] or [c for c in adj.children if c.dep_ in SUBJECT_DEPS]
            return objs, "causative-object"
        if head.lemma_.lower() not in COPULAS | CAUSATIVES:
            return [], "no-copula"  # "make sure that": not a state of the subject
        if _passive(head):
            return [c for c in head.children if c.dep_ == "nsubjpass"] or _subjects(head), "copular"
        before = _noun_before_participle(head) if not _subjects(head) else None
        if before is not None:
            return [before], "participle-subject"  # "long delays and families becoming distressed"
        return _subjects(head), "copular"
    if adj.dep_ in ("ROOT", "conj", "ccomp", "relcl", "advcl") or _passive(adj):
        subs = [c for c in adj.children if c.dep_ in SUBJECT_DEPS]
        if subs:
            return subs, "copular"
        if adj.dep_ == "conj":
            return adjective_holders(adj.head)[0], "copular"
    if adj.dep_ == "amod" and adj.i > adj.head.i:
        head = adj.head
        while head.dep_ == "conj" and head.head.i < head.i:
            head = head.head  # "leaves children and their parents anxious": the whole coordination
        return [head], "postnominal"  # "leaves young people anxious about college"
    return [], "no-subject"


def noun_holders(noun: Token) -> list[Token]:
    if noun.dep_ == "conj" and noun.head.pos_ == "NOUN":
        inherited = noun_holders(noun.head)  # "families' questions and anxieties"
        if inherited:
            return inherited
    holders = [c for c in noun.children if c.dep_ in ("poss", "nmod")]  # "their concerns", "parents and carers' frustration"
    holders += [c for c in noun.children if c.dep_ in ("compound", "amod") and c.lemma_.lower() in HOLDER_MODIFIERS]
    holders += _prep_objects(noun, ["of", "from", "among", "amongst", "by", "for"])
    if not holders:  # "frustration and delays for children": a for-phrase on the last conjunct
        holders += [p for c in noun.conjuncts if c.i > noun.i for p in _prep_objects(c, ["for"])]
    if not holders:  # "creates high levels of dissatisfaction among families": the parse hangs "among" on the verb
        verb = _governing_verb(noun)
        holders += _prep_objects(verb, ["among", "amongst"]) if verb is not None else []
    acl = [c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"]  # "concerns raised by parents"
    for verb in acl:
        holders += _agents(verb)
    return holders


def _governing_verb(noun: Token) -> Token | None:
    """The verb whose object holds the noun, directly or through 'of' ('levels of dissatisfaction')."""
    while noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
        noun = noun.head.head
    return noun.head if noun.dep_ == "dobj" and noun.head.pos_ == "VERB" else None


def _noun_content(noun: Token) -> bool:
    """A report/belief noun holds content: it is the subject of saying or 'are that', or has a topic or clause."""
    if noun.dep_ == "nsubj" and noun.head.lemma_.lower() in REPORTING_PREDICATES:
        verb = noun.head
        if any(c.dep_ in ("ccomp", "attr", "dobj", "xcomp", "prep") for c in verb.children):
            return True
    if any(c.dep_ == "ccomp" or c.dep_ == "acl" and any(g.lower_ in ("to", "that") for g in c.children)
           for c in noun.children):
        return True
    return any(c.dep_ == "prep" and c.lower_ in NOUN_TOPIC_PREPS for c in noun.children)


# ------------------------------------------------------------------ source phrases


def _modifier_lemmas(t: Token) -> set[str]:
    mods = {c.lemma_.lower() for c in t.children if c.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod")}
    mods |= {c.lower_ for c in t.children if c.dep_ in ("compound", "amod", "nmod", "poss")}
    for c in t.children:
        if c.dep_ == "poss":
            mods |= {g.lemma_.lower() for g in c.children if g.dep_ in ("compound", "amod")}
    for p in _prep_objects(t, ["of", "for", "in", "from"]):
        mods.add(p.lemma_.lower())
        mods |= {c.lemma_.lower() for c in p.children if c.dep_ == "compound"}
    if t.i > 0 and t.doc[t.i - 1].pos_ in ("NOUN", "VERB", "ADJ", "PROPN"):
        mods.add(t.doc[t.i - 1].lower_)  # "setting leaders" is sometimes parsed with "setting" as a verb
    return mods


def classify_token(t: Token, lex: Lexicon) -> tuple[str, str, Token] | None:
    """(class, entry id, the token that decided it) for a noun heading a source phrase."""
    if lex.aliases:
        phrase = " ".join(w.lower_ for w in t.subtree if w.i <= t.i)[-80:]
        for alias, cls in lex.aliases.items():
            if alias in phrase or alias in " ".join(w.lower_ for w in t.subtree):
                return cls, f"alias:{alias}", t
    lemma = t.lemma_.lower() if t.pos_ != "PROPN" else t.lower_
    if t.pos_ == "PROPN" and lemma.endswith("s") and not lex.classify_noun(lemma, set()):
        lemma = lemma[:-1]  # "Inspectors", "Headteachers" tagged as proper nouns
    if lemma in lex.look_through or t.lower_ in lex.look_through:
        inner = _prep_objects(t, ["of", "from", "among", "by"]) + [c for c in t.children if c.dep_ == "poss"]
        if inner:
            found = classify_token(inner[0], lex)
            if found:
                return found
    entry = None
    if lex.names_a_source(lemma) or lex.names_a_source(t.lower_):
        modifiers = _modifier_lemmas(t)
        entry = lex.classify_noun(lemma, modifiers) or lex.classify_noun(t.lower_, modifiers)
    if entry:
        return entry.cls, entry.id, t
    for c in t.children:  # "'Just Say', the parent carer forum, ..." / "Ofsted and the Care Quality Commission"
        if c.dep_ == "appos" or (c.dep_ == "compound" and c.pos_ == "PROPN"):
            found = classify_token(c, lex)
            if found:
                return found
    return None


def quantifier_of(tokens: list[Token], lex: Lexicon) -> str:
    words = tuple(w.lower_ for w in tokens)
    for seq, cls in lex.quantifiers:
        n = len(seq)
        if any(words[i:i + n] == seq for i in range(len(words) - n + 1)):
            return cls
    return "NONE"


def _left_part(head: Token) -> list[Token]:
    """The tokens of a noun phrase up to its head (determiners, quantifiers, modifiers)."""
    left = [w for w in head.subtree if w.i <= head.i and w.dep_ not in ("cc", "conj", "punct", "appos")]
    start = head.i
    for w in sorted(left, key=lambda w: -w.i):
        if w.i == start - 1 or w.i == start:
            start = w.i
    words = [w for w in head.doc[start:head.i + 1]]
    if head.dep_ == "pobj" and head.head.head.lemma_.lower() in PART_HEADS:
        outer = head.head.head
        words = _left_part(outer) + words
    return words


def _span_bounds(head: Token) -> tuple[int, int]:
    """Token bounds of a source phrase: modifiers and of/across/in-phrases, not relative clauses or 'with SEND'."""
    keep = [head]
    cut = max((c.i for c in head.lefts if misparsed_causative(c)), default=-1)  # "This reassures | parents"
    for c in head.children:
        if c.dep_ in ("det", "amod", "compound", "nummod", "poss", "nmod", "quantmod", "advmod", "predet") and cut < c.i < head.i:
            keep += list(c.subtree)
        elif c.dep_ == "prep" and c.lower_ in ("across", "in", "from", "of", "within") and c.i > head.i:
            keep += list(c.subtree)
    lo, hi = min(w.i for w in keep), max(w.i for w in keep)
    verb = min((w.i for w in keep if w.lower_ in MISREAD_PREPOSITIONS and misparsed_preposition(w) is not None),
               default=None)
    if verb is not None:  # "Pupils in the base | like their key adults."
        hi = verb - 1
    if head.dep_ == "pobj" and head.head.head.lemma_.lower() in PART_HEADS | GROUP_HEADS:
        lo = min(lo, _span_bounds(head.head.head)[0])
    while lo < hi and head.doc[lo].is_punct:
        lo += 1
    return lo, hi


def source_groups(head: Token, lex: Lexicon, resolve) -> tuple[list[SourceGroup], Token]:
    """Source groups for a holder token (coordination split by class); pronouns resolved via `resolve`."""
    doc = head.doc
    low = head.lower_
    if low in INSPECTOR_PRONOUNS:
        return [SourceGroup("INSPECTOR", head.idx, head.idx + len(head), "NONE", f"pronoun:{low}")], head
    if low in RELATIVE and head.head.dep_ in ("relcl", "acl"):
        antecedent = head.head.head
        groups, _ = source_groups(antecedent, lex, resolve)
        return [SourceGroup(g.cls, head.idx, head.idx + len(head), g.quantifier, g.entry) for g in groups], antecedent
    if low in SINGULAR_PRONOUNS and head.dep_ in SUBJECT_DEPS | {"poss"}:
        classes = [c for c in resolve(head) if c in ORGANISATIONS]  # resolve() answers [] unless singular
        return [SourceGroup(c, head.idx, head.idx + len(head), "NONE", f"pronoun:{low}") for c in classes[:1]], head
    if low in PLURAL_PRONOUNS or (low in QUANTIFIER_PRONOUNS and head.pos_ in ("PRON", "DET", "ADJ", "NOUN")
                                  and not _prep_objects(head, ["of"])):
        q = quantifier_of([head], lex) if low in QUANTIFIER_PRONOUNS else "NONE"
        classes = resolve(head)
        groups = [SourceGroup(c, head.idx, head.idx + len(head), q, f"pronoun:{low}") for c in classes]
        for other in (c for c in head.conjuncts if c.i > head.i):  # "They and their families feel..."
            groups += [g for g in source_groups(other, lex, resolve)[0] if g.cls not in classes]
        return groups, head
    members = [head] + [c for c in head.conjuncts if c.i > head.i]
    # parser quirk: "Children, young people and families" can give the verb two subjects
    groups: list[SourceGroup] = []
    first_q = None
    for m in members:
        found = classify_token(m, lex)
        if not found:
            continue
        cls, entry_id, _ = found
        lo, hi = _span_bounds(m)
        own_left = [w for w in _left_part(m) if w.i < m.i and w.dep_ in ("det", "amod", "poss", "nummod", "predet", "quantmod")]
        q = quantifier_of(_left_part(m), lex)
        if first_q is None:
            first_q = q
        elif q == "NONE" and not own_left:
            q = first_q
        if groups and groups[-1].cls == cls:
            groups[-1].end = doc[hi].idx + len(doc[hi])
            continue
        groups.append(SourceGroup(cls, doc[lo].idx, doc[hi].idx + len(doc[hi]), q, entry_id))
    return groups, head


# ------------------------------------------------------------------ cue spans, negation, hedges


def cue_span(cue: Token, entry: CueEntry) -> tuple[int, int]:
    doc = cue.doc
    lo = hi = cue.i
    if entry.kind == "adjective" and cue.dep_ in ("acomp", "oprd") and cue.head.lemma_.lower() in COPULAS | {"keep"}:
        lo = min(lo, cue.head.i)
    if entry.needs_object and cue.dep_ == "acl" and cue.head.i < cue.i:
        lo = cue.head.i  # "concerns raised by parents": the noun and the verb
    if entry.kind == "verb":
        for c in cue.children:
            if c.dep_ == "prt" or (c.dep_ in ("dobj", "dative") and c.lower_ in ADDRESSEES and c.i == cue.i + 1):
                hi = max(hi, c.i)
            if entry.needs_object and c.dep_ == "dobj":
                hi = max(hi, c.i)
        for dep in entry.span_extends:  # "speak highly of"
            for c in cue.children:
                if c.dep_ == dep and c.i == hi + 1:
                    hi = c.i
    if lo < cue.i and hi - lo > 6:
        lo = cue.i
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    return start, end


def _with_complement(cue: Token) -> list[Token]:
    """The cue and, when it depends on its own complement (an adjective after a copula, a misparsed
    auxiliary), that complement: where negation and hedging hang."""
    return [cue] + ([cue.head] if cue.dep_ in ("acomp", "oprd", "xcomp") or misparsed_auxiliary(cue) else [])


def is_negated(cue: Token) -> bool:
    scope = _with_complement(cue)
    return any(c.dep_ == "neg" or c.lower_ in ("never", "no") and c.dep_ in ("neg", "advmod", "det")
               for t in scope for c in t.children)


def is_hedged(cue: Token) -> bool:
    scope = _with_complement(cue)
    if any(c.dep_ == "aux" and c.lower_ in HEDGE_AUX for t in scope for c in t.children):
        return True
    return cue.dep_ == "xcomp" and cue.head.lemma_.lower() in HEDGE_VERBS


# ------------------------------------------------------------------ the cue decision


@dataclass
class CueDecision:
    token: Token
    entry: CueEntry
    framing: str
    complement: str
    rejected_by: str = ""  # set only when asked for candidates: the soft rule that turned it down


def _adjective_form(t: Token, lex: Lexicon) -> list[CueEntry]:
    """Adjective entries match the word form too: 'worried' and 'concerned' parse as passive verbs."""
    return lex.cue_entries("adjective", t.lower_) or (lex.cue_entries("adjective", t.lemma_.lower()) if t.pos_ == "ADJ" else [])


def _volition(t: Token) -> bool:
    """'would value', 'would like': an aim, not a view (decided case v1.1)."""
    return any(c.dep_ == "aux" and c.lower_ in VOLITION_AUX for c in t.children) and t.lemma_.lower() in VOLITION_VERBS


FEEL_LEMMAS = frozenset({"feel", "felt"})  # spaCy leaves "felt" unlemmatised when it parses it as an auxiliary


def _carried_by_feel(t: Token) -> bool:
    """'feel visible and valued': the feel cue carries the whole complement (also where the parse takes
    feel for the participle's auxiliary: 'they felt included and listened to')."""
    adjectival = t.pos_ == "ADJ" or t.tag_ == "VBN"
    while True:
        if adjectival and any(c.lemma_.lower() in FEEL_LEMMAS and misparsed_auxiliary(c) for c in t.children):
            return True
        if t.dep_ != "conj" or t.head == t:
            break
        t = t.head
        if adjectival and t.lemma_.lower() in FEEL_LEMMAS:
            return True
    return t.dep_ in ("acomp", "oprd", "xcomp", "ccomp") and t.head.lemma_.lower() in FEEL_LEMMAS


def _attributive(t: Token) -> bool:
    """A participle or adjective coordinated with one that modifies a noun ('helpful and much-valued advice')."""
    if t.dep_ != "conj" or t.pos_ not in ("ADJ", "VERB") or t.head == t:
        return False
    head = t.head
    while head.dep_ == "conj" and head.head != head:
        head = head.head
    return head.dep_ == "amod" and head.head.i > t.i


def _has_topic(t: Token, preps: frozenset[str] | None = None) -> bool:
    if preps is not None:
        scope = list(t.children) + (list(t.head.children) if t.dep_ == "acomp" else [])
        return any(c.dep_ == "prep" and c.lower_ in preps or c.dep_ in ("ccomp", "xcomp") and c.i > t.i
                   or c.dep_ == "advcl" and c.i > t.i and any(g.dep_ in ("mark", "advmod") and g.lower_ in preps
                                                              for g in c.children)
                   for c in scope)  # "aware of", "aware that...", "not aware when a plan is in place"
    if any(c.dep_ in ("prep", "ccomp", "xcomp") and c.lower_ not in NOT_CONTENT_PREPS for c in t.children):
        return True
    return t.dep_ == "acomp" and any(c.dep_ in ("prep", "ccomp") and c.i > t.i for c in t.head.children)


def decide_cue(t: Token, lex: Lexicon, candidates: bool = False) -> CueDecision | None:
    """Is this token a cue here, and with which class? None when no entry applies.

    With candidates=True a verb whose complement rules it out comes back with `rejected_by` set,
    so a trained model can overrule the rule."""
    if t.lower_ not in lex.cue_words and t.lemma_.lower() not in lex.cue_words:
        return None  # no entry keys on the word (most words)
    if _carried_by_feel(t):
        return None  # "feel worried", "feel visible and valued": the feel cue carries it
    if _attributive(t):
        return None  # "helpful and much-valued advice" describes the advice
    if t.pos_ in ("ADJ", "VERB", "AUX") or t.tag_ == "VBN":
        for entry in _adjective_form(t, lex):
            if t.dep_ == "amod" and (t.i < t.head.i or not _has_topic(t)):
                continue  # "worried parents" describes; "leaves parents worried about X" attributes
            if entry.requires_topic and not _has_topic(t, entry.topic_preps):
                continue
            if entry.not_with_agent and _own_agents(t):
                continue  # "plans are informed by data"
            return CueDecision(t, entry, entry.framing, "adjective")
    predicate_noun = t.pos_ == "NOUN" and any(c.dep_ == "nsubj" for c in t.children) and t.dep_ in ("ROOT", "conj", "ccomp")
    if t.pos_ in ("VERB", "AUX") or predicate_noun or (t.dep_ == "prep" and misparsed_preposition(t) is not None):
        if _volition(t):
            return None
        entries = lex.cue_entries("verb", t.lemma_.lower())
        for entry in entries:
            decision = _decide_verb(t, entry)
            if decision:
                return decision
        if candidates and entries and not entries[0].needs_object:
            entry = entries[0]
            comp = complement_type(t)
            return CueDecision(t, entry, entry.framing, comp, f"complement-{comp}")
    if misparsed_causative(t):
        entry = next((e for e in lex.cue_entries("verb", t.lemma_.lower()) if e.source_is_object), None)
        if entry:
            return CueDecision(t, entry, entry.framing, "object")
    if t.pos_ == "NOUN":
        for entry in lex.cue_entries("noun", t.lemma_.lower()):
            if entry.content_required and not _noun_content(t):
                continue
            scope = list(t.children) + ([c for c in t.head.children if c.i > t.i] if t.dep_ == "dobj" else [])
            if entry.topic_preps is not None and not any(c.dep_ == "prep" and c.lower_ in entry.topic_preps
                                                         for c in scope):
                continue  # "trust in the service", also when the parse hangs "in" on the verb ("damaged their trust in")
            return CueDecision(t, entry, entry.framing, "noun")
    return None


def _topic_prep(verb: Token, preps: frozenset[str]) -> bool:
    """A topic preposition on the verb, or on the person addressed ('spoke to inspectors about the delays',
    where the parse hangs 'about' on 'inspectors')."""
    return any(c.dep_ == "prep" and c.lower_ in preps for c in verb.children) or any(
        c.dep_ == "prep" and c.lower_ == "about"  # not "of": "a member of staff" is the addressee
        for addressed in _prep_objects(verb, ["to", "with"]) for c in addressed.children)


def _names_a_finding(obj: Token) -> bool:
    """'identified the need to improve the pathway': the object with an infinitive is a finding, not casework."""
    return any(c.dep_ == "acl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children) for c in obj.children)


def _reflexive_complement(verb: Token) -> set[str]:
    """Reflexive objects of a verb or subjects of its complement ('find themselves drawn into...')."""
    heads = [c for c in verb.children if c.dep_ in ("dobj", "ccomp", "xcomp", "oprd")]
    heads += [g for c in heads for g in c.children if g.dep_ in SUBJECT_DEPS]
    return {w.lower_ for w in heads if w.lower_.endswith(("self", "selves"))}


def _decide_verb(t: Token, entry: CueEntry) -> CueDecision | None:
    if entry.particle and not any(c.dep_ == "prt" and c.lower_ == entry.particle for c in t.children):
        return None
    if entry.adverbs and not any(c.dep_ == "advmod" and c.lower_ in entry.adverbs for c in t.children):
        return None
    if entry.source_is_object:
        return CueDecision(t, entry, entry.framing, "object") if _objects(t) or _passive(t) else None
    comp = complement_type(t)
    if t.tag_ == "VBG" and comp == "bare":
        return None  # "staff are welcoming": a participle used as an adjective, with no content
    obj = None
    if _passive(t):  # "Worries were expressed by parents", "concerns raised by parents"
        obj = next((c for c in t.children if c.dep_ == "nsubjpass"), t.head if t.dep_ == "acl" else None)
    obj = obj if obj is not None else _first_object(t)
    obj_lemmas = _object_lemmas(obj) if obj is not None else set()
    if entry.needs_as and not any(c.lower_ == "as" for c in t.subtree if c.head == t or c.head.head == t):
        return None
    if entry.needs_object:
        for other in _objects(t):  # "give professionals their views": the indirect object comes first
            obj_lemmas |= _object_lemmas(other)
        hit = entry.needs_object & obj_lemmas
        if not hit:
            return None
        cls = next((entry.object_classes[h] for h in sorted(hit) if h in entry.object_classes), None)
        return CueDecision(t, entry, cls or entry.framing, "object")
    if entry.topic_preps is not None:
        if not _topic_prep(t, entry.topic_preps) and comp != "clause":
            return None
        comp = "topic" if comp != "clause" else comp
    if comp == "bare" and obj is not None and _passive(t) and _agents(t):
        comp = "object"  # "which is understood by practitioners": the passive subject is the content
    if obj is not None and comp in ("object", "topic") and {obj.lemma_.lower(), obj.lower_} & entry.objects_not \
            and not _names_a_finding(obj):
        return None
    if _reflexive_complement(t) & entry.objects_not:
        return None  # "find themselves drawn into appeals": an event
    cls = entry.framing_for(comp)
    if cls is None:
        return None
    if entry.emotion_object and obj is not None and comp in ("object", "topic", "object_adjective"):
        if obj.lemma_.lower() in EMOTION_NOUNS or (_object_lemmas(obj) & EMOTION_NOUNS and obj.lemma_.lower() in EMOTION_CARRIERS):
            cls = entry.emotion_object
    return CueDecision(t, entry, cls, comp)


def _phrase_cues(sent: Span, lex: Lexicon, words: list[str]) -> Iterator[tuple[CueEntry, int, int, list[Token], Token]]:
    """Multi-word cues ('according to', 'up to date'): (entry, start token, end token, holders, the word
    that heads the cue: the copula of 'are kept up to date', else the phrase's first word).
    words: the lower-case words of the sentence."""
    for entry in lex.phrases:
        n = len(entry.phrase)
        for i in range(len(words) - n + 1):
            if words[i] != entry.phrase[0] or tuple(words[i:i + n]) != entry.phrase:
                continue
            first, last = sent[i], sent[i + n - 1]
            if entry.source_prep:  # "according to parents": the object of the phrase's preposition
                prep = next(w for w in sent[i:i + n] if w.lower_ == entry.source_prep)
                holders = [c for c in prep.children if c.dep_ == "pobj"] or (
                    [sent[i + n]] if i + n < len(sent) and sent[i + n].pos_ in ("NOUN", "PROPN", "PRON") else [])
            anchor = first.head if first.head.lemma_.lower() in COPULAS else first
            if not entry.source_prep:
                holders = _subjects(anchor) if anchor != first else []
            yield entry, first.i, last.i, holders, anchor


# ------------------------------------------------------------------ the document pass


class _Referents:
    """What plural pronouns ('they', 'some', 'others') refer to: recent source subjects."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.previous: list[list[str]] = []  # per earlier sentence: classes of its main source subject
        self.previous_singular = False  # was the last sentence's main subject one organisation ("the forum")
        self.current: list[tuple[int, bool, list[str]]] = []  # (token index, is subject, classes) in this sentence

    def _maybe_source(self, t: Token) -> bool:
        """A cheap test before classifying: could this noun phrase name a source at all?"""
        words = self.lex.source_words
        return (t.lemma_.lower() in words or t.lower_ in words or t.lower_.rstrip("s") in words
                or any(c.lower_ in words for c in t.conjuncts) or any(c.dep_ == "appos" for c in t.children))

    def classes_of(self, t: Token) -> list[str]:
        """Source classes of a noun and its conjuncts (no spans or quantifiers: this runs for every noun)."""
        found = (classify_token(m, self.lex) for m in [t, *(c for c in t.conjuncts if c.i > t.i)])
        return list(dict.fromkeys(f[0] for f in found if f))

    def start_sentence(self, sent: Span, nouns: list[bool]) -> None:
        """nouns: per token of the document, is it a noun or proper noun that is not a conjunct."""
        self.current = []
        doc = sent.doc
        for t in (doc[i] for i in range(sent.start, sent.end) if nouns[i]):
            if self._maybe_source(t):
                classes = self.classes_of(t)
                if classes:
                    self.current.append((t.i, t.dep_ in SUBJECT_DEPS, classes))

    def end_sentence(self, sent: Span, main: list[str] | None) -> None:
        """Remember what a 'they' in the next sentence would mean: the main clause's subject."""
        subject = next((c for c in sent.root.children if c.dep_ in SUBJECT_DEPS), None)
        self.previous_singular = (subject is not None and subject.tag_ in ("NN", "NNP") and not list(subject.conjuncts)
                                  or subject is not None and subject.lower_ in SINGULAR_PRONOUNS and self.previous_singular)
        if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
            classes = self.classes_of(subject)  # a non-source subject breaks the chain
            classes += [c for t in co_sources(subject) for c in self.classes_of(t) if c not in classes]
        elif subject is not None and subject.lower_ in PLURAL_PRONOUNS | SINGULAR_PRONOUNS:
            classes = main or (self.previous[-1] if self.previous else [])  # 'They ...' carries it on
        else:
            classes = main or (self.current[-1][2] if self.current else [])
        self.previous = (self.previous + [classes])[-2:]

    def resolve(self, pronoun: Token, matrix: list[str] | None) -> list[str]:
        if pronoun.lower_ in SINGULAR_PRONOUNS:
            if matrix and len(matrix) == 1:
                return matrix
            return self.previous[-1] if self.previous and self.previous_singular else []
        if matrix:
            return matrix
        possessive = pronoun.lower_ in ("their", "them", "theirs", "themselves")
        earlier = [classes for i, subject, classes in self.current if i < pronoun.i and (subject or possessive)]
        if earlier:
            return earlier[-1]
        for classes in reversed(self.previous):
            return classes
        return []


def _matrix_classes(cue: Token, found: dict[int, list[SourceGroup]]) -> list[str] | None:
    """For a pronoun inside what a source said ('They said that they feel'), the sayer's classes."""
    for gov, dep in _governor_chain(cue, limit=5):
        if gov.i in found and dep in ("ccomp", "conj", "advcl", "xcomp"):
            return list(dict.fromkeys(g.cls for g in found[gov.i]))
    return None


def _columns(doc: Doc, lex: Lexicon) -> tuple[list[str], list[bool], list[bool]]:
    """Per token, read from the Doc's arrays rather than token by token (a Token object each time):
    its lower-case form, could it be a cue (a word some cue entry keys on, as its form or its lemma:
    decide_cue's first test), and is it a noun or proper noun that is not a conjunct."""
    strings = doc.vocab.strings
    columns = doc.to_array([LOWER, LEMMA, POS, DEP])
    lowers = [strings[h] for h in columns[:, 0].tolist()]
    words = numpy.unique(columns[:, :2])
    cue_ids = [h for h in words.tolist() if strings[h].lower() in lex.cue_words]
    maybe_cues = numpy.isin(columns[:, :2], cue_ids).any(axis=1).tolist()
    nouns = (numpy.isin(columns[:, 2], [NOUN, PROPN]) & (columns[:, 3] != strings["conj"])).tolist()
    return lowers, maybe_cues, nouns


def extract(doc: Doc, lex: Lexicon, candidates: bool = False) -> list[Attribution]:
    """Every attribution in a parsed document, in text order.

    With candidates=True it also returns what the soft rules turned down (an aim clause, a complement
    that rules the cue out), each with `rejected_by` set, for the trained framing model to decide on."""
    referents = _Referents(lex)
    out: list[Attribution] = []
    text = doc.text  # spaCy rebuilds Doc.text from every token on each access
    lowers, maybe_cues, nouns = _columns(doc, lex)
    for sent in doc.sents:
        referents.start_sentence(sent, nouns)
        found: dict[int, list[SourceGroup]] = {}
        main: list[str] | None = None
        sentence = sent.text.rstrip()  # a paragraph's last sentence carries the break after it
        found_cues: list[tuple[CueEntry, str, str, int, int, list[Token], str, Token]] = []
        for t in (doc[i] for i in range(sent.start, sent.end) if maybe_cues[i]):
            decision = decide_cue(t, lex, candidates)
            if decision is None:
                continue
            if states_an_aim(t):
                if not candidates:
                    continue
                decision.rejected_by = decision.rejected_by or "aim"
            if decision.entry.kind == "noun" and (t.dep_ == "dobj" and decide_cue(t.head, lex) is not None or any(
                    c.dep_ == "acl" and decide_cue(c, lex) is not None for c in t.children)):
                continue  # "express concerns", "concerns raised by parents": the verb cue carries the noun
            holders, rule = cue_holders(t, decision.entry)
            if decision.entry.kind == "noun" and not holders:
                holders, rule = _object_holder(t)
            if decision.entry.kind != "noun" and _subject_is_record(holders, lex):
                continue  # "Feedback from parents shows that...": the noun is the cue (REPORT), parents the source
            start, end = cue_span(t, decision.entry)
            found_cues.append((decision.entry, decision.framing, rule, start, end, holders, decision.rejected_by, t))
        for entry, i, j, holders, anchor in _phrase_cues(sent, lex, lowers[sent.start:sent.end]):
            rejected_by = "aim" if states_an_aim(anchor) else ""  # "to ensure that plans are kept up to date"
            if rejected_by and not candidates:
                continue
            start, end = doc[i].idx, doc[j].idx + len(doc[j])
            found_cues.append((entry, entry.framing, "phrase", start, end, holders, rejected_by, doc[i]))
        found_cues.sort(key=lambda c: c[7].i)
        for entry, framing, rule, start, end, holders, rejected_by, tok in found_cues:
            matrix = _matrix_classes(tok, found)
            resolve = partial(referents.resolve, matrix=matrix)
            groups = [g for h in holders for g in source_groups(h, lex, resolve)[0]]
            if not holders and entry.kind in ("verb", "adjective"):
                fallback, fallback_rule = fallback_holders(tok)
                groups = [g for h in fallback for g in source_groups(h, lex, resolve)[0] if g.cls != "OTHER"]
                rule = fallback_rule if groups else rule
            if entry.subjects is not None:
                groups = [g for g in groups if g.cls in entry.subjects]
            if not entry.documents:  # plans and data do not know, believe or feel (organisations can)
                groups = [g for g in groups if g.entry != "documents"]
            if entry.personal:  # "It is clear that...": only people are clear about something
                groups = [g for g in groups if g.entry not in ("documents", "pronoun:it")]
            if entry.experiencer and (entry.experiencer.only or not groups):
                perceivers = _perceivers(tok, entry, lex, resolve)
                if perceivers:  # decided case: "the process can feel fragmented for parents" is their BELIEF
                    groups, framing, rule = perceivers, entry.experiencer.framing, "experiencer-phrase"
                elif entry.experiencer.only:
                    groups = []
            if not groups:  # includes "you" in reader boilerplate: not a source
                continue
            if not rejected_by:
                found[tok.i] = groups
                if tok.dep_ == "ROOT" or main is None:
                    main = list(dict.fromkeys(g.cls for g in groups))
            seen = set()
            for g in groups:
                if g.cls in seen:
                    continue
                seen.add(g.cls)
                out.append(Attribution(
                    source=g.cls, cue=framing, quantifier=g.quantifier,
                    source_start=g.start, source_end=g.end, cue_start=start, cue_end=end,
                    source_text=text[g.start:g.end], cue_text=text[start:end],
                    sentence_start=sent.start_char, sentence_end=sent.start_char + len(sentence), sentence=sentence,
                    rule=rule, lexicon_entry=entry.id, lexicon_note=entry.note, source_entry=g.entry,
                    negated=is_negated(tok), hedged=is_hedged(tok), rejected_by=rejected_by,
                ))
        referents.end_sentence(sent, main)
    return out


def experiencers(cue: Token, preps: frozenset[str]) -> list[Token]:
    """Who a thing seems some way to, when the verb has an adjective complement: the objects of these
    prepositions on the verb, on the adjective or on its conjuncts ('can feel fragmented and slow for
    parents', 'To them, services appear disjointed')."""
    if complement_type(cue) != "adjective":
        return []
    scope = [cue] + ([cue.head] if misparsed_auxiliary(cue) else [])
    for c in cue.children:
        if c.dep_ in ("acomp", "oprd", "xcomp"):
            scope += [c, *c.conjuncts]
        elif c.dep_ == "prep" and c.lower_ in LIKENESS_MARKERS:  # "feels like a battle for many families"
            scope += [p for p in c.children if p.dep_ == "pobj"]
    return [p for t in scope for p in _prep_objects(t, preps)]


def _perceivers(cue: Token, entry: CueEntry, lex: Lexicon, resolve) -> list[SourceGroup]:
    """The people or groups named in the cue's experiencer phrase (organisations and things perceive nothing)."""
    return [g for h in experiencers(cue, entry.experiencer.preps) for g in source_groups(h, lex, resolve)[0]
            if g.cls != "OTHER"]


def fallback_holders(cue: Token) -> tuple[list[Token], str]:
    """When the parse links a recognised passive cue to no holder at all: a by-phrase further down it
    ('are praised for their work by families', 'seen as a model of good practice by parents').
    (A subject searched for further up the tree was tried too: on dev, corpus test and held-out A it
    found 8 false sources and no true one.)"""
    if _passive(cue) or cue.tag_ == "VBN":
        for w in cue.subtree:
            if w.dep_ in ("agent", "prep") and w.lower_ == "by" and w.head != cue:
                found = [p for p in w.children if p.dep_ == "pobj"]
                if found:
                    return found, "fallback-passive-agent"
    return [], "no-holder"


def _object_holder(noun: Token) -> tuple[list[Token], str]:
    """An emotion noun with no holder of its own that a source expresses ('highlighted the frustration')."""
    head = noun
    while head.dep_ == "conj":
        head = head.head
    if head.dep_ == "dobj":
        return _subjects(head.head), "object-of-saying"
    return [], "no-holder"


def _subject_is_record(holders: list[Token], lex: Lexicon) -> bool:
    """Is the subject a report or view noun with its own holder ('Feedback from parents', 'Their views')?"""
    return any(h.pos_ == "NOUN" and noun_holders(h) and any(
        e.kind == "noun" and e.id != "emotion-nouns" for e in lex.cue_entries("noun", h.lemma_.lower()))
        for h in holders)
