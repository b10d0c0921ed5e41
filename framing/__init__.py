"""framing: audit how inspection reports attribute evidence to its sources.

    import framing
    audit = framing.analyse("report.pdf")
    documents, attributions = framing.analyse_corpus(["reports/"])
"""
__version__ = "0.1.0"
_API = ("analyse", "analyse_corpus")


def __getattr__(name: str):
    """The API is imported on first use, so `import framing` stays fast."""
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
