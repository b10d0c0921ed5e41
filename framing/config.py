"""Configuration: `framing.toml`, or `[tool.framing]` in `pyproject.toml`, found upwards from an input.

    fail_on = ["warning"]                     # the bar for exit status 1 (framing check --fail-on)
    disable = ["framing.belief", "hope"]      # linter rules (framing.*) or cue lexicon entries (by id) off

    [severity]                                # per linter rule: error | warning | info | off
    "framing.unevidenced-knowledge" = "warning"

    [aliases]                                 # a name that always means this source class
    "Eastmere Voice" = "FORUM"

    [[cue]]                                   # extra cue entries, the fields of framing/data/cues.toml
    id = "fret"
    lemmas = ["fret"]
    kind = "verb"
    framing = "EMOTION"
    note = "fret about: a feeling."

In pyproject.toml the same keys sit under [tool.framing] ([tool.framing.severity], [[tool.framing.cue]]...).
A directory's framing.toml wins over its pyproject.toml; the nearest directory wins; nothing is merged
across files. `--config PATH` replaces the search. Command-line options win over the file.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .attribution import SOURCES
from .lexicon import LexiconError, _base_files, load_lexicon
from .lint import DEFAULT_FAIL_ON, OFF, SEVERITIES, Bar, Settings, parse_fail_on, rule_id, rules

KEYS = ("fail_on", "disable", "severity", "aliases", "cue")
DEFAULT = "default"


class ConfigError(ValueError):
    """A configuration that cannot be used; str(error) is one line naming the file and the key."""


@dataclass
class Config:
    path: Path | None = None  # the file the values came from; None = defaults only
    fail_on: list[str] = field(default_factory=lambda: list(DEFAULT_FAIL_ON))
    severity: dict[str, str] = field(default_factory=dict)  # rule id -> severity; only the rules set
    disabled_rules: list[str] = field(default_factory=list)  # linter rule ids turned off by `disable`
    disabled_cues: list[str] = field(default_factory=list)  # cue lexicon entry ids turned off by `disable`
    aliases: dict[str, str] = field(default_factory=dict)
    extra_cues: list[dict] = field(default_factory=list)
    origin: dict[str, str] = field(default_factory=dict)  # key -> where its value came from

    def where(self, key: str) -> str:
        return self.origin.get(key, DEFAULT)

    def settings(self, fail_on: list[str] | None = None) -> Settings:
        """The linter's settings; `fail_on` from the command line replaces the file's bar."""
        severity = dict(self.severity) | {r: OFF for r in self.disabled_rules}
        return Settings(severity=severity, bars=self.bars(fail_on))

    def bars(self, fail_on: list[str] | None = None) -> list[Bar]:
        return parse_fail_on(fail_on if fail_on else self.fail_on)

    def pipeline_key(self) -> tuple:
        """The hashable lexicon configuration load_pipeline takes (() when there is none)."""
        if not (self.extra_cues or self.aliases or self.disabled_cues):
            return ()
        return (json.dumps({"extra_cues": self.extra_cues, "aliases": self.aliases,
                            "disabled_rules": self.disabled_cues}, sort_keys=True),)


def find_config(start: Path) -> Path | None:
    """The nearest framing.toml, or pyproject.toml with [tool.framing], from start's folder upwards."""
    folder = start.resolve()
    folder = folder if folder.is_dir() else folder.parent
    for directory in (folder, *folder.parents):
        candidate = directory / "framing.toml"
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "tool.framing" in _read(pyproject):
            return pyproject
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the configuration ({getattr(error, 'strerror', None) or error})") from None


def load_config(path: Path) -> Config:
    """Read and check one configuration file; ConfigError names the file and the key."""
    try:
        data = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("framing", {})
        prefix = "tool.framing."
    else:
        prefix = ""
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: {prefix.rstrip('.') or 'the file'}: must be a table")
    return _parse(data, path, prefix)


