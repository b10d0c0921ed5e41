"""Plain-English advice for each attribution: why it was flagged, and how it could be reworded.

A rewording keeps the sentence and changes only its framing ("Parents feel that X" -> "Parents told
inspectors that X"). It is built from the sentence and the attribution's spans with the rules in
data/rewordings.toml; when the sentence has a shape the rules cannot rewrite safely (passive,
nominal, hedged, embedded), a generic one-line advice is given instead of mangled text. A rewording
is only right when the inspection evidence supports it: the report says so beside every suggestion.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable

from .attribution import SUBJECTIVE, Attribution

RULES_PATH = Path(__file__).parent / "data" / "rewordings.toml"
MAX_SUGGESTIONS = 2
_WORD = re.compile(r"[\w’']+")


@dataclass(frozen=True)
class Rule:
    id: str
    classes: frozenset[str]
    match: re.Pattern
    aux: str  # "none", "be" or "any"
    negation: bool
    templates: tuple[str, ...]


@dataclass(frozen=True)
class Clause:
    """A sentence cut around its attribution: lead (up to the source and its modifier), aux, core."""

    sentence: str
    lead: str
    aux: tuple[str, ...]  # lowercased words between the source and the cue word
    pred_start: int  # where the verb group (aux + core) starts in the sentence
    core_start: int  # where the cue word starts


@cache
def rules_data() -> dict:
    with RULES_PATH.open("rb") as f:
        return tomllib.load(f)


@cache
def rules() -> tuple[Rule, ...]:
    return tuple(
        Rule(r["id"], frozenset(r["classes"]), re.compile(r["match"], re.IGNORECASE | re.DOTALL),
             r["aux"], r["negation"], tuple(r["templates"]))
        for r in rules_data()["rule"]
    )


def source_phrase(source: str) -> str:
    return rules_data()["source_phrases"][source]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def explain(att: Attribution) -> str:
    """Why this attribution was flagged, for a reader who has never seen the annotation scheme."""
    phrase = rules_data()["classes"][att.cue]["phrase"]
    parts = [f"‘{att.cue_text}’ presents what {source_phrase(att.source)} said {phrase}."]
    if att.negated:
        parts.append("The cue is negated here; negation does not change how the view is framed.")
    if att.hedged:
        parts.append("The cue is hedged here; a hedge does not change how the view is framed.")
    parts.append(f"Rule: {att.rule}; lexicon entry: {att.lexicon_entry}.")
    if att.lexicon_note:
        parts.append(f"Lexicon note: {att.lexicon_note}")
    if att.decided_by != "rules":
        confidence = "" if att.confidence is None else f" (confidence {att.confidence:.2f})"
        parts.append(f"Class decided by the framing model {att.decided_by}{confidence}.")
    return " ".join(parts)


def _is_aux(word: str) -> bool:
    w = rules_data()["words"]
    return (word in w["be"] or word in w["do"] or word in w["have"] or word in w["negation"]
            or word in w["hedges"] or word in w["adverbs"] or word.endswith("ly"))


def _tokens(text: str, offset: int) -> list[tuple[int, str]]:
    """(start, lowercased word) for each word; "don't" gives "do" and "n't"."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group().lower().replace("’", "'")
        if word.endswith("n't") and len(word) > 3:
            out += [(offset + m.start(), word[:-3]), (offset + m.end() - 3, "n't")]
        else:
            out.append((offset + m.start(), word))
    return out


def cut(att: Attribution) -> Clause | None:
    """Cut the sentence around the attribution, or None when its shape is not safe to rewrite."""
    s = att.sentence
    src_s, src_e = att.source_start - att.sentence_start, att.source_end - att.sentence_start
    cue_s = att.cue_start - att.sentence_start
    if not (0 <= src_s < src_e <= cue_s < len(s)) or s[src_s:src_e] != att.source_text:
        return None
    data = rules_data()
    if not re.match(data["opener"]["pattern"], s[:src_s]):
        return None
    between = _tokens(s[src_e:cue_s], src_e)
    aux_at = len(between)
    while aux_at > 0 and _is_aux(between[aux_at - 1][1]):
        aux_at -= 1
    pred_start = between[aux_at][0] if aux_at < len(between) else cue_s
    if not re.match(data["postmodifier"]["pattern"], s[src_e:pred_start].rstrip()):
        return None
    cue_words = _tokens(s[cue_s:att.cue_end - att.sentence_start], cue_s)
    peeled = 0
    be_like = set(data["words"]["be"]) | set(data["words"]["negation"]) | set(data["words"]["adverbs"])
    while peeled < len(cue_words) - 1 and cue_words[peeled][1] in be_like:
        peeled += 1
    core_start = cue_words[peeled][0] if cue_words else cue_s
    if not cue_words:
        return None
    aux = tuple(w for _, w in between[aux_at:]) + tuple(w for _, w in cue_words[:peeled])
    if not aux:
        pred_start = core_start
    return Clause(s, s[:pred_start].rstrip(), aux, pred_start, core_start)


