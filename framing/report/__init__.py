"""The report stage: the HTML audit page, the JSON file and the terminal summary of each Audit."""
from .html import render_html, write_html
from .jsonout import SCHEMA_PATH, SCHEMA_VERSION, ReportError, audit_to_dict, write_json
from .evaluation import print_evaluation
from .summary import print_summary

__all__ = ["SCHEMA_PATH", "SCHEMA_VERSION", "ReportError", "audit_to_dict", "print_evaluation", "print_summary",
           "render_html", "write_html", "write_json"]
