"""Score predicted attributions against gold exactly as ANNOTATION.md defines it.

The matching and every figure follow ../shared/tools/score.py (a test checks they agree):
cue spans overlap by >= 1 character, pairs one-to-one, preferring the same source class, then the
larger overlap, then the nearer start.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .attribution import CUES, FAMILIES, PROFESSIONALS, SUBJECTIVE


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _overlap(a: dict, b: dict) -> int:
    return max(0, min(a["cue_end"], b["cue_end"]) - max(a["cue_start"], b["cue_start"]))


def match(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one (pred, gold) pairs whose cue spans overlap."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            ov = _overlap(p, g)
            if ov > 0:
                cands.append((p["source"] == g["source"], ov, -abs(p["cue_start"] - g["cue_start"]), i, j))
    cands.sort(reverse=True)
    used_p, used_g, pairs = set(), set(), []
    for _, _, _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((pred[i], gold[j]))
    return pairs


def asymmetry(atts: list[dict]) -> float | None:
    def rate(group):
        xs = [a for a in atts if a["source"] in group]
        return (sum(a["cue"] in SUBJECTIVE for a in xs) / len(xs)) if len(xs) >= 3 else None

    f, p = rate(FAMILIES), rate(PROFESSIONALS)
    return None if f is None or p is None else f - p


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class ErrorCase:
    kind: str  # "false positive", "false negative", "wrong source", "wrong framing", "wrong source and framing"
    record: str
    sentence: str
    gold: dict | None
    pred: dict | None

    def describe(self, text: str) -> str:
        def show(a):
            if a is None:
                return "-"
            return (f"{a['source']} [{text[a['source_start']:a['source_end']]}] "
                    f"{a['cue']} <{text[a['cue_start']:a['cue_end']]}> {a.get('quantifier', 'NONE')}")
        line = f"{self.kind}\t{self.record}\tgold: {show(self.gold)}\tpredicted: {show(self.pred)}\t{self.sentence}"
        return " ".join(line.split(" \n"))


def _sentence_around(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    hi_candidates = [x for x in (text.find(". ", end), text.find("\n", end)) if x >= 0]
    hi = min(hi_candidates) + 1 if hi_candidates else len(text)
    return " ".join(text[lo:hi].split())


def score(gold_recs: dict[str, dict], pred_recs: dict[str, dict]) -> tuple[dict, list[ErrorCase]]:
    """The ANNOTATION.md figures (same keys and rounding as score.py) and every error."""
    n_gold = n_pred = tp = src_ok = cue_ok = strict = q_ok = 0
    confusion: Counter = Counter()
    gold_by_src, found_by_src = Counter(), Counter()
    asym_err, docs, errors = [], [], []
    missing = [k for k in gold_recs if k not in pred_recs]
    for doc_id, g in gold_recs.items():
        ga = g["attributions"]
        pa = pred_recs.get(doc_id, {"attributions": []})["attributions"]
        pairs = match(ga, pa)
        n_gold += len(ga)
        n_pred += len(pa)
        tp += len(pairs)
        for a in ga:
            gold_by_src[a["source"]] += 1
        text = g["text"]
        for p, gg in pairs:
            found_by_src[gg["source"]] += 1
            s_ok, c_ok = p["source"] == gg["source"], p["cue"] == gg["cue"]
            src_ok += s_ok
            cue_ok += c_ok
            q_ok += p.get("quantifier", "NONE") == gg.get("quantifier", "NONE")
            strict += s_ok and c_ok
            confusion[(gg["cue"], p["cue"])] += 1
            if not (s_ok and c_ok):
                kind = "wrong source and framing" if not (s_ok or c_ok) else ("wrong source" if not s_ok else "wrong framing")
                errors.append(ErrorCase(kind, doc_id, _sentence_around(text, gg["cue_start"], gg["cue_end"]), gg, p))
        matched_p = {id(p) for p, _ in pairs}
        matched_g = {id(x) for _, x in pairs}
        errors += [ErrorCase("false positive", doc_id, _sentence_around(text, p["cue_start"], p["cue_end"]), None, p)
                   for p in pa if id(p) not in matched_p]
        errors += [ErrorCase("false negative", doc_id, _sentence_around(text, x["cue_start"], x["cue_end"]), x, None)
                   for x in ga if id(x) not in matched_g]
        ag, ap = asymmetry(ga), asymmetry(pa)
        if ag is not None:
            asym_err.append(abs(ag - ap) if ap is not None else None)
            docs.append({"id": doc_id, "gold_asymmetry": round(ag, 3),
                         "pred_asymmetry": None if ap is None else round(ap, 3)})
    p, r, f = _prf(tp, n_pred, n_gold)
    sp, sr, sf = _prf(strict, n_pred, n_gold)
    per_class_f1 = {}
    for c in CUES:
        ctp = confusion[(c, c)]
        cp = sum(v for (gc, pc), v in confusion.items() if pc == c)
        cg = sum(v for (gc, pc), v in confusion.items() if gc == c)
        per_class_f1[c] = round(_prf(ctp, cp, cg)[2], 3)
    errs = [e for e in asym_err if e is not None]
    result = {
        "records": len(gold_recs), "missing_predictions": len(missing),
        "gold": n_gold, "predicted": n_pred, "matched": tp,
        "attribution_p": round(p, 3), "attribution_r": round(r, 3), "attribution_f1": round(f, 3),
        "source_acc": round(src_ok / tp, 3) if tp else 0.0,
        "framing_acc": round(cue_ok / tp, 3) if tp else 0.0,
        "framing_macro_f1": round(sum(per_class_f1.values()) / len(CUES), 3),
        "framing_f1_by_class": per_class_f1,
        "quantifier_acc": round(q_ok / tp, 3) if tp else 0.0,
        "strict_p": round(sp, 3), "strict_r": round(sr, 3), "strict_f1": round(sf, 3),
        "recall_by_source": {s: round(found_by_src[s] / n, 3) for s, n in sorted(gold_by_src.items())},
        "recall_by_voice": {voice: round(sum(found_by_src[s] for s in group) / n, 3)
                            for voice, group in (("families", FAMILIES), ("professionals", PROFESSIONALS))
                            if (n := sum(gold_by_src[s] for s in group))},
        "asymmetry_docs": len(asym_err),
        "asymmetry_undecided": sum(e is None for e in asym_err),
        "asymmetry_mae": round(sum(errs) / len(errs), 3) if errs else None,
        "asymmetry_by_doc": docs,
    }
    return result, errors


def write_errors(errors: list[ErrorCase], gold_recs: dict[str, dict], path: str | Path) -> None:
    """One error a line, tab-separated: kind, record, gold, predicted, sentence."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("kind\trecord\tgold\tpredicted\tsentence\n")
        for e in sorted(errors, key=lambda e: (e.kind, e.record)):
            f.write(e.describe(gold_recs[e.record]["text"]) + "\n")
