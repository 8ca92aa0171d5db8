"""The network's own profile: what it is for and how it works.

Name, purpose, collective value proposition, stage of development (connectivity → alignment →
production) and answers to the eight design questions of network building. Stored in the
document's settings (``name`` and ``profile``), so it travels with the file and edits undo.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import ValidationError

if TYPE_CHECKING:
    from .commands import Command

SETTING_KEY = "profile"
# Design questions the profile answers with its own fields rather than in ``answers``.
OWN_FIELDS = ("purpose", "value_proposition")

STAGES: tuple[str, ...] = ("connectivity", "alignment", "production")
STAGE_LABELS: dict[str, str] = {
    "": "Not set",
    "connectivity": "Connectivity: building ties and trust",
    "alignment": "Alignment: shared purpose and identity",
    "production": "Production: acting together",
}

# The eight design questions, in order: key -> (title, the question a weaver answers). The
# purpose and value proposition questions are answered by the profile's own fields of that name.
DESIGN_QUESTIONS: dict[str, tuple[str, str]] = {
    "purpose": ("Purpose", "Why does the network exist? What will it achieve together?"),
    "membership": ("Membership", "Who belongs, and how do people join or leave?"),
    "value_proposition": (
        "Value proposition",
        "What do members gain from taking part, and what do they give?",
    ),
    "coordination": (
        "Coordination & communication",
        "How do members stay in touch, share news and coordinate work?",
    ),
    "resources": ("Resources", "Which money, time and skills sustain the network?"),
    "governance": ("Governance", "Who decides what, and how?"),
    "assessment": ("Assessment", "How will you know the network is healthy and effective?"),
    "operating_principles": (
        "Operating principles",
        "Which agreements and values guide how members work together?",
    ),
}


@dataclass(frozen=True)
class NetworkProfile:
    name: str = ""
    purpose: str = ""
    value_proposition: str = ""
    stage: str = ""
    answers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.stage not in ("", *STAGES):
            raise ValidationError(
                f"stage must be one of {', '.join(STAGES)} (or blank), not {self.stage!r}"
            )
        unknown = set(self.answers) - set(DESIGN_QUESTIONS)
        if unknown:
            raise ValidationError(f"unknown design question(s): {', '.join(sorted(unknown))}")

    def to_setting(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose.strip(),
            "value_proposition": self.value_proposition.strip(),
            "stage": self.stage,
            "answers": {
                k: v.strip() for k, v in self.answers.items() if v.strip() and k not in OWN_FIELDS
            },
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "purpose": self.purpose,
            "value_proposition": self.value_proposition,
            "stage": self.stage,
            "design_questions": [
                {"key": k, "question": title, "answer": self.answer(k)}
                for k, (title, _) in DESIGN_QUESTIONS.items()
            ],
        }

    def answer(self, key: str) -> str:
        if key in OWN_FIELDS:
            return str(getattr(self, key))
        return self.answers.get(key, "")

    @property
    def is_empty(self) -> bool:
        return not (
            self.purpose or self.value_proposition or self.stage or any(self.answers.values())
        )


def profile_from_settings(settings: Mapping[str, Any]) -> NetworkProfile:
    raw = settings.get(SETTING_KEY) or {}
    if not isinstance(raw, dict):
        raw = {}
    stage = raw.get("stage", "")
    answers = raw.get("answers") or {}
    return NetworkProfile(
        name=str(settings.get("name", "")),
        purpose=str(raw.get("purpose", "")),
        value_proposition=str(raw.get("value_proposition", "")),
        stage=stage if stage in STAGES else "",
        answers={
            k: str(v) for k, v in answers.items() if k in DESIGN_QUESTIONS and k not in OWN_FIELDS
        },
    )


def SetProfile(profile: NetworkProfile) -> Command:  # noqa: N802 - reads as a command class
    """Store the profile (name included) as one undoable settings change."""
    from .commands import SetSettings

    name = profile.name.strip()
    if not name:
        raise ValidationError("the network needs a name")
    return SetSettings({"name": name, SETTING_KEY: profile.to_setting()}, "Edit network profile")
