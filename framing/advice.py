"""Plain-English advice for each attribution: why it was flagged, and how it could be reworded.

A rewording keeps the sentence and changes only its framing ("Parents feel that X" -> "Parents told
inspectors that X"). It is built from the sentence and the attribution's spans with the rules in
data/rewordings.toml; when the sentence has a shape the rules cannot rewrite safely (nominal,
hedged, embedded in another clause), a generic one-line advice is given instead of mangled text.
A rewording is right only when the inspection evidence supports it: the report says so beside every
suggestion.
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
    aux: str  # "none", "be" or "any": whether a copula must (not) come before the cue word
    negation: bool  # whether the templates keep a negation safely
    templates: tuple[str, ...]


@dataclass(frozen=True)
class Clause:
    """A sentence cut around an attribution whose source comes before its cue."""

    sentence: str
    source_text: str
    lead: str  # opener + source + post-modifier, up to the verb group
    aux: tuple[str, ...]  # lowercased words between the source and the cue word
    pred_start: int  # where the verb group (aux + cue word) starts in the sentence
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


def _words() -> dict:
    return rules_data()["words"]


def source_phrase(source: str) -> str:
    """How a source class is named in running text: 'parents and carers', 'leaders'."""
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


# ------------------------------------------------------------------ cutting the sentence

def _is_aux(word: str) -> bool:
    w = _words()
    return (any(word in w[k] for k in ("be", "do", "have", "negation", "hedges", "adverbs"))
            or word.endswith("ly"))


def _is_adverb(word: str) -> bool:
    return word in _words()["adverbs"] or (word.endswith("ly") and word not in _words()["be"])


def _tokens(text: str, offset: int) -> list[tuple[int, str]]:
    """(sentence offset, lowercased word) for each word; "don't" gives "do" and "n't"."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group().lower().replace("’", "'")
        if word.endswith("n't") and len(word) > 3:
            out += [(offset + m.start(), word[:-3]), (offset + m.end() - 3, "n't")]
        else:
            out.append((offset + m.start(), word))
    return out


def _relative(att: Attribution) -> tuple[int, int, int, int]:
    base = att.sentence_start
    return att.source_start - base, att.source_end - base, att.cue_start - base, att.cue_end - base


def cut(att: Attribution) -> Clause | None:
    """Cut the sentence around the attribution, or None when its shape is not safe to rewrite."""
    s = att.sentence
    src_s, src_e, cue_s, cue_e = _relative(att)
    if not (0 <= src_s < src_e <= cue_s < cue_e <= len(s)) or s[src_s:src_e] != att.source_text:
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
    cue_words = _tokens(s[cue_s:cue_e], cue_s)
    if not cue_words:
        return None
    copula_like = set(_words()["be"]) | set(_words()["negation"]) | set(_words()["adverbs"])
    peeled = 0
    while peeled < len(cue_words) - 1 and cue_words[peeled][1] in copula_like:
        peeled += 1
    core_start = cue_words[peeled][0]
    aux = tuple(w for _, w in between[aux_at:]) + tuple(w for _, w in cue_words[:peeled])
    if not aux:
        pred_start = core_start
    return Clause(s, att.source_text, s[:pred_start].rstrip(), aux, pred_start, core_start)


# ------------------------------------------------------------------ agreement

def _finite_verb(clause: Clause) -> tuple[int, str]:
    """(sentence offset, word) of the first verb of the verb group: a be/do/have word or the cue word."""
    for start, word in _tokens(clause.sentence[clause.pred_start:], clause.pred_start):
        if start >= clause.core_start or any(word in _words()[k] for k in ("be", "do", "have")):
            return start, word
    return clause.core_start, ""


def _tense(word: str) -> str:
    """'present', 'present_s' or 'past'."""
    w = _words()
    for kind in ("be", "do", "have"):
        if word in w[kind]:
            return w[kind][word][0]
    if word in w["past"] or word.endswith("ed"):
        return "past"
    if word.endswith("s") and not word.endswith("ss"):
        return "present_s"
    return "present"


