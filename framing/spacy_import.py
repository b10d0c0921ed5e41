"""spaCy, imported without its command line: `from .spacy_import import spacy`.

`import spacy` runs `from .cli.info import info`, which imports the whole of spacy.cli (every `python -m
spacy` command, and through them weasel, requests and httpx) only to offer `spacy.info()`. That is about
0.2 s of the 0.7 s that importing spaCy takes, paid by every `framing` command before any document is
read, and by each job count alike, so it is a large part of what two jobs cannot win back on a corpus.

When this module is the first to import spaCy, spacy.cli and spacy.cli.info are stand-in modules while
spaCy's own __init__ runs, and are removed straight after: a later `import spacy.cli` (or `python -m spacy`)
imports the real package as usual, and `spacy.info()` calls the real `spacy.cli.info.info` on first use.
Nothing else in spaCy 3.8 imports spacy.cli; a spaCy whose __init__ needs more of it is imported the
usual way. When spaCy is already imported, this changes nothing.
"""
from __future__ import annotations

import sys
from types import ModuleType

CLI_MODULES = ("spacy.cli", "spacy.cli.info")


def info(*args, **kwargs):
    """spacy.info(): spaCy's own, imported when first called."""
    from spacy.cli.info import info as spacy_info

    return spacy_info(*args, **kwargs)


def _import_spacy() -> ModuleType:
    if "spacy" in sys.modules:
        import spacy

        return spacy
    stand_ins = {name: ModuleType(name) for name in CLI_MODULES}
    stand_ins["spacy.cli"].__path__ = []  # a package, so that spacy.cli.info resolves to the stand-in below
    stand_ins["spacy.cli.info"].info = info
    sys.modules.update(stand_ins)
    try:
        import spacy
    except ImportError:  # a spaCy that needs more of its command line than spacy.info: the usual import below
        spacy = None
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if spacy is None:
        import spacy
    return spacy


spacy = _import_spacy()