def _parse(data: dict, path: Path, prefix: str) -> Config:
    def bad(key: str, why: str) -> ConfigError:
        return ConfigError(f"{path}: {prefix}{key}: {why}")

    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise bad(unknown[0], f"unknown key (known: {', '.join(KEYS)})")
    config = Config(path=path)
    origin = str(path)
    if "fail_on" in data:
        value = data["fail_on"]
        terms = [value] if isinstance(value, str) else value
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise bad("fail_on", "must be a string or a list of strings")
        try:
            parse_fail_on(terms)
        except ValueError as error:
            raise bad("fail_on", str(error)) from None
        config.fail_on, config.origin["fail_on"] = list(terms), origin
    for rule, level in _table(data, "severity", bad).items():
        known = rule_id(rule)
        if not known:
            raise bad(f"severity.{rule}", f"unknown rule (known: {', '.join(rules())})")
        if level not in (*SEVERITIES, OFF):
            raise bad(f"severity.{rule}", f"must be one of {', '.join((*SEVERITIES, OFF))} (got {level!r})")
        config.severity[known], config.origin[f"severity.{known}"] = level, origin
    disable = data.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
        raise bad("disable", "must be a list of rule ids")
    cue_ids = {c["id"] for c in _base_files()[0]["cue"]}
    for name in disable:
        if rule_id(name) and name.lower().startswith("framing."):
            config.disabled_rules.append(rule_id(name))
        elif name in cue_ids:
            config.disabled_cues.append(name)
        else:
            raise bad("disable", f"{name!r} is neither a linter rule (framing.*) nor a cue lexicon entry id")
    if disable:
        config.origin["disable"] = origin
    for name, cls in _table(data, "aliases", bad).items():
        if cls not in SOURCES:
            raise bad(f"aliases.{name}", f"unknown source class {cls!r} (known: {', '.join(SOURCES)})")
        config.aliases[name] = cls
        config.origin[f"aliases.{name}"] = origin
    cues = data.get("cue", [])
    if not isinstance(cues, list) or not all(isinstance(c, dict) for c in cues):
        raise bad("cue", "must be an array of tables ([[cue]])")
    config.extra_cues = cues
    try:
        load_lexicon(config.extra_cues, config.aliases, config.disabled_cues)
    except LexiconError as error:
        raise bad("cue", str(error).removeprefix("configuration: ")) from None
    except (TypeError, AttributeError) as error:
        raise bad("cue", f"an entry has a value of the wrong type ({error})") from None
    for k, cue in enumerate(cues):
        config.origin[f"cue.{cue.get('id', k)}"] = origin
    return config


def _table(data: dict, key: str, bad) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise bad(key, "must be a table")
    return value


def resolve(input_path: Path, explicit: Path | None = None) -> Config:
    """The configuration for one input: --config when given, else the nearest file, else defaults."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        return load_config(explicit)
    found = find_config(input_path)
    return load_config(found) if found else Config()


def describe(config: Config, fail_on: list[str] | None = None) -> list[str]:
    """The effective configuration as TOML, each value followed by where it came from."""
    lines = [f"# configuration file: {config.path or 'none found (defaults)'}"]

    def row(text: str, where: str) -> None:
        lines.append(f"{text:<58} # {where}")

    row(f"fail_on = {json.dumps(fail_on or config.fail_on)}", "--fail-on" if fail_on else config.where("fail_on"))
    row(f"disable = {json.dumps(config.disabled_rules + config.disabled_cues)}", config.where("disable"))
    lines.append("")
    lines.append("[severity]")
    for rule in rules().values():
        if rule.id in config.disabled_rules:
            row(f'"{rule.id}" = "off"', config.where("disable"))
        else:
            row(f'"{rule.id}" = "{config.severity.get(rule.id, rule.severity)}"', config.where(f"severity.{rule.id}"))
    lines.append("")
    lines.append("[aliases]")
    for name, cls in config.aliases.items():
        row(f'{json.dumps(name)} = "{cls}"', config.where(f"aliases.{name}"))
    for cue in config.extra_cues:
        lines.append("")
        row("[[cue]]", config.where(f"cue.{cue.get('id')}"))
        for key, value in cue.items():
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return lines
