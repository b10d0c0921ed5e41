"""The terminal view of `framing evaluate`: the ANNOTATION.md figures as tables."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

MAIN_FIGURES = ("gold", "predicted", "matched", "attribution_p", "attribution_r", "attribution_f1", "source_acc",
                "framing_acc", "framing_macro_f1", "quantifier_acc", "strict_p", "strict_r", "strict_f1",
                "asymmetry_docs", "asymmetry_undecided", "asymmetry_mae")


def print_evaluation(result: dict, console: Console) -> None:
    figures = Table(title="Accuracy (ANNOTATION.md)", show_header=False)
    for key in MAIN_FIGURES:
        figures.add_row(key, str(result.get(key)))
    figures.add_row("framing_f1_by_class", ", ".join(f"{k} {v}" for k, v in result["framing_f1_by_class"].items()))
    figures.add_row("recall_by_source", ", ".join(f"{k} {v}" for k, v in result["recall_by_source"].items()))
    figures.add_row("recall_by_voice", ", ".join(f"{k} {v}" for k, v in result["recall_by_voice"].items()))
    console.print(figures)
    if result["asymmetry_by_doc"]:
        docs = Table(title="Asymmetry per document")
        for column in ("document", "gold", "predicted"):
            docs.add_column(column)
        for d in result["asymmetry_by_doc"]:
            predicted = "undecided" if d["pred_asymmetry"] is None else f"{d['pred_asymmetry']:+.3f}"
            docs.add_row(d["id"], f"{d['gold_asymmetry']:+.3f}", predicted)
        console.print(docs)
    prov = result.get("provenance", {})
    console.print(f"pipeline: {prov.get('spacy_pipeline')} {prov.get('spacy_pipeline_version')}; "
                  f"lexicon {prov.get('lexicon_version')}; model {prov.get('framing_model')}; {result.get('seconds')} s",
                  markup=False)