def _plural_verb(word: str) -> str:
    """The form of a verb after 'they': is -> are, was -> were, feels -> feel, worries -> worry."""
    w = _words()
    lower = word.lower()
    for kind in ("be", "do", "have"):
        if lower in w[kind]:
            return w[kind][lower][1]
    if _tense(lower) != "present_s":
        return word
    if lower.endswith("ies"):
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1]


def _is_plural(noun_phrase: str) -> bool:
    words = _WORD.findall(noun_phrase.lower())
    head = words[-1] if words else ""
    return head in rules_data()["pronouns"]["plural_heads"] or (head.endswith("s") and not head.endswith("ss"))


def _pronoun_and_pred(clause: Clause) -> tuple[str, str]:
    """'they' or 'it' for the source, and the verb group + rest of the sentence agreeing with it."""
    start, word = _finite_verb(clause)
    before, verb, after = (clause.sentence[clause.pred_start:start], clause.sentence[start:start + len(word)],
                           clause.sentence[start + len(word):])
    heads = _WORD.findall(clause.source_text.lower())
    if _plural_verb(word) == word:
        return "they", (before + verb + after).strip()
    if heads and heads[-1] in rules_data()["pronouns"]["it_heads"]:
        return "it", (before + verb + after).strip()
    return "they", (before + _plural_verb(verb) + after).strip()


# ------------------------------------------------------------------ building rewordings

def _verb_forms(tense: str) -> dict[str, str]:
    return {verb: forms[tense] for verb, forms in rules_data()["verbs"].items() if isinstance(forms, dict)}


def _tidy(text: str) -> str:
    """One space between words, no leading bullet."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^[^\w‘“'\"(]+", "", text)


def _fill(template: str, clause: Clause, m: re.Match) -> str:
    groups = {k: (v or "").strip() for k, v in m.groupdict().items()}
    _, verb = _finite_verb(clause)
    they, pred = _pronoun_and_pred(clause)
    adverbs = [a for a in clause.aux if _is_adverb(a)]
    values = {"lead": clause.lead, "adv": "".join(" " + a for a in adverbs), "they": they,
              "pred": pred, **_verb_forms(_tense(verb)), **groups}
    return _tidy(template.format(**values))


def _applies(rule: Rule, att: Attribution, clause: Clause) -> re.Match | None:
    w = _words()
    if att.cue not in rule.classes or any(a in w["hedges"] for a in clause.aux):
        return None
    if not rule.negation and (att.negated or any(a in w["negation"] for a in clause.aux)):
        return None
    has_be = any(a in w["be"] for a in clause.aux)
    if (rule.aux == "be" and not has_be) or (rule.aux == "none" and has_be):
        return None
    return rule.match.match(clause.sentence, clause.core_start)


def _passive_rewording(att: Attribution) -> list[str]:
    """'X is highly valued by families.' -> 'Families speak positively about x.'"""
    passive = rules_data()["passive"]
    s = att.sentence
    src_s, src_e, cue_s, cue_e = _relative(att)
    if att.negated or not (0 <= cue_s < cue_e <= src_s < src_e <= len(s)):
        return []
    head = re.match(passive["pattern"], s[:cue_e])
    by = re.match(passive["by"], s[cue_e:src_s])
    tail = re.match(passive["tail"], s[src_e:])
    if not (head and by and tail):
        return []
    x = head["x"]
    first, _, others = x.partition(" ")
    if first.lower() in passive["lower_first"]:
        x = f"{first.lower()} {others}".strip()
    subject = capitalise(by["det"] + s[src_s:src_e])
    tense = "past" if head["be"] in ("was", "were") else ("present" if _is_plural(subject) else "present_s")
    values = {"Subject": subject, "x": x, "end": tail["end"], **_verb_forms(tense)}
    return [_tidy(t.format(**values)) for t in passive["templates"]]


def rewordings(att: Attribution) -> list[str]:
    """Up to two rewordings of the sentence built by the rules; [] when none applies safely."""
    clause = cut(att)
    if clause is None:
        return _passive_rewording(att) if att.cue in SUBJECTIVE else []
    found: list[str] = []
    for rule in rules():
        m = _applies(rule, att, clause)
        for template in rule.templates if m else ():
            text = _fill(template, clause, m)
            if text not in found and text != _tidy(att.sentence):
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
