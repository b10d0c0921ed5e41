"""The report stage: the HTML audit page, the JSON file and the terminal summary of each Audit.

The names below are imported on first use: `framing.report.jsonout` (cached audits) or
`framing.report.figures` do not pull in jinja2 or rich.
"""
from importlib import import_module

_WHERE = {"render_html": "html", "write_html": "html", "SCHEMA_PATH": "jsonout",
          "SCHEMA_VERSION": "jsonout", "ReportError": "jsonout", "audit_to_dict": "jsonout", "write_json": "jsonout",
          "print_evaluation": "evaluation", "print_summary": "summary"}
__all__ = ["SCHEMA_PATH", "SCHEMA_VERSION", "ReportError", "audit_to_dict", "print_evaluation", "print_summary",
           "render_html", "write_html", "write_json"]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