def _tense(clause: Clause, verb: str) -> str:
    """'present', 'present_s' or 'past', from the first be/do/have word, else the cue verb."""
    w = rules_data()["words"]
    for word in clause.aux:
        for kind in ("be", "do", "have"):
            if word in w[kind]:
                return w[kind][word][0]
    verb = verb.lower()
    if verb in w["past"] or verb.endswith("ed"):
        return "past"
    if verb.endswith("s") and not verb.endswith("ss"):
        return "present_s"
    return "present"


def _plural_verb(word: str) -> str:
    """The form of a verb after 'they': is -> are, feels -> feel, worries -> worry."""
    w = rules_data()["words"]
    lower = word.lower()
    for kind in ("be", "do", "have"):
        if lower in w[kind]:
            return w[kind][lower][1]
    if lower.endswith("ies"):
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1]


def _pred(clause: Clause, tense: str) -> str:
    """The verb group and the rest of the sentence, its first verb agreeing with 'they'."""
    w = rules_data()["words"]
    pred = clause.sentence[clause.pred_start:].strip()
    offset = len(clause.sentence[clause.pred_start:]) - len(clause.sentence[clause.pred_start:].lstrip())
    for m in _WORD.finditer(pred):
        word = m.group().lower()
        if word in w["adverbs"] or (word.endswith("ly") and m.start() + offset + clause.pred_start < clause.core_start):
            continue
        is_aux = any(word in w[kind] for kind in ("be", "do", "have"))
        is_core = m.start() + offset + clause.pred_start == clause.core_start
        if is_aux or (is_core and tense == "present_s"):
            return pred[:m.start()] + _plural_verb(m.group()) + pred[m.end():]
        return pred
    return pred


def _fill(template: str, clause: Clause, m: re.Match) -> str:
    groups = {k: (v or "").strip() for k, v in m.groupdict().items()}
    tense = _tense(clause, groups.get("verb") or _WORD.match(m.group()).group())
    w = rules_data()["words"]
    adverbs = [a for a in clause.aux if a in w["adverbs"] or (a.endswith("ly") and a not in w["be"])]
    values = {
        "lead": clause.lead,
        "adv": "".join(" " + a for a in adverbs),
        "they": "they",
        "pred": _pred(clause, tense),
        **{verb: forms[tense] for verb, forms in rules_data()["verbs"].items() if isinstance(forms, dict)},
        **groups,
    }
    text = template.format(**values)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^[^\w‘“'\"(]+", "", text)


def _applies(rule: Rule, att: Attribution, clause: Clause) -> re.Match | None:
    w = rules_data()["words"]
    if att.cue not in rule.classes or any(a in w["hedges"] for a in clause.aux):
        return None
    if not rule.negation and (att.negated or any(a in w["negation"] for a in clause.aux)):
        return None
    has_be = any(a in w["be"] for a in clause.aux)
    if (rule.aux == "be" and not has_be) or (rule.aux == "none" and has_be):
        return None
    return rule.match.match(clause.sentence, clause.core_start)


def rewordings(att: Attribution) -> list[str]:
    """Up to two rewordings of the sentence built by the rules; [] when none applies safely."""
    clause = cut(att)
    if clause is None:
        return []
    found: list[str] = []
    for rule in rules():
        m = _applies(rule, att, clause)
        if m is None:
            continue
        for template in rule.templates:
            text = _fill(template, clause, m)
            if text not in found and text != att.sentence.strip():
                found.append(text)
    return found[:MAX_SUGGESTIONS]


def suggest(att: Attribution) -> list[str]:
    """Evidence-style rewordings for BELIEF/EMOTION; the reverse question for professionals' FACTIVE."""
    data = rules_data()
    names = {"source": source_phrase(att.source), "Source": capitalise(source_phrase(att.source))}
    if att.cue in SUBJECTIVE:
        return rewordings(att) or [data["generic"][att.cue].format(**names)]
    if att.cue == "FACTIVE" and att.source in data["factive"]["sources"]:
        factive = data["factive"]
        found = rewordings(att)
        consider = (factive["consider_rewording"].format(rewording=found[0], **names) if found
                    else factive["consider_template"].format(**names))
        return [f"{factive['question'].format(**names)} {consider}"]
    return []


def annotate_advice(atts: Iterable[Attribution]) -> None:
    """Fill each attribution's explanation and suggestions in place."""
    for att in atts:
        att.explanation = explain(att)
        att.suggestions = suggest(att)

