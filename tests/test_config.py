"""Configuration files: discovery upwards, pyproject, --config, checking, aliases and disabled rules."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from framing.audit import audit_document
from framing.config import Config, ConfigError, describe, find_config, load_config, resolve
from framing.ingest import load_text
from framing.lint import BELIEF, KNOWLEDGE, OFF
from framing.pipeline import load_pipeline

FORUM_DRAFT = "Eastmere Voice believes that co-production has improved.\nParents fret about the transport arrangements.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discovery_searches_upwards_and_prefers_framing_toml(tmp_path):
    draft = write(tmp_path / "team" / "drafts" / "2025" / "draft.txt", "Parents feel that the offer is poor.\n")
    assert find_config(draft) is None or not str(find_config(draft)).startswith(str(tmp_path))
    pyproject = write(tmp_path / "team" / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(draft) != pyproject  # a pyproject without [tool.framing] is not a configuration
    write(pyproject, '[tool.framing]\nfail_on = ["error"]\n')
    assert find_config(draft) == pyproject
    nearer = write(tmp_path / "team" / "drafts" / "framing.toml", 'fail_on = ["belief"]\n')
    assert find_config(draft) == nearer
    same_folder = write(tmp_path / "team" / "drafts" / "pyproject.toml", '[tool.framing]\nfail_on = ["info"]\n')
    assert find_config(draft) == nearer and same_folder.exists()  # framing.toml wins in its folder
    assert resolve(draft).fail_on == ["belief"]
    assert resolve(draft, explicit=pyproject).fail_on == ["error"]


def test_pyproject_keys_sit_under_tool_framing(tmp_path):
    path = write(tmp_path / "pyproject.toml", """
[tool.framing]
fail_on = "emotion"
disable = ["framing.unevidenced-knowledge", "enjoy"]
[tool.framing.severity]
"belief" = "error"
[tool.framing.aliases]
"Eastmere Voice" = "FORUM"
""")
    config = load_config(path)
    assert config.fail_on == ["emotion"] and config.severity == {BELIEF: "error"}
    assert config.disabled_rules == [KNOWLEDGE] and config.disabled_cues == ["enjoy"]
    assert config.settings().severity == {BELIEF: "error", KNOWLEDGE: OFF}
    assert config.pipeline_key() and json.loads(config.pipeline_key()[0])["disabled_rules"] == ["enjoy"]
    assert [b.term for b in config.settings(["asymmetry>0.3"]).bars] == ["asymmetry>0.3"]  # the command line wins


@pytest.mark.parametrize("text, key", [
    ("fail_on = [\n", "not valid TOML"),
    ('fial_on = ["error"]\n', "fial_on: unknown key"),
    ('fail_on = ["loud"]\n', "fail_on: unknown --fail-on term 'loud'"),
    ('[severity]\n"framing.belief" = "shout"\n', "severity.framing.belief: must be one of"),
    ('[severity]\n"framing.tone" = "error"\n', "severity.framing.tone: unknown rule"),
    ('disable = ["no-such-entry"]\n', "disable: 'no-such-entry' is neither"),
    ('[aliases]\n"Eastmere Voice" = "CHARITY"\n', "aliases.Eastmere Voice: unknown source class 'CHARITY'"),
    ('[[cue]]\nid = "fret"\nlemmas = ["fret"]\nkind = "verb"\nframing = "EMOTION"\n', "cue: cue entry 'fret' lacks 'note'"),
    ('[[cue]]\nid = "fret"\nlemmas = ["fret"]\nkind = "verb"\nframing = "WORRY"\nnote = "x"\n', "cue: cue entry 'fret' has an unknown"),
    ('[[cue]]\nid = "fret"\nlemmas = "fret"\nkind = "verb"\nframing = "EMOTION"\nnote = "x"\n',
     'cue: cue entry \'fret\': lemmas must be a list, like ["fret"]'),  # not four one-letter cues
])
def test_malformed_configuration_names_file_and_key(tmp_path, text, key):
    path = write(tmp_path / "framing.toml", text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert message.startswith(f"{path}: ") and key in message and "\n" not in message


def test_malformed_pyproject_key_is_prefixed(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.framing.severity]\n"framing.belief" = 3\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml: tool.framing.severity.framing.belief: must be one of"):
        load_config(path)


def test_missing_explicit_configuration(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        resolve(tmp_path / "draft.txt", explicit=tmp_path / "nope.toml")


def test_alias_makes_a_forum_and_extra_cue_and_disabled_rule_reach_the_pipeline(tmp_path):
    path = write(tmp_path / "framing.toml", """
disable = ["believe"]
[aliases]
"Eastmere Voice" = "FORUM"
[[cue]]
id = "fret"
lemmas = ["fret"]
kind = "verb"
framing = "EMOTION"
complements = { topic = "EMOTION", bare = "EMOTION" }
note = "fret about: a feeling, written for this test."
""")
    plain = audit_document(load_text(FORUM_DRAFT), load_pipeline(framing_model=False))
    assert not any(a.cue_text == "believes" and a.source == "FORUM" for a in plain.attributions)
    assert not any(a.cue_text == "fret" for a in plain.attributions)
    aliased = audit_document(load_text(FORUM_DRAFT.replace("believes", "says")),
                             load_pipeline(framing_model=False, config_key=load_config(path).pipeline_key()))
    assert [(a.source, a.source_text, a.cue) for a in aliased.attributions if a.cue_text == "says"] == \
        [("FORUM", "Eastmere Voice", "REPORT")]
    assert [(a.source, a.cue, a.lexicon_entry) for a in aliased.attributions if a.cue_text == "fret"] == \
        [("PARENT_CARER", "EMOTION", "fret")]
    configured = audit_document(load_text(FORUM_DRAFT),
                                load_pipeline(framing_model=False, config_key=load_config(path).pipeline_key()))
    assert not any(a.lexicon_entry == "believe" for a in configured.attributions)  # the disabled cue entry


def test_describe_says_where_each_value_came_from(tmp_path):
    path = write(tmp_path / "framing.toml", '[severity]\n"framing.belief" = "info"\n[aliases]\n"Eastmere Voice" = "FORUM"\n')
    lines = describe(load_config(path), ["error"])
    assert lines[0] == f"# configuration file: {path}"
    row = {line.split("#")[0].strip(): line.rsplit("# ", 1)[1] for line in lines[1:] if "=" in line}
    assert row['fail_on = ["error"]'] == "--fail-on"
    assert row['"framing.belief" = "info"'] == str(path)
    assert row['"framing.emotion" = "warning"'] == "default"
    assert row['"Eastmere Voice" = "FORUM"'] == str(path)
    assert describe(Config())[0] == "# configuration file: none found (defaults)"
