"""The small typed records every stage passes on: an attribution and its classes.

Offsets are character offsets into the document text, end exclusive (as ANNOTATION.md).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

SOURCES = ("PARENT_CARER", "CHILD_YP", "FORUM", "LEADER", "PRACTITIONER", "INSPECTOR", "OTHER")
CUES = ("FACTIVE", "REPORT", "BELIEF", "EMOTION")
QUANTIFIERS = ("ALL", "MOST", "MANY", "SOME", "FEW", "NONE")
FAMILIES = frozenset({"PARENT_CARER", "CHILD_YP", "FORUM"})
PROFESSIONALS = frozenset({"LEADER", "PRACTITIONER"})
SUBJECTIVE = frozenset({"BELIEF", "EMOTION"})
MINIMISING = frozenset({"FEW", "SOME"})

SOURCE_LABELS = {
    "PARENT_CARER": "Parents and carers",
    "CHILD_YP": "Children and young people",
    "FORUM": "Parent carer forum",
    "LEADER": "Leaders",
    "PRACTITIONER": "Practitioners",
    "INSPECTOR": "Inspectors",
    "OTHER": "Other",
}
CUE_LABELS = {"FACTIVE": "Factive", "REPORT": "Report", "BELIEF": "Belief", "EMOTION": "Emotion"}


def voice_of(source: str) -> str | None:
    """'families', 'professionals' or None (inspectors and others belong to neither voice)."""
    if source in FAMILIES:
        return "families"
    if source in PROFESSIONALS:
        return "professionals"
    return None


@dataclass
class Attribution:
    """A source presented as saying, knowing, believing or feeling something, through a cue."""

    source: str
    cue: str
    quantifier: str
    source_start: int
    source_end: int
    cue_start: int
    cue_end: int
    source_text: str
    cue_text: str
    sentence_start: int
    sentence_end: int
    sentence: str
    rule: str  # which linking rule fired, e.g. "verbal-subject", "passive-agent", "possessive"
    lexicon_entry: str  # id of the cue lexicon entry that matched
    lexicon_note: str = ""  # the entry's note: why this cue carries this framing
    source_entry: str = ""  # id of the source lexicon entry that classified the source
    decided_by: str = "rules"  # "rules" or the framing model's name when it changed/confirmed the class
    confidence: float | None = None  # the framing model's probability for its class, when it ran
    negated: bool = False
    hedged: bool = False
    page: int | None = None
    explanation: str = ""
    suggestions: list[str] = field(default_factory=list)
    rejected_by: str = ""  # candidates only: the soft rule that turned it down ("aim", "complement-object", ...)

    @property
    def voice(self) -> str | None:
        return voice_of(self.source)

    @property
    def subjective(self) -> bool:
        return self.cue in SUBJECTIVE

    def to_gold(self, offset: int = 0) -> dict:
        """The ANNOTATION.md record form, offsets shifted by -offset."""
        return {
            "source": self.source,
            "source_start": self.source_start - offset,
            "source_end": self.source_end - offset,
            "cue": self.cue,
            "cue_start": self.cue_start - offset,
            "cue_end": self.cue_end - offset,
            "quantifier": self.quantifier,
        }

    def to_dict(self) -> dict:
        return asdict(self) | {"voice": self.voice}
